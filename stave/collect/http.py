"""Exact attribution of an HTTP service's lines to the tests that call it.

A test names itself in a request header (X-Stave-Test: its node id; the
pytest fixture `stave_headers` gives the header to put on the test's HTTP
client). In a process that records (stave.collect.process: a server a
session fixture started, or `stave record`), the WSGI middleware or the
CherryPy tool traces the lines of such a request in its own thread and gives
them to the named test alone, whatever other tests run meanwhile (pytest-xdist).
A request without the header counts for the tests the process follows, as
every other line does. Both count the requests, so that at a test change
the process's recorder knows whether a request was in flight or began
since the last change (stave.collect.process says what it does with that).

    app = StaveMiddleware(app)                     # any WSGI application
    cherrypy.tools.stave = stave_tool()            # or, in a CherryPy app:
    config = {'/': {'tools.stave.on': True}}
"""
import sys
import threading
from contextlib import contextmanager

from stave.collect.process import current

HEADER = 'X-Stave-Test'
_ENVIRON_KEY = 'HTTP_' + HEADER.upper().replace('-', '_')


class Requests:
    """The requests without the header being served now (`in_flight`) and
    begun so far (`begun`), which the process's recorder reads at a test
    change (see stave.collect.process). Requests naming their test are left
    out: their lines go to that test alone, whenever the change comes."""

    def __init__(self):
        self._lock = threading.Lock()
        self.in_flight = self.begun = 0

    def enter(self):
        with self._lock:
            self.in_flight += 1
            self.begun += 1

    def leave(self):
        with self._lock:
            self.in_flight -= 1


_requests = Requests()


def _report_requests():
    """Tell this process's recorder that its HTTP requests are counted here."""
    recorder = current()
    if recorder is not None:
        recorder.requests = _requests


@contextmanager
def exact(recorder, test):
    """Trace the lines this thread runs inside the block for `test` alone
    (nothing special when `test` is empty)."""
    if not test:
        yield
        return
    hits = set()
    relative = recorder.filter.relative

    def local(frame, event, arg):
        if event == 'line':
            hits.add((frame.f_code.co_filename, frame.f_lineno))
        return local

    def calls(frame, event, arg):
        return local if relative(frame.f_code.co_filename) is not None else None
    previous = sys.gettrace()
    ident = threading.get_ident()
    recorder.exclusive(ident, True)  # the process's own tracer leaves this thread's lines alone
    sys.settrace(calls)
    try:
        yield
    finally:
        sys.settrace(previous)
        recorder.add_exact(test, hits, recorder.exclusive(ident, False))


class StaveMiddleware:
    """WSGI middleware: a request with the X-Stave-Test header counts for that test alone."""

    def __init__(self, app):
        self.app = app
        _report_requests()

    def __call__(self, environ, start_response):
        recorder = current()
        if recorder is None:
            return self.app(environ, start_response)
        test = environ.get(_ENVIRON_KEY)
        if not test:
            _requests.enter()
        try:
            with exact(recorder, test):
                result = self.app(environ, start_response)
        except BaseException:
            if not test:
                _requests.leave()
            raise
        return _Body(result, recorder, test)


class _Body:
    """The application's response, its iteration and close() traced too (a
    body may be generated lazily); the request ends at close()."""

    def __init__(self, result, recorder, test):
        self.result, self.recorder, self.test = result, recorder, test

    def __iter__(self):
        chunks = iter(self.result)
        while True:
            with exact(self.recorder, self.test):
                try:
                    chunk = next(chunks)
                except StopIteration:
                    return
            yield chunk

    def close(self):
        try:
            if hasattr(self.result, 'close'):
                with exact(self.recorder, self.test):
                    self.result.close()
        finally:
            if not self.test:
                _requests.leave()


def stave_tool():
    """A CherryPy tool (`cherrypy.tools.stave = stave_tool()`) doing what the
    middleware does, from the start of a request's resource to its end."""
    import cherrypy

    def start():
        recorder = current()
        if recorder is None:
            return
        test = cherrypy.request.headers.get(HEADER)
        if not test:
            _requests.enter()
        block = exact(recorder, test)
        block.__enter__()
        cherrypy.request.stave_exact = block, test
        cherrypy.request.hooks.attach('on_end_resource', end, priority=90)

    def end():
        block, test = getattr(cherrypy.request, 'stave_exact', (None, None))
        if block is not None:
            cherrypy.request.stave_exact = None
            try:
                block.__exit__(None, None, None)
            finally:
                if not test:
                    _requests.leave()
    _report_requests()
    return cherrypy.Tool('on_start_resource', start, priority=10)
