"""`stave serve`: the store over HBase's Thrift1 interface, until SIGTERM or Ctrl-C."""
from __future__ import absolute_import, division, print_function, unicode_literals

import sys
import time

from stave.exit_status import EXIT_OK


def add_command(commands, common):
    """Add `serve` to the CLI's subparsers."""
    serve = commands.add_parser(
        'serve', parents=[common], help="serve the store over HBase's Thrift1 interface (happybase's)",
        description="Serve the store as an HBase Thrift1 gateway, so happybase, other HBase Thrift "
                    "clients and stave's thrift:// URLs can use it. One port accepts both transports "
                    "and both protocols unless --transport/--protocol pin them. SIGTERM or Ctrl-C "
                    "stops it cleanly.")
    serve.add_argument('--host', default='127.0.0.1', help='address to listen on (default: 127.0.0.1)')
    serve.add_argument('--port', type=int, default=9090, help='TCP port (default: 9090; 0 picks a free one)')
    serve.add_argument('--transport', choices=('auto', 'buffered', 'framed'), default='auto',
                       help='accept only this Thrift transport (default: auto, both)')
    serve.add_argument('--protocol', choices=('auto', 'binary', 'compact'), default='auto',
                       help='accept only this Thrift protocol (default: auto, both)')


class ServeCommand(object):
    """The Thrift server plugin and the main job of `stave serve`, for parsed `args`."""

    def __init__(self, args, url, err=None):
        self.args, self.url = args, url
        self.err = err or sys.stderr
        self.plugin = None

    def subscribe(self, bus):
        """Subscribe the Thrift server plugin to `bus`; StaveError for a store it cannot serve."""
        from stave.thriftserver.plugin import ThriftServerPlugin
        args = self.args
        self.plugin = ThriftServerPlugin(bus, self.url, host=args.host, port=args.port,
                                         transport=None if args.transport == 'auto' else args.transport,
                                         protocol=None if args.protocol == 'auto' else args.protocol)
        self.plugin.subscribe()

    def job(self, store):
        """Announce the address, then wait for a signal (the signal plugin ends the wait)."""
        host, port = self.plugin.server.address
        self.err.write('stave: serving %s as HBase Thrift1 on %s:%d (thrift://%s:%d); Ctrl-C or SIGTERM '
                       'stops\n' % (self.url, host, port, host, port))
        self.err.flush()
        return wait_for_signal()


def wait_for_signal():
    """The job of a server command: wait until Ctrl-C (exit status 0) or a
    signal the signal plugin turns into SystemExit."""
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return EXIT_OK
