"""Imports point down the layers of ARCHITECTURE.md, checked on the source."""
import ast
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# What each layer may import from stave (besides itself, stave.compat and stave.errors).
ALLOWED = {
    'stave.store': (),
    'stave.testmap': ('stave.store',),
    'stave.shell': ('stave.store', 'stave.testmap'),
    'stave.bus': (),
    'stave.collect': ('stave.store', 'stave.testmap'),
    'stave.cli': ('stave.store', 'stave.testmap', 'stave.shell', 'stave.bus', 'stave'),
}
BASE = ('stave.compat', 'stave.errors')


def stave_imports(path):
    tree = ast.parse(open(path).read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith('stave'):
                    yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith('stave'):
            yield node.module


def modules_of(layer):
    directory = os.path.join(ROOT, *layer.split('.'))
    for folder, _, names in os.walk(directory):
        for name in names:
            if name.endswith('.py'):
                yield os.path.join(folder, name)


def test_imports_point_down_the_layers():
    for layer, allowed in ALLOWED.items():
        for path in modules_of(layer):
            for imported in stave_imports(path):
                ok = (imported == layer or imported.startswith(layer + '.') or imported in BASE
                      or any(imported == a or imported.startswith(a + '.') for a in allowed if a != 'stave')
                      or ('stave' in allowed and imported == 'stave'))
                assert ok, '%s imports %s' % (os.path.relpath(path, ROOT), imported)


def test_the_jvm_side_never_imports_the_collector():
    for layer in ('stave.store', 'stave.testmap', 'stave.shell', 'stave.bus', 'stave.cli'):
        for path in modules_of(layer):
            assert not any(i.startswith('stave.collect') for i in stave_imports(path)), path
