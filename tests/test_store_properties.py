"""Property tests of the embedded store: random binary keys against Python's own ordering."""
from hypothesis import HealthCheck, given, settings, strategies as st

from stave.store import connect

keys = st.lists(st.binary(min_size=1, max_size=6), min_size=0, max_size=40, unique=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(keys=keys, prefix=st.binary(min_size=1, max_size=2), bounds=st.tuples(st.binary(max_size=3), st.binary(max_size=3)))
def test_scans_match_a_sorted_list(tmp_path, keys, prefix, bounds):
    with connect('sqlite:///:memory:') as store:
        store.create_table('t', {'f': {}})
        table = store.table('t')
        with table.batch() as batch:
            for key in keys:
                batch.put(key, {b'f:q': key})
        ordered = sorted(keys)
        assert [k for k, _ in table.scan()] == ordered
        assert [k for k, _ in table.scan(reverse=True)] == ordered[::-1]
        assert [k for k, _ in table.scan(row_prefix=prefix)] == [k for k in ordered if k.startswith(prefix)]
        assert [k for k, _ in table.scan(row_prefix=prefix, reverse=True)] == [
            k for k in ordered[::-1] if k.startswith(prefix)]
        low, high = min(bounds), max(bounds)
        assert [k for k, _ in table.scan(row_start=low, row_stop=high or None)] == [
            k for k in ordered if k >= low and (not high or k < high)]
        assert [k for k, _ in table.scan(row_start=high or None, row_stop=low or None, reverse=True)] == [
            k for k in ordered[::-1] if (not high or k <= high) and (not low or k > low)]
