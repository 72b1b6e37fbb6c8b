"""Parse HBase's filter language (ParseFilter) into filter objects.

Grammar, with HBase's precedence (parentheses, then the unary SKIP/WHILE,
then AND, then OR):

    expr    := and_expr ('OR' and_expr)*
    and_expr:= unary ('AND' unary)*
    unary   := ('SKIP' | 'WHILE') unary | '(' expr ')' | call
    call    := NAME '(' [arg (',' arg)*] ')'
    arg     := 'quoted string' | integer | true | false | < | <= | = | != | >= | >

Quoted strings use '' for a quote. Strings are bytes: the filter string is
decoded as ISO-8859-1 here, so every byte survives the trip into the
arguments unchanged. Every error names the position it found.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import re

from stave.compat import binary_type, to_bytes
from stave.errors import FilterSyntaxError

_OPERATORS = ('<=', '>=', '!=', '<', '>', '=')
_KEYWORDS = ('AND', 'OR', 'SKIP', 'WHILE')
_NAME = re.compile(r'[A-Za-z_][A-Za-z0-9_]*')
_NUMBER = re.compile(r'-?[0-9]+')


class Token(object):
    """One lexical token: its kind, its value and its offset in the string."""

    __slots__ = ('kind', 'value', 'position')

    def __init__(self, kind, value, position):
        self.kind = kind
        self.value = value
        self.position = position


class Argument(object):
    """A filter argument as written: kind is 'string', 'int', 'bool' or 'op'."""

    __slots__ = ('kind', 'value', 'position')

    def __init__(self, kind, value, position):
        self.kind = kind
        self.value = value
        self.position = position


def tokenize(text):
    """Split filter text into tokens; raise FilterSyntaxError on a stray character."""
    tokens = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in '(),':
            tokens.append(Token(ch, ch, i))
            i += 1
        elif ch == "'":
            start, i, chunks = i, i + 1, []
            while True:
                end = text.find("'", i)
                if end < 0:
                    raise FilterSyntaxError('unterminated quoted string', text, start)
                chunks.append(text[i:end])
                if text.startswith("''", end):
                    chunks.append("'")
                    i = end + 2
                else:
                    i = end + 1
                    break
            tokens.append(Token('string', ''.join(chunks).encode('latin-1'), start))
        elif text.startswith(_OPERATORS, i):
            op = next(o for o in _OPERATORS if text.startswith(o, i))
            tokens.append(Token('op', op, i))
            i += len(op)
        else:
            match = _NUMBER.match(text, i) or _NAME.match(text, i)
            if not match:
                raise FilterSyntaxError('unexpected character %r' % ch, text, i)
            word = match.group()
            if word[0].isdigit() or word[0] == '-':
                tokens.append(Token('int', int(word), i))
            elif word in _KEYWORDS:
                tokens.append(Token(word, word, i))
            else:
                tokens.append(Token('name', word, i))
            i = match.end()
    tokens.append(Token('end', None, n))
    return tokens


class Parser(object):
    """Recursive-descent parser; `registry` maps filter names to their builders."""

    def __init__(self, text, registry, combinators):
        self.text = text
        self.registry = registry
        self.combinators = combinators
        self.tokens = tokenize(text)
        self.index = 0

    def error(self, message, token=None):
        token = token or self.peek()
        return FilterSyntaxError(message, self.text, token.position)

    def peek(self):
        return self.tokens[self.index]

    def take(self, kind, what):
        token = self.peek()
        if token.kind != kind:
            found = 'the end of the string' if token.kind == 'end' else repr(self.text[token.position:token.position + 12])
            raise self.error('expected %s, found %s' % (what, found))
        self.index += 1
        return token

    def parse(self):
        if self.peek().kind == 'end':
            raise self.error('empty filter string')
        node = self.expr()
        if self.peek().kind != 'end':
            raise self.error("expected AND, OR or the end of the filter string")
        return node

    def expr(self):
        parts = [self.and_expr()]
        while self.peek().kind == 'OR':
            self.index += 1
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else self.combinators['OR'](parts)

    def and_expr(self):
        parts = [self.unary()]
        while self.peek().kind == 'AND':
            self.index += 1
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else self.combinators['AND'](parts)

    def unary(self):
        token = self.peek()
        if token.kind in ('SKIP', 'WHILE'):
            self.index += 1
            return self.combinators[token.kind](self.unary())
        if token.kind == '(':
            self.index += 1
            node = self.expr()
            self.take(')', "')'")
            return node
        return self.call()

    def call(self):
        name = self.take('name', 'a filter name or (')
        builder = self.registry.get(name.value)
        if builder is None:
            raise self.error('unknown filter %r (known: %s)' % (name.value, ', '.join(sorted(self.registry))), name)
        self.take('(', "'(' after %s" % name.value)
        args = []
        if self.peek().kind != ')':
            while True:
                args.append(self.argument())
                if self.peek().kind != ',':
                    break
                self.index += 1
        close = self.take(')', "',' or ')'")
        try:
            return builder(args)
        except FilterArgumentError as exc:
            raise FilterSyntaxError('%s: %s' % (name.value, exc.message), self.text,
                                    exc.position if exc.position is not None else close.position)

    def argument(self):
        token = self.peek()
        if token.kind in ('string', 'int', 'op'):
            self.index += 1
            return Argument(token.kind, token.value, token.position)
        if token.kind == 'name' and token.value.lower() in ('true', 'false'):
            self.index += 1
            return Argument('bool', token.value.lower() == 'true', token.position)
        raise self.error("expected an argument (a 'quoted string', a number, true/false or a comparison operator)")


class FilterArgumentError(Exception):
    """Raised by a filter builder for a bad argument; the parser adds the text."""

    def __init__(self, message, position=None):
        Exception.__init__(self, message)
        self.message = message
        self.position = position


def decode_filter_text(filter_string):
    """Return the filter string as text with one character per byte (ISO-8859-1)."""
    data = to_bytes(filter_string, 'filter')
    assert isinstance(data, binary_type)
    return data.decode('latin-1')
