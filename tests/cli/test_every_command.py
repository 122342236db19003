"""Every data command of the table, run in-process through ``main()`` against one sandbox.

The subprocess tests cover the process boundary; these cover every command's
arguments and results cheaply, sharing one sandbox and one saved session.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Set, Tuple

import pytest

from tiktok import Client, Envelope, LiveStatus, Pager
from tiktok._cli.commands import COMMANDS, command_of
from tiktok._cli.main import main
from tiktok._cli.output import json_line
from tiktok.resources._declare import Call, Paging, Shape, calls
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


@check("feed", "following")
def _(cli: Callable[..., Lines], client: Client) -> None:
    client.follows.follow(BIG)
    try:
        assert len(cli("feed", "following", "--limit", "5")) == 5
    finally:
        client.follows.unfollow(BIG)


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


@check("links", "resolve")
def _(cli: Callable[..., Lines], client: Client) -> None:
    link = "https://www.tiktok.com/@sandbox.star/video/6900000000000200000?lang=en"
    assert cli("links", "resolve", link) == [
        {"kind": "post", "id": "6900000000000200000", "name": "sandbox.star"}
    ]


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
    """Each command reading the API is checked against the library by its declaration; the
    others (writes, the account's own listings, links) by what they change or answer."""
    generated = {(c.group, c.name) for c in map(command_of, READS)}
    assert set(CHECKS) | generated == {(c.group, c.name) for c in COMMANDS}
    assert not set(CHECKS) & generated


@pytest.mark.parametrize("key", list(CHECKS), ids=" ".join)
def test_command(key: Tuple[str, str], cli: Callable[..., Lines], setup_client: Client) -> None:
    CHECKS[key](cli, setup_client)


# -- every command that reads: its output is the library's answer to the same call ----------

# The calls that only read what is there (writes and the account's own listings are checked
# above by what they change).
READS = [call for call in calls() if call.command is not None and not call.login]
# Texts the sandbox has matches for, by parameter name.
TEXTS = {"keyword": "cat", "name": "@Sandbox.Star"}


@pytest.fixture(scope="module")
def sample_ids(setup_client: Client) -> Dict[str, List[str]]:
    """Ids of each kind with something behind them: a post with a comment that has replies."""
    client = setup_client
    for post in client.users.posts(BIG, limit=20):
        replied = [c for c in client.posts.comments(str(post.aweme_id)) if c.reply_comment_total]
        if replied and post.music is not None:
            break
    else:
        raise AssertionError("no post with a replied comment")
    posts = [str(p.aweme_id) for p in client.users.posts(BIG, limit=3)]
    return {
        "user": [BIG],
        "post": [str(post.aweme_id), *posts[::-1]],
        "music": [str(post.music.id)],
        "hashtag": ["10000042"],
        "sticker": ["294466", "100001"],
        "comment": [str(replied[0].cid)],
        "room": ["77"],
    }


def arguments(call: Call, ids: Dict[str, List[str]]) -> Dict[str, Any]:
    """A value for each required argument of the call: ids of its kind, texts by name."""
    values: Dict[str, Any] = {}
    for param in call.params:
        if not param.required:
            continue
        if param.shape in (Shape.ID, Shape.IDS):
            assert param.of is not None
            kind = ids[param.of]
            values[param.name] = kind[0] if param.shape is Shape.ID else kind
        else:
            assert param.shape is Shape.TEXT, f"{call.qualname}: no sample for {param}"
            values[param.name] = TEXTS[param.name]
    return values


def lines_of(result: Any) -> Lines:
    """What the command line prints for a result, as parsed JSON."""
    values = result if isinstance(result, (list, Pager)) else [result]
    return [json.loads(json_line(value)) for value in values]


def answered(lines: Lines) -> Lines:
    """Whole answers without ``extra``: the server's time and log id differ each time."""
    return [{key: value for key, value in line.items() if key != "extra"} for line in lines]


@pytest.mark.parametrize("call", READS, ids=lambda call: call.qualname)
def test_a_reading_command_prints_what_the_library_answers(
    call: Call,
    cli: Callable[..., Lines],
    setup_client: Client,
    sample_ids: Dict[str, List[str]],
) -> None:
    command = command_of(call)
    values = arguments(call, sample_ids)
    argv = [command.group, command.name]
    for value in values.values():  # in the order the command takes them
        argv += value if isinstance(value, list) else [value]
    resource = setup_client.resource(call.resource)
    if call.paging is Paging.FEED:  # endless, and a feed answers anew each time
        assert len(cli(*argv, "--limit", "8")) == 8
        return
    if call.paging is Paging.LISTING:
        printed = cli(*argv, "--limit", "7", "--count", "3")
        expected = lines_of(call.function(resource, **values, limit=7, count=3))
        assert len(printed) == min(7, len(expected)) > 0
    else:
        printed = cli(*argv)
        result = call.function(resource, **values)
        expected = lines_of(result)
        if isinstance(result, Envelope):  # the whole answer
            printed, expected = answered(printed), answered(expected)
    assert printed == expected


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
