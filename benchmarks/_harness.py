"""What every benchmark shares: a sandbox in its own process, CPU clocks, the machine, medians.

The figures are ratios of client-process CPU time (``time.process_time()``:
user + system of this process only), so the sandbox runs in a child process
and its work never counts. Runs of the contenders alternate (A B B A ...) so
that drift in the machine hits every contender alike.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

import tiktok  # noqa: E402
from tiktok.sandbox import BIG_USER_ID, SandboxSigner, sandbox_device  # noqa: E402

__all__ = [
    "BIG_USER_ID",
    "RawLoop",
    "SandboxProcess",
    "alternate",
    "check_same_urls",
    "connection_stats",
    "machine",
    "make_client",
    "parser",
    "print_machine",
]

SIGNING_KEY = "sandbox"
POSTS_PATH = "aweme/v1/aweme/post/"
FEED_PATH = "aweme/v1/feed/"

# The child that serves: the sandbox of the brief, its URL on the first stdout line,
# until the benchmark closes the child's stdin.
_SERVE = """
import sys
from tiktok.sandbox import Sandbox
with Sandbox(seed={seed}, rate={rate!r}) as sandbox:
    print(sandbox.url, flush=True)
    sys.stdin.read()
"""


class SandboxProcess:
    """``tiktok.sandbox.Sandbox`` in a child process; ``.url`` once entered.

    ``rate`` is the sandbox's per-device limit (requests a second), ``None`` for none.
    """

    def __init__(self, seed: int = 0, rate: Optional[float] = None) -> None:
        self.seed = seed
        self.rate = rate
        self.url = ""
        self._process: Optional[subprocess.Popen[str]] = None

    def __enter__(self) -> SandboxProcess:
        env = dict(
            os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
        )
        self._process = subprocess.Popen(
            [sys.executable, "-c", _SERVE.format(seed=int(self.seed), rate=self.rate)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline().strip()
        if not line.startswith("http"):
            self.__exit__(None, None, None)
            raise RuntimeError(f"the sandbox did not start (first line: {line!r})")
        self.url = line if line.endswith("/") else line + "/"
        return self

    def __exit__(self, *exc: object) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        try:
            assert process.stdin is not None
            process.stdin.close()
            process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            process.terminate()
            process.wait(timeout=10)


def make_client(url: str, **kwargs: Any) -> tiktok.Client:
    """Our client on the sandbox: its test device and its signer."""
    return tiktok.Client(sandbox_device(), SandboxSigner(key=SIGNING_KEY), base_url=url, **kwargs)


class RawLoop:
    """The floor: a hand-written ``requests`` + ``json.loads`` loop over the same signed URLs.

    What a careful user writes by hand: one keep-alive session with the app's
    headers, the device part of the query encoded once, each page's URL built
    with an f-string in our wire order and signed by the same signer,
    ``json.loads`` of the body, dicts out. It yields every item so that consuming
    them costs what ours does. ``posts`` walks a user's posts (``max_cursor``),
    ``for_you`` the endless feed (no cursor).
    """

    def __init__(self, url: str, *, feed: bool = False, count: int = 20) -> None:
        from urllib.parse import quote

        device = sandbox_device()
        self.signer = SandboxSigner(key=SIGNING_KEY)
        self.session = requests.Session()
        self.session.headers.update(
            {
                "User-Agent": device.user_agent(),
                "Accept-Encoding": "gzip",
                "Connection": "keep-alive",
                "sdk-version": "1",
                "x-ss-tc": "0",
            }
        )
        self.feed = feed
        self.count = count
        device_query = "&".join(f"{k}={quote(v, safe='*,')}" for k, v in device.params().items())
        if feed:
            self._prefix = f"{url}{FEED_PATH}?type=0&count={count}&is_cold_start=1"
            self._suffix = f"&pull_type=2&retry_type=no_retry&{device_query}"
        else:
            self._prefix = f"{url}{POSTS_PATH}?user_id={BIG_USER_ID}"
            self._suffix = f"&count={count}&retry_type=no_retry&{device_query}"
        self._device_id = device.device_id

    def signed_url(self, cursor: int) -> str:
        now = time.time()
        ts = int(now)
        url = f"{self._prefix}&max_cursor={cursor}{self._suffix}&_rticket={int(now * 1000)}&ts={ts}"
        return self.signer.sign(url, ts, self._device_id)

    def items(self, pages: int) -> Iterator[Dict[str, Any]]:
        cursor = 0
        for _ in range(pages):
            body = json.loads(self.session.get(self.signed_url(cursor)).content)
            yield from body["aweme_list"]
            if not self.feed:
                if not body["has_more"]:
                    return
                cursor = body["max_cursor"]

    def walk(self, pages: int) -> int:
        items = 0
        for _item in self.items(pages):
            items += 1
        return items

    def page_size(self) -> Tuple[int, int]:
        """(bytes on the wire, bytes of JSON) of the first page."""
        response = self.session.get(self.signed_url(0), stream=True)
        wire = response.raw.read(decode_content=False)
        response.close()
        body = self.session.get(self.signed_url(0)).content
        return len(wire), len(body)


def check_same_urls(url: str, *, feed: bool = False) -> None:
    """Fail unless our client and the raw loop sign byte-identical URLs for the same page."""
    from unittest import mock

    signed: List[str] = []
    signer = SandboxSigner(key=SIGNING_KEY)

    def recording_sign(page_url: str, ts: int, device_id: str) -> str:
        signed.append(signer.sign(page_url, ts, device_id))
        return signed[-1]

    clock = tiktok.Clock(wall=lambda: 1_600_000_000.25)  # the clock the transport reads
    client = tiktok.Client(sandbox_device(), recording_sign, base_url=url, clock=clock)
    raw = RawLoop(url, feed=feed)
    with mock.patch("time.time", return_value=1_600_000_000.25):
        ours_walk = ours_posts_walker(client, feed=feed)
        ours_walk(1)
        expected = raw.signed_url(0)
    client.close()
    raw.session.close()
    if signed[0] != expected:
        raise RuntimeError(f"different URLs:\n ours {signed[0]}\n raw  {expected}")


def ours_posts_walker(
    client: tiktok.Client, count: int = 20, feed: bool = False
) -> Callable[[int], int]:
    """Our pager yielding full ``Post`` models: the big user's posts, or the For You feed."""

    def walk(pages: int) -> int:
        if feed:
            pager = client.feed.for_you(count=count, limit=pages * count)
        else:
            pager = client.users.posts(BIG_USER_ID, count=count, limit=pages * count)
        items = 0
        for _post in pager:
            items += 1
        return items

    return walk


def cpu_per_page(walk: Callable[[int], int], pages: int, items_per_page: int) -> float:
    """CPU seconds of this process per page for one walk; checks that it walked them all."""
    started = time.process_time()
    items = walk(pages)
    spent = time.process_time() - started
    if items != pages * items_per_page:
        raise RuntimeError(f"walked {items} items, expected {pages * items_per_page}")
    return spent / pages


def alternate(
    contenders: Dict[str, Callable[[], float]], rounds: int, warmup: int = 1
) -> Dict[str, List[float]]:
    """Run each contender ``rounds`` times, alternating order (ABBA), after untimed warm-ups."""
    names = list(contenders)
    for _ in range(warmup):
        for name in names:
            contenders[name]()
    results: Dict[str, List[float]] = {name: [] for name in names}
    for round_ in range(rounds):
        order = names if round_ % 2 == 0 else names[::-1]
        for name in order:
            results[name].append(contenders[name]())
    return results


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def ratio_line(label: str, ours: Sequence[float], base: Sequence[float]) -> str:
    """Ratio of medians, with the spread of the per-round ratios."""
    pair = sorted(a / b for a, b in zip(ours, base))
    return (
        f"{label}: {median(ours) / median(base):.2f}x "
        f"(per-round ratios {pair[0]:.2f}..{pair[-1]:.2f}, {len(pair)} rounds)"
    )


def connection_stats(session: requests.Session, url: str) -> Tuple[int, int]:
    """(connections opened, requests sent) to ``url``'s host, from the urllib3 pools' counters."""
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname
    adapter = session.get_adapter(url)
    pools = adapter.poolmanager.pools  # type: ignore[attr-defined]
    opened = sent = 0
    for key in pools.keys():  # noqa: SIM118 - the container refuses plain iteration
        pool = pools.get(key)
        if pool is not None and pool.host == host:
            opened += pool.num_connections
            sent += pool.num_requests
    return opened, sent


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _versions(*names: str) -> str:
    from importlib import metadata

    found = []
    for name in names:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found.append(f"{name} {metadata.version(name)}")
    return ", ".join(found)


def machine() -> Dict[str, str]:
    try:
        usable = str(len(os.sched_getaffinity(0)))
    except AttributeError:
        usable = "?"
    info = {
        "cpu": _cpu_model(),
        "cores": f"{os.cpu_count()} ({usable} usable)",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": platform.platform(),
        "libraries": _versions("requests", "urllib3", "attrs", "cattrs", "orjson"),
    }
    return info


def print_machine(extra: Optional[Dict[str, str]] = None) -> None:
    info = machine()
    info.update(extra or {})
    for key, value in info.items():
        print(f"{key + ':':11s} {value}")


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="a short run for CI")
    p.add_argument("--seed", type=int, default=0, help="the sandbox's seed (default 0)")
    return p
