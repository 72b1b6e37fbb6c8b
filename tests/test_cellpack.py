"""cellpack: the packed cell groups of the embedded store round-trip.

Property tests over seeded random inputs (the `random` module with fixed
seeds, so a failure replays): whatever cells go in through pack_cells,
pack_cell_dict or pack_columns, unpack_cells gives them back sorted by
qualifier with one cell per qualifier. The lengths include the varint
boundaries (127/128 bytes: one or two length bytes; 16383/16384: two or
three) and the empty qualifier and value. CellGroup, the group on its way to
the store, packs and merges by the same rules.
"""
import random

import pytest

from stave.store.sqlite.cellpack import (CellGroup, pack_cell_dict, pack_cells, pack_columns, unpack_cells,
                                        unpack_qualifiers)

SEEDS = range(40)
#: Lengths around the varint boundaries, and a few ordinary ones.
BOUNDARY_LENGTHS = [0, 1, 2, 126, 127, 128, 129, 300, 16383, 16384, 16385]
SHORT_LENGTHS = [0, 1, 2, 3, 5, 8, 20]


def random_bytes(rng, length):
    """`length` bytes drawn from all 256 values (non-ASCII and NUL included)."""
    return rng.getrandbits(8 * length).to_bytes(length, 'little') if length else b''


def random_length(rng):
    """Mostly short, as real qualifiers and values are; now and then a boundary."""
    return rng.choice(BOUNDARY_LENGTHS) if rng.random() < 0.2 else rng.choice(SHORT_LENGTHS)


def random_qualifiers(rng, count):
    """`count` qualifiers, with repeats (a small alphabet for short ones)."""
    qualifiers = []
    for _ in range(count):
        if qualifiers and rng.random() < 0.15:
            qualifiers.append(rng.choice(qualifiers))
        elif rng.random() < 0.5:
            qualifiers.append(bytes(rng.choice(b'ab\x00\xff') for _ in range(rng.choice([0, 1, 2]))))
        else:
            qualifiers.append(random_bytes(rng, random_length(rng)))
    return qualifiers


def random_cells(rng):
    """{qualifier: value} of 0 to 12 cells."""
    qualifiers = random_qualifiers(rng, rng.randrange(13))
    return dict((qualifier, random_bytes(rng, random_length(rng))) for qualifier in qualifiers)


@pytest.mark.parametrize('seed', SEEDS)
def test_pack_cells_round_trips_sorted_unique_cells(seed):
    rng = random.Random(seed)
    for _ in range(20):
        cells = sorted(random_cells(rng).items())
        assert unpack_cells(pack_cells(cells)) == cells


@pytest.mark.parametrize('seed', SEEDS)
def test_unpack_qualifiers_gives_the_qualifiers_of_any_group(seed):
    # Marker groups (one length, no value) take a path of slices alone; any
    # other group, even one that looks like them in places, the general one.
    rng = random.Random(500 + seed)
    for _ in range(40):
        if rng.random() < 0.5:
            size = rng.choice([0, 1, 8, 126, 127, 128])
            cells = [(q, b'') for q in sorted(set(random_bytes(rng, size) for _ in range(rng.randrange(0, 20))))]
            if cells and rng.random() < 0.3:
                cells[rng.randrange(len(cells))] = (cells[0][0], b'\x00')  # one value breaks the pattern
                cells = sorted(dict(cells).items())
        else:
            cells = sorted(random_cells(rng).items())
        packed = pack_cells(cells)
        assert unpack_qualifiers(packed) == [q for q, _ in cells]


@pytest.mark.parametrize('seed', SEEDS)
def test_pack_cell_dict_round_trips_as_cells_sorted_by_qualifier(seed):
    rng = random.Random(1000 + seed)
    for _ in range(20):
        cells = random_cells(rng)
        assert unpack_cells(pack_cell_dict(cells)) == sorted(cells.items())


@pytest.mark.parametrize('seed', SEEDS)
def test_pack_columns_round_trips_unsorted_repeated_qualifiers(seed):
    rng = random.Random(2000 + seed)
    for _ in range(20):
        qualifiers = random_qualifiers(rng, rng.randrange(1, 15))
        rng.shuffle(qualifiers)
        value = random_bytes(rng, random_length(rng)) if rng.random() < 0.5 else b''
        given = list(qualifiers)
        assert unpack_cells(pack_columns(qualifiers, value)) == [(q, value) for q in sorted(set(given))]
        assert qualifiers == given  # the caller's list is left as it was


@pytest.mark.parametrize('seed', SEEDS)
def test_pack_columns_of_one_length_and_no_value_packs_as_pack_cells(seed):
    # The test map's shape (fixed-length test keys, empty values) takes a
    # faster path; its bytes are those of the general one.
    rng = random.Random(3000 + seed)
    for _ in range(20):
        size = rng.choice([0, 1, 4, 8, 126, 127, 128, 300])
        qualifiers = sorted(set(random_bytes(rng, size) for _ in range(rng.randrange(1, 30))))
        packed = pack_columns(qualifiers, b'')
        assert packed == pack_cells([(q, b'') for q in qualifiers])
        assert unpack_cells(packed) == [(q, b'') for q in qualifiers]


@pytest.mark.parametrize('length', BOUNDARY_LENGTHS)
def test_every_boundary_length_round_trips_as_qualifier_and_as_value(length):
    rng = random.Random(length)
    long_one = random_bytes(rng, length)
    cells = sorted([(long_one, b'v'), (b'q' + long_one, long_one), (b'\xff', long_one)])
    assert unpack_cells(pack_cells(cells)) == cells
    assert unpack_cells(pack_columns([long_one], long_one)) == [(long_one, long_one)]


def test_an_empty_group_packs_to_nothing():
    assert pack_cells([]) == b'' and pack_cell_dict({}) == b''
    assert unpack_cells(b'') == []


def test_lengths_are_leb128_varints():
    assert pack_cells([(b'q', b'')]) == b'\x01q\x00'
    assert pack_cells([(b'', b'x' * 128)]) == b'\x00\x80\x01' + b'x' * 128
    assert pack_cells([(b'', b'x' * 16384)]) == b'\x00\x80\x80\x01' + b'x' * 16384


# -- CellGroup ---------------------------------------------------------------------


@pytest.mark.parametrize('seed', SEEDS)
def test_a_group_packs_as_the_cells_it_holds(seed):
    rng = random.Random(4000 + seed)
    for _ in range(10):
        qualifiers, value = random_qualifiers(rng, rng.randrange(1, 10)), b''
        group = CellGroup(b'r', b'f', qualifiers, value)
        expected = dict.fromkeys(qualifiers, value)
        assert group.pack() == pack_cell_dict(expected)
        more = random_cells(rng)
        group.writable_cells().update(more)
        expected.update(more)
        assert group.pack() == pack_cell_dict(expected)
        assert group.cell_dict() == expected


def test_a_group_of_columns_keeps_the_callers_list():
    qualifiers = [b'b', b'a', b'b']
    group = CellGroup(b'r', b'f', qualifiers, b'v')
    group.pack()
    group.writable_cells().update({b'c': b'w'})
    assert qualifiers == [b'b', b'a', b'b']
    assert group.cell_dict() == {b'a': b'v', b'b': b'v', b'c': b'w'}


def test_a_cell_written_again_into_a_group_takes_the_new_value():
    group = CellGroup(b'r', b'f', [b'a', b'b'], b'old')
    group.writable_cells().update({b'b': b'new'})
    assert unpack_cells(group.pack()) == [(b'a', b'old'), (b'b', b'new')]


def test_a_group_made_of_cells_packs_them():
    group = CellGroup(b'r', b'f', cells={b'z': b'1', b'': b'2'})
    assert unpack_cells(group.pack()) == [(b'', b'2'), (b'z', b'1')]


def test_a_group_made_empty_takes_cells_written_into_it():
    group = CellGroup(b'r', b'f')
    assert group.pack() == b''
    group.writable_cells()[b'q'] = b'v'
    assert unpack_cells(group.pack()) == [(b'q', b'v')]


def test_merging_keeps_the_stored_cells_the_group_lacks():
    stored = pack_cells([(b'a', b'1'), (b'c', b'3')])
    merged = CellGroup(b'r', b'f', [b'b'], b'2').merged_into(stored)
    assert unpack_cells(merged) == [(b'a', b'1'), (b'b', b'2'), (b'c', b'3')]


def test_merging_gives_a_cell_written_again_the_new_value():
    stored = pack_cells([(b'a', b'old'), (b'b', b'kept')])
    merged = CellGroup(b'r', b'f', cells={b'a': b'new'}).merged_into(stored)
    assert unpack_cells(merged) == [(b'a', b'new'), (b'b', b'kept')]


def test_merging_into_an_equal_group_changes_nothing():
    group = CellGroup(b'r', b'f', [b'a', b'b'], b'')
    assert group.merged_into(group.pack()) == group.pack()


@pytest.mark.parametrize('seed', SEEDS)
def test_merging_is_a_dict_update_of_the_stored_cells(seed):
    rng = random.Random(5000 + seed)
    for _ in range(10):
        stored, written = random_cells(rng), random_cells(rng)
        if not written:
            continue
        expected = dict(stored)
        expected.update(written)
        group = CellGroup(b'r', b'f', cells=written)
        assert unpack_cells(group.merged_into(pack_cell_dict(stored))) == sorted(expected.items())
