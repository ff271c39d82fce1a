"""What the OCX's getters read, held in Python: filled from each event as its handlers are about
to run (and from what ships with it), so that a getter is a dict lookup, not a round trip.

Each answer mirrors the TypeScript facade's for the same moment (src/facade: tr-result.ts,
real-data.ts, api-server.ts); where this side lacks the data (no table for that TR, a getter
nothing shipped), it says so with None and the caller asks the bridge.
"""
import collections
import time

#: TR answers kept for GetCommData by (trcode, rqname) besides the current one.
TR_RESULTS_KEPT = 64
#: Getters whose answers stay valid for the Korea-time day once connected (cached after one round trip).
STABLE = frozenset(
    [
        "GetMasterCodeName", "GetMasterListedStockCnt", "GetMasterConstruction", "GetMasterListedStockDate",
        "GetMasterLastPrice", "GetMasterStockState", "GetCodeListByMarket", "GetMarketType",
        "GetThemeGroupList", "GetThemeGroupCode", "GetBranchCodeName", "GetAPIModulePath",
    ]
)


def text(v, otherwise=""):
    """An OCX string argument: str as is, a finite number as its decimal text, anything else ``otherwise``."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return otherwise
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return otherwise
        return str(int(v)) if v == int(v) else repr(v)
    return otherwise


def num(v):
    """An OCX numeric argument: an int, or a decimal string; None for anything else (the facade's NaN)."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return int(v) if v == int(v) else None
    if isinstance(v, str):
        s = v.strip()
        if s[:1] in "+-":
            digits = s[1:]
        else:
            digits = s
        return int(s) if digits.isdigit() and digits.isascii() else None
    return None


def kst_day(now=None):
    """The Korea-time calendar day (the master data's lifetime)."""
    return time.strftime("%Y%m%d", time.gmtime((time.time() if now is None else now) + 9 * 3600))


class TrTable(object):
    """One TR answer as the bridge shipped it (src/facade/tr-result.ts ``table()``)."""

    __slots__ = ("trcode", "rqname", "single", "fields", "rows")

    def __init__(self, trcode, rqname, table):
        self.trcode = trcode
        self.rqname = rqname
        self.single = table.get("single") or {}
        self.fields = {name: i for i, name in enumerate(table.get("fields") or [])}
        self.rows = table.get("rows") or []

    def value(self, index, name):
        """GetCommData's answer; None when ``name`` is not an output of this TR ("" to the caller, with a warning)."""
        if index is None or index < 0:
            return ""
        col = self.fields.get(name)
        if col is not None:
            return self.rows[index][col] if index < len(self.rows) else ""
        return self.single.get(name)


class State(object):
    """The getters' data of one control."""

    def __init__(self):
        self.tr_current = None
        self.tr_results = collections.OrderedDict()
        self.chejan = {}
        self.real_last = {}  # code -> its most recent quote, any real type
        self.real_latest = {}  # code -> {real type name -> its most recent quote}
        self.quote = None  # the quote whose handlers are running
        self.memo = {}  # method -> {argument: answer}, shipped with events
        self.stable = {}  # (method, args) -> answer, after one round trip (STABLE getters)
        self.stable_day = ""
        self.connected = False
        self.warned = set()

    # -- filled from events ------------------------------------------------------------------
    def take_quote(self, q):
        self.real_last[q.code] = q
        types = self.real_latest.get(q.code)
        if types is None:
            types = self.real_latest[q.code] = {}
        types[q.schema.real] = q

    def take(self, ev):
        """Records what an event (not a quote) carries; called just before its handlers run."""
        name = ev.name
        if ev.memo:
            for method, answers in ev.memo.items():
                self.memo.setdefault(method, {}).update(answers)
        if name == "OnReceiveTrData":
            args = ev.args
            trcode, rqname = text(args[2]) if len(args) > 2 else "", text(args[1]) if len(args) > 1 else ""
            key = (trcode.lower(), rqname)
            if ev.tr is None:
                self.tr_current = None
                self.tr_results.pop(key, None)
                return
            table = TrTable(trcode, rqname, ev.tr)
            self.tr_current = table
            self.tr_results.pop(key, None)
            self.tr_results[key] = table
            while len(self.tr_results) > TR_RESULTS_KEPT:
                self.tr_results.popitem(last=False)
        elif name == "OnReceiveChejanData":
            self.chejan = ev.args[1] if len(ev.args) > 1 and isinstance(ev.args[1], dict) else {}
        elif name == "OnReceiveRealData":  # a quote the bridge could not send compact
            args = ev.args
            if len(args) > 2 and isinstance(args[2], dict):
                self.take_quote(_PlainQuote(text(args[0]), text(args[1]), args[2]))
        elif name == "OnEventConnect":
            self.connected = ev.args[:1] == [0]
            self.stable.clear()

    # -- getters ---------------------------------------------------------------------------
    def tr_for(self, trcode, rqname):
        """The answer GetCommData(trcode, rqname, ...) reads (as the facade picks it), or None when not held here."""
        code = trcode.lower()
        current = self.tr_current
        if current is not None and current.trcode.lower() == code:
            return current
        return self.tr_results.get((code, rqname))

    def real_value(self, code, fid):
        """GetCommRealData: the event being handled (by code or real type), else the code's latest value."""
        q = self.quote
        if q is not None and (code == q.code or code == q.schema.real):
            v = q.value(fid)
            if v is not None:
                return v
        q = self.real_last.get(code)
        if q is not None:
            v = q.value(fid)
            if v is not None:
                return v
            for other in self.real_latest.get(code, {}).values():
                v = other.value(fid)
                if v is not None:
                    return v
        return ""

    def memo_answer(self, method, arg):
        """An answer that shipped with an event, or None."""
        answers = self.memo.get(method)
        return None if answers is None else answers.get(arg)

    def stable_answer(self, key):
        day = kst_day()
        if day != self.stable_day:
            self.stable.clear()
            self.stable_day = day
        return self.stable.get(key)

    def keep_stable(self, key, answer):
        if self.connected and answer not in (None, "", 0):
            self.stable[key] = answer


class _Schema(object):
    __slots__ = ("real", "index")

    def __init__(self, real, fids):
        self.real = real
        self.index = {fid: i for i, fid in enumerate(fids)}


class _PlainQuote(object):
    """A quote that came as a plain event (a value the compact form cannot carry)."""

    __slots__ = ("code", "schema", "_values")

    def __init__(self, code, real, values):
        self.code = code
        self.schema = _Schema(real, list(values))
        self._values = list(values.values())

    def value(self, fid):
        i = self.schema.index.get(fid)
        return None if i is None else self._values[i]
