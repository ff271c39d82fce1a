"""The ``thread`` loop against a stand-in bridge (tests/fake_bridge.py) streaming quotes: the
thread that read a line runs its handlers while the other thread reads (loops.py). Handlers run
one at a time and in order; a handler that calls the bridge gets its answer; a slow handler
does not hold back another thread's answer; calls that wait for their events still wait; and
the end of the bridge ends both threads."""
import contextlib
import io
import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from kiwoom_compat.control import Control  # noqa: E402
from kiwoom_compat.errors import BridgeClosed  # noqa: E402
from kiwoom_compat.wire import Quote  # noqa: E402

FAKE = [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_bridge.py"), "echo"]
WAIT = 15.0


class Handlers(object):
    """Records what the handlers saw: quote numbers, chejan numbers, overlaps, the threads they ran on."""

    def __init__(self):
        self.quotes = []
        self.chejans = []
        self.active = 0
        self.most_active = 0
        self.threads = set()
        self.ended = threading.Event()
        self.hook = None  # hook(ev) runs inside the handler

    def __call__(self, ev):
        self.active += 1
        self.most_active = max(self.most_active, self.active)
        try:
            self.threads.add(threading.current_thread().name)
            if ev.__class__ is Quote:
                self.quotes.append(int(ev.value("10")))
            elif ev.name == "OnReceiveChejanData":
                self.chejans.append(int(ev.args[1]["9203"]))
            if self.hook is not None:
                self.hook(ev)
            if ev.__class__ is not Quote and ev.name == "OnReceiveMsg" and ev.args[3] == "end":
                self.ended.set()
        finally:
            self.active -= 1


class ThreadLoop(unittest.TestCase):
    def setUp(self):
        self.seen = Handlers()
        self.ctl = Control(self.seen, loop="thread", bridge_command=FAKE, call_timeout=WAIT)
        self.ctl.start()

    def tearDown(self):
        self.ctl.close()

    def stream(self, lines, per_line):
        self.ctl.call("Stream", (lines, per_line))
        self.assertTrue(self.seen.ended.wait(WAIT), "the stream's end was not handled")

    def test_events_across_lines_run_in_order_and_one_at_a_time(self):
        # Threads switch every few bytecodes instead of every 5 ms, so that a race between the
        # two threads (one taking a line while the other runs handlers or takes the next line)
        # has many chances to show.
        interval = sys.getswitchinterval()
        sys.setswitchinterval(1e-6)
        try:
            self.stream(2000, 2)
        finally:
            sys.setswitchinterval(interval)
        self.assertEqual(self.seen.quotes, list(range(1, 4001)))
        self.assertEqual(self.seen.chejans, list(range(1, 2001)))
        self.assertEqual(self.seen.most_active, 1)
        # The bridge's reader threads run the handlers (no thread is woken to run them).
        self.assertTrue(self.seen.threads <= {"kiwoom-compat-reader", "kiwoom-compat-reader-2"}, self.seen.threads)

    def test_a_handler_that_calls_the_bridge_gets_its_answer_under_a_stream(self):
        answers = []

        def call_back(ev):
            if ev.__class__ is Quote and int(ev.value("10")) % 100 == 0:
                k = int(ev.value("10"))
                answers.append((k, self.ctl.call("Echo", ("from a handler", k), wait=True, timeout=5.0)))

        self.seen.hook = call_back
        self.stream(200, 5)
        self.assertEqual(answers, [(k, ["from a handler", k]) for k in range(100, 1001, 100)])
        self.assertEqual(self.seen.quotes, list(range(1, 1001)))

    def test_a_slow_handler_does_not_hold_back_the_answer_to_another_threads_call(self):
        blocked = threading.Event()
        release = threading.Event()

        def slow(ev):
            if ev.__class__ is Quote and ev.value("10") == "3":
                blocked.set()
                release.wait(WAIT)

        self.seen.hook = slow
        self.ctl.call("Stream", (50, 2))
        try:
            self.assertTrue(blocked.wait(WAIT))
            t0 = time.monotonic()
            self.assertEqual(self.ctl.call("Echo", ("meanwhile",), timeout=5.0), ["meanwhile"])
            self.assertLess(time.monotonic() - t0, 2.0)
            self.assertEqual(self.seen.quotes, [1, 2, 3])  # the slow handler still holds the rest
        finally:
            release.set()
        self.assertTrue(self.seen.ended.wait(WAIT))
        self.assertEqual(self.seen.quotes, list(range(1, 101)))

    def test_a_call_that_waits_returns_after_the_handlers_of_the_events_before_its_answer(self):
        def slow(ev):
            time.sleep(0.05)

        self.seen.hook = slow
        emitted = [{"event": "OnReceiveChejanData", "args": ["0", {"9203": str(i)}]} for i in (1, 2, 3, 4)]
        self.ctl.call("Emit", emitted, wait=True)
        self.assertEqual(self.seen.chejans, [1, 2, 3, 4])

    def test_a_handler_that_raises_past_the_dispatch_does_not_stop_the_handlers(self):
        def exits(ev):
            if ev.__class__ is not Quote and ev.args[1]["9203"] == "1":
                raise SystemExit("a handler's sys.exit()")  # not an Exception: it passes the dispatch

        self.seen.hook = exits
        emitted = [{"event": "OnReceiveChejanData", "args": ["0", {"9203": str(i)}]} for i in (1, 2)]
        printed = io.StringIO()
        with contextlib.redirect_stderr(printed):
            self.ctl.call("Emit", emitted, wait=True, timeout=5.0)
            self.assertEqual(self.seen.chejans, [1, 2])
            self.ctl.call("Emit", [{"event": "OnReceiveChejanData", "args": ["0", {"9203": "3"}]}], wait=True, timeout=5.0)
        self.assertEqual(self.seen.chejans, [1, 2, 3])
        self.assertIn("SystemExit: a handler's sys.exit()", printed.getvalue())  # shown, as a failing handler is

    def test_a_call_waiting_for_an_event_whose_handler_raised_past_the_dispatch_hears_of_it(self):
        # The raising event is the last one, so no later event's handling settles it, and the
        # handler raises only once the call waits for it, so the call must be woken.
        delivery = self.ctl.delivery

        def exits(ev):
            deadline = time.monotonic() + WAIT
            while not delivery._waiters and time.monotonic() < deadline:
                time.sleep(0.001)
            raise SystemExit("a handler's sys.exit()")

        self.seen.hook = exits
        t0 = time.monotonic()
        with contextlib.redirect_stderr(io.StringIO()):
            self.ctl.call("Emit", [{"event": "OnReceiveChejanData", "args": ["0", {"9203": "1"}]}], wait=True, timeout=5.0)
        self.assertLess(time.monotonic() - t0, 4.0)  # woken, not at its timeout
        self.assertEqual(self.seen.chejans, [1])
        self.assertEqual(delivery.done_seq, delivery.last_seq)

    def test_after_a_restart_the_old_loops_threads_leave_the_new_events_alone(self):
        old_loop = self.ctl.loop
        self.ctl.close()
        self.ctl.start()
        # An event waits for the new loop; the old loop's reader, still finishing a turn, looks.
        self.ctl.delivery.put_many([Quote("000001", self.schema(), "7", 1)])
        old_loop.after_line()
        self.assertEqual(self.seen.quotes, [])
        self.ctl.loop.after_line()
        self.assertEqual(self.seen.quotes, [7])

    @staticmethod
    def schema():
        from kiwoom_compat.wire import Schema

        return Schema(90, "주식체결", ["10"])

    def test_events_put_while_the_running_thread_lets_go_of_the_handlers_are_not_left_waiting(self):
        # The narrow moment: the thread running handlers found the queue empty and is about to
        # let go; the other thread puts a line's events, finds the handlers taken and reads on.
        ctl = self.ctl
        settle, after_line = ctl.delivery.settle, ctl.loop.after_line
        looked = threading.Event()

        def after_line_then_say(*a):
            after_line(*a)
            looked.set()

        def settle_while_a_line_arrives():
            settle()
            if ctl.in_handler() and self.seen.chejans == [1]:
                looked.clear()
                ctl.wire.call("Emit", [{"event": "OnReceiveChejanData", "args": ["0", {"9203": "2"}]}], WAIT)
                self.assertTrue(looked.wait(WAIT))  # the other thread is done with that line

        ctl.wire._after_line = after_line_then_say
        ctl.delivery.settle = settle_while_a_line_arrives
        ctl.call("Emit", [{"event": "OnReceiveChejanData", "args": ["0", {"9203": "1"}]}], wait=True)
        ctl.wait_for(lambda: self.seen.chejans == [1, 2], 5.0)
        self.assertEqual(self.seen.chejans, [1, 2])

    def test_the_end_of_the_bridge_ends_both_reader_threads(self):
        readers = self.ctl.wire._readers
        self.assertEqual([t.is_alive() for t in readers], [True, True])
        self.ctl.wire.proc.kill()
        for t in readers:
            t.join(WAIT)
        self.assertEqual([t.is_alive() for t in readers], [False, False])
        self.assertTrue(self.ctl.delivery.closed)
        with self.assertRaises(BridgeClosed):
            self.ctl.call("Echo", ("after the end",))

    def test_close_returns_while_a_handler_still_runs(self):
        blocked = threading.Event()
        release = threading.Event()

        def slow(ev):
            blocked.set()
            release.wait(WAIT)

        self.seen.hook = slow
        self.ctl.call("Emit", [{"event": "OnReceiveChejanData", "args": ["0", {"9203": "1"}]}])
        try:
            self.assertTrue(blocked.wait(WAIT))
            t0 = time.monotonic()
            self.ctl.close()
            self.assertLess(time.monotonic() - t0, 4.0)  # not held for the exit timeout (5 s)
            self.assertEqual(self.seen.active, 1)
        finally:
            release.set()

    def test_close_during_a_stream_leaves_no_thread_running(self):
        self.ctl.call("Stream", (2000, 5))
        readers = self.ctl.wire._readers
        self.ctl.close()
        for t in readers:
            t.join(WAIT)
        self.assertEqual([t.is_alive() for t in readers], [False, False])
        self.assertFalse([t.name for t in threading.enumerate() if t.name.startswith("kiwoom-compat-reader")])


if __name__ == "__main__":
    unittest.main()
