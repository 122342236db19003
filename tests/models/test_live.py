"""Room, StreamUrl and the live enums."""

from __future__ import annotations

import tiktok
from tiktok._converter import structure
from tiktok.models import CanStartResponse, RoomResponse

ROOM = {
    "room_id": 9999999999999999999,
    "stream_id": 18446744073709551616,
    "title": "TITLE",
    "status": 2,
    "owner": {},
    "user_count": 0,
    "create_time": 1000000000,
    "stream_url": {
        "rtmp_pull_url": "http://pull/stream-1.flv",
        "rtmp_push_url": "rtmp://push/stream-1?wsSecret=1234",
        "sid": 18446744073709551616,
    },
}


def test_a_room_keeps_its_big_ids_exactly() -> None:
    room = structure(ROOM, tiktok.Room)
    assert room.room_id == "9999999999999999999"
    assert room.stream_id == "18446744073709551616"
    assert isinstance(room.stream_url, tiktok.StreamUrl)
    assert room.stream_url.sid == "18446744073709551616"
    assert room.owner == tiktok.User()
    assert tiktok.to_dict(room) == ROOM


def test_room_response_and_can_start() -> None:
    assert structure({"room": ROOM}, RoomResponse).room.title == "TITLE"
    assert structure({"can_be_live_podcast": True}, CanStartResponse).can_be_live_podcast is True


def test_enum_values_are_the_protocols() -> None:
    assert [int(s) for s in tiktok.LiveStatus] == [1, 2, 4]
    assert (tiktok.LiveStatus.CREATED, tiktok.LiveStatus.STARTED, tiktok.LiveStatus.ENDED) == (
        1,
        2,
        4,
    )
    assert tiktok.StatusChangeReason.INITIATED_BY_APP == 0
    assert tiktok.StatusChangeReason.INITIATED_BY_USER == 1
