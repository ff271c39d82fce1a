"""kiwoom_compat drives the APIServer facade through `kiwoom-compat bridge --stdio`, against the
built-in emulator (use_rest False, sim_no 1). Needs `npm run build` first (dist/).

    cd compat/python && python3 -m unittest -v
"""
import os
import sys
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from kiwoom_compat import APIServer, EVENTS, KiwoomCompatError  # noqa: E402

WAIT = 15.0


class Recorder(APIServer):
    """A legacy-style subclass: handlers are methods named after the OCX events."""

    def __init__(self):
        super(Recorder, self).__init__()
        self.events = []
        self.cond = threading.Condition()
        self.chejan_reads = []

    def _record(self, name, *args):
        with self.cond:
            self.events.append((name, args))
            self.cond.notify_all()

    def wait_for(self, predicate, what):
        with self.cond:
            if not self.cond.wait_for(lambda: any(predicate(n, a) for n, a in self.events), WAIT):
                raise AssertionError("no %s within %ss; got %s" % (what, WAIT, [n for n, _ in self.events][-20:]))
            return [a for n, a in self.events if predicate(n, a)]

    def OnEventConnect(self, err_code):
        self._record("OnEventConnect", err_code)

    def OnReceiveTrData(self, screen, rqname, trcode, record_name, prev_next):
        self._record("OnReceiveTrData", screen, rqname, trcode, record_name, prev_next)

    def OnReceiveRealData(self, code, rtype, dictFID):
        self._record("OnReceiveRealData", code, rtype, dictFID)

    def OnReceiveChejanData(self, gubun, dictFID):
        # GetChejanData inside the handler reads the event being handled, as with the OCX.
        self.chejan_reads.append((gubun, self.GetChejanData(9203), dictFID.get("9203", "")))
        self._record("OnReceiveChejanData", gubun, dictFID)

    def OnReceiveMsg(self, screen, rqname, trcode, msg):
        self._record("OnReceiveMsg", screen, rqname, trcode, msg)

    def OnReceiveConditionVer(self, ret, msg):
        self._record("OnReceiveConditionVer", ret, msg)

    def OnReceiveTrCondition(self, screen, code_list, cond_name, cond_index, next_):
        self._record("OnReceiveTrCondition", screen, code_list, cond_name, cond_index, next_)

    def OnReceiveRealCondition(self, code, type_, cond_name, cond_index):
        self._record("OnReceiveRealCondition", code, type_, cond_name, cond_index)


class BridgeSession(unittest.TestCase):
    """One logged-in session shared by the tests of this class (one bridge process)."""

    @classmethod
    def setUpClass(cls):
        cls.api = Recorder()
        cls.api.api_init(sim_no=1, log_level="warn", use_rest=False)
        cls.connect_ret = cls.api.CommConnect(block=True)
        cls.accno = cls.api.GetLoginInfo("ACCNO").split(";")[0]

    @classmethod
    def tearDownClass(cls):
        cls.api.cleanup()

    def test_connect_returns_after_OnEventConnect_was_handled(self):
        self.assertEqual(self.connect_ret, 0)
        self.assertIn(("OnEventConnect", (0,)), self.api.events)
        self.assertEqual(self.api.GetConnectState(), 1)
        self.assertRegex(self.api.GetLoginInfo("ACCNO"), r"^\d{10};")
        self.assertEqual(self.api.GetLoginInfo("GetServerGubun"), "1")

    def test_real_data_arrives_with_fid_dictionaries(self):
        self.assertEqual(self.api.SetRealReg("1000", "005930", "10;15;20", "0"), 0)
        got = self.api.wait_for(lambda n, a: n == "OnReceiveRealData" and a[0] == "005930" and a[1] == "주식체결", "주식체결 for 005930")
        fids = got[0][2]
        self.assertRegex(fids["10"], r"^[+-]?\d+$")
        self.assertRegex(fids["20"], r"^\d{6}$")
        self.assertEqual(self.api.GetCommRealData("005930", 10) != "", True)
        self.assertEqual(self.api.SetRealRemove("1000", "ALL"), 0)

    def test_order_then_chejan_with_GetChejanData_inside_the_handler(self):
        ret = self.api.SendOrder("buy", "2000", self.accno, 1, "005930", 1, 0, "03", "")
        self.assertEqual(ret, 0)
        trs = self.api.wait_for(lambda n, a: n == "OnReceiveTrData" and a[1] == "buy", "OnReceiveTrData for the order")
        order_no = self.api.GetCommData(trs[0][2], "buy", 0, "주문번호").strip()
        self.assertRegex(order_no, r"^\d+$")
        fills = self.api.wait_for(
            lambda n, a: n == "OnReceiveChejanData" and a[0] == "0" and a[1].get("9203", "").strip().lstrip("0") == order_no.lstrip("0") and a[1].get("913") == "체결",
            "a 체결 chejan for order %s" % order_no,
        )
        self.assertEqual(fills[0][1]["9001"], "A005930")
        self.api.wait_for(lambda n, a: n == "OnReceiveChejanData" and a[0] == "1", "a 잔고 chejan")
        for gubun, inside, given in self.api.chejan_reads:
            self.assertEqual(inside, given)

    def test_bad_order_is_refused_with_an_ocx_code(self):
        self.assertLess(self.api.SendOrder("bad", "2000", self.accno, 1, "005930", 0, 0, "03", ""), 0)
        self.assertLess(self.api.SendOrder("bad", "2000", self.accno, 9, "005930", 1, 0, "03", ""), 0)

    def test_condition_search(self):
        self.api.GetConditionLoad()
        self.api.wait_for(lambda n, a: n == "OnReceiveConditionVer" and a[0] == 1, "OnReceiveConditionVer(1)")
        names = self.api.GetConditionNameList()
        self.assertRegex(names, r"^(\d+\^[^;]+;)+$")
        index, name = names.split(";")[1].split("^")
        self.assertEqual(self.api.SendCondition("3000", name, int(index), 0), 1)
        got = self.api.wait_for(lambda n, a: n == "OnReceiveTrCondition" and a[2] == name, "OnReceiveTrCondition")
        self.assertRegex(got[0][1], r"^(\d{6};)*$")

    def test_tr_query_with_continuation(self):
        for prev_next in (0, 2):
            self.api.SetInputValue("종목코드", "005930")
            self.api.SetInputValue("기준일자", "20261125")
            self.api.SetInputValue("수정주가구분", "1")
            self.assertEqual(self.api.CommRqData("chart%d" % prev_next, "opt10081", prev_next, "0101"), 0)
            got = self.api.wait_for(lambda n, a: n == "OnReceiveTrData" and a[1] == "chart%d" % prev_next, "OnReceiveTrData chart%d" % prev_next)
            count = self.api.GetRepeatCnt("opt10081", "chart%d" % prev_next)
            self.assertGreater(count, 0)
            self.assertRegex(self.api.GetCommData("opt10081", "chart%d" % prev_next, 0, "일자").strip(), r"^\d{8}$")
            if prev_next == 0:
                self.assertEqual(got[0][4], "2")


class Lifecycle(unittest.TestCase):
    def test_handlers_by_registration_and_cleanup(self):
        api = APIServer()
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
        bridge = api._bridge
        self.assertEqual(api.cleanup(), 0)
        self.assertEqual(bridge.proc.returncode, 0)
        self.assertEqual(api.cleanup(), 0)  # twice is harmless
        with self.assertRaises(KiwoomCompatError):
            api.GetLoginInfo("ACCNO")

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

    def test_the_default_bridge_runs_node_optimized_for_size(self):
        # The bridge lives as long as the program; without the flag a fast real-time stream
        # lets RSS climb tens of MB between full GCs (README "Performance").
        api = APIServer()
        try:
            api.api_init(sim_no=1)
            self.assertIn("--optimize-for-size", api._bridge.info["nodeFlags"])
        finally:
            api.cleanup()

    def test_every_event_can_be_overridden_or_connected(self):
        api = APIServer()
        for name in EVENTS:
            self.assertTrue(callable(getattr(api, name).connect))


class OcxStyleCode(unittest.TestCase):
    """Code written for QAxWidget: dynamicCall strings, connected slots with the OCX's arities."""

    def test_dynamicCall_and_connected_slots_with_ocx_arity(self):
        ocx = APIServer()
        seen = {"login": [], "tr": [], "chejan": []}
        done = threading.Event()

        def on_login(err_code):
            seen["login"].append(err_code)

        def on_tr(screen, rqname, trcode, record, prev_next, data_len, err_code, msg, splm_msg):
            if rqname == "quote":
                name = ocx.dynamicCall("GetCommData(QString, QString, int, QString)", trcode, rqname, 0, "종목명")
                seen["tr"].append((prev_next, data_len, name.strip()))

        def on_chejan(gubun, item_cnt, fid_list):
            order_no = ocx.dynamicCall("GetChejanData(int)", 9203)
            seen["chejan"].append((gubun, item_cnt, fid_list, order_no))
            if gubun == "1":
                done.set()

        def on_msg(screen, rqname):  # fewer parameters than the event has: tolerated
            pass

        ocx.OnEventConnect.connect(on_login)
        ocx.OnReceiveTrData.connect(on_tr)
        ocx.OnReceiveChejanData.connect(on_chejan)
        ocx.OnReceiveMsg.connect(on_msg)
        ocx.api_init(sim_no=1, use_rest=False, log_level="warn")
        try:
            self.assertEqual(ocx.dynamicCall("CommConnect()"), 0)
            self.assertEqual(seen["login"], [0])
            self.assertEqual(ocx.dynamicCall("KOA_Functions(QString, QString)", "GetServerGubun", ""), "1")
            accno = ocx.dynamicCall("GetLoginInfo(QString)", "ACCNO").split(";")[0]
            ocx.dynamicCall("SetInputValue(QString, QString)", "종목코드", "005930")
            self.assertEqual(ocx.dynamicCall("CommRqData(QString, QString, int, QString)", "quote", "opt10001", 0, "0101"), 0)
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
            with self.assertRaises(KiwoomCompatError):
                ocx.dynamicCall("SendOrderFO(QString)", [])
            with self.assertRaises(KiwoomCompatError):
                ocx.dynamicCall("KOA_Functions(QString, QString)", "GetUpjongCode", "0")
        finally:
            ocx.cleanup()


if __name__ == "__main__":
    unittest.main()
