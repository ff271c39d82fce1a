"""The shapes OCX-era code calls and handles with: ``dynamicCall`` in every form PyQt accepts,
and handlers declared with fewer (or the OCX's own) arguments.
"""
import inspect
import re

#: COM/Qt parameter types as dynamicCall signatures write them, with the conversion the
#: ActiveX layer applied to a VARIANT of another type.
_TYPES = {
    "QString": "str", "BSTR": "str", "QVariant": None, "int": "int", "long": "int", "short": "int",
    "uint": "int", "ulong": "int", "bool": "bool", "BOOL": "bool", "double": "float", "float": "float",
}
_SIGNATURE = re.compile(r"^\s*([A-Za-z_]\w*)\s*(?:\((.*)\))?\s*;?\s*$", re.S)
_INLINE_TOKEN = re.compile(r'\s*("(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|[^,]+?)\s*(?:,|$)', re.S)


def _type_name(token):
    """``const QString&`` → ``QString``; None when the token is not a type."""
    t = re.sub(r"^\s*const\s+|[&*\s]+$", "", token).strip()
    return t if t in _TYPES else None


def _inline_value(token):
    if token[:1] in "\"'" and token[-1:] == token[:1]:
        return token[1:-1].replace('\\"', '"').replace("\\'", "'").replace("\\\\", "\\")
    low = token.lower()
    if low in ("true", "false"):
        return low == "true"
    try:
        return int(token)
    except ValueError:
        pass
    try:
        return float(token)
    except ValueError:
        return token


def _coerce(value, type_name):
    kind = _TYPES.get(type_name)
    try:
        if kind == "str":
            if isinstance(value, float) and value.is_integer():
                return str(int(value))
            return value if isinstance(value, str) else str(value)
        if kind == "int":
            return int(value)
        if kind == "bool":
            return bool(value)
        if kind == "float":
            return float(value)
    except (TypeError, ValueError):
        return value  # the method refuses it with the OCX's code, naming the argument
    return value


def parse_call(signature, args):
    """``dynamicCall`` → ``(name, args)``, in every form PyQt's QAxBase takes.

    - ``("GetLoginInfo(QString)", "ACCNO")``: a prototype and positional arguments, converted
      to the declared types as the ActiveX layer did (an int given for a QString becomes "1");
    - ``("SendOrder(QString, ...)", [rqname, screen, ...])``: one list holding the arguments;
    - ``('GetLoginInfo("ACCNO")',)``: the arguments written inside the string;
    - ``("CommConnect()",)`` and ``("CommConnect",)``: no arguments.

    Raises ValueError for a string that is not a call.
    """
    m = _SIGNATURE.match(signature or "")
    if m is None:
        raise ValueError("not a dynamicCall signature: %r" % (signature,))
    name, inside = m.group(1), (m.group(2) or "").strip()
    if len(args) == 1 and isinstance(args[0], (list, tuple)):
        args = tuple(args[0])
    tokens = [t for t in _INLINE_TOKEN.findall(inside) if t != ""] if inside else []
    types = [_type_name(t) for t in tokens]
    if tokens and not args and not all(types):
        return name, tuple(_inline_value(t) for t in tokens)
    if tokens and all(types) and len(types) == len(args):
        args = tuple(_coerce(a, t) for a, t in zip(args, types))
    return name, tuple(args)


def capacity(fn):
    """How many positional arguments ``fn`` accepts; None when unbounded or unknown."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    n = 0
    for p in params:
        if p.kind == p.VAR_POSITIONAL:
            return None
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            n += 1
    return n


class RealData(dict):
    """OnReceiveRealData's third argument on ``APIServer``: the FID dictionary the api_server sketch
    reads (``data["10"]``) that is also the OCX's sRealData: ``str(data)`` and every string method
    (``data.split("\t")``) work on the TAB-joined values in the real type's OCX FID order.

    Built lazily from the quote (wire.Quote): a handler reads a few FIDs of 40 to 160, so
    ``data[fid]``, ``data.get(fid)`` and ``fid in data`` read the quote's values directly; any
    other use (iteration, ``len``, printing, ``dict(data)``, ``json.dumps``, a change) first fills
    the dictionary with every FID of the real type, once.
    """

    __slots__ = ("_quote", "_filled")

    def __init__(self, quote):
        dict.__init__(self)
        self._quote = quote
        self._filled = False
        fids = quote.schema.fids
        if fids:
            # Never an empty dict underneath a full one: C code (json's encoder) takes an empty
            # one at its word instead of asking items(). The first FID costs nothing to hold.
            dict.__setitem__(self, fids[0], quote.raw.partition("\t")[0])

    def _fill(self):
        if not self._filled:
            self._filled = True
            dict.update(self, self._quote.fids())
        return self

    def __getitem__(self, fid):
        if self._filled:
            return dict.__getitem__(self, fid)
        value = self._quote.value(fid) if fid.__class__ is str else None
        if value is None:
            raise KeyError(fid)
        return value

    def get(self, fid, default=None):
        if self._filled:
            return dict.get(self, fid, default)
        value = self._quote.value(fid) if fid.__class__ is str else None
        return default if value is None else value

    def __contains__(self, fid):
        if self._filled:
            return dict.__contains__(self, fid)
        return fid.__class__ is str and self._quote.value(fid) is not None

    def __str__(self):
        return self._quote.real_data()

    def __getattr__(self, name):
        if name in RealData.__slots__:
            raise AttributeError(name)
        return getattr(self._quote.real_data(), name)

    def __reduce_ex__(self, protocol):
        return (dict, (dict(self._fill()),))


def _filling(name):
    method = getattr(dict, name)

    def filled(self, *args, **kwargs):
        return method(self._fill(), *args, **kwargs)

    filled.__name__ = name
    return filled


# Every other dict method sees the whole dictionary (C code such as dict(data), {**data} and
# json.dumps reaches a subclass through these, because __iter__ is overridden).
for _name in (
    "__iter__", "__len__", "__repr__", "__eq__", "__ne__", "__reversed__", "__or__", "__ror__", "__ior__",
    "__setitem__", "__delitem__", "keys", "values", "items", "copy", "pop", "popitem", "setdefault", "update", "clear",
):
    if hasattr(dict, _name):  # | and |= are Python 3.9's
        setattr(RealData, _name, _filling(_name))
RealData.__hash__ = None


def ocx_args(name, args):
    """An event's arguments in the OCX's own shape (what QAxWidget's signals carry):
    OnReceiveChejanData(gubun, nItemCnt, "9201;9203;..."), OnReceiveTrData with its 9 arguments.
    """
    if name == "OnReceiveChejanData":
        fids = args[1] if len(args) > 1 and isinstance(args[1], dict) else {}
        fid_list = args[2] if len(args) > 2 else ";".join(fids)
        return (args[0] if args else "", len(fids), fid_list)
    if name == "OnReceiveTrData" and len(args) < 9:
        return tuple(args[:5]) + (0, "", "", "")
    return tuple(args)


def adapt(name, args, cap):
    """An event's arguments in the shape a handler with ``cap`` positional parameters takes.

    The api_server sketch's shapes are the default: OnReceiveRealData(code, rtype, data) with
    ``data`` a :class:`RealData`, OnReceiveChejanData(gubun, dictFID). A chejan handler with 3
    parameters gets the OCX's (gubun, item_cnt, "fid;fid;..."). Fewer parameters get a prefix.
    """
    if cap is None:
        return args
    if name == "OnReceiveChejanData" and cap >= 3:
        return ocx_args(name, args)[:cap]
    if name == "OnReceiveTrData" and cap > len(args):
        return ocx_args(name, args)[:cap]
    return tuple(args)[:cap]
