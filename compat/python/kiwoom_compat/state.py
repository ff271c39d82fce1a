"""What the OCX's getters read, held in Python: filled from each event as its handlers are about
to run (and from what ships with it), so that a getter is a dict lookup, not a round trip.

Each answer mirrors the TypeScript facade's for the same moment (src/facade: tr-result.ts,
real-data.ts, api-server.ts); where this side lacks the data (no table for that TR, a getter
nothing shipped), it says so with None and the caller asks the bridge.
"""
import collections
import time

#: TR answers kept by (trcode, rqname), as the facade keeps them (tr-query.ts KEPT_ANSWERS).
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


class TrAnswer(object):
    """One TR answer as the bridge shipped it (src/facade/tr-result.ts ``snapshot()``), read as TrResult reads it."""

    __slots__ = ("trcode", "rqname", "single", "fields", "rows", "records")

    def __init__(self, trcode, rqname, snapshot):
        self.trcode = trcode
        self.rqname = rqname
        self.single = snapshot.get("single") or {}
        self.fields = {name: i for i, name in enumerate(snapshot.get("fields") or [])}
        self.rows = snapshot.get("rows") or []
        self.records = snapshot.get("records") or {}

    def value(self, index, name):
        """GetCommData's answer; None when ``name`` is not an output of this TR ("" to the caller, with a warning)."""
        if index is None or index < 0:
            return ""
        col = self.fields.get(name)
        if col is not None:
            return self.rows[index][col] if index < len(self.rows) else ""
        return self.single.get(name)

    def has_record(self, name):
        return any(r.get("record") == name for r in self.records.values())

    def _record_of(self, record_name):
        single, multi = self.records.get("single"), self.records.get("multi")
        if single is not None and record_name.strip() == single.get("record"):
            return single
        return multi or single

    def data_count(self, record_name):
        """GetDataCount: 1 for the single record, else the rows of the repeated one."""
        record = self._record_of(record_name)
        return 1 if record is not None and record is self.records.get("single") else len(self.rows)

    def output_value(self, record_name, row, item):
        """GetOutputValue: the record's ``item``-th output (OCX order) in row ``row``."""
        record = self._record_of(record_name)
        outputs = record.get("outputs", []) if record is not None else []
        if item is None or not 0 <= item < len(outputs):
            return ""
        value = self.value(0 if record is self.records.get("single") else row, outputs[item])
        return "" if value is None else value

    def ex(self):
        """GetCommDataEx: the repeated record as rows x outputs in the OCX's order (the single record's one row)."""
        multi = self.records.get("multi")
        record = multi or self.records.get("single")
        names = record.get("outputs", []) if record is not None else []
        count = len(self.rows) if multi is not None else 1
        return [["" if v is None else v for v in (self.value(i, n) for n in names)] for i in range(count)]


class State(object):
    """The getters' data of one control."""

    def __init__(self):
        self.tr_current = None  # the answer whose OnReceiveTrData handlers are running
        self.tr_results = collections.OrderedDict()  # (trcode, rqname) -> answer, the last TR_RESULTS_KEPT
        self.tr_latest = {}  # trcode -> its latest answer
        self.tr_unknown = False  # an answer came without a snapshot: ask the bridge
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
        if name == "OnReceiveTrData":
            self._take_tr(ev)
        elif name == "OnReceiveChejanData":
            self.chejan = ev.args[1] if len(ev.args) > 1 and isinstance(ev.args[1], dict) else {}
        elif name == "OnReceiveRealData":  # a quote the bridge could not send compact
            args = ev.args
            if len(args) > 2 and isinstance(args[2], dict):
                self.take_quote(_PlainQuote(text(args[0]), text(args[1]), args[2]))
        elif name == "OnEventConnect":
            self.connected = ev.args[:1] == [0]
            self.stable.clear()
        if ev.memo:
            if name == "OnEventConnect":
                self.memo = {}  # a new login: what the last one loaded is gone
            for method, answers in ev.memo.items():
                self.memo.setdefault(method, {}).update(answers)

    def _take_tr(self, ev):
        args = ev.args
        trcode, rqname = text(args[2]) if len(args) > 2 else "", text(args[1]) if len(args) > 1 else ""
        if ev.tr is None:
            self.tr_unknown = True
            return
        answer = TrAnswer(trcode, rqname, ev.tr)
        code = trcode.lower()
        self.tr_current = answer
        self.tr_results.pop((code, rqname), None)
        self.tr_results[(code, rqname)] = answer
        if len(self.tr_results) > TR_RESULTS_KEPT:
            self.tr_results.popitem(last=False)
        self.tr_latest[code] = answer  # a Map's set: the code keeps its first place, as in the facade

    def handled(self, ev):
        """The handlers of ``ev`` returned: what only lasts during them ends."""
        if ev.name == "OnReceiveTrData":
            self.tr_current = None

    # -- getters ---------------------------------------------------------------------------
    def tr_for(self, trcode, rqname):
        """The answer GetCommData(trcode, rqname, ...) reads, picked as the facade picks it: the one
        being handled when it is of this TR, else the kept one of this TR and rqname, else this
        TR's latest; never another TR's. None when there is none."""
        code = trcode.strip().lower()
        current = self.tr_current
        if current is not None and current.trcode.lower() == code:
            return current
        return self.tr_results.get((code, rqname)) or self.tr_latest.get(code)

    def tr_for_record(self, record_name):
        """The answer GetDataCount / GetOutputValue read: the one being handled, else the latest with that record."""
        if self.tr_current is not None:
            return self.tr_current
        name = record_name.strip()
        for answer in reversed(list(self.tr_latest.values())):
            if answer.has_record(name):
                return answer
        return None

    def real_value(self, code, fid):
        """GetCommRealData: the event being handled (by code or real type), else the code's latest value."""
        q = self.quote
        if q is not None and (code == q.code or code == q.schema.real):
            v = q.value(fid)
            return "" if v is None else v
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
