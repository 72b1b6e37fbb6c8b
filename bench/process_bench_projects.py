"""The throwaway projects of bench/process_bench.py: a small CherryPy shop
(its app and package `work`, and the paths the load asks for) and a suite
whose every test runs `python -m pkg.tool N` in a subprocess."""
import os
import subprocess

HEADER_TEST = 'tests/test_load.py::test_load'

# -- the throwaway web project ---------------------------------------------

REPORTS = '''\
"""Reports over a list of orders: a little real work for each request."""
import statistics

ORDERS = [{'id': n, 'customer': 'c%03d' % (n * 13 % 37), 'amount': (n * 7919) % 1000 / 10.0,
           'items': n % 5 + 1} for n in range(500)]


def summary(limit):
    chosen = [order for order in ORDERS[:limit] if order['items'] > 1]
    amounts = [order['amount'] for order in chosen]
    if not amounts:
        return {'orders': 0, 'total': 0.0, 'mean': 0.0}
    return {'orders': len(chosen), 'total': round(sum(amounts), 2), 'mean': round(statistics.fmean(amounts), 2)}


def top_customers(count):
    totals = {}
    for order in ORDERS:
        totals[order['customer']] = totals.get(order['customer'], 0.0) + order['amount']
    ranked = sorted(totals.items(), key=lambda item: item[1], reverse=True)
    return [{'customer': name, 'total': round(total, 2)} for name, total in ranked[:count]]


def page(number, size=20):
    start = number * size
    return ORDERS[start:start + size]
'''

RENDER = '''\
"""Rendering rows as HTML and pairs as text."""
from html import escape


def table(rows, columns):
    head = ''.join('<th>%s</th>' % escape(column) for column in columns)
    body = []
    for row in rows:
        cells = ''.join('<td>%s</td>' % escape(str(row[column])) for column in columns)
        body.append('<tr>%s</tr>' % cells)
    return '<table><tr>%s</tr>%s</table>' % (head, ''.join(body))


def pairs(values):
    return '\\n'.join('%s: %s' % (key, values[key]) for key in sorted(values)) + '\\n'
'''

APP = '''\
import sys

import cherrypy

from stave.collect.http import stave_tool
from work import render, reports


class Shop:
    @cherrypy.expose
    def summary(self, limit='200'):
        return render.pairs(reports.summary(int(limit)))

    @cherrypy.expose
    def top(self, count='10'):
        return render.table(reports.top_customers(int(count)), ['customer', 'total'])

    @cherrypy.expose
    def orders(self, page='0'):
        return render.table(reports.page(int(page)), ['id', 'customer', 'amount', 'items'])


def main():
    cherrypy.tools.stave = stave_tool()
    cherrypy.config.update({'server.socket_host': '127.0.0.1', 'server.socket_port': 0,
                            'engine.autoreload.on': False, 'log.screen': False, 'checker.on': False})
    cherrypy.tree.mount(Shop(), '/', {'/': {'tools.stave.on': True}})
    cherrypy.engine.signals.subscribe()
    cherrypy.engine.start()
    print('ready %d' % cherrypy.server.bound_addr[1], flush=True)
    cherrypy.engine.block()


if __name__ == '__main__':
    main()
'''

PATHS = ['/summary?limit=200', '/top?count=10', '/orders?page=3']

WRK_SCRIPT = '''\
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format(nil, paths[i])
end
''' % ', '.join('"%s"' % path for path in PATHS)

# -- the throwaway suite: a subprocess per test ----------------------------

TOOL = '''\
"""A small command: python -m pkg.tool N prints a line about N."""
import sys


def describe(n):
    digits = [int(d) for d in str(n)]
    if n % 3 == 0:
        kind = 'fizz'
        score = sum(digits) * 3
    elif n % 3 == 1:
        kind = 'odd-one'
        score = max(digits) + n
    else:
        kind = 'other'
        score = len(digits)
    return '%d %s %d' % (n, kind, score)


if __name__ == '__main__':
    print(describe(int(sys.argv[1])))
'''

CLI = '''\
"""Building the command line of pkg.tool (runs in pytest's own process)."""
import sys


def command(n):
    return [sys.executable, '-m', 'pkg.tool', str(n)]
'''

TEST_FILE_HEAD = '''\
import os
import subprocess

from pkg.cli import command

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(n):
    done = subprocess.run(command(n), cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout
'''

TEST_FUNCTION = '''

def test_tool_%(n)d():
    assert run(%(n)d) == %(expected)r
'''

# Run by the interpreter under test: the lines of pkg/tool.py that
# `python -m pkg.tool N` runs, for each N, by sys.settrace (the reference
# stave's per-test lines are compared with).
EXPECTED_LINES = '''\
import io, json, runpy, sys
from contextlib import redirect_stdout
target = sys.argv[1]
found = {}
for n in sys.argv[2:]:
    hits = set()
    def local(frame, event, arg):
        if event == 'line':
            hits.add(frame.f_lineno)
        return local
    def calls(frame, event, arg):
        return local if frame.f_code.co_filename == target else None
    sys.modules.pop('pkg.tool', None)
    sys.argv = ['pkg.tool', n]
    with redirect_stdout(io.StringIO()):
        sys.settrace(calls)
        try:
            runpy.run_module('pkg.tool', run_name='__main__', alter_sys=True)
        finally:
            sys.settrace(None)
    found[n] = sorted(hits)
print(json.dumps(found))
'''


def write_files(directory, files):
    for path, text in files.items():
        full = os.path.join(directory, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'w') as handle:
            handle.write(text)
    subprocess.run(['git', 'init', '-q'], cwd=directory, check=True)


def expected_output(n):
    scope = {}
    exec(TOOL.replace("if __name__ == '__main__':", 'if False:'), scope)
    return scope['describe'](n) + '\n'


def make_suite(directory, tests):
    files = {'pkg/__init__.py': '', 'pkg/tool.py': TOOL, 'pkg/cli.py': CLI, 'tests/__init__.py': '',
             'pyproject.toml': '[project]\nname = "suite"\nversion = "0"\n\n[tool.pytest.ini_options]\n'
                               'testpaths = ["tests"]\n',
             '.coveragerc': '[run]\npatch = subprocess\n'}
    for test, n in suite_test_ids(tests).items():
        path = test.split('::')[0]
        files[path] = files.get(path, TEST_FILE_HEAD) + TEST_FUNCTION % {'n': n, 'expected': expected_output(n)}
    write_files(directory, files)


def suite_test_ids(tests, per_file=10):
    """{node id: N} of the suite's tests."""
    return dict(('tests/test_tool_%03d.py::test_tool_%d' % ((n - 1) // per_file, n), n) for n in range(1, tests + 1))
