"""A photo post of 30 images: ``client.media.download`` against a plain ``requests`` loop.

    python benchmarks/bench_photo.py [--quick] [--rounds N]

The post is the sandbox's ``PHOTO_POST_ID``: 30 images (40-400 KB each) and its
sound, served by a sandbox in a child process. The contenders, run alternately
(A B B A ...), each write the 31 files into a new folder per round:

- ours: ``client.media.download(post, directory)``, with all it does (url
  fallback, a temporary folder renamed into place, the manifest);
- plain: one ``requests.Session``, ``get(url, stream=True)`` of each image and
  the sound into a file, taking each file's MD5 and comparing it with the MD5s
  ours wrote in its manifest (the same check, by hand).

The figure is the ratio of median times, ours/plain (target <= 1.2). Then the
connections: the same download by a fresh client on an in-process sandbox,
whose ``stats["connections"]`` counts the connections it accepted (target: 1,
the host's one kept-alive connection for all 31 files).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import _harness as h
import requests

from tiktok.sandbox import PHOTO_POST_ID, Sandbox

CHUNK = 1 << 16


def files_of(post: Any) -> List[Tuple[str, str]]:
    """(url, file name) of every image in order, then the sound, as ours names them."""
    files = [
        (image.display_image.url_list[0], f"{number:02d}.jpeg")
        for number, image in enumerate(post.images, 1)
    ]
    files.append((post.music.play_url.url_list[0], "sound.mp3"))
    return files


def ours(url: str, post: Any, directory: Path) -> Callable[[], float]:
    client = h.make_client(url)

    def run() -> float:
        shutil.rmtree(directory / "ours", ignore_errors=True)
        (directory / "ours").mkdir()
        started = time.perf_counter()
        client.media.download(post, directory / "ours")
        return time.perf_counter() - started

    return run


def plain(
    files: List[Tuple[str, str]], md5s: Dict[str, str], directory: Path
) -> Callable[[], float]:
    session = requests.Session()

    def run() -> float:
        folder = directory / "plain"
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        folder.mkdir()
        for url, name in files:
            digest = hashlib.md5()
            with session.get(url, stream=True) as response, open(folder / name, "wb") as out:
                response.raise_for_status()
                for chunk in response.iter_content(CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
            if digest.hexdigest() != md5s[name]:
                raise RuntimeError(f"{name}: the MD5 does not match")
        return time.perf_counter() - started

    return run


def connections_of_one_download() -> Tuple[int, int]:
    """(connections, requests) the sandbox counted for one download by a fresh client."""
    with Sandbox(seed=0) as sandbox, tempfile.TemporaryDirectory() as tmp:
        with sandbox.client() as reader:
            post = reader.posts.get(PHOTO_POST_ID)
        before = sandbox.stats
        with sandbox.client() as client:
            client.media.download(post, tmp)
        after = sandbox.stats
        return (
            after["connections"] - before["connections"],
            after["requests"] - before["requests"],
        )


def main() -> None:
    p = h.parser(__doc__.splitlines()[0])
    p.add_argument(
        "--rounds", type=int, default=None, help="alternating rounds (default 9, quick 3)"
    )
    args = p.parse_args()
    rounds = args.rounds or (3 if args.quick else 9)
    h.print_machine()
    with h.SandboxProcess(seed=args.seed) as sandbox, tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        reader = h.make_client(sandbox.url)
        post = reader.posts.get(PHOTO_POST_ID)
        reader.close()
        files = files_of(post)
        # The MD5s both check against: those ours writes in its manifest, from a first download.
        reference = directory / "reference"
        reference.mkdir()
        first = h.make_client(sandbox.url).media.download(post, reference)
        manifest = json.loads(Path(first.path or "", "manifest.json").read_bytes())
        md5s = {entry["file"]: entry["md5"] for entry in manifest["images"]}
        md5s["sound.mp3"] = manifest["sound"]["md5"]
        total = first.size
        contenders = {
            "ours": ours(sandbox.url, post, directory),
            "plain": plain(files, md5s, directory),
        }
        times = h.alternate(contenders, rounds)
        # Both wrote the same files, byte for byte.
        ours_folder = directory / "ours" / PHOTO_POST_ID
        for _, name in files:
            if (ours_folder / name).read_bytes() != (directory / "plain" / name).read_bytes():
                raise RuntimeError(f"{name}: the contenders wrote different bytes")
        print(f"{len(files)} files ({len(files) - 1} images and the sound), {total / 1e6:.1f} MB, "
              f"{rounds} rounds (alternating)")  # fmt: skip
        for name in contenders:
            print(f"  {name:5}: median {h.median(times[name]) * 1000:.0f} ms")
        print(h.ratio_line("time ours/plain", times["ours"], times["plain"]) + " (target <= 1.20)")
    opened, sent = connections_of_one_download()
    print(f"connections for one download: {opened} for {sent} requests (target: 1)")


if __name__ == "__main__":
    main()
