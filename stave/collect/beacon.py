"""Which test is running now, told by a pytest session to the other processes
recording for it (its subprocesses, the servers its tests talk to).

The beacon is a small file that the session maps into memory and rewrites at
every test start and end; readers map the same file and look at it from a
thread every few milliseconds. One read is a memory access, no system call.
Writes follow a sequence lock: the counter is odd while a write is under
way, and a reader retries until it sees the same even counter before and
after reading the id.

    bytes 0-7    counter (unsigned, little-endian): even when stable
    bytes 8-11   length of the id in bytes; 0: no test runs
    bytes 12-    the test id, UTF-8
"""
import mmap
import os
import struct

SIZE = 64 * 1024
_HEADER = struct.Struct('<QI')
_LONGEST = SIZE - _HEADER.size


class Beacon:
    """The beacon file at `path`: the session creates it (`create=True`) and
    set()s the running test; readers read()."""

    def __init__(self, path, create=False):
        self.path = path
        flags = os.O_RDWR | (os.O_CREAT if create else 0)
        descriptor = os.open(path, flags, 0o600)
        try:
            if create:
                os.ftruncate(descriptor, SIZE)
            self._map = mmap.mmap(descriptor, SIZE)
        finally:
            os.close(descriptor)
        self._counter = 0  # the writer's (the session's) count; readers read the map

    def set(self, test_id):
        """Tell the readers that `test_id` runs now (None: no test runs).
        An id too long for the beacon reads as no test."""
        data = test_id.encode('utf-8') if test_id is not None else b''
        if len(data) > _LONGEST:
            data = b''
        self._counter += 1  # odd: a write is under way
        struct.pack_into('<Q', self._map, 0, self._counter)
        self._map[_HEADER.size:_HEADER.size + len(data)] = data
        struct.pack_into('<I', self._map, 8, len(data))
        self._counter += 1
        struct.pack_into('<Q', self._map, 0, self._counter)

    def read(self):
        """(counter, test id or None) as last set. A writer that died in the
        middle of a write (its session is gone) reads as no test."""
        for _ in range(10000):
            before, length = _HEADER.unpack_from(self._map, 0)
            if before % 2:
                continue
            data = self._map[_HEADER.size:_HEADER.size + min(length, _LONGEST)]
            if _HEADER.unpack_from(self._map, 0)[0] == before:
                return before, data.decode('utf-8', 'replace') if data else None
        return before, None

    def close(self):
        self._map.close()
