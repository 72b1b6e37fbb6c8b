"""stave: which tests exercise which lines, kept in an HBase-shaped store."""

__version__ = '0.1.0'
