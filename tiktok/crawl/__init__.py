"""Resumable crawls of many listings into a store (docs/crawling.rst).

::

    from tiktok.crawl import Crawl

    with Crawl(client, store="crawl.db") as crawl:
        crawl.add("followers:6800000000000000002", "posts:6800000000000000002")
        crawl.run()
        for target, item in crawl.export():
            ...
"""

from typing import TYPE_CHECKING

from .._deprecation import old_names
from ._runner import Crawl, Progress, Summary
from ._store import (
    DEFAULT_STORE,
    ConflictError,
    Limits,
    PostgresStore,
    SQLiteStore,
    Store,
    TargetStatus,
    UnstorablePageError,
    open_store,
)
from ._targets import Target, parse_target

__all__ = [
    "DEFAULT_STORE",
    "ConflictError",
    "Crawl",
    "Limits",
    "PostgresStore",
    "Progress",
    "SQLiteStore",
    "Store",
    "Summary",
    "Target",
    "TargetStatus",
    "UnstorablePageError",
    "open_store",
    "parse_target",
]

#: Old names, kept for one release (using one warns).
RENAMED = {"Conflict": "ConflictError"}

if TYPE_CHECKING:
    Conflict = ConflictError
else:
    __getattr__ = old_names(__name__, RENAMED, globals())
