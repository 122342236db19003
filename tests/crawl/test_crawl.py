"""The Python API: ``Crawl(client, store)`` with ``add``, ``run``, ``status``, ``export``."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, Dict, List, Optional

import pytest

import tiktok
from tiktok.crawl import Crawl, Progress, parse_target
from tiktok.errors import APIError
from tiktok.pagination import Pager, Style
from tiktok.sandbox import BIG_USER_ID, Sandbox


def test_a_crawl_stores_what_a_walk_of_each_listing_gives(sandbox: Sandbox, tmp_path: Path) -> None:
    client = sandbox.client()
    with Crawl(client, tmp_path / "c.db", count=40, limit=500) as crawl:
        assert crawl.add(f"followers:{BIG_USER_ID}", "comments:7000000000000000123") == 2
        assert crawl.add(f"followers:{BIG_USER_ID}") == 0  # already there
        summary = crawl.run()
        assert summary.complete and summary.failed == {}
        exported = list(crawl.export())
        statuses = crawl.status()
    followers = [
        tiktok.to_dict(u) for u in client.follows.followers(BIG_USER_ID, count=40, limit=500)
    ]
    comments = [tiktok.to_dict(c) for c in client.posts.comments("7000000000000000123", count=40)]
    assert exported == [(f"followers:{BIG_USER_ID}", f) for f in followers] + [
        ("comments:7000000000000000123", c) for c in comments
    ]
    assert summary.new_items == len(exported) == 500 + len(comments)
    assert [s.done for s in statuses] == [True, True]
    assert [s.items for s in statuses] == [500, len(comments)]


def test_running_again_fetches_nothing_more(sandbox: Sandbox, tmp_path: Path) -> None:
    with Crawl(sandbox.client(), tmp_path / "c.db", limit=100) as crawl:
        crawl.add("following:6800000000000000005")
        crawl.run()
        requests = sandbox.stats["requests"]
        again = crawl.run()
    assert again.new_items == 0 and again.complete
    assert sandbox.stats["requests"] == requests


def test_progress_reports_totals_from_the_profile(sandbox: Sandbox, tmp_path: Path) -> None:
    seen: List[Progress] = []
    with Crawl(
        sandbox.client(), tmp_path / "c.db", limit=300, totals=True, progress=seen.append
    ) as crawl:
        crawl.add(f"followers:{BIG_USER_ID}")
        crawl.run()
    profile = sandbox.client().users.get(BIG_USER_ID)
    assert seen[0].targets[0].total == profile.follower_count
    assert seen[0].total == profile.follower_count
    assert [p.items for p in seen] == sorted(p.items for p in seen)
    assert seen[0].seconds_left is not None and seen[0].seconds_left > 0


def test_unknown_targets_are_refused_before_anything_is_stored(tmp_path: Path) -> None:
    for bad in ("followers", "friends:1", "posts:abc", "comments:MS4wLjABAAAAxyz", ""):
        with pytest.raises(ValueError):
            parse_target(bad)
    assert str(parse_target(" posts:MS4wLjABAAAAab_c-1 ")) == "posts:MS4wLjABAAAAab_c-1"


# -- a scripted client: listings from memory, errors on demand ------------------------------------


class _Follows:
    def __init__(self, data: Dict[str, List[Dict[str, Any]]], fail: Dict[str, Exception]) -> None:
        self.data = data
        self.fail = fail

    def followers(self, user_id: str, *, count: Optional[int], cursor: Optional[int]) -> Pager[Any]:
        def fetch(position: Optional[int], size: int) -> Any:
            if user_id in self.fail:
                raise self.fail[user_id]
            start = position or 0
            users = [tiktok.User(uid=u["uid"]) for u in self.data[user_id][start : start + size]]
            more = start + size < len(self.data[user_id])
            return SimpleNamespace(followers=users, has_more=more, cursor=start + size)

        return Pager(
            fetch, style=Style.OFFSET, items_key="followers", count=count or 10, cursor=cursor
        )


class ScriptedClient:
    def __init__(
        self, data: Dict[str, List[Dict[str, Any]]], fail: Optional[Dict[str, Exception]] = None
    ) -> None:
        self.follows = _Follows(data, fail or {})


def test_a_target_that_fails_is_reported_and_the_others_go_on(tmp_path: Path) -> None:
    data = {"1": [{"uid": str(n)} for n in range(25)], "2": []}
    client = ScriptedClient(data, {"2": APIError("gone", status_code=2096)})
    with Crawl(client, tmp_path / "c.db") as crawl:
        crawl.add("followers:2", "followers:1")
        summary = crawl.run()
        assert not summary.complete
        assert summary.failed == {"followers:2": "APIError: gone"}
        assert [item["uid"] for _, item in crawl.export()] == [str(n) for n in range(25)]
        assert [s.error for s in crawl.status()] == ["APIError: gone", None]
        # The next run tries it again.
        client.follows.fail.clear()
        assert crawl.run().complete
