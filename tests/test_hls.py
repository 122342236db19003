"""The HLS playlists a live recording reads (RFC 8216)."""

from __future__ import annotations

import pytest

from tiktok._hls import HlsError, Segment, parse_playlist

URL = "https://cdn.example/live/stream-1/index.m3u8?token=1"


def test_a_live_media_playlist() -> None:
    text = (
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:120\n"
        "#EXTINF:3.96,\n120.ts\n#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:00Z\n"
        "#EXTINF:4.0,title\nhttps://other.example/121.ts?x=1\n"
    )
    playlist = parse_playlist(text, URL)
    assert playlist.segments == (
        Segment(120, 3.96, "https://cdn.example/live/stream-1/120.ts"),
        Segment(121, 4.0, "https://other.example/121.ts?x=1"),
    )
    assert (playlist.target_duration, playlist.ended, playlist.variant) == (4.0, False, None)


def test_an_ended_playlist() -> None:
    playlist = parse_playlist("#EXTM3U\n#EXTINF:2,\na.ts\n#EXT-X-ENDLIST\n", URL)
    assert playlist.ended and playlist.segments[0].sequence == 0


def test_a_multivariant_playlist_gives_its_best_variant() -> None:
    text = (
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=540x960\nsd.m3u8\n"
        '#EXT-X-STREAM-INF:CODECS="avc1.64001f,mp4a.40.2",BANDWIDTH=2500000\nhd.m3u8\n'
        "#EXT-X-STREAM-INF:AVERAGE-BANDWIDTH=9,BANDWIDTH=100000\nld.m3u8\n"
    )
    assert parse_playlist(text, URL).variant == "https://cdn.example/live/stream-1/hd.m3u8"


@pytest.mark.parametrize(
    "text", ["", "<html>", "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:x\n", "#EXTM3U\n#EXTINF:-1,\na.ts\n"]
)
def test_what_is_not_a_playlist_is_an_error(text: str) -> None:
    with pytest.raises(HlsError):
        parse_playlist(text, URL)
