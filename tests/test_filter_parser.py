"""The filter-string parser on its own: tokens, precedence, quoting, errors."""
import pytest

from stave.errors import FilterSyntaxError
from stave.store.filters import FILTER_NAMES, parse_filter
from stave.store.filters.base import FilterList, SkipFilter, WhileMatchFilter
from stave.store.filters.builtin import PrefixFilter, RowFilter, ValueFilter
from stave.store.filters.parser import tokenize


def test_quoted_strings_unescape_doubled_quotes_and_keep_bytes():
    flt = parse_filter(b"PrefixFilter('it''s \xff')")
    assert isinstance(flt, PrefixFilter)
    assert flt.prefix == b"it's \xff"


def test_text_filter_strings_are_utf8():
    assert parse_filter("PrefixFilter('\u00e9')").prefix == b'\xc3\xa9'


def test_or_binds_looser_than_and_and_unary_binds_tightest():
    flt = parse_filter("SKIP RowFilter(=, 'binary:a') AND PrefixFilter('b') OR ValueFilter(=, 'binary:c')")
    assert isinstance(flt, FilterList) and not flt.must_pass_all
    left, right = flt.filters
    assert isinstance(left, FilterList) and left.must_pass_all
    assert isinstance(left.filters[0], SkipFilter) and isinstance(left.filters[0].inner, RowFilter)
    assert isinstance(right, ValueFilter)


def test_parentheses_group():
    flt = parse_filter("WHILE (PrefixFilter('a') OR PrefixFilter('b'))")
    assert isinstance(flt, WhileMatchFilter)
    assert isinstance(flt.inner, FilterList) and len(flt.inner.filters) == 2


def test_whitespace_is_free_and_booleans_ignore_case():
    flt = parse_filter("  SingleColumnValueFilter ( 'f' , 'q' , >= , 'binary:1' , TRUE , False )  ")
    assert flt.filter_if_missing is True and flt.latest_only is False


def test_tokens_carry_positions():
    kinds = [(t.kind, t.position) for t in tokenize("A('x', <=, -3)")]
    assert kinds == [('name', 0), ('(', 1), ('string', 2), (',', 5), ('op', 7), (',', 9),
                     ('int', 11), (')', 13), ('end', 14)]


@pytest.mark.parametrize('text, position, words', [
    ('', 0, 'empty filter string'),
    ("PrefixFilter('a') PrefixFilter('b')", 18, 'expected AND, OR'),
    ("PrefixFilter('a) ", 13, 'unterminated quoted string'),
    ("(PrefixFilter('a')", 18, "expected ')'"),
    ("PrefixFilter('a' 'b')", 17, "expected ',' or ')'"),
    ("PrefixFilter(a)", 13, 'expected an argument'),
    ("PrefixFilter('a') & PrefixFilter('b')", 18, "unexpected character '&'"),
    ("prefixfilter('a')", 0, "unknown filter 'prefixfilter'"),
    ("PrefixFilter()", 13, 'expected 1 argument'),
    ("ValueFilter(=, 'regexstring:(')", 15, 'bad regular expression'),
    ("ColumnRangeFilter('a', 'b', 'c', true)", 23, 'true or false'),
    ("MultipleColumnPrefixFilter()", 27, 'at least one prefix'),
])
def test_errors_point_at_the_problem(text, position, words):
    with pytest.raises(FilterSyntaxError) as caught:
        parse_filter(text)
    assert caught.value.position == position
    assert words in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_every_filter_the_issue_names_is_known():
    assert set(FILTER_NAMES) == {
        'PrefixFilter', 'ColumnPrefixFilter', 'MultipleColumnPrefixFilter', 'KeyOnlyFilter',
        'FirstKeyOnlyFilter', 'PageFilter', 'InclusiveStopFilter', 'TimestampsFilter',
        'ColumnCountGetFilter', 'ColumnRangeFilter', 'RowFilter', 'FamilyFilter', 'QualifierFilter',
        'ValueFilter', 'SingleColumnValueFilter'}
