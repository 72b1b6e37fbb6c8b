"""HBase's Java exceptions and stave's errors: one table for both HBase backends.

HBase names its failures by Java class (``TableNotFoundException`` and so on).
The HBase Java client raises them as Java exceptions; HBase's Thrift gateway
sends their names inside its IOError messages. Both backends map them onto
stave's error tree through this table. Portable: no Java is imported here.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.errors import (
    CounterError, NoSuchColumnFamilyError, StoreError, TableExistsError, TableNotDisabledError,
    TableNotEnabledError, TableNotFoundError)

#: stave error class -> the Java exception class HBase raises for the same failure.
#: Order matters when a message is searched: the first name found wins.
HBASE_NAMES = [
    (TableNotFoundError, 'org.apache.hadoop.hbase.TableNotFoundException'),
    (TableExistsError, 'org.apache.hadoop.hbase.TableExistsException'),
    (TableNotEnabledError, 'org.apache.hadoop.hbase.TableNotEnabledException'),
    (TableNotDisabledError, 'org.apache.hadoop.hbase.TableNotDisabledException'),
    (NoSuchColumnFamilyError, 'org.apache.hadoop.hbase.regionserver.NoSuchColumnFamilyException'),
]

_ERROR_BY_NAME = dict((name, cls) for cls, name in HBASE_NAMES)

#: What HBase says when an increment meets a cell that is not an 8-byte long.
NOT_A_LONG = 'Field is not a long'


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
