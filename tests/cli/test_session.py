"""``tiktok login`` stores a session that later commands use with ``--session``."""

from __future__ import annotations

import stat
from pathlib import Path

from tiktok.sandbox import BIG_USER_ID, SANDBOX_EMAIL, SANDBOX_PASSWORD, SANDBOX_USERNAME

from .conftest import SANDBOX_SIGNER, Server, run_cli


def test_login_saves_a_private_session_that_write_commands_use(
    server: Server, tmp_path: Path
) -> None:
    session = tmp_path / "session.json"
    env = server.env(TIKTOK_SIGNER=SANDBOX_SIGNER, TIKTOK_PASSWORD=SANDBOX_PASSWORD)
    login = run_cli("login", "--email", SANDBOX_EMAIL, "--session", str(session), env=env)
    assert login.returncode == 0, login.stderr
    (result,) = login.lines()
    # Issue 22: every id is a string on stdout (docs/cli.rst), the login's user_id too.
    assert isinstance(result["user_id"], str) and result["user_id"].isdigit()
    assert "session_key" not in result  # a secret: it stays in the file
    assert "session saved to" in login.stderr
    assert stat.S_IMODE(session.stat().st_mode) == 0o600

    posts = run_cli("posts", "list", str(BIG_USER_ID), "--limit", "1", env=env)
    post_id = str(posts.lines()[0]["aweme_id"])
    anonymous = run_cli("posts", "comment", post_id, "hi", env=env)
    assert anonymous.returncode == 1

    commented = run_cli(
        "--session", str(session), "posts", "comment", post_id, "from the cli", env=env
    )
    assert commented.returncode == 0, commented.stderr
    (comment,) = commented.lines()
    listed = run_cli("posts", "comments", post_id, "--limit", "2000", "--count", "100", env=env)
    assert comment["cid"] in {c["cid"] for c in listed.lines()}


def test_login_with_username_and_the_session_env_var(server: Server, tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    env = server.env(
        TIKTOK_SIGNER=SANDBOX_SIGNER, TIKTOK_PASSWORD=SANDBOX_PASSWORD, TIKTOK_SESSION=str(session)
    )
    assert run_cli("login", "--username", SANDBOX_USERNAME, env=env).returncode == 0
    (room,) = run_cli("live", "start", "from a saved session", env=env).lines()
    ended = run_cli("live", "end", str(room["room_id"]), str(room["stream_id"]), env=env)
    assert ended.returncode == 0, ended.stderr


def test_wrong_password_is_a_login_error(server: Server, tmp_path: Path) -> None:
    env = server.env(TIKTOK_SIGNER=SANDBOX_SIGNER, TIKTOK_PASSWORD="wrong-password")
    session = tmp_path / "s.json"
    run = run_cli("login", "--email", SANDBOX_EMAIL, "--session", str(session), env=env)
    assert run.returncode == 1
    assert "login failed" in run.error_line()
    assert not session.exists()


def test_login_without_a_password_or_terminal_is_a_usage_error(
    server: Server, tmp_path: Path
) -> None:
    env = server.env(TIKTOK_SIGNER=SANDBOX_SIGNER)
    run = run_cli("login", "--email", SANDBOX_EMAIL, "--session", str(tmp_path / "s"), env=env)
    assert run.returncode == 2
    assert "TIKTOK_PASSWORD" in run.error_line()


def test_missing_session_file_says_how_to_create_it(server: Server, tmp_path: Path) -> None:
    env = server.env(TIKTOK_SIGNER=SANDBOX_SIGNER)
    missing = tmp_path / "nope.json"
    run = run_cli("--session", str(missing), "users", "get", "1", env=env)
    assert run.returncode == 2
    assert "tiktok login" in run.error_line()
