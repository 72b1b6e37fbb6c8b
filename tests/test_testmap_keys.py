"""The test map's pure encodings."""
import pytest
from hypothesis import given, strategies as st

from stave.sentinels import LARGEST_LINE, LINE_KEY_WIDTH
from stave.testmap import keys
from stave.varints import read_varint, read_varints, varint


def test_line_keys_sort_in_line_order_and_round_trip():
    made = [keys.line_key('app/db.py', n) for n in (1, 9, 10, 212, 999999)]
    assert made == sorted(made)
    assert made[3] == b'app/db.py:000212'
    assert keys.parse_line_key(made[3]) == ('app/db.py', 212)
    assert keys.parse_line_key(keys.line_key('a:b.py', 3)) == ('a:b.py', 3)
    for bad in (0, -1, 1000000):
        with pytest.raises(ValueError):
            keys.line_key('a.py', bad)


def test_file_prefix_keeps_the_colon():
    assert keys.file_prefix('a.py') == b'a.py:'
    assert not keys.line_key('a.py.orig', 1).startswith(keys.file_prefix('a.py'))


def test_paths_are_normalised():
    assert keys.normalise_path('./app\\db.py') == 'app/db.py'


def test_test_keys_are_eight_stable_bytes():
    key = keys.test_key('tests/test_db.py::test_save')
    assert len(key) == 8 and key == keys.test_key(b'tests/test_db.py::test_save')
    assert key != keys.test_key('tests/test_db.py::test_load')


@given(st.sets(st.integers(min_value=1, max_value=10 ** 6 - 1), max_size=300))
def test_packed_lines_round_trip(lines):
    packed = keys.pack_lines(sorted(lines))
    assert keys.unpack_lines(packed) == sorted(lines)
    assert len(packed) <= 3 * len(lines)


@pytest.mark.parametrize('lines', [[3, 2], [2, 2], [0, 5], [1, 300, 299]])
def test_packing_refuses_lines_out_of_order_repeated_or_not_positive(lines):
    with pytest.raises(ValueError):
        keys.pack_lines(lines)


BOUNDARIES = [0, 127, 128, 16383, 16384, 2 ** 35]


@pytest.mark.parametrize('number, size', list(zip(BOUNDARIES, [1, 1, 2, 2, 3, 6])))
def test_varints_round_trip_through_the_one_decoder_at_byte_boundaries(number, size):
    encoded = varint(number)
    assert len(encoded) == size
    assert read_varint(bytearray(b'\x00' + encoded + b'\x00'), 1) == (number, 1 + size)
    assert read_varints(encoded) == [number]


def test_a_run_of_varints_reads_back_in_order_whatever_their_lengths():
    numbers = BOUNDARIES + list(reversed(BOUNDARIES)) + [1, 2, 3] + BOUNDARIES
    assert read_varints(b''.join(varint(n) for n in numbers)) == numbers
    assert read_varints(b'') == []


@given(st.lists(st.one_of(st.integers(0, 127), st.integers(0, 2 ** 40)), max_size=200))
def test_read_varints_reads_what_varint_wrote(numbers):
    assert read_varints(b''.join(varint(n) for n in numbers)) == numbers


def test_line_keys_hold_the_shared_line_width_up_to_the_largest_line():
    assert keys.line_key('a.py', LARGEST_LINE) == b'a.py:' + b'9' * LINE_KEY_WIDTH
    assert keys.line_key('a.py', 7) == b'a.py:' + b'7'.rjust(LINE_KEY_WIDTH, b'0')
    with pytest.raises(ValueError, match='outside 1..%d' % LARGEST_LINE):
        keys.line_key('a.py', LARGEST_LINE + 1)
