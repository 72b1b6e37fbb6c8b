"""The socket side of `stave serve`: accept connections, tell which transport and
protocol each client speaks, and pump its calls through a Handler.

HBase's Thrift clients negotiate nothing: the server must speak the client's
transport (buffered or framed) and protocol (binary or compact). The first
bytes tell them apart, so by default one port accepts all four:

    80 01 ...         buffered, binary (a strict binary message header)
    82 ...            buffered, compact
    00 xx xx xx 80    framed (a 4-byte length), binary
    00 xx xx xx 82    framed, compact

Each connection gets a thread, its own store connection and its own
scanners. Idle connections are kept (a shell may sit for hours); a client that
disconnects, or sends bytes that are not Thrift, loses its connection and
nothing else: the store and the other clients carry on.
"""
import logging
import socket
import threading

import happybase  # noqa: F401  (loads the IDL as the module Hbase_thrift)
from Hbase_thrift import Hbase
from thriftpy2.protocol import TBinaryProtocol, TCompactProtocol
from thriftpy2.thrift import TProcessor
from thriftpy2.transport import TBufferedTransport, TFramedTransport, TSocket, TTransportException

from stave.thriftserver.handler import Handler

log = logging.getLogger(__name__)

TRANSPORTS = {'buffered': TBufferedTransport, 'framed': TFramedTransport}
PROTOCOLS = {'binary': TBinaryProtocol, 'compact': TCompactProtocol}

_BINARY, _COMPACT = 0x80, 0x82


def sniff(head):
    """(transport, protocol) from a connection's first five bytes, or None if
    they do not start a Thrift message."""
    if len(head) >= 2 and head[0] == _BINARY and head[1] == 0x01:
        return 'buffered', 'binary'
    if len(head) >= 1 and head[0] == _COMPACT:
        return 'buffered', 'compact'
    if len(head) >= 5 and head[4] in (_BINARY, _COMPACT):
        return 'framed', 'binary' if head[4] == _BINARY else 'compact'
    return None


class ThriftServer(object):
    """HBase's Thrift1 service over the stores `open_store()` returns.

    `transport` and `protocol` are None to accept every kind (sniffed per
    connection), or a name to refuse clients speaking anything else.
    """

    def __init__(self, open_store, host='127.0.0.1', port=9090, transport=None, protocol=None):
        for value, known in ((transport, TRANSPORTS), (protocol, PROTOCOLS)):
            if value is not None and value not in known:
                raise ValueError('%r is not one of %s' % (value, ', '.join(sorted(known))))
        self._open_store = open_store
        self.host, self.port = host, port
        self.transport, self.protocol = transport, protocol
        self._listener = None
        self._accepting = None
        self._clients = {}  # socket -> thread
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    @property
    def address(self):
        """(host, port) the server listens on (the real port if 0 was asked)."""
        return self._listener.getsockname()[:2]

    def start(self):
        """Bind, listen and accept in a background thread."""
        family = socket.AF_INET6 if ':' in self.host else socket.AF_INET
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind((self.host, self.port))
        except OSError:
            listener.close()
            raise
        listener.listen(128)
        listener.settimeout(0.25)  # how often the accept loop checks for stop()
        self._listener = listener
        self.port = self.address[1]
        self._stopping.clear()
        self._accepting = threading.Thread(target=self._accept_loop, name='stave-thrift-accept')
        self._accepting.daemon = True
        self._accepting.start()
        log.info('serving HBase Thrift1 on %s:%d (%s/%s)', self.host, self.port,
                 self.transport or 'any transport', self.protocol or 'any protocol')

    def stop(self, timeout=5.0):
        """Stop accepting, disconnect every client, wait for their threads."""
        if self._listener is None:
            return
        self._stopping.set()
        self._accepting.join(timeout)
        self._listener.close()
        self._listener = None
        with self._lock:
            clients = list(self._clients.items())
        for client, _ in clients:
            try:
                client.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked reading it
            except OSError:
                pass
        for _, thread in clients:
            thread.join(timeout)
        log.info('stopped serving on %s:%d', self.host, self.port)

    def _accept_loop(self):
        while not self._stopping.is_set():
            try:
                client, address = self._listener.accept()
            except socket.timeout:
                continue
            except OSError as exc:
                if not self._stopping.is_set():
                    log.warning('accept failed: %s', exc)
                continue
            client.settimeout(None)  # idle clients are kept
            # Without it, buffered replies wait for the peer's delayed ACK.
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            thread = threading.Thread(target=self._serve_client, args=(client, address),
                                      name='stave-thrift-%s:%s' % address[:2])
            thread.daemon = True
            with self._lock:
                self._clients[client] = thread
            thread.start()

    def _serve_client(self, client, address):
        peer = '%s:%s' % address[:2]
        handler = Handler(self._open_store, server_name=self.host.encode('ascii'), port=self.port)
        try:
            kind = self._kind_of(client, peer)
            if kind is not None:
                log.debug('%s speaks %s/%s', peer, *kind)
                self._pump(client, kind, handler)
        except TTransportException:
            pass  # the client closed the connection
        except Exception as exc:  # garbage on the wire, a reset: drop this client only
            log.warning('closed the connection from %s: %s: %s', peer, type(exc).__name__, exc)
        finally:
            handler.close()
            with self._lock:
                self._clients.pop(client, None)
            client.close()

    def _kind_of(self, client, peer):
        """The (transport, protocol) the client speaks, or None (and a log line) if refused."""
        head = client.recv(5, socket.MSG_PEEK | socket.MSG_WAITALL)
        if not head:
            return None
        kind = sniff(head)
        if kind is None:
            log.warning('closed the connection from %s: its first bytes %r are not a Thrift message',
                        peer, head)
            return None
        wanted = (self.transport or kind[0], self.protocol or kind[1])
        if kind != wanted:
            log.warning('refused %s: it speaks %s/%s, this server only %s/%s', peer, kind[0], kind[1], *wanted)
            return None
        return kind

    def _pump(self, client, kind, handler):
        transport = TRANSPORTS[kind[0]](TSocket(sock=client, socket_timeout=None))
        protocol = PROTOCOLS[kind[1]](transport)
        processor = TProcessor(Hbase, handler)
        while not self._stopping.is_set():
            processor.process(protocol, protocol)
            handler.read_ahead()
