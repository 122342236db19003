"""A scripted HTTP server on 127.0.0.1 and the client the reliability tests point at it.

``responses`` replaces ``HTTPAdapter.send`` and so skips urllib3's retry
machinery; these tests need the real socket path. The server answers each
request with the next :class:`Step` of its script (the last step repeats) and
records every request it saw, with the time it arrived.
"""

from __future__ import annotations

import contextlib
import json
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Union
from urllib.parse import parse_qs, urlsplit

import attrs

import tiktok

DEVICE = tiktok.Device(
    device_id="6611111111111111111", iid="6622222222", openudid="abc123", fp="fp1"
)


def append_signature(url: str, ts: int, device_id: str) -> str:
    """A signer that signs nothing: the scripted server does not check signatures."""
    return f"{url}&as=a1&cp=c1&mas=m1"


@attrs.frozen
class Step:
    """What the server does with one request.

    ``action``: ``"answer"`` sends ``status``/``headers``/``body``; ``"close"``
    closes the connection without answering; ``"cut"`` promises the whole body in
    ``Content-Length``, sends half of it and closes. ``delay`` is slept first.
    """

    status: int = 200
    body: bytes = b""
    headers: Dict[str, str] = attrs.field(factory=dict)
    action: str = "answer"
    delay: float = 0.0


def ok(payload: Union[Dict[str, Any], bytes], **headers: str) -> Step:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return Step(200, body, {"Content-Type": "application/json", **headers})


def status(code: int, **headers: str) -> Step:
    body = json.dumps({"status_code": 9, "status_msg": f"http {code}"}).encode()
    return Step(code, body, {"Content-Type": "application/json", **headers})


CLOSE = Step(action="close")


@attrs.frozen
class Hit:
    method: str
    path: str
    query: Dict[str, List[str]]
    body: bytes
    headers: Dict[str, str]
    at: float


class ScriptServer:
    """Answers requests from a script and counts them."""

    def __init__(self, ssl_context: Optional[ssl.SSLContext] = None) -> None:
        self.hits: List[Hit] = []
        self._steps: List[Step] = [ok({"status_code": 0})]
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                owner._handle(self)

            do_POST = do_GET

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that timed out and left is part of the script

        self._server = Server(("127.0.0.1", 0), Handler)
        scheme = "http"
        if ssl_context is not None:
            self._server.socket = ssl_context.wrap_socket(self._server.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self._server.server_address[1]}/"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def script(self, *steps: Step) -> None:
        """Answer the next requests with ``steps`` in order; the last one repeats."""
        with self._lock:
            self._steps = list(steps)
            self.hits.clear()

    def gaps(self) -> List[float]:
        """Seconds between consecutive requests."""
        return [b.at - a.at for a, b in zip(self.hits, self.hits[1:])]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> ScriptServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        target = urlsplit(handler.path)
        with self._lock:
            self.hits.append(
                Hit(
                    handler.command,
                    target.path,
                    parse_qs(target.query, keep_blank_values=True),
                    body,
                    dict(handler.headers.items()),
                    time.monotonic(),
                )
            )
            step = self._steps.pop(0) if len(self._steps) > 1 else self._steps[0]
        if step.delay:
            time.sleep(step.delay)
        if step.action == "close":
            handler.close_connection = True
            return
        handler.send_response(step.status)
        for name, value in step.headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(step.body)))
        if step.action == "cut":
            handler.send_header("Connection", "close")
            handler.end_headers()
            handler.wfile.write(step.body[: len(step.body) // 2])
            handler.wfile.flush()
            handler.close_connection = True
            return
        handler.end_headers()
        handler.wfile.write(step.body)


class Hostile:
    """Answers every request (GET or POST, its body read first) with ``answer(handler)``.

    ``hits`` counts the requests; ``finished`` is set once an answer ran to its
    end, which a client that hung up early (the point of most hostile answers)
    prevents.
    """

    def __init__(self, answer: Callable[[BaseHTTPRequestHandler], None]) -> None:
        self.hits = 0
        self.finished = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                owner.hits += 1
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with contextlib.suppress(OSError):  # the client hung up: that is the point
                    answer(self)
                    owner.finished.set()
                self.close_connection = True

            do_POST = do_GET

            def log_message(self, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Hostile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def drip(body: bytes, gap: float, sent: Optional[List[int]] = None) -> Callable[..., None]:
    """A :class:`Hostile` answer: ``200`` announcing ``body``, then a byte of it every
    ``gap`` seconds (``sent`` gets a 1 for each byte sent)."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("Connection", "close")  # Hostile closes after each answer
        handler.end_headers()
        for byte in body:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            if sent is not None:
                sent.append(1)
            time.sleep(gap)

    return answer


def make_client(
    base_url: str,
    *,
    retries: int = 2,
    backoff: float = 0.0,
    timeout: Union[float, tuple] = 5.0,
    signer: Optional[Any] = None,
    **options: Any,
) -> tiktok.Client:
    return tiktok.Client(
        DEVICE,
        signer or append_signature,
        base_url=base_url,
        retries=retries,
        backoff=backoff,
        timeout=timeout,
        **options,
    )


class Waits(List[float]):
    """The waits of a client made with ``clock=waits.clock()``: recorded, not slept.

    Its backoff's jitter draws ``jitter`` (1.0: the top of each range).
    """

    def __init__(self, jitter: float = 1.0) -> None:
        super().__init__()
        self.jitter = jitter

    def clock(self, **overrides: Any) -> tiktok.Clock:
        """A clock that records the waits here and draws ``jitter``; ``overrides`` replace parts."""
        parts: Dict[str, Any] = {"sleep": self.append, "random": lambda: self.jitter}
        return tiktok.Clock(**{**parts, **overrides})


def unused_port() -> int:
    """A port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
