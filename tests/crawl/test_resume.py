"""A crawl killed with SIGKILL at random points and run again ends with exactly the items of
an uninterrupted crawl: none missing, none twice, in the same order."""

from __future__ import annotations

import collections
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import List, Tuple

from tiktok.crawl import Crawl, Limits, Store
from tiktok.sandbox import BIG_USER_ID, Sandbox

from .conftest import REPO, cli_env

TARGETS = [
    f"followers:{BIG_USER_ID}",
    "following:6800000000000000005",
    f"posts:{BIG_USER_ID}",
    "comments:7000000000000000123",
]
KILLS = 5
TIMEOUT = 120  # a hang guard only


def _command(store: Path) -> List[str]:
    return [
        sys.executable, "-m", "tiktok", "crawl", "run", *TARGETS,
        "--store", str(store), "--count", "30", "--limit", "1500",
    ]  # fmt: skip


def _stored(store: Path) -> int:
    """Items committed so far, read while the crawl writes (WAL)."""
    if not store.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=5) as db:
            return int(db.execute("SELECT COUNT(*) FROM crawl_items").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # the schema is not there yet


def _export(store: Path) -> List[Tuple[str, str]]:
    with Store(store, create=False) as opened:
        return [(target, repr(sorted(item.items()))) for target, item in opened.export()]


def test_killed_crawl_resumes_to_exactly_the_uninterrupted_items(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    env = cli_env(sandbox)
    reference = tmp_path / "reference.db"
    done = subprocess.run(
        _command(reference), env=env, cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert done.returncode == 0, done.stderr
    expected = _export(reference)
    assert len(expected) > 3000

    store = tmp_path / "killed.db"
    rng = random.Random(20261201)
    kills: List[int] = []
    for kill in range(KILLS):
        before = _stored(store)
        # Kill once the crawl has gone a random distance further (the kills spread over the
        # whole crawl), plus a random instant: between two commits, or inside one.
        goal = before + rng.randrange(1, max(2, (len(expected) - before) // (KILLS - kill)))
        process = subprocess.Popen(
            _command(store), env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + TIMEOUT
        while _stored(store) < goal and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.02))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=TIMEOUT)
        if process.returncode != -signal.SIGKILL:
            break  # it finished before the kill: nothing more to interrupt
        kills.append(_stored(store))
    assert len(kills) == KILLS, f"the crawl ended before {KILLS} kills: {kills}"
    assert kills[-1] < len(expected), "every kill must interrupt an unfinished crawl"

    resumed = subprocess.run(
        _command(store), env=env, cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert resumed.returncode == 0, resumed.stderr
    got = _export(store)

    counts = collections.Counter(got)
    missing = collections.Counter(expected) - counts
    doubled = {item: n for item, n in counts.items() if n > 1}
    print(
        f"kills: {len(kills)} (items stored at each: {kills}); items: {len(got)} "
        f"(uninterrupted: {len(expected)}); missing: {sum(missing.values())}; "
        f"doubled: {len(doubled)}"
    )
    assert not missing
    assert not doubled
    assert got == expected  # the same items in the same crawl order
    statuses = [s.to_json() for s in Store(store, create=False).status()]
    assert statuses == [s.to_json() for s in Store(reference, create=False).status()]


def test_a_resume_without_limit_walks_each_target_as_the_crawl_began(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    # following:...05 has 192 items: begun with --limit 60 --count 20, stopped after one page.
    store = tmp_path / "c.db"
    target = "following:6800000000000000005"
    crawls: List[Crawl] = []
    with Crawl(
        sandbox.client(), store, count=20, limit=60, progress=lambda _: crawls[0].stop()
    ) as crawl:
        crawls.append(crawl)
        crawl.add(target)
        crawl.run()
        assert [(s.items, s.done) for s in crawl.status()] == [(20, False)]
    env = cli_env(sandbox)
    resume = [sys.executable, "-m", "tiktok", "crawl", "run", "--store", str(store)]
    done = subprocess.run(
        resume, env=env, cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert done.returncode == 0, done.stderr
    with Store(store, create=False) as opened:
        # The limit and the page size it began with: 60 items in 3 pages, not all 192.
        assert [(s.items, s.pages, s.done) for s in opened.status()] == [(60, 3, True)]
    # An explicit --limit overrides the remembered one (and a done target stays done).
    again = subprocess.run(
        [*resume, "--limit", "100", target], env=env, cwd=REPO, capture_output=True, text=True,
        timeout=TIMEOUT,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    with Store(store, create=False) as opened:
        assert opened.limits() == Limits(count=20, limit=100)
