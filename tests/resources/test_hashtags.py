"""client.hashtags: categories, search, posts on the wire."""

from __future__ import annotations

import pytest

import tiktok
from tests.conftest import check_wire, envelope, url

KEYWORD = "a&b=c#d+e f ü*,"


def test_categories_on_the_wire(client, rsps, signer) -> None:
    body = envelope(
        category_list=[
            {"challenge_info": {"cid": "9999999", "cha_name": "dance"}, "aweme_list": []}
        ],
        cursor=10,
        has_more=0,
    )
    rsps.get(url("aweme/v1/category/list/"), json=body)
    categories = list(client.hashtags.categories())
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/category/list/",
        params=[("count", "10"), ("cursor", "0"), ("retry_type", "no_retry")],
    )
    assert isinstance(categories[0], tiktok.Category)
    assert categories[0].challenge_info.cha_name == "dance"


def test_search_on_the_wire_encodes_the_keyword(client, rsps, signer) -> None:
    body = envelope(
        challenge_list=[{"challenge_info": {"cid": "5"}}], is_match=True, cursor=1, has_more=0
    )
    rsps.get(url("aweme/v1/challenge/search/"), json=body)
    results = list(client.hashtags.search(KEYWORD, count=7))
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/challenge/search/",
        params=[("keyword", KEYWORD), ("count", "7"), ("cursor", "0"), ("retry_type", "no_retry")],
    )
    assert "?keyword=a%26b%3Dc%23d%2Be%20f%20%C3%BC*,&count=7&" in rsps.calls[0].request.url
    assert isinstance(results[0], tiktok.HashtagSearchResult)
    assert results[0].challenge_info.cid == "5"


def test_posts_on_the_wire(client, rsps, signer) -> None:
    body = envelope(aweme_list=[{"aweme_id": "1"}], cursor=20, has_more=0)
    rsps.get(url("aweme/v1/challenge/aweme/"), json=body)
    posts = list(client.hashtags.posts("9999999", cursor=40))
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/challenge/aweme/",
        params=[
            ("ch_id", "9999999"),
            ("query_type", "0"),
            ("type", "5"),
            ("count", "20"),
            ("cursor", "40"),
            ("retry_type", "no_retry"),
        ],
    )
    assert isinstance(posts[0], tiktok.Post)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.hashtags.categories(count=-1),
        lambda c: c.hashtags.search(""),
        lambda c: c.hashtags.search(42),
        lambda c: c.hashtags.posts("#dance"),
        lambda c: c.hashtags.posts("1", cursor="x"),
    ],
)
def test_invalid_arguments_are_refused_before_sending(client, rsps, call) -> None:
    with pytest.raises(ValueError):
        call(client)
    assert len(rsps.calls) == 0
