"""The bridge process (``kiwoom-compat bridge --stdio``) and its line protocol (src/bridge/protocol.ts).

A reader thread takes lines off the child's stdout. Each line holds one bridge turn's
messages as records joined by U+001E: a quote (starting with a digit) or one JSON object.
Replies wake the caller that waits for them (matched by ``id``); events are decoded and handed,
a line's worth at a time, to ``deliver`` (the delivery queue), in order, before any reply that
follows them, so that a caller knows which events came before its answer (``upto``).

With ``readers=2`` two threads take turns at reading (one line at a time, under a lock), and
each calls ``after_line`` once it has taken a line and let go of the reading: the ``thread``
loop runs the handlers there (loops.py says why).

Quotes arrive compact (schema, code, TAB-joined values) and stay that way until a handler or a
getter reads them: most handlers read a few FIDs of 40 to 160, and decoding values they never
read is what made a Python consumer slow. The reader only splits off the schema and the code.
"""
import itertools
import json
import subprocess
import sys
import threading

from .errors import BridgeClosed, KiwoomCompatError
from .locate import NodeSideMissing, bridge_command, describe

PROTOCOL = 3
REAL_DATA = "OnReceiveRealData"
#: Separates the records of a line (ASCII RS; JSON escapes it and compact quotes never hold it).
RECORD_SEPARATOR = "\x1e"
_LEVELS = {10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL"}
_QUIET_KEYS = ("time", "pid", "hostname", "name", "v")


class Schema(object):
    """A real type's FIDs in the order the bridge joins their values: the first ``ocx`` are the
    OCX's sRealData, in its order; then the FIDs REST adds."""

    __slots__ = ("id", "real", "fids", "index", "ocx")

    def __init__(self, schema_id, real, fids, ocx=None):
        self.id = schema_id
        self.real = real
        self.fids = fids
        self.index = {fid: i for i, fid in enumerate(fids)}
        self.ocx = len(fids) if ocx is None else ocx


class Event(object):
    """An event as the bridge sent it, plus what ships with it (``tr``: a TR table, ``memo``: getter answers)."""

    __slots__ = ("name", "args", "tr", "memo", "seq")

    def __init__(self, name, args, tr, memo, seq):
        self.name = name
        self.args = args
        self.tr = tr
        self.memo = memo
        self.seq = seq


class Quote(object):
    """One OnReceiveRealData: ``code``, its real type (``schema.real``) and its values, split on use."""

    __slots__ = ("code", "schema", "raw", "seq", "_values")
    name = REAL_DATA

    def __init__(self, code, schema, raw, seq):
        self.code = code
        self.schema = schema
        self.raw = raw
        self.seq = seq
        self._values = None

    @property
    def real(self):
        return self.schema.real

    def values(self):
        if self._values is None or self._values is _ONE_READ:
            self._values = self.raw.split("\t")
        return self._values

    def value(self, fid):
        """The value of FID ``fid`` (a string such as "10"), or None when the real type has no such FID."""
        i = self.schema.index.get(fid)
        if i is None:
            return None
        values = self._values
        if values is None:
            # The first read splits only up to the value, from the nearer end: a handler often
            # reads one or two FIDs of 160. A second read splits them all, once.
            self._values = _ONE_READ
            n = len(self.schema.fids)
            return self.raw.split("\t", i + 1)[i] if 2 * i < n else self.raw.rsplit("\t", n - i)[1]
        return self.values()[i]

    def fids(self):
        """The values as a dict keyed by FID string (every FID of the real type; "" when not delivered)."""
        return dict(zip(self.schema.fids, self.values()))

    def real_data(self):
        """The OCX's sRealData: the values of the real type's OCX FIDs, TAB-joined in its order."""
        n = self.schema.ocx
        extra = len(self.schema.fids) - n
        if extra == 0:
            return self.raw
        if n == 0:
            return ""
        # The leading n values as they stand in raw: cutting off the FIDs REST adds costs less
        # than splitting all 160 of a 주식호가잔량 and joining 100 again (QAxWidget's every quote).
        return self.raw.rsplit("\t", extra)[0]

    def merge(self, newer):
        """Takes a newer quote's values (the queue merges quotes for a waiting code and real type)."""
        self.schema = newer.schema
        self.raw = newer.raw
        self._values = newer._values


#: Quote._values after one partial read (the next read splits every value).
_ONE_READ = ()


def format_log_line(text):
    """A bridge log line (pino JSON) as a person reads it: ``kiwoom-compat WARN [component]: message (k=v)``."""
    try:
        rec = json.loads(text)
    except ValueError:
        return text
    if not isinstance(rec, dict) or "msg" not in rec:
        return text
    level = _LEVELS.get(rec.pop("level", 30), "INFO")
    msg = rec.pop("msg", "")
    component = rec.pop("component", None)
    for key in _QUIET_KEYS:
        rec.pop(key, None)
    extra = " ".join("%s=%s" % (k, v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)) for k, v in rec.items())
    return "kiwoom-compat %s%s: %s%s" % (level, " [%s]" % component if component else "", msg, " (%s)" % extra if extra else "")


#: Capacity asked for the bridge's stdout pipe (Linux allows up to /proc/sys/fs/pipe-max-size, 1 MiB by default).
PIPE_BYTES = 1 << 20
#: fcntl's F_SETPIPE_SZ on Linux (the fcntl module names it from Python 3.10).
_F_SETPIPE_SZ = 1031


def widen_pipe(stream):
    """Widens the pipe the bridge writes to, where the OS allows it (Linux); elsewhere nothing.

    Why: the bridge writes a turn's events as one line, tens of KB under a busy stream, and a
    64 KB pipe then needs several writer/reader hand-offs per line. On a loaded machine each
    hand-off waits for both processes to be scheduled, and the pipe, not the CPU, set the pace:
    the bridge sat blocked for most of every second, merging quotes, while this reader idled.
    """
    try:
        import fcntl

        fcntl.fcntl(stream.fileno(), getattr(fcntl, "F_SETPIPE_SZ", _F_SETPIPE_SZ), PIPE_BYTES)
    except (ImportError, OSError, ValueError):
        pass  # not Linux, or a lower pipe-max-size: the default pipe still works, only slower


class _Slot(object):
    __slots__ = ("done", "reply", "upto")

    def __init__(self):
        self.done = threading.Event()
        self.reply = None
        self.upto = 0


class Wire(object):
    """A running bridge process.

    ``deliver(events)`` is called on the reading thread with each line's events, in order.
    ``stderr``: None (default) reads the bridge's log lines and writes them to ``sys.stderr`` in
    a readable form; anything else is given to the child as its stderr, untouched.
    ``readers``: how many threads take turns at reading; ``after_line()`` is called on the thread
    that read a line, after the line was taken and the reading handed on (so it may block: the
    other thread reads meanwhile).
    """

    def __init__(self, deliver, command=None, stderr=None, ready_timeout=30.0, on_closed=None, readers=1, after_line=None):
        self._deliver = deliver
        self._on_closed = on_closed
        self._after_line = after_line
        self._read_lock = threading.Lock()
        self._eof = False
        self._ids = itertools.count(1)
        self._pending = {}
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._ready = threading.Event()
        self._output_ended = threading.Event()
        self._closed = False
        self._schemas = {}
        #: Events read so far (their numbering: each event's ``seq``).
        self.events_read = 0
        #: Quotes the bridge merged because this process did not read fast enough.
        self.coalesced = 0
        self.info = None
        try:
            command = command or bridge_command()
        except NodeSideMissing as err:
            raise BridgeClosed(str(err))
        self.command = command
        try:
            # A buffer as large as the pipe: a busy turn's line is read in one system call, not 8 KB at a time.
            self.proc = subprocess.Popen(command, bufsize=PIPE_BYTES, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE if stderr is None else stderr)
        except OSError as err:
            raise BridgeClosed("could not start the bridge (%s): %s" % (describe(command), err))
        widen_pipe(self.proc.stdout)
        self._readers = [threading.Thread(target=self._read, name="kiwoom-compat-reader", daemon=True)]
        self._readers += [threading.Thread(target=self._serve, name="kiwoom-compat-reader-%d" % (i + 2), daemon=True) for i in range(readers - 1)]
        self._readers[0].start()
        if stderr is None:
            threading.Thread(target=self._relay_logs, name="kiwoom-compat-logs", daemon=True).start()
        if not self._ready.wait(ready_timeout) or self.info is None:
            self.close(1.0)
            raise BridgeClosed("the bridge did not start (command: %s)" % describe(command))
        if self.info.get("protocol") != PROTOCOL:
            self.close(1.0)
            raise BridgeClosed("bridge protocol %r, this package speaks %d: install matching versions of the npm and Python packages" % (self.info.get("protocol"), PROTOCOL))

    @property
    def closed(self):
        return self._closed

    # -- calls -----------------------------------------------------------------------------
    def call(self, method, args, timeout):
        """Sends one call and waits for its reply (at most ``timeout`` seconds; None waits without end).

        Returns ``(result, upto)``: ``upto`` is the ``seq`` of the last event that came before the
        reply (the events the call caused are among them).
        """
        call_id = next(self._ids)
        slot = _Slot()
        with self._lock:
            if self._closed:
                raise BridgeClosed("the bridge is closed")
            self._pending[call_id] = slot
        line = json.dumps({"id": call_id, "method": method, "args": list(args)}, ensure_ascii=False)
        try:
            with self._write_lock:
                self.proc.stdin.write((line + "\n").encode("utf-8"))
                self.proc.stdin.flush()
        except (OSError, ValueError):
            with self._lock:
                self._pending.pop(call_id, None)
            raise BridgeClosed("the bridge process is gone")
        if not slot.done.wait(timeout):
            with self._lock:
                self._pending.pop(call_id, None)
            raise KiwoomCompatError("TimeoutError", "%s did not answer within %ss%s" % (method, timeout, _UNKNOWN_OUTCOME.get(method, "")))
        reply = slot.reply
        if "error" in reply:
            e = reply["error"] or {}
            if e.get("name") == "BridgeClosed":
                raise BridgeClosed(e.get("message", ""))
            raise KiwoomCompatError(e.get("name", "Error"), e.get("message", ""), e.get("field"), e.get("code"), e.get("category"))
        return reply.get("result"), slot.upto

    # -- reader ----------------------------------------------------------------------------
    def _read(self):
        """The first reader: the ready line, then the other readers, then lines as they come."""
        stdout = self.proc.stdout
        try:
            first = stdout.readline()
        except (OSError, ValueError):
            first = b""  # an unreadable output: no ready line, and Wire() hears of it at once
        try:
            self.info = json.loads(first)["ready"]
        except (ValueError, KeyError, TypeError):
            sys.stderr.write("kiwoom-compat: the bridge did not say ready: %r\n" % first[:200])
            self._end()
            return
        for reader in self._readers[1:]:
            reader.start()
        self._ready.set()
        self._serve()

    def _serve(self):
        """Reads and takes lines, taking turns with the other readers, until the output ends."""
        lock = self._read_lock
        stdout = self.proc.stdout
        while True:
            taken = False
            try:
                with lock:
                    if self._eof:
                        return
                    try:
                        line = stdout.readline()
                        if line:
                            self._take(line)
                            taken = True
                    finally:
                        if not taken:  # the end of the output, or a line that could not be taken
                            self._end()
            finally:
                # Also after a line that broke part-way or the end: the events it put still run.
                if self._after_line is not None:
                    self._after_line()
            if not taken:
                return

    def _end(self):
        """The output ended (or could not be read): no more replies or events."""
        self._eof = True
        self.proc.stdout.close()
        self._shutdown("the bridge process ended")
        self._output_ended.set()

    def _take(self, line):
        batch = []
        seq = self.events_read
        schemas = self._schemas
        for record in line.decode("utf-8").rstrip("\n").split(RECORD_SEPARATOR):
            if record[:1].isdigit():
                schema_id, code, raw = record.split("\t", 2)
                seq += 1
                batch.append(Quote(code, schemas[schema_id], raw, seq))
                continue
            try:
                messages = json.loads(record)
            except ValueError:
                sys.stderr.write("kiwoom-compat: ignoring a non-protocol record: %r\n" % record[:200])
                continue
            for m in messages if messages.__class__ is list else (messages,):
                if "event" in m:
                    seq += 1
                    batch.append(Event(m["event"], m.get("args") or [], m.get("tr"), m.get("memo"), seq))
                elif "id" in m:
                    # Events before a reply are queued before the caller wakes.
                    self.events_read = seq
                    if batch:
                        self._deliver(batch)
                        batch = []
                    with self._lock:
                        slot = self._pending.pop(m["id"], None)
                    if slot is not None:
                        slot.reply = m
                        slot.upto = seq
                        slot.done.set()
                elif "schema" in m:
                    schemas[str(m["schema"])] = Schema(m["schema"], m["real"], m["fids"], m.get("ocx"))
                elif "coalesced" in m:
                    self.coalesced = m["coalesced"]
        self.events_read = seq
        if batch:
            self._deliver(batch)

    def _relay_logs(self):
        with self.proc.stderr as stderr:
            for raw in stderr:
                text = raw.decode("utf-8", "replace").rstrip("\n")
                try:
                    sys.stderr.write(format_log_line(text) + "\n")
                except (OSError, ValueError):
                    pass

    def _shutdown(self, why):
        with self._lock:
            self._closed = True
            pending, self._pending = self._pending, {}
        self._ready.set()
        for slot in pending.values():
            slot.reply = {"error": {"name": "BridgeClosed", "message": why}}
            slot.upto = self.events_read
            slot.done.set()
        if self._on_closed is not None:
            self._on_closed()

    # -- end -------------------------------------------------------------------------------
    def close(self, timeout=5.0):
        """Closes stdin (the bridge then cleans up and exits); kills it if it is not gone within ``timeout``."""
        try:
            self.proc.stdin.close()
        except (OSError, ValueError):
            pass
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        # Until the reading has ended, not until handlers have: a reader running them (a backlog,
        # a slow handler) finishes on its own, as the dispatcher thread before it did.
        if self._readers[0].ident is not None:
            self._output_ended.wait(timeout)
        return self.proc.returncode


#: What a timeout means for calls whose effect may still happen.
_UNKNOWN_OUTCOME = {
    "SendOrder": ": the order's outcome is unknown, not refused; the bridge keeps settling it and OnReceiveTrData / OnReceiveMsg / OnReceiveChejanData report it",
    "SendOrderCredit": ": the order's outcome is unknown, not refused; the bridge keeps settling it and OnReceiveTrData / OnReceiveMsg / OnReceiveChejanData report it",
    "SendOrderFO": ": the order's outcome is unknown, not refused",
}
