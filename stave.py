#!/usr/bin/env python
"""Entry script: ``python stave.py ...`` (and later ``jython stave.py``) runs stave's CLI."""
from __future__ import absolute_import, division, print_function, unicode_literals

import sys

from stave.cli import main

if __name__ == '__main__':
    sys.exit(main())
