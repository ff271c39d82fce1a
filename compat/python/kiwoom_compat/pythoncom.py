"""A stand-in for pywin32's ``pythoncom`` where there is no Windows: what OCX programs call.

pykiwoom-style programs wait for the OCX's events by pumping::

    self.ocx.dynamicCall("CommConnect()")
    while not self.connected:
        pythoncom.PumpWaitingMessages()

``PumpWaitingMessages()`` here runs the handlers of the events that have arrived for every
control of this process (and the Qt events, when a Qt application exists, as the Windows pump
did); with none waiting it waits up to a millisecond for one, so such loops do not spin a core.
``PumpMessages()`` runs them until every control is closed. The COM calls are no-ops.

Importing this module (as the runner's ``pythoncom``, or ``from kiwoom_compat import pythoncom``)
makes ``APIServer`` choose the ``pump`` loop (loops.py).
"""
from . import control, loops

#: Marks the stand-in (loops.auto_kind looks for it).
KIWOOM_COMPAT_STAND_IN = True
#: How long a pump with nothing waiting waits for something (seconds).
IDLE_WAIT = 0.001

COINIT_APARTMENTTHREADED = 0x2
COINIT_MULTITHREADED = 0x0
COINIT_DISABLE_OLE1DDE = 0x4
COINIT_SPEED_OVER_MEMORY = 0x8


class com_error(Exception):
    """pywin32's COM error type (nothing here raises it)."""


def CoInitialize():
    return None


def CoInitializeEx(flags=COINIT_APARTMENTTHREADED):
    return None


def CoUninitialize():
    return None


def PumpWaitingMessages(first=0, last=-1):
    """Runs the handlers of the waiting events; 0 (1 would mean WM_QUIT, which never comes here)."""
    core = loops.qt_core()
    if core is not None:
        core.QCoreApplication.processEvents()
    control.pump_all(IDLE_WAIT)
    return 0


def PumpMessages():
    """Runs handlers until every control is closed (or Ctrl+C)."""
    while any(c.started for c in list(control.CONTROLS)):
        PumpWaitingMessages()
