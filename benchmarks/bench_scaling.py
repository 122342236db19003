"""Target 4: the client's CPU cost per 20-post page at 10, 100 and 1,000 pages (linear).

    python benchmarks/bench_scaling.py [--quick] [--rounds N]

Walks the sandbox's endless For You feed (full post bodies, 20 a page: the
big user has only 500 pages of posts, the feed has no end) with our pager and
with the hand-written requests loop, alternated, at each walk length. Linear
cost means the per-page figure stays flat as the walk grows.
"""

from __future__ import annotations

import json

import _harness as h

OURS = "ours"
RAW = "raw loop"


def main() -> None:
    p = h.parser(__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, help="timed runs per length (default 5, --quick 3)")
    args = p.parse_args()
    lengths = (10, 100) if args.quick else (10, 100, 1000)
    rounds = args.rounds or (3 if args.quick else 5)

    h.print_machine()
    table = {}
    with h.SandboxProcess(seed=args.seed) as sandbox:
        h.check_same_urls(sandbox.url, feed=True)
        client = h.make_client(sandbox.url)
        ours = h.ours_posts_walker(client, feed=True)
        raw = h.RawLoop(sandbox.url, feed=True)
        for pages in lengths:
            # The longest walk is its own warm-up; the short ones get one untimed run each.
            results = h.alternate(
                {
                    OURS: lambda pages=pages: h.cpu_per_page(ours, pages, 20),
                    RAW: lambda pages=pages: h.cpu_per_page(raw.walk, pages, 20),
                },
                rounds,
                warmup=0 if pages >= 1000 else 1,
            )
            table[pages] = results
        connections = h.connection_stats(client.session, sandbox.url)
        client.close()
        raw.session.close()

    print(f"workload:   For You feed, 20 posts a page, {rounds} alternated rounds per length")
    print(f"connections (ours): {connections[0]} opened for {connections[1]} requests")
    print()
    print(f"{'pages':>6s} {'ours us/page':>13s} {'raw us/page':>12s} {'ratio':>6s}")
    first = None
    for pages, results in table.items():
        ours_page, raw_page = h.median(results[OURS]), h.median(results[RAW])
        first = first or ours_page
        print(
            f"{pages:6d} {ours_page * 1e6:13.0f} {raw_page * 1e6:12.0f} {ours_page / raw_page:6.2f}"
            f"   (ours per page = {ours_page / first:.2f}x the 10-page figure)"
        )
    print(
        json.dumps(
            {
                pages: {k: round(h.median(v) * 1e6, 1) for k, v in results.items()}
                for pages, results in table.items()
            }
        )
    )


if __name__ == "__main__":
    main()
