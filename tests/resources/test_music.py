"""client.music: a sound and its posts, on the wire."""

from __future__ import annotations

import pytest
from responses import matchers

import tiktok
from tests.conftest import check_wire, envelope, url

MUSIC_ID = "6600000000000000001"


def test_get_on_the_wire(client, rsps, signer) -> None:
    body = envelope(
        music_info={"id": MUSIC_ID, "title": "original sound", "owner_handle": "x", "extra": [1]}
    )
    rsps.get(url("aweme/v1/music/detail/"), json=body)
    music = client.music.get(MUSIC_ID)
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/music/detail/",
        params=[("music_id", MUSIC_ID)],
    )
    assert isinstance(music, tiktok.Music)
    assert (music.id, music.title, music.owner_handle) == (MUSIC_ID, "original sound", "x")
    assert tiktok.to_dict(music)["extra"] == [1]


def test_posts_on_the_wire(client, rsps, signer) -> None:
    body = envelope(aweme_list=[{"aweme_id": "1"}], cursor=20, has_more=0)
    rsps.get(url("aweme/v1/music/aweme/"), json=body)
    posts = list(client.music.posts(int(MUSIC_ID), count=5))
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/music/aweme/",
        params=[
            ("music_id", MUSIC_ID),
            ("cursor", "0"),
            ("count", "5"),
            ("type", "6"),
            ("retry_type", "no_retry"),
        ],
    )
    assert [p.aweme_id for p in posts] == ["1"] and isinstance(posts[0], tiktok.Post)


def test_posts_page_by_cursor(client, rsps) -> None:
    path = url("aweme/v1/music/aweme/")
    rsps.get(
        path,
        json=envelope(aweme_list=[{"aweme_id": "1"}], cursor=1, has_more=1),
        match=[matchers.query_param_matcher({"cursor": "0"}, strict_match=False)],
    )
    rsps.get(
        path,
        json=envelope(aweme_list=[{"aweme_id": "2"}], cursor=2, has_more=0),
        match=[matchers.query_param_matcher({"cursor": "1"}, strict_match=False)],
    )
    assert [p.aweme_id for p in client.music.posts(MUSIC_ID, count=1)] == ["1", "2"]


@pytest.mark.parametrize("music_id", ["", "abc", -1, 1.5, None])
def test_bad_ids_fail_before_sending(client, music_id: object) -> None:
    with pytest.raises(ValueError):
        client.music.get(music_id)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        client.music.posts(music_id)  # type: ignore[arg-type]
