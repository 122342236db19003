"""Recording a live room: CPU per second of stream and memory, ours against a plain requests loop.

    python benchmarks/bench_live.py [--quick] [--minutes M] [--speed S] [--rounds N]

A sandbox in a child process (its CPU never counts) broadcasts rooms of
``--minutes`` of stream (10 by default, 2 with ``--quick``) at ``--speed``
times real time. Each round, ``client.live.record`` and a plain loop (one
``requests`` GET of the same HTTP-FLV url, ``iter_content`` written to a file:
what a user writes by hand, with no tag parsing, no reconnection, no limits)
each record a room of their own, alternating. Printed: client-process CPU
(``time.process_time``) per second of stream for both and their ratio, and the
resident set size sampled through the recording: the growth from the first
tenth to the end (flat: a few MB at most, whatever the length).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable, Dict, List, Tuple

import _harness as h
import requests

# The child: a sandbox that starts a broadcast for each line "SECONDS SPEED" on stdin
# and answers "OWNER ROOM_ID"; its URL first.
_SERVE = """
import sys
from tiktok.sandbox import Sandbox
with Sandbox() as sandbox:
    print(sandbox.url, flush=True)
    owner = 6_800_000_000_000_001_100
    for line in sys.stdin:
        seconds, speed = line.split()
        owner += 1
        room = sandbox.go_live(owner, duration=float(seconds), speed=float(speed))
        print(owner, room.room_id, flush=True)
"""


class Broadcaster:
    """The sandbox child: ``url``, and :meth:`start` to begin a broadcast."""

    def __init__(self) -> None:
        env = dict(
            os.environ, PYTHONPATH=os.pathsep.join([str(h.ROOT), os.environ.get("PYTHONPATH", "")])
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", _SERVE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http"):
            raise RuntimeError(f"the sandbox did not start: {self.url!r}")

    def start(self, seconds: float, speed: float) -> Tuple[int, int]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{seconds} {speed}\n")
        self.process.stdin.flush()
        owner, room = self.process.stdout.readline().split()
        return int(owner), int(room)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)


def rss() -> int:
    """This process's resident set size in bytes (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


class Sampler:
    """RSS every 50 ms on a thread, while a recording runs."""

    def __init__(self) -> None:
        self.samples: List[int] = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._done.wait(0.05):
            self.samples.append(rss())

    def __enter__(self) -> Sampler:
        self.samples.append(rss())
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()
        self.samples.append(rss())

    def peak(self) -> int:
        return max(self.samples)

    def growth(self) -> int:
        """From the end of the first tenth to the peak after it."""
        start = max(1, len(self.samples) // 10)
        return max(self.samples[start:]) - self.samples[start]


class Run:
    """One contender's record: CPU seconds, stream seconds and RSS growth of each round."""

    def __init__(self) -> None:
        self.cpu: List[float] = []
        self.stream: List[float] = []
        self.growth: List[int] = []
        self.peak: List[int] = []

    def add(self, cpu: float, path: Path, sampler: Sampler) -> float:
        """Keep one round's figures; its CPU seconds back."""
        self.cpu.append(cpu)
        self.stream.append(stream_seconds(path))
        self.growth.append(sampler.growth())
        self.peak.append(sampler.peak())
        return cpu

    def per_stream_second(self) -> List[float]:
        return [cpu / stream for cpu, stream in zip(self.cpu, self.stream)]


def stream_seconds(path: Path) -> float:
    """First to last timestamp of an FLV file's tags, read by hand (the plain loop has none)."""
    data = path.read_bytes()
    position, first, last = 13, None, 0
    while position + 11 <= len(data):
        size = int.from_bytes(data[position + 1 : position + 4], "big")
        if data[position] in (8, 9):
            stamp = (
                int.from_bytes(data[position + 4 : position + 7], "big") | data[position + 7] << 24
            )
            first = stamp if first is None else first
            last = stamp
        position += 11 + size + 4
    return (last - (first or 0)) / 1000


def ours(
    broadcaster: Broadcaster, seconds: float, speed: float, path: Path, run: Run
) -> Callable[[], float]:
    def once() -> float:
        client = h.make_client(broadcaster.url, webcast_url=broadcaster.url)
        owner, _ = broadcaster.start(seconds, speed)
        started = time.process_time()
        with Sampler() as sampler:
            result = client.live.record(owner, path)
        spent = time.process_time() - started
        client.close()
        if result.stopped_by != "ended" or result.seconds < seconds - 10:
            raise RuntimeError(f"our recording stopped early: {result}")
        return run.add(spent, path, sampler)

    return once


def plain(
    broadcaster: Broadcaster, seconds: float, speed: float, path: Path, run: Run
) -> Callable[[], float]:
    client = h.make_client(broadcaster.url, webcast_url=broadcaster.url)

    def once() -> float:
        _, room_id = broadcaster.start(seconds, speed)
        room = client.live.room_info(room_id)  # untimed: the loop only reads the stream
        url = client.live.streams(room)[0].url
        started = time.process_time()
        with (
            Sampler() as sampler,
            requests.get(url, stream=True) as response,
            open(path, "wb") as out,
        ):
            for chunk in response.iter_content(64 * 1024):
                out.write(chunk)
        spent = time.process_time() - started
        return run.add(spent, path, sampler)

    return once


def main() -> None:
    p = h.parser(__doc__.splitlines()[0])
    p.add_argument(
        "--minutes", type=float, default=None, help="stream minutes a room (10; quick 2)"
    )
    p.add_argument("--speed", type=float, default=60.0, help="times real time (default 60)")
    p.add_argument("--rounds", type=int, default=None, help="alternating rounds (3; quick 1)")
    args = p.parse_args()
    minutes = args.minutes or (2.0 if args.quick else 10.0)
    rounds = args.rounds or (1 if args.quick else 3)
    seconds = minutes * 60
    h.print_machine()
    broadcaster = Broadcaster()
    runs: Dict[str, Run] = {"ours": Run(), "plain": Run()}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            files = {name: Path(tmp) / f"{name}.flv" for name in runs}
            # Untimed: a 20-second room each first, so that one-off costs (imports, the
            # converter's hooks made on first use) are not counted against the stream.
            ours(broadcaster, 20, args.speed, files["ours"], Run())()
            plain(broadcaster, 20, args.speed, files["plain"], Run())()
            contenders = {
                "ours": ours(broadcaster, seconds, args.speed, files["ours"], runs["ours"]),
                "plain": plain(broadcaster, seconds, args.speed, files["plain"], runs["plain"]),
            }
            h.alternate(contenders, rounds, warmup=0)
            size = files["ours"].stat().st_size
    finally:
        broadcaster.close()
    print(
        f"rooms of {minutes:g} min of stream ({size / 1e6:.1f} MB of FLV) at {args.speed:g}x "
        f"real time, {rounds} rounds (alternating)"
    )
    for name, run in runs.items():
        print(
            f"  {name:5}: CPU {h.median(run.per_stream_second()) * 1e3:.3f} ms per second of "
            f"stream ({h.median(run.stream):.0f} s recorded); RSS peak {max(run.peak) / 1e6:.1f} MB, "
            f"growth after the first tenth {max(run.growth) / 1e6:.1f} MB (largest of {rounds})"
        )
    print(
        h.ratio_line(
            "CPU per stream second, ours/plain",
            runs["ours"].per_stream_second(),
            runs["plain"].per_stream_second(),
        )
    )


if __name__ == "__main__":
    main()
