"""``tiktok live status`` and ``tiktok live record`` against a sandbox's broadcast."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

from tiktok.sandbox import Sandbox

from .conftest import REPO, SANDBOX_SIGNER, TIMEOUT, run_cli, sandbox_env

OWNER = 6_800_000_000_000_005_555


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def env() -> Dict[str, str]:
    return sandbox_env()


def flags(sandbox: Sandbox) -> List[str]:
    return ["--base-url", sandbox.url, "--webcast-url", sandbox.url, "--signer", SANDBOX_SIGNER]


def test_status_of_a_user_live_then_ended(sandbox: Sandbox) -> None:
    broadcast = sandbox.go_live(OWNER, duration=600)
    run = run_cli("live", "status", str(OWNER), *flags(sandbox), env=env())
    assert run.returncode == 0, run.stderr
    assert run.lines() == [
        {
            "live": True,
            "status": 2,
            "room_id": str(broadcast.room_id),
            "user": run.lines()[0]["user"],
        }
    ]
    broadcast.end()
    run = run_cli("live", "status", str(broadcast.room_id), "--room", *flags(sandbox), env=env())
    assert run.returncode == 0 and run.lines()[0]["live"] is False
    assert run.lines()[0]["status"] == 4


def test_record_until_sigterm_leaves_a_file_that_plays(sandbox: Sandbox, tmp_path: Path) -> None:
    broadcast = sandbox.go_live(OWNER + 1, duration=600, speed=4)
    process = subprocess.Popen(
        [sys.executable, "-m", "tiktok", "live", "record", str(OWNER + 1), "-o",
         str(tmp_path / "out"), *flags(sandbox)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(), cwd=REPO,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:  # wait until some seconds of stream are written
            files = list((tmp_path / "out").glob("*.flv"))
            if files and files[0].stat().st_size > 100_000:
                break
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    result = json.loads(stdout)
    assert result["stopped_by"] == "stopped" and result["room_id"] == str(broadcast.room_id)
    assert result["stream"] == {"quality": "origin", "protocol": "flv", "codec": "h264"}
    path = Path(result["path"])
    assert path.parent == tmp_path / "out" and path.stat().st_size == result["size"]
    av = pytest.importorskip("av", reason="PyAV (the test extra) checks the recorded file")
    with av.open(str(path)) as container:
        times = [frame.time for frame in container.decode(video=0)]
    assert times == sorted(set(times))
    assert times[-1] - times[0] == pytest.approx(result["seconds"])
    broadcast.end()


def test_record_someone_not_live_is_an_error_line(sandbox: Sandbox, tmp_path: Path) -> None:
    run = run_cli("live", "record", str(OWNER + 2), "-o", str(tmp_path), *flags(sandbox), env=env())
    assert run.returncode != 0 and "is not live" in run.error_line()
