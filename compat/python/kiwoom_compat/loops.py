"""How events reach the program: the loop adapters.

The OCX raised its events through the host's message loop, and legacy programs wait for them
in that loop. One delivery queue (delivery.py) feeds whichever adapter fits the host:

- ``qt``: a QCoreApplication exists (PyQt5/6, PySide2/6). The reader thread posts a Qt event
  to an object living on the main thread; handlers run there, inside the program's
  ``QEventLoop().exec_()`` or ``app.exec_()``, so ``loop.exit()`` in a handler works.
- ``pump``: the program pumps ``pythoncom.PumpWaitingMessages()`` (our stand-in where pywin32
  is absent); each pump runs the waiting handlers on the pumping thread.
- ``thread``: no loop at all (plain scripts, the api_server sketch): the bridge's two reader
  threads run the handlers, and calls can wait until the handlers of the events they caused
  have run. The thread that read a line hands the reading to the other thread and, when no
  handler is running, runs the line's handlers at once (leader/follower): waking a dispatcher
  thread for each line cost 0.3 ms at the median and 2 ms at p99 on a loaded machine, now spent
  while the handlers already run. Handlers still run one at a time and in order; a handler that
  calls the bridge waits while the other thread reads the answer, and a slow handler never
  keeps the answers of other threads' calls from being read.

``auto`` picks ``qt`` when a Qt application exists, else ``pump`` when the stand-in pythoncom
was imported, else ``thread``. Each adapter also knows how to wait (``run_until``) without
starving its own loop.
"""
import sys
import threading
import time
import traceback

QT_BINDINGS = ("PyQt5", "PyQt6", "PySide6", "PySide2")
#: How long one delivery turn may run before the Qt loop gets the thread back (seconds).
QT_TURN = 0.02


def qt_core():
    """The QtCore module of the Qt binding whose application exists, or None."""
    for name in QT_BINDINGS:
        core = sys.modules.get(name + ".QtCore")
        if core is not None and core.QCoreApplication.instance() is not None:
            return core
    return None


def auto_kind():
    """The loop a program of this kind waits in (see the module docstring)."""
    if qt_core() is not None:
        return "qt"
    for name in ("pythoncom", "kiwoom_compat.pythoncom"):
        if getattr(sys.modules.get(name), "KIWOOM_COMPAT_STAND_IN", False):
            return "pump"
    return "thread"


def create(kind, control):
    """The adapter for ``kind`` (``auto``, ``qt``, ``pump`` or ``thread``)."""
    if kind in (None, "", "auto"):
        kind = auto_kind()
    if kind == "qt":
        core = qt_core()
        if core is None:
            raise RuntimeError("loop 'qt' needs a QApplication (create one before the control, as with the OCX)")
        return QtLoop(control, core)
    if kind == "pump":
        return PumpLoop(control)
    if kind == "thread":
        return ThreadLoop(control)
    raise ValueError("loop must be auto, qt, pump or thread, not %r" % (kind,))


class ThreadLoop(object):
    """The threads that read the bridge run the handlers, one at a time, in order (the module docstring says how)."""

    kind = "thread"
    #: Two threads take turns at reading, so that one can run handlers while the other reads.
    readers = 2

    def __init__(self, control):
        self._control = control
        self._role = threading.Lock()  # held by the thread running handlers

    def after_line(self):
        """On the thread that just read a line (the other thread reads now): runs the waiting
        handlers unless a thread runs them already; that thread then runs these too."""
        control = self._control
        delivery = control.delivery
        role = self._role
        # Events put after the runner's last take but before it let go of the role found the role
        # held: the runner looks again after letting go, so no event is left waiting.
        # A closed and restarted control has a new loop; this one's threads leave its events alone.
        while control.loop is self and (len(delivery) or control.pending):
            if not role.acquire(False):
                return
            try:
                control.drain()
            except BaseException:  # a handler's SystemExit, or an event that broke its decoding
                traceback.print_exc()
            finally:
                role.release()

    def wake(self):
        """Nothing to do: the thread that put the events runs them (``after_line``)."""

    def on_handler_thread(self):
        return self._control.in_handler()

    def run_until(self, predicate, timeout):
        if self.on_handler_thread():
            return predicate()
        return self._control.delivery.wait(predicate, timeout)

    def stop(self):
        self._control.delivery.close()


class PumpLoop(object):
    """Handlers run when the program pumps (``pythoncom.PumpWaitingMessages()``), on the pumping thread."""

    kind = "pump"
    readers = 1
    after_line = None

    def __init__(self, control):
        self._control = control

    def wake(self):
        """Nothing to do: a pump that waits for events waits on the queue itself."""

    def on_handler_thread(self):
        return self._control.in_handler()

    def pump(self, wait=0.0):
        """Runs the waiting handlers; with nothing waiting, waits up to ``wait`` seconds for some first."""
        control = self._control
        if wait and not control.pending and not len(control.delivery):
            control.delivery.wait(lambda: len(control.delivery) > 0, wait)
        return control.drain()

    def run_until(self, predicate, timeout):
        deadline = None if timeout is None else time.monotonic() + timeout
        while not predicate():
            if self._control.delivery.closed:
                return predicate()
            left = 0.05 if deadline is None else min(0.05, deadline - time.monotonic())
            if left <= 0:
                return False
            self.pump(left)
        return True

    def stop(self):
        self._control.delivery.close()


class QtLoop(object):
    """Handlers run on the Qt main thread, from a posted event, inside whatever loop the program runs."""

    kind = "qt"
    readers = 1
    after_line = None

    def __init__(self, control, core):
        self._control = control
        self._core = core
        self._posted = False
        self._waits = []
        self._type = getattr(core.QEvent, "User", None) or core.QEvent.Type.User
        loop = self

        def event(receiver, ev):
            if ev.type() == loop._type:
                loop._posted = False
                loop._turn()
                return True
            return core.QObject.event(receiver, ev)

        receiver_class = type("KiwoomCompatReceiver", (core.QObject,), {"event": event})
        self._receiver = receiver_class()
        app = core.QCoreApplication.instance()
        if self._receiver.thread() is not app.thread():
            self._receiver.moveToThread(app.thread())

    def _turn(self):
        more = self._control.drain(budget=QT_TURN)
        if more:
            self.wake()
        for predicate, loop in list(self._waits):
            if predicate() or self._control.delivery.closed:
                loop.quit()

    def wake(self):
        """Called by the reader thread: post one delivery turn to the main thread."""
        if self._posted:
            return
        self._posted = True
        try:
            self._core.QCoreApplication.postEvent(self._receiver, self._core.QEvent(self._type))
        except RuntimeError:  # the application is gone (program exit)
            self._posted = False

    def on_handler_thread(self):
        return self._control.in_handler()

    def run_until(self, predicate, timeout):
        """Runs a nested Qt event loop (as the program's own waits do) until ``predicate()``."""
        if predicate():
            return True
        app = self._core.QCoreApplication.instance()
        if app is None or threading.current_thread() is not threading.main_thread():
            return self._control.delivery.wait(predicate, timeout)
        loop = self._core.QEventLoop()
        entry = (predicate, loop)
        self._waits.append(entry)
        timer = None
        if timeout is not None:
            timer = self._core.QTimer()
            timer.setSingleShot(True)
            timer.timeout.connect(loop.quit)
            timer.start(int(timeout * 1000))
        try:
            self.wake()
            run = getattr(loop, "exec_", None) or getattr(loop, "exec")
            run()
        finally:
            self._waits.remove(entry)
            if timer is not None:
                timer.stop()
        return predicate()

    def stop(self):
        self._control.delivery.close()
