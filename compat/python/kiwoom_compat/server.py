"""``APIServer``: the api_server sketch's face, with the OCX's 58 methods, on kiwoom-compat.

Legacy code keeps its method calls and handlers::

    from kiwoom_compat import APIServer

    class MyServer(APIServer):
        def OnReceiveRealData(self, code, rtype, dictFID):
            print(code, rtype, dictFID["10"])

    api = MyServer()
    api.api_init(sim_no=1, use_rest=False)   # False + 1..3: the built-in emulator
    api.CommConnect(block=True)

Handlers are methods named after the OCX events (override them; the third argument of
OnReceiveRealData is the FID dictionary that is also the OCX's sRealData string), functions registered with
``api.on("OnReceiveRealData", fn)``, or slots connected as on a QAxWidget
(``api.OnReceiveTrData.connect(slot)``). They run one at a time, in order, where the host
expects them (loops.py): in a plain script on the bridge's two reader threads, and every call returns after
the handlers of the events it caused have run; in a Qt program or a pythoncom pump loop,
through that loop, and calls return at once (``CommConnect(block=True)`` still waits, running
the loop).
"""
import os

from .control import Control
from .errors import KiwoomCompatError
from .legacy import RealData, adapt, capacity, parse_call
from .ocx import EVENTS, OcxMethods
from .wire import Quote


class Event(object):
    """An OCX event on the class: on an instance, a signal with ``connect``/``disconnect``.

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


class APIServer(OcxMethods):
    """The facade in a child process, with the OCX's method names, arguments and return codes.

    ``loop``: where handlers run (``auto``, ``qt``, ``pump``, ``thread``; config.py says how
    ``auto`` chooses). ``call_timeout``: seconds a call waits for the bridge (default 60).
    """

    def __init__(self, bridge_command=None, stderr=None, loop=None, call_timeout=None):
        self._ctl = Control(self._deliver, loop=loop, bridge_command=bridge_command, stderr=stderr, call_timeout=call_timeout)
        self._handlers = {name: [] for name in EVENTS}
        self._overrides = {}  # event -> (the subclass's handler method, its capacity), or None

    @property
    def coalesced(self):
        """Quotes merged into a waiting one because the handlers fell behind (here and in the bridge)."""
        return self._ctl.coalesced

    def _waits(self):
        loop = self._ctl.loop
        return loop is not None and loop.kind == "thread"

    # -- life cycle ------------------------------------------------------------------------
    def api_init(self, sim_no=1, log_level=None, use_rest=False, appkey=None, secretkey=None, endpoints=None):
        """Starts the bridge and chooses the backend.

        ``use_rest`` True sends sim_no 0 to production and 1..3 to Kiwoom's paper-trading domain
        (keys from the arguments or KIWOOM_APPKEY / KIWOOM_SECRETKEY); False with 1..3 runs the
        built-in emulator; False with 0 is refused (there is no OCX here). ``log_level``: the
        bridge's (default warn, as in TypeScript); its lines go to stderr.
        """
        self._ctl.start()
        options = {"sim_no": sim_no, "use_rest": bool(use_rest)}
        if log_level is not None:
            options["log_level"] = log_level
        if use_rest:
            appkey = appkey if appkey is not None else os.environ.get("KIWOOM_APPKEY")
            secretkey = secretkey if secretkey is not None else os.environ.get("KIWOOM_SECRETKEY")
        if appkey is not None:
            options["appkey"] = appkey
        if secretkey is not None:
            options["secretkey"] = secretkey
        if endpoints is not None:
            options["endpoints"] = endpoints
        return self._ctl.call("api_init", (options,))

    def cleanup(self):
        """Removes registrations, stops conditions, revokes the token and ends the bridge (each step bounded). Twice is harmless."""
        self._ctl.close()
        return 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()
        return False

    # -- the api_server sketch's own forms -------------------------------------------------
    def CommConnect(self, block=True):
        """Logs in. With ``block`` returns after OnEventConnect was handled (running the host's
        loop meanwhile); without, at once with 0. 0 when accepted, or the OCX's error code."""
        ctl = self._ctl
        if not block:
            return ctl.call("CommConnect", (False,))
        return ctl.call("CommConnect", (True,), wait=True)

    def SendOrder(self, sRQName, sScreenNo, sAccNo, nOrderType, sCode, nQty, nPrice, sHogaGb, sOrgOrderNo=""):
        """nOrderType 1..6, sHogaGb "00"/"03"/...; 0 when sent, an OP_ERR code when refused."""
        return self._ocx("SendOrder", (sRQName, sScreenNo, sAccNo, nOrderType, sCode, nQty, nPrice, sHogaGb, sOrgOrderNo))

    def SetRealReg(self, strScreenNo, strCodeList, strFidList, strOptType="0"):
        return self._ocx("SetRealReg", (strScreenNo, strCodeList, strFidList, strOptType))

    def GetLastError(self):
        """The last refusal of any method, ``{"method", "code", "message"}``, or None."""
        return self._ctl.call("GetLastError", ())

    def dynamicCall(self, signature, *args):
        """PyQt's ``dynamicCall`` in every form (``"GetLoginInfo(QString)", "ACCNO"``, a list, inline arguments)."""
        name, call_args = parse_call(signature, args)
        method = getattr(self, name, None) if name in _CALLABLE else None
        if method is None:
            raise KiwoomCompatError("NotSupported", "dynamicCall: %s is not an OCX method (see MIGRATION.md)" % name, field="signature")
        return method(*call_args)

    # -- handlers --------------------------------------------------------------------------
    def on(self, event, handler):
        """Registers ``handler`` for an OCX event (in addition to an overriding method)."""
        if event not in self._handlers:
            raise ValueError("unknown event %r: one of %s" % (event, ", ".join(EVENTS)))
        self._handlers[event].append((handler, capacity(handler)))
        return handler

    def off(self, event, handler):
        """Removes a handler registered with ``on`` (or ``connect``)."""
        self._handlers[event] = [h for h in self._handlers.get(event, []) if h[0] is not handler]

    def _override(self, name):
        if name not in self._overrides:
            method = getattr(self, name, None)
            self._overrides[name] = None if method is None or isinstance(method, BoundEvent) else (method, capacity(method))
        return self._overrides[name]

    def _deliver(self, ev):
        name = ev.name
        override = self._override(name)
        handlers = self._handlers.get(name)
        if override is None and not handlers:
            return
        args = (ev.code, ev.schema.real, RealData(ev)) if ev.__class__ is Quote else ev.args
        if override is not None:
            override[0](*adapt(name, args, override[1]))
        for handler, cap in handlers or ():
            handler(*adapt(name, args, cap))


for _event in EVENTS:
    setattr(APIServer, _event, Event(_event))

#: Names dynamicCall reaches: the OCX's methods.
_CALLABLE = frozenset(name for name in dir(APIServer) if name[:1].isupper() and not name.startswith("On"))
