"""Imports point down the layers of ARCHITECTURE.md, checked on the source."""
import ast
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# What each layer may import from stave (besides itself and the bottom modules in BASE).
ALLOWED = {
    'stave.store': (),
    'stave.testmap': ('stave.store',),
    'stave.shell': ('stave.store', 'stave.testmap'),
    'stave.bus': (),
    'stave.collect': ('stave.store', 'stave.testmap', 'stave.bus'),
    'stave.cli': ('stave.store', 'stave.testmap', 'stave.shell', 'stave.bus', 'stave.thriftserver', 'stave.web',
                  'stave.collect', 'stave.jvm', 'stave'),
    'stave.thriftserver': ('stave.store', 'stave.bus'),
    'stave.web': ('stave.store', 'stave.testmap', 'stave.bus', 'stave'),
}
#: CPython-only code: the JVM side may reach it only from inside a function that
#: runs when it is asked for (a thrift:// URL, `stave serve`).
CPYTHON_ONLY = ('stave.collect', 'stave.store.thrift', 'stave.thriftserver', 'stave.web', 'happybase', 'thriftpy2',
                'jinja2')
BASE = ('stave.compat', 'stave.errors', 'stave.varints', 'stave.sentinels', 'stave.git',
        'stave.exit_status', 'stave.formatting')


def stave_imports(path, top_level_only=False):
    tree = ast.parse(open(path).read(), path)
    for node in (_top_level(tree) if top_level_only else ast.walk(tree)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def _top_level(tree):
    """The statements that run at import time: the module's own, and those in its
    top-level if/try blocks, but not those in functions or classes' methods."""
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            pending.extend(child for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt))


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
                if not imported.startswith('stave'):
                    continue
                ok = (imported == layer or imported.startswith(layer + '.') or imported in BASE
                      or any(imported == a or imported.startswith(a + '.') for a in allowed if a != 'stave')
                      or ('stave' in allowed and imported == 'stave'))
                assert ok, '%s imports %s' % (os.path.relpath(path, ROOT), imported)


def test_the_jvm_side_never_imports_cpython_only_code():
    for layer in ('stave.store', 'stave.testmap', 'stave.shell', 'stave.bus', 'stave.cli'):
        for path in modules_of(layer):
            if os.sep + os.path.join('store', 'thrift') + os.sep in path:
                continue  # the Thrift backend itself
            for imported in stave_imports(path, top_level_only=True):
                assert not imported.startswith(CPYTHON_ONLY), '%s imports %s' % (path, imported)
            if not path.endswith(os.path.join('cli', 'record_command.py')):  # stave record runs the recorder
                assert not any(i.startswith('stave.collect') for i in stave_imports(path)), path


#: The store's backends: siblings that share the contract and the store's common
#: modules (stave.store.*), never each other's.
BACKENDS = ('stave.store.sqlite', 'stave.store.thrift', 'stave.store.hbase')


def test_no_backend_imports_another_backend():
    for backend in BACKENDS:
        others = tuple(other for other in BACKENDS if other != backend)
        for path in modules_of(backend):
            for imported in stave_imports(path):
                assert not (imported in others or imported.startswith(tuple(o + '.' for o in others))), \
                    '%s imports %s' % (os.path.relpath(path, ROOT), imported)
