"""tiktok.pagination: the one pager over cursor / time / offset / feed listings (docs/protocol.rst (Pagination)).

The first half drives real listings through the client and checks the requests
on the wire; the second half drives :class:`tiktok.Pager` directly with a fake
server to cover the stop conditions and the count/limit arithmetic exhaustively.
"""

from __future__ import annotations

import json
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tiktok
from tests.conftest import envelope, examples, query_value, url
from tiktok._converter import structure
from tiktok.models import FollowerPage, PostPage, UserSearchPage

POSTS = url("aweme/v1/aweme/post/")
FOLLOWERS = url("aweme/v1/user/follower/list/")
SEARCH = url("aweme/v1/discover/search/")
COMMENTS = url("aweme/v1/comment/list/")
FEED = url("aweme/v1/feed/")


def posts(*ids: str) -> List[Dict[str, Any]]:
    return [{"aweme_id": i} for i in ids]


def users(*uids: str) -> List[Dict[str, Any]]:
    return [{"uid": u} for u in uids]


def hits(*uids: str) -> List[Dict[str, Any]]:
    return [{"user_info": {"uid": u}} for u in uids]


def sent(rsps: Any, key: str) -> List[str]:
    return [query_value(call.request.url, key) for call in rsps.calls]


# -- each style over several pages, on the wire ---------------------------------------------


def test_cursor_style_walks_max_cursor(client, rsps) -> None:
    rsps.get(POSTS, json=envelope(aweme_list=posts("1", "2"), has_more=True, max_cursor=300))
    rsps.get(POSTS, json=envelope(aweme_list=posts("3", "4"), has_more=1, max_cursor=200))
    rsps.get(POSTS, json=envelope(aweme_list=posts("5"), has_more=False, max_cursor=100))
    pager = client.users.posts("9", count=2)
    assert [p.aweme_id for p in pager] == ["1", "2", "3", "4", "5"]
    assert sent(rsps, "max_cursor") == ["0", "300", "200"]
    assert sent(rsps, "count") == ["2", "2", "2"]
    assert sent(rsps, "user_id") == ["9"] * 3
    assert pager.cursor == tiktok.END and pager.exhausted


def test_time_style_starts_now_and_walks_min_time(client, rsps) -> None:
    rsps.get(FOLLOWERS, json=envelope(followers=users("1", "2"), has_more=True, min_time=1699))
    rsps.get(FOLLOWERS, json=envelope(followers=users("3", "4"), has_more=True, min_time=1650))
    rsps.get(FOLLOWERS, json=envelope(followers=users("5"), has_more=False, min_time=1600))
    before = int(time.time())
    uids = [u.uid for u in client.follows.followers("9", count=2)]
    after = int(time.time())
    assert uids == ["1", "2", "3", "4", "5"]
    max_times = sent(rsps, "max_time")
    assert before <= int(max_times[0]) <= after
    assert max_times[1:] == ["1699", "1650"]


def test_offset_style_walks_cursor(client, rsps) -> None:
    rsps.get(SEARCH, json=envelope(user_list=hits("1", "2"), has_more=1, cursor=2))
    rsps.get(SEARCH, json=envelope(user_list=hits("3", "4"), has_more=1, cursor=4))
    rsps.get(SEARCH, json=envelope(user_list=hits("5"), has_more=0, cursor=5))
    results = list(client.users.search("k", count=2))
    assert [r.user_info.uid for r in results] == ["1", "2", "3", "4", "5"]
    assert sent(rsps, "cursor") == ["0", "2", "4"]


def test_feed_style_keeps_max_cursor_0_and_ends_at_limit(client, rsps) -> None:
    for n in range(3):
        body = envelope(aweme_list=posts(f"{n}a", f"{n}b", f"{n}c", f"{n}d"), has_more=1)
        rsps.get(FEED, json={**body, "max_cursor": 1000 + n})
    pager = client.feed.for_you(count=4, limit=10)
    assert len(list(pager)) == 10
    assert sent(rsps, "max_cursor") == ["0", "0", "0"]
    assert sent(rsps, "count") == ["4", "4", "2"]
    assert pager.cursor is None  # feeds have no position


def test_feed_style_ends_at_an_empty_page(client, rsps) -> None:
    rsps.get(FEED, json=envelope(aweme_list=posts("1", "2"), has_more=1))
    rsps.get(FEED, json=envelope(aweme_list=[], has_more=1))
    assert [p.aweme_id for p in client.feed.following()] == ["1", "2"]
    assert len(rsps.calls) == 2


def test_feed_without_limit_keeps_going_while_pages_come(client, rsps) -> None:
    # has_more is always true on a feed and the cursor never moves: neither ends it.
    for n in range(5):
        rsps.get(FEED, json=envelope(aweme_list=posts(str(n)), has_more=1, max_cursor=0))
    rsps.get(FEED, json=envelope(aweme_list=[], has_more=1, max_cursor=0))
    assert len(list(client.feed.for_you())) == 5
    assert len(rsps.calls) == 6


# -- stop conditions per style, on the wire ---------------------------------------------------

STYLES: Dict[str, Tuple[str, str, str, Callable[[tiktok.Client], tiktok.Pager[Any]]]] = {
    # name: (url, items key, next-cursor key, listing)
    "cursor": (POSTS, "aweme_list", "max_cursor", lambda c: c.users.posts("9", count=2)),
    "time": (FOLLOWERS, "followers", "min_time", lambda c: c.follows.followers("9", count=2)),
    "offset": (SEARCH, "user_list", "cursor", lambda c: c.users.search("k", count=2)),
}
ITEMS = {"aweme_list": posts("1", "2"), "followers": users("1", "2"), "user_list": hits("1", "2")}
# A page of other items than ITEMS's, for walks whose second page must be new.
MORE = {"aweme_list": posts("3", "4"), "followers": users("3", "4"), "user_list": hits("3", "4")}


@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize("has_more_false", [False, 0])
def test_has_more_false_ends_the_walk(client, rsps, style: str, has_more_false: Any) -> None:
    address, key, next_key, listing = STYLES[style]
    rsps.get(address, json=envelope(**{key: ITEMS[key], "has_more": has_more_false, next_key: 7}))
    pager = listing(client)
    assert len(list(pager)) == 2
    assert len(rsps.calls) == 1
    assert pager.cursor == tiktok.END and pager.exhausted


@pytest.mark.parametrize("style", sorted(STYLES))
def test_an_empty_page_ends_the_walk_even_with_has_more(client, rsps, style: str) -> None:
    address, key, next_key, listing = STYLES[style]
    rsps.get(address, json=envelope(**{key: ITEMS[key], "has_more": True, next_key: 7}))
    rsps.get(address, json=envelope(**{key: [], "has_more": True, next_key: 9}))
    pager = listing(client)
    assert len(list(pager)) == 2
    assert len(rsps.calls) == 2
    assert pager.stall is tiktok.Stall.NOTHING_NEW


@pytest.mark.parametrize("style", sorted(STYLES))
def test_a_missing_item_list_is_an_empty_page(client, rsps, style: str) -> None:
    address, _, next_key, listing = STYLES[style]
    rsps.get(address, json=envelope(has_more=True, **{next_key: 9}))
    assert list(listing(client)) == []


@pytest.mark.parametrize("style", sorted(STYLES))
def test_a_repeated_cursor_with_has_more_ends_the_walk(client, rsps, style: str) -> None:
    address, key, next_key, listing = STYLES[style]
    rsps.get(address, json=envelope(**{key: ITEMS[key], "has_more": True, next_key: 50}))
    # The server answers the second page with the same cursor again, has_more still true.
    rsps.get(address, json=envelope(**{key: MORE[key], "has_more": True, next_key: 50}))
    pager = listing(client)
    assert len(list(pager)) == 4
    assert len(rsps.calls) == 2
    assert pager.exhausted
    assert pager.stall is tiktok.Stall.CURSOR_STUCK


def test_a_cursor_that_cycles_back_ends_the_walk(client, rsps) -> None:
    # 0 -> 10 -> 0 would start the listing over, forever: a cursor seen before ends it.
    rsps.get(SEARCH, json=envelope(user_list=hits("1"), has_more=1, cursor=10))
    rsps.get(SEARCH, json=envelope(user_list=hits("2"), has_more=1, cursor=0))
    pager = client.users.search("k", count=1, limit=50)
    assert [r.user_info.uid for r in pager] == ["1", "2"]
    assert len(rsps.calls) == 2


@pytest.mark.parametrize("style", sorted(STYLES))
def test_a_missing_next_cursor_ends_the_walk(client, rsps, style: str) -> None:
    address, key, _, listing = STYLES[style]
    rsps.get(address, json=envelope(**{key: ITEMS[key], "has_more": True}))
    assert len(list(listing(client))) == 2
    assert len(rsps.calls) == 1


# -- count and limit ---------------------------------------------------------------------------


def test_the_last_request_asks_for_just_what_limit_still_needs(client, rsps) -> None:
    for n, size in enumerate([20, 20, 5]):
        page = posts(*[f"{n}-{i}" for i in range(size)])
        rsps.get(POSTS, json=envelope(aweme_list=page, has_more=1, max_cursor=900 - n))
    pager = client.users.posts("9", limit=45)
    assert len(list(pager)) == 45
    assert sent(rsps, "count") == ["20", "20", "5"]
    assert sent(rsps, "max_cursor") == ["0", "900", "899"]
    assert pager.cursor == 898 and not pager.exhausted


def test_limit_reached_exactly_at_a_page_end_sends_no_further_request(client, rsps) -> None:
    rsps.get(SEARCH, json=envelope(user_list=hits("1", "2"), has_more=1, cursor=2))
    rsps.get(SEARCH, json=envelope(user_list=hits("3", "4"), has_more=1, cursor=4))
    pager = client.users.search("k", count=2, limit=4)
    assert len(list(pager)) == 4
    assert len(rsps.calls) == 2
    assert pager.cursor == 4


def test_a_server_sending_more_than_asked_is_cut_at_limit(client, rsps) -> None:
    rsps.get(SEARCH, json=envelope(user_list=hits("1", "2", "3", "4", "5"), has_more=1, cursor=5))
    pager = client.users.search("k", count=5, limit=3)
    assert [r.user_info.uid for r in pager] == ["1", "2", "3"]
    assert sent(rsps, "count") == ["3"]
    # Resuming must not skip items 4 and 5: it starts on that page again.
    assert pager.cursor == 0


def test_limit_0_sends_nothing(client, rsps) -> None:
    assert list(client.users.posts("9", limit=0)) == []
    assert len(rsps.calls) == 0


def test_default_page_sizes(client, rsps) -> None:
    rsps.get(POSTS, json=envelope(aweme_list=[], has_more=0))
    rsps.get(FEED, json=envelope(aweme_list=[], has_more=1))
    rsps.get(url("aweme/v1/category/list/"), json=envelope(category_list=[], has_more=0))
    list(client.users.posts("9"))
    list(client.feed.for_you())
    list(client.hashtags.categories())
    assert sent(rsps, "count") == ["20", "6", "10"]


# -- resume, re-iteration, pages ---------------------------------------------------------------


def test_resume_from_a_saved_cursor(client, rsps) -> None:
    rsps.get(POSTS, json=envelope(aweme_list=posts("1", "2"), has_more=1, max_cursor=300))
    first = client.users.posts("9", count=2, limit=2)
    assert [p.aweme_id for p in first] == ["1", "2"]
    saved = first.cursor
    assert saved == 300
    rsps.get(POSTS, json=envelope(aweme_list=posts("3"), has_more=0, max_cursor=200))
    resumed = client.users.posts("9", count=2, cursor=saved)
    assert [p.aweme_id for p in resumed] == ["3"]
    assert sent(rsps, "max_cursor") == ["0", "300"]


def test_resume_accepts_the_cursor_as_text(client, rsps) -> None:
    rsps.get(FOLLOWERS, json=envelope(followers=users("1"), has_more=0, min_time=1))
    list(client.follows.followers("9", cursor="1650"))
    assert sent(rsps, "max_time") == ["1650"]


def test_breaking_mid_page_keeps_the_cursor_at_that_page(client, rsps) -> None:
    rsps.get(POSTS, json=envelope(aweme_list=posts("1", "2"), has_more=1, max_cursor=300))
    rsps.get(POSTS, json=envelope(aweme_list=posts("3", "4"), has_more=1, max_cursor=200))
    pager = client.users.posts("9", count=2)
    walk = iter(pager)
    assert next(walk).aweme_id == "1"
    assert pager.cursor == 0  # item 2 not seen yet: resume must start on page 1 again
    assert next(walk).aweme_id == "2"
    assert pager.cursor == 300
    assert next(walk).aweme_id == "3"
    assert pager.cursor == 300


def test_a_pager_is_re_iterable_and_starts_fresh(client, rsps) -> None:
    for _ in range(2):
        rsps.get(SEARCH, json=envelope(user_list=hits("1"), has_more=1, cursor=1))
        rsps.get(SEARCH, json=envelope(user_list=hits("2"), has_more=0, cursor=2))
    pager = client.users.search("k", count=1, cursor=0)
    first = [r.user_info.uid for r in pager]
    assert pager.cursor == tiktok.END
    second = [r.user_info.uid for r in pager]
    assert first == second == ["1", "2"]
    assert sent(rsps, "cursor") == ["0", "1", "0", "1"]


def test_pages_yield_page_objects(client, rsps) -> None:
    rsps.get(
        POSTS, json=envelope(aweme_list=posts("1", "2"), has_more=1, max_cursor=300, new_key="x")
    )
    rsps.get(POSTS, json=envelope(aweme_list=posts("3"), has_more=0, max_cursor=200))
    pager = client.users.posts("9", count=2)
    pages = []
    for page in pager.pages():
        pages.append(page)
        assert pager.cursor == (tiktok.END if page.is_last else page.next_cursor)
    first, second = pages
    assert isinstance(first, tiktok.Page)
    assert [p.aweme_id for p in first.items] == ["1", "2"] == [p.aweme_id for p in first]
    assert (len(first), first.has_more, first.cursor, first.next_cursor, first.is_last) == (
        2, True, 0, 300, False,
    )  # fmt: skip
    assert first.to_dict()["new_key"] == "x" and first.to_dict()["max_cursor"] == 300
    assert isinstance(first.response, PostPage)
    assert (second.cursor, second.next_cursor, second.is_last, second.has_more) == (
        300,
        None,
        True,
        False,
    )


# -- one position per walk, END, first(), to_dict ---------------------------------------------


def test_two_interleaved_walks_keep_their_own_positions() -> None:
    server = FakeServer(6)
    pager = offset_pager(server, count=2)
    one, two = iter(pager), iter(pager)
    assert [next(one).user_info.uid for _ in range(4)] == ["0", "1", "2", "3"]
    assert next(two).user_info.uid == "0"  # two starts at the beginning, not where one is
    assert (one.cursor, two.cursor) == (4, 0)
    assert pager.cursor == 0  # the most recently started walk: two
    assert [hit.user_info.uid for hit in one] == ["4", "5"]
    assert (one.cursor, one.exhausted, two.cursor, two.exhausted) == (tiktok.END, True, 0, False)
    assert [hit.user_info.uid for hit in two] == ["1", "2", "3", "4", "5"]
    assert pager.cursor == tiktok.END and pager.exhausted


def test_interleaved_page_walks_keep_their_own_positions() -> None:
    pager = offset_pager(FakeServer(5), count=2)
    one = pager.pages()
    assert next(one).next_cursor == 2
    two = pager.pages()
    assert [len(page) for page in two] == [2, 2, 1]
    assert (one.cursor, one.exhausted) == (2, False)
    assert [page.cursor for page in one] == [2, 4]
    assert one.exhausted and pager.exhausted


def test_resuming_an_exhausted_listing_sends_nothing_and_yields_nothing(client, rsps) -> None:
    rsps.get(POSTS, json=envelope(aweme_list=posts("1"), has_more=0, max_cursor=5))
    pager = client.users.posts("9")
    assert [p.aweme_id for p in pager] == ["1"]
    saved = pager.cursor
    assert saved == tiktok.END == "end" and saved is not None
    for resumed in (saved, "end"):
        again = client.users.posts("9", cursor=resumed)
        assert list(again) == [] and list(again.pages()) == []
        assert again.cursor == tiktok.END and again.exhausted
        assert again.first() is None
    assert len(rsps.calls) == 1  # None would have walked it all again


def test_before_any_walk_the_cursor_is_where_the_pager_starts(client) -> None:
    assert client.users.posts("9").cursor is None
    assert client.users.posts("9", cursor=300).cursor == 300
    pager = client.users.posts("9", cursor="end")
    assert pager.cursor == tiktok.END and pager.exhausted


def test_first_is_one_request_for_one_item_and_leaves_the_cursor(client, rsps) -> None:
    rsps.get(POSTS, json=envelope(aweme_list=posts("7", "8"), has_more=1, max_cursor=300))
    pager = client.users.posts("9", cursor=500)
    first = pager.first()
    assert first is not None and first.aweme_id == "7"
    assert len(rsps.calls) == 1
    assert (sent(rsps, "count"), sent(rsps, "max_cursor")) == (["1"], ["500"])
    assert pager.cursor == 500 and not pager.exhausted


def test_first_of_an_empty_listing_is_none(client, rsps) -> None:
    rsps.get(SEARCH, json=envelope(user_list=[], has_more=1, cursor=5))
    assert client.users.search("k").first() is None
    assert len(rsps.calls) == 1
    assert client.users.search("k", limit=0).first() is None
    assert len(rsps.calls) == 1


def test_page_to_dict_is_the_raw_body_and_raw_is_deprecated(client, rsps) -> None:
    body = envelope(aweme_list=posts("1"), has_more=0, max_cursor=5, unknown={"k": [1]})
    rsps.get(POSTS, json=body)
    page = next(client.users.posts("9").pages())
    assert page.to_dict() == body
    with pytest.warns(DeprecationWarning, match="to_dict"):
        assert page.raw == body


# -- the Pager alone, against a fake offset server ----------------------------------------------


class FakeServer:
    """An offset listing of ``total`` items; records every (cursor, count) asked."""

    def __init__(self, total: int, *, max_page: Optional[int] = None) -> None:
        self.items = [{"uid": str(n)} for n in range(total)]
        self.asked: List[Tuple[Optional[int], int]] = []
        self.max_page = max_page

    def fetch(self, cursor: Optional[int], count: int) -> UserSearchPage:
        self.asked.append((cursor, count))
        assert cursor is not None
        size = count if self.max_page is None else min(count, self.max_page)
        page = self.items[cursor : cursor + size]
        body = {
            "status_code": 0,
            "user_list": [{"user_info": item} for item in page],
            "cursor": cursor + len(page),
            "has_more": int(cursor + len(page) < len(self.items)),
        }
        return structure(body, UserSearchPage)


def offset_pager(server: FakeServer, **kwargs: Any) -> tiktok.Pager[Any]:
    return tiktok.Pager(server.fetch, style=tiktok.Style.OFFSET, items_key="user_list", **kwargs)


@settings(max_examples=examples(200))
@given(
    total=st.integers(0, 60),
    count=st.integers(1, 15),
    limit=st.none() | st.integers(0, 70),
    max_page=st.none() | st.integers(1, 15),
)
def test_any_walk_yields_exactly_the_items_up_to_limit(
    total: int, count: int, limit: Optional[int], max_page: Optional[int]
) -> None:
    server = FakeServer(total, max_page=max_page)
    pager = offset_pager(server, count=count, limit=limit)
    got = [hit.user_info.uid for hit in pager]
    wanted = total if limit is None else min(limit, total)
    assert got == [str(n) for n in range(wanted)]
    # Never asks for more than count, nor (with a limit) for more than it still needs.
    yielded = 0
    for cursor, asked in server.asked:
        assert 1 <= asked <= count
        if limit is not None:
            assert asked == min(count, limit - yielded)
        yielded = cursor + asked if max_page is None else yielded + min(asked, max_page)
        yielded = min(yielded, total)
    # Exhausted exactly when the listing ran out before the limit did.
    if limit is None or limit > total:
        assert pager.cursor == tiktok.END and pager.exhausted
    # Resuming from .cursor gives the rest; from END, nothing, without a request.
    again = FakeServer(total)
    rest = [hit.user_info.uid for hit in offset_pager(again, count=count, cursor=pager.cursor)]
    assert got + rest == [str(n) for n in range(total)]
    assert (again.asked == []) == (pager.cursor == tiktok.END)


@settings(max_examples=examples(200))
@given(st.lists(st.integers(0, 4), min_size=1, max_size=30))
def test_a_server_repeating_or_cycling_cursors_never_loops(next_cursors: List[int]) -> None:
    # Whatever cursors a misbehaving server returns with has_more true, the walk ends.
    asked: List[Optional[int]] = []

    def fetch(cursor: Optional[int], count: int) -> UserSearchPage:
        asked.append(cursor)
        step = next_cursors[min(len(asked) - 1, len(next_cursors) - 1)]
        body = {"user_list": [{"user_info": {}}], "cursor": step, "has_more": 1}
        return structure(body, UserSearchPage)

    pager = tiktok.Pager(fetch, style=tiktok.Style.OFFSET, items_key="user_list", count=1)
    list(pager)
    assert len(asked) == len(set(asked))  # no cursor asked twice
    assert len(asked) <= 5  # only 5 distinct cursors exist


def test_a_time_pager_with_no_cursor_starts_at_now() -> None:
    seen: List[Optional[int]] = []

    def fetch(cursor: Optional[int], count: int) -> FollowerPage:
        seen.append(cursor)
        return structure({"followers": [], "has_more": 0}, FollowerPage)

    before = int(time.time())
    list(tiktok.Pager(fetch, style=tiktok.Style.TIME, items_key="followers", count=20))
    assert seen[0] is not None and before <= seen[0] <= int(time.time())


def test_a_feed_pager_fetches_without_a_cursor() -> None:
    seen: List[Optional[int]] = []

    def fetch(cursor: Optional[int], count: int) -> PostPage:
        seen.append(cursor)
        return structure(
            {"aweme_list": [{"aweme_id": "1"}], "has_more": 1, "max_cursor": 5}, PostPage
        )

    pager = tiktok.Pager(fetch, style=tiktok.Style.FEED, items_key="aweme_list", count=6, limit=3)
    assert len(list(pager)) == 3
    assert seen == [None, None, None]


# -- invalid arguments are refused when the listing is made, before anything is sent ------------


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"count": 0}, "count"),
        ({"count": 101}, "count"),
        ({"count": "20"}, "count"),
        ({"count": True}, "count"),
        ({"limit": -1}, "limit"),
        ({"limit": 1.5}, "limit"),
        ({"cursor": -5}, "cursor"),
        ({"cursor": "abc"}, "cursor"),
        ({"cursor": 1.0}, "cursor"),
    ],
)
def test_bad_count_limit_or_cursor_is_a_value_error_at_the_call(
    client, rsps, kwargs: Dict[str, Any], name: str
) -> None:
    with pytest.raises(ValueError, match=name):
        client.users.posts("9", **kwargs)
    assert len(rsps.calls) == 0


# -- stalls (docs/pagination.rst (Stalls)) ------------------------------------------------------


@pytest.mark.parametrize("style", sorted(STYLES))
def test_a_page_of_only_items_already_seen_ends_the_walk_with_a_warning(
    client, rsps, style: str, caplog: pytest.LogCaptureFixture
) -> None:
    address, key, next_key, listing = STYLES[style]
    rsps.get(address, json=envelope(**{key: ITEMS[key], "has_more": True, next_key: 7}))
    rsps.get(address, json=envelope(**{key: MORE[key], "has_more": True, next_key: 9}))
    # The cursor moves on, has_more stays true, but the page is the first one again.
    rsps.get(address, json=envelope(**{key: ITEMS[key], "has_more": True, next_key: 11}))
    pager = listing(client)
    with caplog.at_level("WARNING", logger="tiktok"):
        assert len(list(pager)) == 4
    assert len(rsps.calls) == 3
    assert pager.stall is tiktok.Stall.REPEATED_ITEMS and pager.exhausted
    assert "a page of only items already seen" in caplog.text


def test_a_page_partly_seen_goes_on(client, rsps) -> None:
    rsps.get(POSTS, json=envelope(aweme_list=posts("1", "2"), has_more=True, max_cursor=7))
    rsps.get(POSTS, json=envelope(aweme_list=posts("2", "3"), has_more=False, max_cursor=9))
    pager = client.users.posts("9", count=2)
    assert [p.aweme_id for p in pager] == ["1", "2", "2", "3"]
    assert pager.stall is None


def test_a_walk_that_ends_as_the_listing_says_has_no_stall(client, rsps) -> None:
    rsps.get(POSTS, json=envelope(aweme_list=posts("1", "2"), has_more=True, max_cursor=7))
    rsps.get(POSTS, json=envelope(aweme_list=posts("3"), has_more=False, max_cursor=7))
    pager = client.users.posts("9", count=2)
    assert len(list(pager)) == 3 and pager.stall is None and pager.exhausted


def test_an_endless_has_more_of_old_pages_sends_a_bounded_number_of_requests(client, rsps) -> None:
    # has_more true forever, the cursor always moving, the same two pages over and over.
    served = []

    def endless(request: Any) -> Tuple[int, Dict[str, str], str]:
        n = len(served)
        served.append(n)
        page = posts("1", "2") if n % 2 == 0 else posts("3", "4")
        body = envelope(aweme_list=page, has_more=True, max_cursor=10 * (n + 1))
        return 200, {}, json.dumps(body)

    rsps.add_callback("GET", POSTS, callback=endless)
    pager = client.users.posts("9", count=2)
    assert len(list(pager)) == 4
    assert len(served) == 3
    assert pager.stall is tiktok.Stall.REPEATED_ITEMS


# -- count clamped to what the API serves (docs/protocol.rst (Page sizes)) ----------------------


@pytest.mark.parametrize(
    ("address", "listing", "served"),
    [
        (POSTS, lambda c, n: c.users.posts("9", count=n), "35"),
        (SEARCH, lambda c, n: c.users.search("k", count=n), "30"),
        (COMMENTS, lambda c, n: c.posts.comments("5", count=n), "50"),
    ],
)
def test_a_count_above_what_the_api_serves_is_sent_clamped(
    client, rsps, address: str, listing: Any, served: str
) -> None:
    rsps.get(address, json=envelope(has_more=False))
    rsps.get(address, json=envelope(has_more=False))
    list(listing(client, 100))
    list(listing(client, 12))
    assert sent(rsps, "count") == [served, "12"]
