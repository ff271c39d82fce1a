"""Kiwoom through COM, as scripts without a Qt window drive it: win32com's DispatchWithEvents,
handler methods with the OCX's arguments, and `while ...: pythoncom.PumpWaitingMessages()`
waits. Prints one RESULT line."""
import json
import time

import pythoncom
import win32com.client


class Events:
    def __init__(self):
        self.login = None
        self.quote = None
        self.order_no = None
        self.chejan = []
        self.trades = 0
        self.last_price = ""

    def OnEventConnect(self, nErrCode):
        self.login = nErrCode

    def OnReceiveTrData(self, sScrNo, sRQName, sTrCode, sRecordName, sPrevNext, nDataLength, sErrorCode, sMessage, sSplmMsg):
        if sRQName == "주식기본정보":
            self.quote = (self.GetCommData(sTrCode, sRQName, 0, "종목명").strip(), self.GetCommData(sTrCode, sRQName, 0, "현재가").strip())
        elif sRQName == "시장가매수":
            self.order_no = self.GetCommData(sTrCode, sRQName, 0, "주문번호").strip()

    def OnReceiveChejanData(self, sGubun, nItemCnt, sFIdList):
        self.chejan.append((sGubun, self.GetChejanData(913), self.GetChejanData(9203).strip(), nItemCnt == len(sFIdList.split(";"))))

    def OnReceiveRealData(self, sRealKey, sRealType, sRealData):
        if sRealType == "주식체결":
            self.trades += 1
            self.last_price = self.GetCommRealData(sRealKey, 10)

    def OnReceiveMsg(self, sScrNo, sRQName, sTrCode, sMsg):
        pass


def pump_until(done, seconds=30):
    deadline = time.time() + seconds
    while not done():
        if time.time() > deadline:
            raise SystemExit("timed out")
        pythoncom.PumpWaitingMessages()


pythoncom.CoInitialize()
ocx = win32com.client.DispatchWithEvents("KHOPENAPI.KHOpenAPICtrl.1", Events)
ocx.CommConnect()
pump_until(lambda: ocx.login is not None)
accno = ocx.GetLoginInfo("ACCNO").split(";")[0]

ocx.SetInputValue("종목코드", "005930")
ocx.CommRqData("주식기본정보", "opt10001", 0, "0101")
pump_until(lambda: ocx.quote is not None)

ocx.SendOrder("시장가매수", "0102", accno, 1, "005930", 1, 0, "03", "")
pump_until(lambda: any(c[0] == "1" for c in ocx.chejan))

ocx.SetRealReg("0103", "005930", "10;20", "0")
pump_until(lambda: ocx.trades >= 3)
ocx.SetRealRemove("ALL", "ALL")

print("RESULT " + json.dumps({
    "login": ocx.login,
    "account": accno,
    "quote": ocx.quote,
    "order_no": ocx.order_no,
    "chejan": ocx.chejan,
    "trades": ocx.trades,
    "last_price": ocx.last_price,
}, ensure_ascii=False))
