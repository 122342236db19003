"""The sandbox's photo posts and captions (docs/sandbox.rst (Photo posts and captions))."""

from __future__ import annotations

import hashlib
import json
from typing import Iterator

import pytest
import requests

from tiktok.sandbox import BIG_USER_ID, CAPTIONED_POST_ID, PHOTO_POST_ID, Sandbox


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=0) as sb:
        yield sb


def test_photo_posts_are_among_the_posts_with_images_and_a_sound(sandbox: Sandbox) -> None:
    with sandbox.client() as client:
        posts = list(client.users.posts(BIG_USER_ID, limit=20))
        photo = client.posts.get(PHOTO_POST_ID)
    assert [p.aweme_id for p in posts if p.is_photo] == [posts[7].aweme_id, posts[17].aweme_id]
    assert posts[7].aweme_id == PHOTO_POST_ID and photo.aweme_type == 150
    assert len(photo.images) == 30 and 1 <= len(posts[17].images) <= 12
    assert photo.video is not None and photo.video.duration == 0
    assert photo.music is not None and photo.music.duration  # the sound has the real duration
    session = requests.Session()
    seen = set()
    for image in photo.images[:3]:
        address = image.display_image
        assert address is not None and address.url_list and address.width and address.height
        body = session.get(address.url_list[0], timeout=10).content
        assert body[:3] == b"\xff\xd8\xff" and 40_000 <= len(body) <= 400_100
        assert session.get(address.url_list[1], timeout=10).content == body  # the mirror
        seen.add(hashlib.md5(body).hexdigest())
    assert len(seen) == 3  # distinct images
    assert photo.music.play_url is not None and photo.music.play_url.url_list
    sound = session.get(photo.music.play_url.url_list[0], timeout=10)
    assert sound.ok and sound.content[:3] == b"ID3"
    beyond = sandbox.url + f"media/image/{PHOTO_POST_ID}/31.jpeg"
    assert session.get(beyond, timeout=10).status_code == 404
    video_post = posts[0].aweme_id
    assert (
        session.get(sandbox.url + f"media/image/{video_post}/1.jpeg", timeout=10).status_code == 404
    )


def test_some_videos_have_captions_from_both_sources(sandbox: Sandbox) -> None:
    with sandbox.client() as client:
        post = client.posts.get(CAPTIONED_POST_ID)
        (plain,) = client.users.posts(BIG_USER_ID, limit=1)
    assert post.video is not None and post.video.cla_info is not None
    assert (
        plain.video is not None and plain.video.cla_info is None and not plain.interaction_stickers
    )
    (track,) = post.video.cla_info.caption_infos or []
    assert track.lang == "eng-US" and track.Format == "webvtt" and track.url
    vtt = requests.get(track.url, timeout=10).text
    assert vtt.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:02.500\n[eng-US] ")
    (sticker,) = post.interaction_stickers or []
    assert sticker.auto_video_caption_info is not None
    autos = sticker.auto_video_caption_info.auto_captions or []
    assert [a.language for a in autos] == ["eng-US", "spa-ES"]
    assert autos[1].url is not None and autos[1].url.url_list
    utterances = json.loads(requests.get(autos[1].url.url_list[0], timeout=10).content)[
        "utterances"
    ]
    assert utterances[0]["start_time"] == 0 and utterances[0]["end_time"] == 2500
    assert utterances[-1]["end_time"] == post.video.duration
    missing = sandbox.url + f"media/caption/{plain.aweme_id}/eng-US.vtt"
    assert requests.get(missing, timeout=10).status_code == 404


def test_the_stats_count_connections_once_however_many_requests_they_carry(
    sandbox: Sandbox,
) -> None:
    before = sandbox.stats["connections"]
    url = sandbox.url + f"media/image/{PHOTO_POST_ID}/1.jpeg"
    with requests.Session() as session:
        for _ in range(5):
            assert session.get(url, timeout=10).ok
    assert sandbox.stats["connections"] == before + 1
    for _ in range(2):
        assert requests.get(url, timeout=10).ok  # a new session each: a new connection
    assert sandbox.stats["connections"] == before + 3
