"""The HTTP side: a stdlib ``ThreadingHTTPServer`` speaking HTTP/1.1 keep-alive, signing
checks on the raw request line, fault injection, and the :class:`Sandbox` that runs it.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import logging
import re
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Set,
    Tuple,
    Type,
    Union,
)
from urllib.parse import parse_qsl

from ._faults import MEDIA_FAULTS, READ_FAULTS, REFUSALS, WRITE_FAULTS, Fault, FaultPicker, Stats
from ._handlers import ROUTES, App, Request, Route, route_path
from ._limits import BadRequestError, Limits, read_body
from ._links import answer_link, link_code
from ._live import LIVE_PREFIX, QUALITIES, SandboxRoom, StreamCutError
from ._media import MEDIA_PREFIX, Stream, byte_range, media_headers
from ._rate import RateLimiter, retry_after
from ._refusals import Behaviour, StandingFaults, parse_fault, refusal_answer
from ._render import extra
from ._signing import (
    SIGNING_MODES,
    SandboxRequestSigner,
    SandboxSigner,
    decode_target,
    request_target,
    sandbox_encrypt,
    sign_for_service,
    verify_headers,
    verify_target,
)
from ._state import State
from ._world import World

if TYPE_CHECKING:
    from ..client import Client
    from ..device import Device

__all__ = ["Sandbox", "sandbox_device", "serve"]

log = logging.getLogger("tiktok.sandbox")

#: A request missing any of these, or with a wrong signature, gets 200 and an empty body.
REQUIRED_PARAMS = ("device_id", "iid", "openudid", "fp", "ts", "_rticket")
JSON_TYPE = "application/json; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
#: The signing service's path (docs/protocol.rst (Request signing)).
SIGN_PATH = "/sign"
ENCRYPT_PATH = "/encrypt"
REGISTER_PATH = "/service/2/device_register/"
# Sent from the accepting thread to a connection beyond Limits.max_connections.
BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Content-Length: 19\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
    b"503 too many peers\n"
)


def sandbox_device() -> Device:
    """A :class:`tiktok.Device` with made-up params, good for the sandbox only."""
    from ..device import Device

    return Device(
        device_id="6600000000000000001",
        iid="6600000000000000002",
        openudid="0123456789abcdef",
        fp="sandbox-fingerprint",
    )


@dataclass
class Outcome:
    """What the connection does with one request: answer, or drop without answering."""

    status: int = 200
    body: bytes = b""
    content_type: str = JSON_TYPE
    headers: List[Tuple[str, str]] = field(default_factory=list)
    drop: bool = False
    #: media: a streamed body instead of ``body`` (never compressed)
    stream: Optional[Stream] = None


def _json(body: Dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _text(status: int, reason: str, headers: Optional[List[Tuple[str, str]]] = None) -> Outcome:
    return Outcome(status, f"{status} {reason}\n".encode(), TEXT_TYPE, headers or [])


class Dispatcher:
    """Request in, :class:`Outcome` out: signature check, routing, faults, the app."""

    def __init__(
        self,
        app: App,
        signing_key: str,
        faults: FaultPicker,
        stats: Stats,
        slow_seconds: float,
        limiter: Optional[RateLimiter] = None,
        signing: str = "url",
        clock: Callable[[], float] = time.time,
        standing: Optional[StandingFaults] = None,
        behaviour: Optional[Behaviour] = None,
    ) -> None:
        self.app = app
        #: refusals on every request, and those the API makes of its own accord
        self.standing = standing if standing is not None else StandingFaults()
        self.behaviour = behaviour if behaviour is not None else Behaviour()
        self.signing_key = signing_key
        self.signing = signing
        self.clock = clock
        self.faults = faults
        self.stats = stats
        self.slow_seconds = slow_seconds
        self.limiter = limiter
        self.faults_enabled = True
        #: set when the server closes: a slow answer stops waiting
        self.closing = threading.Event()
        self._injected: List[Fault] = []
        self._injected_lock = threading.Lock()

    def __call__(self, request: Request) -> Outcome:
        target = (
            request.target if request.target.startswith("/") else request_target(request.target)
        )
        if target.split("?", 1)[0] == SIGN_PATH:
            return self._sign(request)  # the signing service: no API request, no faults
        if target.split("?", 1)[0] == ENCRYPT_PATH:
            return self._encrypt(request)  # the signing service's encryption
        if target.split("?", 1)[0] == REGISTER_PATH:
            return self._register(request, target)  # the log host
        link = answer_link(self.app.world, request.method, target, request.headers)
        if link is not None:  # a share link: a web page, neither signed nor routed
            status, headers, body = link
            content_type = dict(headers).get("Content-Type", TEXT_TYPE)
            rest = [(name, value) for name, value in headers if name != "Content-Type"]
            return Outcome(status, body, content_type, rest)
        number = self.stats.count_request()
        path = target.split("?", 1)[0].lstrip("/")
        if path.startswith(MEDIA_PREFIX):
            return self._media(number, request, path)  # a media host: unsigned, not limited
        if path.startswith(LIVE_PREFIX):
            return self._live(request, path)  # a stream host: unsigned, not limited
        self.stats.count_signature(_signature_of(target, request.headers))
        params = self._accepted(target, request)
        if params is None:
            self.stats.count_rejected()
            return Outcome()  # how the real API answers a bad signature or device
        refused = self._refused(target, request, params)
        if refused is not None:
            self.stats.count_fault(refused)
            log.debug("request %d %s: refused %s", number, route_path(target), refused.value)
            return self._refusal(refused)
        limited = self._rate_limited(number, target, params)
        if limited is not None:
            return limited
        route = ROUTES.get(route_path(target))
        if route is None:
            return Outcome(404, _json({"status_code": 404, "status_msg": "no such endpoint"}))
        if request.method != route.method:
            return Outcome(405, _json({"status_code": 405, "status_msg": f"use {route.method}"}))
        request = Request(request.method, decode_target(target), request.headers, request.body)
        fault = self._take_injected((*WRITE_FAULTS, *REFUSALS) if route.write else API_FAULTS)
        if fault is None and self.faults_enabled:
            fault = self.faults.pick(number, route.write)
        if fault is None:
            return self._answer(request, route)
        self.stats.count_fault(fault)
        log.debug("request %d %s: fault %s", number, route_path(target), fault.value)
        return self._faulty(fault, request, route)

    def _accepted(self, target: str, request: Request) -> Optional[Dict[str, str]]:
        """The query's params of a signed request with every device param, else ``None``."""
        # On the raw target, before any decoding: the signature covers these exact bytes.
        if self.signing == "headers":
            signed = verify_headers(
                self.signing_key,
                method=request.method,
                target=target,
                headers=request.headers,
                body=request.body,
                now=self.clock(),
            )
        else:
            signed = verify_target(self.signing_key, target)
        if not signed:
            return None
        query = target.split("?", 1)[1] if "?" in target else ""
        present: Dict[str, str] = {}
        for name, value in parse_qsl(query, keep_blank_values=True):
            if value:
                present.setdefault(name, value)
        if not all(name in present for name in REQUIRED_PARAMS):
            return None
        return present

    def _refused(self, target: str, request: Request, params: Dict[str, str]) -> Optional[Fault]:
        """A standing refusal of this device, or one its behaviour earns (docs/sandbox.rst
        (Refusals))."""
        standing = self.standing.for_device(params["device_id"]) if self.standing else None
        if standing is not None:
            return standing
        age = self.app.session_age(request.headers)
        return self.behaviour.judge(route_path(target), params, age)

    def _refusal(self, fault: Fault) -> Outcome:
        bare = self._faulty_bare(fault)
        if bare is not None:
            return bare
        body, headers = refusal_answer(fault, extra(True), captcha_body())
        return Outcome(200, body, JSON_TYPE, headers)

    def _rate_limited(self, number: int, target: str, params: Dict[str, str]) -> Optional[Outcome]:
        """429 with ``Retry-After`` above the per-device rate (docs/sandbox.rst (Rate limit))."""
        if self.limiter is None:
            return None
        wait = self.limiter.admit(params["device_id"])
        if wait is None:
            return None
        self.stats.count_rate_limited()
        log.debug("request %d %s: rate limited", number, route_path(target))
        return Outcome(
            429,
            _json({"status_code": 429, "status_msg": "Too many requests, slow down"}),
            headers=[("Retry-After", retry_after(wait))],
        )

    def _sign(self, request: Request) -> Outcome:
        """``POST /sign``: sign a RemoteSigner payload with this sandbox's key and mode."""
        if request.method != "POST":
            return Outcome(405, _json({"error": "use POST"}))
        try:
            answer = sign_for_service(self.signing_key, self.signing, json.loads(request.body))
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError among them
            return Outcome(400, _json({"error": str(exc)}))
        except RecursionError:
            return Outcome(400, _json({"error": "the payload is nested too deeply"}))
        return Outcome(200, _json(answer))

    def _encrypt(self, request: Request) -> Outcome:
        """``POST /encrypt``: the sandbox's own encryption of a device description."""
        if request.method != "POST":
            return Outcome(405, _json({"error": "use POST"}))
        return Outcome(
            200, sandbox_encrypt(self.signing_key, request.body), "application/octet-stream"
        )

    def _register(self, request: Request, target: str) -> Outcome:
        """``POST /service/2/device_register/``: a device description, encrypted with
        :func:`sandbox_encrypt`, gets ids made from its ``openudid`` (docs/sandbox.rst)."""
        if request.method != "POST":
            return Outcome(405, _json({"error": "use POST"}))
        try:
            description = json.loads(sandbox_encrypt(self.signing_key, request.body))
            header = description["header"]
            openudid, aid = str(header["openudid"]), str(header["aid"])
        except (ValueError, TypeError, KeyError, RecursionError):
            # What a log host answers a body it cannot decrypt: no ids.
            return Outcome(200, _json({"device_id": 0, "install_id": 0, "device_id_str": "0",
                                       "install_id_str": "0", "server_time": int(time.time())}))  # fmt: skip
        seed = int.from_bytes(hashlib.sha256(f"{aid}:{openudid}".encode()).digest()[:8], "big")
        device_id = str(6700000000000000000 + seed % 10**17)
        iid = str(6710000000000000000 + (seed >> 7) % 10**16)
        self.behaviour.issued(iid, aid)
        answer = {"device_id": int(device_id), "install_id": int(iid), "device_id_str": device_id,
                  "install_id_str": iid, "new_user": 1, "server_time": int(time.time())}  # fmt: skip
        return Outcome(
            200, _json(answer), JSON_TYPE, [("Set-Cookie", f"ttreq=1${openudid}; Path=/")]
        )

    def _answer(self, request: Request, route: Route) -> Outcome:
        try:
            reply = self.app.handle(request, route)
        except Exception:
            log.exception("the sandbox failed on %s", request.target.split("?", 1)[0])
            return Outcome(500, _json({"status_code": 500, "status_msg": "sandbox error"}))
        return Outcome(200, _json(reply.body), JSON_TYPE, reply.headers)

    # -- injected faults and media (docs/sandbox.rst (Media), (Failures)) -----------------

    def inject(self, fault: Fault, count: int) -> None:
        with self._injected_lock:
            self._injected.extend([fault] * count)

    def _take_injected(self, kinds: Tuple[Fault, ...]) -> Optional[Fault]:
        """The first injected fault this kind of request can meet, removed from the queue."""
        with self._injected_lock:
            for position, fault in enumerate(self._injected):
                if fault in kinds:
                    return self._injected.pop(position)
        return None

    def _media(self, number: int, request: Request, path: str) -> Outcome:
        """An unsigned GET of a media file: the whole file, or the ``Range`` asked for."""
        media = self.app.media_file(path) if request.method == "GET" else None
        if media is None:
            return _text(404, "Not Found")
        fault = self._take_injected(MEDIA_FAULTS)
        if fault is None and self.faults_enabled:
            fault = self.faults.pick_media(number)
        if fault is not None:
            self.stats.count_fault(fault)
            log.debug("request %d %s: fault %s", number, path, fault.value)
            if fault is Fault.DROP:
                return Outcome(drop=True)
            if fault is Fault.HTTP_503:
                return _text(503, "Service Unavailable")
        try:
            span = byte_range(request.headers.get("range"), media.size)
        except ValueError:
            return _text(416, "Range Not Satisfiable", [("Content-Range", f"bytes */{media.size}")])
        status, (first, last) = 206, span or (0, media.size - 1)
        # RFC 9110 If-Range: the range only of the file the client names, else all of it.
        if_range = request.headers.get("if-range")
        stale = if_range is not None and if_range != media.etag
        if span is None or stale or fault is Fault.IGNORE_RANGE:
            status, first, last = 200, 0, media.size - 1
        length = last - first + 1
        cut_at = length // 2 if fault is Fault.CUT_TRANSFER else None
        return Outcome(
            status,
            content_type=media.content_type,
            headers=media_headers(media, status, first, last),
            stream=Stream(length, media.read(first, last), cut_at),
        )

    def _live(self, request: Request, path: str) -> Outcome:
        """A broadcast's FLV stream, HLS playlist or segment (docs/sandbox.rst (Live rooms))."""
        match = _LIVE_PATH.fullmatch(path[len(LIVE_PREFIX) :])
        room = self.app.state.live.get(int(match["room"])) if match else None
        if room is None or match is None or match["quality"] not in QUALITIES:
            return _text(404, "Not Found")
        room.requests.append((path, dict(request.headers)))
        if match["flv"]:
            if not room.flv or room.status == 4:  # no FLV, or the broadcast is over
                return _text(404, "Not Found")
            return Outcome(
                content_type="video/x-flv", stream=Stream(None, room.flv_chunks(self.closing))
            )
        if not room.hls:
            return _text(404, "Not Found")
        if match["playlist"]:
            playlist = room.playlist()
            if playlist is None:
                return Outcome(drop=True)
            return Outcome(body=playlist.encode(), content_type="application/vnd.apple.mpegurl")
        segment = room.segment(int(match["segment"]))
        if segment is None:
            return _text(404, "Not Found")
        return Outcome(body=segment, content_type="audio/mpeg")

    def _faulty(self, fault: Fault, request: Request, route: Route) -> Outcome:
        if fault in REFUSALS:
            return self._refusal(fault)
        bare = self._faulty_bare(fault)
        if bare is not None:
            return bare
        if fault is Fault.APPLY_THEN_DROP:
            self._answer(request, route)
            return Outcome(drop=True)
        if fault is Fault.CUT_BODY:
            # A write is not applied: its cut body is that of an answer that never happened.
            whole = (
                _json({"extra": extra(route.full_extra), "status_code": 0}) if route.write else None
            )
            body = whole if whole is not None else self._answer(request, route).body
            return Outcome(200, body[: len(body) // 2])
        # Fault.SLOW: a read answers late; a write answers late that it was not done.
        if self.closing.wait(self.slow_seconds):
            return Outcome(drop=True)
        return _text(504, "Gateway Timeout") if route.write else self._answer(request, route)

    def _faulty_bare(self, fault: Fault) -> Optional[Outcome]:
        """The answer of a fault that needs no route (an HTTP error, a drop, empty), or None."""
        status = fault.http_status
        if status == 429:
            return _text(429, "Too Many Requests", [("Retry-After", "1")])
        if status is not None:
            return _text(
                status,
                {500: "Internal Server Error", 502: "Bad Gateway"}.get(
                    status, "Service Unavailable"
                ),
            )
        if fault is Fault.DROP:
            return Outcome(drop=True)
        if fault is Fault.EMPTY:
            return Outcome()
        return None


_LIVE_PATH = re.compile(
    r"(?P<room>[0-9]{1,20})/(?P<quality>[a-z]{1,10})"
    r"(?:(?P<flv>\.flv)|/index(?P<playlist>\.m3u8)|/(?P<segment>[0-9]{1,12})\.mp3)"
)


def _signature_of(target: str, headers: Mapping[str, str]) -> str:
    """The request's signature, whichever generation: ``X-Gorgon`` or the ``as`` param onwards."""
    start = target.find("&as=")
    return headers.get("x-gorgon") or (target[start:] if start >= 0 else "")


API_FAULTS = (*READ_FAULTS, *REFUSALS)


def captcha_body() -> Dict[str, Any]:
    """What the API answers, with HTTP 200, to a device it wants verified (docs/protocol.rst (Failures))."""
    return {
        "code": "10000",
        "from": "",
        "type": "verify",
        "version": "",
        "region": "va",
        "subtype": "slide",
        "detail": "sandbox-captcha",
        "verify_event": "",
        "fp": "verify_sandbox",
    }


def _accepts_gzip(header: Optional[str]) -> bool:
    for part in (header or "").split(","):
        name, _, parameters = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            quality = parameters.strip().lower()
            if not quality.startswith("q="):
                return True
            try:
                return float(quality[2:]) > 0
            except ValueError:
                return False
    return False


class _RequestDeadline(io.RawIOBase):
    """A connection's bytes, each request whole within ``limit`` seconds of its first byte.

    The socket timeout alone is reset by every byte: a peer sending one a second
    would hold its slot for ever. Between requests only that idle timeout
    applies; once a request starts arriving, what is left of ``limit`` also
    bounds each wait, and a request still incomplete then times out.
    """

    def __init__(self, sock: socket.socket, limit: float) -> None:
        self._sock = sock
        self._limit = limit
        self._armed = False
        self._ends_at: Optional[float] = None

    def readable(self) -> bool:
        return True

    def arm(self) -> None:
        """A request may start: its clock starts with its first byte."""
        self._armed, self._ends_at = True, None

    def disarm(self) -> None:
        """The request is read: back to the idle timeout for the answer and the next one."""
        self._armed, self._ends_at = False, None
        self._sock.settimeout(self._limit)

    def readinto(self, buffer: Any) -> int:
        if self._ends_at is not None:
            left = self._ends_at - time.monotonic()
            if left <= 0:
                raise TimeoutError("the request did not arrive whole in time")
            self._sock.settimeout(min(self._limit, left))
        count = self._sock.recv_into(buffer)
        if count and self._armed and self._ends_at is None:
            self._ends_at = time.monotonic() + self._limit
        return count


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: every answer has a Content-Length
    # Headers and body go out in two writes: without this, Nagle's algorithm and the
    # client's delayed ACK add 40 ms to every answer on a kept-alive connection.
    disable_nagle_algorithm = True
    server_version = "tiktok-sandbox"
    # A request line too broken to name its version still gets a status line: the
    # stdlib's HTTP/0.9 default would answer with a bare HTML page.
    default_request_version = "HTTP/1.1"
    sys_version = ""
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        # The socket timeout bounds every wait for the peer: between requests and inside one;
        # the request deadline bounds a whole request, however slowly its bytes come.
        idle = self.server.limits.idle_timeout
        self.connection.settimeout(idle)
        self.rfile.close()  # the makefile() reader: replaced, and its reference released
        self._deadline = _RequestDeadline(self.connection, idle)
        self.rfile = io.BufferedReader(self._deadline)

    def handle_one_request(self) -> None:
        self._deadline.arm()
        super().handle_one_request()

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        # The path only: a query carries login credentials (XOR-hex is reversible). A
        # request line too broken to parse has no path yet.
        path = (getattr(self, "path", None) or "").split("?", 1)[0]
        # An HTTPStatus prints as its name on Python < 3.11: log the number.
        try:
            status = int(code)
        except (TypeError, ValueError):
            status = 0
        level = logging.INFO if status >= 400 else logging.DEBUG
        shown = status if status else code
        log.log(level, "%s %s %s -> %s", self.address_string(), self.command, path, shown)

    def log_error(self, format: str, *args: Any) -> None:
        # send_error() reports through log_request, once per refused request, and an
        # idle connection timing out is routine: neither needs a line of its own.
        pass

    def log_message(self, format: str, *args: Any) -> None:
        text = format % args
        log.debug("%s %s", self.address_string(), text.split("?", 1)[0])

    def do_GET(self) -> None:
        try:
            body = read_body(self.rfile, self.headers, self.server.limits.max_body)
        except BadRequestError as refused:
            self.send_error(refused.status, refused.reason)  # also closes the connection
            return
        self._deadline.disarm()
        # Header names are case-insensitive: the app sees them in lower case.
        headers = {name.lower(): value for name, value in self.headers.items()}
        outcome = self.server.dispatcher(Request(self.command, self.path, headers, body))
        self._send(outcome)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def _send(self, outcome: Outcome) -> None:
        if outcome.drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        if outcome.stream is not None:
            self._send_stream(outcome, outcome.stream)
            return
        body = outcome.body
        compressed = bool(body) and _accepts_gzip(self.headers.get("Accept-Encoding"))
        if compressed:
            body = gzip.compress(body, compresslevel=5)
        self.send_response(outcome.status)
        self.send_header("Content-Type", outcome.content_type)
        self.send_header("Content-Length", str(len(body)))
        if compressed:
            self.send_header("Content-Encoding", "gzip")
        for name, value in outcome.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _send_stream(self, outcome: Outcome, stream: Stream) -> None:
        """Media bytes as they are read, never whole in memory; a cut closes the connection."""
        if stream.length is None:
            self._send_chunked(outcome, stream)
            return
        self.send_response(outcome.status)
        self.send_header("Content-Type", outcome.content_type)
        self.send_header("Content-Length", str(stream.length))
        for name, value in outcome.headers:
            self.send_header(name, value)
        self.end_headers()
        sent = 0
        for chunk in stream.chunks:
            if stream.cut_at is not None and sent + len(chunk) >= stream.cut_at:
                self.wfile.write(chunk[: stream.cut_at - sent])
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.wfile.write(chunk)
            sent += len(chunk)

    def _send_chunked(self, outcome: Outcome, stream: Stream) -> None:
        """A body of no known length (a live stream), chunk by chunk; :class:`StreamCutError`
        drops the connection without the last chunk, as a broken stream does."""
        self.send_response(outcome.status)
        self.send_header("Content-Type", outcome.content_type)
        self.send_header("Transfer-Encoding", "chunked")
        for name, value in outcome.headers:
            self.send_header(name, value)
        self.end_headers()
        try:
            for chunk in stream.chunks:
                if chunk:
                    self.wfile.write(b"%x\r\n%b\r\n" % (len(chunk), chunk))
        except StreamCutError:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(b"0\r\n\r\n")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Peers beyond the accept backlog wait for SYN retransmits (1 s, 3 s, 7 s...): a burst
    # of connections from a thread pool should be accepted (or refused with 503) at once.
    request_queue_size = 128

    def __init__(
        self, address: Tuple[str, int], dispatcher: Dispatcher, limits: Optional[Limits] = None
    ) -> None:
        self.dispatcher = dispatcher
        self.limits = limits or Limits()
        self._connections: Set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self.limits.max_connections)
        super().__init__(address, _RequestHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self._refuse_busy(request, client_address)
            return
        with self._connections_lock:
            self._connections.add(request)
        self.dispatcher.stats.count_connection()
        try:
            super().process_request(request, client_address)
        except BaseException:  # no thread started: nobody else gives the slot back
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def _refuse_busy(self, request: socket.socket, client_address: Any) -> None:
        """Answer 503 without a thread: a fresh socket's buffer takes these bytes at once."""
        log.info("%s refused: %d connections open", client_address[0], self.limits.max_connections)
        with contextlib.suppress(OSError):
            request.setblocking(False)
            request.send(BUSY)
        self.shutdown_request(request)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timeout, dropped connection) is normal here, not a failure.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            log.debug("client %s went away: %s", client_address, type(exc).__name__)
            return
        super().handle_error(request, client_address)

    def close_connections(self) -> None:
        """End idle keep-alive connections, whose threads would otherwise wait for the client."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _HTTPServer6(_HTTPServer):
    address_family = socket.AF_INET6


class Sandbox:
    """A sandbox server on a background thread; use it as a context manager.

    ``seed`` fixes the world; ``fault_rate`` (0..1) injects faults into that
    share of requests; ``signing_key`` is the key of :class:`SandboxSigner`;
    ``port=0`` binds a free port; ``slow_seconds`` is how long a "slow" fault
    makes the client wait. ``max_connections`` connections are served at once
    (one more is answered 503) and each is closed after ``idle_timeout``
    seconds without a byte from its peer. ``rate`` (requests a second per
    ``device_id``, ``None`` for no limit) answers 429 with ``Retry-After``
    above it (docs/sandbox.rst (Rate limit)). ``signing`` is the generation of
    signature checked: ``"url"`` (``as``/``cp``/``mas`` in the query,
    :class:`SandboxSigner`) or ``"headers"`` (``X-Khronos``, ``X-SS-STUB``,
    ``X-Gorgon``, :class:`SandboxRequestSigner`). ``POST /sign`` signs for
    either, as a :class:`tiktok.RemoteSigner` expects.

    The refusals of today's API (docs/sandbox.rst (Refusals)): ``faults`` names
    those that answer every API request, each ``NAME`` (a
    :class:`~tiktok.sandbox.Fault` value such as ``"ip_blocked"``) or
    ``NAME:DEVICE_ID`` for one identity only (:meth:`refuse` adds one later).
    By behaviour, each off unless set: ``soft_block=(count, window, rest)``
    soft-blocks a device that sent more than ``count`` requests in ``window``
    seconds for ``rest`` seconds; ``min_version_code`` answers 2146 below it;
    ``iid_apps`` refuses an iid sent with another ``aid`` than its first;
    ``session_ttl`` ends a session that many seconds after its login (2154).

    ``clock`` (unix seconds, :func:`time.time` by default) is the time the sandbox
    judges by: signature age, session age and the soft-block windows. A test moves
    it, with the client's ``Clock(wall=...)``, instead of waiting.
    """

    def __init__(
        self,
        seed: int = 0,
        fault_rate: float = 0.0,
        signing_key: str = "sandbox",
        host: str = "127.0.0.1",
        port: int = 0,
        slow_seconds: float = 15.0,
        *,
        max_connections: int = Limits.max_connections,
        idle_timeout: float = Limits.idle_timeout,
        rate: Optional[float] = None,
        signing: str = "url",
        faults: Iterable[str] = (),
        soft_block: Optional[Tuple[int, float, float]] = None,
        min_version_code: Optional[int] = None,
        iid_apps: bool = False,
        session_ttl: Optional[float] = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if type(seed) is not int:
            raise ValueError(f"seed must be an int, not {seed!r}")
        if type(port) is not int or not 0 <= port <= 65535:
            raise ValueError(f"port must be an int from 0 to 65535, not {port!r}")
        if not isinstance(slow_seconds, (int, float)) or slow_seconds < 0:
            raise ValueError(f"slow_seconds must be a number >= 0, not {slow_seconds!r}")
        if signing not in SIGNING_MODES:
            raise ValueError(f"signing must be 'url' or 'headers', not {signing!r}")
        SandboxSigner(signing_key)  # validates the key
        self.signing = signing
        self.limits = Limits(max_connections=max_connections, idle_timeout=idle_timeout)
        self.seed = seed
        self.signing_key = signing_key
        self.host = host
        self.world = World(seed)
        self.state = State(self.world, clock=clock)
        self._stats = Stats()
        self._dispatcher = Dispatcher(
            App(self.world, self.state),
            signing_key,
            FaultPicker(seed, fault_rate),
            self._stats,
            slow_seconds,
            RateLimiter(rate) if rate is not None else None,
            signing,
            clock=clock,
            standing=StandingFaults([faults] if isinstance(faults, str) else faults),
            behaviour=Behaviour(
                soft_block=soft_block,
                min_version_code=min_version_code,
                iid_apps=iid_apps,
                session_ttl=session_ttl,
                clock=clock,
            ),
        )
        self._port = port
        self._server: Optional[_HTTPServer] = None
        self._thread: Optional[threading.Thread] = None

    def __repr__(self) -> str:
        where = self.url if self._server is not None else "stopped"
        return f"<tiktok.sandbox.Sandbox {where} seed={self.seed} fault_rate={self.fault_rate}>"

    # -- lifecycle ------------------------------------------------------------------

    def start(self) -> Sandbox:
        """Bind and serve on a background thread (idempotent)."""
        if self._server is not None:
            return self
        server_class = _HTTPServer6 if ":" in self.host else _HTTPServer
        self._server = server_class((self.host, self._port), self._dispatcher, self.limits)
        self._dispatcher.closing.clear()
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="tiktok-sandbox",
            daemon=True,
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving, end open connections and free the port."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._dispatcher.closing.set()
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join()
        self._server = self._thread = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def wait(self) -> None:
        """Block until the server stops (or Ctrl-C)."""
        thread = self._thread
        while thread is not None and thread.is_alive():
            thread.join(0.5)

    # -- what tests use ---------------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound port (the free one picked when started with ``port=0``)."""
        if self._server is None:
            raise RuntimeError("the sandbox is not running: use it as `with Sandbox() as sb:`")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The base URL, with a trailing slash: ``http://127.0.0.1:PORT/``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def stats(self) -> Dict[str, Any]:
        """A snapshot: ``requests``, ``faults`` by kind, ``rejected_signature``,
        ``repeated_signature`` (requests whose signature one of the latest requests
        carried already: a client resending stale bytes), ``rate_limited``, and
        ``connections`` accepted (a kept-alive connection counts once)."""
        return self._stats.snapshot()

    @property
    def fault_rate(self) -> float:
        """The share of requests (0..1) that meet an injected fault while faults are enabled."""
        return self._dispatcher.faults.rate

    @property
    def faults_enabled(self) -> bool:
        """Switch fault injection off (e.g. to log in) and on again; on by default."""
        return self._dispatcher.faults_enabled

    @faults_enabled.setter
    def faults_enabled(self, enabled: bool) -> None:
        self._dispatcher.faults_enabled = bool(enabled)

    @property
    def sign_url(self) -> str:
        """The signing service's URL, for :class:`tiktok.RemoteSigner`: ``http://…/sign``."""
        return self.url + SIGN_PATH[1:]

    def encrypt(self, data: bytes) -> bytes:
        """This sandbox's encryption of a device description (what its ``/encrypt``
        answers), for :func:`tiktok.register_device` against its log host (its ``url``)."""
        return sandbox_encrypt(self.signing_key, data)

    def signer(self) -> Any:
        """A signer for this sandbox's mode and key: :class:`SandboxSigner` or
        :class:`SandboxRequestSigner`."""
        if self.signing == "headers":
            return SandboxRequestSigner(self.signing_key)
        return SandboxSigner(self.signing_key)

    def short_link(self, kind: str, id: Union[str, int], *, style: str = "t") -> str:
        """A short link to one of the world's posts or users, as the app shares them.

        ``kind`` is ``"post"`` or ``"user"``; ``style`` ``"t"`` gives
        ``http://HOST:PORT/t/CODE`` (as ``tiktok.com/t/CODE``), ``"vm"``
        ``http://HOST:PORT/CODE`` (as ``vm.tiktok.com/CODE``). Following it leads
        to ``/@handle/video/ID`` or ``/@handle`` (``client.resolve`` does).
        """
        if style not in ("t", "vm"):
            raise ValueError(f"style must be 't' or 'vm', not {style!r}")
        number = int(id) if isinstance(id, str) and id.isdigit() else id
        code = link_code(kind, number)  # type: ignore[arg-type]  # checked there
        return f"{self.url}t/{code}" if style == "t" else f"{self.url}{code}"

    def inject(self, fault: Fault, count: int = 1) -> None:
        """Make the next ``count`` requests that ``fault`` can apply to meet it, in order.

        Media faults (:data:`~tiktok.sandbox.Fault.CUT_TRANSFER`, ``IGNORE_RANGE``)
        go to media downloads, the others to API calls; injected faults are met
        even when ``faults_enabled`` is off, and counted in ``stats``.
        """
        if not isinstance(fault, Fault):
            raise TypeError(f"fault must be a tiktok.sandbox.Fault, not {type(fault).__name__}")
        if type(count) is not int or count < 1:
            raise ValueError(f"count must be an int >= 1, not {count!r}")
        self._dispatcher.inject(fault, count)

    def refuse(self, fault: Union[Fault, str], device_id: Optional[str] = None) -> None:
        """Answer every API request (of ``device_id`` only, if given) with ``fault`` from now on."""
        name = fault.value if isinstance(fault, Fault) else fault
        refusal, _ = parse_fault(name)
        self._dispatcher.standing.add(refusal, device_id)

    def forgive(self) -> None:
        """Drop every standing fault (those of ``faults`` and :meth:`refuse`)."""
        self._dispatcher.standing.clear()

    def go_live(
        self,
        user_id: Union[str, int] = 6_800_000_000_000_001_100,
        *,
        duration: float = 60.0,
        speed: float = 1.0,
        drops: Sequence[float] = (),
        stalls: Sequence[Tuple[float, float]] = (),
        flv: bool = True,
        hls: bool = True,
    ) -> SandboxRoom:
        """Start a broadcast by ``user_id`` (any of the world's users): a live room that
        ``webcast/room/info/`` answers and whose streams the sandbox serves.

        It lasts ``duration`` seconds of stream time, which passes ``speed`` times as
        fast as the wall clock. At each of ``drops`` (stream seconds) the connections
        that reach it are cut; at each ``(second, wall_seconds)`` of ``stalls`` the
        stream stops sending for that long, then is cut. ``flv=False`` or
        ``hls=False`` leave that kind of stream out. The user's ``room_id`` names the
        room from now on, even once it has ended, as the app's does. See
        docs/sandbox.rst (Live rooms).
        """
        if not (isinstance(duration, (int, float)) and 0 < duration < 10**7):
            raise ValueError(f"duration must be seconds > 0, not {duration!r}")
        if not (isinstance(speed, (int, float)) and 0 < speed <= 10_000):
            raise ValueError(f"speed must be a number from 0 to 10000, not {speed!r}")
        if not (flv or hls):
            raise ValueError("a broadcast needs flv or hls")
        return self.state.live.start(
            int(user_id),
            duration=duration,
            speed=speed,
            drops=drops,
            stalls=stalls,
            flv=flv,
            hls=hls,
        )

    def client(self, **client_kwargs: Any) -> Client:
        """A :class:`tiktok.Client` for this sandbox: the signer of its mode, a test device, its URL."""
        from .._links import LINK_HOSTS
        from ..client import Client

        # Its short links are on its own host: resolve() takes them too.
        client_kwargs.setdefault("link_hosts", (*LINK_HOSTS, self.url.split("/")[2]))
        client_kwargs.setdefault("webcast_url", self.url)  # room info: the same server
        return Client(sandbox_device(), self.signer(), base_url=self.url, **client_kwargs)


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    seed: int = 0,
    fault_rate: float = 0.0,
    signing_key: str = "sandbox",
    ready: Optional[Callable[[str], object]] = None,
    slow_seconds: float = 15.0,
    rate: Optional[float] = None,
    signing: str = "url",
    **refusals: Any,
) -> None:
    """Serve in the foreground until Ctrl-C; ``ready(url)`` once listening.

    ``refusals`` are :class:`Sandbox`'s ``faults``, ``soft_block``,
    ``min_version_code``, ``iid_apps`` and ``session_ttl``.

    Signal handlers are the program's to set, not a library's: ``tiktok sandbox``
    makes SIGTERM stop it too.
    """
    sandbox = Sandbox(
        seed=seed,
        fault_rate=fault_rate,
        signing_key=signing_key,
        host=host,
        port=port,
        slow_seconds=slow_seconds,
        rate=rate,
        signing=signing,
        **refusals,
    )
    try:
        sandbox.start()
        if ready is not None:
            ready(sandbox.url)
        sandbox.wait()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.close()
