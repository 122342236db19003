"""Where a page's CPU time goes, step by step, for our client and the raw requests loop.

    python benchmarks/bench_steps.py [--quick] [--repeat N]

Each step runs ``--repeat`` times on its own (on one page of the big user's
posts fetched from the sandbox, which runs in another process) and is timed
with the process CPU clock; the figure is microseconds per page, median of
five batches. The steps are timed apart, and some include the ones before
them (as named), so they do not add up to a walk, which also pays for the
garbage collections its objects bring about (``bench_pager.py`` measures that).
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any, Callable, Dict

import _harness as h
import requests

from tiktok._converter import structure, to_dict
from tiktok.models import PostPage
from tiktok.resources._posts import LIST as POSTS_LIST


def cpu_us(step: Callable[[], Any], repeat: int) -> float:
    """Median CPU microseconds of one call of ``step``, over five batches of ``repeat``."""
    for _ in range(max(1, repeat // 10)):
        step()
    batches = []
    for _ in range(5):
        started = time.process_time()
        for _ in range(repeat):
            step()
        batches.append((time.process_time() - started) / repeat * 1e6)
    return statistics.median(batches)


def main() -> None:
    p = h.parser(__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, help="calls per batch (default 200, --quick 40)")
    args = p.parse_args()
    repeat = args.repeat or (40 if args.quick else 200)

    h.print_machine()
    with h.SandboxProcess(seed=args.seed) as sandbox:
        raw = h.RawLoop(sandbox.url)
        client = h.make_client(sandbox.url)
        transport = client._transport
        page_url = raw.signed_url(0)
        content = raw.session.get(page_url).content
        values = {"user_id": h.BIG_USER_ID, "max_cursor": 0, "count": 20}
        params = transport.fill(POSTS_LIST.endpoint.query, values)
        endpoint = POSTS_LIST.endpoint
        page = structure(json.loads(content), PostPage)
        never = float("inf")

        def ours_fetch() -> bytes:
            prepared = transport._prepare(endpoint, params, None)
            response = transport._send(endpoint, prepared, never)
            try:
                return transport._read(endpoint, response, never)
            finally:
                response.close()

        steps: Dict[str, Dict[str, float]] = {
            "build, sign and prepare the request": {
                "ours": cpu_us(lambda: transport._prepare(endpoint, params, None), repeat),
                "raw": cpu_us(
                    lambda: raw.session.prepare_request(requests.Request("GET", raw.signed_url(0))),
                    repeat,
                ),
            },
            "the same, then send and read the body": {
                "ours": cpu_us(ours_fetch, repeat),
                "raw": cpu_us(lambda: raw.session.get(raw.signed_url(0)).content, repeat),
            },
            "json.loads": {
                "ours": cpu_us(lambda: json.loads(content), repeat),
                "raw": cpu_us(lambda: json.loads(content), repeat),
            },
            "models": {
                "ours": cpu_us(lambda: structure(json.loads(content), PostPage), repeat)
                - cpu_us(lambda: json.loads(content), repeat),
                "raw": 0.0,
            },
            "to_dict of the 20 posts (what the CLI prints)": {
                "ours": cpu_us(lambda: [to_dict(post) for post in page.aweme_list], repeat),
                "raw": 0.0,
            },
            "one whole call: fetch, decode, build": {
                "ours": cpu_us(lambda: transport.call(endpoint, values), repeat),
                "raw": cpu_us(
                    lambda: json.loads(raw.session.get(raw.signed_url(0)).content), repeat
                ),
            },
        }
        client.close()
        raw.session.close()

    print(f"workload:   one page of 20 posts of user {h.BIG_USER_ID}, {repeat} calls x 5 batches")
    print()
    print(f"{'step (CPU us per page)':50s} {'ours':>8s} {'raw loop':>9s}")
    for name, figures in steps.items():
        print(f"{name:50s} {figures['ours']:8.0f} {figures['raw']:9.0f}")
    print(json.dumps({name: {k: round(v, 1) for k, v in f.items()} for name, f in steps.items()}))


if __name__ == "__main__":
    main()
