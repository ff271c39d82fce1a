"""What the OCX's synchronous getters cost in the Python drop-in (µs per call), run by
bench/python-getters.mjs (or by hand: ``python3 bench/python/getters_client.py '{"calls": 20000}'``).

Each getter is called in a loop where a program calls it: GetCommData inside OnReceiveTrData
of a 600-row opt10081 page (and after it, from the kept answer), GetCommRealData inside
OnReceiveRealData, GetChejanData inside OnReceiveChejanData, GetMasterCodeName and
GetLoginInfo anywhere. Best of 3 rounds, against a baseline measured in the same process: a
method call that returns a dict lookup. Prints one JSON line.
"""
import json
import os
import sys
import threading
import time

OPTS = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
CALLS = OPTS.get("calls", 20000)
sys.path.insert(0, OPTS.get("pythonPath") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "compat", "python"))

from kiwoom_compat import APIServer  # noqa: E402


def per_call_us(fn, calls=CALLS):
    """Best of 3 rounds of ``calls`` calls of fn(i), µs per call."""
    best = None
    for _ in range(3):
        t0 = time.perf_counter()
        for i in range(calls):
            fn(i)
        us = (time.perf_counter() - t0) * 1e6 / calls
        best = us if best is None or us < best else best
    return round(best, 3)


class Baseline(object):
    def __init__(self):
        self.d = {"005930": "삼성전자"}

    def get(self, key):
        return self.d.get(key, "")


figures = {}
done = {"tr": threading.Event(), "real": threading.Event(), "chejan": threading.Event()}


class Bench(APIServer):
    def OnReceiveTrData(self, screen, rqname, trcode, record, prev_next):
        if rqname != "bench-chart" or done["tr"].is_set():
            return
        rows = self.GetRepeatCnt(trcode, rqname)
        figures["trRows"] = rows
        figures["GetCommData"] = per_call_us(lambda i: self.GetCommData(trcode, rqname, i % rows, "현재가"))
        done["tr"].set()

    def OnReceiveRealData(self, code, rtype, data):
        if rtype != "주식체결" or done["real"].is_set():
            return
        figures["GetCommRealData"] = per_call_us(lambda i: self.GetCommRealData(code, 10))
        done["real"].set()

    def OnReceiveChejanData(self, gubun, fids):
        if gubun != "0" or done["chejan"].is_set():
            return
        figures["GetChejanData"] = per_call_us(lambda i: self.GetChejanData(9203))
        done["chejan"].set()


def main():
    base = Baseline()
    figures["baseline"] = per_call_us(lambda i: base.get("005930"))
    api = Bench(loop="thread")
    api.api_init(sim_no=1, use_rest=False, log_level="error")
    if api.CommConnect(block=True) != 0:
        raise SystemExit("CommConnect failed")
    account = api.GetLoginInfo("ACCNO").split(";")[0]
    codes = api.GetCodeListByMarket("0").split(";")[:200]
    code = codes[0]
    figures["GetLoginInfo"] = per_call_us(lambda i: api.GetLoginInfo("ACCNO"))
    figures["GetMasterCodeName"] = per_call_us(lambda i: api.GetMasterCodeName(codes[i % len(codes)]))

    api.SetInputValue("종목코드", code)
    api.SetInputValue("기준일자", "")
    api.SetInputValue("수정주가구분", "1")
    api.CommRqData("bench-chart", "opt10081", 0, "3000")
    api.SetRealReg("3001", code, "10", "0")
    api.SendOrder("bench-order", "3002", account, 1, code, 1, 0, "03", "")
    for name, ev in done.items():
        if not ev.wait(120):
            raise SystemExit("no %s event within 120 s" % name)
    figures["GetCommDataKept"] = per_call_us(lambda i: api.GetCommData("opt10081", "bench-chart", i % figures["trRows"], "현재가"))
    api.cleanup()
    sys.stdout.write(json.dumps({"python": sys.version.split()[0], "calls": CALLS, "usPerCall": figures}) + "\n")


if __name__ == "__main__":
    main()
