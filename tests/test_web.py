"""`stave web` over plain HTTP: each page's JSON and HTML, the impact of a
change, pagination, escaping, paths outside the project, bad parameters, and
the server's life on the bus. A real `stave web` subprocess serves a map that
`pytest --stave` recorded from a throwaway project."""
import http.client
import json
import os
import socket
import subprocess
import sys
from urllib.parse import quote

import pytest

from web_project import ADD, FAILS, MUL, RENDER, ROOT, SUB, WebServer, make_project, run, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture(scope='module')
def project(tmp_path_factory):
    directory = tmp_path_factory.mktemp('project')
    return str(directory), make_project(str(directory))


@pytest.fixture(scope='module')
def server(project):
    directory, url = project
    web = WebServer(url, directory)
    yield web
    assert web.stop() == 0, web.errors


def get(server, path, method='GET', body=None, headers=None):
    """(status, headers, body text) of one request, the path sent as it is (no normalising)."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode('utf-8')
    finally:
        connection.close()


def api(server, path, status=200):
    found, headers, body = get(server, '/api' + path)
    assert found == status, body
    assert headers['Content-Type'] == 'application/json'
    return json.loads(body)


def test_overview_counts_the_map(server):
    data = wait_for(lambda: (lambda d: d if d.get('fresh') else None)(api(server, '/')))
    assert data['map'] is True
    assert data['tests'] == 154
    assert data['files'] == 4  # app/__init__.py runs at import only: a file of the map too
    assert data['hot_lines'][:2] == [{'path': 'app/calc.py', 'line': 10, 'tests': 150},
                                     {'path': 'tests/test_many.py', 'line': 8, 'tests': 150}]
    assert {'path': 'app/calc.py', 'line': 2, 'tests': 2} in data['hot_lines']
    assert data['failing'] == [{'test': FAILS, 'outcome': 'failed'}]
    assert len(data['slowest']) == 20 and all(t['duration'] >= 0 for t in data['slowest'])
    assert len(data['runs']) == 1 and data['runs'][0]['tests'] == '154'
    status, headers, html = get(server, '/')
    assert status == 200 and headers['Content-Type'] == 'text/html;charset=utf-8'
    assert '154' in html and 'href="/file/app/calc.py?line=10#L10"' in html
    assert headers['Server-Timing'].startswith('app;dur=')


def test_files_lists_recorded_and_untested_files(server, project):
    files = api(server, '/files')['files']
    by_path = dict((f['path'], f) for f in files['items'])
    assert by_path['app/calc.py'] == {'path': 'app/calc.py', 'tests': 153, 'lines': 7, 'outside': 4}
    assert by_path['app/__init__.py']['tests'] == 0
    assert files['total'] == 5 and files['pages'] == 1
    assert [f['path'] for f in api(server, '/files?q=tests/')['files']['items']] == [
        'tests/test_calc.py', 'tests/test_many.py']
    assert 'page' in api(server, '/files?page=2', status=400)['error']


def test_file_view_has_each_lines_count_and_a_lines_tests(server):
    data = api(server, '/file/app/calc.py?line=2')
    lines = dict((line['line'], line) for line in data['lines'])
    assert lines[2]['tests'] == 2 and lines[2]['text'] == '    return a + b' and not lines[2]['outside']
    assert lines[1]['tests'] == 0 and lines[1]['outside']  # the def line runs at import
    assert lines[14]['tests'] is None  # unused() never runs
    assert data['tests'] == 153 and data['in_tree'] and data['in_map']
    assert [(t['test'], t['outcome']) for t in data['selected']['tests']['items']] == [
        (ADD, 'passed'), (FAILS, 'failed')]
    status, _, html = get(server, '/file/app/calc.py?line=2')
    assert status == 200 and 'id="L2" class="selected"' in html and '/test/tests/test_calc.py::test_add' in html


def test_line_tests_paginate(server):
    first = api(server, '/line/app/calc.py?line=10')['tests']
    assert (first['total'], first['pages'], len(first['items'])) == (150, 2, 100)
    second = api(server, '/line/app/calc.py?line=10&page=2')['tests']
    assert [t['test'] for t in first['items'] + second['items']] == sorted(MUL)
    assert 'page' in api(server, '/line/app/calc.py?line=10&page=3', status=400)['error']
    status, _, html = get(server, '/line/app/calc.py?line=10&page=2')
    assert status == 200 and 'page 2 of 2' in html and 'rel="prev"' in html


def test_test_view_lists_its_lines_by_file(server):
    data = api(server, '/test/' + quote(ADD, safe='/:'))
    assert data['info']['outcome'] == 'passed'
    by_path = dict((f['path'], f) for f in data['files'])
    assert by_path['app/calc.py']['ranges'] == [[2, 2]]
    assert by_path['tests/test_calc.py']['ranges'] == [[8, 8]]
    assert 'no test' in api(server, '/test/tests/nothing.py::test_none', status=404)['error']


def test_impact_of_a_pasted_diff(server):
    diff = ('--- a/app/calc.py\n+++ b/app/calc.py\n@@ -6 +6 @@\n-    return a - b\n+    return b - a\n'
            '@@ -14 +14 @@\n-    return 0\n+    return 1\n')
    status, headers, body = get(server, '/api/impact', 'POST', 'diff=' + quote(diff),
                                {'Content-Type': 'application/x-www-form-urlencoded'})
    assert status == 200, body
    data = json.loads(body)
    assert data['selected']['items'] == [{'test': SUB, 'rule': 1, 'because': 'app/calc.py:6 changed'}]
    assert data['uncovered'] == [{'path': 'app/calc.py', 'line': 14}]
    status, _, html = get(server, '/impact', 'POST', 'diff=' + quote(diff),
                          {'Content-Type': 'application/x-www-form-urlencoded'})
    assert status == 200 and '1 test selected' in html and 'app/calc.py:14' in html


def test_impact_of_the_working_tree_against_a_revision(server, project):
    directory, _ = project
    calc = os.path.join(directory, 'app', 'calc.py')
    original = open(calc).read()
    try:
        with open(calc, 'w') as handle:
            handle.write(original.replace('return a + b', 'return b + a'))
        data = api(server, '/impact?rev=HEAD')
        assert [(s['test'], s['rule']) for s in data['selected']['items']] == [(ADD, 1), (FAILS, 1)]
    finally:
        with open(calc, 'w') as handle:
            handle.write(original)
    assert 'no-such-rev' in api(server, '/impact?rev=no-such-rev', status=400)['error']


def test_a_revision_that_git_would_take_for_an_option_is_refused(server, tmp_path):
    target = tmp_path / 'written'
    error = api(server, '/impact?rev=' + quote('--output=%s' % target), status=400)['error']
    assert 'not a git revision' in error
    assert not target.exists()


def test_values_are_escaped(server):
    status, _, html = get(server, '/test/' + quote(RENDER, safe='/:'))
    assert status == 200
    assert "<script>alert('id')" not in html and '&lt;script&gt;alert(&#39;id&#39;)&lt;/script&gt;' in html
    status, _, html = get(server, '/file/app/page.py')
    assert status == 200
    assert "<script>alert('from the source')" not in html
    assert '&lt;script&gt;alert(&#39;from the source&#39;)&lt;/script&gt;' in html
    status, _, html = get(server, '/files?q=' + quote('<script>x</script>'))
    assert status == 200 and '<script>x' not in html and '&lt;script&gt;x&lt;/script&gt;' in html


@pytest.mark.parametrize('path', [
    '/file/../../../../etc/passwd',
    '/file/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/file/..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/file/app/../../../../etc/passwd',
    '/file//etc/passwd',
    '/file/%2fetc%2fpasswd',
    '/file/app/%00calc.py',
    '/api/file/../../../../etc/passwd',
    '/file/escape/passwd',
    '/file/.git/config',
    '/file/app/.hidden.py',
])
def test_no_path_outside_the_project_can_be_read(server, project, path):
    directory, _ = project
    link = os.path.join(directory, 'escape')
    if not os.path.islink(link):
        os.symlink('/etc', link)  # a symbolic link inside the project pointing out of it
        with open(os.path.join(directory, 'app', '.hidden.py'), 'w') as handle:
            handle.write('SECRET = 1\n')  # a dot-file of the project: not served either
    status, _, body = get(server, path)
    assert status == 404, body
    assert 'root:' not in body and 'Traceback' not in body


@pytest.mark.parametrize('path, words', [
    ('/files?page=abc', "'page' must be a whole number"),
    ('/files?page=0', "'page' must be a whole number"),
    ('/files?page=1&page=2', 'more than once'),
    ('/files?colour=red', "unknown parameter 'colour'"),
    ('/file/app/calc.py?line=0', "'line' must be a whole number"),
    ('/file/app/calc.py?line=x', "'line' must be a whole number"),
    ('/line/app/calc.py', "'line' is required"),
    ('/test/%s?page=2' % quote(ADD, safe='/:'), "unknown parameter 'page'"),
    ('/impact?rev=HEAD&diff=x', 'not both'),
])
def test_a_bad_parameter_is_a_400_with_a_message(server, path, words):
    for prefix in ('', '/api'):
        status, headers, body = get(server, prefix + path)
        assert status == 400, (prefix + path, body)
        assert words in body.replace('&#x27;', "'").replace('&#39;', "'")
        assert 'Traceback' not in body and 'File "' not in body


def test_only_reading_methods(server):
    status, headers, _ = get(server, '/files', 'POST', 'q=a', {'Content-Type': 'application/x-www-form-urlencoded'})
    assert status == 405 and headers['Allow'] == 'GET, HEAD'
    status, _, body = get(server, '/file/app/calc.py', 'HEAD')
    assert status == 200 and body == ''
    assert get(server, '/no/such/page')[0] == 404


def test_static_files_are_served_locally(server):
    _, _, html = get(server, '/')
    assert 'http://' not in html.replace(server.base, '') and 'https://' not in html
    for asset in ('/static/stave.css', '/static/stave.js'):
        status, _, body = get(server, asset)
        assert status == 200 and len(body) > 500


def test_listens_on_loopback_only_by_default(server):
    assert server.host == '127.0.0.1'
    sockets = [line.split() for line in open('/proc/net/tcp').read().splitlines()[1:]]
    ours = [fields[1] for fields in sockets if fields[1].endswith(':%04X' % server.port) and fields[3] == '0A']
    assert ours == ['0100007F:%04X' % server.port]  # 127.0.0.1, not 0.0.0.0


def test_a_new_recording_shows_on_the_overview(tmp_path):
    directory = str(tmp_path)
    url = make_project(directory)
    web = WebServer(url, directory)
    try:
        assert wait_for(lambda: api(web, '/').get('fresh'))
        with open(os.path.join(directory, 'tests', 'test_more.py'), 'w') as handle:
            handle.write('from app.calc import unused\n\n\ndef test_unused():\n    assert unused() == 0\n')
        run([sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--stave', '--stave-store', url,
             'tests/test_more.py'], directory)
        data = wait_for(lambda: (lambda d: d if d.get('fresh') and d['tests'] == 155 else None)(api(web, '/')))
        assert len(data['runs']) == 2
        assert api(web, '/file/app/calc.py')['lines'][13]['tests'] == 1
        run([sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--stave-shadow', '--stave-store', url],
            directory)
        shadow = api(web, '/')['shadow']
        assert [(s['tests'], s['failed'], s['missed']) for s in shadow] == [(155, 1, [])]  # it failed last time
        _, _, html = get(web, '/')
        assert '155' in html and '<span class="good">none</span>' in html
        history = api(web, '/test/' + quote(ADD, safe='/:'))['history']
        assert [entry['outcome'] for entry in history] == ['passed']
    finally:
        assert web.stop() == 0


def test_a_store_without_a_map(tmp_path):
    web = WebServer('sqlite:///' + str(tmp_path / 'empty.db'), str(tmp_path))
    try:
        data = api(web, '/')
        assert data['map'] is False
        status, _, html = get(web, '/')
        assert status == 200 and 'holds no test map yet' in html
        assert 'no test map' in api(web, '/impact?rev=HEAD', status=404)['error']
    finally:
        assert web.stop() == 0


def test_a_busy_port_is_one_clear_line(tmp_path):
    taken = socket.socket()
    taken.bind(('127.0.0.1', 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        result = subprocess.run([sys.executable, os.path.join(ROOT, 'stave.py'), '--store',
                                 'sqlite:///' + str(tmp_path / 's.db'), 'web', '--port', str(port)],
                                env=dict(os.environ, PYTHONPATH=ROOT), capture_output=True, text=True, timeout=60)
    finally:
        taken.close()
    assert result.returncode == 1
    assert 'stave: error: cannot listen on 127.0.0.1:%d' % port in result.stderr
    assert 'Traceback' not in result.stderr


def test_a_host_that_is_not_this_server_is_refused(server):
    status, _, body = get(server, '/api/', headers={'Host': 'rebound.example:%d' % server.port})
    assert status == 400 and 'answers to' in body
    assert get(server, '/api/', headers={'Host': 'localhost:%d' % server.port})[0] == 200


def test_test_ids_holding_slashes_and_percents_have_their_pages(tmp_path):
    from stave.store import connect
    from stave.testmap import MapWriter
    url = 'sqlite:///' + str(tmp_path / 'odd.db')
    odd = ['t.py::test_fetch[http://example.com/a]', 't.py::test_pct[a%2Fb]', 't.py::test_space[a b?c#d]']
    with connect(url) as store:
        MapWriter(store).write(dict((test, {'app.py': {1}}) for test in odd))
    web = WebServer(url, str(tmp_path))
    try:
        for test in odd:
            data = api(web, '/test/' + quote(test, safe='/:'))
            assert data['test'] == test and data['files'] == [{'path': 'app.py', 'lines': 1, 'ranges': [[1, 1]]}]
        status, _, html = get(web, '/line/app.py?line=1')
        assert status == 200 and all('href="/test/%s"' % quote(test, safe='/:') in html for test in odd)
    finally:
        assert web.stop() == 0
