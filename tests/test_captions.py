"""Captions: both sources listed by language, tags normalised, cues as SRT and WebVTT."""

from __future__ import annotations

import json
from typing import Iterator

import pytest
import responses
from hypothesis import given
from hypothesis import strategies as st

import tiktok
from tiktok._captions import Cue, captions_of, normalize_language, parse_cues, write_cues
from tiktok._converter import structure

from .conftest import BASE_URL, make_device

CDN = "https://cap.cdn.test/"

POST = {
    "aweme_id": "1",
    "video": {
        "cla_info": {
            "caption_infos": [
                {"lang": "eng-US", "url": CDN + "en.vtt", "url_list": [CDN + "en.vtt", CDN + "en2.vtt"], "Format": "webvtt"},
                {"lang": "fra-FR", "url": CDN + "fr.vtt", "Format": "webvtt"},
                {"lang": "deu-DE", "Format": "webvtt"},  # no url: nothing to fetch
            ]
        }
    },
    "interaction_stickers": [
        {"type": 3},
        {
            "auto_video_caption_info": {
                "auto_captions": [
                    {"language": "eng-US", "url": {"url_list": [CDN + "en.json"]}},
                    {"language": "cmn-Hans-CN", "url": {"url_list": [CDN + "zh.json"]}},
                ]
            }
        },
    ],
}  # fmt: skip

VTT = b"""WEBVTT

1
00:00:00.000 --> 00:00:01.500 align:start
Hello there

00:01.500 --> 00:03.250
second line
continues
"""

UTTERANCES = {
    "utterances": [
        {"start_time": 0, "end_time": 1500, "text": "Hello there", "words": []},
        {"start_time": 1500, "end_time": 3250, "text": "second line"},
    ]
}


@pytest.mark.parametrize(
    ("tag", "normal"),
    [
        ("eng-US", "en-US"),
        ("en_us", "en-US"),
        ("cmn-Hans-CN", "zh-Hans-CN"),
        ("spa-419", "es-419"),
        ("jpn", "ja"),
        ("xyz-AB", "xyz-AB"),  # not known: kept
        ("", "und"),
        ("../etc", "und"),
    ],
)
def test_language_tags_are_normalised(tag: str, normal: str) -> None:
    assert normalize_language(tag) == normal


def test_both_sources_are_listed_by_language() -> None:
    found = captions_of(structure(POST, tiktok.Post))
    assert [(c.language, c.source, c.format) for c in found] == [
        ("en-US", "cla_info", "webvtt"),
        ("en-US", "auto_captions", "utterances"),
        ("fr-FR", "cla_info", "webvtt"),
        ("zh-Hans-CN", "auto_captions", "utterances"),
    ]
    assert found[0].tag == "eng-US" and found[0].address.url_list == [
        CDN + "en.vtt",
        CDN + "en2.vtt",
    ]
    assert found[0].matches("en") and found[0].matches("eng-US") and not found[0].matches("fr")
    assert captions_of(tiktok.Post()) == []


def test_webvtt_and_utterances_give_the_same_cues() -> None:
    expected = [Cue(0, 1500, "Hello there"), Cue(1500, 3250, "second line\ncontinues")]
    assert parse_cues(VTT, "webvtt") == expected
    assert parse_cues(json.dumps(UTTERANCES).encode(), "utterances") == [
        expected[0],
        Cue(1500, 3250, "second line"),
    ]
    with pytest.raises(tiktok.DecodeError):
        parse_cues(b"{}", "utterances")


def test_srt_and_vtt_are_written_as_players_read_them() -> None:
    cues = [Cue(0, 1500, "Hello"), Cue(3_723_004, 3_724_000, "late\n\nwith --> arrow")]
    assert write_cues(cues, "srt") == (
        "1\n00:00:00,000 --> 00:00:01,500\nHello\n\n"
        "2\n01:02:03,004 --> 01:02:04,000\nlate\nwith -> arrow\n"
    )
    assert write_cues(cues, "vtt").startswith("WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHello\n\n")
    with pytest.raises(ValueError):
        write_cues(cues, "ass")


texts = st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=20).filter(
    lambda t: t.strip() and "-->" not in t and "->" not in t
)


@given(st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 10**5), texts), max_size=8))
def test_written_cues_read_back_the_same(raw: list) -> None:  # type: ignore[type-arg]
    cues = [Cue(start, start + length, text.strip()) for start, length, text in raw]
    for format in ("srt", "vtt"):
        assert parse_cues(write_cues(cues, format).encode(), "webvtt") == cues


@pytest.fixture
def client() -> Iterator[tiktok.Client]:
    with tiktok.Client(make_device(), lambda u, t, d: u, base_url=BASE_URL, retries=0) as c:
        yield c


@responses.activate
def test_caption_text_fetches_the_next_url_when_one_fails(client: tiktok.Client) -> None:
    responses.get(CDN + "en.vtt", status=403)
    responses.get(CDN + "en2.vtt", body=VTT)
    responses.get(CDN + "en.json", json=UTTERANCES)
    cla, auto = client.media.captions(structure(POST, tiktok.Post))[:2]
    assert client.media.caption_text(cla, format="srt") == (
        "1\n00:00:00,000 --> 00:00:01,500\nHello there\n\n"
        "2\n00:00:01,500 --> 00:00:03,250\nsecond line\ncontinues\n"
    )
    assert client.media.caption_text(auto, format="vtt").startswith(
        "WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHello there"
    )


@responses.activate
def test_a_caption_file_too_large_to_be_one_is_refused(client: tiktok.Client) -> None:
    from tiktok._media import MAX_CAPTION

    responses.get(CDN + "en.vtt", body=b"x" * (MAX_CAPTION + 1))
    responses.get(CDN + "en2.vtt", body=b"y" * (MAX_CAPTION + 1))
    cla = client.media.captions(structure(POST, tiktok.Post))[0]
    with pytest.raises(tiktok.DownloadError, match="larger than"):
        client.media.caption_text(cla)
