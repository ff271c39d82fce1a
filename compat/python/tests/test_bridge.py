"""kiwoom_compat drives the APIServer facade through `kiwoom-compat bridge --stdio`, against the
built-in emulator (use_rest False, sim_no 1), as a plain script does (no Qt, no pump: the
``thread`` loop). Needs `npm run build` first (dist/).

    cd compat/python && python3 -m unittest -v
"""
import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from kiwoom_compat import EVENTS, APIServer, KiwoomCompatError  # noqa: E402
from kiwoom_compat.wire import Event, Quote, Schema  # noqa: E402

WAIT = 15.0


class Recorder(APIServer):
    """A legacy-style subclass: handlers are methods named after the OCX events."""

    def __init__(self):
        super(Recorder, self).__init__(loop="thread")  # what a plain script gets (test_faces checks the choice)
        self.events = []
        self.cond = threading.Condition()
        self.chejan_reads = []
        self.real_reads = []

    def _record(self, name, *args):
        with self.cond:
            self.events.append((name, args))
            self.cond.notify_all()

    def wait_for(self, predicate, what, since=0):
        """The arguments of the events from the ``since``-th on that match, once there is one."""
        with self.cond:
            if not self.cond.wait_for(lambda: any(predicate(n, a) for n, a in self.events[since:]), WAIT):
                raise AssertionError("no %s within %ss; got %s" % (what, WAIT, [n for n, _ in self.events][-20:]))
            return [a for n, a in self.events[since:] if predicate(n, a)]

    def OnEventConnect(self, err_code):
        time.sleep(0.3)  # a slow handler: CommConnect(block=True) must still return after it
        self._record("OnEventConnect", err_code)

    def OnReceiveTrData(self, screen, rqname, trcode, record_name, prev_next):
        self._record("OnReceiveTrData", screen, rqname, trcode, record_name, prev_next)

    def OnReceiveRealData(self, code, rtype, dictFID):
        # GetCommRealData inside the handler reads the event being handled, as with the OCX.
        self.real_reads.append((code, rtype, dictFID.get("10"), self.GetCommRealData(code, 10)))
        self._record("OnReceiveRealData", code, rtype, dictFID)

    def OnReceiveChejanData(self, gubun, dictFID):
        self.chejan_reads.append((gubun, self.GetChejanData(9203), dictFID.get("9203", "")))
        self._record("OnReceiveChejanData", gubun, dictFID)

    def OnReceiveMsg(self, screen, rqname, trcode, msg):
        self._record("OnReceiveMsg", screen, rqname, trcode, msg)

    def OnReceiveConditionVer(self, ret, msg):
        self._record("OnReceiveConditionVer", ret, msg)

    def OnReceiveTrCondition(self, screen, code_list, cond_name, cond_index, next_):
        self._record("OnReceiveTrCondition", screen, code_list, cond_name, cond_index, next_)


def no_round_trips(api):
    """A context in which any call to the bridge fails: getters must answer from local state."""

    class Guard(object):
        def __enter__(self):
            self.saved = api._ctl.wire.call

            def refuse(method, args, timeout):
                raise AssertionError("%s%r made a round trip" % (method, tuple(args)))

            api._ctl.wire.call = refuse

        def __exit__(self, *exc):
            api._ctl.wire.call = self.saved

    return Guard()


class BridgeSession(unittest.TestCase):
    """One logged-in session shared by the tests of this class (one bridge process)."""

    @classmethod
    def setUpClass(cls):
        cls.api = Recorder()
        cls.api.api_init(sim_no=1, log_level="warn", use_rest=False)
        cls.connect_ret = cls.api.CommConnect(block=True)
        cls.events_at_return = list(cls.api.events)
        cls.accno = cls.api.GetLoginInfo("ACCNO").split(";")[0]

    @classmethod
    def tearDownClass(cls):
        cls.api.cleanup()

    def test_connect_returns_after_OnEventConnect_was_handled(self):
        self.assertEqual(self.connect_ret, 0)
        self.assertEqual(self.events_at_return, [("OnEventConnect", (0,))])
        self.assertEqual(self.api.GetConnectState(), 1)
        with no_round_trips(self.api):  # shipped with OnEventConnect
            self.assertRegex(self.api.GetLoginInfo("ACCNO"), r"^\d{10};")
            self.assertEqual(self.api.GetLoginInfo("GetServerGubun"), "1")

    def test_master_getters_answer_locally_what_the_bridge_answers(self):
        getters = ["GetMasterCodeName", "GetMasterListedStockCnt", "GetMasterConstruction", "GetMasterListedStockDate", "GetMasterLastPrice", "GetMasterStockState", "GetMarketType"]
        with no_round_trips(self.api):
            codes = self.api.GetCodeListByMarket("0").split(";")[:-1] + self.api.GetCodeListByMarket("8").split(";")[:2]
            local = {(g, c): getattr(self.api, g)(c) for g in getters for c in codes[:20]}
            lists = [self.api.GetCodeListByMarket(m) for m in ("", "0", "10")]
            self.assertEqual(self.api.GetMasterCodeName("005930"), "삼성전자")
        self.assertGreater(len(codes), 20)
        bridge = {(g, c): self.api._ctl.call(g, (c,)) for g, c in local}
        self.assertEqual(local, bridge)
        self.assertEqual(lists, [self.api._ctl.call("GetCodeListByMarket", (m,)) for m in ("", "0", "10")])

    def test_real_data_arrives_with_fid_dictionaries_and_GetCommRealData_reads_it_locally(self):
        # Another stream in the same session, before and after this test's own: the test reads
        # only its own code's events and reads, whatever else streams.
        self.assertEqual(self.api.SetRealReg("1001", "000660", "10", "0"), 0)
        self.addCleanup(self.api.SetRealRemove, "1001", "ALL")
        self.api.wait_for(lambda n, a: n == "OnReceiveRealData" and a[0] == "000660", "a quote for 000660")
        since = len(self.api.events)
        reads_since = len(self.api.real_reads)
        self.assertEqual(self.api.SetRealReg("1000", "005930", "10;15;20", "0"), 0)
        got = self.api.wait_for(lambda n, a: n == "OnReceiveRealData" and a[0] == "005930" and a[1] == "주식체결", "주식체결 for 005930", since)
        fids = got[0][2]
        self.assertRegex(fids["10"], r"^[+-]?\d+$")
        self.assertRegex(fids["20"], r"^\d{6}$")
        # The same argument is the OCX's sRealData: 주식체결's OCX FID order starts 20 (체결시간), 10 (현재가).
        self.assertEqual(fids.split("\t")[:2], [fids["20"], fids["10"]])
        self.assertEqual(str(fids).split("\t")[1], fids["10"])
        self.assertEqual(self.api.SetRealRemove("1000", "ALL"), 0)
        removed = len(self.api.events)
        self.api.wait_for(lambda n, a: n == "OnReceiveRealData" and a[0] == "000660", "a quote for 000660 after 005930's removal", removed)
        own = [r for r in self.api.real_reads[reads_since:] if r[0] == "005930"]
        self.assertTrue(own)
        for code, rtype, in_dict, via_getter in own:
            self.assertEqual(via_getter, in_dict, "GetCommRealData inside a %s handler for %s" % (rtype, code))
        with no_round_trips(self.api):
            self.assertEqual(self.api.GetCommRealData("005930", 10), own[-1][3])
            self.assertEqual(self.api.GetCommRealData("999999", 10), "")

    def test_order_then_chejan_with_GetChejanData_inside_the_handler(self):
        ret = self.api.SendOrder("buy", "2000", self.accno, 1, "005930", 1, 0, "03", "")
        self.assertEqual(ret, 0)
        trs = self.api.wait_for(lambda n, a: n == "OnReceiveTrData" and a[1] == "buy", "OnReceiveTrData for the order")
        with no_round_trips(self.api):
            order_no = self.api.GetCommData(trs[0][2], "buy", 0, "주문번호").strip()
        self.assertRegex(order_no, r"^\d+$")
        fills = self.api.wait_for(
            lambda n, a: n == "OnReceiveChejanData" and a[0] == "0" and a[1].get("9203", "").strip().lstrip("0") == order_no.lstrip("0") and a[1].get("913") == "체결",
            "a 체결 chejan for order %s" % order_no,
        )
        self.assertEqual(fills[0][1]["9001"], "A005930")
        self.api.wait_for(lambda n, a: n == "OnReceiveChejanData" and a[0] == "1", "a 잔고 chejan")
        self.assertTrue(self.api.chejan_reads)
        for gubun, inside, given in self.api.chejan_reads:
            self.assertEqual(inside, given)

    def test_bad_order_is_refused_with_the_ocx_code_and_one_message(self):
        before = len([e for e in self.api.events if e[0] == "OnReceiveMsg"])
        self.assertEqual(self.api.SendOrder("bad", "2000", self.accno, 1, "005930", 0, 0, "03", ""), -300)
        self.assertEqual(self.api.SendOrder("bad", "2000", self.accno, 9, "005930", 1, 0, "03", ""), -300)
        msgs = [e for e in self.api.events if e[0] == "OnReceiveMsg"][before:]
        self.assertEqual(len(msgs), 2)
        self.assertIn("qty", msgs[0][1][3])

    def test_condition_search(self):
        self.assertEqual(self.api.GetConditionLoad(), 1)
        self.api.wait_for(lambda n, a: n == "OnReceiveConditionVer" and a[0] == 1, "OnReceiveConditionVer(1)")
        with no_round_trips(self.api):  # shipped with OnReceiveConditionVer
            names = self.api.GetConditionNameList()
        self.assertRegex(names, r"^(\d+\^[^;]+;)+$")
        index, name = names.split(";")[1].split("^")
        self.assertEqual(self.api.SendCondition("3000", name, int(index), 0), 1)
        got = self.api.wait_for(lambda n, a: n == "OnReceiveTrCondition" and a[2] == name, "OnReceiveTrCondition")
        self.assertRegex(got[0][1], r"^(\d{6};)*$")

    def test_tr_pages_are_read_locally_and_read_what_the_bridge_reads(self):
        pages = []
        for prev_next in (0, 2):
            rq = "chart%d" % prev_next
            self.api.SetInputValue("종목코드", "005930")
            self.api.SetInputValue("기준일자", "20261125")
            self.api.SetInputValue("수정주가구분", "1")
            self.assertEqual(self.api.CommRqData(rq, "opt10081", prev_next, "0101"), 0)
            got = self.api.wait_for(lambda n, a: n == "OnReceiveTrData" and a[1] == rq, "OnReceiveTrData " + rq)
            if prev_next == 0:
                self.assertEqual(got[0][4], "2")
            fields = ["일자", "현재가", "거래량", "시가", "고가", "저가", "종목코드", "없는항목"]
            with no_round_trips(self.api):
                count = self.api.GetRepeatCnt("opt10081", rq)
                local = [[self.api.GetCommData("opt10081", rq, i, f) for f in fields] for i in (0, 1, count - 1, count)]
            bridge = [[self.api._ctl.call("GetCommData", ("opt10081", rq, i, f)) for f in fields] for i in (0, 1, count - 1, count)]
            self.assertGreater(count, 100)
            self.assertEqual(local, bridge)
            self.assertRegex(local[0][0].strip(), r"^\d{8}$")
            # Past the last row: row fields read "", the single record's 종목코드 does not depend on the row.
            self.assertEqual(local[-1], [""] * 6 + ["005930", ""])
            pages.append(local[0][0])
        self.assertNotEqual(pages[0], pages[1])  # page 2 is another stretch of days


class HandlersCallingTheBridge(unittest.TestCase):
    def test_handlers_that_call_the_bridge_under_a_stream_get_their_answers(self):
        # The thread running handlers does not read the bridge meanwhile: the other thread reads
        # the answers to calls made from inside OnReceiveRealData and OnReceiveTrData.
        api = APIServer(loop="thread")
        answers = []
        codes = []
        done = threading.Event()

        def on_real(code, rtype, fids):
            codes.append(code)
            if not answers:
                api.SetInputValue("종목코드", "005930")
                answers.append(("CommRqData", api.CommRqData("inner", "opt10001", 0, "0102")))

        def on_tr(screen, rqname, trcode, record, prev_next):
            if rqname == "inner":
                answers.append(("GetCommData", api._ctl.call("GetCommData", (trcode, rqname, 0, "종목명")).strip()))
                answers.append(("SetRealReg", api.SetRealReg("1001", "000660", "10", "1")))
                done.set()

        api.on("OnReceiveRealData", on_real)
        api.on("OnReceiveTrData", on_tr)
        api.api_init(sim_no=1, log_level="warn", use_rest=False)
        try:
            self.assertEqual(api.CommConnect(block=True), 0)
            self.assertEqual(api.SetRealReg("1001", "005930;035720", "10", "0"), 0)
            self.assertTrue(done.wait(WAIT), "answers so far: %r" % answers)
            self.assertEqual(answers, [("CommRqData", 0), ("GetCommData", "삼성전자"), ("SetRealReg", 0)])
            self.assertTrue(api._ctl.wait_for(lambda: "000660" in codes, WAIT), "no quote for the code registered from a handler")
        finally:
            api.cleanup()


class Lifecycle(unittest.TestCase):
    def test_handlers_by_registration_and_cleanup(self):
        api = APIServer(loop="thread")
        seen = []
        api.on("OnEventConnect", seen.append)
        with self.assertRaises(ValueError):
            api.on("OnNoSuchEvent", print)
        with self.assertRaises(KiwoomCompatError) as refused:
            api.api_init(sim_no=0, use_rest=False)
        self.assertEqual(refused.exception.field, "use_rest")
        api.api_init(sim_no=1, use_rest=False, log_level="warn")
        self.assertEqual(api.CommConnect(True), 0)
        self.assertEqual(seen, [0])
        proc = api._ctl.wire.proc
        self.assertEqual(api.cleanup(), 0)
        self.assertEqual(proc.returncode, 0)
        self.assertEqual(api.cleanup(), 0)  # twice is harmless
        with self.assertRaises(KiwoomCompatError):
            api.GetConnectState()

    def test_use_rest_without_keys_is_refused_naming_the_field(self):
        saved = {k: os.environ.pop(k) for k in ("KIWOOM_APPKEY", "KIWOOM_SECRETKEY") if k in os.environ}
        api = APIServer()
        try:
            with self.assertRaises(KiwoomCompatError) as refused:
                api.api_init(sim_no=1, use_rest=True)
            self.assertEqual(refused.exception.field, "appkey")
        finally:
            api.cleanup()
            os.environ.update(saved)

    def test_a_missing_bridge_command_is_a_clear_error(self):
        with self.assertRaises(KiwoomCompatError) as failed:
            APIServer(bridge_command=["/nonexistent/kiwoom-compat", "bridge", "--stdio"]).api_init(sim_no=1)
        self.assertIn("could not start the bridge", str(failed.exception))

    def test_the_default_bridge_runs_node_with_its_default_flags(self):
        # --optimize-for-size cut the bridge's quotes/s to a third or less (README "Performance").
        api = APIServer()
        try:
            api.api_init(sim_no=1)
            self.assertNotIn("--optimize-for-size", api._ctl.wire.info["nodeFlags"])
        finally:
            api.cleanup()


class Handlers(unittest.TestCase):
    """How one event reaches an overriding method and connected slots (no bridge needed)."""

    def test_every_event_reaches_its_override_and_its_connected_slots_with_their_arity(self):
        calls = []

        class Sub(APIServer):
            def OnEventConnect(self, err):
                calls.append(("override", "OnEventConnect", err))

        api = Sub()
        shapes = {
            "OnEventConnect": [0],
            "OnReceiveTrData": ["0101", "rq", "opt10001", "", "0"],
            "OnReceiveMsg": ["0101", "rq", "opt10001", "ok"],
            "OnReceiveChejanData": ["0", {"9203": "1", "913": "접수"}],
            "OnReceiveConditionVer": [1, ""],
            "OnReceiveTrCondition": ["3000", "005930;", "cond", 1, 0],
            "OnReceiveRealCondition": ["005930", "I", "cond", "001"],
            "OnReceiveInvestRealData": ["005930"],
        }
        for name in EVENTS:
            if name != "OnEventConnect":  # the subclass's method replaces that signal
                getattr(api, name).connect(lambda *a, _n=name: calls.append(("slot", _n, a)))
        api.OnReceiveChejanData.connect(lambda gubun, cnt, fid_list: calls.append(("ocx", gubun, cnt, fid_list)))
        api.OnReceiveTrData.connect(lambda *a: None)
        seq = 0
        for name, args in shapes.items():
            seq += 1
            api._deliver(Event(name, args, None, None, seq))
        api._deliver(Quote("005930", Schema(1, "주식체결", ["20", "10"]), "090001\t+100", seq + 1))
        self.assertIn(("override", "OnEventConnect", 0), calls)
        delivered = {c[1] for c in calls if c[0] == "slot"}
        self.assertEqual(delivered, set(EVENTS) - {"OnEventConnect"})
        self.assertIn(("slot", "OnReceiveRealData", ("005930", "주식체결", {"20": "090001", "10": "+100"})), calls)
        self.assertIn(("ocx", "0", 2, "9203;913"), calls)


class OcxStyleCode(unittest.TestCase):
    """Code written for QAxWidget, on APIServer: dynamicCall strings, connected slots with the OCX's arities."""

    def test_dynamicCall_in_every_form_and_connected_slots_with_ocx_arity(self):
        ocx = APIServer(loop="thread")
        seen = {"login": [], "tr": [], "chejan": []}
        done = threading.Event()

        def on_tr(screen, rqname, trcode, record, prev_next, data_len, err_code, msg, splm_msg):
            if rqname == "quote":
                name = ocx.dynamicCall("GetCommData(QString, QString, int, QString)", trcode, rqname, 0, "종목명")
                seen["tr"].append((prev_next, data_len, name.strip()))

        def on_chejan(gubun, item_cnt, fid_list):
            seen["chejan"].append((gubun, item_cnt, fid_list, ocx.dynamicCall("GetChejanData(int)", 9203)))
            if gubun == "1":
                done.set()

        ocx.OnEventConnect.connect(seen["login"].append)
        ocx.OnReceiveTrData.connect(on_tr)
        ocx.OnReceiveChejanData.connect(on_chejan)
        ocx.OnReceiveMsg.connect(lambda screen, rqname: None)  # fewer parameters than the event has
        ocx.api_init(sim_no=1, use_rest=False, log_level="warn")
        try:
            self.assertEqual(ocx.dynamicCall("CommConnect()"), 0)
            self.assertEqual(seen["login"], [0])
            self.assertEqual(ocx.dynamicCall('KOA_Functions("GetServerGubun", "")'), "1")
            accno = ocx.dynamicCall('GetLoginInfo("ACCNO")').split(";")[0]
            self.assertEqual(ocx.dynamicCall("GetLoginInfo(QString)", ["ACCNO"]), accno + ";")
            ocx.dynamicCall("SetInputValue(QString, QString)", "종목코드", "005930")
            self.assertEqual(ocx.dynamicCall("CommRqData(QString, QString, int, QString)", "quote", "opt10001", "0", "0101"), 0)
            self.assertEqual(seen["tr"], [("0", 0, "삼성전자")])
            ret = ocx.dynamicCall(
                "SendOrder(QString, QString, QString, int, QString, int, int, QString, QString)",
                ["buy", "2000", accno, 1, "005930", 1, 0, "03", ""],
            )
            self.assertEqual(ret, 0)
            self.assertTrue(done.wait(WAIT), "no 잔고 chejan")
            gubun, item_cnt, fid_list, order_no = seen["chejan"][0]
            self.assertEqual(gubun, "0")
            self.assertEqual(item_cnt, len(fid_list.split(";")))
            self.assertIn("9203", fid_list.split(";"))
            self.assertRegex(order_no.strip(), r"^\d+$")
            with self.assertRaises(TypeError):
                ocx.dynamicCall("SendOrderFO(QString)", [])
            with self.assertRaises(KiwoomCompatError):
                ocx.dynamicCall("NoSuchMethod()")
        finally:
            ocx.cleanup()


if __name__ == "__main__":
    unittest.main()
