"""Errors across the Thrift wire, both ways, in one table.

HBase's Thrift gateway reports a failed call as the IDL's IOError (or
IllegalArgument, AlreadyExists) whose message starts with the Java exception's
class name, e.g. ``org.apache.hadoop.hbase.TableNotFoundException: t``.
``stave serve`` writes its messages the same way, so the client side turns
both a real HBase's errors and stave's own back into stave's error tree.
"""
import re

from stave.errors import CounterError, FilterSyntaxError, StaveError, StoreError, TableNotFoundError
from stave.store.hbase_names import HBASE_NAMES, NOT_A_LONG

#: Errors HBase has no own class for travel under stave's name.
STAVE_NAMES = [
    (CounterError, 'stave.errors.CounterError'),
    (FilterSyntaxError, 'stave.errors.FilterSyntaxError'),
]

#: HBase's Thrift server's own words for deleteTable of a missing table.
NO_SUCH_TABLE = 'java.io.IOException: table does not exist'

_POSITION = re.compile(r'at position (\d+) in filter string:\n  (.*)\n')


class RemoteArgumentError(StoreError, ValueError):
    """The server refused an argument (Thrift IllegalArgument)."""


class RemoteTypeError(StoreError, TypeError):
    """The server refused an argument of the wrong type."""


def wire_message(error):
    """The message `stave serve` sends for a stave or Python error: prefixed
    with the class name a client can recognise."""
    for cls, name in HBASE_NAMES + STAVE_NAMES:
        if isinstance(error, cls):
            return '%s: %s' % (name, error)
    if isinstance(error, StaveError):
        return 'stave.errors.%s: %s' % (type(error).__name__, error)
    return '%s: %s' % (type(error).__name__, error)


def from_wire(message, illegal_argument=False):
    """The stave error for a message received in an IOError or IllegalArgument."""
    for cls, name in HBASE_NAMES + STAVE_NAMES:
        if name in message:
            text = _strip_name(message, name)
            if cls is FilterSyntaxError:
                return _filter_syntax_error(text)
            return cls(text)
    if message.startswith(NO_SUCH_TABLE):
        return TableNotFoundError(message.split('\n')[0])
    if NOT_A_LONG in message:  # a real HBase's answer to incrementing a non-counter
        return CounterError(message.split('\n')[0])
    if message.startswith('TypeError: '):
        return RemoteTypeError(message[len('TypeError: '):])
    if illegal_argument or message.startswith(('ValueError: ', 'java.lang.IllegalArgumentException: ')):
        return RemoteArgumentError(message.split(': ', 1)[-1])
    return StoreError(message)


def _strip_name(message, name):
    """The message after 'Name: ', up to the end of its first line (HBase 2
    sends a whole Java stack trace after it)."""
    text = message.split(name, 1)[1].lstrip(':').strip()
    return text.partition('\n\tat ')[0]


def _filter_syntax_error(text):
    """Rebuild a FilterSyntaxError from its message, keeping text and position."""
    error = FilterSyntaxError.__new__(FilterSyntaxError)
    StaveError.__init__(error, text)
    found = _POSITION.search(text + '\n')
    error.position = int(found.group(1)) if found else -1
    error.text = found.group(2) if found else None
    return error
