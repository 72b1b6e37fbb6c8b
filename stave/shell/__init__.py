"""The stave shell: command objects over the store, their results, and the console."""
from __future__ import absolute_import, division, print_function, unicode_literals
