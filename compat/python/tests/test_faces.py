"""The faces and the host integration that need no Qt: the pythoncom pump loop, pykiwoom's
Kiwoom, the runner's import hooks, the settings, and the surface against the TypeScript one.
Against the built-in emulator through the real bridge (needs `npm run build`)."""
import os
import subprocess
import sys
import tempfile
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.join(HERE, "..")
sys.path.insert(0, PACKAGE)

from kiwoom_compat import EVENTS, METHODS, APIServer, config  # noqa: E402
from kiwoom_compat.wire import Wire  # noqa: E402


def forget_stand_ins():
    """Importing the pythoncom stand-in makes later controls pump (loops.auto_kind): undo it for the other tests."""
    for name in list(sys.modules):
        if name == "kiwoom_compat.pythoncom" or name.startswith("kiwoom_compat.pykiwoom"):
            del sys.modules[name]


def run_python(code, env=None, args=()):
    """Runs a Python program in a child with the package importable; returns (code, stdout, stderr)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "program.py")
        with open(path, "w", encoding="utf-8") as f:
            f.write(code)
        full_env = dict(os.environ, PYTHONPATH=PACKAGE, **(env or {}))
        p = subprocess.run([sys.executable, "-m", "kiwoom_compat", "run"] + list(args) + [path], env=full_env, capture_output=True, text=True, timeout=60, cwd=tmp)
        return p.returncode, p.stdout, p.stderr


class Surface(unittest.TestCase):
    def test_the_python_surface_is_the_typescript_one(self):
        wire = Wire(lambda batch: None)
        try:
            ts_methods, ts_events = set(wire.info["methods"]), list(wire.info["events"])
        finally:
            wire.close()
        python_methods = {n for n in dir(APIServer) if n[:1].isupper() and not n.startswith("On") and callable(getattr(APIServer, n))}
        self.assertEqual(python_methods | {"api_init", "cleanup"}, ts_methods)
        self.assertEqual(set(METHODS) | {"GetLastError", "api_init", "cleanup"}, ts_methods)
        self.assertEqual(list(EVENTS), ts_events)
        for event in EVENTS:
            self.assertTrue(callable(getattr(APIServer(), event).connect), event)


class LoopChoice(unittest.TestCase):
    def test_each_kind_of_program_gets_its_loop_without_saying_so(self):
        probe = "from kiwoom_compat import loops\n{}\nprint(loops.auto_kind())\n"
        cases = {"": "thread", "import pythoncom": "pump", "from kiwoom_compat import pythoncom": "pump", "from pykiwoom.kiwoom import *": "pump"}
        for imports, kind in cases.items():
            code, out, err = run_python(probe.format(imports))
            self.assertEqual((imports, out.strip()), (imports, kind), err)


class PumpLoop(unittest.TestCase):
    """A program that imported pythoncom (the stand-in) pumps for its events, on its own thread."""

    tearDown = staticmethod(forget_stand_ins)

    def test_events_wait_for_the_pump_and_run_on_the_pumping_thread(self):
        from kiwoom_compat import pythoncom

        seen = []
        api = APIServer()
        api.OnEventConnect.connect(lambda err: seen.append((err, threading.current_thread() is threading.main_thread())))
        api.api_init(sim_no=1, use_rest=False)
        try:
            self.assertEqual(api._ctl.loop.kind, "pump")
            self.assertEqual(api.CommConnect(block=False), 0)
            # The login finishes on the bridge, but its event waits for the pump.
            self.assertTrue(api._ctl.delivery.wait(lambda: len(api._ctl.delivery) > 0, 30))
            self.assertEqual(seen, [])
            while not seen:
                pythoncom.PumpWaitingMessages()
            self.assertEqual(seen, [(0, True)])
            # CommConnect(block=True) pumps itself until OnEventConnect was handled.
            self.assertEqual(api.CommConnect(block=True), 0)
            self.assertEqual(seen[-1], (0, True))
            self.assertEqual(len(seen), 2)
        finally:
            api.cleanup()


class PyKiwoom(unittest.TestCase):
    tearDown = staticmethod(forget_stand_ins)
    def test_block_request_pages_master_and_conditions(self):
        from kiwoom_compat.pykiwoom.kiwoom import Kiwoom, pd

        kiwoom = Kiwoom()
        try:
            kiwoom.CommConnect(block=True)
            self.assertTrue(kiwoom.connected)
            self.assertRegex(kiwoom.GetLoginInfo("ACCNO")[0], r"^\d{10}$")
            self.assertIn("005930", kiwoom.GetCodeListByMarket("0"))
            self.assertIsInstance(kiwoom.GetMasterLastPrice("005930"), int)
            self.assertIsInstance(kiwoom.GetMasterStockState("005930"), list)
            self.assertEqual(kiwoom.GetMasterListedStockDate("005930").year > 1900, True)
            pages = []
            page = kiwoom.block_request("opt10081", 종목코드="005930", 기준일자="20261125", 수정주가구분=1, output="주식일봉차트조회", next=0)
            pages.append(page)
            self.assertTrue(kiwoom.tr_remained)
            while kiwoom.tr_remained and len(pages) < 3:
                pages.append(kiwoom.block_request("opt10081", 종목코드="005930", 기준일자="20261125", 수정주가구분=1, output="주식일봉차트조회", next=2))
            rows = [list(p.to_dict("records")) if pd is not None else p for p in pages]
            # The emulator's day bars reach back to 005930's listing (1994): every page continues.
            self.assertEqual(len(rows), 3)
            self.assertEqual(rows[0][0]["일자"], "20261125")
            self.assertGreater(int(rows[0][0]["일자"]), int(rows[1][0]["일자"]))
            self.assertEqual(list(rows[0][0])[:5], ["종목코드", "현재가", "거래량", "거래대금", "일자"])
            single = kiwoom.block_request("opt10001", 종목코드="005930", output="주식기본정보", next=0)
            self.assertEqual((single.to_dict("records") if pd is not None else single)[0]["종목명"], "삼성전자")
            with self.assertRaises(Exception) as refused:
                kiwoom.block_request("opt10001", 종목코드="999999", output="주식기본정보", next=0)
            self.assertIn("-202", str(refused.exception))
            kiwoom.GetConditionLoad()
            conditions = kiwoom.GetConditionNameList()
            self.assertRegex(conditions[0][0], r"^\d{3}$")
            codes = kiwoom.SendCondition("0150", conditions[0][1], conditions[0][0], 0)
            self.assertTrue(all(len(c) == 6 for c in codes))
        finally:
            kiwoom.ocx.cleanup()


class Runner(unittest.TestCase):
    PROGRAM = "import importlib, json, sys\nout = {}\nfor m in ('pythoncom', 'win32com.client', 'pykiwoom.kiwoom'):\n    try:\n        out[m] = importlib.import_module(m).__name__\n    except ImportError:\n        out[m] = None\nprint(json.dumps([out, sys.argv[1:]]))\n"

    def test_hooks_supply_the_stand_ins_and_each_can_be_turned_off(self):
        import json

        code, out, err = run_python(self.PROGRAM)
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)[0], {"pythoncom": "kiwoom_compat.pythoncom", "win32com.client": "kiwoom_compat.win32com.client", "pykiwoom.kiwoom": "kiwoom_compat.pykiwoom.kiwoom"})
        self.assertIn("on the built-in emulator", err)
        code, out, err = run_python(self.PROGRAM, args=("--no-hook", "pykiwoom"))
        self.assertEqual(json.loads(out)[0]["pykiwoom.kiwoom"], None)
        code, out, err = run_python(self.PROGRAM, env={"KIWOOM_COMPAT_HOOKS": "pykiwoom"})
        self.assertEqual(json.loads(out)[0], {"pythoncom": None, "win32com.client": None, "pykiwoom.kiwoom": "kiwoom_compat.pykiwoom.kiwoom"})

    def test_the_program_gets_its_own_arguments(self):
        import json

        code, out, err = run_python(self.PROGRAM + "", args=())
        self.assertEqual(code, 0, err)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "p.py")
            with open(path, "w") as f:
                f.write(self.PROGRAM)
            p = subprocess.run([sys.executable, "-m", "kiwoom_compat", "run", path, "--flag", "x"], env=dict(os.environ, PYTHONPATH=PACKAGE), capture_output=True, text=True, timeout=60)
        self.assertEqual(json.loads(p.stdout)[1], ["--flag", "x"])


class Settings(unittest.TestCase):
    KEYS = ("KIWOOM_COMPAT_USE_REST", "KIWOOM_COMPAT_SIM_NO", "KIWOOM_COMPAT_CONFIG", "KIWOOM_COMPAT_LOOP", "KIWOOM_COMPAT_CALL_TIMEOUT")

    def setUp(self):
        self.saved = {k: os.environ.pop(k) for k in self.KEYS if k in os.environ}
        self.cwd = os.getcwd()
        self.tmp = tempfile.TemporaryDirectory()
        os.chdir(self.tmp.name)

    def tearDown(self):
        os.chdir(self.cwd)
        self.tmp.cleanup()
        for k in self.KEYS:
            os.environ.pop(k, None)
        os.environ.update(self.saved)

    def test_with_nothing_set_it_is_the_emulator_and_production_needs_both_settings(self):
        self.assertEqual(config.api_init_options(), {"sim_no": 1, "use_rest": False})
        os.environ["KIWOOM_COMPAT_USE_REST"] = "1"
        self.assertEqual(config.api_init_options()["sim_no"], 1)  # Kiwoom's paper trading, not production
        os.environ["KIWOOM_COMPAT_SIM_NO"] = "0"
        self.assertEqual(config.api_init_options(), {"sim_no": 0, "use_rest": True})

    def test_a_settings_file_in_the_directory_and_the_environment_over_it(self):
        with open("kiwoom-compat.ini", "w") as f:
            f.write("[kiwoom-compat]\nuse_rest = true\nsim_no = 2\nloop = pump\nrest_url = http://127.0.0.1:9\n")
        s = config.settings()
        self.assertEqual((s["use_rest"], s["sim_no"], s["loop"], s["endpoints"]), (True, 2, "pump", {"rest": "http://127.0.0.1:9"}))
        os.environ["KIWOOM_COMPAT_SIM_NO"] = "3"
        self.assertEqual(config.settings()["sim_no"], 3)
        os.environ["KIWOOM_COMPAT_USE_REST"] = "maybe"
        with self.assertRaises(ValueError):
            config.settings()


if __name__ == "__main__":
    unittest.main()
