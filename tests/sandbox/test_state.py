"""The account's state: writes, their times, and thread safety."""

from __future__ import annotations

import threading
from typing import List

import pytest

from tiktok.sandbox._state import ENDED, STARTED, RoomError, State
from tiktok.sandbox._timeline import page_before
from tiktok.sandbox._world import WORLD_EPOCH, World

NOW = 1_700_000_000.0


@pytest.fixture
def state() -> State:
    return State(World(0), clock=lambda: NOW)


def times(state: State) -> List[int]:
    page, _ = page_before([state.followings_of_account()], None, 1000)
    return [t for t, _ in page]


def test_sessions_come_from_login_only(state: State) -> None:
    session, token = state.login()
    assert state.is_session(session, None)
    assert state.is_session(None, token)
    assert not state.is_session("made-up", "made-up")
    assert not state.is_session(None, None)


def test_the_account_starts_with_follows_and_requests(state: State) -> None:
    assert len(state.followings_of_account()) == 25
    assert len(state.pending_requests()) == 8


def test_follow_times_are_distinct_newer_than_the_world_and_older_than_now(state: State) -> None:
    world = state.world
    targets = [world.generated_user(900_000 + n) for n in range(50)]
    for uid in targets:
        state.follow(uid)
    all_times = times(state)
    assert len(set(all_times)) == len(all_times) == 75
    assert min(all_times) > WORLD_EPOCH
    assert max(all_times) < NOW  # a walk from max_time=now sees them all
    assert state.followed_users()[:3] == targets[::-1][:3]


def test_follow_is_idempotent_and_unfollow_removes(state: State) -> None:
    uid = state.world.generated_user(123)
    state.follow(uid)
    state.follow(uid)
    assert state.follows(uid)
    assert len(state.extra_followers(uid)) == 1
    state.unfollow(uid)
    state.unfollow(uid)
    assert not state.follows(uid)
    assert len(state.extra_followers(uid)) == 0


def test_approve_makes_a_follower_and_reject_does_not(state: State) -> None:
    page, _ = page_before([state.pending_requests()], None, 10)
    first, second = page[0][1], page[1][1]
    assert state.approve(first)
    assert not state.approve(first)  # no longer pending
    assert state.reject(second)
    assert not state.reject(second)
    assert len(state.pending_requests()) == 6
    assert state.is_approved_follower(first)
    assert not state.is_approved_follower(second)
    assert [
        uid for _, uid in page_before([state.extra_followers(6800000000000000001)], None, 5)[0]
    ] == [first]


def test_comments_are_listed_newest_first(state: State) -> None:
    state.add_comment(1, "one", [])
    state.add_comment(1, "two", [{"begin": 0, "end": 3, "type": 0}])
    state.add_comment(2, "elsewhere", [])
    assert [c.text for c in state.comments(1)] == ["two", "one"]
    assert len({c.cid for c in state.comments(1)}) == 2


def test_rooms_go_created_started_ended(state: State) -> None:
    room = state.create_room("title", 0)
    assert room.status == 1
    assert state.update_room(room.room_id, room.stream_id, STARTED).status == STARTED
    assert state.update_room(room.room_id, room.stream_id, STARTED).status == STARTED  # a retry
    ended = state.update_room(room.room_id, room.stream_id, ENDED)
    assert ended.status == ENDED and ended.finish_time == int(NOW)
    with pytest.raises(RoomError, match="cannot go from status 4 to 2"):
        state.update_room(room.room_id, room.stream_id, STARTED)
    assert room.room_id > 2**63  # ids the real API sends as big JSON numbers


def test_room_updates_check_room_and_stream(state: State) -> None:
    room = state.create_room("title", 1)
    with pytest.raises(RoomError, match="not one of your rooms"):
        state.update_room(room.room_id + 1000, room.stream_id, STARTED)
    with pytest.raises(RoomError, match="not the stream"):
        state.update_room(room.room_id, room.stream_id + 1, STARTED)
    assert state.room(room.room_id) is not None and state.room(room.room_id).status == 1  # type: ignore[union-attr]


def test_concurrent_writes_are_all_kept(state: State) -> None:
    world = state.world

    def work(offset: int) -> None:
        for n in range(100):
            state.follow(world.generated_user(offset * 1000 + n))
            state.add_comment(7, f"{offset}-{n}", [])
            state.set_liked(offset * 1000 + n, True)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(state.followings_of_account()) == 25 + 800
    assert len(set(times(state))) == 825
    assert len(state.comments(7)) == 800
    assert len({c.cid for c in state.comments(7)}) == 800
    assert state.liked_count() == 800
