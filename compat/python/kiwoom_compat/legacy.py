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


def ocx_args(name, args):
    """An event's arguments in the OCX's own shape (what QAxWidget's signals carry).

    OnReceiveChejanData(gubun, nItemCnt, "9201;9203;..."), OnReceiveTrData with its 9 arguments,
    OnReceiveRealData's third argument the TAB-joined sRealData (quotes come that way already).
    """
    if name == "OnReceiveChejanData":
        fids = args[1] if len(args) > 1 and isinstance(args[1], dict) else {}
        return (args[0] if args else "", len(fids), ";".join(fids))
    if name == "OnReceiveTrData":
        return tuple(args[:5]) + (0, "", "", "")
    if name == "OnReceiveRealData" and len(args) > 2 and isinstance(args[2], dict):
        return (args[0], args[1], "\t".join(str(v) for v in args[2].values()))
    return tuple(args)


def adapt(name, args, cap):
    """An event's arguments in the shape a handler with ``cap`` positional parameters takes.

    The api_server sketch's shapes are the default: OnReceiveRealData(code, rtype, dictFID),
    OnReceiveChejanData(gubun, dictFID). A chejan handler with 3 parameters gets the OCX's
    (gubun, item_cnt, "fid;fid;..."); an OnReceiveTrData handler with more than 5 gets the
    OCX's 9. Fewer parameters get a prefix.
    """
    if cap is None:
        return args
    if (name == "OnReceiveChejanData" and cap >= 3) or (name == "OnReceiveTrData" and cap > len(args)):
        return ocx_args(name, args)[:cap]
    return tuple(args)[:cap]
