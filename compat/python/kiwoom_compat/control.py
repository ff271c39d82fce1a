"""One OCX control: the bridge (wire), the delivery queue, the getters' state and the loop
adapter that runs the handlers. The faces (APIServer, QAxWidget, pykiwoom's Kiwoom) are thin
shapes over it.
"""
import collections
import threading
import time
import traceback
import weakref

from . import config, loops
from .delivery import Delivery
from .errors import BridgeClosed, KiwoomCompatError
from .state import State
from .wire import Quote, Wire

#: Calls whose work takes longer than a query's (seconds; at least the configured timeout).
SLOW_CALLS = {"api_init": 120.0, "CommConnect": 180.0}
#: Most seconds cleanup() waits for the bridge's own cleanup, then for the process to end
#: (never more than the call timeout), before it kills the process.
CLEANUP_TIMEOUT = 10.0
EXIT_TIMEOUT = 5.0

#: Controls alive in this process (the pythoncom stand-in pumps every one).
CONTROLS = weakref.WeakSet()


class Control(object):
    """The engine under a face. ``on_event(ev)`` runs the face's handlers on the loop's thread."""

    def __init__(self, on_event, loop=None, bridge_command=None, stderr=None, call_timeout=None):
        self._on_event = on_event
        self._bridge_command = bridge_command
        self._stderr = stderr
        s = config.settings()
        self.loop_kind = loop or s["loop"]
        self.call_timeout = call_timeout if call_timeout is not None else s["call_timeout"]
        self.delivery = Delivery()
        self.state = State()
        self.pending = collections.deque()
        self.wire = None
        self.loop = None
        self._local = threading.local()
        self._lock = threading.Lock()
        CONTROLS.add(self)

    # -- life cycle ------------------------------------------------------------------------
    @property
    def started(self):
        return self.wire is not None and not self.wire.closed

    def start(self):
        """Starts the bridge process and the loop adapter (once; again after close)."""
        with self._lock:
            if self.started:
                return
            self.delivery = Delivery()
            self.state = State()
            self.pending = collections.deque()
            self.loop = loops.create(self.loop_kind, self)
            self.delivery.on_put = self.loop.wake
            self.wire = Wire(self.delivery.put_many, command=self._bridge_command, stderr=self._stderr, on_closed=self.delivery.close, readers=self.loop.readers, after_line=self.loop.after_line)

    def close(self):
        """Asks the bridge to clean up (bounded), ends it, stops the loop. Twice is harmless."""
        with self._lock:
            wire, self.wire = self.wire, None
        if wire is None:
            return
        try:
            if not wire.closed:
                wire.call("cleanup", (), min(self.call_timeout, CLEANUP_TIMEOUT))
        except KiwoomCompatError:
            pass  # a stuck or dead bridge must not keep the program from ending
        finally:
            wire.close(min(self.call_timeout, EXIT_TIMEOUT))
            if self.loop is not None:
                self.loop.stop()

    # -- calls -----------------------------------------------------------------------------
    def timeout_for(self, method):
        return max(self.call_timeout, SLOW_CALLS.get(method, 0.0))

    def call(self, method, args, wait=False, timeout=None):
        """Calls ``method`` on the bridge and returns its result.

        With ``wait``, returns only after the handlers of the events that came before the answer
        (the events the call caused) have run, unless called from a handler.
        """
        wire = self.wire
        if wire is None:
            raise KiwoomCompatError("SessionError", "call api_init() before %s" % method)
        t = self.timeout_for(method) if timeout is None else timeout
        result, upto = wire.call(method, args, t)
        if wait:
            self.wait_handled(upto, t)
        return result

    def has(self, method):
        """Whether the bridge serves ``method``."""
        wire = self.wire
        return wire is not None and method in wire.info.get("methods", ())

    def wait_handled(self, upto, timeout=None):
        """Waits (in the host's loop) until the handlers of every event up to ``upto`` have run."""
        loop = self.loop
        if loop is None or loop.on_handler_thread():
            return True
        delivery = self.delivery
        return loop.run_until(lambda: delivery.done_seq >= upto, timeout)

    def wait_for(self, predicate, timeout=None):
        """Runs the host's loop until ``predicate()`` holds (a handler set it) or ``timeout`` passes."""
        if self.loop is None:
            return predicate()
        return self.loop.run_until(predicate, timeout)

    # -- handlers --------------------------------------------------------------------------
    def in_handler(self):
        return getattr(self._local, "depth", 0) > 0

    def drain(self, budget=None):
        """Runs the handlers of the waiting events in order; True when some are left once ``budget`` (s) is spent."""
        pending = self.pending
        delivery = self.delivery
        deadline = None if budget is None else time.monotonic() + budget
        local = self._local
        local.depth = getattr(local, "depth", 0) + 1
        n = 0
        try:
            while True:
                if not pending:
                    taken = delivery.take()
                    if not taken:
                        delivery.settle()
                        return False
                    pending.extend(taken)
                ev = pending.popleft()
                try:
                    self._dispatch(ev)
                finally:
                    delivery.handled(ev.seq)
                n += 1
                if deadline is not None and not n & 63 and time.monotonic() > deadline:
                    return True
        except BaseException:
            # A handler's SystemExit passed the dispatch: its event counts as handled, and a call
            # waiting for it must hear so now (settle wakes waiters), not at its timeout.
            if not pending:
                delivery.settle()
            raise
        finally:
            local.depth -= 1

    def _dispatch(self, ev):
        state = self.state
        if ev.__class__ is Quote:
            state.take_quote(ev)
            state.quote = ev
            try:
                self._on_event(ev)
            except Exception:  # a failing handler must not stop the stream, as with the OCX
                traceback.print_exc()
            finally:
                state.quote = None
            return
        state.take(ev)
        try:
            self._on_event(ev)
        except Exception:
            traceback.print_exc()
        finally:
            state.handled(ev)

    @property
    def coalesced(self):
        """Quotes merged because handlers fell behind: in this process and in the bridge."""
        wire = self.wire
        return self.delivery.coalesced + (wire.coalesced if wire is not None else 0)


def pump_all(wait=0.0):
    """Runs the waiting handlers of every control served by pumping (the pythoncom stand-in)."""
    pumped = [c for c in list(CONTROLS) if c.loop is not None and c.loop.kind == "pump"]
    if not pumped:
        if wait:
            time.sleep(wait)
        return
    for i, control in enumerate(pumped):
        control.loop.pump(wait if i == 0 else 0.0)


__all__ = ["Control", "CONTROLS", "pump_all", "BridgeClosed"]
