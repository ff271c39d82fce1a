"""What lets OCX-era code run with few changes: PyQt-style event signals (``api.OnReceiveTrData
.connect(slot)``), ``dynamicCall("Method(QString, ...)", ...)``, and handlers declared with the
OCX's own argument lists (OnReceiveTrData with 9 arguments, OnReceiveChejanData with
``(gubun, item_cnt, fid_list)``) or with fewer arguments than the event has.
"""
import inspect

from .bridge import KiwoomCompatError


class Event(object):
    """An OCX event on the class: on an instance it is a signal with ``connect``/``disconnect``.

    A subclass that defines a method with the event's name replaces it (and gets called).
    """

    def __init__(self, name):
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return BoundEvent(obj, self.name)


class BoundEvent(object):
    """``api.OnReceiveRealData``: connect slots to it like a PyQt signal."""

    def __init__(self, obj, name):
        self._obj = obj
        self.name = name

    def connect(self, slot):
        self._obj.on(self.name, slot)

    def disconnect(self, slot):
        self._obj.off(self.name, slot)

    def __call__(self, *args):
        """The default handler: nothing (connected slots are called separately)."""


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


def adapt(event, args, cap):
    """The event's arguments in the shape a handler with ``cap`` positional parameters takes.

    The seed's shapes are the default: OnReceiveRealData(code, rtype, dictFID),
    OnReceiveChejanData(gubun, dictFID). A chejan handler with 3 parameters gets the OCX's
    (gubun, item_cnt, "fid;fid;..."); an OnReceiveTrData handler with more than 5 gets the
    OCX's 9 (nDataLength 0 and empty error/message strings). Fewer parameters get a prefix.
    """
    if cap is None:
        return args
    if event == "OnReceiveChejanData" and cap >= 3:
        fids = args[1] if len(args) > 1 else {}
        return (args[0], len(fids), ";".join(fids))[:cap]
    if event == "OnReceiveTrData" and cap > len(args):
        return (tuple(args) + (0, "", "", ""))[:cap]
    return tuple(args)[:cap]


#: OCX methods that take one list argument in PyQt's dynamicCall (more than 8 arguments).
LIST_METHODS = frozenset(["SendOrder", "SendOrderCredit", "SendOrderFO"])

#: KOA_Functions sub-commands that have an answer here; the rest raise, naming what to use.
KOA_FUNCTIONS = {
    "GetServerGubun": lambda api, param: api.GetLoginInfo("GetServerGubun"),
    "ShowAccountWindow": lambda api, param: "",
}


def dynamic_call(api, methods, signature, args):
    """``dynamicCall("SetInputValue(QString, QString)", "종목코드", code)`` → ``api.SetInputValue(...)``."""
    name = signature.split("(", 1)[0].strip()
    if name not in methods:
        raise KiwoomCompatError("NotSupported", "dynamicCall: %s is not provided by kiwoom_compat (see MIGRATION.md)" % name, field="signature")
    if name in LIST_METHODS and len(args) == 1 and isinstance(args[0], (list, tuple)):
        args = tuple(args[0])
    return getattr(api, name)(*args)
