"""``win32com.client.DispatchWithEvents("KHOPENAPI.KHOpenAPICtrl.1", Handler)`` on kiwoom-compat.

::

    import pythoncom
    import win32com.client

    class Handler:
        connected = False
        def OnEventConnect(self, nErrCode):
            Handler.connected = nErrCode == 0

    ocx = win32com.client.DispatchWithEvents("KHOPENAPI.KHOpenAPICtrl.1", Handler)
    ocx.CommConnect()
    while not Handler.connected:
        pythoncom.PumpWaitingMessages()

As with pywin32, the object has the control's methods (``ocx.GetLoginInfo("ACCNO")``) and is an
instance of the handler class, whose ``On...`` methods get each event with the OCX's
arguments, when the program pumps. Calls return their code at once, as COM calls did. Which
backend it uses comes from the settings (config.py); with none, the built-in emulator.
"""
from .. import config
from ..control import Control
from ..legacy import ocx_args
from ..ocx import OcxMethods
from ..wire import Quote

#: The names the Kiwoom control answers to.
PROGIDS = frozenset(["KHOPENAPI.KHOpenAPICtrl.1", "KHOPENAPI.KHOPENAPICTRL.1", "{A1574A0D-6BFA-4BD7-9020-DED88711818D}"])


class _Dispatch(OcxMethods):
    """The control as COM gives it: the OCX's methods, called directly."""

    def __init__(self):
        self._ctl = Control(self._deliver, loop="pump")
        self._ctl.start()
        self._ctl.call("api_init", (config.api_init_options(),))

    def CommConnect(self):
        return self._ctl.call("CommConnect", (False,))  # at once; OnEventConnect follows

    def _deliver(self, ev):
        handler = getattr(self, ev.name, None)
        if handler is None or not callable(handler):
            return
        if ev.__class__ is Quote:
            handler(ev.code, ev.schema.real, ev.real_data())
        else:
            handler(*ocx_args(ev.name, ev.args))

    def Close(self):
        """Not in pywin32: ends the bridge now (otherwise it ends with the program)."""
        self._ctl.close()


def _check(progid):
    if progid not in PROGIDS:
        raise OSError("kiwoom-compat's win32com provides the Kiwoom OCX (KHOPENAPI.KHOpenAPICtrl.1) only, not %r" % (progid,))


def Dispatch(progid, *args, **kwargs):
    """The control without events (as pywin32's Dispatch)."""
    _check(progid)
    return _Dispatch()


def DispatchWithEvents(progid, user_event_class):
    """The control whose events call ``user_event_class``'s ``On...`` methods (as pywin32's)."""
    _check(progid)
    cls = type("COMEventClass", (_Dispatch, user_event_class), {})
    obj = cls()
    init = getattr(user_event_class, "__init__", None)
    if init is not None and init is not object.__init__:
        init(obj)
    return obj
