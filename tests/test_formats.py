"""The ranking of a video's formats: what plays first, what is never taken by default, options."""

from __future__ import annotations

from typing import Any, List, Optional

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tiktok
from tiktok._formats import Format, rank_formats
from tiktok.models import BitRate, UrlList

from .conftest import BASE_URL, make_device

CDN = "https://v16.cdn.test/"
PLAY = "https://api16.tiktokv.test/aweme/v1/play/?video_id=v1&ratio=720p"
HVC1 = "https://v19.cdn.test/media-video-hvc1/v1.mp4"


def addr(
    *urls: str, key: Optional[str] = None, height: Optional[int] = None, size: Optional[int] = None
) -> UrlList:
    return UrlList(url_list=list(urls), url_key=key, height=height, data_size=size)


def sources(formats: List[Format]) -> List[str]:
    return [f.source for f in formats]


# What a Douyin post of today sends (issue 20): bytevc2 flagged is_bytevc1 2 and
# named in its url_key, H.265 and H.264 encodings, and the three play addresses.
DOUYIN = tiktok.Video(
    bit_rate=[
        BitRate(bit_rate=2_400_000, is_bytevc1=2, play_addr=addr(CDN + "vc2", key="v0d_bytevc2_1080p_2400000")),
        BitRate(bit_rate=1_900_000, is_bytevc1=1, play_addr=addr(CDN + "h265", key="v0d_bytevc1_1080p_1900000")),
        BitRate(bit_rate=1_200_000, is_bytevc1=0, play_addr=addr(CDN + "h264-720", key="v0d_h264_720p_1200000")),
        BitRate(bit_rate=800_000, is_bytevc1=0, play_addr=addr(CDN + "h264-540", key="v0d_h264_540p_800000")),
    ],
    play_addr=addr(PLAY, key="v0d_h264_720p_1200000"),
    play_addr_h264=addr(PLAY, HVC1),
    play_addr_bytevc1=addr(HVC1),
    download_addr=addr(CDN + "wm"),
)  # fmt: skip


def test_the_default_is_h264_at_the_best_height_and_never_bytevc2() -> None:
    ranked = rank_formats(DOUYIN)
    assert ranked[0].source == "bit_rate[2]" and ranked[0].codec == "h264"
    assert ranked[0].height == 720 and ranked[0].bit_rate == 1_200_000
    assert "bytevc2" not in {f.codec for f in ranked}
    assert sources(ranked) == [
        "bit_rate[2]",  # H.264 720p
        "bit_rate[3]",  # H.264 540p
        "bit_rate[1]",  # H.265 1080p: after every direct H.264
        # No direct url: through aweme/v1/play or under /media-video-hvc1/ only.
        "play_addr",  # H.264 720p by its url_key
        "play_addr_h264",  # H.264, height unknown
        "play_addr_bytevc1",  # H.265
    ]


def test_indirect_urls_come_after_direct_ones_within_an_address() -> None:
    video = tiktok.Video(play_addr=addr(PLAY, HVC1, CDN + "direct"))
    (only,) = rank_formats(video)
    assert only.urls == (CDN + "direct", PLAY, HVC1)
    assert only.address.url_list == list(only.urls) and only.direct


def test_a_codec_can_be_asked_for_even_bytevc2() -> None:
    assert sources(rank_formats(DOUYIN, codec="bytevc2")) == ["bit_rate[0]"]
    assert rank_formats(DOUYIN, codec="hevc")[0].source == "bit_rate[1]"
    assert {f.codec for f in rank_formats(DOUYIN, codec="bytevc1")} == {"h265"}
    with pytest.raises(ValueError, match="codec"):
        rank_formats(DOUYIN, codec="vp9")


def test_a_maximum_height_drops_taller_formats() -> None:
    ranked = rank_formats(DOUYIN, max_height=600)
    assert ranked[0].source == "bit_rate[3]"
    assert all(f.height is None or f.height <= 600 for f in ranked)
    with pytest.raises(tiktok.DownloadError, match="at most 100p"):
        rank_formats(tiktok.Video(play_addr=addr(CDN + "a", height=720)), max_height=100)


def test_the_smallest_file_first_when_asked() -> None:
    video = tiktok.Video(
        bit_rate=[
            BitRate(bit_rate=1_000_000, play_addr=addr(CDN + "big", size=3_000_000)),
            BitRate(bit_rate=500_000, is_h265=1, play_addr=addr(CDN + "small", size=1_000_000)),
            BitRate(bit_rate=700_000, play_addr=addr(CDN + "unknown")),
        ]
    )
    # By size whatever the codec; a format whose size is unknown comes after.
    assert [f.urls[0] for f in rank_formats(video, smallest=True)] == [
        CDN + "small",
        CDN + "big",
        CDN + "unknown",
    ]


def test_the_watermarked_address_only_when_asked() -> None:
    assert "download_addr" not in sources(rank_formats(DOUYIN))
    assert sources(rank_formats(DOUYIN, watermark=True)) == ["download_addr"]
    with pytest.raises(tiktok.DownloadError, match="watermark"):
        rank_formats(tiktok.Video(play_addr=addr(CDN + "p")), watermark=True)


def test_the_same_address_listed_twice_is_kept_once_where_it_ranks_best() -> None:
    same = addr(CDN + "same", key="v_h264_720p_1")
    video = tiktok.Video(bit_rate=[BitRate(bit_rate=1, play_addr=same)], play_addr=same)
    assert sources(rank_formats(video)) == ["bit_rate[0]"]


def test_only_bytevc2_is_a_download_error_naming_what_there_is() -> None:
    video = tiktok.Video(
        bit_rate=[BitRate(is_bytevc1=2, play_addr=addr(CDN + "x", key="v_bytevc2_720p_9"))]
    )
    with pytest.raises(
        tiktok.DownloadError, match=r"bytevc2 is taken only when asked.*bit_rate\[0\] bytevc2 720p"
    ):
        rank_formats(video)


urls = st.sampled_from([CDN + "a", CDN + "b", PLAY, HVC1, CDN + "c"])
keys = st.sampled_from(
    [None, "v_h264_720p_1", "v_bytevc1_1080p_2", "v_bytevc2_720p_3", "v_h264_540p_4"]
)
addresses = st.builds(
    lambda u, k, h: addr(*u, key=k, height=h),
    st.lists(urls, min_size=1, max_size=3, unique=True),
    keys,
    st.sampled_from([None, 540, 720, 1080]),
)
encodings = st.builds(
    lambda a, f, r: BitRate(play_addr=a, is_bytevc1=f, bit_rate=r),
    addresses,
    st.sampled_from([None, 0, 1, 2]),
    st.sampled_from([None, 500_000, 2_000_000]),
)


@given(
    st.lists(encodings, max_size=4),
    st.one_of(st.none(), addresses),
    st.one_of(st.none(), addresses),
    st.one_of(st.none(), addresses),
)
def test_the_rule_holds_for_any_video(
    bit_rate: List[BitRate], play: Any, h264: Any, bytevc1: Any
) -> None:
    video = tiktok.Video(
        bit_rate=bit_rate, play_addr=play, play_addr_h264=h264, play_addr_bytevc1=bytevc1
    )
    try:
        ranked = rank_formats(video)
    except tiktok.DownloadError:
        return
    assert all(f.codec != "bytevc2" and not f.watermark for f in ranked)
    # Direct before indirect; within each, H.264 before an unnamed codec before H.265.
    tiers = [(not f.direct, {"h264": 0, None: 1, "h265": 2}[f.codec]) for f in ranked]
    assert tiers == sorted(tiers)
    assert len({frozenset(f.urls) for f in ranked}) == len(ranked)
    for f in ranked:  # direct urls first within each format
        flags = [not u.startswith(CDN) for u in f.urls]
        assert flags == sorted(flags)


def test_client_media_formats_ranks_a_post_without_sending_anything() -> None:
    with tiktok.Client(make_device(), lambda u, t, d: u, base_url=BASE_URL) as client:
        post = tiktok.Post(aweme_id="1", video=DOUYIN)
        assert client.media.formats(post) == rank_formats(DOUYIN)
        assert client.media.formats(DOUYIN, codec="h265")[0].source == "bit_rate[1]"
        assert client.media.address(post).url_list == [CDN + "h264-720"]
        with pytest.raises(tiktok.DownloadError, match="no video"):
            client.media.formats(tiktok.Post(aweme_id="2"))
