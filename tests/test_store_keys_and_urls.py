"""Pure helpers: byte increments, column names, store URLs and the default store."""
import os

from hypothesis import given, strategies as st
import pytest

from stave.errors import StoreOpenError
from stave.store import connect
from stave.store.names import bytes_increment, check_family_name, check_table_name, split_column
from stave.store.url import (
    MILLISECONDS, SECONDS, absolute_path, default_store_url, one_of, parse_store_url, read_options,
    resolve_store_url)


@given(st.binary(min_size=1, max_size=12), st.binary(max_size=12))
def test_bytes_increment_bounds_exactly_the_keys_with_the_prefix(prefix, key):
    bound = bytes_increment(prefix)
    in_range = key >= prefix and (bound is None or key < bound)
    assert in_range == key.startswith(prefix)


def test_bytes_increment_examples():
    assert bytes_increment(b'ab') == b'ac'
    assert bytes_increment(b'a\xff') == b'b'
    assert bytes_increment(b'\xff\xff') is None


def test_split_column():
    assert split_column(b'f:q') == (b'f', b'q')
    assert split_column(b'f:') == (b'f', b'')
    assert split_column(b'f') == (b'f', None)
    assert split_column(b'f:a:b') == (b'f', b'a:b')


def test_names_are_checked():
    assert check_table_name('ns:t-1.x') == b'ns:t-1.x'
    assert check_family_name('cf:') == b'cf'
    for bad in ('', '.t', 'a b', 'a/b'):
        with pytest.raises(ValueError):
            check_table_name(bad)
    for bad in ('', '.f', 'a:b', 'a\nb'):
        with pytest.raises(ValueError):
            check_family_name(bad)


def test_store_url_forms():
    assert parse_store_url('sqlite:///rel/s.db').location == 'rel/s.db'
    assert parse_store_url('sqlite:////abs/s.db').location == '/abs/s.db'
    assert parse_store_url('sqlite:///:memory:').location == ':memory:'
    url = parse_store_url('sqlite:///s.db?timeout=5')
    assert (url.scheme, url.options) == ('sqlite', {'timeout': '5'})
    bare = parse_store_url('some/file.db')
    assert (bare.scheme, bare.location) == ('sqlite', 'some/file.db')
    with pytest.raises(StoreOpenError, match='names no file'):
        parse_store_url('sqlite://')


def test_bad_store_urls_are_clear_errors(tmp_path):
    with pytest.raises(StoreOpenError, match="unknown store URL scheme 'nope'"):
        connect('nope://x')
    with pytest.raises(StoreOpenError, match='unknown option'):
        connect('sqlite:///%s?colour=blue' % (tmp_path / 's.db'))
    with pytest.raises(StoreOpenError, match='not a number'):
        connect('sqlite:///%s?timeout=soon' % (tmp_path / 's.db'))
    assert not os.path.exists(tmp_path / 's.db')


KINDS = {'transport': one_of('buffered', 'framed'), 'timeout': MILLISECONDS, 'wait': SECONDS,
         'znode': absolute_path('a ZooKeeper path such as /hbase')}


def options(query, dotted=None):
    return read_options(parse_store_url('thrift://h:1?' + query), KINDS, dotted)


def test_options_are_read_into_the_values_their_kinds_give():
    assert options('transport=framed&timeout=300&wait=2.5&znode=/hbase') == {
        'transport': 'framed', 'timeout': 300, 'wait': 2.5, 'znode': '/hbase'}
    assert options('wait=0') == {'wait': 0.0}
    assert options('') == {}


@pytest.mark.parametrize('option, what', [
    ('transport=http', 'one of buffered, framed'),
    ('timeout=soon', 'a number of milliseconds >= 1'),
    ('timeout=0', 'a number of milliseconds >= 1'),
    ('timeout=1.5', 'a number of milliseconds >= 1'),
    ('wait=soon', 'a number of seconds >= 0'),
    ('wait=-1', 'a number of seconds >= 0'),
    ('wait=nan', 'a number of seconds >= 0'),
    ('wait=inf', 'a number of seconds >= 0'),
    ('znode=hbase', 'a ZooKeeper path such as /hbase'),
])
def test_a_value_not_of_its_kind_names_the_option_the_url_and_what_it_must_be(option, what):
    with pytest.raises(StoreOpenError) as caught:
        options(option)
    assert str(caught.value) == "%s in store URL 'thrift://h:1?%s' is not %s" % (option, option, what)


def test_unknown_options_are_refused_listing_the_known_ones():
    with pytest.raises(StoreOpenError) as caught:
        options('colour=blue')
    assert str(caught.value) == ("unknown option colour in store URL 'thrift://h:1?colour=blue' "
                                 "(known: timeout, transport, wait, znode)")
    with pytest.raises(StoreOpenError, match=r'^unknown options a\.b, colour in '):
        options('colour=blue&a.b=1')


def test_dotted_names_pass_through_as_text_only_where_asked():
    assert options('hbase.client.retries.number=3&timeout=5', dotted='any HBase property') == {
        'hbase.client.retries.number': '3', 'timeout': 5}
    with pytest.raises(StoreOpenError, match=r'known: timeout, transport, wait, znode, or any HBase property\)$'):
        options('retries=3', dotted='any HBase property')


@pytest.mark.parametrize('url', ['sqlite:///%s?timeout=soon', 'thrift://127.0.0.1:9090?timeout=soon',
                                 'hbase://zk?timeout=soon'])
def test_every_url_kind_reports_a_bad_option_the_same_way(url, tmp_path):
    from stave.store.hbase import configuration
    from stave.store.thrift import connection_options
    url = url.replace('%s', str(tmp_path / 's.db'))
    read = {'sqlite': connect, 'thrift': lambda u: connection_options(parse_store_url(u)),
            'hbase': lambda u: configuration(parse_store_url(u))}[url.split(':')[0]]
    with pytest.raises(StoreOpenError, match=r"^timeout=soon in store URL '.*' is not a number of "):
        read(url)
    with pytest.raises(StoreOpenError, match=r"^unknown option colour in store URL '.*' \(known: "):
        read(url.replace('timeout=soon', 'colour=blue'))


def test_memory_store_works():
    with connect('sqlite:///:memory:') as store:
        store.create_table('t', {'f': {}})
        store.table('t').put(b'r', {b'f:q': b'v'})
        assert store.table('t').row(b'r') == {b'f:q': b'v'}


def test_default_store_is_in_the_project_root(tmp_path):
    (tmp_path / 'pyproject.toml').write_text('')
    nested = tmp_path / 'src' / 'pkg'
    nested.mkdir(parents=True)
    expected = 'sqlite:///' + str(tmp_path / '.stave' / 'stave.db')
    assert default_store_url(str(nested)) == expected
    assert resolve_store_url(None, {}, str(nested)) == expected
    assert resolve_store_url(None, {'STAVE_STORE': 'sqlite:///x.db'}, str(nested)) == 'sqlite:///x.db'
    assert resolve_store_url('sqlite:///y.db', {'STAVE_STORE': 'sqlite:///x.db'}) == 'sqlite:///y.db'
