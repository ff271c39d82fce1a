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
    (``data.split("\t")``) work on the TAB-joined values in the real type's OCX FID order."""

    __slots__ = ("_text",)

    def __init__(self, values, text):
        dict.__init__(self, values)
        self._text = text

    def __str__(self):
        return self._text

    def __getattr__(self, name):
        return getattr(self._text, name)


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
