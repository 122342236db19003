"""One item that does not fit its model never sinks its page (docs/protocol.rst (Models)).

The page yields every good item; the bad one is on ``page.skipped`` (its JSON and
the reason), logged at WARNING on the ``tiktok`` logger and counted on the walk
and the pager. ``strict=True`` raises instead; single-object calls always raise.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import logging
import pkgutil
from typing import Any, Dict, List, Optional

import pytest

import tiktok
import tiktok.resources
from tests.conftest import envelope, url
from tiktok._cli.commands import page_options
from tiktok._cli.output import stream
from tiktok._converter import structure
from tiktok.models import PagedResponse, PostPage, SkippedItem
from tiktok.pagination import BARREN_PAGES, Pager, Style
from tiktok.resources._base import Listing
from tiktok.resources._declare import Paging, calls

POSTS = url("aweme/v1/aweme/post/")
FEED = url("aweme/v1/feed/")
FOLLOWERS = url("aweme/v1/user/follower/list/")
USER = url("aweme/v1/user/")

BAD_POST = {"aweme_id": "2", "share_info": [1]}  # an object is expected
REASON = "share_info: TypeError: expected an object for ShareInfo, got list"


def posts(*ids: str) -> List[Dict[str, Any]]:
    return [{"aweme_id": i, "desc": f"post {i}"} for i in ids]


def test_a_bad_item_leaves_every_good_one_on_its_page(client: Any, rsps: Any, caplog: Any) -> None:
    body = envelope(aweme_list=[*posts("1"), BAD_POST, *posts("3")], has_more=0, max_cursor=1)
    rsps.get(POSTS, json=body)
    pager = client.users.posts("9")
    with caplog.at_level(logging.WARNING, logger="tiktok"):
        walk = pager.pages()
        (page,) = list(walk)
    assert [post.aweme_id for post in page.items] == ["1", "3"]
    assert page.skipped == [SkippedItem(raw=BAD_POST, reason=REASON, index=1)]
    assert page.response.skipped == page.skipped
    assert (walk.skipped_count, pager.skipped_count) == (1, 1)
    (record,) = [r for r in caplog.records if r.name == "tiktok" and "skipped" in r.getMessage()]
    assert record.levelno == logging.WARNING
    assert "aweme/v1/aweme/post/" in record.getMessage() and "item 1" in record.getMessage()
    assert REASON in record.getMessage()


def test_iterating_items_skips_the_bad_one_and_counts_every_walk(client: Any, rsps: Any) -> None:
    body = envelope(aweme_list=[BAD_POST, *posts("3")], has_more=0, max_cursor=1)
    rsps.get(POSTS, json=body)
    rsps.get(POSTS, json=body)
    pager = client.users.posts("9")
    assert [post.aweme_id for post in pager] == ["3"]
    assert [post.aweme_id for post in pager] == ["3"]
    assert pager.skipped_count == 2  # one per walk


def test_a_page_of_only_bad_items_does_not_end_the_walk(client: Any, rsps: Any) -> None:
    rsps.get(POSTS, json=envelope(aweme_list=[BAD_POST, BAD_POST], has_more=1, max_cursor=50))
    rsps.get(POSTS, json=envelope(aweme_list=posts("4", "5"), has_more=0, max_cursor=10))
    pager = client.users.posts("9")
    walk = iter(pager)
    assert [post.aweme_id for post in walk] == ["4", "5"]
    assert walk.skipped_count == 2 and walk.exhausted
    assert len(rsps.calls) == 2


def test_an_endless_feed_of_only_bad_items_ends_in_a_decode_error(client: Any, rsps: Any) -> None:
    # A feed has no cursor to stop on, and a page of set-aside items is not empty: without
    # a bound this walk would ask forever (limit counts only items given).
    rsps.get(FEED, json=envelope(aweme_list=[BAD_POST, BAD_POST], has_more=1, max_cursor=0))
    walk = iter(client.feed.for_you(limit=5))
    with pytest.raises(tiktok.DecodeError, match="10 pages in a row had no item"):
        list(walk)
    assert len(rsps.calls) == BARREN_PAGES == 10
    assert walk.skipped_count == 2 * BARREN_PAGES


def test_bad_pages_short_of_the_bound_do_not_end_the_walk(client: Any, rsps: Any) -> None:
    for _ in range(BARREN_PAGES - 1):
        rsps.get(FEED, json=envelope(aweme_list=[BAD_POST], has_more=1, max_cursor=0))
    rsps.get(FEED, json=envelope(aweme_list=posts("7"), has_more=1, max_cursor=0))
    for _ in range(BARREN_PAGES - 1):  # the count starts again after a page that gave items
        rsps.get(FEED, json=envelope(aweme_list=[BAD_POST], has_more=1, max_cursor=0))
    rsps.get(FEED, json=envelope(aweme_list=posts("8"), has_more=1, max_cursor=0))
    assert [post.aweme_id for post in client.feed.for_you(limit=2)] == ["7", "8"]
    assert len(rsps.calls) == 2 * BARREN_PAGES


def test_first_goes_past_a_bad_first_item(client: Any, rsps: Any) -> None:
    rsps.get(POSTS, json=envelope(aweme_list=[BAD_POST], has_more=1, max_cursor=50))
    rsps.get(POSTS, json=envelope(aweme_list=posts("4"), has_more=1, max_cursor=40))
    first = client.users.posts("9").first()
    assert first is not None and first.aweme_id == "4"


def test_strict_raises_the_decode_error_instead(client: Any, rsps: Any) -> None:
    rsps.get(POSTS, json=envelope(aweme_list=[*posts("1"), BAD_POST], has_more=0, max_cursor=1))
    with pytest.raises(tiktok.DecodeError, match="item 1 of the page") as caught:
        list(client.users.posts("9", strict=True))
    assert REASON in str(caught.value)
    assert json.loads(caught.value.body) == BAD_POST


def test_strict_on_a_page_that_fits_changes_nothing(client: Any, rsps: Any) -> None:
    users = [{"uid": "1"}, {"uid": "2"}]
    rsps.get(FOLLOWERS, json=envelope(followers=users, has_more=False, min_time=1))
    assert [u.uid for u in client.follows.followers("9", strict=True)] == ["1", "2"]


def test_a_single_object_call_still_raises(client: Any, rsps: Any) -> None:
    rsps.get(USER, json=envelope(user={"uid": "1", "avatar_thumb": [1]}))
    with pytest.raises(tiktok.DecodeError, match="unexpected shape"):
        client.users.get("1")


def _listings() -> List[Any]:
    found = []
    for info in pkgutil.iter_modules(tiktok.resources.__path__):
        module = importlib.import_module(f"tiktok.resources.{info.name}")
        found += [(info.name, v) for v in vars(module).values() if isinstance(v, Listing)]
    return found


@pytest.mark.parametrize("name_listing", _listings(), ids=lambda nl: nl[0])
def test_every_listing_builds_its_items_one_by_one(name_listing: Any) -> None:
    _, listing = name_listing
    response = listing.endpoint.response
    assert issubclass(response, PagedResponse) and listing.items == response.ITEMS


def test_every_listing_call_takes_strict() -> None:
    import inspect

    listings = [call for call in calls() if call.paging is not Paging.ONE]
    assert len(listings) >= 15
    for call in listings:
        parameter = inspect.signature(call.function).parameters["strict"]
        assert parameter.default is False and parameter.kind is inspect.Parameter.KEYWORD_ONLY


# -- the CLI --------------------------------------------------------------------------------


def _pager_over(bodies: List[Dict[str, Any]]) -> Pager[Any]:
    def fetch(cursor: Optional[int], count: int) -> Any:
        return structure(json.loads(json.dumps(bodies[cursor or 0])), PostPage)

    return Pager(fetch, style=Style.OFFSET, items_key="aweme_list", count=2)


def test_the_cli_says_how_many_items_it_skipped() -> None:
    bodies = [
        {"aweme_list": [*posts("1"), BAD_POST], "has_more": 1, "cursor": 1},
        {"aweme_list": [BAD_POST, BAD_POST, *posts("5")], "has_more": 0, "cursor": 2},
    ]
    out, err = io.StringIO(), io.StringIO()
    assert stream(_pager_over(bodies), out, err, label="posts") == 2
    assert [json.loads(line)["aweme_id"] for line in out.getvalue().splitlines()] == ["1", "5"]
    assert err.getvalue().splitlines()[-1].startswith("skipped 3 items that did not fit the model")


def test_the_cli_says_nothing_when_nothing_was_skipped() -> None:
    out, err = io.StringIO(), io.StringIO()
    stream(_pager_over([{"aweme_list": posts("1"), "has_more": 0}]), out, err, label="posts")
    assert "skipped" not in err.getvalue()


def test_the_cli_passes_strict_to_the_listing() -> None:
    args = argparse.Namespace(count=None, all=False, limit=5, strict=True)
    assert page_options(args)["strict"] is True
    assert "strict" not in page_options(argparse.Namespace(count=None, all=True, limit=5))
