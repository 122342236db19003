"""client.live.status: live or not from the room's status, never from the profile's room_id."""

from __future__ import annotations

from typing import Iterator

import pytest

import tiktok
from tiktok.sandbox import BIG_USER_ID, Sandbox

OWNER = 6_800_000_000_000_003_333


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def test_a_live_user_then_the_same_user_once_the_room_ended(sandbox: Sandbox) -> None:
    client = sandbox.client()
    broadcast = sandbox.go_live(OWNER, duration=600)
    state = client.live.status(OWNER)
    assert state.live and state.status == 2
    assert state.room is not None and state.room.key == str(broadcast.room_id)
    assert state.user is not None and state.user.uid == str(OWNER)
    assert [s.protocol for s in client.live.streams(state.room)][:2] == ["flv", "hls"]
    broadcast.end()
    ended = client.live.status(OWNER)
    # The profile still names the room (a stale flag); its status says it ended.
    assert ended.user is not None and ended.user.room_id == str(broadcast.room_id)
    assert (ended.live, ended.status) == (False, 4)
    assert client.live.status(tiktok.User(uid=str(OWNER), unique_id="x")).live is False


def test_by_handle_sec_user_id_and_room(sandbox: Sandbox) -> None:
    client = sandbox.client()
    broadcast = sandbox.go_live(BIG_USER_ID, duration=600)
    user = client.users.get(BIG_USER_ID)
    assert user.unique_id and user.sec_uid
    assert client.live.status("@" + user.unique_id).live
    assert client.live.status(user.sec_uid).live
    assert client.live.status(tiktok.Room(room_id=str(broadcast.room_id))).live
    broadcast.end()
    assert not client.live.status(tiktok.Room(id_str=str(broadcast.room_id))).live


def test_a_user_who_never_went_live_is_an_answer_without_asking_about_a_room(
    sandbox: Sandbox,
) -> None:
    client = sandbox.client()
    before = sandbox.stats["requests"]
    state = client.live.status(OWNER + 2)
    assert (state.live, state.room, state.status) == (False, None, None)
    assert sandbox.stats["requests"] == before + 1  # the profile only


def test_asking_about_a_room_that_does_not_exist_raises(sandbox: Sandbox) -> None:
    client = sandbox.client()
    with pytest.raises(tiktok.APIError) as raised:
        client.live.status(tiktok.Room(room_id="123"))
    assert raised.value.status_code == 30003
    with pytest.raises(ValueError, match="room_id"):
        client.live.status(tiktok.Room())
    with pytest.raises(TypeError, match="target"):
        client.live.status(1.5)  # type: ignore[arg-type]


def test_recording_someone_not_live_is_a_not_live_error(sandbox: Sandbox, tmp_path) -> None:
    client = sandbox.client()
    with pytest.raises(tiktok.NotLiveError) as raised:
        client.live.record(OWNER + 3, tmp_path)
    assert "client.live.status" in raised.value.hint
    assert list(tmp_path.iterdir()) == []
