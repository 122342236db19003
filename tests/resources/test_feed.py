"""client.feed: for_you and following on the wire (endless feeds: limit or an empty page)."""

from __future__ import annotations

import pytest

import tiktok
from tests.conftest import check_wire, envelope, url

FEED = url("aweme/v1/feed/")


def feed_params(feed_type: str, count: str = "6") -> list:
    return [
        ("type", feed_type),
        ("count", count),
        ("is_cold_start", "1"),
        ("max_cursor", "0"),
        ("pull_type", "2"),
        ("retry_type", "no_retry"),
    ]


def test_for_you_on_the_wire(client, rsps, signer) -> None:
    rsps.get(FEED, json=envelope(aweme_list=[{"aweme_id": "1"}], has_more=1, max_cursor=0))
    posts = list(client.feed.for_you(limit=1))
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/feed/",
        params=feed_params("0", "1"),
    )
    assert isinstance(posts[0], tiktok.Post)


def test_following_on_the_wire(client, rsps, signer) -> None:
    rsps.get(FEED, json=envelope(aweme_list=[{"aweme_id": "1"}], has_more=1))
    rsps.get(FEED, json=envelope(aweme_list=[], has_more=1))
    posts = list(client.feed.following())
    for index in (0, 1):
        check_wire(
            rsps.calls[index],
            signer.calls[index],
            method="GET",
            path="aweme/v1/feed/",
            params=feed_params("1"),
        )
    assert [p.aweme_id for p in posts] == ["1"]


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.feed.for_you(count=0),
        lambda c: c.feed.following(limit=-3),
        lambda c: c.feed.following(count="6"),
    ],
)
def test_invalid_arguments_are_refused_before_sending(client, rsps, call) -> None:
    with pytest.raises(ValueError):
        call(client)
    assert len(rsps.calls) == 0
