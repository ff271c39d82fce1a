"""pykiwoom's ``Kiwoom``, written from pykiwoom's documented behaviour, on kiwoom-compat.

::

    from pykiwoom.kiwoom import *          # under the runner; or: from kiwoom_compat.pykiwoom.kiwoom import *

    kiwoom = Kiwoom()
    kiwoom.CommConnect(block=True)
    df = kiwoom.block_request("opt10081", 종목코드="005930", 기준일자="20200424", 수정주가구분=1,
                              output="주식일봉차트조회", next=0)
    while kiwoom.tr_remained:
        df2 = kiwoom.block_request("opt10081", 종목코드="005930", 기준일자="20200424", 수정주가구분=1,
                                   output="주식일봉차트조회", next=2)

As in pykiwoom, the blocking calls (``CommConnect(block=True)``, ``block_request``,
``GetConditionLoad``, ``SendCondition``) pump until their event was handled, and the control's
events reach the methods named after them, which a subclass may override. ``block_request``
reads the TR's input and output layouts from kiwoom-compat's TR table (data/tr-map.json), not
from the OCX's ``.enc`` files, and returns a pandas DataFrame when pandas is installed (a list of
dicts otherwise).
"""
import datetime
import logging
import sys

from .. import config, pythoncom
from ..errors import KiwoomCompatError
from ..ocx import load_data
from ..server import APIServer

try:
    import pandas as pd
except ImportError:  # block_request then returns a list of dicts
    pd = None

__all__ = ["Kiwoom", "pythoncom", "pd", "datetime", "sys", "logging"]

_TRS = load_data("tr-map.json")["trs"]
#: Seconds a blocking call waits for its event before it says so.
BLOCK_TIMEOUT = 120.0


def tr_layout(trcode):
    """The TR's inputs and records from kiwoom-compat's table: ``{"inputs": [...], "records": {name: [outputs]}}``."""
    tr = _TRS.get(trcode.lower())
    if tr is None:
        raise KiwoomCompatError("NotSupported", "block_request: %s has no Kiwoom REST equivalent in kiwoom-compat's TR table (see MIGRATION.md)" % trcode, field="trcode")
    records = {}
    for kind in ("single", "multi"):
        record = tr.get(kind)
        if record:
            records[record["record"]] = record.get("outputs") or list(record.get("fields", {}))
    return {"inputs": list(tr.get("inputs", {})), "records": records}


class Kiwoom(object):
    """pykiwoom's Kiwoom. ``login=True`` logs in at once; the queue arguments are pykiwoom's own."""

    def __init__(self, login=False, tr_dqueue=None, tr_oqueue=None, real_dqueues=None):
        self.ocx = APIServer()
        self.ocx.api_init(**config.api_init_options())
        self.tr_dqueue = tr_dqueue
        self.tr_oqueue = tr_oqueue
        self.real_dqueues = real_dqueues
        self.connected = False
        self.received = False
        self.tr_items = None
        self.tr_data = None
        self.tr_record = None
        self.tr_remained = False
        self.condition_loaded = False
        self.tr_condition_loaded = False
        self.tr_condition_data = None
        self._set_signals_slots()
        if login:
            self.CommConnect()

    def _set_signals_slots(self):
        for name in ("OnEventConnect", "OnReceiveTrData", "OnReceiveConditionVer", "OnReceiveTrCondition", "OnReceiveMsg", "OnReceiveChejanData", "OnReceiveRealData"):
            getattr(self.ocx, name).connect(getattr(self, name))

    def _pump_until(self, predicate, what):
        if not self.ocx._ctl.wait_for(predicate, BLOCK_TIMEOUT):
            raise KiwoomCompatError("TimeoutError", "%s: no answer within %ss" % (what, BLOCK_TIMEOUT))

    # -- the control's events (override in a subclass) ------------------------------------
    def OnEventConnect(self, err_code):
        if err_code == 0:
            self.connected = True

    def OnReceiveConditionVer(self, ret, msg):
        if ret == 1:
            self.condition_loaded = True

    def OnReceiveTrCondition(self, screen_no, code_list, cond_name, cond_index, next):
        self.tr_condition_data = code_list.split(";")[:-1]
        self.tr_condition_loaded = True

    def OnReceiveTrData(self, screen, rqname, trcode, record, next):
        self.tr_remained = next == "2"
        if self.tr_items is not None:
            items = self.tr_items["records"].get(self.tr_record)
            if items is None:  # pykiwoom falls back to the TR's last record
                items = list(self.tr_items["records"].values())[-1]
            self.tr_data = self.get_data(trcode, rqname, items)
        self.received = True

    def OnReceiveMsg(self, screen, rqname, trcode, msg):
        logging.info("OnReceiveMsg %s %s %s %s", screen, rqname, trcode, msg)

    def OnReceiveChejanData(self, gubun, item_cnt, fid_list):
        logging.info("OnReceiveChejanData %s %s %s", gubun, item_cnt, fid_list)

    def OnReceiveRealData(self, code, real_type, data):
        pass

    def get_data(self, trcode, rqname, items):
        """Every row of the record read item by item (one row for a single record)."""
        rows = self.GetRepeatCnt(trcode, rqname) or 1
        data = [[self.GetCommData(trcode, rqname, row, item) for item in items] for row in range(rows)]
        if pd is not None:
            return pd.DataFrame(data=data, columns=items)
        return [dict(zip(items, row)) for row in data]

    # -- OpenAPI+ methods, pykiwoom's shapes -------------------------------------------------
    def CommConnect(self, block=True):
        """Logs in; with ``block`` returns once OnEventConnect(0) was handled."""
        self.ocx.CommConnect(block=False)
        if block:
            self._pump_until(lambda: self.connected, "CommConnect")

    def CommRqData(self, rqname, trcode, next, screen):
        return self.ocx.CommRqData(rqname, trcode, next, screen)

    def GetLoginInfo(self, tag):
        """``ACCNO`` as a list of accounts; other tags as the OCX gives them."""
        data = self.ocx.GetLoginInfo(tag)
        return data.split(";")[:-1] if tag == "ACCNO" else data

    def SendOrder(self, rqname, screen, accno, order_type, code, quantity, price, hoga, order_no):
        return self.ocx.SendOrder(rqname, screen, accno, order_type, code, quantity, price, hoga, order_no)

    def SetInputValue(self, id, value):
        self.ocx.SetInputValue(id, str(value))

    def DisconnectRealData(self, screen):
        self.ocx.DisconnectRealData(screen)

    def GetRepeatCnt(self, trcode, rqname):
        return self.ocx.GetRepeatCnt(trcode, rqname)

    def CommKwRqData(self, arr_code, next, code_count, type, rqname, screen):
        return self.ocx.CommKwRqData(arr_code, next, code_count, type, rqname, screen)

    def GetAPIModulePath(self):
        return self.ocx.GetAPIModulePath()

    def GetCodeListByMarket(self, market):
        """A list of codes."""
        return self.ocx.GetCodeListByMarket(str(market)).split(";")[:-1]

    def GetConnectState(self):
        return self.ocx.GetConnectState()

    def GetMasterCodeName(self, code):
        return self.ocx.GetMasterCodeName(code)

    def GetMasterListedStockCnt(self, code):
        return self.ocx.GetMasterListedStockCnt(code)

    def GetMasterConstruction(self, code):
        return self.ocx.GetMasterConstruction(code)

    def GetMasterListedStockDate(self, code):
        """A datetime."""
        return datetime.datetime.strptime(self.ocx.GetMasterListedStockDate(code), "%Y%m%d")

    def GetMasterLastPrice(self, code):
        """An int."""
        return int(self.ocx.GetMasterLastPrice(code))

    def GetMasterStockState(self, code):
        """A list of the state's items."""
        return self.ocx.GetMasterStockState(code).split("|")

    def GetDataCount(self, record):
        return self.ocx.GetDataCount(record)

    def GetOutputValue(self, record, repeat_index, item_index):
        return self.ocx.GetOutputValue(record, repeat_index, item_index)

    def GetCommData(self, trcode, rqname, index, item):
        """Stripped, as pykiwoom returns it."""
        return self.ocx.GetCommData(trcode, rqname, index, item).strip()

    def GetCommRealData(self, code, fid):
        return self.ocx.GetCommRealData(code, fid)

    def GetChejanData(self, fid):
        return self.ocx.GetChejanData(fid)

    def GetThemeGroupList(self, type=1):
        """A dict: theme code → name (type 0), or name → code (type 1)."""
        pairs = [t.split("|") for t in self.ocx.GetThemeGroupList(type).split(";") if "|" in t]
        return {a: b for a, b in pairs} if type == 0 else {b: a for a, b in pairs}

    def GetThemeGroupCode(self, theme_code):
        """The theme's codes, without their "A"."""
        return [c[1:] for c in self.ocx.GetThemeGroupCode(theme_code).split(";") if c]

    def GetFutureList(self):
        return self.ocx.GetFutureList()

    def block_request(self, *args, **kwargs):
        """One TR, blocking: ``block_request("opt10081", 종목코드="005930", ..., output="주식일봉차트조회", next=0)``.

        The inputs are the keyword arguments other than ``output`` and ``next``; the answer is the
        ``output`` record's rows (``tr_remained`` says whether ``next=2`` has more).
        """
        trcode = args[0].lower()
        self.tr_items = tr_layout(trcode)
        self.tr_record = kwargs.get("output")
        next_ = int(kwargs.get("next") or 0)
        for name, value in kwargs.items():
            if name.lower() not in ("output", "next"):
                self.SetInputValue(name, value)
        self.received = False
        self.tr_remained = False
        ret = self.CommRqData(trcode, trcode, next_, "0101")
        if ret != 0:
            error = self.ocx.GetLastError() or {}
            raise KiwoomCompatError("RequestRefused", "block_request(%s): CommRqData returned %s: %s" % (trcode, ret, error.get("message", "")), code=ret)
        self._pump_until(lambda: self.received, "block_request(%s)" % trcode)
        return self.tr_data

    def SetRealReg(self, screen, code_list, fid_list, opt_type):
        return self.ocx.SetRealReg(screen, code_list, fid_list, opt_type)

    def SetRealRemove(self, screen, del_code):
        return self.ocx.SetRealRemove(screen, del_code)

    def GetConditionLoad(self, block=True):
        self.condition_loaded = False
        self.ocx.GetConditionLoad()
        if block:
            self._pump_until(lambda: self.condition_loaded, "GetConditionLoad")

    def GetConditionNameList(self):
        """``[("000", "name"), ...]``."""
        return [tuple(c.split("^")) for c in self.ocx.GetConditionNameList().split(";")[:-1]]

    def SendCondition(self, screen, cond_name, cond_index, search):
        """The codes the condition finds (blocking)."""
        self.tr_condition_loaded = False
        self.ocx.SendCondition(screen, cond_name, int(cond_index), search)
        self._pump_until(lambda: self.tr_condition_loaded, "SendCondition")
        return self.tr_condition_data

    def SendConditionStop(self, screen, cond_name, index):
        self.ocx.SendConditionStop(screen, cond_name, int(index))

    def GetCommDataEx(self, trcode, rqname):
        return self.ocx.GetCommDataEx(trcode, rqname)
