"""Where our pager's CPU time goes: cProfile of a walk over the big user's posts.

    python benchmarks/profile_pager.py [--pages N] [--sort tottime|cumtime] [--top N] [--raw]

The sandbox runs in another process, so only the client's functions show.
``--raw`` profiles the hand-written requests loop instead, for comparison.
"""

from __future__ import annotations

import cProfile
import pstats
import time

import _harness as h


def main() -> None:
    p = h.parser(__doc__.splitlines()[0])
    p.add_argument("--pages", type=int, default=200, help="pages to walk (default 200)")
    p.add_argument("--sort", default="tottime", help="pstats sort key (default tottime)")
    p.add_argument("--top", type=int, default=30, help="rows to print (default 30)")
    p.add_argument("--raw", action="store_true", help="profile the hand-written loop instead")
    args = p.parse_args()

    with h.SandboxProcess(seed=args.seed) as sandbox:
        if args.raw:
            walk = h.RawLoop(sandbox.url).walk
        else:
            walk = h.ours_posts_walker(h.make_client(sandbox.url))
        walk(5)  # warm: connection, model hooks
        profiler = cProfile.Profile(time.process_time)  # CPU, not time spent waiting
        profiler.enable()
        walk(args.pages)
        profiler.disable()
    pstats.Stats(profiler).strip_dirs().sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
