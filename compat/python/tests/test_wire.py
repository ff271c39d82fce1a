"""The wire to the bridge process, against a stand-in bridge (tests/fake_bridge.py): the
protocol's batches and compact quotes, call timeouts, argument checks, and a cleanup that a
stuck bridge cannot block."""
import contextlib
import errno
import io
import os
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from kiwoom_compat import APIServer, KiwoomCompatError  # noqa: E402
from kiwoom_compat.errors import BridgeClosed  # noqa: E402
from kiwoom_compat.wire import Quote, Wire, format_log_line  # noqa: E402

FAKE = [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_bridge.py")]


class Collect(object):
    def __init__(self):
        self.events = []

    def __call__(self, batch):
        self.events.extend(batch)


class ProtocolThree(unittest.TestCase):
    def setUp(self):
        self.got = Collect()
        self.wire = Wire(self.got, command=FAKE + ["echo"])

    def tearDown(self):
        self.wire.close(2.0)

    def test_events_before_a_reply_are_delivered_before_the_call_returns_and_quotes_stay_compact(self):
        messages = [
            {"schema": 4, "real": "주식체결", "fids": ["20", "10", "15"]},
            ["005930", 4, "090001\t+71200\t+3"],
            {"event": "OnReceiveChejanData", "args": ["0", {"9203": "0000007", "302": "a\x1eb\nc"}]},
            ["000660", 4, "090002\t-1000\t"],
            {"coalesced": 17},
        ]
        result, upto = self.wire.call("Emit", messages, 5.0)
        self.assertEqual(upto, 3)
        self.assertEqual([e.seq for e in self.got.events], [1, 2, 3])
        quote, chejan, other = self.got.events
        self.assertIsInstance(quote, Quote)
        self.assertEqual((quote.code, quote.real, quote.value("10"), quote.value("15"), quote.value("999")), ("005930", "주식체결", "+71200", "+3", None))
        self.assertEqual(quote.raw, "090001\t+71200\t+3")  # the OCX's sRealData, untouched
        self.assertEqual(other.fids(), {"20": "090002", "10": "-1000", "15": ""})
        # The record separator and a line break inside a JSON string are escaped, not cut.
        self.assertEqual((chejan.name, chejan.args), ("OnReceiveChejanData", ["0", {"9203": "0000007", "302": "a\x1eb\nc"}]))
        self.assertEqual(self.wire.coalesced, 17)
        self.assertEqual(result[-1], {"coalesced": 17})

    @unittest.skipUnless(sys.platform.startswith("linux"), "pipe capacity is a Linux setting")
    def test_the_bridge_writes_into_a_pipe_wide_enough_for_a_busy_turn(self):
        # A 64 KB pipe made the bridge wait on this reader's scheduling for most of each second
        # under load (quotes merged while the reader idled).
        import fcntl

        with open("/proc/sys/fs/pipe-max-size") as f:
            allowed = int(f.read())
        size = fcntl.fcntl(self.wire.proc.stdout.fileno(), getattr(fcntl, "F_GETPIPE_SZ", 1032))
        self.assertEqual(size, min(allowed, 1 << 20))
        self.assertGreater(size, 64 * 1024)

    def test_an_error_reply_raises_with_its_name_field_and_code(self):
        with self.assertRaises(KiwoomCompatError) as raised:
            self.wire.call("Fail", [{"name": "ValidationError", "message": "nQty must be positive", "field": "nQty", "code": -302}], 5.0)
        e = raised.exception
        self.assertEqual((e.name, e.message, e.field, e.code), ("ValidationError", "nQty must be positive", "nQty", -302))


class QuoteValues(unittest.TestCase):
    def test_any_fid_reads_its_own_value_on_a_first_second_and_later_read(self):
        from kiwoom_compat.wire import Schema

        fids = ["20", "10", "11", "12", "27", "28", "9999"]
        values = ["090001", "+71200", "", "+0.5", "+71300", "+71100", "1700000000"]
        schema = Schema(2, "주식체결", fids, 6)
        for first in fids:
            quote = Quote("005930", schema, "\t".join(values), 1)
            order = [first] + [f for f in fids if f != first] + [first]
            self.assertEqual([quote.value(f) for f in order], [values[fids.index(f)] for f in order], first)
            self.assertIsNone(quote.value("15"))
        self.assertEqual(Quote("005930", schema, "\t".join(values), 1).real_data(), "\t".join(values[:6]))

    def test_the_handlers_fid_dictionary_is_a_whole_dict_to_every_use_and_the_ocxs_string(self):
        import copy
        import json

        from kiwoom_compat.legacy import RealData
        from kiwoom_compat.wire import Schema

        schema = Schema(2, "주식체결", ["20", "10", "15", "9999"], 3)
        whole = {"20": "090001", "10": "+71200", "15": "", "9999": "17"}

        def data():
            return RealData(Quote("005930", schema, "090001\t+71200\t\t17", 1))

        d = data()
        self.assertEqual((d["10"], d.get("9999"), d.get("11", "-"), "15" in d, "11" in d, 10 in d), ("+71200", "17", "-", True, False, False))
        with self.assertRaises(KeyError):
            d["11"]
        self.assertEqual((str(d), d.split("\t")[1], "%s" % d), ("090001\t+71200\t", "+71200", "090001\t+71200\t"))
        self.assertIsInstance(d, dict)
        for use in (dict, lambda x: {**x}, lambda x: json.loads(json.dumps(x)), lambda x: dict(x.items()), copy.copy, lambda x: dict(zip(list(x), x.values()))):
            self.assertEqual(use(data()), whole)
        self.assertEqual((len(data()), data() == whole, sorted(data())), (4, True, sorted(whole)))
        changed = data()
        changed["10"] = "+1"
        self.assertEqual((changed["10"], changed.get("20"), len(changed)), ("+1", "090001", 4))
        self.assertEqual(changed.pop("20"), "090001")
        self.assertNotIn("20", changed)


class CallsAreBounded(unittest.TestCase):
    def test_a_call_has_a_default_timeout_and_the_setting_changes_it(self):
        self.assertEqual(APIServer()._ctl.call_timeout, 60.0)
        os.environ["KIWOOM_COMPAT_CALL_TIMEOUT"] = "0.4"
        try:
            api = APIServer(bridge_command=FAKE + ["stuck"])
        finally:
            del os.environ["KIWOOM_COMPAT_CALL_TIMEOUT"]
        api._ctl.start()
        t0 = time.monotonic()
        with self.assertRaises(KiwoomCompatError) as raised:
            api.GetLoginInfo("ACCNO")
        self.assertEqual(raised.exception.name, "TimeoutError")
        self.assertLess(time.monotonic() - t0, 3.0)
        api.cleanup()

    def test_a_timed_out_order_is_reported_as_unknown_not_refused(self):
        api = APIServer(bridge_command=FAKE + ["stuck"], call_timeout=0.3)
        api._ctl.start()
        api._ctl.wire.info["methods"].append("SendOrder")
        with self.assertRaises(KiwoomCompatError) as raised:
            api.SendOrder("buy", "2000", "1234567890", 1, "005930", 1, 0, "03")
        self.assertIn("outcome is unknown", raised.exception.message)
        api.cleanup()

    def test_cleanup_of_a_stuck_bridge_returns_and_ends_it(self):
        api = APIServer(bridge_command=FAKE + ["stuck"], call_timeout=0.5)
        api._ctl.start()
        proc = api._ctl.wire.proc
        t0 = time.monotonic()
        done = threading.Event()
        threading.Thread(target=lambda: (api.cleanup(), done.set()), daemon=True).start()
        self.assertTrue(done.wait(5.0), "cleanup() blocked on a stuck bridge")
        self.assertLess(time.monotonic() - t0, 3.0)
        self.assertIsNotNone(proc.poll(), "the stuck bridge was left running")

    def test_unknown_keyword_arguments_and_wrong_argument_counts_are_type_errors(self):
        api = APIServer(bridge_command=FAKE + ["echo"])
        with self.assertRaises(TypeError):
            api.api_init(sim_no=1, use_rets=True)
        with self.assertRaises(TypeError):
            api.CommConnect(blok=True)
        with self.assertRaises(TypeError):
            api.GetLoginInfo(sTag="ACCNO", tag="ACCNO")
        with self.assertRaises(TypeError):
            api.GetMasterCodeName()
        with self.assertRaises(TypeError):
            api.SetInputValue("종목코드", "005930", "extra")


class UnreadableOutput(unittest.TestCase):
    """The bridge's output fails at the first read (EIO, a closed stream): Wire() says so at once."""

    def test_wire_raises_at_once_not_after_the_ready_timeout(self):
        from unittest import mock

        import kiwoom_compat.wire as wire_module

        real_popen = subprocess.Popen
        for error in (OSError(errno.EIO, "Input/output error"), ValueError("readline of closed file")):
            with self.subTest(error=repr(error)):
                started = []

                def popen(*args, **kwargs):
                    proc = real_popen(*args, **kwargs)
                    proc.stdout = _Unreadable(proc.stdout, error)
                    started.append(proc)
                    return proc

                said = io.StringIO()
                t0 = time.monotonic()
                with mock.patch.object(wire_module.subprocess, "Popen", popen), contextlib.redirect_stderr(said), self.assertRaises(BridgeClosed) as raised:
                    # Twenty seconds to say ready; the broken read must not use them.
                    Wire(Collect(), command=FAKE + ["echo"], stderr=subprocess.DEVNULL, ready_timeout=20.0)
                self.assertIn("did not start", str(raised.exception))
                self.assertIn("the bridge did not say ready", said.getvalue())
                self.assertLess(time.monotonic() - t0, 10.0)
                self.assertIsNotNone(started[0].poll(), "the bridge was left running")


class _Unreadable(object):
    """A bridge's stdout whose reads fail."""

    def __init__(self, stream, error):
        self._stream = stream
        self._error = error

    def readline(self, *args):
        raise self._error

    def fileno(self):
        return self._stream.fileno()

    def close(self):
        self._stream.close()


class LogLines(unittest.TestCase):
    def test_bridge_log_lines_read_as_text_not_json(self):
        line = '{"level":40,"time":1764400000000,"pid":7,"hostname":"h","component":"rest","apiId":"ka10001","msg":"429: backing off"}'
        self.assertEqual(format_log_line(line), "kiwoom-compat WARN [rest]: 429: backing off (apiId=ka10001)")
        self.assertEqual(format_log_line("node: a plain line"), "node: a plain line")


if __name__ == "__main__":
    unittest.main()
