"""Every data command of the table, run in-process through ``main()`` against one sandbox.

The subprocess tests cover the process boundary; these cover every command's
arguments and results cheaply, sharing one sandbox and one saved session.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Set, Tuple

import pytest

from tiktok import Client, LiveStatus
from tiktok._cli.commands import COMMANDS
from tiktok._cli.main import main
from tiktok.sandbox import (
    BIG_USER_ID,
    SANDBOX_EMAIL,
    SANDBOX_PASSWORD,
    Sandbox,
    sandbox_device,
)
from tiktok.sandbox._constants import ACCOUNT_USER_ID

BIG = str(BIG_USER_ID)
Lines = List[Dict[str, Any]]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=0) as sb:
        yield sb


@pytest.fixture(scope="module")
def setup_client(sandbox: Sandbox) -> Iterator[Client]:
    """A logged-in client on the same sandbox, to find ids the commands need."""
    with sandbox.client() as client:
        client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
        yield client


@pytest.fixture(scope="module")
def session(sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Path:
    with sandbox.client() as client:
        client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
        path = tmp_path_factory.mktemp("cli") / "session.json"
        client.save_session(path)
    return path


@pytest.fixture
def cli(
    sandbox: Sandbox,
    session: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Callable[..., Lines]:
    device = sandbox_device()
    for name, value in {
        "TIKTOK_DEVICE_ID": device.device_id,
        "TIKTOK_IID": device.iid,
        "TIKTOK_OPENUDID": device.openudid,
        "TIKTOK_FP": device.fp,
        "TIKTOK_BASE_URL": sandbox.url,
        "TIKTOK_SIGNER": "tiktok.sandbox:SandboxSigner",
        "TIKTOK_SESSION": str(session),
    }.items():
        monkeypatch.setenv(name, value)

    def run(*argv: str) -> Lines:
        capsys.readouterr()
        status = main(list(argv))
        captured = capsys.readouterr()
        assert status == 0, captured.err
        return [json.loads(line) for line in captured.out.splitlines()]

    return run


def room_status(client: Client, room_id: Any) -> Any:
    return client.live.join(str(room_id)).status


def account_followers(client: Client) -> Set[str]:
    return {str(u.uid) for u in client.follows.followers(ACCOUNT_USER_ID, count=100, limit=None)}


def first_post(client: Client) -> str:
    return str(next(iter(client.users.posts(BIG, limit=1))).aweme_id)


# (group action) -> test body taking (cli, setup client)
Check = Callable[[Callable[..., Lines], Client], None]
CHECKS: Dict[Tuple[str, str], Check] = {}


def check(group: str, action: str) -> Callable[[Check], Check]:
    def register(function: Check) -> Check:
        CHECKS[(group, action)] = function
        return function

    return register


@check("users", "get")
def _(cli: Callable[..., Lines], client: Client) -> None:
    assert [str(u["uid"]) for u in cli("users", "get", BIG)] == [BIG]


@check("users", "search")
def _(cli: Callable[..., Lines], client: Client) -> None:
    assert len(cli("users", "search", "cat", "--limit", "3")) == 3


@check("users", "qr-code")
def _(cli: Callable[..., Lines], client: Client) -> None:
    (qr,) = cli("users", "qr-code", BIG)
    assert qr["url_list"]


@check("users", "by-username")
def _(cli: Callable[..., Lines], client: Client) -> None:
    assert [str(u["uid"]) for u in cli("users", "by-username", "@Sandbox.Star")] == [BIG]


@check("users", "liked")
def _(cli: Callable[..., Lines], client: Client) -> None:
    liked = cli("users", "liked", BIG, "--limit", "7", "--count", "5")
    assert [str(p["aweme_id"]) for p in liked] == [
        str(p.aweme_id) for p in client.users.liked(BIG, limit=7)
    ]


@check("posts", "get-many")
def _(cli: Callable[..., Lines], client: Client) -> None:
    ids = [str(p.aweme_id) for p in client.users.posts(BIG, limit=3)][::-1]
    assert [str(p["aweme_id"]) for p in cli("posts", "get-many", *ids)] == ids


@check("posts", "replies")
def _(cli: Callable[..., Lines], client: Client) -> None:
    for post in client.users.posts(BIG, limit=20):
        for comment in client.posts.comments(str(post.aweme_id)):
            if comment.reply_comment_total:
                replies = cli("posts", "replies", str(comment.cid), str(post.aweme_id))
                assert len(replies) == comment.reply_comment_total
                assert {str(r["reply_id"]) for r in replies} == {str(comment.cid)}
                return
    raise AssertionError("no comment with replies")


@check("posts", "search")
def _(cli: Callable[..., Lines], client: Client) -> None:
    posts = cli("posts", "search", "wait for it", "--limit", "4")
    assert len(posts) == 4 and all("wait for it" in p["desc"] for p in posts)


@check("posts", "related")
def _(cli: Callable[..., Lines], client: Client) -> None:
    assert len(cli("posts", "related", first_post(client), "--limit", "8")) == 8


@check("hashtags", "get")
def _(cli: Callable[..., Lines], client: Client) -> None:
    assert [str(h["cid"]) for h in cli("hashtags", "get", "10000042")] == ["10000042"]


@check("music", "get")
def _(cli: Callable[..., Lines], client: Client) -> None:
    post = client.posts.get(first_post(client))
    assert post.music is not None
    assert [str(m["id"]) for m in cli("music", "get", str(post.music.id))] == [str(post.music.id)]


@check("music", "posts")
def _(cli: Callable[..., Lines], client: Client) -> None:
    post_id = first_post(client)
    music = client.posts.get(post_id).music
    assert music is not None
    posts = cli("music", "posts", str(music.id), "--limit", "3")
    assert len(posts) == 3 and str(posts[0]["aweme_id"]) == post_id


@check("posts", "get")
def _(cli: Callable[..., Lines], client: Client) -> None:
    post_id = first_post(client)
    assert [str(p["aweme_id"]) for p in cli("posts", "get", post_id)] == [post_id]


@check("posts", "list")
def _(cli: Callable[..., Lines], client: Client) -> None:
    assert len(cli("posts", "list", BIG, "--limit", "7", "--count", "5")) == 7


@check("posts", "comments")
def _(cli: Callable[..., Lines], client: Client) -> None:
    comments = cli("posts", "comments", first_post(client), "--limit", "4")
    assert len({c["cid"] for c in comments}) == 4


@check("posts", "conversation")
def _(cli: Callable[..., Lines], client: Client) -> None:
    post_id = first_post(client)
    lines = cli("posts", "conversation", post_id, "--limit", "30")
    expected = [c.cid for c in client.posts.conversation(post_id, limit=30)]
    assert [str(line["cid"]) for line in lines] == expected


@check("posts", "comment")
def _(cli: Callable[..., Lines], client: Client) -> None:
    post_id = first_post(client)
    (comment,) = cli("posts", "comment", post_id, "every command")
    listed = client.posts.comments(post_id, count=100, limit=5000)
    assert comment["cid"] in {c.cid for c in listed}


@check("posts", "like")
def _(cli: Callable[..., Lines], client: Client) -> None:
    (line,) = cli("posts", "like", first_post(client))
    assert (line["liked"], line["is_digg"]) == (True, 0)


@check("posts", "unlike")
def _(cli: Callable[..., Lines], client: Client) -> None:
    (line,) = cli("posts", "unlike", first_post(client))
    assert (line["liked"], line["is_digg"]) == (False, 1)


@check("feed", "for-you")
def _(cli: Callable[..., Lines], client: Client) -> None:
    assert len(cli("feed", "for-you", "--limit", "8")) == 8


@check("feed", "following")
def _(cli: Callable[..., Lines], client: Client) -> None:
    client.follows.follow(BIG)
    try:
        assert len(cli("feed", "following", "--limit", "5")) == 5
    finally:
        client.follows.unfollow(BIG)


@check("follows", "followers")
def _(cli: Callable[..., Lines], client: Client) -> None:
    assert len(cli("follows", "followers", BIG, "--limit", "5")) == 5


@check("follows", "following")
def _(cli: Callable[..., Lines], client: Client) -> None:
    assert len(cli("follows", "following", BIG, "--limit", "5")) == 5


@check("follows", "follow")
def _(cli: Callable[..., Lines], client: Client) -> None:
    assert cli("follows", "follow", BIG)[0]["follow_status"] == 1
    assert client.users.get(BIG).follow_status == 1
    client.follows.unfollow(BIG)


@check("follows", "unfollow")
def _(cli: Callable[..., Lines], client: Client) -> None:
    client.follows.follow(BIG)
    assert cli("follows", "unfollow", BIG)[0]["follow_status"] == 0


@check("follows", "requests")
def _(cli: Callable[..., Lines], client: Client) -> None:
    listed = [str(u["uid"]) for u in cli("follows", "requests", "--all")]
    assert listed == [str(u.uid) for u in client.follows.requests(limit=None)]
    assert listed


@check("follows", "approve")
def _(cli: Callable[..., Lines], client: Client) -> None:
    uid = str(next(iter(client.follows.requests(limit=1))).uid)
    cli("follows", "approve", uid)
    assert uid not in {str(u.uid) for u in client.follows.requests(limit=None)}
    assert uid in account_followers(client)


@check("follows", "reject")
def _(cli: Callable[..., Lines], client: Client) -> None:
    uid = str(next(iter(client.follows.requests(limit=1))).uid)
    cli("follows", "reject", uid)
    assert uid not in {str(u.uid) for u in client.follows.requests(limit=None)}
    assert uid not in account_followers(client)


@check("hashtags", "categories")
def _(cli: Callable[..., Lines], client: Client) -> None:
    assert len(cli("hashtags", "categories", "--limit", "3")) == 3


@check("hashtags", "search")
def _(cli: Callable[..., Lines], client: Client) -> None:
    assert len(cli("hashtags", "search", "fun", "--limit", "2")) == 2


@check("hashtags", "posts")
def _(cli: Callable[..., Lines], client: Client) -> None:
    cid = next(iter(client.hashtags.search("fun", limit=1))).challenge_info.cid  # type: ignore[union-attr]
    assert len(cli("hashtags", "posts", str(cid), "--limit", "3")) == 3


@check("links", "resolve")
def _(cli: Callable[..., Lines], client: Client) -> None:
    link = "https://www.tiktok.com/@sandbox.star/video/6900000000000200000?lang=en"
    assert cli("links", "resolve", link) == [
        {"kind": "post", "id": "6900000000000200000", "name": "sandbox.star"}
    ]


@check("stickers", "get")
def _(cli: Callable[..., Lines], client: Client) -> None:
    assert [str(s["id"]) for s in cli("stickers", "get", "42")] == ["42"]


@check("stickers", "posts")
def _(cli: Callable[..., Lines], client: Client) -> None:
    assert len(cli("stickers", "posts", "42", "--limit", "3")) == 3


@check("live", "join")
def _(cli: Callable[..., Lines], client: Client) -> None:
    assert str(cli("live", "join", "77")[0]["room_id"]) == "77"


@check("live", "leave")
def _(cli: Callable[..., Lines], client: Client) -> None:
    assert cli("live", "leave", "77")[0]["status_code"] == 0


@check("live", "can-start")
def _(cli: Callable[..., Lines], client: Client) -> None:
    assert cli("live", "can-start") == [{"can_be_live_podcast": client.live.can_start()}]


@check("live", "start")
def _(cli: Callable[..., Lines], client: Client) -> None:
    (room,) = cli("live", "start", "every command")
    assert room_status(client, room["room_id"]) == LiveStatus.STARTED
    client.live.end(str(room["room_id"]), str(room["stream_id"]))


@check("live", "end")
def _(cli: Callable[..., Lines], client: Client) -> None:
    room = client.live.start("to be ended")
    assert cli("live", "end", str(room.room_id), str(room.stream_id))[0]["status_code"] == 0
    assert room_status(client, room.room_id) == LiveStatus.ENDED


@check("live", "create-room")
def _(cli: Callable[..., Lines], client: Client) -> None:
    (room,) = cli("live", "create-room", "not started", "--contacts-authorized")
    assert room["title"] == "not started"
    assert room_status(client, room["room_id"]) == LiveStatus.CREATED


@check("live", "update-status")
def _(cli: Callable[..., Lines], client: Client) -> None:
    room = client.live.create_room("moved by the cli")
    ids = (str(room.room_id), str(room.stream_id))
    cli("live", "update-status", *ids, "started", "--reason", "app")
    assert room_status(client, room.room_id) == LiveStatus.STARTED
    cli("live", "update-status", *ids, "ended")
    assert room_status(client, room.room_id) == LiveStatus.ENDED


def test_every_command_has_a_check() -> None:
    assert set(CHECKS) == {(c.group, c.name) for c in COMMANDS}


@pytest.mark.parametrize("key", list(CHECKS), ids=" ".join)
def test_command(key: Tuple[str, str], cli: Callable[..., Lines], setup_client: Client) -> None:
    CHECKS[key](cli, setup_client)


# -- handles and links wherever an id goes ---------------------------------------------------


def test_a_handle_or_a_profile_link_goes_where_a_user_id_goes(
    cli: Callable[..., Lines], setup_client: Client
) -> None:
    sec_uid = setup_client.users.get(BIG).sec_uid
    assert sec_uid
    refs = ("@sandbox.star", "@SANDBOX.STAR", "https://www.tiktok.com/@sandbox.star", sec_uid)
    for ref in refs:
        assert [str(u["uid"]) for u in cli("users", "get", ref)] == [BIG]
    followers = cli("follows", "followers", "@sandbox.star", "--limit", "3")
    assert followers == cli("follows", "followers", BIG, "--limit", "3")


def test_a_link_goes_where_a_post_music_or_hashtag_id_goes(
    cli: Callable[..., Lines], setup_client: Client
) -> None:
    post_id = first_post(setup_client)
    link = f"https://www.tiktok.com/@sandbox.star/video/{post_id}"
    assert [str(p["aweme_id"]) for p in cli("posts", "get", link)] == [post_id]
    other = [str(p.aweme_id) for p in setup_client.users.posts(BIG, limit=2)][1]
    short = f"m.tiktok.com/v/{post_id}.html"
    got = cli("posts", "get-many", link, other, short)
    assert [str(p["aweme_id"]) for p in got] == [post_id, other]  # asked twice, given once
    music = setup_client.posts.get(post_id).music
    assert music is not None
    music_link = f"https://www.tiktok.com/music/original-sound-{music.id}"
    assert [str(m["id"]) for m in cli("music", "get", music_link)] == [str(music.id)]
    hit = next(iter(setup_client.hashtags.search("dance", limit=1))).challenge_info
    assert hit is not None and hit.cha_name == "dance"
    tag_link = "https://www.tiktok.com/tag/dance"
    assert [str(h["cid"]) for h in cli("hashtags", "get", tag_link)] == [str(hit.cid)]


@pytest.mark.parametrize(
    "argv",
    [
        ("users", "get", "https://www.tiktok.com/@x/video/6900000000000200000"),
        ("posts", "get", "https://www.tiktok.com/music/x-6600000000000000001"),
        ("posts", "get", "https://example.com/@x/video/1"),
        ("posts", "get", "@sandbox.star"),
        ("users", "get", "sandbox.star"),
    ],
)
def test_a_link_of_another_kind_is_a_usage_error(
    cli: Callable[..., Lines], capsys: pytest.CaptureFixture[str], argv: Tuple[str, ...]
) -> None:
    try:
        status = main(list(argv))
    except SystemExit as exc:  # argparse refuses what is neither an id nor a link
        status = exc.code
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.splitlines()) == 1
