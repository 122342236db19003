"""Issue 13 item 6: crawling 250,000 followers into the SQLite store grows peak RSS by at most
16 MiB after the first 10,000.

    python benchmarks/bench_crawl_memory.py [--quick] [--total N] [--mark N] [--count N]

The crawl (``tiktok.crawl.Crawl``, one page and its cursor per transaction) runs
in a fresh child process, so nothing else has touched its heap; it records
``ru_maxrss`` (peak resident set) and the current RSS when the store first holds
``--mark`` followers and at the end. The sandbox runs in another process. A
control child crawls the same way but also keeps every stored item in a list:
it shows that the measurement does see memory that accumulates.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from typing import Any, Dict, List

import _harness as h

LIMIT_MIB = 16.0


def _rss_kib() -> int:
    """The current resident set in KiB (Linux), or 0 where /proc is missing."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
        return pages * resource.getpagesize() // 1024
    except OSError:
        return 0


def _peak_kib() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS, KiB on Linux


def child(url: str, total: int, mark: int, count: int, keep: bool) -> Dict[str, Any]:
    """One crawl of ``total`` followers into a new store; memory at ``mark`` and at the end."""
    from tiktok.crawl import Crawl, Progress

    kept: List[Any] = []
    marks: Dict[str, Any] = {}

    def progress(snapshot: Progress) -> None:
        if "mark" not in marks and snapshot.items >= mark:
            marks["mark"] = {
                "items": snapshot.items,
                "peak_kib": _peak_kib(),
                "rss_kib": _rss_kib(),
            }

    with tempfile.TemporaryDirectory(prefix="tiktok-crawl-bench-") as folder:
        store = os.path.join(folder, "crawl.db")
        client = h.make_client(url)
        started = time.perf_counter()
        with Crawl(client, store, count=count, limit=total, progress=progress) as crawl:
            if keep:
                # The control: every item the store receives also stays in memory.
                save = crawl.store.save_page

                def keeping(*args: Any, **kwargs: Any) -> int:
                    kept.extend(kwargs["items"])
                    return save(*args, **kwargs)

                crawl.store.save_page = keeping  # type: ignore[method-assign]
            crawl.add(f"followers:{h.BIG_USER_ID}")
            summary = crawl.run()
            seconds = time.perf_counter() - started
            marks["end"] = {
                "items": summary.new_items,
                "peak_kib": _peak_kib(),
                "rss_kib": _rss_kib(),
            }
            stored = crawl.status()[0].items
        size = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
        client.close()
    if stored != total:
        raise RuntimeError(f"stored {stored} followers, expected {total}")
    return {"stored": stored, "kept": len(kept), "seconds": seconds, "store_bytes": size, **marks}


def run_child(url: str, args: argparse.Namespace, total: int, keep: bool) -> Dict[str, Any]:
    command = [
        sys.executable, __file__, "--child", url, "--total", str(total),
        "--mark", str(args.mark), "--count", str(args.count),
    ]  # fmt: skip
    if keep:
        command.append("--keep")
    output = subprocess.run(command, capture_output=True, text=True, check=False)
    if output.returncode != 0:
        raise RuntimeError(f"the crawl child failed:\n{output.stderr}")
    return json.loads(output.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    p = h.parser(__doc__.splitlines()[0])
    p.add_argument("--total", type=int, help="followers to crawl (default 250,000, --quick 30,000)")
    p.add_argument("--mark", type=int, default=10_000, help="followers stored before the baseline")
    p.add_argument("--count", type=int, default=100, help="page size (default 100)")
    p.add_argument("--no-control", action="store_true", help="skip the control that keeps items")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--keep", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    total = args.total or (30_000 if args.quick else 250_000)
    if args.child:
        print(json.dumps(child(args.child, total, args.mark, args.count, args.keep)))
        return

    h.print_machine()
    results = {}
    with h.SandboxProcess(seed=args.seed) as sandbox:
        results["crawl"] = run_child(sandbox.url, args, total, keep=False)
        if not args.no_control:
            # The control only has to show growth: a shorter crawl is enough.
            results["control"] = run_child(sandbox.url, args, min(total, 50_000), keep=True)

    print(
        f"workload:  crawl followers:{h.BIG_USER_ID} into a SQLite store, count={args.count}; "
        f"baseline once {args.mark:,} are stored"
    )
    growth = {}
    for name, result in results.items():
        grown = (result["end"]["peak_kib"] - result["mark"]["peak_kib"]) / 1024
        growth[name] = round(grown, 2)
        print(
            f"{name:9s} stored {result['stored']:,} (kept in memory {result['kept']:,}) in "
            f"{result['seconds']:.1f}s, store {result['store_bytes'] / 2**20:.0f} MiB: peak RSS "
            f"{result['mark']['peak_kib'] / 1024:.1f} MiB at {result['mark']['items']:,} -> "
            f"{result['end']['peak_kib'] / 1024:.1f} MiB at the end: +{grown:.2f} MiB"
        )
    grown = growth["crawl"]
    status = "within" if grown <= LIMIT_MIB else "OVER"
    print(
        f"\npeak RSS growth after the first {args.mark:,}: +{grown:.2f} MiB "
        f"({status} the {LIMIT_MIB:g} MiB target)"
    )
    if "control" in growth:
        print(f"control (keeps every item): +{growth['control']:.2f} MiB, so growth would show")
    print(json.dumps({"crawl_peak_rss_growth_mib": growth}))


if __name__ == "__main__":
    main()
