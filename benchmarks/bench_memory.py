"""Target 3: walking 200,000 followers (count=100) grows peak RSS by at most 16 MiB after the first 10,000.

    python benchmarks/bench_memory.py [--quick] [--total N] [--mark N] [--no-control]

Each walk runs in a fresh child process (so nothing else has touched its
heap): it records ``ru_maxrss`` (peak resident set) after ``--mark`` followers
and at the end; a second child does the same walk under ``tracemalloc`` for the
Python heap. A control child keeps every follower in a list: it shows that the
measurement does see memory that accumulates. The sandbox runs in yet another
process.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
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


def child(url: str, total: int, mark: int, mode: str) -> Dict[str, Any]:
    """One walk; what memory looked like at ``mark`` followers and at the end."""
    import tracemalloc

    client = h.make_client(url)
    kept: List[Any] = []
    if mode == "tracemalloc":
        tracemalloc.start()
    marks: Dict[str, Any] = {}
    walked = 0
    for user in client.follows.followers(h.BIG_USER_ID, count=100, limit=total):
        walked += 1
        if mode == "keep":
            kept.append(user)
        if walked in (mark, total):
            point = {"peak_kib": _peak_kib(), "rss_kib": _rss_kib()}
            if mode == "tracemalloc":
                current, peak = tracemalloc.get_traced_memory()
                point.update(traced_kib=current // 1024, traced_peak_kib=peak // 1024)
            marks["mark" if walked == mark else "end"] = point
    if walked != total:
        raise RuntimeError(f"walked {walked} followers, expected {total}")
    opened, sent = h.connection_stats(client.session, url)
    return {"walked": walked, "kept": len(kept), "connections": opened, "requests": sent, **marks}


def run_child(url: str, total: int, mark: int, mode: str) -> Dict[str, Any]:
    output = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            url,
            "--total",
            str(total),
            "--mark",
            str(mark),
            "--mode",
            mode,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if output.returncode != 0:
        raise RuntimeError(f"the {mode} child failed:\n{output.stderr}")
    return json.loads(output.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    p = h.parser(__doc__.splitlines()[0])
    p.add_argument("--total", type=int, help="followers to walk (default 200,000, --quick 30,000)")
    p.add_argument(
        "--mark", type=int, default=10_000, help="followers walked before the baseline (10,000)"
    )
    p.add_argument(
        "--no-control", action="store_true", help="skip the control walk that keeps every item"
    )
    p.add_argument("--child", help=__import__("argparse").SUPPRESS)
    p.add_argument("--mode", default="rss", help=__import__("argparse").SUPPRESS)
    args = p.parse_args()
    total = args.total or (30_000 if args.quick else 200_000)
    if args.child:
        print(json.dumps(child(args.child, total, args.mark, args.mode)))
        return

    h.print_machine()
    modes = ["rss", "tracemalloc"] + ([] if args.no_control else ["keep"])
    results = {}
    with h.SandboxProcess(seed=args.seed) as sandbox:
        for mode in modes:
            # The control only has to show growth: a shorter walk is enough and spares the machine.
            walk = min(total, 50_000) if mode == "keep" else total
            results[mode] = run_child(sandbox.url, walk, args.mark, mode)

    print(f"workload:   followers of user {h.BIG_USER_ID}, count=100; baseline after {args.mark:,}")
    verdict = {}
    for mode, result in results.items():
        grown = (result["end"]["peak_kib"] - result["mark"]["peak_kib"]) / 1024
        line = (
            f"{mode:11s} walked {result['walked']:,} (kept {result['kept']:,}) over "
            f"{result['connections']} connection(s) / {result['requests']} requests: peak RSS "
            f"{result['mark']['peak_kib'] / 1024:.1f} MiB at {args.mark:,} -> "
            f"{result['end']['peak_kib'] / 1024:.1f} MiB at the end: +{grown:.2f} MiB"
        )
        if mode == "tracemalloc":
            line += (
                f"; Python heap {result['mark']['traced_kib'] / 1024:.2f} -> "
                f"{result['end']['traced_kib'] / 1024:.2f} MiB "
                f"(traced peak {result['end']['traced_peak_kib'] / 1024:.2f} MiB)"
            )
        print(line)
        verdict[mode] = round(grown, 2)
    grown = verdict["rss"]
    status = "within" if grown <= LIMIT_MIB else "OVER"
    print(
        f"\npeak RSS growth after the first {args.mark:,}: +{grown:.2f} MiB ({status} the {LIMIT_MIB:g} MiB target)"
    )
    if "keep" in verdict:
        print(f"control (keeps every item): +{verdict['keep']:.2f} MiB, so growth would show")
    print(json.dumps({"peak_rss_growth_mib": verdict}))


if __name__ == "__main__":
    main()
