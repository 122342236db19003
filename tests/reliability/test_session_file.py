"""Hostile session files: every value checked, all or nothing, no secret quoted, no blocking.

And ``save_session``'s temporary file never outlives a failed save, even one
whose process is killed in the middle.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import tracemalloc
from pathlib import Path
from typing import Any, Dict, List

import pytest

import tiktok
from tiktok._sessions import (
    MAX_FILE,
    SavedCookie,
    SessionState,
    read_session,
    validate_session_state,
    write_session,
)

from ._scripted import DEVICE, append_signature

SECRET_COOKIE = "c00kie5ecret9f8e7d"
SECRET_TOKEN = "t0ken5ecret1a2b3c4"
SECRETS = (SECRET_COOKIE, SECRET_TOKEN)
GOOD_COOKIE: Dict[str, Any] = {
    "name": "sessionid",
    "value": SECRET_COOKIE,
    "domain": "127.0.0.1",
    "path": "/",
    "secure": False,
    "expires": None,
}


def state(**changes: Any) -> Dict[str, Any]:
    data: Dict[str, Any] = {"version": 1, "token": SECRET_TOKEN, "cookies": [dict(GOOD_COOKIE)]}
    data.update(changes)
    return data


def cookie(**changes: Any) -> Dict[str, Any]:
    return {**GOOD_COOKIE, **changes}


def client() -> tiktok.Client:
    return tiktok.Client(DEVICE, append_signature, base_url="http://127.0.0.1:9/")


def saved(folder: Path, data: object, name: str = "session.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(data))
    path.chmod(0o600)
    return path


def deep(levels: int) -> Any:
    value: Any = []
    for _ in range(levels):
        value = [value]
    return value


HOSTILE: Dict[str, Any] = {
    "not an object": [],
    "a string": "session",
    "unknown key": state(admin=True),
    "no version": {"token": SECRET_TOKEN, "cookies": []},
    "version 2": state(version=2),
    "version as bool": state(version=True),
    "token with CR LF": state(token=SECRET_TOKEN + "\r\nX-Admin: 1"),
    "token with a semicolon": state(token=SECRET_TOKEN + ";a=1"),
    "token with a comma": state(token=SECRET_TOKEN + ",a"),
    "token with a space": state(token=SECRET_TOKEN + " a"),
    "token non-ASCII": state(token=SECRET_TOKEN + "\u00e9"),
    "token empty": state(token=""),
    "token huge": state(token="a" * 5000),
    "token a number": state(token=12345),
    "token a list": state(token=[SECRET_TOKEN]),
    "cookies an object": state(cookies={"sessionid": SECRET_COOKIE}),
    "too many cookies": state(cookies=[dict(GOOD_COOKIE)] * 101),
    "cookie a string": state(cookies=["sessionid=" + SECRET_COOKIE]),
    "cookie injects another": state(cookies=[cookie(value=SECRET_COOKIE + "; admin=1")]),
    "cookie value with a comma": state(cookies=[cookie(value=SECRET_COOKIE + ",x")]),
    "cookie value with CR LF": state(cookies=[cookie(value=SECRET_COOKIE + "\r\nSet: 1")]),
    "cookie value with a NUL": state(cookies=[cookie(value=SECRET_COOKIE + "\x00")]),
    "cookie value huge": state(cookies=[cookie(value="a" * 5000)]),
    "cookie value a number": state(cookies=[cookie(value=5)]),
    "cookie name with =": state(cookies=[cookie(name="a=b")]),
    "cookie name with a space": state(cookies=[cookie(name="session id")]),
    "cookie name empty": state(cookies=[cookie(name="")]),
    "cookie name missing": state(cookies=[{"value": SECRET_COOKIE}]),
    "cookie unknown key": state(cookies=[cookie(httponly=True)]),
    "domain with a slash": state(cookies=[cookie(domain="evil.com/x")]),
    "domain a list": state(cookies=[cookie(domain=["a"])]),
    "path without a slash": state(cookies=[cookie(path="x")]),
    "path with a semicolon": state(cookies=[cookie(path="/;a")]),
    "secure as a string": state(cookies=[cookie(secure="yes")]),
    "expires as bool": state(cookies=[cookie(expires=True)]),
    "expires huge": state(cookies=[cookie(expires=10**400)]),
    "expires negative": state(cookies=[cookie(expires=-1)]),
    "expires a float": state(cookies=[cookie(expires=1.5)]),
    "expires a string": state(cookies=[cookie(expires="never")]),
    "deeply nested": state(cookies=deep(50)),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_validation_refuses_with_a_value_error_that_quotes_no_secret(name: str) -> None:
    with pytest.raises(ValueError) as caught:
        validate_session_state(HOSTILE[name])
    message = str(caught.value)
    assert not [secret for secret in SECRETS if secret in message]
    assert caught.value.__cause__ is None and caught.value.__context__ is None


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_is_refused_and_applies_nothing(name: str, tmp_path: Path) -> None:
    path = saved(tmp_path, HOSTILE[name])
    fresh = client()
    with pytest.raises(ValueError) as caught:
        fresh.load_session(path)
    assert str(path) in str(caught.value)
    assert not [secret for secret in SECRETS if secret in str(caught.value)]
    assert not fresh.logged_in


def test_a_refused_file_leaves_the_clients_session_as_it_was(tmp_path: Path) -> None:
    first = saved(tmp_path, state(), "first.json")
    fresh = client()
    fresh.load_session(first)
    before = [("sessionid", SECRET_COOKIE)]
    # a valid cookie first, then a bad one: neither, nor the token, may be applied
    bad = state(token="other-token", cookies=[cookie(name="odin_tt", value="x"), cookie(value=";")])
    with pytest.raises(ValueError):
        fresh.load_session(saved(tmp_path, bad, "bad.json"))
    fresh.save_session(tmp_path / "after.json")
    after = read_session(tmp_path / "after.json")
    assert after.token == SECRET_TOKEN
    assert sorted((c.name, c.value) for c in after.cookies) == before


def test_a_deeply_nested_file_is_a_value_error(tmp_path: Path) -> None:
    path = tmp_path / "session.json"
    path.write_bytes(b"[" * 200_000 + b"]" * 200_000)
    path.chmod(0o600)
    with pytest.raises(ValueError, match="not JSON"):
        client().load_session(path)


def test_a_file_that_is_not_utf8_is_a_value_error(tmp_path: Path) -> None:
    path = tmp_path / "session.json"
    path.write_bytes(b'{"version": 1, "token": "\xff\xfe"}')
    path.chmod(0o600)
    with pytest.raises(ValueError, match="not JSON"):
        client().load_session(path)


def test_a_huge_file_is_refused_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "session.json"
    with path.open("wb") as handle:  # sparse: 300 MB that take no disk
        handle.truncate(300 * 1000 * 1000)
    path.chmod(0o600)
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="larger than"):
            client().load_session(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MAX_FILE


def test_a_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    text = json.dumps(state())
    path = tmp_path / "session.json"
    path.write_text(text + " " * (MAX_FILE - len(text)))
    path.chmod(0o600)
    assert read_session(path).token == SECRET_TOKEN
    with path.open("a") as handle:
        handle.write(" ")
    with pytest.raises(ValueError, match="larger than"):
        read_session(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "session.json"
    os.mkfifo(path, 0o600)
    outcome: List[BaseException] = []

    def load() -> None:
        try:
            client().load_session(path)
        except BaseException as exc:
            outcome.append(exc)

    loader = threading.Thread(target=load, daemon=True)
    loader.start()
    loader.join(10)
    if loader.is_alive():  # unblock it, or the test run would hang at exit
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("load_session blocked on a FIFO")
    assert isinstance(outcome[0], ValueError)
    assert "not a regular file" in str(outcome[0])


def test_a_device_or_a_folder_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "session.json"
    link.symlink_to(os.devnull)
    for path in (link, tmp_path):
        with pytest.raises(ValueError, match="not a regular file"):
            client().load_session(path)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="no file owners here")
def test_a_file_owned_by_someone_else_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = saved(tmp_path, state())
    owner = path.stat().st_uid
    monkeypatch.setattr(os, "getuid", lambda: owner + 1)  # as if we were another user
    with pytest.raises(PermissionError, match="belongs to another user"):
        client().load_session(path)


def test_a_valid_file_round_trips(tmp_path: Path) -> None:
    data = state(
        cookies=[
            cookie(),
            cookie(name="odin_tt", value='"quoted%7Cvalue+1"', domain=".example.com", secure=True,
                   expires=2_000_000_000),
        ]
    )  # fmt: skip
    loaded = read_session(saved(tmp_path, data))
    assert loaded.token == SECRET_TOKEN
    assert loaded.cookies[1] == SavedCookie(
        "odin_tt", '"quoted%7Cvalue+1"', ".example.com", "/", True, 2_000_000_000
    )
    write_session(tmp_path / "again.json", loaded)
    assert read_session(tmp_path / "again.json") == loaded


def test_save_refuses_what_load_would_refuse(tmp_path: Path) -> None:
    fresh = client()
    fresh.credentials.cookies.set("sessionid", "a;b", domain="127.0.0.1", path="/")
    with pytest.raises(ValueError, match=r"cookies\[0\]\.value"):
        fresh.save_session(tmp_path / "session.json")
    assert list(tmp_path.iterdir()) == []


# -- a writer killed in the middle of a save ---------------------------------------------------

KILLED_WRITER = """
import os, sys, time
import tiktok, tiktok._sessions
client = tiktok.Client(
    tiktok.Device(device_id="1", iid="2", openudid="3", fp="4"),
    lambda url, ts, device_id: url + "&as=1",
    base_url="http://127.0.0.1:9/",
)
client.load_session(sys.argv[1])

def stop_here(fd):  # the temporary file is whole, the rename not yet done
    print("writing", flush=True)
    time.sleep(60)

tiktok._sessions.os.fsync = stop_here
client.save_session(sys.argv[2])
"""


@pytest.mark.skipif(os.name != "posix", reason="kills a process with SIGKILL")
def test_a_writer_killed_mid_save_leaves_nothing_a_later_save_keeps(tmp_path: Path) -> None:
    source = saved(tmp_path, state(), "source.json")
    target = tmp_path / "session.json"
    write_session(target, SessionState(token="old-token"))
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(source), str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "writing", process.stderr
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    temps = [p for p in tmp_path.iterdir() if p.name.startswith(".session.json.")]
    assert len(temps) == 1  # killed mid-save: its temporary file is there...
    assert stat.S_IMODE(temps[0].stat().st_mode) == 0o600  # ...private...
    assert read_session(target).token == "old-token"  # ...and a load never reads it
    write_session(target, SessionState(token="new-token"))  # the next save removes it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["session.json", "source.json"]
    assert read_session(target).token == "new-token"


def test_a_temporary_file_of_a_live_writer_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "session.json"
    ours = tmp_path / f".session.json.{os.getpid()}.0123abcd.tmp"
    ours.write_text("{}")
    unrelated = tmp_path / ".other.json.1.0123abcd.tmp"
    unrelated.write_text("{}")
    write_session(target, SessionState(token="t"))
    names = {p.name for p in tmp_path.iterdir()}
    assert {ours.name, unrelated.name, "session.json"} == names


@pytest.mark.parametrize("failure", [OSError("disk full"), KeyboardInterrupt()])
def test_a_failed_save_removes_its_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    target = tmp_path / "session.json"
    write_session(target, SessionState(token="old-token"))

    def fail(*args: Any) -> None:
        raise failure

    for step in ("fsync", "replace"):
        with monkeypatch.context() as patch:
            patch.setattr(f"tiktok._sessions.os.{step}", fail)
            with pytest.raises(type(failure)):
                write_session(target, SessionState(token="new-token"))
        assert [p.name for p in tmp_path.iterdir()] == ["session.json"]
        assert read_session(target).token == "old-token"
