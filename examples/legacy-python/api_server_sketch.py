"""The api_server sketch: one APIServer class around the control, QApplication made inside it,
CommConnect(block=True) waiting in a QEventLoop, TR answers kept in a dict for the caller, FID
values read in the handlers and pushed to a queue for the strategy. Prints one RESULT line."""
import json
import queue
import sys

from PyQt5.QAxContainer import QAxWidget
from PyQt5.QtCore import QEventLoop, QTimer
from PyQt5.QtWidgets import QApplication

REAL_FIDS = "10;11;12;15;20;27;28"


class APIServer:
    def __init__(self):
        self.app = QApplication(sys.argv)
        self.ocx = QAxWidget("KHOPENAPI.KHOpenAPICtrl.1")
        self.login_loop = None
        self.tr_loop = None
        self.tr_data = {}
        self.quotes = queue.Queue()
        self.orders = queue.Queue()
        self.ocx.OnEventConnect.connect(self.OnEventConnect)
        self.ocx.OnReceiveTrData.connect(self.OnReceiveTrData)
        self.ocx.OnReceiveRealData.connect(self.OnReceiveRealData)
        self.ocx.OnReceiveChejanData.connect(self.OnReceiveChejanData)

    def CommConnect(self, block=True):
        self.ocx.dynamicCall("CommConnect()")
        if block:
            self.login_loop = QEventLoop()
            self.login_loop.exec_()

    def OnEventConnect(self, err_code):
        self.login_result = err_code
        if self.login_loop is not None:
            self.login_loop.exit()

    def account(self):
        return self.ocx.dynamicCall("GetLoginInfo(QString)", "ACCNO").split(";")[0]

    def price(self, code):
        self.ocx.dynamicCall("SetInputValue(QString, QString)", "종목코드", code)
        self.ocx.dynamicCall("CommRqData(QString, QString, int, QString)", "price", "opt10001", 0, "0101")
        self.tr_loop = QEventLoop()
        self.tr_loop.exec_()
        return self.tr_data.get("price")

    def OnReceiveTrData(self, screen, rqname, trcode, record, prev_next, *unused):
        if rqname == "price":
            self.tr_data[rqname] = abs(int(self.ocx.dynamicCall("GetCommData(QString, QString, int, QString)", trcode, rqname, 0, "현재가").strip()))
        if self.tr_loop is not None:
            self.tr_loop.exit()

    def subscribe(self, codes):
        return self.ocx.dynamicCall("SetRealReg(QString, QString, QString, QString)", "1000", ";".join(codes), REAL_FIDS, "0")

    def OnReceiveRealData(self, code, real_type, real_data):
        if real_type == "주식체결":
            self.quotes.put((code, abs(int(self.ocx.dynamicCall("GetCommRealData(QString, int)", code, 10))), real_data.split("\t")[0]))

    def buy_market(self, code, qty):
        return self.ocx.dynamicCall("SendOrder(QString, QString, QString, int, QString, int, int, QString, QString)",
                                    ["buy", "2000", self.account(), 1, code, qty, 0, "03", ""])

    def OnReceiveChejanData(self, gubun, item_cnt, fid_list):
        if gubun == "0":
            self.orders.put((self.ocx.dynamicCall("GetChejanData(int)", 913), self.ocx.dynamicCall("GetChejanData(int)", 9203).strip()))

    def wait(self, ms):
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.exit)
        loop.exec_()


def drain(q):
    items = []
    while not q.empty():
        items.append(q.get())
    return items


if __name__ == "__main__":
    api = APIServer()
    api.CommConnect(block=True)
    price = api.price("005930")
    reg = api.subscribe(["005930", "000660"])
    quotes = []
    while len(quotes) < 4:
        api.wait(100)
        quotes += drain(api.quotes)
    order = api.buy_market("005930", 1)
    fills = []
    while not any(state == "체결" for state, _ in fills):
        api.wait(100)
        fills += drain(api.orders)
    print("RESULT " + json.dumps({"login": api.login_result, "account": api.account(), "price": price, "reg": reg,
                                  "quotes": quotes[:4], "order": order, "fills": fills}, ensure_ascii=False))
