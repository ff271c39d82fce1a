"""A trading bot written the way a popular book teaches it: a QAxWidget subclass, setControl,
signals connected to slots, QEventLoop waits left by exit() in the slots, TR pages read with
CommGetData and continued while sPrevNext is "2", an order through dynamicCall with a list,
chejan read with GetChejanData. Prints one RESULT line."""
import json
import sys
import time

from PyQt5.QAxContainer import *
from PyQt5.QtCore import *
from PyQt5.QtWidgets import *

TR_REQ_TIME_INTERVAL = 0.2


class Kiwoom(QAxWidget):
    def __init__(self):
        super().__init__()
        self._create_kiwoom_instance()
        self._set_signal_slots()
        self.chejan = []

    def _create_kiwoom_instance(self):
        self.setControl("KHOPENAPI.KHOpenAPICtrl.1")

    def _set_signal_slots(self):
        self.OnEventConnect.connect(self._event_connect)
        self.OnReceiveTrData.connect(self._receive_tr_data)
        self.OnReceiveChejanData.connect(self._receive_chejan_data)

    def comm_connect(self):
        self.dynamicCall("CommConnect()")
        self.login_event_loop = QEventLoop()
        self.login_event_loop.exec_()

    def _event_connect(self, err_code):
        self.login_result = err_code
        self.login_event_loop.exit()

    def get_login_info(self, tag):
        return self.dynamicCall("GetLoginInfo(QString)", tag)

    def get_code_list_by_market(self, market):
        code_list = self.dynamicCall("GetCodeListByMarket(QString)", market)
        return code_list.split(';')[:-1]

    def get_master_code_name(self, code):
        return self.dynamicCall("GetMasterCodeName(QString)", code)

    def set_input_value(self, id, value):
        self.dynamicCall("SetInputValue(QString, QString)", id, value)

    def comm_rq_data(self, rqname, trcode, next, screen_no):
        self.dynamicCall("CommRqData(QString, QString, int, QString)", rqname, trcode, next, screen_no)
        self.tr_event_loop = QEventLoop()
        self.tr_event_loop.exec_()

    def _comm_get_data(self, code, real_type, field_name, index, item_name):
        ret = self.dynamicCall("CommGetData(QString, QString, QString, int, QString)", code, real_type, field_name, index, item_name)
        return ret.strip()

    def _get_repeat_cnt(self, trcode, rqname):
        return self.dynamicCall("GetRepeatCnt(QString, QString)", trcode, rqname)

    def _receive_tr_data(self, screen_no, rqname, trcode, record_name, next, unused1, unused2, unused3, unused4):
        self.remained_data = next == '2'
        if rqname == "opt10081_req":
            self._opt10081(rqname, trcode)
        try:
            self.tr_event_loop.exit()
        except AttributeError:
            pass

    def _opt10081(self, rqname, trcode):
        data_cnt = self._get_repeat_cnt(trcode, rqname)
        for i in range(data_cnt):
            date = self._comm_get_data(trcode, "", rqname, i, "일자")
            open = self._comm_get_data(trcode, "", rqname, i, "시가")
            high = self._comm_get_data(trcode, "", rqname, i, "고가")
            low = self._comm_get_data(trcode, "", rqname, i, "저가")
            close = self._comm_get_data(trcode, "", rqname, i, "현재가")
            volume = self._comm_get_data(trcode, "", rqname, i, "거래량")
            self.ohlcv['date'].append(date)
            self.ohlcv['open'].append(int(open))
            self.ohlcv['high'].append(int(high))
            self.ohlcv['low'].append(int(low))
            self.ohlcv['close'].append(int(close))
            self.ohlcv['volume'].append(int(volume))

    def send_order(self, rqname, screen_no, acc_no, order_type, code, quantity, price, hoga, order_no):
        self.dynamicCall("SendOrder(QString, QString, QString, int, QString, int, int, QString, QString)",
                         [rqname, screen_no, acc_no, order_type, code, quantity, price, hoga, order_no])

    def get_chejan_data(self, fid):
        return self.dynamicCall("GetChejanData(int)", fid)

    def _receive_chejan_data(self, gubun, item_cnt, fid_list):
        self.chejan.append((gubun, self.get_chejan_data(9203), self.get_chejan_data(302), self.get_chejan_data(913)))


if __name__ == "__main__":
    app = QApplication(sys.argv)
    kiwoom = Kiwoom()
    kiwoom.comm_connect()
    account = kiwoom.get_login_info("ACCNO").split(';')[0]
    kospi = kiwoom.get_code_list_by_market('0')
    name = kiwoom.get_master_code_name("005930")

    kiwoom.ohlcv = {'date': [], 'open': [], 'high': [], 'low': [], 'close': [], 'volume': []}
    kiwoom.set_input_value("종목코드", "005930")
    kiwoom.set_input_value("기준일자", "20261125")
    kiwoom.set_input_value("수정주가구분", 1)
    kiwoom.comm_rq_data("opt10081_req", "opt10081", 0, "0101")
    pages = 1
    while kiwoom.remained_data and pages < 3:
        time.sleep(TR_REQ_TIME_INTERVAL)
        kiwoom.set_input_value("종목코드", "005930")
        kiwoom.set_input_value("기준일자", "20261125")
        kiwoom.set_input_value("수정주가구분", 1)
        kiwoom.comm_rq_data("opt10081_req", "opt10081", 2, "0101")
        pages += 1

    kiwoom.send_order("send_order_req", "0101", account, 1, "005930", 1, 0, "03", "")
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: loop.exit() if any(c[0] == '1' for c in kiwoom.chejan) else None)
    timer.start(50)
    QTimer.singleShot(20000, loop.exit)
    loop.exec_()

    print("RESULT " + json.dumps({
        "login": kiwoom.login_result,
        "account": account,
        "kospi": len(kospi),
        "name": name,
        "pages": pages,
        "rows": len(kiwoom.ohlcv['date']),
        "first": kiwoom.ohlcv['date'][0],
        "last": kiwoom.ohlcv['date'][-1],
        "close": kiwoom.ohlcv['close'][0],
        "chejan": kiwoom.chejan,
    }, ensure_ascii=False))
