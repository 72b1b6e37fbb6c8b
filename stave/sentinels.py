"""The special values stave shares between its layers, each defined once.

Two come from HBase and mean "no limit": ALL_VERSIONS (Integer.MAX_VALUE,
what a read asks for to get every version) and FOREVER (Integer.MAX_VALUE
seconds, a family's time-to-live that never expires). Two are the test
map's line keys: LINE_KEY_WIDTH digits of line number, so the largest line
a key can hold is LARGEST_LINE.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

#: HBase's largest version count: a read of every version a cell keeps.
ALL_VERSIONS = 2 ** 31 - 1

#: HBase's "keep forever" time-to-live, in seconds (Integer.MAX_VALUE).
FOREVER = 2 ** 31 - 1

#: The digits of the line number in a test map row key (path:000212).
LINE_KEY_WIDTH = 6

#: The largest line number a test map row key can hold.
LARGEST_LINE = 10 ** LINE_KEY_WIDTH - 1
