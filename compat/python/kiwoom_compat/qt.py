"""``QAxWidget``: PyQt's ActiveX widget as Kiwoom OCX programs create it, on kiwoom-compat.

::

    from kiwoom_compat.qt import QAxWidget          # instead of: from PyQt5.QAxContainer import QAxWidget

    self.ocx = QAxWidget("KHOPENAPI.KHOpenAPICtrl.1")
    self.ocx.OnEventConnect.connect(self._on_login)
    self.ocx.dynamicCall("CommConnect()")
    self.login_loop = QEventLoop()
    self.login_loop.exec_()                          # left by self.login_loop.exit() in _on_login

It is a real QWidget of the Qt binding the program uses (PyQt5, PyQt6, PySide2 or PySide6),
its events are real Qt signals with the OCX's arguments, and ``dynamicCall`` takes every form
PyQt takes. As with the OCX, calls return their code at once and the events arrive later
through the program's Qt event loop (loops.py, ``qt``). Which backend it uses comes from the
settings (config.py): with none, the built-in emulator.
"""
import sys

from . import config
from .control import Control
from .legacy import ocx_args, parse_call
from .ocx import EVENTS, SIGNATURES, OcxMethods
from .wire import Quote

#: The names the Kiwoom control answers to in setControl / the constructor.
CONTROL_NAMES = frozenset(["KHOPENAPI.KHOpenAPICtrl.1", "KHOPENAPI.KHOPENAPICTRL.1", "{A1574A0D-6BFA-4BD7-9020-DED88711818D}"])
_SIGNAL_TYPES = {"BSTR": str, "long": int, "int": int, "BOOL/long": int}


class _Ocx(OcxMethods):
    """The OCX behind one QAxWidget: calls return their code; handlers run in the Qt loop."""

    def __init__(self, control):
        self._ctl = control


def _binding():
    """The Qt binding the program imported (the first of PyQt5, PyQt6, PySide6, PySide2 in sys.modules)."""
    for name in ("PyQt5", "PyQt6", "PySide6", "PySide2"):
        if name + ".QtCore" in sys.modules or name in sys.modules:
            return name
    for name in ("PyQt5", "PyQt6", "PySide6", "PySide2"):
        try:
            __import__(name + ".QtWidgets")
            return name
        except ImportError:
            continue
    raise ImportError("kiwoom_compat.qt needs a Qt binding: PyQt5, PyQt6, PySide2 or PySide6")


_CLASSES = {}


def widget_class(binding=None):
    """The QAxWidget class for a Qt binding (made once per binding)."""
    binding = binding or _binding()
    if binding not in _CLASSES:
        _CLASSES[binding] = _make(binding)
    return _CLASSES[binding]


def _make(binding):
    QtCore = __import__(binding + ".QtCore", fromlist=["QtCore"])
    QtWidgets = __import__(binding + ".QtWidgets", fromlist=["QtWidgets"])
    Signal = getattr(QtCore, "pyqtSignal", None) or QtCore.Signal

    def __init__(self, *args):
        parent = None
        control = None
        for a in args:
            if isinstance(a, str):
                control = a
            elif a is not None:
                parent = a
        QtWidgets.QWidget.__init__(self, parent)
        self._control_name = ""
        self._ocx = None
        if control is not None:
            self.setControl(control)

    def setControl(self, name):
        """Loads the control: for the Kiwoom OCX, starts the bridge and chooses the backend from the settings."""
        if name.strip() not in CONTROL_NAMES:
            sys.stderr.write("QAxBase::setControl: requested control %s could not be instantiated (kiwoom-compat provides KHOPENAPI.KHOpenAPICtrl.1 only)\n" % name)
            return False
        if self._ocx is None:
            control = Control(self._deliver, loop="qt")
            control.start()
            control.call("api_init", (config.api_init_options(),))
            self._ocx = _Ocx(control)
        self._control_name = name.strip()
        return True

    def control(self):
        return self._control_name

    def isNull(self):
        return self._ocx is None

    def clear(self):
        """Unloads the control: removes registrations, revokes the token, ends the bridge."""
        if self._ocx is not None:
            self._ocx._ctl.close()
            self._ocx = None
            self._control_name = ""

    def dynamicCall(self, function, *args):
        """Calls a method of the control in every form PyQt takes (see legacy.parse_call); None for an unknown one, as QAxBase."""
        try:
            name, call_args = parse_call(function, args)
        except ValueError:
            return self._fail(function, "Unknown name")
        if self._ocx is None or name not in SIGNATURES["methods"]:
            return self._fail(name, "Unknown name" if self._ocx is not None else "control not loaded")
        if len(call_args) != len(SIGNATURES["methods"][name]["args"]):
            return self._fail(name, "Bad parameter count")
        if name == "CommConnect":
            return self._ocx._ctl.call("CommConnect", (False,))  # the OCX returns at once; OnEventConnect follows
        return getattr(self._ocx, name)(*call_args)

    def _fail(self, name, why):
        # What QAxBase does: a warning on stderr, the exception signal, an invalid QVariant (None).
        sys.stderr.write("QAxBase: Error calling IDispatch member %s: %s\n" % (name, why))
        self.exception.emit(-1, "QAxBase", "%s: %s" % (name, why), "")
        return None

    def querySubObject(self, *args):
        return None

    def generateDocumentation(self):
        return "".join("<p>%s(%s)</p>" % (n, ", ".join("%s %s" % (t, a) for a, t in m["args"])) for n, m in SIGNATURES["methods"].items())

    def _deliver(self, ev):
        signal = getattr(self, ev.name, None)
        if signal is None:
            return
        if ev.__class__ is Quote:
            signal.emit(ev.code, ev.schema.real, ev.real_data())
        else:
            signal.emit(*ocx_args(ev.name, ev.args))

    def closeEvent(self, event):
        self.clear()
        QtWidgets.QWidget.closeEvent(self, event)

    namespace = {
        "__init__": __init__, "setControl": setControl, "control": control, "isNull": isNull, "clear": clear,
        "dynamicCall": dynamicCall, "_fail": _fail, "querySubObject": querySubObject,
        "generateDocumentation": generateDocumentation, "_deliver": _deliver, "closeEvent": closeEvent,
        "exception": Signal(int, str, str, str),
        "__doc__": __doc__,
    }
    for event in EVENTS:
        namespace[event] = Signal(*[_SIGNAL_TYPES.get(t, str) for _, t in SIGNATURES["events"][event]["args"]])
    return type("QAxWidget", (QtWidgets.QWidget,), namespace)


def __getattr__(name):
    # `from kiwoom_compat.qt import QAxWidget`: the class for the binding the program imported.
    if name == "QAxWidget":
        return widget_class()
    raise AttributeError(name)
