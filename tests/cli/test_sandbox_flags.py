"""``tiktok sandbox`` flags: --rate, --slow-seconds, --log, --help; stopping on SIGINT/SIGTERM."""

from __future__ import annotations

import itertools
import os
import select
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tiktok.sandbox import BIG_USER_ID, SANDBOX_PASSWORD, Fault
from tiktok.sandbox._faults import FaultPicker

from .conftest import REPO, SANDBOX_SIGNER, TIMEOUT, clean_env, run_cli, start_server, stop_server


def test_help_has_a_one_line_description_and_every_flag() -> None:
    run = run_cli("sandbox", "--help")
    assert run.returncode == 0
    assert "imitation of the TikTok app API" in run.stdout
    for flag in ("--rate", "--slow-seconds", "--log", "--fault-rate", "--seed", "--port"):
        assert flag in run.stdout
    top = run_cli("--help")
    line = next(line for line in top.stdout.splitlines() if line.strip().startswith("sandbox"))
    assert "serve the sandbox API" in line


@pytest.mark.parametrize(
    ("flag", "value"), [("--rate", "0"), ("--rate", "x"), ("--slow-seconds", "-1")]
)
def test_bad_values_are_a_usage_error(flag: str, value: str) -> None:
    run = run_cli("sandbox", flag, value)
    assert run.returncode == 2
    assert flag in run.error_line()


def test_rate_answers_429_above_it() -> None:
    server = start_server("--rate", "0.01")  # one request per 100 s
    try:
        env = server.env()
        args = ("--signer", SANDBOX_SIGNER, "--retries", "0", "users", "get", BIG_USER_ID)
        runs = [run_cli(*args, env=env) for _ in range(2)]
    finally:
        stop_server(server)
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[1].returncode == 1
    assert "429" in runs[1].error_line()


def test_log_records_paths_and_faults_but_never_credentials(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    server = start_server("--log", str(log), "--fault-rate", "0.5", "--slow-seconds", "0.01")
    try:
        env = server.env(TIKTOK_PASSWORD=SANDBOX_PASSWORD)
        session = str(tmp_path / "session.json")
        login = run_cli(
            "--signer", SANDBOX_SIGNER, "--session", session, "--retries", "9",
            "login", "--email", "sandbox@example.com", env=env,
        )  # fmt: skip
        listing = run_cli(
            "--signer", SANDBOX_SIGNER, "--retries", "9", "follows", "followers", BIG_USER_ID,
            "--limit", "60", env=env,
        )  # fmt: skip
    finally:
        stop_server(server)
    assert login.returncode == 0, login.stderr
    assert listing.returncode == 0, listing.stderr
    text = log.read_text()
    assert "aweme/v1/user/follower/list/" in text
    assert "passport/user/login/" in text
    assert ": fault " in text  # at a rate of 0.5, some of the requests met one
    assert "?" not in text  # no query: the login's carries the credentials
    assert SANDBOX_PASSWORD not in text
    assert "device_id" not in text


def first_request_slow_seed() -> int:
    """A seed whose first request meets the slow fault when every request meets one."""
    return next(
        s for s in itertools.count() if FaultPicker(s, 1.0).pick(1, write=False) is Fault.SLOW
    )


@pytest.mark.parametrize(("slow_seconds", "succeeds"), [("0.01", True), ("30", False)])
def test_slow_seconds_reaches_the_server(tmp_path: Path, slow_seconds: str, succeeds: bool) -> None:
    # The one request of the run is slow-faulted (the seed says so and the log shows it):
    # held 0.01 s it fits a one-second timeout; held 30 s it does not.
    log = tmp_path / "access.log"
    seed = str(first_request_slow_seed())
    server = start_server(
        "--seed", seed, "--fault-rate", "1", "--slow-seconds", slow_seconds, "--log", str(log)
    )  # fmt: skip
    try:
        run = run_cli(
            "--signer", SANDBOX_SIGNER, "--timeout", "1", "--retries", "0",
            "users", "get", BIG_USER_ID, env=server.env(),
        )  # fmt: skip
    finally:
        stop_server(server)
    assert "request 1 aweme/v1/user/: fault slow" in log.read_text()
    if succeeds:
        assert run.returncode == 0, run.stderr
    else:
        assert run.returncode == 1
        assert "GET aweme/v1/user/ failed" in run.error_line()


def _background(signum: int) -> int:
    """Start the sandbox from a script with `&`, as CI scripts do, then send it ``signum``."""
    script = f'"{sys.executable}" -m tiktok sandbox --port 0 > "$OUT" 2>&1 &\necho $!\nwait\n'
    out = Path(tempfile.mkstemp(prefix="tiktok-sandbox-bg-")[1])
    bash = subprocess.Popen(
        ["bash", "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        env=clean_env(OUT=str(out)),
        cwd=REPO,
    )
    try:
        assert bash.stdout is not None
        ready, _, _ = select.select([bash.stdout], [], [], TIMEOUT)
        assert ready
        pid = int(bash.stdout.readline())
        for _ in range(TIMEOUT * 20):
            if "listening on" in out.read_text():
                break
            select.select([], [], [], 0.05)
        assert "listening on" in out.read_text()
        os.kill(pid, signum)
        bash.wait(TIMEOUT)
        assert "sandbox stopped" in out.read_text(), out.read_text()
        return bash.returncode
    finally:
        if bash.poll() is None:
            bash.kill()
        out.unlink(missing_ok=True)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_background_sandbox_stops_cleanly_on(signum: int) -> None:
    # bash's `wait` returns the job's status: 0 when it stopped cleanly.
    assert _background(signum) == 0


def test_sigterm_stops_a_foreground_sandbox_with_status_zero() -> None:
    server = start_server()
    server.process.send_signal(signal.SIGTERM)
    status = server.process.wait(TIMEOUT)
    stop_server(server)  # closes its pipes
    assert status == 0
