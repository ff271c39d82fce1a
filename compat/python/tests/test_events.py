"""The event queue between the bridge's reader and the handler thread."""
import unittest

from kiwoom_compat.events import EventQueue


def real(seq, code, price, rtype="주식체결"):
    return {"event": "OnReceiveRealData", "seq": seq, "args": [code, rtype, {"10": price}]}


def chejan(seq):
    return {"event": "OnReceiveChejanData", "seq": seq, "args": ["0", {"9203": "0000001"}]}


class EventQueueTest(unittest.TestCase):
    def test_every_event_passes_in_order_while_the_handler_keeps_up(self):
        q = EventQueue(coalesce_above=3)
        for seq, price in enumerate(["+100", "+101", "+102"], 1):
            q.put(real(seq, "005930", price))
        got = [q.get()[0]["args"][2]["10"] for _ in range(3)]
        self.assertEqual(got, ["+100", "+101", "+102"])
        self.assertEqual(q.coalesced, 0)

    def test_a_backlog_keeps_one_waiting_quote_per_code_and_type_with_the_latest_values(self):
        q = EventQueue(coalesce_above=2)
        q.put(real(1, "005930", "+100"))
        q.put(chejan(2))
        q.put(real(3, "000660", "+200"))
        # The backlog is now above 2: quotes for a waiting (code, type) merge into it.
        q.put(real(4, "005930", "+101"))
        q.put(chejan(5))
        q.put(real(6, "005930", "+102"))
        q.put(real(7, "005930", "-99", rtype="주식호가잔량"))
        events = [q.get()[0] for _ in range(len(q))]
        self.assertEqual([e["event"] for e in events].count("OnReceiveChejanData"), 2)
        quotes = [(e["args"][0], e["args"][1], e["args"][2]["10"]) for e in events if e["event"] == "OnReceiveRealData"]
        # seq 4 and 6 merge into the waiting seq 1, which keeps its place; another type does not.
        self.assertEqual(quotes, [("005930", "주식체결", "+102"), ("000660", "주식체결", "+200"), ("005930", "주식호가잔량", "-99")])
        self.assertEqual(q.coalesced, 2)

    def test_the_queue_stays_bounded_under_a_flood_of_quotes(self):
        q = EventQueue(coalesce_above=100)
        for seq in range(1, 100001):
            q.put(real(seq, "%06d" % (seq % 50), "+%d" % seq))
        self.assertLessEqual(len(q), 151)
        self.assertEqual(q.coalesced + len(q), 100000)

    def test_handled_upto_never_passes_an_event_still_waiting(self):
        q = EventQueue(coalesce_above=1)
        q.put(real(1, "005930", "+100"))
        q.put(chejan(2))
        q.put(real(3, "005930", "+101"))  # backlog: merges into seq 1
        msg, upto = q.get()
        self.assertEqual(msg["args"][2]["10"], "+101")
        self.assertEqual(upto, 1)  # the chejan (seq 2) still waits
        msg, upto = q.get()
        self.assertEqual(msg["event"], "OnReceiveChejanData")
        self.assertEqual(upto, 3)


if __name__ == "__main__":
    unittest.main()
