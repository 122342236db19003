"""Run the command line: ``python -m tiktok``."""

from .cli import main

raise SystemExit(main())
