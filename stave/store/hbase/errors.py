"""The HBase Java client's exceptions as stave's errors, through the table of
HBase's exception names (stave.store.hbase_names). Portable: no Java is
imported here."""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.errors import CounterError, StoreError
from stave.store.hbase_names import HBASE_NAMES, NOT_A_LONG

_ERROR_BY_NAME = dict((name, cls) for cls, name in HBASE_NAMES)


class HBaseArgumentError(StoreError, ValueError):
    """HBase refused an argument (java.lang.IllegalArgumentException)."""


def from_java(exc, doing, where):
    """The stave error for Java exception `exc`, raised while `doing` (e.g.
    'scan of table t') against the cluster `where`.

    The cause chain is searched, and so are the causes a batch collects
    (RetriesExhaustedWithDetailsException), for the first exception HBase
    names, by class (a RemoteException the client could not rebuild carries
    it as getClassName()) or else in its message. Anything else becomes a
    StoreError: one HBase refused (a DoNotRetryIOException) as is, others
    with a hint about reaching the cluster.
    """
    chain = list(_causes(exc))
    for cause in chain:
        cls = _ERROR_BY_NAME.get(_class_name(cause))
        if cls is not None:
            return cls(_message(cause))
    for cause in chain:
        message = _message(cause)
        for cls, name in HBASE_NAMES:
            if name in message:
                return cls(message.split(name, 1)[1].lstrip(':').strip())
        if NOT_A_LONG in message:
            return CounterError('%s: the cell is not an 8-byte counter (%s)' % (doing, message))
        if _class_name(cause) == 'java.lang.IllegalArgumentException':
            return HBaseArgumentError('%s: HBase refused an argument: %s' % (doing, message))
    first = chain[0]
    text = '%s failed: %s: %s' % (doing, _class_name(first), _message(first))
    if any(_refused(cause) for cause in chain):
        return StoreError(text)
    return StoreError(text, hint='is the HBase cluster at %s up, and its ZooKeeper quorum reachable?' % where)


def _class_name(exc):
    """The Java class name of an exception, or of the remote one it stands for."""
    remote = getattr(exc, 'getClassName', None)  # org.apache.hadoop.ipc.RemoteException
    return remote() if remote is not None else exc.getClass().getName()


def _refused(exc):
    """True if HBase refused the request (a DoNotRetryIOException): retrying cannot help."""
    cls = exc.getClass()
    while cls is not None:
        if cls.getName() == 'org.apache.hadoop.hbase.DoNotRetryIOException':
            return True
        cls = cls.getSuperclass()
    return False


def _causes(exc):
    """`exc`, its causes, and the causes a batch exception collected, each once."""
    seen, pending = [], [exc]
    while pending:
        current = pending.pop(0)
        if current is None or any(current is known for known in seen):
            continue
        seen.append(current)
        if hasattr(current, 'getNumExceptions'):  # RetriesExhaustedWithDetailsException
            pending.extend(current.getCause(i) for i in range(current.getNumExceptions()))
        pending.append(current.getCause())
    return seen


def _message(exc):
    """A Java exception's message, first line only (HBase appends server stack traces)."""
    return (exc.getMessage() or exc.getClass().getSimpleName()).split('\n')[0].strip()
