"""The map beyond the pytest process, for real: a throwaway project whose
tests call a CherryPy server that a session fixture starts as a subprocess,
use multiprocessing (fork, and spawn through ProcessPoolExecutor), start a
Python subprocess and read data files; recorded with `pytest --stave` (and
-n 2) into a real store file, then each test's lines checked exactly, the
selection after a change to a handler line and to a data file, what a
server killed with SIGKILL or SIGTERM keeps, and `stave record`."""
import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from test_collector import ROOT, interpreters, pytest_run

pytestmark = pytest.mark.slow

WORK = textwrap.dedent('''\
    def square(x):
        return x * x


    def cube(x):
        return x * x * x


    if __name__ == '__main__':
        import sys
        print(cube(int(sys.argv[1])))
''')

SERVER = textwrap.dedent('''\
    import os
    import sys

    import cherrypy

    from app.work import cube, square
    from stave.collect.http import stave_tool

    HERE = os.path.dirname(os.path.abspath(__file__))


    class Api:
        @cherrypy.expose
        def square(self, x):
            return str(square(int(x)))

        @cherrypy.expose
        def cube(self, x):
            return str(cube(int(x)))

        @cherrypy.expose
        def greet(self):
            with open(os.path.join(HERE, 'greeting.txt')) as handle:
                return handle.read()


    def main():
        cherrypy.tools.stave = stave_tool()
        cherrypy.config.update({'server.socket_host': '127.0.0.1', 'server.socket_port': 0,
                                'engine.autoreload.on': False, 'log.screen': False, 'checker.on': False})
        cherrypy.tree.mount(Api(), '/', {'/': {'tools.stave.on': True}})
        cherrypy.engine.signals.subscribe()
        cherrypy.engine.start()
        # One line: no line of the project runs after the announcement, so the whole start-up
        # counts for no test (a line the main thread reached late would go to the test running then).
        print('ready %d' % cherrypy.server.bound_addr[1], flush=True); cherrypy.engine.block()  # noqa: E702


    if __name__ == '__main__':
        main()
''')


def line_of(text, source=SERVER):
    return source.splitlines().index(text) + 1


# The handlers' lines in app/server.py
SQUARE, CUBE = line_of('        return str(square(int(x)))'), line_of('        return str(cube(int(x)))')
GREET = (line_of("        with open(os.path.join(HERE, 'greeting.txt')) as handle:"),
         line_of('            return handle.read()'))

CONFTEST = textwrap.dedent('''\
    import os
    import signal
    import subprocess
    import sys

    import pytest

    ROOT = os.path.dirname(os.path.abspath(__file__))


    @pytest.fixture(scope='session')
    def server():
        process = subprocess.Popen([sys.executable, '-m', 'app.server'], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        line = process.stdout.readline()
        assert line.startswith('ready'), line
        yield process, 'http://127.0.0.1:%s' % line.split()[1]
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


    def get(server, path, headers):
        import urllib.request
        request = urllib.request.Request(server[1] + path, headers=headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read().decode()
''')

TEST_HTTP = textwrap.dedent('''\
    from conftest import get


    def test_square(server, stave_headers):
        assert get(server, '/square?x=3', stave_headers) == '9'


    def test_cube(server, stave_headers):
        assert get(server, '/cube?x=2', stave_headers) == '8'


    def test_greet(server, stave_headers):
        assert get(server, '/greet', stave_headers) == 'hello\\n'
''')

TEST_PROCESSES = textwrap.dedent('''\
    import multiprocessing
    import os
    import subprocess
    import sys
    from concurrent.futures import ProcessPoolExecutor

    from app.work import cube, square

    ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


    def test_pool_fork():
        with multiprocessing.get_context('fork').Pool(2) as pool:
            assert pool.map(square, [1, 2]) == [1, 4]


    def test_pool_forkserver():
        with multiprocessing.get_context('forkserver').Pool(1) as pool:
            assert pool.map(cube, [3]) == [27]


    def test_executor_spawn():
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context('spawn')) as executor:
            assert list(executor.map(cube, [2])) == [8]


    def test_subprocess():
        done = subprocess.run([sys.executable, '-m', 'app.work', '3'], cwd=ROOT, capture_output=True, text=True)
        assert done.stdout.strip() == '27', done.stderr


    def test_exec():
        replaced = 'import os, sys; os.execv(sys.executable, [sys.executable, "-m", "app.work", "2"])'
        done = subprocess.run([sys.executable, '-c', replaced], cwd=ROOT, capture_output=True, text=True)
        assert done.stdout.strip() == '8', done.stderr


    def test_users():
        import json
        with open(os.path.join(ROOT, 'data', 'users.json')) as handle:
            assert json.load(handle) == ['ann', 'bob']
''')

#: Each test's lines in the project's app/ and data/ files, exactly.
EXPECTED = {
    'tests/test_http.py::test_square': {'app/server.py': [SQUARE], 'app/work.py': [2]},
    'tests/test_http.py::test_cube': {'app/server.py': [CUBE], 'app/work.py': [6]},
    'tests/test_http.py::test_greet': {'app/server.py': list(GREET), 'app/greeting.txt': [1]},
    'tests/test_processes.py::test_pool_fork': {'app/work.py': [2]},
    # a child of the fork server, and a spawned one, import app.work themselves: its module-level lines too
    'tests/test_processes.py::test_pool_forkserver': {'app/work.py': [1, 5, 6, 9]},
    'tests/test_processes.py::test_executor_spawn': {'app/work.py': [1, 5, 6, 9]},
    'tests/test_processes.py::test_subprocess': {'app/work.py': [1, 5, 6, 9, 10, 11]},
    'tests/test_processes.py::test_exec': {'app/work.py': [1, 5, 6, 9, 10, 11]},  # what the exec'd program ran
    'tests/test_processes.py::test_users': {'data/users.json': [1]},
}


def git(project, *args):
    return subprocess.run(['git', '-c', 'user.email=t@t', '-c', 'user.name=t'] + list(args), cwd=str(project),
                          check=True, capture_output=True, text=True).stdout


def stave(project, *args):
    return subprocess.run([sys.executable, os.path.join(ROOT, 'stave.py'), '--store', store_url(project)] + list(args),
                          cwd=str(project), env=dict(os.environ, PYTHONPATH=ROOT), capture_output=True, text=True)


def store_url(project):
    return 'sqlite:///' + str(project / 'map.db')


def make_project(directory, flush_seconds='0.2'):
    files = {'app/__init__.py': '', 'app/work.py': WORK, 'app/server.py': SERVER, 'app/greeting.txt': 'hello\n',
             'data/users.json': '["ann", "bob"]\n', 'conftest.py': CONFTEST, 'tests/__init__.py': '',
             'tests/test_http.py': TEST_HTTP, 'tests/test_processes.py': TEST_PROCESSES,
             'pyproject.toml': '[tool.pytest.ini_options]\nstave_child_flush_seconds = "%s"\n' % flush_seconds}
    for path, text in files.items():
        (directory / path).parent.mkdir(parents=True, exist_ok=True)
        (directory / path).write_text(text)
    git(directory, 'init', '-q')
    git(directory, 'add', '-A')
    git(directory, 'commit', '-qm', 'project')
    return directory


def project_lines(project, test):
    """The test's lines in app/ and data/, as `stave query lines-for` gives them."""
    found = stave(project, 'query', 'lines-for', test, '--format', 'json')
    assert found.returncode in (0, 1), found.stderr
    return dict((path, lines) for path, lines in json.loads(found.stdout or '{}').items()
                if path.startswith(('app/', 'data/')))


@pytest.fixture(scope='module')
def recorded(tmp_path_factory):
    """recorded(python, mode): the project recorded by `python` with pytest
    --stave, alone or with -n 2 (made once per module)."""
    made = {}

    def record(python, mode='alone'):
        if (python, mode) not in made:
            project = make_project(tmp_path_factory.mktemp(mode))
            extra = ['-n', '2'] if mode == 'xdist' else []
            result = pytest_run(python, project, '--stave', '--stave-store', store_url(project), *extra)
            assert result.returncode == 0, result.stdout + result.stderr
            made[python, mode] = project
        return made[python, mode]
    return record


@pytest.mark.parametrize('mode', ['alone', 'xdist'])
@pytest.mark.parametrize('version, python', interpreters())
def test_each_test_gets_exactly_the_lines_it_ran_in_other_processes(recorded, version, python, mode):
    project = recorded(python, mode)
    assert dict((test, project_lines(project, test)) for test in EXPECTED) == EXPECTED


@pytest.mark.parametrize('mode', ['alone', 'xdist'])
@pytest.mark.parametrize('version, python', interpreters())
def test_the_servers_start_up_counts_for_no_test(recorded, version, python, mode):
    project = recorded(python, mode)
    outside = project_lines(project, '<process app.server>')
    assert outside['app/server.py'][:3] == [1, 2, 4]  # its imports, run while the session fixture set up
    assert SQUARE not in outside['app/server.py'] and 2 not in outside.get('app/work.py', [])
    listed = json.loads(stave(project, 'query', 'tests', '--format', 'json').stdout)
    assert sorted(listed) == sorted(EXPECTED)  # a pseudo-test is no test


def test_data_files_read_in_other_processes_are_data_files(recorded):
    files = stave(recorded(sys.executable), '-c', 'tm.data_files()')
    assert "'app/greeting.txt'" in files.stdout and "'data/users.json'" in files.stdout, files.stdout + files.stderr


def test_a_changed_handler_line_and_data_file_select_their_tests(recorded):
    project = recorded(sys.executable)
    server = project / 'app' / 'server.py'
    original = server.read_text()
    try:
        server.write_text(original.replace('str(cube(int(x)))', 'str(cube(int(x)) + 0)'))
        (project / 'app' / 'greeting.txt').write_text('hi\n')
        chosen = stave(project, 'select', '--diff', 'HEAD', '--explain', '--format', 'json')
        assert chosen.returncode == 0, chosen.stderr
        assert [(row['test'], row['rule']) for row in json.loads(chosen.stdout)] == [
            ('tests/test_http.py::test_cube', 1), ('tests/test_http.py::test_greet', 9)]
    finally:
        git(project, 'checkout', '--', '.')


def test_a_server_killed_keeps_what_it_flushed(tmp_path):
    """SIGKILL loses at most the last flush interval; what was flushed stays, whole."""
    project = make_project(tmp_path)
    (project / 'tests' / 'test_kill.py').write_text(textwrap.dedent('''\
        import signal
        import time

        from conftest import get


        def test_1_square(server, stave_headers):
            assert get(server, '/square?x=3', stave_headers) == '9'
            time.sleep(1.5)  # several flush intervals: the server writes it out


        def test_2_cube_then_kill(server, stave_headers):
            assert get(server, '/cube?x=2', stave_headers) == '8'
            server[0].send_signal(signal.SIGKILL)  # before its next flush
            server[0].wait()
    '''))
    result = pytest_run(sys.executable, project, '--stave', '--stave-store', store_url(project), 'tests/test_kill.py')
    assert result.returncode == 0, result.stdout + result.stderr
    assert project_lines(project, 'tests/test_kill.py::test_1_square') == {'app/server.py': [SQUARE],
                                                                         'app/work.py': [2]}
    assert project_lines(project, 'tests/test_kill.py::test_2_cube_then_kill') == {}
    assert not list((project / '.stave').glob('sessions/*'))  # the session cleaned up after itself


def test_a_server_stopped_with_sigterm_writes_its_last_lines(tmp_path):
    project = make_project(tmp_path, flush_seconds='600')  # no periodic flush: only the last one
    (project / 'tests' / 'test_term.py').write_text(textwrap.dedent('''\
        import signal

        from conftest import get


        def test_cube_then_term(server, stave_headers):
            assert get(server, '/cube?x=2', stave_headers) == '8'
            server[0].send_signal(signal.SIGTERM)
            assert server[0].wait(timeout=30) == 0
    '''))
    result = pytest_run(sys.executable, project, '--stave', '--stave-store', store_url(project), 'tests/test_term.py')
    assert result.returncode == 0, result.stdout + result.stderr
    assert project_lines(project, 'tests/test_term.py::test_cube_then_term') == {'app/server.py': [CUBE],
                                                                               'app/work.py': [6]}


SLEEPER = textwrap.dedent('''\
    import signal
    import sys
    import threading
    import time

    from app.work import cube

    ASLEEP = [n for n, text in enumerate(open(__file__), 1) if text.rstrip().endswith('# asleep here')][0]


    def state(native):
        with open('/proc/self/task/%d/stat' % native) as stat:
            return stat.read().rsplit(')', 1)[1].split()[0]


    def take_sigterm(main, native):
        \"\"\"Once the main thread sleeps in its lock, take a SIGTERM in this thread.\"\"\"
        while True:
            frame = sys._current_frames().get(main)
            if frame is not None and frame.f_lineno == ASLEEP and state(native) == 'S':
                time.sleep(0.05)
                if state(native) == 'S':
                    break
            time.sleep(0.01)
        signal.pthread_kill(threading.get_ident(), signal.SIGTERM)


    def main(loop_first=False):
        if loop_first:
            import asyncio
            import socket
            ends = socket.socketpair()
            ends[1].setblocking(False)
            assert signal.set_wakeup_fd(ends[1].fileno()) == -1  # stave's is none of the program's business
            assert signal.set_wakeup_fd(-1) == ends[1].fileno()
            loop = asyncio.new_event_loop()
            loop.add_signal_handler(signal.SIGUSR1, print)
            loop.close()  # takes the wakeup fd, and gives it up
        print(cube(2), flush=True)
        never = threading.Lock()
        never.acquire()
        threading.Thread(target=take_sigterm, args=(threading.get_ident(), threading.get_native_id()),
                         daemon=True).start()
        never.acquire()  # asleep here


    if __name__ == '__main__':
        main(sys.argv[1:] == ['asyncio'])
''')


def test_a_sigterm_the_main_thread_sleeps_through_still_ends_the_process_with_its_lines(tmp_path):
    """CPython runs a signal's Python handler in the main thread, when it next
    looks: a SIGTERM that comes while it sleeps in a lock (taken by another
    thread here; in a multiprocessing pool's worker, just before it blocks)
    would leave a process with stave's handler running for ever, where
    without stave it would have ended. It ends, by SIGTERM, with its lines:
    a subprocess (and one whose asyncio loop took the wakeup fd and gave it
    up), and a child of multiprocessing's fork, forkserver (whose children
    give the wakeup fd up) and spawn."""
    project = make_project(tmp_path, flush_seconds='600')  # no periodic flush: only the last one
    (project / 'app' / 'sleeper.py').write_text(SLEEPER)
    (project / 'tests' / 'test_sleeper.py').write_text(textwrap.dedent('''\
        import multiprocessing
        import signal
        import subprocess
        import sys

        import pytest

        from app import sleeper


        @pytest.mark.parametrize('start', ['subprocess', 'asyncio', 'fork', 'forkserver', 'spawn'])
        def test_sleeper(start):
            if start in ('subprocess', 'asyncio'):
                done = subprocess.run([sys.executable, '-m', 'app.sleeper', start], capture_output=True, text=True,
                                      timeout=30)
                assert (done.returncode, done.stdout) == (-signal.SIGTERM, '8\\n'), done.stderr
                return
            child = multiprocessing.get_context(start).Process(target=sleeper.main)
            child.start()
            child.join(30)
            try:
                assert child.exitcode == -signal.SIGTERM
            finally:
                child.kill()
                child.join()
    '''))
    result = pytest_run(sys.executable, project, '--stave', '--stave-store', store_url(project), 'tests/test_sleeper.py')
    assert result.returncode == 0, result.stdout + result.stderr
    for start in ('subprocess', 'asyncio', 'fork', 'forkserver', 'spawn'):
        lines = project_lines(project, 'tests/test_sleeper.py::test_sleeper[%s]' % start)
        assert 6 in lines['app/work.py'], start  # cube(), run by the child alone
        assert line_of('    print(cube(2), flush=True)', SLEEPER) in lines['app/sleeper.py'], start


FORKER = textwrap.dedent('''\
    import os
    import signal
    import sys
    import time

    from app.work import square

    if __name__ == '__main__':
        os.environ.pop('STAVE_RECORD')  # the child records nothing: it keeps all it inherited
        child = os.fork()
        if child == 0:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(30)
            os._exit(3)
        os.waitpid(child, 0)
        time.sleep(0.5)  # time enough for a SIGTERM sent to this process by mistake
        print(square(3), flush=True)
''')


def test_a_forked_childs_sigterm_is_the_childs_alone(tmp_path):
    """A child forked by a recorded process inherits its handler and its
    wakeup fd: the SIGTERM the child takes ends the child, never the parent."""
    project = make_project(tmp_path)
    (project / 'app' / 'forker.py').write_text(FORKER)
    (project / 'tests' / 'test_forker.py').write_text(textwrap.dedent('''\
        import subprocess
        import sys


        def test_forker():
            done = subprocess.run([sys.executable, '-m', 'app.forker'], capture_output=True, text=True, timeout=60)
            assert (done.returncode, done.stdout) == (0, '9\\n'), done.stderr
    '''))
    result = pytest_run(sys.executable, project, '--stave', '--stave-store', store_url(project), 'tests/test_forker.py')
    assert result.returncode == 0, result.stdout + result.stderr
    assert project_lines(project, 'tests/test_forker.py::test_forker')['app/work.py'] == [1, 2, 5, 9]


def test_stave_record_attributes_to_the_running_test_or_its_pseudo_test(tmp_path):
    """A server started by hand with `stave record` while pytest --stave runs:
    its lines go to the test running at the time (here without the header:
    by the session's beacon), and to <process NAME> when no test runs."""
    project = make_project(tmp_path)
    url = store_url(project)
    server = subprocess.Popen([sys.executable, os.path.join(ROOT, 'stave.py'), '--store', url, 'record', '--every',
                               '0.2', '--name', 'api', '--', '-m', 'app.server'],
                              cwd=str(project), env=dict(os.environ, PYTHONPATH=ROOT), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        assert line.startswith('ready'), server.stderr.read()
        (project / 'tests' / 'test_by_hand.py').write_text(textwrap.dedent('''\
            import time
            import urllib.request


            def test_by_hand_cube():
                time.sleep(1.5)  # the server finds the session (it looks four times a second)
                with urllib.request.urlopen('http://127.0.0.1:%s/cube?x=2') as response:
                    assert response.read() == b'8'
                time.sleep(0.5)  # and writes into its spool before the session ends
        ''' % line.split()[1]))
        result = pytest_run(sys.executable, project, '--stave', '--stave-store', url, 'tests/test_by_hand.py')
        assert result.returncode == 0, result.stdout + result.stderr
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0, server.stderr.read()
        server.stdout.close()
        server.stderr.close()
    by_hand = project_lines(project, 'tests/test_by_hand.py::test_by_hand_cube')
    assert by_hand['app/server.py'] == [CUBE] and by_hand['app/work.py'] == [6]
    outside = project_lines(project, '<process api>')
    assert outside['app/server.py'][:3] == [1, 2, 4] and CUBE not in outside['app/server.py']


def test_stave_record_without_a_session_writes_the_map_itself(tmp_path):
    project = make_project(tmp_path)
    done = stave(project, 'record', '--', '-m', 'app.work', '4')
    assert done.returncode == 0 and done.stdout == '64\n', done.stderr
    assert project_lines(project, '<process app.work>') == {'app/work.py': [1, 5, 6, 9, 10, 11]}


def test_stave_record_refuses_what_it_cannot_run(tmp_path):
    project = make_project(tmp_path)
    for args, words in ((['--', 'missing.py'], 'no such file: missing.py'),
                        (['--', '-m', 'no.such.module'], 'no module named no'),
                        (['--', '-m', 'app.missing'], 'cannot run -m app.missing: No module named app.missing'),
                        (['--every', '0', '--', 'x.py'], '--every must be a number of seconds above 0')):
        done = stave(project, 'record', *args)
        assert done.returncode == 2 and words in done.stderr and 'Traceback' not in done.stderr, done.stderr


def test_stave_record_runs_a_submodule_recording_its_package_and_passes_its_exit_on(tmp_path):
    project = make_project(tmp_path)
    (project / 'app' / '__init__.py').write_text('NAME = "app"\n')
    (project / 'app' / 'quits.py').write_text('import sys\n\nsys.exit("gave up: " + sys.argv[1])\n')
    done = stave(project, 'record', '--name', 'quitter', '--', '-m', 'app.quits', 'early')
    assert (done.returncode, done.stderr) == (1, 'gave up: early\n')
    assert project_lines(project, '<process quitter>') == {'app/__init__.py': [1], 'app/quits.py': [1, 3]}


WSGI_SERVER = textwrap.dedent('''\
    import sys
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIServer, make_server

    from app.work import square
    from stave.collect.http import StaveMiddleware


    def app(environ, start_response):
        start_response('200 OK', [('Content-Type', 'text/plain')])
        yield str(square(int(environ['QUERY_STRING']))).encode()


    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True


    if __name__ == '__main__':
        server = make_server('127.0.0.1', 0, StaveMiddleware(app), server_class=Server)
        # One line, as in SERVER: the start-up counts for no test.
        print('ready %d' % server.server_port, flush=True); server.serve_forever()  # noqa: E702
''')


def test_the_wsgi_middleware_gives_a_request_to_the_test_it_names(tmp_path):
    """Two tests call a WSGI server, one naming itself in the header: that one
    gets exactly its request's lines, the body's generator included; the
    other gets its request's lines by the session's beacon."""
    project = make_project(tmp_path)
    (project / 'app' / 'wsgi_server.py').write_text(WSGI_SERVER)
    (project / 'tests' / 'test_wsgi.py').write_text(textwrap.dedent('''\
        import os
        import subprocess
        import sys
        import urllib.request

        import pytest

        ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


        @pytest.fixture(scope='module')
        def wsgi():
            process = subprocess.Popen([sys.executable, '-m', 'app.wsgi_server'], cwd=ROOT,
                                       stdout=subprocess.PIPE, text=True)
            port = process.stdout.readline().split()[1]
            yield 'http://127.0.0.1:%s/?' % port
            process.terminate()
            process.wait(timeout=30)


        def test_named(wsgi, stave_headers):
            request = urllib.request.Request(wsgi + '3', headers=stave_headers)
            assert urllib.request.urlopen(request).read() == b'9'


        def test_not_named(wsgi):
            assert urllib.request.urlopen(wsgi + '4').read() == b'16'
    '''))
    result = pytest_run(sys.executable, project, '--stave', '--stave-store', store_url(project), 'tests/test_wsgi.py')
    assert result.returncode == 0, result.stdout + result.stderr
    body = line_of("    yield str(square(int(environ['QUERY_STRING']))).encode()", WSGI_SERVER)
    start = line_of("    start_response('200 OK', [('Content-Type', 'text/plain')])", WSGI_SERVER)
    assert project_lines(project, 'tests/test_wsgi.py::test_named') == {
        'app/wsgi_server.py': [start, body], 'app/work.py': [2]}
    # Without the header, by the beacon: its own request's lines (and perhaps its neighbour's, never fewer).
    unnamed = project_lines(project, 'tests/test_wsgi.py::test_not_named')
    assert set([start, body]) <= set(unnamed['app/wsgi_server.py']) and unnamed['app/work.py'] == [2]
