"""`stave serve`: HBase's Thrift1 service over any stave store. CPython only.

happybase, HBase's own Thrift clients and stave's thrift:// backend talk to
it as to an HBase Thrift gateway. ``server`` owns sockets and threads,
``handler`` translates the calls into the store API, ``plugin`` runs the
server on stave's process bus.
"""
