"""dynamicCall in every form PyQt accepts, on a QAxWidget made from the control's name: a
prototype with arguments, arguments written inside the string, one list, a bare name, values of
another type than the prototype says, and a name the control does not have. Prints one RESULT line."""
import json
import sys

from PyQt5.QAxContainer import QAxWidget
from PyQt5.QtCore import QEventLoop, QTimer
from PyQt5.QtWidgets import QApplication

app = QApplication(sys.argv)
ocx = QAxWidget("KHOPENAPI.KHOpenAPICtrl.1")
loop = QEventLoop()
seen = {}


def on_login(err):
    seen["login"] = err
    loop.exit()


def on_tr(screen, rqname, trcode, record, prev_next, length, error, message, splm):
    seen["tr"] = (rqname, ocx.dynamicCall("GetRepeatCnt(QString, QString)", trcode, rqname) > 0,
                  ocx.dynamicCall("GetCommData(QString, QString, int, QString)", trcode, rqname, 0, "종목코드").strip())
    loop.exit()


ocx.OnEventConnect.connect(on_login)
ocx.OnReceiveTrData.connect(on_tr)
ocx.exception.connect(lambda code, source, desc, help_: seen.setdefault("exception", desc))
ret = ocx.dynamicCall("CommConnect()")
loop.exec_()

accounts = ocx.dynamicCall("GetLoginInfo(QString)", "ACCNO")
forms = {
    "prototype": accounts,
    "inline": ocx.dynamicCall('GetLoginInfo("ACCNO")'),
    "list": ocx.dynamicCall("GetLoginInfo(QString)", ["ACCNO"]),
    "const_ref": ocx.dynamicCall("GetMasterCodeName(const QString&)", "005930"),
    "bare_name": ocx.dynamicCall("GetConnectState"),
    "empty_parens": ocx.dynamicCall("GetConnectState()"),
    "koa": ocx.dynamicCall("KOA_Functions(QString, QString)", "GetServerGubun", ""),
    "unknown": ocx.dynamicCall("NoSuchMethod(QString)", "x"),
}
ocx.dynamicCall("SetInputValue(QString, QString)", "종목코드", "005930")
ocx.dynamicCall("SetInputValue(QString, QString)", "기준일자", 20261125)  # ints where the prototype says QString
ocx.dynamicCall("SetInputValue(QString, QString)", "수정주가구분", 1)
forms["rq"] = ocx.dynamicCall("CommRqData(QString, QString, int, QString)", "chart", "opt10081", "0", "0101")  # "0" for an int
QTimer.singleShot(20000, loop.exit)
loop.exec_()
order = ocx.dynamicCall("SendOrder(QString, QString, QString, int, QString, int, int, QString, QString)",
                        ["buy", "0102", accounts.split(";")[0], 1, "005930", 1, 0, "03", ""])
print("RESULT " + json.dumps({"connect": ret, "login": seen.get("login"), "forms": forms, "tr": seen.get("tr"),
                              "order": order, "exception": seen.get("exception"), "control": ocx.control()}, ensure_ascii=False))
