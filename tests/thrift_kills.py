"""A Python script's prelude that SIGKILLs the script at the start of its
Nth Thrift call that writes (mutateRow, mutateRows): a real kill at a real
boundary of a writer, for the tests of what a killed writer leaves. The
script gets the store URL as argv[1] and N as argv[2] (0: never killed);
`calls[0]` counts the writing calls made."""
import textwrap

KILL_AT_CALL = textwrap.dedent('''\
    import os, signal, sys
    from stave.store import connect
    from stave.store.thrift import connection
    from stave.testmap import MapWriter
    kill_at, calls = int(sys.argv[2]), [0]
    real = connection._TranslatingClient.__getattr__
    def counting(self, name):
        call = real(self, name)
        if not name.startswith('mutateRow'):
            return call
        def maybe_die(*args):
            calls[0] += 1
            if calls[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return call(*args)
        setattr(self, name, maybe_die)  # the client keeps each method it built
        return maybe_die
    connection._TranslatingClient.__getattr__ = counting
''')
