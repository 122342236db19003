"""The CLI's JSON Lines: every id a string (jq reads numbers as doubles), other values as sent."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterator

import pytest

import tiktok
from tiktok._cli.output import json_line
from tiktok._converter import structure
from tiktok.models import PostPage

from ..reliability._scripted import DEVICE, ScriptServer, ok
from .conftest import Run, clean_env, run_cli

BIG = 6800000000000000002  # above 2**53: a double cannot hold it


def test_ids_sent_as_numbers_print_as_strings_everything_else_as_sent() -> None:
    body = {
        "status_code": 0,
        "has_more": 1,
        "max_cursor": 1599394680000,
        "aweme_list": [
            {
                "aweme_id": 6900000000000200001,
                "create_time": 1599394680,
                "desc": 12345,  # a number in a text field: not an id, given back as sent
                "author": {"uid": BIG, "follower_count": 250000},
                "statistics": {"aweme_id": "6900000000000200001", "digg_count": 7},
                "text_extra": [{"begin": 0, "end": 4, "type": 0, "user_id": BIG}],
                "future_key": {"some_id": BIG},
            }
        ],
    }
    page = structure(body, PostPage)
    line = json.loads(json_line(page))
    (post,) = line["aweme_list"]
    assert post["aweme_id"] == "6900000000000200001"
    assert post["author"]["uid"] == str(BIG)
    assert post["text_extra"][0]["user_id"] == str(BIG)
    assert post["statistics"]["aweme_id"] == "6900000000000200001"
    # Not ids: numbers stay numbers; unknown keys stay exactly as they came.
    assert (post["create_time"], post["author"]["follower_count"]) == (1599394680, 250000)
    assert (line["max_cursor"], line["has_more"], post["statistics"]["digg_count"]) == (
        1599394680000,
        1,
        7,
    )
    assert post["future_key"] == {"some_id": BIG}
    assert post["desc"] == 12345
    # to_dict keeps what the API sent; only the CLI's lines change.
    assert tiktok.to_dict(page)["aweme_list"][0]["author"]["uid"] == BIG


def test_a_plain_dict_line_is_left_alone() -> None:
    assert json.loads(json_line({"uid": 5, "ok": True})) == {"uid": 5, "ok": True}


# -- API text on a terminal (issue 22) -------------------------------------------------------

# OSC (set the title, here), clear screen, a bell, and the one-byte C1 CSI and OSC.
HOSTILE = "\x1b]0;owned\x07\x1b[2J\x1b[3J\x9b2J\x9d0;x\x9c\x7fend"
CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # every control but the newline


@pytest.fixture(scope="module")
def api() -> Iterator[ScriptServer]:
    """A local API that answers with hostile text."""
    server = ScriptServer()
    try:
        yield server
    finally:
        server.close()


def _cli_on(api: ScriptServer, *args: str) -> Run:
    env = clean_env(
        TIKTOK_BASE_URL=api.url,
        TIKTOK_SIGNER="tests.reliability._scripted:append_signature",
        TIKTOK_DEVICE_ID=DEVICE.device_id,
        TIKTOK_IID=DEVICE.iid,
        TIKTOK_OPENUDID=DEVICE.openudid,
        TIKTOK_FP=DEVICE.fp,
    )
    return run_cli(*args, "--retries", "0", env=env)


def test_api_text_reaches_the_terminal_escaped_and_json_stays_exact(api: ScriptServer) -> None:
    api.script(ok({"status_code": 0, "user": {"uid": "1", "nickname": HOSTILE}}))
    run = _cli_on(api, "users", "get", "1")
    assert run.returncode == 0, run.stderr
    assert not CONTROLS.findall(run.stdout)
    assert run.lines() == [{"uid": "1", "nickname": HOSTILE}]

    api.script(ok({"status_code": 9, "status_msg": HOSTILE}))
    failed = _cli_on(api, "users", "get", "1")
    assert failed.returncode == 1
    assert not CONTROLS.findall(failed.stderr)
    assert "(\\x1b]0;owned\\x07\\x1b[2J\\x1b[3J\\x9b2J\\x9d0;x\\x9c\\x7fend)" in failed.error_line()


def test_a_crawl_prints_the_api_text_of_a_failed_target_escaped(
    api: ScriptServer, tmp_path: Path
) -> None:
    api.script(ok({"status_code": 9, "status_msg": HOSTILE}))
    run = _cli_on(api, "crawl", "run", "followers:1", "--store", str(tmp_path / "c.db"))
    assert run.returncode == 1
    assert "error: followers:1: " in run.stderr and "\\x1b]0;owned\\x07" in run.stderr
    assert not CONTROLS.findall(run.stderr)


def test_ctrl_c_while_a_page_is_written_stops_after_its_last_whole_line() -> None:
    # A KeyboardInterrupt inside a write to a full pipe cut a JSON line in half: the
    # signal now takes effect once the page is out (the resume cursor is the next page's).
    import io
    import os
    import signal

    from tiktok._cli.output import stream
    from tiktok.pagination import Pager, Style

    pages = [{"aweme_list": [{"aweme_id": str(n)} for n in range(k, k + 3)],
              "has_more": 1, "cursor": k + 3} for k in (0, 3, 6)]  # fmt: skip

    def fetch(cursor: object, count: int) -> PostPage:
        return structure(pages[int(cursor or 0) // 3], PostPage)

    class Interrupted(io.StringIO):
        def write(self, text: str) -> int:
            written = super().write(text)
            if self.getvalue().count("\n") == 4:  # the second line of the second page
                os.kill(os.getpid(), signal.SIGINT)
            return written

    out, err = Interrupted(), io.StringIO()
    # As the command line has it (a run started in the background would ignore SIGINT).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            stream(Pager(fetch, style=Style.OFFSET, items_key="aweme_list", count=3), out, err,
                   label="posts")  # fmt: skip
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)
    assert [json.loads(line)["aweme_id"] for line in out.getvalue().splitlines()] == [
        str(n) for n in range(6)
    ]
    assert "resume with --cursor 6" in err.getvalue()
