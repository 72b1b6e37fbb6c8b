"""The modules the JVM loads stay in the Python 2.7/3 common subset.

Compiles them with a Python 2.7 interpreter; Jython's own test pass runs them.
"""
import os
import shutil
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORTABLE = ['stave/__init__.py', 'stave/compat.py', 'stave/errors.py', 'stave/jvm.py', 'stave/git.py',
            'stave/sentinels.py', 'stave/varints.py', 'stave/exit_status.py', 'stave/formatting.py',
            'stave/store', 'stave/shell', 'stave/testmap',
            'stave/bus', 'stave/cli', 'stave.py',
            'tests/store_conformance.py', 'tests/store_conformance_batches.py', 'tests/store_conformance_filters.py',
            'tests/store_conformance_surface.py', 'tests/store_conformance_arguments.py',
            'tests/store_conformance_scans.py', 'tests/store_backends.py',
            'tests/test_store_conformance.py', 'tests/jython_suite.py', 'tests/jvm_checks.py',
            'tests/hbase_checks.py']


def find_python27():
    """pyenv's 2.7.18 if present (its shim on PATH does not run by itself), else python2.7."""
    try:
        prefix = subprocess.run(['pyenv', 'prefix', '2.7.18'], capture_output=True, text=True).stdout.strip()
    except OSError:
        prefix = ''
    candidate = os.path.join(prefix, 'bin', 'python2.7')
    if prefix and os.path.exists(candidate):
        return candidate
    found = shutil.which('python2.7')
    if found and subprocess.run([found, '-c', 'pass'], capture_output=True).returncode == 0:
        return found
    return None


#: CPython-only packages inside the portable ones.
CPYTHON_ONLY = ['stave/store/thrift']


def portable_files():
    skipped = [os.path.join(ROOT, entry) for entry in CPYTHON_ONLY]
    for entry in PORTABLE:
        path = os.path.join(ROOT, entry)
        if os.path.isdir(path):
            for directory, _, names in os.walk(path):
                if directory in skipped:
                    continue
                for name in sorted(names):
                    if name.endswith('.py'):
                        yield os.path.join(directory, name)
        else:
            yield path


def test_portable_modules_compile_on_python_27():
    python27 = find_python27()
    if python27 is None:
        pytest.skip('no Python 2.7 interpreter on this machine (pyenv 2.7.18 or python2.7)')
    files = list(portable_files())
    assert len(files) > 10
    script = ('import sys\nfor path in sys.argv[1:]:\n'
              '    compile(open(path).read(), path, "exec")\n')
    result = subprocess.run([python27, '-c', script] + files, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_portable_modules_start_with_the_future_imports():
    for path in portable_files():
        with open(path) as handle:
            text = handle.read()
        if text.strip() and 'import' in text:
            assert 'from __future__ import absolute_import, division, print_function, unicode_literals' in text, path


def test_portable_modules_with_non_ascii_text_declare_their_encoding():
    # Python 2 (Jython) refuses such a file without a PEP 263 coding line.
    for path in portable_files():
        with open(path, 'rb') as handle:
            text = handle.read()
        if any(byte > 127 for byte in text):
            assert b'coding: utf-8' in b''.join(text.splitlines(True)[:2]), path
