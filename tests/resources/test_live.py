"""client.live: join, leave, can_start, start, end, create_room, update_status on the wire."""

from __future__ import annotations

import pytest

import tiktok
from tests.conftest import BASE_URL, check_wire, envelope, url

ROOM_ID = 9999999999999999999  # above 2**63, sent as a JSON number
STREAM_ID = 18446744073709551616
ROOM = {
    "room_id": ROOM_ID,
    "stream_id": STREAM_ID,
    "title": "My stream",
    "status": 1,
    "owner": {},
    "stream_url": {"rtmp_push_url": "rtmp://push/stream-1?wsSecret=1", "sid": STREAM_ID},
}
CREATE = url("aweme/v1/room/create/")
UPDATE = url("aweme/v1/room/update/status/")


def test_join_on_the_wire(client, rsps, signer) -> None:
    rsps.get(url("aweme/v1/room/enter/"), json=envelope(room={**ROOM, "user_count": 1000}))
    room = client.live.join(str(ROOM_ID))
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/room/enter/",
        params=[("room_id", str(ROOM_ID))],
    )
    assert isinstance(room, tiktok.Room)
    assert room.room_id == str(ROOM_ID) and room.user_count == 1000


def test_leave_on_the_wire(client, rsps, signer) -> None:
    rsps.get(url("aweme/v1/room/leave/"), json=envelope())
    response = client.live.leave(ROOM_ID)
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/room/leave/",
        params=[("room_id", str(ROOM_ID))],
    )
    assert isinstance(response, tiktok.Envelope) and response.status_code == 0


@pytest.mark.parametrize(
    ("wire", "expected"), [(True, True), (False, False), (1, True), (0, False)]
)
def test_can_start_on_the_wire_is_a_bool(client, rsps, signer, wire, expected) -> None:
    rsps.get(url("aweme/v1/live/podcast/"), json=envelope(can_be_live_podcast=wire))
    result = client.live.can_start()
    check_wire(
        rsps.calls[0], signer.calls[0], method="GET", path="aweme/v1/live/podcast/", params=[]
    )
    assert type(result) is bool and result is expected


def test_can_start_without_the_answer_is_a_decode_error(client, rsps) -> None:
    rsps.get(url("aweme/v1/live/podcast/"), json=envelope())
    with pytest.raises(tiktok.DecodeError, match="can_be_live_podcast"):
        client.live.can_start()


@pytest.mark.parametrize(("authorized", "wire"), [(False, "0"), (True, "1")])
def test_create_room_on_the_wire_sends_its_params_in_the_query(
    client, rsps, signer, authorized, wire
) -> None:
    rsps.post(CREATE, json=envelope(room=ROOM))
    room = client.live.create_room("My stream & more", contacts_authorized=authorized)
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="POST",
        path="aweme/v1/room/create/",
        params=[("title", "My stream & more"), ("contacts_authorized", wire)],
    )
    assert room.room_id == str(ROOM_ID) and room.stream_id == str(STREAM_ID)


def test_update_status_on_the_wire(client, rsps, signer) -> None:
    rsps.get(UPDATE, json=envelope())
    client.live.update_status(
        str(ROOM_ID),
        STREAM_ID,
        tiktok.LiveStatus.STARTED,
        tiktok.StatusChangeReason.INITIATED_BY_APP,
    )
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/room/update/status/",
        params=[
            ("room_id", str(ROOM_ID)),
            ("stream_id", str(STREAM_ID)),
            ("status", "2"),
            ("reason_no", "0"),
        ],
    )


def test_update_status_defaults_to_initiated_by_user_and_takes_plain_ints(client, rsps) -> None:
    rsps.get(UPDATE, json=envelope())
    client.live.update_status(1, 2, 4)
    assert "&status=4&reason_no=1&" in rsps.calls[0].request.url


def test_start_on_the_wire_creates_then_starts_the_room(client, rsps, signer) -> None:
    rsps.post(CREATE, json=envelope(room=ROOM))
    rsps.get(UPDATE, json=envelope())
    room = client.live.start("My stream", contacts_authorized=True)
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="POST",
        path="aweme/v1/room/create/",
        params=[("title", "My stream"), ("contacts_authorized", "1")],
    )
    check_wire(
        rsps.calls[1],
        signer.calls[1],
        method="GET",
        path="aweme/v1/room/update/status/",
        params=[
            ("room_id", str(ROOM_ID)),
            ("stream_id", str(STREAM_ID)),
            ("status", "2"),
            ("reason_no", "0"),
        ],
    )
    assert room.room_id == str(ROOM_ID)
    assert room.stream_url.rtmp_push_url == "rtmp://push/stream-1?wsSecret=1"


def test_start_failing_at_room_creation_names_that_step(client, rsps) -> None:
    rsps.post(CREATE, json={"status_code": 2, "status_msg": "not allowed"})
    with pytest.raises(tiktok.LiveStartError) as caught:
        client.live.start("My stream")
    error = caught.value
    assert error.step == "create_room" and error.room is None
    assert "create_room" in str(error)
    assert isinstance(error.__cause__, tiktok.APIError)
    assert len(rsps.calls) == 1


def test_start_failing_at_the_status_update_names_the_step_and_the_room(client, rsps) -> None:
    rsps.post(CREATE, json=envelope(room=ROOM))
    rsps.get(UPDATE, json={"status_code": 4, "status_msg": "busy"})
    with pytest.raises(tiktok.LiveStartError) as caught:
        client.live.start("My stream")
    error = caught.value
    assert error.step == "update_status"
    assert error.room.room_id == str(ROOM_ID)
    assert "update_status" in str(error)
    assert str(ROOM_ID) in str(error) and str(STREAM_ID) in str(error)
    assert isinstance(error.__cause__, tiktok.APIError) and error.__cause__.status_code == 4
    assert isinstance(error, tiktok.TikTokError)


def test_start_with_a_room_without_ids_fails_at_the_status_step(client, rsps) -> None:
    rsps.post(CREATE, json=envelope(room={"title": "x"}))
    with pytest.raises(tiktok.LiveStartError) as caught:
        client.live.start("My stream")
    assert caught.value.step == "update_status"
    assert isinstance(caught.value.__cause__, tiktok.DecodeError)
    assert len(rsps.calls) == 1


def test_end_on_the_wire(client, rsps, signer) -> None:
    rsps.get(UPDATE, json=envelope())
    client.live.end(str(ROOM_ID), str(STREAM_ID))
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/room/update/status/",
        params=[
            ("room_id", str(ROOM_ID)),
            ("stream_id", str(STREAM_ID)),
            ("status", "4"),
            ("reason_no", "1"),
        ],
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.live.join("room"),
        lambda c: c.live.leave(""),
        lambda c: c.live.create_room(""),
        lambda c: c.live.create_room(None),
        lambda c: c.live.start("   "),
        lambda c: c.live.end("1", "x"),
        lambda c: c.live.update_status("1", "2", 3),
        lambda c: c.live.update_status("1", "2", tiktok.LiveStatus.STARTED, 7),
    ],
)
def test_invalid_arguments_are_refused_before_sending(client, rsps, call) -> None:
    with pytest.raises(ValueError):
        call(client)
    assert len(rsps.calls) == 0


@pytest.mark.parametrize(
    ("status", "reason", "named"),
    [
        (3, 0, "status"),
        ("2", 0, "status"),
        (True, 0, "status"),
        (2, 7, "reason"),
        (2, "0", "reason"),
    ],
)
def test_update_status_refuses_a_bad_status_or_reason_naming_it_before_sending(
    client: tiktok.Client, rsps: object, status: object, reason: object, named: str
) -> None:
    # rsps has nothing registered: a request that went out would be a TransportError.
    with pytest.raises(ValueError, match=named):
        client.live.update_status("1", "2", status, reason)  # type: ignore[arg-type]


# -- room info, on the webcast host (docs/protocol.rst (Live rooms)) ------------------

WEBCAST = "https://webcast.test/"


def test_room_info_on_the_wire_goes_to_the_webcast_host(device, rsps, signer) -> None:
    live = {"id": ROOM_ID, "id_str": str(ROOM_ID), "status": 2, "owner": {"uid": "1"}}
    rsps.get(WEBCAST + "webcast/room/info/", json=envelope(data=live))
    with tiktok.Client(device, signer, base_url=tiktok.DEFAULT_BASE_URL, webcast_url=WEBCAST) as c:
        c.credentials.token = "api-token"
        c.credentials.cookies.set("sessionid", "api-session", domain="api2.musical.ly")
        room = c.live.room_info(ROOM_ID)
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="webcast/room/info/",
        params=[("room_id", str(ROOM_ID))],
        base_url=WEBCAST,
    )
    assert isinstance(room, tiktok.Room)
    assert (room.key, room.status, room.owner) == (str(ROOM_ID), 2, tiktok.User(uid="1"))
    headers = rsps.calls[0].request.headers
    assert "x-tt-token" not in headers and "Cookie" not in headers  # the API's, not its


def test_room_info_without_data_is_a_decode_error(client, rsps) -> None:
    rsps.get(url("webcast/room/info/"), json=envelope(data=None))
    c = tiktok.Client(client.device, client.signer, webcast_url=BASE_URL, retries=0)
    with pytest.raises(tiktok.DecodeError, match="data"):
        c.live.room_info(ROOM_ID)


def test_room_info_takes_a_numeric_room_id_only(client) -> None:
    with pytest.raises(ValueError, match="room_id"):
        client.live.room_info("@someone")
