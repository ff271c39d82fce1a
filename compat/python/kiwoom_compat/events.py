"""The queue between the bridge's reader thread and the handler thread, bounded for slow handlers.

Handlers run one at a time, as OCX handlers did; a handler slower than the real-time stream
would let the queue grow without end. Past ``coalesce_above`` waiting events, a new
``OnReceiveRealData`` for a (code, real type) that is already waiting replaces that waiting
event's values in place (the handler sees the latest quote, once) and is counted in
``coalesced``. Order, chejan, TR and condition events are never merged or dropped.
"""
import collections
import threading

REAL_DATA = "OnReceiveRealData"


class EventQueue(object):
    """FIFO of event messages ``{"event", "seq", "args"}``; ``None`` ends it."""

    def __init__(self, coalesce_above=1000):
        self.coalesce_above = coalesce_above
        self.coalesced = 0
        self._items = collections.deque()
        self._waiting_real = {}  # (code, real type) -> its queued message
        self._last_seq = 0  # highest seq put so far
        self._cond = threading.Condition()

    def put(self, msg):
        with self._cond:
            if msg is not None:
                self._last_seq = max(self._last_seq, msg.get("seq", 0))
            if msg is not None and msg.get("event") == REAL_DATA:
                key = tuple((msg.get("args") or [])[:2])
                queued = self._waiting_real.get(key)
                if queued is not None and len(self._items) > self.coalesce_above:
                    queued["args"] = msg.get("args")
                    self.coalesced += 1
                    return
                self._waiting_real[key] = msg
            self._items.append(msg)
            self._cond.notify()

    def get(self):
        """The next message (blocking) and the seq up to which every event is handled once it is.

        Events before the next waiting one were taken earlier or merged into one taken earlier;
        with nothing waiting, everything put so far is this message or before it.
        """
        with self._cond:
            while not self._items:
                self._cond.wait()
            msg = self._items.popleft()
            if msg is not None and msg.get("event") == REAL_DATA:
                key = tuple((msg.get("args") or [])[:2])
                if self._waiting_real.get(key) is msg:
                    del self._waiting_real[key]
            head = self._items[0] if self._items else None
            return msg, (head.get("seq", 0) - 1 if head is not None else self._last_seq)

    def __len__(self):
        with self._cond:
            return len(self._items)
