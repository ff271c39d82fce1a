"""The delivery queue between the bridge's reader and the thread that runs handlers."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from kiwoom_compat.delivery import Delivery  # noqa: E402
from kiwoom_compat.wire import Event, Quote, Schema  # noqa: E402

TRADE = Schema(1, "주식체결", ["20", "10"])
BOOK = Schema(2, "주식호가잔량", ["21", "10"])


def real(seq, code, price, schema=TRADE):
    return Quote(code, schema, "090000\t" + price, seq)


def chejan(seq):
    return Event("OnReceiveChejanData", ["0", {"9203": "0000001"}], None, None, seq)


def drain(q):
    out = []
    while True:
        taken = q.take()
        if not taken:
            return out
        out.extend(taken)


class DeliveryTest(unittest.TestCase):
    def test_every_event_passes_in_order_while_the_handler_keeps_up(self):
        q = Delivery(coalesce_above=3)
        q.put_many([real(1, "005930", "+100"), real(2, "005930", "+101")])
        q.put_many([real(3, "005930", "+102")])
        self.assertEqual([e.value("10") for e in drain(q)], ["+100", "+101", "+102"])
        self.assertEqual(q.coalesced, 0)

    def test_a_backlog_keeps_one_waiting_quote_per_code_and_type_with_the_latest_values(self):
        q = Delivery(coalesce_above=2)
        q.put_many([real(1, "005930", "+100"), chejan(2), real(3, "000660", "+200")])
        # The backlog is now above 2: quotes for a waiting (code, type) merge into it.
        q.put_many([real(4, "005930", "+101"), chejan(5), real(6, "005930", "+102"), real(7, "005930", "-99", BOOK)])
        events = drain(q)
        self.assertEqual([e.name for e in events].count("OnReceiveChejanData"), 2)
        quotes = [(e.code, e.real, e.value("10")) for e in events if e.__class__ is Quote]
        # seq 4 and 6 merge into the waiting seq 1, which keeps its place; another type does not.
        self.assertEqual(quotes, [("005930", "주식체결", "+102"), ("000660", "주식체결", "+200"), ("005930", "주식호가잔량", "-99")])
        self.assertEqual(q.coalesced, 2)

    def test_the_queue_stays_bounded_under_a_flood_of_quotes_and_order_events_all_pass(self):
        q = Delivery(coalesce_above=100)
        for seq in range(1, 100001, 100):
            batch = [real(s, "%06d" % (s % 50), "+%d" % s) for s in range(seq, seq + 99)] + [chejan(seq + 99)]
            q.put_many(batch)
        self.assertLessEqual(len(q), 151 + 1000)
        events = drain(q)
        self.assertEqual(sum(1 for e in events if e.name == "OnReceiveChejanData"), 1000)
        self.assertEqual(q.coalesced + len(events), 100000)

    def test_a_burst_the_handlers_take_in_stride_is_not_merged_however_large(self):
        now = [100.0]
        q = Delivery(coalesce_after=0.05, clock=lambda: now[0])
        q.put_many([real(s, "005930", "+%d" % s) for s in range(1, 701)])
        now[0] += 0.01
        q.put_many([real(s, "005930", "+%d" % s) for s in range(701, 1401)])
        self.assertEqual((len(q), q.coalesced), (1400, 0))
        self.assertEqual(len(q.take(limit=1400)), 1400)
        # Handlers that keep up: the next burst, much later, is not behind either.
        now[0] += 10.0
        q.put_many([real(1401, "005930", "+1401"), real(1402, "005930", "+1402")])
        self.assertEqual((len(q), q.coalesced), (2, 0))

    def test_quotes_merge_once_the_oldest_waiting_event_is_older_than_the_limit(self):
        now = [100.0]
        q = Delivery(coalesce_after=0.05, clock=lambda: now[0])
        q.put_many([real(1, "005930", "+100"), chejan(2)])
        now[0] += 0.04
        q.put_many([real(3, "005930", "+101")])
        now[0] += 0.02  # seq 1 has now waited 60 ms: behind
        q.put_many([real(4, "005930", "+102"), real(5, "000660", "+200"), chejan(6)])
        self.assertEqual(q.coalesced, 1)
        self.assertEqual([(e.seq, e.name, e.value("10") if e.__class__ is Quote else None) for e in drain(q)], [
            (1, "OnReceiveRealData", "+100"), (2, "OnReceiveChejanData", None), (3, "OnReceiveRealData", "+102"),
            (5, "OnReceiveRealData", "+200"), (6, "OnReceiveChejanData", None),
        ])
        # Caught up (the queue emptied): nothing merges again until the handlers are behind again.
        q.put_many([real(7, "005930", "+103"), real(8, "005930", "+104")])
        self.assertEqual((len(q), q.coalesced), (2, 1))

    def test_handled_up_to_never_passes_an_event_still_waiting(self):
        q = Delivery(coalesce_above=1)
        q.put_many([real(1, "005930", "+100"), chejan(2)])
        q.put_many([real(3, "005930", "+101")])  # backlog: merges into seq 1
        first = q.take(limit=1)[0]
        self.assertEqual(first.value("10"), "+101")
        q.handled(first.seq)
        q.settle()
        self.assertEqual(q.done_seq, 1)  # the chejan (seq 2) still waits
        second = q.take(limit=1)[0]
        self.assertEqual(second.name, "OnReceiveChejanData")
        q.handled(second.seq)
        q.settle()
        self.assertEqual(q.done_seq, 3)


if __name__ == "__main__":
    unittest.main()
