"""Where a page's CPU time goes, step by step, for our client and the raw requests loop.

    python benchmarks/bench_steps.py [--quick] [--repeat N]

Each step runs ``--repeat`` times on its own (on one page of the big user's
posts fetched from the sandbox, which runs in another process) and is timed
with the process CPU clock; the figure is microseconds per page, median of
five batches. The steps are timed apart, so their sum is near, not equal to,
what a walk costs: a walk also pays for the garbage collections its objects
bring about, which ``bench_pager.py`` measures.
"""

from __future__ import annotations

import gc
import json
import statistics
import time
from typing import Any, Callable, Dict

import _harness as h
import requests

from tiktok._converter import structure, to_dict
from tiktok.models import PostPage
from tiktok.resources._posts import LIST as POSTS_LIST
from tiktok.signing import SignRequest, sign_attempt


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


def sign_once(transport: Any, path: str, params: Any) -> str:
    """Build and sign one URL as the transport does for a GET (headers left aside)."""
    now = time.time()
    ts, rticket = int(now), int(now * 1000)
    url = transport.build_url(path, params, ts, rticket)
    request = SignRequest.create(
        method="GET", url=url, headers={}, ts=ts, rticket=rticket, device=transport.device
    )
    return sign_attempt(transport.signer, request)[0]


def with_collector_off(step: Callable[[], Any]) -> Callable[[], Any]:
    def paused() -> Any:
        gc.disable()
        try:
            return step()
        finally:
            gc.enable()

    return paused


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
        base_request = requests.Request("GET", transport.base_url + h.POSTS_PATH, params=b"")
        page = structure(json.loads(content), PostPage)
        steps: Dict[str, Dict[str, float]] = {
            "build and sign the URL": {
                "ours": cpu_us(lambda: sign_once(transport, h.POSTS_PATH, params), repeat),
                "raw": cpu_us(lambda: raw.signed_url(0), repeat),
            },
            "session.prepare_request": {
                "ours": cpu_us(lambda: client.session.prepare_request(base_request), repeat),
                "raw": cpu_us(
                    lambda: raw.session.prepare_request(requests.Request("GET", page_url)),
                    repeat,
                ),
            },
            "send and read the body": {
                "ours": cpu_us(lambda: transport._send(endpoint, params, None).content, repeat),
                "raw": cpu_us(lambda: raw.session.get(page_url).content, repeat),
            },
            "json.loads": {
                "ours": cpu_us(lambda: json.loads(content), repeat),
                "raw": cpu_us(lambda: json.loads(content), repeat),
            },
            "models (collector paused, as the transport does)": {
                "ours": cpu_us(
                    with_collector_off(lambda: structure(json.loads(content), PostPage)), repeat
                )
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
