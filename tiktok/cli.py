"""The ``tiktok`` command line (also ``python -m tiktok``); the code is in ``tiktok._cli``.

Run ``tiktok --help`` for the commands, ``tiktok demo`` for a tour against the
local sandbox.
"""

from ._cli.main import main

__all__ = ["main"]
