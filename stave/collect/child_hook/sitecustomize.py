"""Put on PYTHONPATH by a recording stave session, so that its Python
subprocesses record for it (stave.collect.child). With STAVE_RECORD unset it
does nothing but that lookup and running the sitecustomize this one hides
(the next on sys.path, if any), which runs in either case."""
import os

if os.environ.get('STAVE_RECORD'):
    try:
        try:
            from stave.collect.child import start as _start
        except ImportError:  # a child whose path lacks stave: the checkout this hook belongs to
            import sys
            sys.path.append(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
                os.path.abspath(__file__))))))
            from stave.collect.child import start as _start
        _start()
    except Exception as _error:  # never stop the program: say why its lines are missing
        import sys
        sys.stderr.write('stave: this process is not recorded: %s: %s\n' % (type(_error).__name__, _error))


def _run_hidden_sitecustomize():
    import importlib.machinery
    import importlib.util
    import sys
    here = os.path.dirname(os.path.abspath(__file__))
    rest = [entry for entry in sys.path if os.path.abspath(entry or '.') != here]
    spec = importlib.machinery.PathFinder.find_spec('sitecustomize', rest)
    if spec is not None and spec.origin and os.path.dirname(os.path.abspath(spec.origin)) != here:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)


_run_hidden_sitecustomize()
