"""kiwoom_compat: Kiwoom's OpenAPI+ OCX for Python programs, on Kiwoom REST (or the built-in emulator).

Standard library only. It runs ``kiwoom-compat bridge --stdio`` (Node.js) as a child process
and speaks line-delimited JSON to it (MIGRATION.md, "The bridge"). The faces:

- ``APIServer``: the api_server sketch's class, with the OCX's 58 methods;
- ``kiwoom_compat.qt.QAxWidget``: PyQt's QAxWidget for ``QAxWidget("KHOPENAPI.KHOpenAPICtrl.1")``;
- ``kiwoom_compat.pykiwoom``: pykiwoom's ``Kiwoom`` (``block_request`` included);
- ``python -m kiwoom_compat run program.py``: runs a legacy program unchanged.
"""
from .errors import BridgeClosed, KiwoomCompatError
from .locate import bridge_command
from .ocx import EVENTS, METHODS
from .server import APIServer

__all__ = ["APIServer", "EVENTS", "METHODS", "KiwoomCompatError", "BridgeClosed", "bridge_command"]
__version__ = "0.1.0"
