"""``Crawl.run(new=True)`` / ``tiktok crawl run --new``: only what appeared since the last run."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import List

from tiktok.crawl import Crawl
from tiktok.sandbox import Sandbox

USERS = [f"posts:68000000000000000{n:02d}" for n in (1, 5, 7)]


def forget_newest(store: Path, targets: List[str]) -> None:
    """Take each target's newest stored item out, as if it had appeared after the crawl."""
    with sqlite3.connect(store) as db:
        for target in targets:
            db.execute(
                "DELETE FROM crawl_items WHERE target = ? AND seq = "
                "(SELECT MIN(seq) FROM crawl_items WHERE target = ?)",
                (target, target),
            )


def stored(crawl: Crawl) -> List[str]:
    return sorted(str(item.get("aweme_id")) for _, item in crawl.export())


def test_new_fetches_one_page_a_target_and_stores_what_was_missing(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    path = tmp_path / "c.db"
    with Crawl(sandbox.client(), path, count=20, limit=60) as crawl:
        crawl.add(*USERS)
        assert crawl.run().complete
        whole = stored(crawl)
        assert all(status.items > 0 for status in crawl.status())

        # Nothing new: one request per target.
        before = sandbox.stats["requests"]
        again = crawl.run(new=True)
        assert again.complete and again.new_items == 0
        assert sandbox.stats["requests"] - before == len(USERS)

        # One new item each: still one request per target, and the item is stored.
        forget_newest(path, USERS)
        assert len(stored(crawl)) == len(whole) - len(USERS)
        before = sandbox.stats["requests"]
        fresh = crawl.run(new=True)
        assert sandbox.stats["requests"] - before == len(USERS)
        assert fresh.new_items == len(USERS)
        assert stored(crawl) == whole
        assert all(status.done for status in crawl.status())


def test_without_new_a_finished_store_sends_nothing(sandbox: Sandbox, tmp_path: Path) -> None:
    with Crawl(sandbox.client(), tmp_path / "c.db", count=20, limit=20) as crawl:
        crawl.add(USERS[0])
        crawl.run()
        before = sandbox.stats["requests"]
        crawl.run()
        assert sandbox.stats["requests"] == before
