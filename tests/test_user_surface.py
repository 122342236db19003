"""What users asked for (issue 11): logid, one name per class, users.posts, from_dict,
datetimes beside the epoch fields, short reprs."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Dict

import pytest

import tiktok
from tests.conftest import endpoint_params, envelope, query_value, url
from tiktok._cli.output import json_line
from tiktok._converter import structure
from tiktok.models import PostPage, RoomResponse

USER = url("aweme/v1/user/")
POSTS = url("aweme/v1/aweme/post/")
BIG = "6800000000000000002"

# -- APIError.logid --------------------------------------------------------------------------


def test_an_api_error_carries_the_bodys_logid(client, rsps) -> None:
    rsps.get(USER, json={"status_code": 2065, "extra": {"now": 1, "logid": "2026120100ABCDEF"}})
    with pytest.raises(tiktok.APIError) as caught:
        client.users.get("1")
    assert caught.value.logid == "2026120100ABCDEF"


@pytest.mark.parametrize(
    "body",
    [
        {"status_code": 9},
        {"status_code": 9, "extra": []},
        {"status_code": 9, "extra": {"logid": 5}},
    ],
)
def test_no_usable_logid_is_none(client, rsps, body: Dict[str, Any]) -> None:
    rsps.get(USER, json=body)
    with pytest.raises(tiktok.APIError) as caught:
        client.users.get("1")
    assert caught.value.logid is None


def test_an_error_built_without_a_body_has_no_logid() -> None:
    assert tiktok.APIError("x").logid is None


# -- one public name per class ------------------------------------------------------------------


def test_status_8_raises_login_required_error_and_the_old_name_is_the_same_class(
    client, rsps
) -> None:
    rsps.get(USER, json={"status_code": 8, "status_msg": "Please login first"})
    with pytest.raises(tiktok.LoginRequiredError) as caught:
        client.users.get("1")
    with pytest.warns(DeprecationWarning, match="tiktok.LoginRequired is deprecated"):
        assert type(caught.value) is tiktok.LoginRequiredError is tiktok.LoginRequired


def test_every_class_is_listed_once_in_all() -> None:
    names: Dict[int, str] = {}
    twice = []
    for name in tiktok.__all__:
        obj = getattr(tiktok, name)
        if isinstance(obj, type):
            if id(obj) in names:
                twice.append((names[id(obj)], name))
            names[id(obj)] = name
    assert twice == []
    assert "TextExtra" in tiktok.__all__ and "Tag" not in tiktok.__all__
    assert tiktok.Tag is tiktok.TextExtra  # the other name still works


# -- users.posts ------------------------------------------------------------------------------


def test_users_posts_is_the_users_post_listing_and_posts_iter_the_same(client, rsps) -> None:
    for _ in range(2):
        rsps.get(POSTS, json=envelope(aweme_list=[{"aweme_id": "5"}], has_more=0, max_cursor=1))
    by_user = client.users.posts("9", count=3)
    with pytest.warns(DeprecationWarning, match=r"use client\.users\.posts"):
        by_post = client.posts.iter("9", count=3)
    assert [p.aweme_id for p in by_user] == [p.aweme_id for p in by_post] == ["5"]
    first, second = (endpoint_params(call.request.url) for call in rsps.calls)
    assert first == second and ("user_id", "9") in first and ("count", "3") in first
    assert query_value(rsps.calls[0].request.url, "user_id") == "9"


# -- from_dict --------------------------------------------------------------------------------

POST_BODY: Dict[str, Any] = {
    "aweme_id": "6900000000000200001",
    "desc": "hi",
    "create_time": 1599394680,
    "author": {"uid": int(BIG), "unique_id": "star", "new_key": [1, {"a": None}]},
    "statistics": {"digg_count": 3, "comment_count": 1},
    "text_extra": [{"begin": 0, "end": 2, "type": 0, "user_id": BIG}],
}


def test_from_dict_is_the_inverse_of_to_dict() -> None:
    post = structure(json.loads(json.dumps(POST_BODY)), tiktok.Post)
    again = tiktok.from_dict(tiktok.Post, tiktok.to_dict(post))
    assert again == post
    assert tiktok.to_dict(again) == POST_BODY
    assert isinstance(again.author, tiktok.User) and again.author.additional_properties == {
        "new_key": [1, {"a": None}]
    }


def test_from_dict_reads_the_clis_json_lines_back() -> None:
    page = structure({"status_code": 0, "aweme_list": [POST_BODY]}, PostPage)
    line = json_line(page.aweme_list[0])  # ids printed as strings
    post = tiktok.from_dict(tiktok.Post, json.loads(line))
    assert post.author is not None and post.author.uid == BIG
    assert post.text_extra is not None and post.text_extra[0].user_id == BIG


def test_from_dict_copies_the_data_it_is_given() -> None:
    data = json.loads(json.dumps(POST_BODY))
    post = tiktok.from_dict(tiktok.Post, data)
    data["text_extra"].clear()
    data["author"]["new_key"].append(2)
    assert post.text_extra is not None and len(post.text_extra) == 1
    assert post.author is not None and post.author.additional_properties["new_key"] == [
        1,
        {"a": None},
    ]


@pytest.mark.parametrize(("cl", "data"), [(dict, {}), (tiktok.Post, [1]), (tiktok.Post, "x")])
def test_from_dict_refuses_what_is_not_a_model_or_a_mapping(cl: Any, data: Any) -> None:
    with pytest.raises(TypeError):
        tiktok.from_dict(cl, data)


# -- datetimes beside the raw epoch fields --------------------------------------------------------


def test_created_at_is_an_aware_utc_datetime_and_the_raw_field_stays() -> None:
    post = tiktok.from_dict(tiktok.Post, POST_BODY)
    assert post.created_at == datetime(2020, 9, 6, 12, 18, tzinfo=timezone.utc)
    assert post.created_at is not None and post.created_at.tzinfo is not None
    assert post.create_time == 1599394680 and tiktok.to_dict(post)["create_time"] == 1599394680
    assert "created_at" not in tiktok.to_dict(post)
    comment = tiktok.Comment(create_time=0)
    assert comment.created_at == datetime(1970, 1, 1, tzinfo=timezone.utc)
    assert tiktok.User(create_time=86400).created_at == datetime(1970, 1, 2, tzinfo=timezone.utc)


def test_a_room_has_its_start_and_end() -> None:
    room = structure(
        {"status_code": 0, "room": {"room_id": 7, "create_time": 60, "finish_time": 120}},
        RoomResponse,
    ).room
    assert room is not None
    assert (room.created_at, room.finished_at) == (
        datetime(1970, 1, 1, 0, 1, tzinfo=timezone.utc),
        datetime(1970, 1, 1, 0, 2, tzinfo=timezone.utc),
    )


@pytest.mark.parametrize("value", [None, 10**20, -(10**20)])
def test_no_usable_time_is_none(value: Any) -> None:
    assert tiktok.Post(create_time=value).created_at is None


# -- short reprs --------------------------------------------------------------------------------


def test_a_post_prints_its_id_author_and_counts_not_everything() -> None:
    post = tiktok.from_dict(
        tiktok.Post,
        {
            **POST_BODY,
            "desc": "x" * 500,
            "video": {"play_addr": {"url_list": ["https://example.com/" + "v" * 2000]}},
            "statistics": {"digg_count": 3, "comment_count": 1, "play_count": 99},
        },
    )
    text = repr(post)
    assert text.startswith("Post(aweme_id='6900000000000200001', author='@star', desc='xxx")
    assert "digg_count=3, comment_count=1, play_count=99)" in text
    assert "video" not in text and len(text) < 200


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (
            tiktok.User(uid="1", unique_id="star", nickname="S", follower_count=5, signature="x"),
            "User(uid='1', unique_id='star', nickname='S', follower_count=5)",
        ),
        (
            tiktok.Comment(cid="2", text="nice", user=tiktok.User(uid="1"), digg_count=0),
            "Comment(cid='2', user='1', text='nice', digg_count=0)",
        ),
        (
            tiktok.Music(id="3", title="song", author="S", album="A"),
            "Music(id='3', title='song', author='S')",
        ),
        (
            tiktok.Hashtag(cid="4", cha_name="music", user_count=9, desc="d"),
            "Hashtag(cid='4', cha_name='music', user_count=9)",
        ),
        (
            tiktok.Sticker(id="5", name="Rapid", user_count=1, desc="d"),
            "Sticker(id='5', name='Rapid', user_count=1)",
        ),
        (
            tiktok.Room(room_id="6", title="live", status=2, owner=tiktok.User(unique_id="me")),
            "Room(room_id='6', owner='@me', title='live', status=2)",
        ),
    ],
)
def test_short_reprs(model: Any, expected: str) -> None:
    assert repr(model) == expected


# -- client.me() ------------------------------------------------------------------------------


def test_me_is_the_logged_in_account_also_after_a_saved_session_is_loaded(tmp_path) -> None:
    from tiktok.sandbox import SANDBOX_EMAIL, SANDBOX_PASSWORD, Sandbox

    with Sandbox(seed=0) as sandbox:
        with sandbox.client() as client:
            account = client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD).user_id
            me = client.me()
            assert account is not None and me.uid == account
            client.save_session(tmp_path / "session.json")
        saved = json.loads((tmp_path / "session.json").read_text())
        assert saved["user_id"] == account and type(saved["user_id"]) is str
        with sandbox.client() as resumed:
            resumed.load_session(tmp_path / "session.json")
            assert resumed.me().uid == account


def test_me_without_an_account_raises_before_sending(client, rsps, tmp_path) -> None:
    with pytest.raises(tiktok.LoginRequiredError, match="needs a login"):
        client.me()
    # A session saved before sessions kept the account's id: cookies load, me() still refuses.
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"version": 1, "token": "t", "cookies": []}))
    old.chmod(0o600)
    client.load_session(old)
    with pytest.raises(tiktok.LoginRequiredError):
        client.me()
    assert len(rsps.calls) == 0


@pytest.mark.parametrize("user_id", [5, "", "12a", "1" * 33, ["1"]])
def test_a_session_file_with_a_bad_user_id_is_refused(client, tmp_path, user_id: Any) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"version": 1, "token": "t", "cookies": [], "user_id": user_id}))
    bad.chmod(0o600)
    with pytest.raises(ValueError, match="user_id"):
        client.load_session(bad)


# -- the endpoint-to-result path is typed: explicit reads, checked ------------------------------


def test_a_read_with_another_envelope_than_the_endpoint_declares_is_a_type_error(
    client, rsps
) -> None:
    from tiktok.models import LikeResult
    from tiktok.resources._users import GET

    rsps.get(USER, json=envelope(user={"uid": "1"}))
    with pytest.raises(TypeError, match="aweme/v1/user/"):
        client.users._read(GET, LikeResult, user_id="1")


def test_resources_need_no_type_ignore() -> None:
    from pathlib import Path

    folder = Path(tiktok.__file__).parent / "resources"
    ignored = [
        f"{path.name}:{number}"
        for path in sorted(folder.glob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "type: ignore" in line
    ]
    assert ignored == []
