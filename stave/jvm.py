"""Starting stave on the JVM (Jython): its Python 2.7 packages and its class path.

`ant deps` installs CherryPy and friends for Jython into build/jython-site;
`prepare()` adds that folder. sqlite-jdbc must be on the JVM class path,
which /usr/bin/jython (`java -jar`) ignores: then stave relaunches itself
through `java -cp "$(./classpath)" org.python.util.jython`.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import os
import signal
import site
import subprocess
import sys

from stave.compat import JYTHON

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SITE = os.path.join(ROOT, 'build', 'jython-site')
JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xss2m',
             '-Dpython.console=org.python.util.JLineConsole']  # JLine: readline for the shell


def prepare(script, argv):
    """On Jython, make stave's dependencies importable. Returns None to go on,
    or the exit status of a relaunch through the right class path."""
    if not JYTHON:
        return None
    if os.path.isdir(SITE):
        site.addsitedir(SITE)  # not JYTHONPATH: zc.lockfile needs its .pth file processed
    if _has_class('org.sqlite.JDBC') or os.environ.get('STAVE_RELAUNCHED'):
        return None
    classpath = subprocess.Popen([os.path.join(ROOT, 'classpath')], stdout=subprocess.PIPE).communicate()[0]
    env = dict(os.environ, STAVE_RELAUNCHED='1')
    command = (['java'] + JVM_FLAGS + ['-cp', classpath.strip().decode('utf-8'), 'org.python.util.jython', script]
               + list(argv))
    # Ctrl-C reaches both JVMs; it is the relaunched shell's to handle. A handler
    # that does nothing (not SIG_IGN, which the child would inherit) keeps this one waiting.
    signal.signal(signal.SIGINT, lambda signum, frame: None)
    return subprocess.call(command, env=env)


def stdin_is_terminal():
    """True if stdin is a terminal. On Jython, isatty() says False whenever a
    script runs, so the JVM's own console is asked instead."""
    if JYTHON:
        from java.lang import System
        return System.console() is not None
    return sys.stdin.isatty()


def _has_class(name):
    from java.lang import Class, ClassNotFoundException
    try:
        Class.forName(name)
        return True
    except ClassNotFoundException:
        return False
