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
from ._store import DEFAULT_STORE, Conflict, Store, TargetStatus
from ._targets import Target, parse_target

__all__ = [
    "DEFAULT_STORE",
    "Conflict",
    "Crawl",
    "Progress",
    "Store",
    "Summary",
    "Target",
    "TargetStatus",
    "parse_target",
]
