"""The CherryPy application: one handler routes every path to its page's data
(stave.web.pages) and renders it as HTML (Jinja2 templates, every value
escaped) or, under /api/, as JSON.

Safety: the application only reads the map; GET and HEAD everywhere, POST
only for /impact's diff form; a bad parameter is a 400 and an unknown path,
file or test a 404, each with a one-line message, never a traceback.
"""
import json
import logging
import math
import os
import threading
import time
import traceback
from urllib.parse import quote, unquote

import cherrypy
import jinja2

from stave import __version__
from stave.errors import StaveError
from stave.web import pages

HERE = os.path.dirname(os.path.abspath(__file__))

#: path's first segment -> (data function, template, takes the rest of the path, methods)
ROUTES = {
    '': (pages.overview, 'overview.html', False, ('GET', 'HEAD')),
    'files': (pages.files, 'files.html', False, ('GET', 'HEAD')),
    'file': (pages.file_view, 'file.html', True, ('GET', 'HEAD')),
    'line': (pages.line_tests, 'line.html', True, ('GET', 'HEAD')),
    'test': (pages.test_view, 'test.html', True, ('GET', 'HEAD')),
    'impact': (pages.impact, 'impact.html', False, ('GET', 'HEAD', 'POST')),
}

#: The largest request body (a pasted diff) the application reads.
MAX_BODY = 10 * 1024 * 1024


class MapStores(object):
    """A TestMap per server thread, each on its own store connection (a store
    connection is not shared between threads); all closed by close()."""

    def __init__(self, url, connect):
        self.url, self._connect = url, connect
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open = []

    def test_map(self):
        """This thread's TestMap."""
        from stave.testmap import TestMap
        found = getattr(self._local, 'test_map', None)
        if found is None:
            found = self._local.test_map = TestMap(self._connect(self.url))
            with self._lock:
                self._open.append(found.store)
        return found

    def open_map(self):
        """A TestMap on a new connection, for a thread that is not a server thread."""
        from stave.testmap import TestMap
        return TestMap(self._connect(self.url))

    @staticmethod
    def close_map(test_map):
        test_map.store.close()

    def forget(self):
        """Drop this thread's TestMap (its connection failed): the next request opens a new one."""
        found = getattr(self._local, 'test_map', None)
        self._local.test_map = None
        if found is not None:
            with self._lock:
                if found.store in self._open:
                    self._open.remove(found.store)
            try:
                found.store.close()
            except Exception:  # a connection that failed may fail to close: it is dropped anyway
                pass

    def close(self):
        with self._lock:
            stores, self._open = self._open, []
        for store in stores:
            store.close()


class Root(object):
    """Every path, HTML and JSON alike, goes through default()."""

    def __init__(self, site, stores, templates, log, hosts):
        self.site, self.stores, self.templates, self.log, self.hosts = site, stores, templates, log, hosts

    @cherrypy.expose
    def default(self, *segments, **params):
        started = time.time()
        request, response = cherrypy.request, cherrypy.response
        host = request.headers.get('Host', '').rpartition(':')[0] or request.headers.get('Host', '')
        if self.hosts is not None and host.strip('[]') not in self.hosts:
            # Another name for this address: a page elsewhere reaching in by DNS rebinding.
            raise cherrypy.HTTPError(400, 'this server answers to %s only, not %r'
                                     % (', '.join(sorted(self.hosts)), host))
        api = bool(segments) and segments[0] == 'api'
        if api:
            segments = segments[1:]
        name, rest = (segments[0], segments[1:]) if segments else ('', ())
        route = ROUTES.get(name)
        if route is None or bool(rest) != route[2]:
            raise cherrypy.NotFound()
        function, template, takes_path, methods = route
        if request.method not in methods:
            response.headers['Allow'] = ', '.join(methods)
            raise cherrypy.HTTPError(405, 'this page takes %s' % ' or '.join(methods))
        try:
            # The path after /file/ or /test/ as the request line has it: CherryPy's
            # segments and path_info drop empty ones (a test id holding '://' would lose a slash).
            raw = unquote(request.wsgi_environ.get('REQUEST_URI', request.path_info).partition('?')[0])
            args = (raw.split('/', 3 if api else 2)[-1],) if takes_path else ()
            try:
                test_map = self.stores.test_map()
            except StaveError as exc:
                self.stores.forget()
                raise cherrypy.HTTPError(503, 'the store cannot be read: %s' % exc)
            data = function(test_map, self.site, *args + (params,))
            if api:
                response.headers['Content-Type'] = 'application/json'
                body = json.dumps(data, indent=1, sort_keys=True, default=_json_default)
            else:
                api_url = '/api' + quote(request.path_info, safe='/:') + (
                    '?' + request.query_string if request.query_string else '')
                body = self.templates.get_template(template).render(data=data, page=name, api=api_url)
        except pages.BadRequest as exc:
            raise cherrypy.HTTPError(400, str(exc))
        except pages.NotFound as exc:
            raise cherrypy.HTTPError(404, str(exc))
        except cherrypy.HTTPError:
            raise
        except StaveError as exc:  # the store failed under the request: a new connection next time
            self.stores.forget()
            self.log('%s %s: %s' % (request.method, request.path_info, exc), level=logging.WARNING)
            raise cherrypy.HTTPError(503, 'the store cannot be read: %s' % exc)
        except Exception:  # logged with its traceback; the page says only that it failed
            self.log('%s %s failed:\n%s' % (request.method, request.path_info, traceback.format_exc()),
                     level=logging.ERROR)
            raise cherrypy.HTTPError(500, 'stave could not answer this request; its log says why')
        if data.get('ready') is False:  # the first summary of a big map is being computed
            response.status = 503
            response.headers['Retry-After'] = '2'
        # Server time, for the browser's network panel and the benchmark.
        response.headers['Server-Timing'] = 'app;dur=%.1f' % ((time.time() - started) * 1000)
        return body.encode('utf-8')


def _json_default(value):
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError('%r is not JSON' % (value,))


def make_templates():
    """The Jinja2 environment: autoescaping on, so every value shows as text."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(os.path.join(HERE, 'templates')),
        autoescape=True, trim_blocks=True, lstrip_blocks=True)
    environment.filters['url'] = lambda value: quote(str(value), safe='/:')
    environment.globals.update(version=__version__, heat=_heat, when=_when, dict=dict, bool=bool)
    return environment


def _heat(count, most):
    """0..5, the gutter shade of a line run by `count` of at most `most` tests (log scale)."""
    if not count or not most:
        return 0
    return 1 + int(4 * math.log(count) / math.log(most)) if most > 1 else 5


def _when(epoch):
    if epoch in (None, ''):
        return ''
    return time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(float(epoch)))


def error_page(status, message, traceback, version):
    """CherryPy's error page, replaced: the status and the message, escaped;
    never a traceback (an unexpected error is logged, not shown)."""
    from html import escape
    if cherrypy.request.path_info.startswith('/api/'):
        cherrypy.response.headers['Content-Type'] = 'application/json'
        return json.dumps({'error': message, 'status': status})
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s</title>'
            '<link rel="stylesheet" href="/static/stave.css"></head><body><main class="error">'
            '<h1>%s</h1><p>%s</p><p><a href="/">the map</a></p></main></body></html>'
            % (escape(status), escape(status), escape(message)))


def make_app(site, stores, log, host='127.0.0.1'):
    """The WSGI application (a cherrypy.Application) for `site` and `stores`,
    served on `host`: on a loopback address it answers only requests naming
    that address or localhost in their Host header."""
    loopback = host in ('127.0.0.1', 'localhost', '::1') or host.startswith('127.')
    hosts = set([host, 'localhost', '127.0.0.1', '::1']) if loopback else None
    root = Root(site, stores, make_templates(), log, hosts)
    config = {
        '/': {
            'request.show_tracebacks': False,
            'request.show_mismatched_params': False,
            'request.body.maxbytes': MAX_BODY,
            'error_page.default': error_page,
            'tools.encode.on': False,
            'tools.response_headers.on': True,
            'tools.response_headers.headers': [
                ('Content-Type', 'text/html;charset=utf-8'),
                ('X-Content-Type-Options', 'nosniff'),
                # Scripts, styles and everything else from this server only: no inline script runs.
                ('Content-Security-Policy', "default-src 'self'; frame-ancestors 'none'"),
            ],
        },
        '/static': {
            'tools.staticdir.on': True,
            'tools.staticdir.dir': os.path.join(HERE, 'static'),
        },
    }
    app = cherrypy.Application(root, '', config)
    # CherryPy's own logs stay quiet (its loggers would reach the global screen
    # handler): an error the handler catches goes to the bus's log instead.
    app.log.screen = False
    app.log.error_log.propagate = app.log.access_log.propagate = False
    return app
