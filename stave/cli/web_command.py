"""`stave web`: the test map in a browser, until SIGTERM or Ctrl-C."""
from __future__ import absolute_import, division, print_function, unicode_literals

import sys

from stave.cli.serve_command import wait_for_signal


def add_command(commands, common):
    """Add `web` to the CLI's subparsers."""
    web = commands.add_parser(
        'web', parents=[common], help='browse the test map: files, lines, tests, the impact of a change',
        description='Serve web pages over the test map (read only): the overview, each file with its '
                    'heat gutter, the tests of a line, the lines of a test, and the tests a change '
                    'selects; every page is also JSON under /api/. SIGTERM or Ctrl-C stops it.')
    web.add_argument('--host', default='127.0.0.1', help='address to listen on (default: 127.0.0.1)')
    web.add_argument('--port', type=int, default=8080, help='TCP port (default: 8080; 0 picks a free one)')
    web.add_argument('--root', help='project root, where the source files are read (default: the project root)')


class WebCommand(object):
    """The web plugin and the main job of `stave web`, for parsed `args`."""

    def __init__(self, args, url, err=None):
        self.args, self.url = args, url
        self.err = err or sys.stderr
        self.plugin = None

    def subscribe(self, bus):
        """Subscribe the web server plugin to `bus`."""
        from stave.store.url import find_project_root
        from stave.web.plugin import WebPlugin
        self.plugin = WebPlugin(bus, self.url, self.args.root or find_project_root(),
                                host=self.args.host, port=self.args.port)
        self.plugin.subscribe()

    def job(self, store):
        """Announce the address, then wait for a signal."""
        host, port = self.plugin.address()
        self.err.write('stave: web pages of %s on http://%s:%d/ ; Ctrl-C or SIGTERM stops\n' % (self.url, host, port))
        self.err.flush()
        return wait_for_signal()
