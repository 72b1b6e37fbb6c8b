"""Row keys and compact encodings of the test map (pure functions).

- A line's row key is ``path:LLLLLL``: the path relative to the project root
  with '/' separators, and the line zero-padded to six digits so that byte
  order is line order. Scan one file with the prefix ``path:`` (colon
  included: 'a.py' must not match 'a.py.orig').
- A test's key is the first 8 bytes of the SHA-1 of its id: the lines
  table's qualifier. Every cell repeats its qualifier, so a short fixed key
  instead of a pytest node id keeps the map small (HBase's key-size advice);
  collisions are detected when a test is written.
- A set of lines is packed as LEB128 varints of the gaps between sorted
  line numbers: a test's lines in one file in a few bytes. A test's row
  keeps them behind the git blob id of the file they were recorded in
  (pack_file_lines): the line numbers mean something only in that content.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import hashlib
import operator

from stave.compat import accumulate, iteritems, text_type
from stave.sentinels import LARGEST_LINE, LINE_KEY_WIDTH
from stave.varints import ONE_BYTE, read_varints, varint

#: The pseudo-test holding the lines run outside any test (imports, module-level
#: code, collection); selection widens a change to such a line to its whole file.
IMPORT_TEST = '<import>'


def is_outside(test_id):
    """True for a pseudo-test of lines run outside any test: '<import>', and
    '<process NAME>' of a process recording for a session (stave record, a
    server); never a real test's id."""
    return test_id.startswith('<') and test_id.endswith('>')

TEST_KEY_SIZE = 8

#: The line part of a row key: b'%06d', the line zero-padded to LINE_KEY_WIDTH digits.
LINE_NUMBER = ('%%0%dd' % LINE_KEY_WIDTH).encode('ascii')


def normalise_path(path):
    """A recorded path: '/' separators, no leading './'."""
    path = path.replace('\\', '/')
    while path.startswith('./'):
        path = path[2:]
    return path


def line_key(path, line):
    """b'path:LLLLLL' for a path (text) and a line number."""
    if not 0 < line <= LARGEST_LINE:
        raise ValueError('line %r of %s is outside 1..%d' % (line, path, LARGEST_LINE))
    return file_prefix(path) + LINE_NUMBER % line


def file_prefix(path):
    """The row-key prefix of every line of `path`, colon included."""
    return (path + ':').encode('utf-8')


def parse_line_key(key):
    """(path, line) from b'path:LLLLLL'."""
    text = key.decode('utf-8')
    path, _, number = text.rpartition(':')
    return path, int(number)


def test_key(test_id):
    """The 8-byte key of a test id (text)."""
    if isinstance(test_id, text_type):
        test_id = test_id.encode('utf-8')
    return hashlib.sha1(test_id).digest()[:TEST_KEY_SIZE]


def pack_lines(ordered):
    """Pack a sorted list of distinct positive line numbers into bytes: the
    first line, then the gap to each next one, as varints."""
    if not ordered:
        return b''
    if ordered[0] < 1:
        raise ValueError('line numbers must be positive, not %r' % ordered[0])
    try:
        # Gaps below 128 (nearly all) are one byte each: built in C.
        gaps = bytearray(map(operator.sub, ordered[1:], ordered[:-1]))
    except ValueError:  # a gap of 256 or more (or a negative one)
        gaps = None
    if gaps is not None and 0 not in gaps and (not gaps or max(gaps) < 0x80):
        return varint(ordered[0]) + bytes(gaps)
    gaps = list(map(operator.sub, ordered[1:], ordered[:-1]))
    if min(gaps) < 1:
        raise ValueError('line numbers must be sorted and distinct')
    return b''.join([varint(ordered[0])] + [varint(gap) for gap in gaps])


def unpack_lines(data):
    """The sorted list of line numbers packed by pack_lines."""
    return list(accumulate(read_varints(data)))


#: The size of a git blob id (SHA-1), as stored: raw bytes.
BLOB_SIZE = 20


def pack_file_lines(blob, ordered):
    """A test's lines in one file as its row stores them: the length of the
    file's blob id (0 when unknown, else 20), the raw blob id, then the packed
    lines. One value, so the lines and the content they number never part."""
    blob = blob or b''
    return ONE_BYTE[len(blob)] + blob + pack_lines(ordered)


def pack_index(blob, test_name):
    """A b: index cell of tm_files: the length of the blob id (0 when unknown),
    the raw blob id, then the test's id (bytes), so that the index names the
    file's tests without a lookup of each."""
    blob = blob or b''
    return ONE_BYTE[len(blob)] + blob + test_name


def unpack_index(data):
    """(raw blob id or None, test id bytes) from pack_index."""
    size = bytearray(data[:1])[0]
    return (data[1:1 + size] or None), data[1 + size:]


def unpack_file_lines(data):
    """(blob id as raw bytes or None, sorted list of lines) from pack_file_lines."""
    size = bytearray(data[:1])[0]
    return (data[1:1 + size] or None), unpack_lines(data[1 + size:])


#: Ends a file's path in the l: column where a writer adding lines keeps its
#: part of them (stave.testmap.writer: add).
PART_MARK = b'\x00'


def file_column(path, part=None):
    """The tm_tests column of a test's lines of `path`: b'l:<path>', or the
    column of a writer's part, b'l:<path>\\x00<part>'."""
    return b'l:' + path.encode('utf-8') + (PART_MARK + part if part else b'')


def files_of_row(row):
    """{path: (raw blob or None, set(lines), [(column, timestamp)], set(other
    lines))} of a test row's l: columns, read with their timestamps
    ({column: (value, ts)}).

    A file's lines may be in several columns: its main one and the parts of
    writers that added lines at the same time. The newest column's blob
    numbers them; the lines of every column of that blob count. The lines of
    columns of another blob are the test's no longer, but their cells may
    still be in the lines table: `other lines` names them, for the writer."""
    columns = {}
    for column, (value, stamp) in iteritems(row):
        if column.startswith(b'l:'):
            path = column[2:].split(PART_MARK, 1)[0].decode('utf-8')
            columns.setdefault(path, []).append((stamp, column, value))
    files = {}
    for path, found in iteritems(columns):
        found.sort()
        blob, lines = unpack_file_lines(found[-1][2])
        lines, others = set(lines), set()
        for _, _, value in found[:-1]:
            other, more = unpack_file_lines(value)
            (lines if other == blob else others).update(more)
        files[path] = (blob, lines, [(column, stamp) for stamp, column, _ in found], others - lines)
    return files
