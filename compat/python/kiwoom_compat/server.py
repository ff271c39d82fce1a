"""``APIServer``: the OpenAPI+ surface of the seed's api_server, on kiwoom-compat.

Legacy code keeps its method calls and handlers::

    from kiwoom_compat import APIServer

    class MyServer(APIServer):
        def OnReceiveRealData(self, code, rtype, dictFID):
            print(code, rtype, dictFID["10"])

    api = MyServer()
    api.api_init(sim_no=1, use_rest=False)   # False + 1..3: the built-in emulator
    api.CommConnect(block=True)

Handlers are methods named after the OCX events (override them) or functions registered with
``api.on("OnReceiveRealData", fn)``; they run on one event thread, in order.
"""
import os
import threading

from .bridge import Bridge, KiwoomCompatError
from .legacy import KOA_FUNCTIONS, Event, BoundEvent, adapt, capacity, dynamic_call

#: The OCX events the bridge forwards, with the handler arguments.
EVENTS = (
    "OnEventConnect",          # (err_code)
    "OnReceiveTrData",         # (screen, rqname, trcode, record_name, prev_next)
    "OnReceiveRealData",       # (code, rtype, dictFID)
    "OnReceiveChejanData",     # (gubun, dictFID)
    "OnReceiveMsg",            # (screen, rqname, trcode, msg)
    "OnReceiveConditionVer",   # (ret, msg)
    "OnReceiveTrCondition",    # (screen, code_list, cond_name, cond_index, next)
    "OnReceiveRealCondition",  # (code, type, cond_name, cond_index)
)


class APIServer(object):
    """The facade in a child process, with the OCX's method names, arguments and return codes."""

    def __init__(self, bridge_command=None, stderr=None):
        self._bridge_command = bridge_command
        self._stderr = stderr
        self._bridge = None
        self._handlers = {name: [] for name in EVENTS}
        self._chejan = {}
        self._real = {}
        self._method_caps = {}
        self._lock = threading.Lock()

    @property
    def coalesced(self):
        """Real-time events merged into a waiting one because the handlers fell behind."""
        bridge = self._bridge
        return bridge.coalesced if bridge is not None else 0

    # -- life cycle ------------------------------------------------------------------------
    def api_init(self, sim_no=1, log_level="info", use_rest=False, appkey=None, secretkey=None, endpoints=None):
        """Starts the bridge and chooses the backend.

        ``use_rest`` True sends sim_no 0 to production and 1..3 to Kiwoom's paper-trading domain
        (keys from the arguments or KIWOOM_APPKEY / KIWOOM_SECRETKEY); False with 1..3 runs the
        built-in emulator; False with 0 is refused (there is no OCX here).
        """
        with self._lock:
            if self._bridge is None:
                self._bridge = Bridge(self._deliver, command=self._bridge_command, stderr=self._stderr)
        options = {"sim_no": sim_no, "use_rest": bool(use_rest), "log_level": log_level}
        if use_rest:
            appkey = appkey if appkey is not None else os.environ.get("KIWOOM_APPKEY")
            secretkey = secretkey if secretkey is not None else os.environ.get("KIWOOM_SECRETKEY")
        if appkey is not None:
            options["appkey"] = appkey
        if secretkey is not None:
            options["secretkey"] = secretkey
        if endpoints is not None:
            options["endpoints"] = endpoints
        return self._call("api_init", options)

    def cleanup(self):
        """Removes registrations, stops conditions, revokes the token and ends the bridge. Twice is harmless."""
        with self._lock:
            bridge, self._bridge = self._bridge, None
        if bridge is None:
            return 0
        try:
            bridge.call("cleanup")
        finally:
            bridge.close()
        return 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()
        return False

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

    def _deliver(self, event, args):
        # Values the OCX read inside handlers are kept here, so the getters need no round trip.
        if event == "OnReceiveChejanData":
            self._chejan = args[1] if len(args) > 1 else {}
        elif event == "OnReceiveRealData" and len(args) > 2:
            self._real.setdefault(args[0], {}).update(args[2])
        method = getattr(self, event, None)
        if method is not None and not isinstance(method, BoundEvent):
            if event not in self._method_caps:
                self._method_caps[event] = capacity(method)
            method(*adapt(event, args, self._method_caps[event]))
        for handler, cap in list(self._handlers.get(event, ())):
            handler(*adapt(event, args, cap))

    # Override these in a subclass, or connect slots: api.OnReceiveRealData.connect(slot).
    OnEventConnect = Event("OnEventConnect")  # (err_code)
    OnReceiveTrData = Event("OnReceiveTrData")  # (screen, rqname, trcode, record_name, prev_next)
    OnReceiveRealData = Event("OnReceiveRealData")  # (code, rtype, dictFID)
    OnReceiveChejanData = Event("OnReceiveChejanData")  # (gubun, dictFID)
    OnReceiveMsg = Event("OnReceiveMsg")  # (screen, rqname, trcode, msg)
    OnReceiveConditionVer = Event("OnReceiveConditionVer")  # (ret, msg)
    OnReceiveTrCondition = Event("OnReceiveTrCondition")  # (screen, code_list, cond_name, cond_index, next)
    OnReceiveRealCondition = Event("OnReceiveRealCondition")  # (code, type, cond_name, cond_index)

    def dynamicCall(self, signature, *args):
        """PyQt's ``dynamicCall("Method(QString, int)", ...)``, so OCX call sites can stay as they are."""
        return dynamic_call(self, OCX_METHODS, signature, args)

    def KOA_Functions(self, name, param=""):
        """``GetServerGubun`` and ``ShowAccountWindow``; other sub-commands raise, naming what to use."""
        fn = KOA_FUNCTIONS.get(name)
        if fn is None:
            raise KiwoomCompatError("NotSupported", "KOA_Functions(%r) is not provided: see MIGRATION.md (KOA_Functions sub-commands)" % name, field="sFunctionName")
        return fn(self, param)

    # -- OCX methods -----------------------------------------------------------------------
    def _call(self, method, *args):
        bridge = self._bridge
        if bridge is None:
            raise KiwoomCompatError("SessionError", "call api_init() before %s" % method)
        return bridge.call(method, *args)

    def CommConnect(self, block=True):
        """Logs in; with ``block`` returns after OnEventConnect was handled. 0 when accepted."""
        return self._call("CommConnect", bool(block))

    def GetConnectState(self):
        return self._call("GetConnectState")

    def GetLoginInfo(self, tag):
        return self._call("GetLoginInfo", tag)

    def SendOrder(self, rqname, screen, accno, order_type, code, qty, price, hoga, org_order_no=""):
        """nOrderType 1..6, sHogaGb "00"/"03"/...; 0 when sent, an OP_ERR code when refused."""
        return self._call("SendOrder", rqname, screen, accno, int(order_type), code, int(qty), int(price), hoga, org_order_no)

    def SendOrderCredit(self, rqname, screen, accno, order_type, code, qty, price, hoga, credit_gb, loan_date, org_order_no=""):
        return self._call("SendOrderCredit", rqname, screen, accno, int(order_type), code, int(qty), int(price), hoga, credit_gb, loan_date, org_order_no)

    def SetRealReg(self, screen, code_list, fid_list, opt_type="0"):
        return self._call("SetRealReg", screen, code_list, fid_list, str(opt_type))

    def SetRealRemove(self, screen, code):
        return self._call("SetRealRemove", screen, code)

    def DisconnectRealData(self, screen):
        return self._call("DisconnectRealData", screen)

    def GetCommRealData(self, code, fid):
        """The latest value of ``fid`` for ``code`` from real data ("" when none arrived)."""
        return self._real.get(code, {}).get(str(fid), "")

    def GetConditionLoad(self):
        return self._call("GetConditionLoad")

    def GetConditionNameList(self):
        return self._call("GetConditionNameList")

    def SendCondition(self, screen, cond_name, index, search):
        return self._call("SendCondition", screen, cond_name, int(index), int(search))

    def SendConditionStop(self, screen, cond_name, index):
        return self._call("SendConditionStop", screen, cond_name, int(index))

    def SetInputValue(self, name, value):
        return self._call("SetInputValue", name, str(value))

    def CommRqData(self, rqname, trcode, prev_next, screen):
        return self._call("CommRqData", rqname, trcode, int(prev_next), screen)

    def GetCommData(self, trcode, rqname, index, item):
        return self._call("GetCommData", trcode, rqname, int(index), item)

    def GetRepeatCnt(self, trcode, rqname):
        return self._call("GetRepeatCnt", trcode, rqname)

    def GetChejanData(self, fid):
        """The value of ``fid`` in the chejan event being handled (the last one after it)."""
        return self._chejan.get(str(fid), "")

    def GetMasterCodeName(self, code):
        return self._call("GetMasterCodeName", code)

    def GetCodeListByMarket(self, market):
        return self._call("GetCodeListByMarket", str(market))


#: The OCX methods dynamicCall reaches.
OCX_METHODS = frozenset(
    name
    for name in dir(APIServer)
    if name[:1].isupper() and not name.startswith("On") and callable(getattr(APIServer, name))
)
