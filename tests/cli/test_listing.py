"""Listings against a ``tiktok sandbox`` server: JSON Lines, limits, the resume cursor, progress."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from typing import Any, Callable, Dict, List, Tuple

import pytest

from tiktok.sandbox import BIG_USER_ID

from .conftest import REPO, SANDBOX_SIGNER, TIMEOUT, Run, Server, run_cli

RESUME = re.compile(r"^next cursor: (\d+) \(resume with --cursor (\d+)\)$")


def resume_cursor(run: Run) -> str:
    """The cursor printed on stderr; it must be the only thing there (stderr is piped)."""
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    match = RESUME.match(lines[0])
    assert match is not None, lines[0]
    assert match.group(1) == match.group(2)
    return match.group(1)


def listing(server: Server, *args: str) -> Run:
    run = run_cli("--signer", SANDBOX_SIGNER, *args, env=server.env())
    assert run.returncode == 0, run.stderr
    return run


LISTINGS: Dict[str, Tuple[List[str], Callable[[Dict[str, Any]], Any]]] = {
    "posts list (cursor)": (["posts", "list", str(BIG_USER_ID)], lambda d: d["aweme_id"]),
    "follows followers (time)": (["follows", "followers", str(BIG_USER_ID)], lambda d: d["uid"]),
    "users search (offset)": (["users", "search", "dance"], lambda d: d["user_info"]["uid"]),
}


@pytest.mark.parametrize("name", list(LISTINGS))
def test_resuming_from_the_printed_cursor_continues_without_gap_or_overlap(
    server: Server, name: str
) -> None:
    args, key = LISTINGS[name]
    first = listing(server, *args, "--limit", "30", "--count", "20")
    first_ids = [key(d) for d in first.lines()]
    assert len(first_ids) == 30
    cursor = resume_cursor(first)

    second = listing(server, *args, "--limit", "30", "--count", "20", "--cursor", cursor)
    second_ids = [key(d) for d in second.lines()]
    assert len(second_ids) == 30
    assert not set(first_ids) & set(second_ids)

    whole = listing(server, *args, "--limit", "60", "--count", "20")
    assert [key(d) for d in whole.lines()] == first_ids + second_ids


def test_posts_list_gives_the_users_posts_as_json_lines(server: Server) -> None:
    run = listing(server, "posts", "list", str(BIG_USER_ID), "--limit", "5")
    posts = run.lines()
    assert len(posts) == 5
    assert all(str(p["author"]["uid"]) == str(BIG_USER_ID) for p in posts)
    assert len({p["aweme_id"] for p in posts}) == 5


def test_a_listing_that_reaches_its_end_prints_no_cursor() -> None:
    # The sandbox account's follow requests are a short listing.
    run = run_cli("--sandbox", "follows", "requests", "--all")
    assert run.returncode == 0, run.stderr
    assert run.lines(), "the sandbox account has pending follow requests"
    assert run.stderr == ""


def test_progress_is_drawn_on_a_terminal_and_cleared(server: Server) -> None:
    pty = pytest.importorskip("pty")
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "tiktok", "--signer", SANDBOX_SIGNER,
             "posts", "list", str(BIG_USER_ID), "--limit", "40", "--count", "20"],
            stdout=subprocess.PIPE, stderr=terminal, env=server.env(), cwd=REPO,
        )  # fmt: skip
        os.close(terminal)
        out, _ = process.communicate(timeout=TIMEOUT)
        seen = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # EIO: the terminal's other end is closed
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(controller)
    assert process.returncode == 0
    assert len(out.decode().splitlines()) == 40
    text = seen.decode()
    assert "posts list: 20 items, 1 page" in text
    assert "posts list: 40 items, 2 pages" in text
    # The progress line is erased, then the resume hint is printed and stays.
    assert "\r\x1b[Knext cursor: " in text, text
    assert RESUME.match(text.rsplit("\x1b[K", 1)[1].strip()), text


def test_ctrl_c_mid_listing_prints_a_cursor_that_resumes_without_a_gap(server: Server) -> None:
    # 35 a page, the most user posts serve (docs/protocol.rst (Page sizes)); the signal
    # comes after six whole pages.
    args = ["posts", "list", str(BIG_USER_ID), "--all", "--count", "35"]
    process = subprocess.Popen(
        [sys.executable, "-m", "tiktok", "--signer", SANDBOX_SIGNER, *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=server.env(), cwd=REPO,
    )  # fmt: skip
    assert process.stdout is not None
    first: List[str] = []
    try:
        while len(first) < 210:
            first.append(json.loads(process.stdout.readline())["aweme_id"])
        process.send_signal(signal.SIGINT)
        rest, err = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
    first += [json.loads(line)["aweme_id"] for line in rest.splitlines()]
    assert process.returncode == 130
    assert err.splitlines()[-1] == "interrupted"
    match = RESUME.match(err.splitlines()[0])
    assert match is not None, err

    resumed = listing(server, *args[:3], "--limit", "100", "--count", "35", "--cursor", match[1])
    resumed_ids = [d["aweme_id"] for d in resumed.lines()]
    whole = listing(server, *args[:3], "--limit", str(len(first) + 100), "--count", "35")
    whole_ids = [d["aweme_id"] for d in whole.lines()]
    assert whole_ids[: len(first)] == first
    # The resumed walk starts at or before the first item not yet written: never a gap.
    start = whole_ids.index(resumed_ids[0])
    assert start <= len(first)
    assert resumed_ids == whole_ids[start : start + len(resumed_ids)]


@pytest.mark.parametrize("command", [["feed", "for-you"], ["posts", "related", "1"]])
def test_all_on_an_endless_feed_is_refused(command: List[str]) -> None:
    # Issue 22: `--all` on a feed printed forever (529,004 lines before it was stopped).
    run = run_cli("--sandbox", *command, "--all")
    assert run.returncode == 2 and run.stdout == ""
    assert "is endless: --all would never stop; give --limit N" in run.error_line()


def test_posts_conversation_writes_comments_then_replies_with_their_parent_ids(
    server: Server,
) -> None:
    posts = listing(server, "posts", "list", str(BIG_USER_ID), "--limit", "10").lines()
    for post in posts:
        lines = listing(server, "posts", "conversation", post["aweme_id"], "--all").lines()
        replies = [line for line in lines if line["reply_id"] != "0"]
        if replies:
            break
    else:
        pytest.fail("no post with replies among 10")
    comments = listing(server, "posts", "comments", post["aweme_id"], "--all").lines()
    assert [line["cid"] for line in lines if line["reply_id"] == "0"] == [
        c["cid"] for c in comments
    ]
    parent = None
    for line in lines:
        if line["reply_id"] == "0":
            parent = line["cid"]
        else:
            assert line["reply_id"] == parent
    assert len(replies) == sum(c["reply_comment_total"] for c in comments)
