"""``python -m kiwoom_compat run program.py``: see runner.py."""
import sys

from .runner import main

sys.exit(main())
