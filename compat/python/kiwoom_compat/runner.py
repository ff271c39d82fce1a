"""``python -m kiwoom_compat run program.py [args]``: a legacy OCX program, unchanged, on kiwoom-compat.

The runner puts import hooks in place, then runs the program as ``__main__``:

- ``qaxcontainer``: ``PyQt5.QAxContainer`` (and PyQt6's, PySide2/6's ``QtAxContainer``) where the
  binding has none (every OS but Windows): its ``QAxWidget`` is kiwoom_compat's (qt.py).
- ``pythoncom``: where pywin32 is absent, the stand-in (pythoncom.py).
- ``win32com``: where pywin32 is absent, ``win32com.client.Dispatch`` / ``DispatchWithEvents``
  for the Kiwoom control (win32com/client.py).
- ``pykiwoom``: kiwoom_compat's pykiwoom, always (the real one reads the OCX's files).

Each is turned off with ``--no-hook NAME`` or ``KIWOOM_COMPAT_HOOKS`` (a comma list of the
hooks to keep; empty for none). Which backend the program reaches comes from the settings
(config.py); with none, the built-in emulator. Production needs ``use_rest`` and ``sim_no 0``
said explicitly, and its orders ``KIWOOM_ALLOW_PROD_ORDERS=1``.
"""
import argparse
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import runpy
import sys

from . import config

HOOKS = ("qaxcontainer", "pythoncom", "win32com", "pykiwoom")
#: Hooked names (and their submodules) → kiwoom_compat's modules; whether an installed real one wins.
_PACKAGES = {"pykiwoom": ("kiwoom_compat.pykiwoom", False), "win32com": ("kiwoom_compat.win32com", True), "pythoncom": ("kiwoom_compat.pythoncom", True)}
_AX = {"PyQt5.QAxContainer": "PyQt5", "PyQt6.QAxContainer": "PyQt6", "PySide2.QtAxContainer": "PySide2", "PySide6.QtAxContainer": "PySide6"}


class _Alias(importlib.abc.Loader):
    """Loads a module as another module (the stand-in), under the name the program imported."""

    def __init__(self, target):
        self.target = target

    def create_module(self, spec):
        return importlib.import_module(self.target)

    def exec_module(self, module):
        pass


class _AxContainer(importlib.abc.Loader):
    """A QAxContainer module for a Qt binding: QAxWidget (kiwoom_compat's), QAxObject, QAxBase."""

    def __init__(self, binding):
        self.binding = binding

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        from . import qt

        widget = qt.widget_class(self.binding)
        module.QAxWidget = widget
        module.QAxBase = widget
        module.QAxObject = widget
        module.__all__ = ["QAxWidget", "QAxBase", "QAxObject"]


class StandIns(importlib.abc.MetaPathFinder):
    """Supplies the hooked modules, first on sys.meta_path. Where a real pywin32 or a real
    QAxContainer is installed (Windows), the real one is left to load; pykiwoom is always ours."""

    def __init__(self, hooks):
        self.hooks = hooks

    def find_spec(self, name, path=None, target=None):
        top = name.split(".", 1)[0]
        if top in _PACKAGES and top in self.hooks:
            target_name, real_may_win = _PACKAGES[top]
            if name == top and real_may_win and importlib.machinery.PathFinder.find_spec(name) is not None:
                return None
            if name != top and getattr(sys.modules.get(top), "__name__", None) != target_name:
                return None  # the real package was loaded
            target_name += name[len(top):]
            if importlib.util.find_spec(target_name) is None:
                return None
            module = importlib.import_module(target_name)
            return importlib.machinery.ModuleSpec(name, _Alias(target_name), is_package=hasattr(module, "__path__"))
        if name in _AX and "qaxcontainer" in self.hooks:
            parent = sys.modules.get(_AX[name])
            if parent is not None and importlib.machinery.PathFinder.find_spec(name, getattr(parent, "__path__", None)) is not None:
                return None
            return importlib.machinery.ModuleSpec(name, _AxContainer(_AX[name]))
        return None


def install(hooks=HOOKS):
    """Puts the import hooks in place (see the module docstring); returns the finder."""
    hooks = frozenset(hooks)
    unknown = hooks - set(HOOKS)
    if unknown:
        raise ValueError("unknown hook(s) %s: the hooks are %s" % (", ".join(sorted(unknown)), ", ".join(HOOKS)))
    finder = StandIns(hooks)
    sys.meta_path.insert(0, finder)
    return finder


def hooks_from_env(disabled=()):
    raw = os.environ.get("KIWOOM_COMPAT_HOOKS")
    kept = HOOKS if raw is None else tuple(h.strip() for h in raw.split(",") if h.strip())
    return [h for h in kept if h not in disabled]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kiwoom_compat", description="Run a legacy Kiwoom OpenAPI+ program on kiwoom-compat, unchanged.")
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run a program with the import hooks (kiwoom-compat's QAxWidget, pythoncom, pykiwoom)")
    run.add_argument("--no-hook", action="append", default=[], choices=HOOKS, help="leave this module to the real import")
    run.add_argument("program", help="the program's .py file")
    run.add_argument("args", nargs=argparse.REMAINDER, help="the program's own arguments")
    sub.add_parser("where", help="print the bridge command and the settings in effect")
    args = parser.parse_args(argv)
    if args.command == "where":
        from .locate import bridge_command, describe

        s = config.settings()
        s.pop("appkey", None)
        s.pop("secretkey", None)
        print("bridge: %s" % describe(bridge_command()))
        print("settings: %s (file: %s)" % (s, config.config_path()))
        return 0
    if args.command != "run":
        parser.print_help()
        return 2
    settings = config.settings()
    target = "the built-in emulator" if not settings["use_rest"] else ("PRODUCTION (sim_no 0)" if settings["sim_no"] == 0 else "Kiwoom's paper-trading domain")
    sys.stderr.write("kiwoom-compat: running %s on %s\n" % (args.program, target))
    install(hooks_from_env(args.no_hook))
    sys.argv = [args.program] + args.args
    sys.path.insert(0, os.path.dirname(os.path.abspath(args.program)))
    runpy.run_path(args.program, run_name="__main__")
    return 0
