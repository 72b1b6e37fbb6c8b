"""The test map's pure encodings."""
import pytest
from hypothesis import given, strategies as st

from stave.testmap import keys


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
