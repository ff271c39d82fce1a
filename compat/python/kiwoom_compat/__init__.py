"""kiwoom_compat: the OpenAPI+ ``APIServer`` surface for legacy Python code, on Kiwoom REST.

Standard library only. It runs ``kiwoom-compat bridge --stdio`` (Node.js) as a child process
and speaks line-delimited JSON to it; see MIGRATION.md ("The bridge").
"""
from .bridge import BridgeClosed, KiwoomCompatError, bridge_command
from .server import EVENTS, APIServer

__all__ = ["APIServer", "EVENTS", "KiwoomCompatError", "BridgeClosed", "bridge_command"]
__version__ = "0.1.0"
