"""Run ``tiktok`` as a subprocess, against ``--sandbox`` or a ``tiktok sandbox`` server."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, Iterator, List, NamedTuple, Optional

import pytest

REPO = Path(__file__).resolve().parents[2]
# A hang guard only: no test asserts a duration.
TIMEOUT = 60
SANDBOX_SIGNER = "tiktok.sandbox:SandboxSigner"


class Run(NamedTuple):
    returncode: int
    stdout: str
    stderr: str

    def lines(self) -> List[Dict[str, Any]]:
        """stdout as JSON Lines (fails the test on a line that is not JSON)."""
        return [json.loads(line) for line in self.stdout.splitlines()]

    def error_line(self) -> str:
        """The single ``error: ...`` line stderr must hold."""
        lines = self.stderr.splitlines()
        assert len(lines) == 1, f"expected one line on stderr, got: {self.stderr!r}"
        assert lines[0].startswith("error: "), lines[0]
        assert "Traceback" not in self.stderr
        return lines[0]


def clean_env(**extra: str) -> Dict[str, str]:
    """The test process's environment without any TIKTOK_* setting, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIKTOK_")}
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra)
    return env


def run_cli(*args: str, env: Optional[Dict[str, str]] = None, stdin: str = "") -> Run:
    done = subprocess.run(
        [sys.executable, "-m", "tiktok", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=clean_env() if env is None else env,
        cwd=REPO,
        timeout=TIMEOUT,
    )
    return Run(done.returncode, done.stdout, done.stderr)


class Server(NamedTuple):
    process: subprocess.Popen[str]
    url: str
    first_line: str
    stderr_path: Path

    def env(self, **extra: str) -> Dict[str, str]:
        """Environment for a CLI run against this server as the README describes it."""
        return sandbox_env(TIKTOK_BASE_URL=self.url, **extra)


def sandbox_env(**extra: str) -> Dict[str, str]:
    """:func:`clean_env` with the sandbox's device in the TIKTOK_* variables, plus ``extra``."""
    from tiktok.sandbox import sandbox_device

    device = sandbox_device()
    return clean_env(
        TIKTOK_DEVICE_ID=device.device_id,
        TIKTOK_IID=device.iid,
        TIKTOK_OPENUDID=device.openudid,
        TIKTOK_FP=device.fp,
        **extra,
    )


def start_server(*args: str) -> Server:
    """``tiktok sandbox --port 0 ARGS``; waits for its first stdout line."""
    log = Path(tempfile.mkstemp(prefix="tiktok-sandbox-", suffix=".log")[1])
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "tiktok", "sandbox", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=clean_env(),
            cwd=REPO,
        )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], TIMEOUT)
    if not ready:
        process.kill()
        pytest.fail(f"tiktok sandbox printed nothing; stderr: {log.read_text()}")
    first = process.stdout.readline().rstrip("\n")
    prefix = "listening on "
    if not first.startswith(prefix):
        process.kill()
        pytest.fail(f"unexpected first line {first!r}; stderr: {log.read_text()}")
    return Server(process, first[len(prefix) :], first, log)


def stop_server(server: Server) -> int:
    """Ctrl-C the server and return its exit status."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGINT)
    try:
        return server.process.wait(TIMEOUT)
    finally:
        if server.process.poll() is None:
            server.process.kill()
        assert server.process.stdout is not None
        server.process.stdout.close()
        server.stderr_path.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """One ``tiktok sandbox --port 0`` subprocess for the module's tests."""
    started = start_server()
    try:
        yield started
    finally:
        stop_server(started)
