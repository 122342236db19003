"""Download throughput: ``client.media.download`` against plain ``requests`` streaming loops.

    python benchmarks/bench_download.py [--quick] [--rounds N] [--files N]

The contenders fetch the same sandbox media files (a few hundred KB to a few
MB each, served by a sandbox in a child process) into files in a temporary
directory:

- ours, with every check it makes (size, MD5, temporary file then rename);
- plain: the loop a user writes by hand (``session.get(url, stream=True)`` and
  ``iter_content`` into a file), which checks nothing;
- checked: the same loop, also taking the MD5 of the bytes and comparing it
  with the address's ``file_hash``, as ours must (docs/protocol.rst (Media)).

Runs alternate (A B C C B A ...); each figure is a ratio of median
throughputs. The issue's target is ours at least 0.9x plain. On loopback the
MD5 itself can cost as much as the whole plain loop, so "checked / plain" is
printed too (what the check alone costs on this machine), and "ours /
checked" is what our own code costs on top of it. Each round writes new files
(the last round's are removed, untimed), as downloads of new posts do.
Peak memory is the Python heap's peak (``tracemalloc``) during one download of
the smallest and of the largest file: flat whatever the size, for both.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Callable, Dict, List, Tuple

import _harness as h
import requests

from tiktok.models import UrlList

CHUNK = 1 << 16


def addresses(url: str, files: int) -> List[UrlList]:
    """The best no-watermark address of the big user's first posts, as ``download`` picks it."""
    from tiktok._media import choose_address

    client = h.make_client(url)
    posts = list(client.users.posts(h.BIG_USER_ID, limit=files))
    client.close()
    return [choose_address(post)[0] for post in posts]


def fresh(directory: Path, prefix: str) -> None:
    """Remove a contender's files of the last round, untimed: each round writes new files,
    as downloads of new posts do (writing over a file costs more on some file systems)."""
    for path in directory.glob(f"{prefix}-*.mp4"):
        path.unlink()


def ours(
    client_factory: Callable[[], object], targets: List[UrlList], directory: Path
) -> Callable[[], float]:
    client = client_factory()
    prefix = "ours"

    def run() -> float:
        fresh(directory, prefix)
        started = time.perf_counter()
        for index, target in enumerate(targets):
            client.media.download(target, directory / f"{prefix}-{index}.mp4")  # type: ignore[attr-defined]
        return time.perf_counter() - started

    return run


def plain(targets: List[UrlList], directory: Path) -> Callable[[], float]:
    session = requests.Session()
    prefix = "plain"

    def run() -> float:
        fresh(directory, prefix)
        started = time.perf_counter()
        for index, target in enumerate(targets):
            assert target.url_list
            with session.get(target.url_list[0], stream=True) as response:
                response.raise_for_status()
                with open(directory / f"{prefix}-{index}.mp4", "wb") as out:
                    for chunk in response.iter_content(CHUNK):
                        out.write(chunk)
        return time.perf_counter() - started

    return run


def checked(targets: List[UrlList], directory: Path) -> Callable[[], float]:
    session = requests.Session()
    prefix = "checked"

    def run() -> float:
        fresh(directory, prefix)
        started = time.perf_counter()
        for index, target in enumerate(targets):
            assert target.url_list
            digest = hashlib.md5()
            with session.get(target.url_list[0], stream=True) as response:
                response.raise_for_status()
                with open(directory / f"{prefix}-{index}.mp4", "wb") as out:
                    for chunk in response.iter_content(CHUNK):
                        out.write(chunk)
                        digest.update(chunk)
            if digest.hexdigest() != target.file_hash:
                raise RuntimeError(f"file {index}: the MD5 does not match")
        return time.perf_counter() - started

    return run


def heap_peak(download: Callable[[], object]) -> int:
    """The Python heap's peak (bytes) above its level before one download."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        download()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before


def peaks(
    client: object, session: requests.Session, target: UrlList, path: Path
) -> Tuple[int, int]:
    """The heap peaks of one download of ``target`` by each contender."""
    assert target.url_list
    url = target.url_list[0]

    def plain_one() -> None:
        with session.get(url, stream=True) as response, open(path, "wb") as out:
            for chunk in response.iter_content(CHUNK):
                out.write(chunk)

    return (
        heap_peak(lambda: client.media.download(target, path)),  # type: ignore[attr-defined]
        heap_peak(plain_one),
    )


def main() -> None:
    p = h.parser(__doc__.splitlines()[0])
    p.add_argument(
        "--rounds", type=int, default=None, help="alternating rounds (default 9, quick 3)"
    )
    p.add_argument("--files", type=int, default=None, help="files per round (default 8, quick 4)")
    args = p.parse_args()
    rounds = args.rounds or (3 if args.quick else 9)
    files = args.files or (4 if args.quick else 8)
    h.print_machine()
    with h.SandboxProcess(seed=args.seed) as sandbox, tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        targets = addresses(sandbox.url, files)
        total = sum(t.data_size or 0 for t in targets)
        contenders: Dict[str, Callable[[], float]] = {
            "ours": ours(lambda: h.make_client(sandbox.url), targets, directory),
            "plain": plain(targets, directory),
            "checked": checked(targets, directory),
        }
        times = h.alternate(contenders, rounds)
        # Both wrote the same bytes, and they are the file's.
        for index, target in enumerate(targets):
            ours_bytes = (directory / f"ours-{index}.mp4").read_bytes()
            plain_bytes = (directory / f"plain-{index}.mp4").read_bytes()
            if ours_bytes != plain_bytes or hashlib.md5(ours_bytes).hexdigest() != target.file_hash:
                raise RuntimeError(f"file {index}: the contenders wrote different bytes")
        speed = {name: [total / t / 1e6 for t in values] for name, values in times.items()}
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"{files} files, {total / 1e6:.1f} MB a round, {rounds} rounds (alternating)")
        print(f"  load average at the end: {load:.2f} on {os.cpu_count()} cores")
        for name in contenders:
            print(f"  {name:7}: median {h.median(speed[name]):.0f} MB/s")
        # Throughput is bytes over time: the ratio of speeds is base time over ours.
        print(
            h.ratio_line("throughput ours/plain", times["plain"], times["ours"])
            + " (target >= 0.90)"
        )
        print(
            h.ratio_line("  the MD5 ceiling, checked/plain", times["plain"], times["checked"])
            + " (what taking the MD5 alone costs here)"
        )
        print(
            h.ratio_line("  ours/checked", times["checked"], times["ours"])
            + " (what our code costs beyond the check)"
        )

        by_size = sorted(targets, key=lambda t: t.data_size or 0)
        client = h.make_client(sandbox.url)
        session = requests.Session()
        for label, target in (("smallest", by_size[0]), ("largest", by_size[-1])):
            ours_peak, plain_peak = peaks(client, session, target, directory / "peak.mp4")
            print(
                f"  heap peak, {label} file ({(target.data_size or 0) / 1e6:.1f} MB): "
                f"ours {ours_peak / 1024:.0f} KiB, plain {plain_peak / 1024:.0f} KiB"
            )


if __name__ == "__main__":
    main()
