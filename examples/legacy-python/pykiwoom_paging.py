"""A pykiwoom program: Kiwoom(), CommConnect(block=True), block_request for a daily chart with
paging while tr_remained, the pages joined with pandas, master lookups, a condition search.
Prints one RESULT line."""
import json
import time

from pykiwoom.kiwoom import *

kiwoom = Kiwoom()
kiwoom.CommConnect(block=True)
accounts = kiwoom.GetLoginInfo("ACCNO")
kospi = kiwoom.GetCodeListByMarket('0')
name = kiwoom.GetMasterCodeName("005930")
listed = kiwoom.GetMasterListedStockDate("005930")

dfs = []
df = kiwoom.block_request("opt10081", 종목코드="005930", 기준일자="20261125", 수정주가구분=1, output="주식일봉차트조회", next=0)
dfs.append(df)
while kiwoom.tr_remained and len(dfs) < 3:
    df = kiwoom.block_request("opt10081", 종목코드="005930", 기준일자="20261125", 수정주가구분=1, output="주식일봉차트조회", next=2)
    dfs.append(df)
    time.sleep(0.2)
df = pd.concat(dfs)

info = kiwoom.block_request("opt10001", 종목코드="005930", output="주식기본정보", next=0)

kiwoom.GetConditionLoad()
conditions = kiwoom.GetConditionNameList()
found = kiwoom.SendCondition("0150", conditions[0][1], conditions[0][0], 0)

print("RESULT " + json.dumps({
    "accounts": accounts,
    "kospi": len(kospi),
    "name": name,
    "listed": listed.strftime("%Y-%m-%d"),
    "pages": len(dfs),
    "rows": len(df),
    "columns": list(df.columns[:5]),
    "first": df["일자"].iloc[0],
    "last": df["일자"].iloc[-1],
    "info_name": info["종목명"].iloc[0],
    "condition": list(conditions[0]),
    "found": len(found),
}, ensure_ascii=False))
