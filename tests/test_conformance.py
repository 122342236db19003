"""Every recorded body of the seed (../shared/conformance/szdc) parses and round-trips.

The bodies are reference data outside the repository: they are read where they
are, never copied. Without the folder these tests skip, saying why.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Dict, List, NamedTuple, Tuple

import attrs
import pytest
import responses

import tiktok
from tests.conftest import BASE_URL, RecordingSigner, make_device
from tiktok._converter import structure
from tiktok.client import LOGIN
from tiktok.resources import Endpoint
from tiktok.resources import _feed as feed
from tiktok.resources import _follows as follows
from tiktok.resources import _hashtags as hashtags
from tiktok.resources import _live as live
from tiktok.resources import _posts as posts
from tiktok.resources import _stickers as stickers
from tiktok.resources import _users as users

FOLDER = Path(__file__).parents[1].parent / "shared" / "conformance" / "szdc"
FILES = sorted(FOLDER.glob("*.json")) if FOLDER.is_dir() else []

pytestmark = pytest.mark.skipif(
    not FOLDER.is_dir(), reason=f"no recorded bodies at {FOLDER} (the shared conformance folder)"
)


class Case(NamedTuple):
    """The endpoint that answers with the body, and the client call that reads it."""

    endpoint: Endpoint
    call: Callable[[tiktok.Client], Any]


CASES: Dict[str, Case] = {
    "approveFollowRequest": Case(follows.APPROVE, lambda c: c.follows.approve("1")),
    "canStartLiveStream": Case(live.CAN_START, lambda c: c.live.can_start()),
    "createLiveStreamRoom": Case(live.CREATE_ROOM, lambda c: c.live.create_room("TITLE")),
    "follow": Case(follows.FOLLOW, lambda c: c.follows.follow("1")),
    "getPost": Case(posts.GET, lambda c: c.posts.get("1")),
    "getQRCode": Case(users.QR_CODE, lambda c: c.users.qr_code("1")),
    "getSticker": Case(stickers.DETAIL, lambda c: c.stickers.get("100000")),
    "getStickers": Case(stickers.DETAIL, lambda c: c.stickers.get_many(["100000", "100001"])),
    "getUser": Case(users.GET, lambda c: c.users.get("1")),
    "joinLiveStream": Case(live.JOIN, lambda c: c.live.join("1")),
    "leaveLiveStream": Case(live.LEAVE, lambda c: c.live.leave("1")),
    "likePost": Case(posts.LIKE, lambda c: c.posts.like("1")),
    "listCategories": Case(hashtags.CATEGORIES.endpoint, lambda c: c.hashtags.categories(limit=1)),
    "listComments": Case(posts.COMMENTS.endpoint, lambda c: c.posts.comments("1", limit=1)),
    "listFollowers": Case(follows.FOLLOWERS.endpoint, lambda c: c.follows.followers("1", limit=2)),
    "listFollowing": Case(follows.FOLLOWING.endpoint, lambda c: c.follows.following("1", limit=2)),
    "listFollowingFeed": Case(feed.FOLLOWING.endpoint, lambda c: c.feed.following(limit=6)),
    "listForYouFeed": Case(feed.FOR_YOU.endpoint, lambda c: c.feed.for_you(limit=6)),
    "listPosts": Case(posts.LIST.endpoint, lambda c: c.users.posts("1", limit=20)),
    "listPostsBySticker": Case(stickers.POSTS.endpoint, lambda c: c.stickers.posts("1", limit=20)),
    "listPostsInHashtag": Case(hashtags.POSTS.endpoint, lambda c: c.hashtags.posts("1", limit=20)),
    "listReceivedFollowRequests": Case(
        follows.REQUESTS.endpoint, lambda c: c.follows.requests(limit=20)
    ),
    "login": Case(LOGIN, lambda c: c.login_with_email("user@example.com", "pw")),
    "login-error": Case(LOGIN, lambda c: c.login_with_email("user@example.com", "pw")),
    "postComment": Case(posts.COMMENT, lambda c: c.posts.comment("1", "example comment")),
    "rejectFollowRequest": Case(follows.REJECT, lambda c: c.follows.reject("1")),
    "searchHashtags": Case(
        hashtags.SEARCH.endpoint, lambda c: c.hashtags.search("example", limit=1)
    ),
    "searchUsers": Case(users.SEARCH.endpoint, lambda c: c.users.search("example", limit=1)),
    "unfollow": Case(follows.UNFOLLOW, lambda c: c.follows.unfollow("1")),
    "unlikePost": Case(posts.UNLIKE, lambda c: c.posts.unlike("1")),
    "updateLiveStreamStatus": Case(live.UPDATE_STATUS, lambda c: c.live.update_status("1", "2", 2)),
}

ID_NAMES = {"id", "uid", "cid", "sid"}


def load(path: Path) -> Dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert type(data) is dict
    return data  # type: ignore[no-any-return]


def is_id(name: str) -> bool:
    return name in ID_NAMES or name.endswith("_id")


def check_ids(model: Any, data: Any, where: str) -> int:
    """Every id the body sends, at any depth, is an exact ``str`` in the model. Returns how many."""
    checked = 0
    for field in attrs.fields(type(model)):
        if field.name == "additional_properties" or field.name not in data:
            continue
        value, sent = getattr(model, field.name), data[field.name]
        here = f"{where}.{field.name}"
        if attrs.has(type(value)):
            checked += check_ids(value, sent, here)
        elif isinstance(value, list) and value and attrs.has(type(value[0])):
            for index, (item, sent_item) in enumerate(zip(value, sent)):
                checked += check_ids(item, sent_item, f"{here}[{index}]")
        elif is_id(field.name) and sent is not None:
            assert isinstance(value, str), f"{here} is {type(value).__name__}, not str"
            assert value == str(sent), f"{here}: {value!r} != {sent!r}"
            checked += 1
    return checked


def test_every_recorded_body_has_a_case() -> None:
    names = {path.stem for path in FILES}
    assert names, f"{FOLDER} holds no .json files"
    unmapped = sorted(names - CASES.keys())
    assert not unmapped, f"recorded bodies with no model in CASES: {unmapped}"
    missing = sorted(CASES.keys() - names)
    assert not missing, f"CASES names bodies that are not in {FOLDER}: {missing}"


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_body_parses_and_round_trips_exactly(path: Path) -> None:
    data = load(path)
    model = structure(data, CASES[path.stem].endpoint.response)
    assert json.dumps(tiktok.to_dict(model), sort_keys=True) == json.dumps(data, sort_keys=True)
    check_ids(model, data, path.stem)


def test_the_bodies_hold_big_ids_and_they_stay_exact() -> None:
    # Guard the guard: the id check above must have met numbers a float or int64 cannot hold.
    found: List[Tuple[str, int, int]] = []  # (where, value, must exceed)
    for path in FILES:
        model = structure(load(path), CASES[path.stem].endpoint.response)
        if path.stem in ("createLiveStreamRoom", "joinLiveStream"):
            found.append((f"{path.stem}.room_id", int(model.room.room_id), 2**63))
            found.append((f"{path.stem}.stream_url.sid", int(model.room.stream_url.sid), 2**53))
        if path.stem == "login":
            result = structure(model.data, tiktok.LoginResult)  # as the client's login reads it
            found.append(("login.data.user_id", int(result.user_id), 2**63))
    assert len(found) == 5, found
    for where, value, bound in found:
        assert value > bound, where


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_body_is_read_by_its_call_through_the_client(path: Path) -> None:
    case = CASES[path.stem]
    data = load(path)
    client = tiktok.Client(
        make_device(), RecordingSigner(), base_url=BASE_URL, retries=0, backoff=0
    )
    with responses.RequestsMock() as mock:
        mock.add(case.endpoint.method, BASE_URL + case.endpoint.path, json=data)
        if path.stem == "login-error":
            with pytest.raises(tiktok.LoginError) as caught:
                case.call(client)
            assert (caught.value.error_code, caught.value.description) == (1009, "Wrong password")
            return
        result = case.call(client)
        if isinstance(result, tiktok.Pager):
            items = list(result)
            assert len(mock.calls) == 1
            assert len(items) == len(
                getattr(structure(data, case.endpoint.response), result.items_key) or []
            )
        elif isinstance(result, bool):
            assert result is data["can_be_live_podcast"]
        elif isinstance(result, list):
            assert [s.id for s in result] == [s["id"] for s in data["sticker_infos"]]
        else:
            assert attrs.has(type(result))
