"""client.posts: get, iter, like, unlike, comments, comment on the wire."""

from __future__ import annotations

import json

import pytest

import tiktok
from tests.conftest import check_wire, envelope, form_pairs, url

POST_ID = "6600000000000000001"
TEXT = "a&b=c#d+e f ü*,"


def test_get_on_the_wire(client, rsps, signer) -> None:
    rsps.get(
        url("aweme/v1/aweme/detail/"),
        json=envelope(aweme_detail={"aweme_id": POST_ID, "desc": "d"}),
    )
    post = client.posts.get(POST_ID)
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/aweme/detail/",
        params=[("aweme_id", POST_ID)],
    )
    assert isinstance(post, tiktok.Post) and post.desc == "d"


def test_iter_on_the_wire(client, rsps, signer) -> None:
    body = envelope(aweme_list=[{"aweme_id": "1"}], has_more=False, max_cursor=5)
    rsps.get(url("aweme/v1/aweme/post/"), json=body)
    posts = list(client.users.posts("6800000000000000001", count=30))
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/aweme/post/",
        params=[
            ("user_id", "6800000000000000001"),
            ("max_cursor", "0"),
            ("count", "30"),
            ("retry_type", "no_retry"),
        ],
    )
    assert [p.aweme_id for p in posts] == ["1"]


def test_like_on_the_wire(client, rsps, signer) -> None:
    rsps.get(url("aweme/v1/commit/item/digg/"), json=envelope(is_digg=0))
    assert client.posts.like(POST_ID).liked is True
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/commit/item/digg/",
        params=[("aweme_id", POST_ID), ("type", "1")],
    )


def test_unlike_on_the_wire(client, rsps, signer) -> None:
    rsps.get(url("aweme/v1/commit/item/digg/"), json=envelope(is_digg=1))
    assert client.posts.unlike(POST_ID).liked is False
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/commit/item/digg/",
        params=[("aweme_id", POST_ID), ("type", "0")],
    )


def test_comments_on_the_wire(client, rsps, signer) -> None:
    body = envelope(comments=[{"cid": "1", "text": "t"}], cursor=20, has_more=0, total=1)
    rsps.get(url("aweme/v1/comment/list/"), json=body)
    comments = list(client.posts.comments(POST_ID))
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/comment/list/",
        params=[
            ("aweme_id", POST_ID),
            ("cursor", "0"),
            ("count", "20"),
            ("comment_style", "2"),
            ("digged_cid", ""),
            ("insert_cids", ""),
            ("retry_type", "no_retry"),
        ],
    )
    assert isinstance(comments[0], tiktok.Comment) and comments[0].text == "t"


def test_comment_on_the_wire_sends_an_encoded_form_body(client, rsps, signer) -> None:
    answer = envelope(comment={"cid": "9999999999999999999", "text": TEXT, "user": {}})
    rsps.post(url("aweme/v1/comment/publish/"), json=answer)
    comment = client.posts.comment(POST_ID, TEXT)
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="POST",
        path="aweme/v1/comment/publish/",
        params=[],
        form=[("aweme_id", POST_ID), ("text", TEXT), ("text_extra", "[]"), ("is_self_see", "0")],
    )
    assert (
        rsps.calls[0].request.body
        == (
            f"aweme_id={POST_ID}&text=a%26b%3Dc%23d%2Be%20f%20%C3%BC*,&text_extra=%5B%5D&is_self_see=0"
        ).encode()
    )
    assert isinstance(comment, tiktok.Comment) and comment.cid == "9999999999999999999"


def test_comment_tags_go_as_a_json_list(client, rsps, signer) -> None:
    rsps.post(url("aweme/v1/comment/publish/"), json=envelope(comment={"cid": "1"}))
    tags = [
        tiktok.Tag(begin=0, end=7, type=0, user_id="6800000000000000001"),
        {"begin": 8, "end": 12, "type": 0, "user_id": "6800000000000000002"},
    ]
    client.posts.comment(POST_ID, "@friend @two ü", tags=tags)
    form = dict(form_pairs(rsps.calls[0].request))
    assert json.loads(form["text_extra"]) == [
        {"begin": 0, "end": 7, "type": 0, "user_id": "6800000000000000001"},
        {"begin": 8, "end": 12, "type": 0, "user_id": "6800000000000000002"},
    ]


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.posts.get("abc"),
        lambda c: c.users.posts(""),
        lambda c: c.users.posts("1", count=101),
        lambda c: c.posts.like("1.5"),
        lambda c: c.posts.unlike(None),
        lambda c: c.posts.comments("x"),
        lambda c: c.posts.comment("1", ""),
        lambda c: c.posts.comment("1", "  "),
        lambda c: c.posts.comment("1", b"bytes"),
        lambda c: c.posts.comment("x", "text"),
        lambda c: c.posts.comment("1", "text", tags=["@someone"]),
    ],
)
def test_invalid_arguments_are_refused_before_sending(client, rsps, call) -> None:
    with pytest.raises(ValueError):
        call(client)
    assert len(rsps.calls) == 0
