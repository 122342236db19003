"""``crawl run --new`` against a full re-walk, on a store of 100 targets with 1 new item each.

A store of N user-post targets is crawled (``--limit`` items each, 20 a page); each
target's newest stored item is then taken out of the store, as if it had appeared
since. Side by side, alternating:

* ``--new``: ``Crawl.run(new=True)`` on a copy of that store;
* full re-walk: the same targets crawled again, with the same limit, into a new store.

Printed: requests sent (the sandbox's own counter), items stored, and wall time as
medians, with the ratio. The sandbox runs in this process (its counter is read
directly), so the times include its work for both contenders alike.

    python benchmarks/bench_new.py            # 100 targets, 5 rounds
    python benchmarks/bench_new.py --quick    # 10 targets, 1 round
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from benchmarks._harness import parser, print_machine  # noqa: E402
from tiktok.crawl import Crawl  # noqa: E402
from tiktok.sandbox import Sandbox  # noqa: E402

USER_BASE = 6_800_000_000_000_000_000


def targets(n: int) -> List[str]:
    return [f"posts:{USER_BASE + 1 + i}" for i in range(n)]


def forget_newest(store: Path, names: List[str]) -> int:
    """Take each target's newest stored item out; return how many were taken."""
    taken = 0
    db = sqlite3.connect(store)
    try:
        with db:
            for name in names:
                cursor = db.execute(
                    "DELETE FROM crawl_items WHERE target = ? AND seq = "
                    "(SELECT MIN(seq) FROM crawl_items WHERE target = ?)",
                    (name, name),
                )
                taken += cursor.rowcount
    finally:
        db.close()  # the store is copied as a file next: nothing may wait in its journal
    return taken


def run_new(sb: Sandbox, prepared: Path, work: Path) -> Tuple[int, int, float]:
    shutil.copyfile(prepared, work)
    with Crawl(sb.client(), work) as crawl:
        before = sb.stats["requests"]
        start = time.perf_counter()
        summary = crawl.run(new=True)
        seconds = time.perf_counter() - start
        return sb.stats["requests"] - before, summary.new_items, seconds


def run_full(sb: Sandbox, names: List[str], limit: int, work: Path) -> Tuple[int, int, float]:
    work.unlink(missing_ok=True)
    with Crawl(sb.client(), work, count=20, limit=limit) as crawl:
        crawl.add(*names)
        before = sb.stats["requests"]
        start = time.perf_counter()
        summary = crawl.run()
        seconds = time.perf_counter() - start
        return sb.stats["requests"] - before, summary.new_items, seconds


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--targets", type=int, default=100)
    p.add_argument("--limit", type=int, default=100, help="items of each target (default 100)")
    p.add_argument("--rounds", type=int, default=5)
    args = p.parse_args()
    n, rounds = (10, 1) if args.quick else (args.targets, args.rounds)
    names = targets(n)
    print_machine({"targets": str(n), "limit": str(args.limit), "rounds": str(rounds)})
    with Sandbox(seed=args.seed) as sb, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        prepared = folder / "prepared.db"
        with Crawl(sb.client(), prepared, count=20, limit=args.limit) as crawl:
            crawl.add(*names)
            crawl.run()
        new_items = forget_newest(prepared, names)
        results: Dict[str, List[Tuple[int, int, float]]] = {"--new": [], "full re-walk": []}
        for round_ in range(rounds):
            order = ["--new", "full re-walk"] if round_ % 2 == 0 else ["full re-walk", "--new"]
            for name in order:
                if name == "--new":
                    results[name].append(run_new(sb, prepared, folder / "new.db"))
                else:
                    results[name].append(run_full(sb, names, args.limit, folder / "full.db"))
    print(f"items taken out of the store (new since the last run): {new_items}")
    print(f"{'':14s} {'requests':>9s} {'items':>7s} {'seconds (median)':>17s}")
    medians = {}
    for name, runs in results.items():
        requests = statistics.median(r[0] for r in runs)
        items = statistics.median(r[1] for r in runs)
        seconds = statistics.median(r[2] for r in runs)
        medians[name] = (requests, seconds)
        print(f"{name:14s} {requests:9.0f} {items:7.0f} {seconds:17.3f}")
    (new_requests, new_seconds), (full_requests, full_seconds) = medians.values()
    print(
        f"--new / full re-walk: requests {new_requests / full_requests:.3f}, "
        f"time {new_seconds / full_seconds:.3f}"
    )


if __name__ == "__main__":
    main()
