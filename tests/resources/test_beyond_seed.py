"""The calls of docs/protocol.rst (Calls beyond the seed) on users, posts and hashtags, on the wire."""

from __future__ import annotations

import json

import pytest
from responses import matchers

import tiktok
from tests.conftest import check_wire, endpoint_params, envelope, form_pairs, url

USER_ID = "6800000000000000001"
POST_ID = "6900000000000000001"
COMMENT_ID = "7000000000000000001"
KEYWORD = "a&b=c#d+e f ü*,"


def page_of(**params: str) -> list:
    """A matcher for the request whose query holds ``params``."""
    return [matchers.query_param_matcher(params, strict_match=False)]


# -- users.liked ---------------------------------------------------------------------------


def test_liked_on_the_wire(client, rsps, signer) -> None:
    body = envelope(aweme_list=[{"aweme_id": "1"}], has_more=False, max_cursor=5)
    rsps.get(url("aweme/v1/aweme/favorite/"), json=body)
    posts = list(client.users.liked(USER_ID, count=30))
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/aweme/favorite/",
        params=[
            ("user_id", USER_ID),
            ("max_cursor", "0"),
            ("count", "30"),
            ("retry_type", "no_retry"),
        ],
    )
    assert [p.aweme_id for p in posts] == ["1"] and isinstance(posts[0], tiktok.Post)


def test_liked_pages_by_max_cursor(client, rsps) -> None:
    path = url("aweme/v1/aweme/favorite/")
    rsps.get(
        path,
        json=envelope(aweme_list=[{"aweme_id": "1"}], has_more=1, max_cursor=1500),
        match=page_of(max_cursor="0"),
    )
    rsps.get(
        path,
        json=envelope(aweme_list=[{"aweme_id": "2"}], has_more=0, max_cursor=900),
        match=page_of(max_cursor="1500"),
    )
    pager = client.users.liked(USER_ID)
    assert [p.aweme_id for p in pager] == ["1", "2"]
    assert pager.cursor == tiktok.END


# -- users.by_username ------------------------------------------------------------------------


def _hit(unique_id: str, uid: str) -> dict:
    return {"user_info": {"uid": uid, "unique_id": unique_id}}


@pytest.mark.parametrize("name", ["Some.One", "@some.one", " @SOME.ONE "])
def test_by_username_on_the_wire(client, rsps, signer, name: str) -> None:
    body = envelope(
        user_list=[_hit("some.one.fan", "1"), _hit("some.one", "2")], cursor=2, has_more=1
    )
    rsps.get(url("aweme/v1/discover/search/"), json=body)
    user = client.users.by_username(name)
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/discover/search/",
        params=[
            ("keyword", name.strip().lstrip("@")),
            ("type", "1"),
            ("count", "10"),
            ("cursor", "0"),
        ],
    )
    assert isinstance(user, tiktok.User) and user.uid == "2"
    assert len(rsps.calls) == 1  # one page, never a walk through the search


def test_by_username_without_an_exact_handle_is_not_found(client, rsps) -> None:
    body = envelope(user_list=[_hit("some.one.fan", "1")], cursor=1, has_more=1)
    rsps.get(url("aweme/v1/discover/search/"), json=body)
    with pytest.raises(tiktok.NotFoundError, match=r"@some\.one") as caught:
        client.users.by_username("@some.one")
    assert isinstance(caught.value, tiktok.TikTokError)


@pytest.mark.parametrize("name", ["", "@", "  ", "a b", "@@x", "x/y", 5, None])
def test_by_username_refuses_what_is_not_a_handle(client, name: object) -> None:
    with pytest.raises(ValueError):
        client.users.by_username(name)  # type: ignore[arg-type]


# -- posts.get_many -----------------------------------------------------------------------------


def test_get_many_on_the_wire(client, rsps, signer) -> None:
    # The server answers in its own order and leaves out what it does not have.
    answer = envelope(aweme_details=[{"aweme_id": "3", "desc": "c"}, {"aweme_id": "1"}])
    rsps.post(url("aweme/v1/multi/aweme/detail/"), json=answer)
    posts = client.posts.get_many(["1", 2, "3", "1"])
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="POST",
        path="aweme/v1/multi/aweme/detail/",
        params=[],
        form=[("aweme_ids", '["1","2","3"]'), ("request_source", "0")],
    )
    assert json.loads(form_pairs(rsps.calls[0].request)[0][1]) == ["1", "2", "3"]
    assert [p.aweme_id for p in posts] == ["1", "3"]
    assert all(isinstance(p, tiktok.Post) for p in posts) and posts[1].desc == "c"


@pytest.mark.parametrize("ids", [[], "123", ["1", "x"], [-1], None])
def test_get_many_refuses_bad_ids(client, ids: object) -> None:
    with pytest.raises(ValueError):
        client.posts.get_many(ids)  # type: ignore[arg-type]


# -- posts.related --------------------------------------------------------------------------------


def test_related_on_the_wire(client, rsps, signer) -> None:
    body = envelope(aweme_list=[{"aweme_id": "1"}, {"aweme_id": "2"}], has_more=1, max_cursor=0)
    rsps.get(url("aweme/v1/feed/"), json=body)
    posts = list(client.posts.related(POST_ID, limit=2))
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/feed/",
        params=[
            ("type", "5"),
            ("aweme_id", POST_ID),
            ("count", "2"),
            ("max_cursor", "0"),
            ("pull_type", "2"),
            ("retry_type", "no_retry"),
        ],
    )
    assert [p.aweme_id for p in posts] == ["1", "2"]


def test_related_is_endless_like_a_feed(client, rsps) -> None:
    body = envelope(aweme_list=[{"aweme_id": "1"}] * 6, has_more=1, max_cursor=0)
    rsps.get(url("aweme/v1/feed/"), json=body)
    assert len(list(client.posts.related(POST_ID, limit=15))) == 15
    assert len(rsps.calls) == 3
    assert all("max_cursor=0&" in call.request.url for call in rsps.calls)


# -- posts.search ----------------------------------------------------------------------------------


def test_search_on_the_wire_sends_offset(client, rsps, signer) -> None:
    body = envelope(aweme_list=[{"aweme_id": "1"}], cursor=20, has_more=0)
    rsps.get(url("aweme/v1/search/item/"), json=body)
    posts = list(client.posts.search(KEYWORD, count=7))
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/search/item/",
        params=[
            ("keyword", KEYWORD),
            ("offset", "0"),
            ("count", "7"),
            ("sort_type", "0"),
            ("publish_time", "0"),
            ("retry_type", "no_retry"),
        ],
    )
    assert "?keyword=a%26b%3Dc%23d%2Be%20f%20%C3%BC*,&offset=0&" in rsps.calls[0].request.url
    assert [p.aweme_id for p in posts] == ["1"]


def test_search_takes_the_next_offset_from_cursor(client, rsps) -> None:
    path = url("aweme/v1/search/item/")
    first = envelope(aweme_list=[{"aweme_id": "1"}, {"aweme_id": "2"}], cursor=2, has_more=1)
    second = envelope(aweme_list=[{"aweme_id": "3"}], cursor=3, has_more=0)
    rsps.get(path, json=first, match=page_of(offset="0"))
    rsps.get(path, json=second, match=page_of(offset="2"))
    pager = client.posts.search("cat", count=2)
    assert [p.aweme_id for p in pager] == ["1", "2", "3"]
    for call in rsps.calls:
        assert "cursor" not in dict(endpoint_params(call.request.url))
    # Resuming from a saved position sends it as offset too.
    rsps.get(path, json=second, match=page_of(offset="2"))
    assert [p.aweme_id for p in client.posts.search("cat", count=2, cursor=2)] == ["3"]


# -- posts.replies ---------------------------------------------------------------------------------


def test_replies_on_the_wire(client, rsps, signer) -> None:
    body = envelope(
        comments=[{"cid": "9", "text": "t", "reply_id": COMMENT_ID}], cursor=20, has_more=0
    )
    rsps.get(url("aweme/v1/comment/list/reply/"), json=body)
    replies = list(client.posts.replies(COMMENT_ID, POST_ID, cursor=20))
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/comment/list/reply/",
        params=[
            ("comment_id", COMMENT_ID),
            ("item_id", POST_ID),
            ("cursor", "20"),
            ("count", "20"),
            ("retry_type", "no_retry"),
        ],
    )
    assert isinstance(replies[0], tiktok.Comment) and replies[0].reply_id == COMMENT_ID


def test_replies_page_by_cursor(client, rsps) -> None:
    path = url("aweme/v1/comment/list/reply/")
    rsps.get(
        path,
        json=envelope(comments=[{"cid": "1"}], cursor=1, has_more=1),
        match=page_of(cursor="0"),
    )
    rsps.get(
        path,
        json=envelope(comments=[{"cid": "2"}], cursor=2, has_more=0),
        match=page_of(cursor="1"),
    )
    assert [c.cid for c in client.posts.replies(COMMENT_ID, POST_ID, count=1)] == ["1", "2"]


# -- hashtags.get ---------------------------------------------------------------------------------------


def test_hashtag_get_on_the_wire(client, rsps, signer) -> None:
    body = envelope(ch_info={"cid": "9999999", "cha_name": "dance", "view_count": 5, "x": 1})
    rsps.get(url("aweme/v1/challenge/detail/"), json=body)
    challenge = client.hashtags.get(9999999)
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/challenge/detail/",
        params=[("ch_id", "9999999")],
    )
    assert isinstance(challenge, tiktok.Hashtag)
    assert (challenge.cid, challenge.cha_name, challenge.view_count) == ("9999999", "dance", 5)
    assert tiktok.to_dict(challenge)["x"] == 1  # unknown keys kept


def test_hashtag_get_without_ch_info_is_a_decode_error(client, rsps) -> None:
    rsps.get(url("aweme/v1/challenge/detail/"), json=envelope())
    with pytest.raises(tiktok.DecodeError, match="ch_info"):
        client.hashtags.get("1")
