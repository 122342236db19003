"""Resumable crawls of many listings into a store (docs/crawling.rst).

::

    from tiktok.crawl import Crawl

    with Crawl(client, store="crawl.db") as crawl:
        crawl.add("followers:6800000000000000002", "posts:6800000000000000002")
        crawl.run()
        for target, item in crawl.export():
            ...
"""

from ._runner import Crawl, Progress, Summary
from ._store import (
    DEFAULT_STORE,
    Conflict,
    Limits,
    PostgresStore,
    SQLiteStore,
    Store,
    TargetStatus,
    UnstorablePage,
    open_store,
)
from ._targets import Target, parse_target

__all__ = [
    "DEFAULT_STORE",
    "Conflict",
    "Crawl",
    "Limits",
    "PostgresStore",
    "Progress",
    "SQLiteStore",
    "Store",
    "Summary",
    "Target",
    "TargetStatus",
    "UnstorablePage",
    "open_store",
    "parse_target",
]
