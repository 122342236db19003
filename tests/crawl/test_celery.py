"""Crawls on real Celery worker processes (not eager mode) sharing a broker and a store: one
worker is killed with SIGKILL while it holds a target, and the crawl still ends with exactly the
items of an uninterrupted crawl. The broker is kombu's filesystem transport (no server); the store
is a SQLite file, then a PostgreSQL database."""

from __future__ import annotations

import collections
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from tiktok.crawl import Crawl, Store
from tiktok.sandbox import BIG_USER_ID, Sandbox

from .conftest import REPO, cli_env, new_database

celery = pytest.importorskip("celery", reason="the celery extra is not installed")

from tiktok.crawl import celery as crawl_celery  # noqa: E402

TARGETS = [
    f"followers:{BIG_USER_ID}",
    "following:6800000000000000005",
    f"posts:{BIG_USER_ID}",
    "comments:7000000000000000123",
]
COUNT, LIMIT = 20, 400
WORKERS = 2
TIMEOUT = 150  # a hang guard only

APP = """
from tiktok.crawl.celery import make_app

app = make_app(
    "filesystem://",
    broker_transport_options={{
        "data_folder_in": {queue!r}, "data_folder_out": {queue!r}, "control_folder": {control!r},
    }},
    worker_hijack_root_logger=False,
)
"""


def _broker_options(queue: Path) -> Dict[str, Any]:
    # Every folder in the test's own: kombu's default control folder is ./control.
    return {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "control_folder": str(queue.parent / "control"),
    }


def _export(location: str) -> List[Tuple[str, str]]:
    with Store(location, create=False) as store:
        return [(target, json.dumps(item, sort_keys=True)) for target, item in store.export()]


def _start_worker(folder: Path, sandbox: Sandbox, number: int) -> subprocess.Popen[bytes]:
    env = cli_env(sandbox)
    env["PYTHONPATH"] = os.pathsep.join([str(folder), str(REPO), env.get("PYTHONPATH", "")])
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "crawlapp", "worker", "--pool=solo",
         "--loglevel=WARNING", "-n", f"worker{number}@%h", "--without-gossip", "--without-mingle",
         "--without-heartbeat"],
        cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _crawl_on_workers(sandbox: Sandbox, folder: Path, location: str) -> Dict[str, Any]:
    queue = folder / "queue"
    queue.mkdir()
    control = str(folder / "control")
    (folder / "crawlapp.py").write_text(
        textwrap.dedent(APP.format(queue=str(queue), control=control))
    )
    app = crawl_celery.make_app("filesystem://", broker_transport_options=_broker_options(queue))
    workers = [_start_worker(folder, sandbox, n) for n in range(1, WORKERS + 1)]
    outcome: Dict[str, Any] = {}

    def drive() -> None:
        try:
            outcome["statuses"] = crawl_celery.run(
                app, location, TARGETS, count=COUNT, limit=LIMIT, pages=3, lease=3.0,
                stall=4.0, poll=0.2, timeout=TIMEOUT,
            )  # fmt: skip
        except BaseException as exc:  # reported by the test
            outcome["error"] = exc

    driver = threading.Thread(target=drive)
    driver.start()
    killed = None
    try:
        deadline = time.monotonic() + TIMEOUT
        pids = {w.pid: w for w in workers}
        # Kill a worker while it holds a target (its pid is in the lease), midway through.
        while killed is None and driver.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
            try:
                statuses = Store(location, create=False).status()
            except Exception:
                continue
            if sum(s.items for s in statuses) < 300:
                continue
            for status in statuses:
                holder = status.lease_owner or ""
                pid = holder.split(":")[1] if holder.count(":") == 2 else ""
                if pid.isdigit() and int(pid) in pids:
                    killed = pids[int(pid)]
                    killed.send_signal(signal.SIGKILL)
                    killed.wait(30)
                    outcome["killed_at"] = sum(s.items for s in statuses)
                    outcome["killed_target"] = status.target
                    break
        driver.join(TIMEOUT)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
        for worker in workers:
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
    outcome["killed"] = killed is not None
    outcome["killed_returncode"] = killed.returncode if killed is not None else None
    return outcome


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_workers_share_a_store_and_one_killed_midway_loses_and_doubles_nothing(
    backend: str, sandbox: Sandbox, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        location = str(tmp_path / "crawl.db")
    else:
        location = new_database(request.getfixturevalue("postgres_server"))
    reference = str(tmp_path / "reference.db")
    with Crawl(sandbox.client(), reference, count=COUNT, limit=LIMIT) as crawl:
        crawl.add(*TARGETS)
        assert crawl.run().complete
    expected = _export(reference)

    outcome = _crawl_on_workers(sandbox, tmp_path, location)
    assert "error" not in outcome, outcome.get("error")
    assert outcome["killed"], "no worker was caught holding a target"
    assert outcome["killed_returncode"] == -signal.SIGKILL
    assert all(s.done for s in outcome["statuses"])

    got = _export(location)
    counts = collections.Counter(got)
    missing = collections.Counter(expected) - counts
    doubled = {item: n for item, n in counts.items() if n > 1}
    print(
        f"{backend}: workers {WORKERS}, kills 1 (at {outcome['killed_at']} items, holding "
        f"{outcome['killed_target']}); items {len(got)} (uninterrupted {len(expected)}); "
        f"missing {sum(missing.values())}; doubled {len(doubled)}"
    )
    assert not missing
    assert not doubled
    assert got == expected
