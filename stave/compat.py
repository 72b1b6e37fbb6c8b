"""The one place that knows which Python runs us (CPython 3, or Jython 2.7).

Modules that Jython loads use only the Python 2.7/3 common subset; every
version test they need lives here, so the rest of the code reads the same on
both runtimes.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import sys
from contextlib import contextmanager

PY2 = sys.version_info[0] == 2
JYTHON = sys.platform.startswith('java')
#: sys.monitoring (PEP 669, CPython 3.12+): the collector's fast tracer.
SYS_MONITORING = sys.version_info >= (3, 12)

if PY2:  # pragma: no cover - exercised by the Jython test pass
    text_type = unicode  # noqa: F821
    binary_type = str
    integer_types = (int, long)  # noqa: F821
    read_line = raw_input  # noqa: F821

    def accumulate(numbers):
        """The running sums of `numbers` (itertools.accumulate, new in Python
        3.2), as a list: on Jython a generator costs more than the sums."""
        sums, total = [], 0
        append = sums.append
        for number in numbers:
            total += number
            append(total)
        return sums
else:
    text_type = str
    binary_type = bytes
    integer_types = (int,)
    read_line = input
    from itertools import accumulate  # noqa: F401

string_types = (text_type, binary_type)


def parse_qsl(*args, **kwargs):
    """urllib's parse_qsl, imported at the first call: a process recording for
    a session (stave.collect.child) loads stave.compat and never needs it."""
    if PY2:
        from urlparse import parse_qsl as parse
    else:
        from urllib.parse import parse_qsl as parse
    return parse(*args, **kwargs)


def to_bytes(value, name):
    """Return `value` as bytes: bytes pass through, text is encoded as UTF-8.

    `name` is the argument's name, used in the TypeError for anything else.
    """
    if isinstance(value, binary_type):
        return value
    if isinstance(value, text_type):
        return value.encode('utf-8')
    raise TypeError("'%s' must be bytes or text, got %s" % (name, type(value).__name__))


def to_text(value):
    """Return `value` as text, decoding bytes as UTF-8 (undecodable bytes replaced)."""
    if isinstance(value, binary_type):
        return value.decode('utf-8', 'replace')
    return text_type(value)


def is_integer(value):
    """True for ints (and longs on Python 2), False for bools and everything else."""
    return isinstance(value, integer_types) and not isinstance(value, bool)


def iteritems(mapping):
    """Iterate over a dict's items without building a list on Python 2."""
    return iter(mapping.items()) if not PY2 else mapping.iteritems()


def native_str(text):
    """Text as the interpreter's native str: unchanged on 3, UTF-8 bytes on 2 (for __repr__)."""
    return text.encode('utf-8') if PY2 else text


@contextmanager
def paused_gc():
    """Pause CPython's cyclic garbage collector for a bulk job (Jython's JVM
    collector cannot be paused, so there it does nothing).

    A bulk import builds millions of sets, dicts and lists that all live until
    it ends; every few hundred allocations the collector would walk them
    again, for nothing (measured: a 10M-triple import takes 65 s with it and
    50 s without)."""
    import gc
    pause = not JYTHON and gc.isenabled()
    if pause:
        gc.disable()
    try:
        yield
    finally:
        if pause:
            gc.enable()
