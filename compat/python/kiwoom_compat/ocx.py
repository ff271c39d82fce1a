"""The OCX's 58 methods, with its argument names and order, for every face.

The methods are made from the OCX's signature table (data/ocx-api.json, the copy of
compat/ocx-api.json: the same table the TypeScript APIServer is checked against), so a wrong
number of arguments or an unknown keyword is a TypeError, as for any Python function. Each
method either answers from the state this process holds (the getters: see ``LOCAL``) or asks
the bridge. A face supplies ``_ctl`` (its Control) and ``_waits()`` (whether a call returns
only after the handlers of the events it caused ran).
"""
import json
import os
import sys

from .errors import KiwoomCompatError
from .state import STABLE, num, text

_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def load_data(name):
    with open(os.path.join(_DATA, name), encoding="utf-8") as f:
        return json.load(f)


SIGNATURES = load_data("ocx-api.json")
#: Every OCX method name, in the OCX's order.
METHODS = tuple(SIGNATURES["methods"])
#: Every OCX event name, in the OCX's order.
EVENTS = tuple(SIGNATURES["events"])


# -- getters answered here (None: not held here, ask the bridge) ------------------------------
def _tr_getter(read, empty):
    """A TR getter: ``read(face, answer, ...)`` on the answer it reads; ``empty`` when there is none."""

    def getter(face, trcode, rqname, *rest):
        state = face._ctl.state
        if state.tr_unknown:
            return None
        answer = state.tr_for(text(trcode), text(rqname))
        return empty if answer is None else read(face, answer, *rest)

    return getter


def _record_getter(read, empty):
    """GetDataCount / GetOutputValue: they name a record, not a TR."""

    def getter(face, record_name, *rest):
        state = face._ctl.state
        if state.tr_unknown:
            return None
        answer = state.tr_for_record(text(record_name))
        return empty if answer is None else read(answer, text(record_name), *rest)

    return getter


def _comm_data(face, answer, index, item):
    name = text(item).strip()
    value = answer.value(num(index), name)
    if value is None:
        state = face._ctl.state
        if (answer.trcode, name) not in state.warned:
            state.warned.add((answer.trcode, name))
            sys.stderr.write('kiwoom-compat WARN: GetCommData: "%s" is not an output of %s that Kiwoom REST delivers; returning ""\n' % (name, answer.trcode))
        return ""
    return value


def _comm_get_data(face, code, real_type, field, index, inner):
    # Real type "" reads a TR answer, as programs call it: CommGetData(trcode, "", rqname, index, item).
    if text(real_type).strip() != "":
        return None
    return LOCAL["GetCommData"](face, code, field, index, inner)


def _memo(method):
    def answer(face, *args):
        return face._ctl.state.memo_answer(method, text(args[0]) if args else "")

    return answer


#: The getters answered in this process: name -> function(face, *args); None means "ask the bridge".
LOCAL = {
    "GetCommData": _tr_getter(_comm_data, ""),
    "GetRepeatCnt": _tr_getter(lambda face, answer: len(answer.rows), 0),
    "GetCommDataEx": _tr_getter(lambda face, answer: answer.ex(), []),
    "GetDataCount": _record_getter(lambda answer, record: answer.data_count(record), 0),
    "GetOutputValue": _record_getter(lambda answer, record, row, item: answer.output_value(record, num(row), num(item)), ""),
    "CommGetData": _comm_get_data,
    "GetChejanData": lambda face, fid: face._ctl.state.chejan.get(text(fid), ""),
    "GetCommRealData": lambda face, code, fid: face._ctl.state.real_value(text(code), text(fid)),
}
#: Getters whose answers ship with an event (src/bridge/state.ts).
MEMO = (
    "GetLoginInfo", "GetConditionNameList", "GetCodeListByMarket", "GetThemeGroupList", "GetBranchCodeName", "GetAPIModulePath",
    "GetMasterCodeName", "GetMasterListedStockCnt", "GetMasterConstruction", "GetMasterListedStockDate", "GetMasterLastPrice",
    "GetMasterStockState", "GetMarketType",
)
for _method in MEMO:
    LOCAL[_method] = _memo(_method)


class OcxMethods(object):
    """The OCX's methods over a Control (``self._ctl``)."""

    def _waits(self):
        return False

    def _ocx(self, name, args):
        local = LOCAL.get(name)
        if local is not None:
            answer = local(self, *args)
            if answer is not None:
                return answer
        if name in STABLE:
            try:
                key = (name, args)
                answer = self._ctl.state.stable_answer(key)
            except TypeError:  # an unhashable argument (a list): no cache
                return self._remote(name, args)
            if answer is None:
                answer = self._remote(name, args)
                self._ctl.state.keep_stable(key, answer)
            return answer
        return self._remote(name, args)

    def _remote(self, name, args):
        ctl = self._ctl
        if ctl.started and not ctl.has(name):
            raise KiwoomCompatError("NotSupported", "%s is not served by this kiwoom-compat bridge (version %s): see MIGRATION.md" % (name, ctl.wire.info.get("version")), field="method")
        return ctl.call(name, args, wait=self._waits())


def _define(cls, name, args):
    params = [a for a, _ in args]
    src = "def {0}(self{1}):\n    return self._ocx({0!r}, ({2}))\n".format(name, "".join(", " + p for p in params), "".join(p + ", " for p in params))
    scope = {}
    exec(src, scope)
    fn = scope[name]
    fn.__doc__ = "OCX %s(%s)." % (name, ", ".join("%s %s" % (t, a) for a, t in args))
    fn.__qualname__ = "%s.%s" % (cls.__name__, name)
    setattr(cls, name, fn)


for _name in METHODS:
    _define(OcxMethods, _name, SIGNATURES["methods"][_name]["args"])
