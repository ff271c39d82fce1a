"""The child process running ``kiwoom-compat bridge --stdio`` and the line protocol to it.

One reader thread takes lines off the child's stdout: replies go to the waiting caller (matched
by ``id``), events go to a queue that one dispatcher thread drains, so that handlers run in
order on a single thread, as OCX handlers did, and may themselves call methods (the reply is
read by the reader thread, never by the thread that waits for it).
"""
import itertools
import json
import os
import shlex
import shutil
import subprocess
import sys
import threading
import traceback

from .events import EventQueue

PROTOCOL = 1
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
#: dist/cli/main.js when the package sits in the kiwoom-compat tree (repo or node_modules).
_REPO_MAIN = os.path.normpath(os.path.join(_PACKAGE_DIR, "..", "..", "..", "dist", "cli", "main.js"))


class KiwoomCompatError(Exception):
    """A call the bridge refused or that failed on the Node side.

    ``name`` is the library's error class (``ValidationError``, ``ApiError``...), ``field`` the
    offending argument when known, ``code`` Kiwoom's or the OCX's code when known.
    """

    def __init__(self, name, message, field=None, code=None, category=None):
        super().__init__("%s: %s" % (name, message))
        self.name = name
        self.message = message
        self.field = field
        self.code = code
        self.category = category


class BridgeClosed(KiwoomCompatError):
    """The bridge process ended (or never started) while a call was waiting."""

    def __init__(self, message):
        super().__init__("BridgeClosed", message)


def bridge_command():
    """The command that starts the bridge.

    ``KIWOOM_COMPAT_BRIDGE`` (a full command line) wins; then the ``dist/cli/main.js`` of the
    kiwoom-compat tree this package belongs to, run with ``node --optimize-for-size`` (the bridge
    lives as long as the program; under default flags V8 lets the garbage of a fast real-time
    stream pile up to a full GC, tens of MB, see README "Performance"); then ``kiwoom-compat`` on
    PATH.
    """
    override = os.environ.get("KIWOOM_COMPAT_BRIDGE")
    if override:
        return shlex.split(override)
    if os.path.exists(_REPO_MAIN):
        return [os.environ.get("KIWOOM_COMPAT_NODE", "node"), "--optimize-for-size", _REPO_MAIN, "bridge", "--stdio"]
    exe = shutil.which("kiwoom-compat")
    if exe:
        return [exe, "bridge", "--stdio"]
    raise BridgeClosed(
        "kiwoom-compat not found: install it (npm install kiwoom-compat), build it (npm run build), "
        "or set KIWOOM_COMPAT_BRIDGE to the command that runs `kiwoom-compat bridge --stdio`"
    )


class Bridge(object):
    """A running bridge process. ``on_event(name, args)`` is called on the dispatcher thread."""

    def __init__(self, on_event, command=None, stderr=None, ready_timeout=30.0, coalesce_above=1000):
        self._on_event = on_event
        self._ids = itertools.count(1)
        self._pending = {}
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._events = EventQueue(coalesce_above)
        self._ready = threading.Event()
        self._closed = False
        self._read_seq = 0  # last event seq read off the pipe
        self._done_seq = 0  # last event seq whose handlers have returned
        self._done_cond = threading.Condition()
        self.info = None
        command = command or bridge_command()
        try:
            self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)
        except OSError as err:
            raise BridgeClosed("could not start the bridge (%s): %s" % (" ".join(command), err))
        self._reader = threading.Thread(target=self._read, name="kiwoom-compat-reader", daemon=True)
        self._dispatcher = threading.Thread(target=self._dispatch, name="kiwoom-compat-events", daemon=True)
        self._reader.start()
        self._dispatcher.start()
        if not self._ready.wait(ready_timeout) or self.info is None:
            self.close()
            raise BridgeClosed("the bridge did not start (command: %s)" % " ".join(command))
        if self.info.get("protocol") != PROTOCOL:
            self.close()
            raise BridgeClosed("bridge protocol %r, this package speaks %d" % (self.info.get("protocol"), PROTOCOL))

    # -- calls -----------------------------------------------------------------------------
    def call(self, method, *args, **kw):
        """Calls ``method`` and returns its result.

        When called from outside the event thread, it returns only after the handlers of the
        events written before the reply (the events the call caused) have run, so that
        ``CommConnect(True)`` returns after ``OnEventConnect`` was handled, as with the OCX.
        """
        timeout = kw.get("timeout")
        call_id = next(self._ids)
        slot = {"done": threading.Event()}
        with self._lock:
            if self._closed:
                raise BridgeClosed("the bridge is closed")
            self._pending[call_id] = slot
        line = json.dumps({"id": call_id, "method": method, "args": list(args)}, ensure_ascii=False)
        try:
            with self._write_lock:
                self.proc.stdin.write((line + "\n").encode("utf-8"))
                self.proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            with self._lock:
                self._pending.pop(call_id, None)
            raise BridgeClosed("the bridge process is gone")
        if not slot["done"].wait(timeout):
            with self._lock:
                self._pending.pop(call_id, None)
            raise KiwoomCompatError("TimeoutError", "%s did not answer within %ss" % (method, timeout))
        if threading.current_thread() is not self._dispatcher:
            self._wait_handled(slot.get("seq", 0))
        if "error" in slot:
            e = slot["error"] or {}
            if e.get("name") == "BridgeClosed":
                raise BridgeClosed(e.get("message", ""))
            raise KiwoomCompatError(e.get("name", "Error"), e.get("message", ""), e.get("field"), e.get("code"), e.get("category"))
        return slot.get("result")

    def _wait_handled(self, seq):
        with self._done_cond:
            self._done_cond.wait_for(lambda: self._done_seq >= seq or self._closed)

    # -- threads ---------------------------------------------------------------------------
    def _read(self):
        for raw in self.proc.stdout:
            try:
                msg = json.loads(raw.decode("utf-8"))
            except ValueError:
                sys.stderr.write("kiwoom-compat: ignoring a non-protocol line: %r\n" % raw[:200])
                continue
            if "ready" in msg:
                self.info = msg["ready"]
                self._ready.set()
            elif "event" in msg:
                self._read_seq = msg.get("seq", self._read_seq + 1)
                self._events.put(msg)
            elif "id" in msg:
                with self._lock:
                    slot = self._pending.pop(msg["id"], None)
                if slot is not None:
                    slot.update(msg)
                    slot["seq"] = self._read_seq
                    slot["done"].set()
        self._shutdown("the bridge process ended")

    @property
    def coalesced(self):
        """Real-time events merged into a waiting one because the handlers fell behind."""
        return self._events.coalesced

    def _dispatch(self):
        while True:
            msg, handled_upto = self._events.get()
            if msg is None:
                return
            try:
                self._on_event(msg["event"], msg.get("args", []))
            except Exception:  # a failing handler must not stop the stream, as with the OCX
                traceback.print_exc()
            with self._done_cond:
                self._done_seq = max(self._done_seq, handled_upto)
                self._done_cond.notify_all()

    def _shutdown(self, why):
        with self._lock:
            self._closed = True
            pending, self._pending = self._pending, {}
        for slot in pending.values():
            slot["error"] = {"name": "BridgeClosed", "message": why}
            slot["done"].set()
        self._ready.set()
        self._events.put(None)
        with self._done_cond:
            self._done_cond.notify_all()

    # -- end -------------------------------------------------------------------------------
    def close(self, timeout=15.0):
        """Closes stdin (the bridge then cleans up and exits) and waits for the process."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout)
        if threading.current_thread() is not self._dispatcher:
            self._dispatcher.join(timeout)
        self.proc.stdout.close()
        return self.proc.returncode
