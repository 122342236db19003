"""The Python API: ``Crawl(client, store)`` with ``add``, ``run``, ``status``, ``export``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, List

import pytest

import tiktok
from tiktok.crawl import Crawl, Progress, parse_target
from tiktok.sandbox import BIG_USER_ID, Sandbox

from ..conftest import envelope, query_value, url


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


# -- a target that fails ------------------------------------------------------------------------


def test_a_target_that_fails_is_reported_and_the_others_go_on(
    client: tiktok.Client, rsps: Any, tmp_path: Path
) -> None:
    gone = ["2"]

    def answer(request: Any) -> Any:
        user, max_time = query_value(request.url, "user_id"), query_value(request.url, "max_time")
        if user in gone:
            return 200, {}, json.dumps({"status_code": 3, "status_msg": "gone"})
        uids = [] if user == "2" else [str(n) for n in range(25)]
        start = 0 if max_time == "0" or int(max_time) > 1000 else int(max_time)
        page = uids[start : start + 20]
        more = start + 20 < len(uids)
        body = envelope(followers=[{"uid": u} for u in page], has_more=more, min_time=start + 20)
        return 200, {}, json.dumps(body)

    rsps.add_callback("GET", url("aweme/v1/user/follower/list/"), callback=answer)
    with Crawl(client, tmp_path / "c.db") as crawl:
        crawl.add("followers:2", "followers:1")
        summary = crawl.run()
        assert not summary.complete
        failure = "APIError: aweme/v1/user/follower/list/ failed with status_code 3 (gone)"
        assert summary.failed == {"followers:2": failure}
        assert [item["uid"] for _, item in crawl.export()] == [str(n) for n in range(25)]
        assert [s.error for s in crawl.status()] == [failure, None]
        # The next run tries it again.
        gone.clear()
        assert crawl.run().complete


# -- issue 22: a hostile listing must not stop the others ------------------------------------------

HUGE = 2**64  # beyond SQLite's INTEGER and PostgreSQL's BIGINT


def _hostile_followers(rsps: Any, nickname: str = "ok") -> List[str]:
    """followers:1 answers a cursor beyond 64 bits, then a last page; followers:2 one page.

    Returns the ``max_time`` each request of followers:1 sent.
    """
    sent: List[str] = []

    def answer(request: Any) -> Any:
        user, max_time = query_value(request.url, "user_id"), query_value(request.url, "max_time")
        if user == "2":
            body = envelope(followers=[{"uid": "21"}], has_more=False, min_time=1)
        elif not sent:
            body = envelope(
                followers=[{"uid": "11", "nickname": nickname}], has_more=True, min_time=HUGE
            )
        else:
            body = envelope(followers=[{"uid": "12"}], has_more=False, min_time=7)
        if user == "1":
            sent.append(max_time)
        return 200, {}, json.dumps(body)

    rsps.add_callback("GET", url("aweme/v1/user/follower/list/"), callback=answer)
    return sent


def test_a_cursor_beyond_64_bits_does_not_stop_the_crawl(
    client: tiktok.Client, rsps: Any, tmp_path: Path
) -> None:
    sent = _hostile_followers(rsps)
    with Crawl(client, tmp_path / "c.db") as crawl:
        crawl.add("followers:1", "followers:2")
        summary = crawl.run()
        assert summary.complete and summary.failed == {}
        assert [(t, i["uid"]) for t, i in crawl.export()] == [
            ("followers:1", "11"), ("followers:1", "12"), ("followers:2", "21"),
        ]  # fmt: skip
    # The walk asked the second page from exactly the cursor the first answered.
    assert sent[1:] == [str(HUGE)]


def test_a_cursor_beyond_64_bits_is_kept_exactly_and_its_resume_fails_alone(
    client: tiktok.Client, rsps: Any, tmp_path: Path
) -> None:
    _hostile_followers(rsps)
    crawls: List[Crawl] = []
    with Crawl(client, tmp_path / "c.db", progress=lambda _: crawls[0].stop()) as crawl:
        crawls.append(crawl)
        crawl.add("followers:1", "followers:2")
        stopped = crawl.run()  # after followers:1's first page
        assert stopped.failed == {} and not stopped.complete
        assert crawl.status()[0].cursor == HUGE
    # The client takes no cursor beyond 64 bits (tiktok/resources/_base.py): that target
    # fails, saying why, and the other one finishes, in this run and the next.
    for _ in range(2):
        with Crawl(client, tmp_path / "c.db") as crawl:
            summary = crawl.run()
            assert list(summary.failed) == ["followers:1"]
            assert "cursor must be" in summary.failed["followers:1"]
            assert str(HUGE) in summary.failed["followers:1"]
            assert [(s.done, s.cursor) for s in crawl.status()] == [(False, HUGE), (True, None)]
            assert [(t, i["uid"]) for t, i in crawl.export()] == [
                ("followers:1", "11"), ("followers:2", "21"),
            ]  # fmt: skip


def test_a_page_the_store_cannot_hold_fails_its_target_alone(
    client: tiktok.Client, rsps: Any, tmp_path: Path
) -> None:
    _hostile_followers(rsps, nickname="\ud800")  # a lone surrogate: no UTF-8 text holds it
    with Crawl(client, tmp_path / "c.db") as crawl:
        crawl.add("followers:1", "followers:2")
        summary = crawl.run()
        assert list(summary.failed) == ["followers:1"]
        assert summary.failed["followers:1"].startswith(
            "UnstorablePageError: cannot store page 1 of followers:1: UnicodeEncodeError"
        )
        assert [(t, i["uid"]) for t, i in crawl.export()] == [("followers:2", "21")]
        assert [s.done for s in crawl.status()] == [False, True]
