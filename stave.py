#!/usr/bin/env python
"""Entry script: ``python stave.py ...`` or ``jython stave.py ...`` runs stave's CLI."""
from __future__ import absolute_import, division, print_function, unicode_literals

import sys

from stave.jvm import prepare

if __name__ == '__main__':
    relaunched = prepare(__file__, sys.argv[1:])
    if relaunched is not None:
        sys.exit(relaunched)
    from stave.cli import main
    sys.exit(main())
