"""Values on their way into and out of Thrift calls: text encoded as UTF-8
where bytes belong, anything else refused before the protocol writes half a
message; exception messages decoded."""
from thriftpy2.thrift import TType


def encoded(value, spec, where):
    """`value` for a Thrift field of type `spec`, with text encoded as UTF-8 and
    anything else where bytes belong refused with a TypeError naming the field
    (happybase leaves both to the protocol, which may write half a message)."""
    if value is None or type(value) is bytes:  # the common case, first: this runs per cell
        return value
    ttype = spec[0] if isinstance(spec, tuple) else spec
    if ttype in _BYTES:
        if isinstance(value, bytes):
            return value
        if isinstance(value, str):
            return value.encode('utf-8')
        raise TypeError('%s must be bytes or text, not %s' % (where, type(value).__name__))
    if ttype in (TType.LIST, TType.SET):
        inner = _inner(spec)
        return [encoded(item, inner, where) for item in value]
    if ttype == TType.MAP:
        keys, values = _inner(spec)
        return dict((encoded(k, keys, where), encoded(v, values, where)) for k, v in value.items())
    if ttype == TType.STRUCT:
        for name, field in _fields_to_check(type(value)):
            setattr(value, name, encoded(getattr(value, name), field, name))
    return value


_BYTES = (TType.BINARY, TType.STRING)
_CHECKED_TYPES = _BYTES + (TType.LIST, TType.SET, TType.MAP, TType.STRUCT)
_fields_by_struct = {}


def _fields_to_check(struct):
    """[(name, spec)] of the fields of a struct class that may hold bytes."""
    fields = _fields_by_struct.get(struct)
    if fields is None:
        fields = _fields_by_struct[struct] = [(spec[1], spec) for spec in struct.thrift_spec.values()
                                              if spec[0] in _CHECKED_TYPES]
    return fields


def _inner(spec):
    """The element type of a container: a field's spec is (type, name, inner, required),
    a nested container's (type, inner)."""
    return spec[2] if isinstance(spec[1], str) else spec[1]


def text(message):
    """An exception message received as bytes (happybase does not decode) as text."""
    if isinstance(message, bytes):
        return message.decode('utf-8', 'replace')
    return message or ''
