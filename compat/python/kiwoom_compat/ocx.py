"""The OCX's 58 methods, with its argument names and order, for every face.

The methods are made from the OCX's signature table (data/ocx-signatures.json, generated from
the reference), so a wrong number of arguments or an unknown keyword is a TypeError, as for
any Python function. Each method either answers from the state this process holds (the
getters: see ``LOCAL``) or asks the bridge. A face supplies ``_ctl`` (its Control) and
``_waits()`` (whether a call returns only after the handlers of the events it caused ran).
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


SIGNATURES = load_data("ocx-signatures.json")
#: Every OCX method name, in the OCX's order.
METHODS = tuple(SIGNATURES["methods"])
#: Every OCX event name.
EVENTS = tuple(SIGNATURES["events"])


# -- getters answered here (None: not held here, ask the bridge) ------------------------------
def _comm_data(face, trcode, rqname, index, item):
    state = face._ctl.state
    table = state.tr_for(text(trcode), text(rqname))
    if table is None:
        return None
    name = text(item).strip()
    value = table.value(num(index), name)
    if value is None:
        key = (table.trcode, name)
        if key not in state.warned:
            state.warned.add(key)
            sys.stderr.write('kiwoom-compat WARN: GetCommData: "%s" is not an output of %s that Kiwoom REST delivers; returning ""\n' % (name, table.trcode))
        return ""
    return value


def _repeat_cnt(face, trcode, rqname):
    table = face._ctl.state.tr_for(text(trcode), text(rqname))
    return None if table is None else len(table.rows)


def _chejan(face, fid):
    return face._ctl.state.chejan.get(text(fid), "")


def _real(face, code, fid):
    return face._ctl.state.real_value(text(code), text(fid))


def _memo(method):
    def answer(face, *args):
        return face._ctl.state.memo_answer(method, text(args[0]) if args else "")

    return answer


def _koa(face, name, param):
    # Until the bridge serves KOA_Functions itself, the one sub-command every program uses.
    if face._ctl.has("KOA_Functions"):
        return None
    if text(name) == "GetServerGubun":
        return face.GetLoginInfo("GetServerGubun")
    raise KiwoomCompatError("NotSupported", "KOA_Functions(%r) is not provided: see MIGRATION.md (KOA_Functions sub-commands)" % (name,), field="sFunctionName")


LOCAL = {
    "GetCommData": _comm_data,
    "GetRepeatCnt": _repeat_cnt,
    "GetChejanData": _chejan,
    "GetCommRealData": _real,
    "GetLoginInfo": _memo("GetLoginInfo"),
    "GetConditionNameList": _memo("GetConditionNameList"),
    "KOA_Functions": _koa,
}


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
            key = (name, args)
            answer = self._ctl.state.stable_answer(key)
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
