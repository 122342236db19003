"""The figures of issue 22's hostile-network cases, measured: how long and how much a hostile peer costs.

- a media host dripping a byte every 0.1 s, ``Client(deadline=3)``: seconds until
  ``download`` gives up (the drip would take 20 s);
- a signing service dripping the same way, ``RemoteSigner(timeout=2)`` on a
  ``Client(deadline=3)``: seconds until the call gives up;
- a signing service answering 400 MiB: the process's peak RSS before and after;
- a sandbox with 4 slots (``idle_timeout=2``) held by 4 peers each sending a
  byte a second: seconds until a fifth client is served.

Everything runs on 127.0.0.1; run it with ``python benchmarks/bench_hostile.py``.
"""

from __future__ import annotations

import contextlib
import resource
import socket
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, List

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

import tiktok  # noqa: E402
from tiktok.models import UrlList  # noqa: E402
from tiktok.sandbox import Sandbox, sandbox_device  # noqa: E402

MiB = 1024 * 1024


class Peer:
    """A server on 127.0.0.1 answering every GET or POST with ``answer(handler)``."""

    def __init__(self, answer: Callable[[BaseHTTPRequestHandler], None]) -> None:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with contextlib.suppress(OSError):
                    answer(self)
                self.close_connection = True

            do_POST = do_GET

            def log_message(self, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def drip(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", "200")
    handler.end_headers()
    for _ in range(200):
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.1)


def huge(handler: BaseHTTPRequestHandler) -> None:
    block = b"0" * 65536
    handler.send_response(200)
    handler.send_header("Content-Length", str(400 * MiB))
    handler.end_headers()
    for _ in range(400 * MiB // len(block)):
        handler.wfile.write(block)


def timed(call: Callable[[], object]) -> float:
    started = time.monotonic()
    with contextlib.suppress(tiktok.TikTokError):
        call()
    return time.monotonic() - started


def download_drip() -> float:
    peer = Peer(drip)
    try:
        client = tiktok.Client(sandbox_device(), lambda u, t, d: u, base_url=peer.url, deadline=3)
        with tempfile.TemporaryDirectory() as folder:
            address = UrlList(uri="v", url_list=[peer.url + "v.mp4"])
            return timed(lambda: client.media.download(address, Path(folder) / "v.mp4"))
    finally:
        peer.close()


def signer_drip() -> float:
    peer = Peer(drip)
    try:
        with tiktok.RemoteSigner(peer.url + "sign", timeout=2) as signer:
            client = tiktok.Client(sandbox_device(), signer, base_url=peer.url, deadline=3)
            return timed(lambda: client.users.get("42"))
    finally:
        peer.close()


def signer_huge() -> List[float]:
    peer = Peer(huge)
    try:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with tiktok.RemoteSigner(peer.url + "sign", timeout=60) as signer:
            client = tiktok.Client(sandbox_device(), signer, base_url=peer.url, deadline=60)
            timed(lambda: client.users.get("42"))
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return [before, after]
    finally:
        peer.close()


def sandbox_slow_senders() -> float:
    with Sandbox(max_connections=4, idle_timeout=2) as sandbox:
        stop = threading.Event()

        def slow() -> None:
            with (
                socket.create_connection(("127.0.0.1", sandbox.port), timeout=30) as sock,
                contextlib.suppress(OSError),
            ):
                sock.sendall(b"GET / HTTP/1.1\r\nX-Slow: ")
                while not stop.is_set():
                    sock.sendall(b"x")
                    time.sleep(1.0)

        senders = [threading.Thread(target=slow, daemon=True) for _ in range(4)]
        for sender in senders:
            sender.start()
        time.sleep(0.3)
        started = time.monotonic()
        try:
            while time.monotonic() - started < 60:
                with socket.create_connection(("127.0.0.1", sandbox.port), timeout=30) as sock:
                    sock.sendall(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
                    if not sock.recv(100).startswith(b"HTTP/1.1 503"):
                        return time.monotonic() - started
                time.sleep(0.1)
            return float("inf")
        finally:
            stop.set()


def main() -> None:
    print(f"download, a byte every 0.1 s, deadline=3: gave up after {download_drip():.1f} s")
    print(f"RemoteSigner, a byte every 0.1 s, deadline=3, timeout=2: {signer_drip():.1f} s")
    before, after = signer_huge()
    print(f"RemoteSigner, a 400 MiB answer: peak RSS {before:.0f} MiB before, {after:.0f} after")
    served = sandbox_slow_senders()
    shown = f"after {served:.1f} s" if served != float("inf") else "not within 60 s"
    print(f"sandbox, 4 slots held by byte-a-second peers: a fifth client served {shown}")


if __name__ == "__main__":
    main()
