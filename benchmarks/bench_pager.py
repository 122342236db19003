"""Target 1: our pager yielding full ``Post`` models vs a hand-written requests + json.loads loop.

    python benchmarks/bench_pager.py [--quick] [--pages N] [--rounds N]

Both walk the big sandbox user's posts (20 a page) over the same signed URLs,
each with one keep-alive session; the figure is the ratio of client-process CPU
time per page, median of alternated runs. The sandbox runs in another process.
"""

from __future__ import annotations

import json

import _harness as h

RAW = "raw loop (requests + json.loads, dicts)"
OURS = "ours (Pager of Post models)"


def main() -> None:
    p = h.parser(__doc__.splitlines()[0])
    p.add_argument("--pages", type=int, help="pages per run (default 100, --quick 10)")
    p.add_argument(
        "--rounds", type=int, help="timed runs of each contender (default 15, --quick 5)"
    )
    args = p.parse_args()
    pages = args.pages or (10 if args.quick else 100)
    rounds = args.rounds or (5 if args.quick else 15)

    h.print_machine()
    with h.SandboxProcess(seed=args.seed) as sandbox:
        h.check_same_urls(sandbox.url)
        client = h.make_client(sandbox.url)
        ours = h.ours_posts_walker(client)
        raw = h.RawLoop(sandbox.url)
        contenders = {
            RAW: lambda: h.cpu_per_page(raw.walk, pages, 20),
            OURS: lambda: h.cpu_per_page(ours, pages, 20),
        }
        results = h.alternate(contenders, rounds)
        wire, body = raw.page_size()
        connections = {
            "raw loop": h.connection_stats(raw.session, sandbox.url),
            "ours": h.connection_stats(client.session, sandbox.url),
        }
        client.close()
        raw.session.close()

    print(
        f"workload:   {pages} pages x 20 posts of user {h.BIG_USER_ID}, {rounds} alternated rounds"
    )
    print(f"page body:  {wire} bytes on the wire, {body} bytes of JSON")
    for name, (opened, sent) in connections.items():
        print(f"connections ({name}): {opened} opened for {sent} requests")
    print()
    for name, values in results.items():
        print(f"{name:45s} {h.median(values) * 1e6:8.0f} us CPU/page (median)")
    print()
    for name, values in results.items():
        if name != RAW:
            print(h.ratio_line(f"ratio {name} / raw loop", values, results[RAW]))
    print(json.dumps({name: round(h.median(v) * 1e6, 1) for name, v in results.items()}))


if __name__ == "__main__":
    main()
