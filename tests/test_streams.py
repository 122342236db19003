"""A room's streams from every source of room info, ranked by the documented quality order."""

from __future__ import annotations

import json
import logging
import random
from typing import Any, Dict

import pytest

import tiktok
from tiktok._converter import structure
from tiktok._streams import QUALITY_ORDER, quality_rank, room_streams
from tiktok.models import RoomInfoResponse

# docs/protocol.rst (Live rooms): written out here, not imported from the package.
ORDER = ["SD1", "ld", "SD2", "sd", "HD1", "hd", "FULL_HD1", "uhd", "ORIGION", "origin"]
CDN = "https://pull-f5-tt01.fcdn.example/stage"


def sdk(quality: str, bitrate: int, resolution: str, codec: str = "h264") -> Dict[str, Any]:
    params = {"VCodec": codec, "vbitrate": bitrate, "resolution": resolution, "gop": 2}
    return {
        "main": {
            "flv": f"{CDN}/stream-1_{quality}.flv?expire=1",
            "hls": f"{CDN}/stream-1_{quality}/index.m3u8",
            "sdk_params": json.dumps(params),
            "cmaf": "",
        }
    }


ANSWER: Dict[str, Any] = {
    "data": {
        "id": 7300000000000000001,
        "id_str": "7300000000000000001",
        "status": 2,
        "live_room_mode": 0,
        "stream_url": {
            "flv_pull_url": {
                "FULL_HD1": f"{CDN}/stream-1.flv",
                "HD1": f"{CDN}/stream-1_hd.flv?expire=1",  # the same as stream_data's hd
                "SD1": f"{CDN}/stream-1_sd.flv?expire=1",
                "SD2": f"{CDN}/stream-1_ld2.flv",
            },
            "hls_pull_url": f"{CDN}/stream-1/index.m3u8",
            "hls_pull_url_map": {"FULL_HD1": f"{CDN}/stream-1_or4/index.m3u8"},
            "rtmp_pull_url": "rtmp://pull.example/stage/stream-1",
            "candidate_resolution": ["SD1", "SD2", "HD1", "FULL_HD1"],
            "live_core_sdk_data": {
                "pull_data": {
                    "options": {"default_quality": {"name": "hd"}},
                    "stream_data": json.dumps(
                        {
                            "common": {"session_id": "x"},
                            "data": {
                                "hd": sdk("hd", 2_000_000, "720x1280"),
                                "origin": sdk("origin", 4_500_000, "1080x1920", "bytevc1"),
                                "ld": sdk("ld", 400_000, "360x640"),
                            },
                        }
                    ),
                },
                "size": "x",
            },
        },
    },
    "extra": {"now": 1},
    "status_code": 0,
}


def room() -> tiktok.Room:
    answer = structure(json.loads(json.dumps(ANSWER)), RoomInfoResponse)
    assert answer.data is not None
    return answer.data


def test_the_documented_order() -> None:
    assert list(QUALITY_ORDER) == ORDER
    assert [quality_rank(name) for name in ORDER] == list(range(10))
    assert quality_rank("weird") == -1


def test_every_source_is_read_best_first_and_a_url_once() -> None:
    streams = room_streams(room())
    seen = [(s.quality, s.protocol, s.source) for s in streams]
    assert seen == [
        ("origin", "flv", "stream_data"),
        ("origin", "hls", "stream_data"),
        ("FULL_HD1", "flv", "flv_pull_url"),
        ("FULL_HD1", "hls", "hls_pull_url_map"),
        ("hd", "flv", "stream_data"),
        ("hd", "hls", "stream_data"),
        ("SD2", "flv", "flv_pull_url"),  # the HD1 url is stream_data's hd: listed once
        ("ld", "flv", "stream_data"),
        ("ld", "hls", "stream_data"),
        ("SD1", "flv", "flv_pull_url"),
        ("", "hls", "hls_pull_url"),
        ("", "rtmp", "rtmp_pull_url"),
    ]
    assert len({s.url for s in streams}) == len(streams)
    best = streams[0]
    assert (best.codec, best.bitrate, best.width, best.height) == ("bytevc1", 4_500_000, 1080, 1920)
    assert streams[2].codec is None and streams[2].bitrate is None


def test_ranking_does_not_depend_on_the_order_fields_come_in() -> None:
    names = list(ORDER)
    for seed in range(20):
        random.Random(seed).shuffle(names)
        urls = {"flv_pull_url": {name: f"{CDN}/{name}.flv" for name in names}}
        parsed = structure({"stream_url": urls}, tiktok.Room)
        assert [s.quality for s in room_streams(parsed)] == ORDER[::-1]


def test_unreadable_stream_data_is_left_out_and_the_rest_kept(
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = json.loads(json.dumps(ANSWER))
    pull = body["data"]["stream_url"]["live_core_sdk_data"]["pull_data"]
    pull["stream_data"] = "{not json"
    answer = structure(body, RoomInfoResponse)
    assert answer.data is not None
    with caplog.at_level(logging.WARNING, "tiktok"):
        streams = room_streams(answer.data)
    assert "stream_data is not JSON" in caplog.text
    assert {s.source for s in streams} == {
        "flv_pull_url",
        "hls_pull_url_map",
        "hls_pull_url",
        "rtmp_pull_url",
    }
    pull["stream_data"] = json.dumps({"data": {"hd": "not an object", "sd": sdk("sd", 1, "1x2")}})
    answer = structure(body, RoomInfoResponse)
    assert answer.data is not None
    assert "sd" in {s.quality for s in room_streams(answer.data)}


def test_room_info_round_trips_exactly_and_names_its_id() -> None:
    answer = structure(json.loads(json.dumps(ANSWER)), RoomInfoResponse)
    assert tiktok.to_dict(answer) == ANSWER
    assert answer.data is not None and answer.data.key == "7300000000000000001"
    assert structure({"room_id": 5}, tiktok.Room).key == "5"
    assert structure({"room_id": 0, "id": 6}, tiktok.Room).key == "6"
    assert tiktok.Room().key is None


def test_a_room_without_streams_has_none() -> None:
    assert room_streams(tiktok.Room()) == []
    assert room_streams(structure({"stream_url": {}}, tiktok.Room)) == []
