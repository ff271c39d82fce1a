"""pykiwoom on kiwoom-compat (kiwoom.py). The runner imports it as ``pykiwoom``."""
from .kiwoom import Kiwoom

__all__ = ["Kiwoom"]
__version__ = "0.1.0+kiwoom-compat"
