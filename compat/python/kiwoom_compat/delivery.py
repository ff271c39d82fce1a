"""The queue between the bridge's reader thread and whichever thread runs the handlers.

Handlers run one at a time, as OCX handlers did; a handler slower than the real-time stream
would let the queue grow without end. Once the handlers are behind, a new quote
(OnReceiveRealData) for a code and real type that already waits is merged into the waiting one
(the handler sees the latest values, once, where the first one stood) and counted in
``coalesced``. Order, chejan, TR and condition events are never merged or dropped.

Behind means the oldest waiting event arrived more than ``coalesce_after`` seconds ago (so the
latency a backlog adds stays near that), or more than ``coalesce_above`` events wait (so memory
stays bounded). A burst the handlers take in stride is not behind, however large: a busy turn of
the bridge is one line of hundreds of quotes, and merging those only lost ticks.

``handled``/``done_seq`` record how far handlers have got, so that a call can return only after
the handlers of the events that came before its answer have run (``wait_handled``); waiters are
woken once per batch of handled events, not per event.
"""
import collections
import threading
import time

from .wire import Quote


def _quote_key(ev):
    return (ev.code, ev.schema.real) if ev.__class__ is Quote else None


class Delivery(object):
    """FIFO of events (wire.Event / wire.Quote), with merging of quotes under a backlog."""

    def __init__(self, coalesce_after=0.05, coalesce_above=20000, clock=time.monotonic):
        self.coalesce_after = coalesce_after
        self.coalesce_above = coalesce_above
        self.coalesced = 0
        self._clock = clock
        self._items = collections.deque()
        self._arrivals = collections.deque()  # (seq of a batch's last event, when it arrived), oldest first
        self._waiting_quotes = None  # (code, real) -> its waiting quote; kept only while backlogged
        self._cond = threading.Condition()
        self._waiters = 0
        self.last_seq = 0  # seq of the last event put
        self.done_seq = 0  # every event up to this seq has been handled
        self.closed = False
        #: Called (on the reader thread) after events were put: the loop's wake-up.
        self.on_put = None

    def put_many(self, batch):
        now = self._clock()
        with self._cond:
            items = self._items
            if self._behind(now, len(batch)):
                self._put_merging(batch)
            else:
                self._waiting_quotes = None  # caught up: nothing merges into what waits
                items.extend(batch)
            self.last_seq = batch[-1].seq
            self._arrivals.append((self.last_seq, now))
            self._cond.notify_all()
        wake = self.on_put
        if wake is not None:
            wake()

    def _behind(self, now, adding):
        """Whether the handlers are behind: the oldest waiting event is old, or too many wait."""
        items = self._items
        if not items:
            return adding > self.coalesce_above
        if len(items) + adding > self.coalesce_above:
            return True
        arrivals = self._arrivals
        head = items[0].seq
        while arrivals and arrivals[0][0] < head:
            arrivals.popleft()
        return bool(arrivals) and now - arrivals[0][1] > self.coalesce_after

    def _put_merging(self, batch):
        waiting = self._waiting_quotes
        if waiting is None:
            waiting = self._waiting_quotes = {}
            for ev in self._items:
                key = _quote_key(ev)
                if key is not None:
                    waiting[key] = ev
        items = self._items
        for ev in batch:
            key = _quote_key(ev)
            if key is not None:
                queued = waiting.get(key)
                if queued is not None:
                    queued.merge(ev)
                    self.coalesced += 1
                    continue
                waiting[key] = ev
            items.append(ev)

    def take(self, limit=512):
        """Up to ``limit`` waiting events, oldest first ([] when none); the events taken before are handled."""
        with self._cond:
            if self._waiters:
                self._cond.notify_all()
            items = self._items
            n = min(limit, len(items))
            taken = [items.popleft() for _ in range(n)]
            waiting = self._waiting_quotes
            if not items:
                self._arrivals.clear()
            if waiting is not None:
                if not items:
                    self._waiting_quotes = None
                else:
                    for ev in taken:
                        key = _quote_key(ev)
                        if key is not None and waiting.get(key) is ev:
                            del waiting[key]
            return taken

    def handled(self, seq):
        """Handlers of every event up to ``seq`` have run. Waiters hear of it at the next ``take``
        or ``settle``, once per batch: waking them after every event made the waiting thread and
        the handlers' thread trade the GIL per event, and the handlers crawl (a convoy: under a
        stream, a call that waited for its events slowed the handlers to a few percent of a core)."""
        self.done_seq = seq

    def settle(self):
        """After a take was handled: everything before the next waiting event is handled."""
        with self._cond:
            head = self._items[0].seq - 1 if self._items else self.last_seq
            if head > self.done_seq:
                self.done_seq = head
            self._cond.notify_all()

    def wait(self, predicate, timeout=None):
        """Blocks until ``predicate()`` (checked when events arrive or are handled) or ``timeout``; its last value."""
        with self._cond:
            self._waiters += 1
            try:
                return self._cond.wait_for(lambda: predicate() or self.closed, timeout) and predicate()
            finally:
                self._waiters -= 1

    def close(self):
        with self._cond:
            self.closed = True
            self._cond.notify_all()
        wake = self.on_put
        if wake is not None:
            wake()

    def __len__(self):
        return len(self._items)
