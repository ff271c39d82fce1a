"""A stand-in for pywin32's ``win32com`` where there is no Windows: ``win32com.client.Dispatch``
and ``DispatchWithEvents`` for the Kiwoom OCX (client.py). The runner imports it as ``win32com``."""
from . import client

__all__ = ["client"]
