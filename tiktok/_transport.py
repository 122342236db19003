"""The one module that sends requests: one attempt builds, signs, sends and reads a call.

Resources never touch ``requests``; they hand an :class:`Endpoint` and its
values to :meth:`Transport.call`. An attempt's answer is turned into a model or
an error by :mod:`tiktok._answers`; whether another attempt follows is
:class:`~tiktok._retry.RetryPolicy`'s decision (docs/protocol.rst (Retries,
limits and pacing)). urllib3 retries nothing beneath it.
"""

from __future__ import annotations

import logging
import threading
import zlib
from typing import Any, Dict, List, Mapping, Optional, Tuple, Type, Union
from urllib.parse import urlsplit

import attrs
import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from requests.cookies import RequestsCookieJar, extract_cookies_to_jar, get_cookie_header
from requests.exceptions import InvalidHeader
from requests.utils import check_header_validity
from urllib3.util.retry import Retry

from ._answers import decode
from ._clock import Clock
from ._pacing import Pacer
from ._redact import redact, redact_exception
from ._retry import DEFAULT_DEADLINE, DEFAULT_MAX_WAIT, RetryPolicy
from ._soft_blocks import SoftBlocks
from .device import Device
from .errors import (
    BodyTooLargeError,
    DeadlineExceededError,
    DecodeError,
    IdentityRef,
    SoftBlockError,
    TikTokError,
    TransportError,
)
from .signing import AnySigner, SignRequest, encode_query, sign_attempt

__all__ = ["Credentials", "Endpoint", "Transport"]

log = logging.getLogger("tiktok")


class _RedactSecrets(logging.Filter):
    """Hides secrets in the records of loggers that print request URLs (see ``redact``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


# urllib3 logs each request's URL at DEBUG: the login's URL carries the XOR-encoded
# password. Filters act on the logger a record is made on.
_REDACT_SECRETS = _RedactSecrets()
for _name in ("tiktok", "urllib3.connectionpool", "urllib3.poolmanager", "urllib3.util.retry"):
    logging.getLogger(_name).addFilter(_REDACT_SECRETS)

# A query or form template: a name is filled from the call's values, a
# (name, value) pair is fixed. Order is the wire order (docs/protocol.rst (Query order; The seed calls)).
Template = Tuple[Union[str, Tuple[str, str]], ...]

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=UTF-8"
TOKEN_HEADER = "x-tt-token"

#: how many origins' environment settings a client keeps (its API's and media hosts')
MAX_ORIGINS = 64
DEFAULT_MAX_BODY = 16 * 1024 * 1024
# Bytes asked of the socket per read; a read returns what has arrived, up to this.
READ_SIZE = 64 * 1024

# The headers of docs/protocol.rst (Transport), on every API request.
_PROTOCOL_HEADERS = {
    "Accept-Encoding": "gzip",
    "Connection": "keep-alive",
    "sdk-version": "1",
    "x-ss-tc": "0",
}


@attrs.frozen
class Endpoint:
    """What one API call is: method, path, query and form templates, response model."""

    method: str
    path: str
    response: Type[Any]
    query: Template = ()
    form: Template = ()
    # The response field the call returns; None returns the whole envelope.
    result: Optional[str] = None
    # Login answers without status_code (docs/protocol.rst (Login)).
    has_status: bool = True


class Credentials:
    """What identifies the session to the API: the latest ``x-tt-token`` and the API's cookies.

    They are sent to the API's origin (scheme, host and port of ``base_url``) only,
    set on each request, never as session-wide defaults.
    """

    def __init__(self) -> None:
        self.token: Optional[str] = None
        self.cookies: RequestsCookieJar = RequestsCookieJar()

    def __repr__(self) -> str:
        names = sorted({cookie.name for cookie in self.cookies})
        return f"<tiktok credentials token={'set' if self.token else None} cookies={names}>"


def _sendable(name: str, value: str) -> bool:
    """Whether ``value`` can go back in a request header (requests refuses some a server sends).

    A token the server sends that cannot be sent back (it starts with whitespace such as
    a no-break space, which http.client reads as part of the value) is not kept: kept, it would make every later request of the client fail
    before it is sent (docs/protocol.rst (Retries, limits and pacing), Credentials).
    """
    try:
        check_header_validity((name, value))
    except InvalidHeader:
        return False
    return True


def no_retries() -> Retry:
    """The adapter's policy: urllib3 retries and follows nothing; the transport's loop decides."""
    return Retry(total=0, connect=0, read=0, redirect=0, status=0, raise_on_redirect=False)


class Transport:
    """Signs and sends requests for one client; holds no per-call state.

    Every reading of the time, wait and jitter draw goes through ``clock``;
    ``retries``, ``backoff``, ``max_wait`` and ``deadline`` make its :attr:`policy`.
    """

    def __init__(
        self,
        *,
        device: Device,
        signer: AnySigner,
        base_url: str,
        session: requests.Session,
        timeout: Union[float, Tuple[float, float]],
        retries: int,
        backoff: float,
        user_agent: str,
        max_wait: float = DEFAULT_MAX_WAIT,
        deadline: float = DEFAULT_DEADLINE,
        max_body: int = DEFAULT_MAX_BODY,
        clock: Clock,
        pacer: Optional[Pacer] = None,
        proxy: Optional[str] = None,
        soft_blocks: Optional[SoftBlocks] = None,
    ) -> None:
        self.device = device
        #: who the API sees: named on every error of a call (docs/failures.rst)
        self.identity = IdentityRef(device_id=device.device_id, iid=device.iid)
        self.soft_blocks = soft_blocks
        self.signer = signer
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.session = session
        self.timeout = timeout
        self.max_body = max_body
        self.clock = clock
        self.policy = RetryPolicy(
            retries=retries, backoff=backoff, max_wait=max_wait, deadline=deadline, clock=clock
        )
        self.credentials = Credentials()
        # The _rticket of the latest attempt: each attempt takes a later one.
        self._last_rticket = 0
        self._rticket_lock = threading.Lock()
        # Pacing (docs/protocol.rst (Retries, limits and pacing)): one pacer per client,
        # shared by its threads; every attempt waits for its slot.
        self.pacer = pacer
        self.proxy = proxy
        self.origin = _origin(self.base_url)
        self.user_agent = user_agent
        self.headers = {"User-Agent": user_agent, **_PROTOCOL_HEADERS}
        # The device part of every query never changes: encode it once.
        self._device_query = encode_query(device.params().items())
        self._device_id = device.device_id
        session.mount(self.origin + "/", HTTPAdapter(max_retries=no_retries()))
        # Proxies and CA bundle from the environment, as requests would find them for a
        # URL (no_proxy included), read once per origin: the API's now, a media or link
        # host's when first used. The session's own settings are merged at each call.
        self._environments: Dict[str, Tuple[Dict[str, str], Union[bool, str, None]]] = {}
        self._api_environment = self._environment(self.base_url)

    # -- building ---------------------------------------------------------------

    @staticmethod
    def fill(template: Template, values: Mapping[str, Any]) -> Tuple[Tuple[str, str], ...]:
        return tuple(
            (item, str(values[item])) if isinstance(item, str) else item for item in template
        )

    def build_url(
        self, path: str, params: Tuple[Tuple[str, str], ...], ts: int, rticket: int
    ) -> str:
        own = encode_query(params)
        query = f"{own}&{self._device_query}" if own else self._device_query
        return f"{self.base_url}{path}?{query}&_rticket={rticket}&ts={ts}"

    def _sign(
        self,
        method: str,
        url: str,
        body: Optional[bytes],
        headers: Dict[str, str],
        ts: int,
        rticket: int,
        ends_at: Optional[float] = None,
    ) -> Tuple[str, Dict[str, str]]:
        """The final URL and headers of one attempt: what goes on the wire, byte for byte.

        The signer sees every header the client sets (docs/protocol.rst (Request
        signing)): ``X-SS-STUB`` is added for a body. It is told the time left
        before ``ends_at``, the call's deadline.
        """
        request = SignRequest.create(
            method=method,
            url=url,
            body=body or b"",
            headers=headers,
            ts=ts,
            rticket=rticket,
            device=self.device,
            time_left=None if ends_at is None else ends_at - self.clock.monotonic(),
        )
        return sign_attempt(self.signer, request)

    def _headers(self, url: str, body: Optional[bytes]) -> Dict[str, str]:
        """The headers the client sets on one API request, credentials included."""
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = FORM_CONTENT_TYPE
        credentials = self.credentials
        if len(credentials.cookies):
            cookie = get_cookie_header(  # type: ignore[no-untyped-call]
                credentials.cookies, requests.Request("GET", url)
            )
            if cookie:
                headers["Cookie"] = cookie
        if credentials.token:
            headers[TOKEN_HEADER] = credentials.token
        return headers

    def _prepare(
        self,
        endpoint: Endpoint,
        params: Tuple[Tuple[str, str], ...],
        body: Optional[bytes],
        ends_at: Optional[float] = None,
    ) -> requests.PreparedRequest:
        """One attempt's request: a new ``ts`` and ``_rticket``, credentials, signed."""
        ts, rticket = self._stamp()
        url = self.build_url(endpoint.path, params, ts, rticket)
        # Prepared without the query, which requests would parse and quote again; the
        # signed URL is set afterwards and goes on the wire as it is (our query is
        # already in the form urllib3 normalises to: docs/protocol.rst (Retries, limits
        # and pacing)).
        request = requests.Request(
            endpoint.method,
            self.base_url + endpoint.path,
            data=body,
            headers=self._headers(url, body),
            params=b"",
        )
        prepared = self.session.prepare_request(request)
        # The signer sees the headers that will be sent (the session's own included),
        # not Content-Length, which belongs to the HTTP library.
        own = {k: v for k, v in prepared.headers.items() if k.lower() != "content-length"}
        prepared.url, signed = self._sign(endpoint.method, url, body, own, ts, rticket, ends_at)
        prepared.headers.update(signed)
        return prepared

    def _stamp(self) -> Tuple[int, int]:
        """This attempt's ``ts`` and ``_rticket``: the wall clock in seconds and milliseconds.

        No two attempts of the client share a ``_rticket``, so none is signed the
        same (docs/protocol.rst (Retries, limits and pacing)): one that falls in the
        millisecond of the one before, or earlier, takes the next millisecond.
        """
        now = int(self.clock.wall() * 1000)
        with self._rticket_lock:
            rticket = max(now, self._last_rticket + 1)
            self._last_rticket = rticket
        return rticket // 1000, rticket

    def _environment(self, url: str) -> Tuple[Dict[str, str], Union[bool, str, None]]:
        """The environment's proxies and CA bundle for ``url``'s origin, read on first use."""
        origin = _origin(url)
        found = self._environments.get(origin)
        if found is None:
            with requests.Session() as probe:
                environment = probe.merge_environment_settings(url, {}, None, None, None)
            found = (dict(environment["proxies"]), environment["verify"])
            if len(self._environments) >= MAX_ORIGINS:  # a crawl over many hosts stays bounded
                self._environments.clear()
            self._environments[origin] = found
        return found

    def _settings(self, url: Optional[str] = None) -> Dict[str, Any]:
        """Proxies, verify and cert for a request to ``url`` (the API when ``None``).

        The session's own settings win over the environment's.
        """
        session = self.session
        trust_env = session.trust_env
        environment_proxies, environment_verify = (
            self._api_environment if url is None else self._environment(url)
        )
        proxies = dict(environment_proxies) if trust_env else {}
        proxies.update(session.proxies)
        if self.proxy is not None:  # Client(proxy=...): this client's identity
            proxies.update(http=self.proxy, https=self.proxy)
        verify = session.verify
        if verify is True and trust_env:
            verify = environment_verify
        return {"proxies": proxies, "verify": verify, "cert": session.cert}

    def _timeout(self, remaining: float) -> Union[float, Tuple[float, float]]:
        timeout = self.timeout
        if isinstance(timeout, tuple):
            return (min(timeout[0], remaining), min(timeout[1], remaining))
        return min(timeout, remaining)

    # -- a call ---------------------------------------------------------------------

    def call(self, endpoint: Endpoint, values: Mapping[str, Any]) -> Any:
        """Send one call and return its response model (``endpoint.response``).

        Each attempt is built and signed afresh; :attr:`policy` decides whether
        another follows.
        """
        params = self.fill(endpoint.query, values)
        body = encode_query(self.fill(endpoint.form, values)).encode() if endpoint.form else None
        try:
            return self.policy.run(
                lambda number, ends_at: self._attempt(endpoint, params, body, ends_at, number),
                write=endpoint.method != "GET",
                what=f"{endpoint.method} {endpoint.path}",
            )
        except TikTokError as error:
            if error.identity is None:
                error.identity = self.identity
            raise

    # -- one attempt ------------------------------------------------------------

    def _attempt(
        self,
        endpoint: Endpoint,
        params: Tuple[Tuple[str, str], ...],
        body: Optional[bytes],
        ends_at: float,
        attempt: int = 1,
    ) -> Any:
        if self.pacer is not None:
            self.pacer.wait()  # before signing: the signature's ts is the time it is sent
        prepared = self._prepare(endpoint, params, body, ends_at)
        if self.clock.monotonic() >= ends_at:
            raise DeadlineExceededError(
                f"{endpoint.method} {endpoint.path}: {self._deadline_text()}"
            )
        started = self.clock.monotonic()
        response = self._send(endpoint, prepared, ends_at)
        try:
            self._keep_credentials(prepared, response)
            content = self._read(endpoint, response, ends_at)
        finally:
            response.close()
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "%s %s -> %s (attempt %d, %.3fs)",
                endpoint.method,
                endpoint.path,
                response.status_code,
                attempt,
                self.clock.monotonic() - started,
            )
        try:
            model = decode(endpoint, response, content, self.clock.wall)
        except SoftBlockError as error:
            error.identity = self.identity
            blocked = self.soft_blocks.check(error) if self.soft_blocks is not None else None
            if blocked is not None:
                raise blocked from error
            raise
        except TikTokError:
            self._served()  # a refusal the API meant: it still serves this identity
            raise
        self._served()
        return model

    def _served(self) -> None:
        if self.soft_blocks is not None:
            self.soft_blocks.accepted()

    def _send(
        self, endpoint: Endpoint, prepared: requests.PreparedRequest, ends_at: float
    ) -> requests.Response:
        assert prepared.url is not None
        adapter = self.session.get_adapter(prepared.url)
        timeout = self._timeout(ends_at - self.clock.monotonic())
        failure: Optional[requests.RequestException] = None
        try:
            response = adapter.send(prepared, stream=True, timeout=timeout, **self._settings())
        except requests.RequestException as exc:
            failure = exc
        if failure is None:
            if response.status_code < 200:
                response.close()  # the final answer may follow on this connection: drop it
                raise TransportError(
                    f"{endpoint.method} {endpoint.path}: an informational HTTP "
                    f"{response.status_code} came where the answer belongs"
                )
            return response
        # Raised outside the except block, so the original (which holds the prepared
        # request: the URL with the login's password, the token and cookie headers) is
        # neither the cause nor the context of ours; a detached copy is the cause.
        log.debug("%s %s failed: %s", endpoint.method, endpoint.path, type(failure).__name__)
        sent = not _not_sent(failure)
        error: TransportError
        if self.clock.monotonic() >= ends_at:
            error = DeadlineExceededError(
                f"{endpoint.method} {endpoint.path}: {self._deadline_text()}", sent=sent
            )
        else:
            error = TransportError(
                f"{endpoint.method} {endpoint.path} failed: {type(failure).__name__}", sent=sent
            )
        raise error from _detached(failure)

    def send_bare(
        self, url: str, headers: Mapping[str, str], ends_at: Optional[float] = None
    ) -> requests.Response:
        """GET a host that is not the API (a media CDN, a short link), streamed, with no API credential.

        The request is prepared on its own, not by the session, and sent by the
        session's adapter for ``url``: none of the session's headers or cookies
        are added, nothing is signed, the API's credentials are not involved, and
        no cookie the host sets lands in the session's jar (which the API's
        requests carry). It has the client's User-Agent and ``headers``.
        Redirects are returned, not followed (docs/protocol.rst (Media)). The
        timeouts are cut to what is left before ``ends_at`` (on ``clock.monotonic``).
        Nothing is retried here: the caller decides.
        """
        request = requests.Request("GET", url, headers={"User-Agent": self.user_agent, **headers})
        timeout = (
            self.timeout if ends_at is None else self._timeout(ends_at - self.clock.monotonic())
        )
        try:
            prepared = request.prepare()
            assert prepared.url is not None
            adapter = self.session.get_adapter(prepared.url)
            return adapter.send(
                prepared,
                stream=True,
                timeout=timeout,
                **self._settings(url),  # another host than the API's: its own no_proxy check
            )
        except requests.RequestException as exc:
            redact_exception(exc)
            raise TransportError(f"GET {_without_query(url)} failed: {type(exc).__name__}") from exc
        except ValueError:  # e.g. a port that is not a number, from a media list or a Location
            raise TransportError(f"GET {_without_query(url)} failed: not a valid url") from None

    def _keep_credentials(
        self, prepared: requests.PreparedRequest, response: requests.Response
    ) -> None:
        """Cookies and token the API sets, kept for the API's origin only."""
        extract_cookies_to_jar(  # type: ignore[no-untyped-call]
            self.credentials.cookies, prepared, response.raw
        )
        token = response.headers.get(TOKEN_HEADER)
        if token and _sendable(TOKEN_HEADER, token):
            self.credentials.token = token

    def _read(self, endpoint: Endpoint, response: requests.Response, ends_at: float) -> bytes:
        """The body, decompressed, read as it arrives; at most ``max_body`` bytes, by the deadline."""
        raw = response.raw
        decoder = _decoder(endpoint, response.headers.get("Content-Encoding"))
        limit = self.max_body
        parts: List[bytes] = []
        size = 0
        try:
            while True:
                if self.clock.monotonic() >= ends_at:
                    raise DeadlineExceededError(
                        f"{endpoint.method} {endpoint.path}: the body was still arriving: "
                        f"{self._deadline_text()}"
                    )
                data = raw.read1(READ_SIZE, decode_content=False)
                if not data:
                    break
                while data:
                    if decoder is None:
                        out, data = data, b""
                    else:
                        out = decoder.decompress(data, limit - size + 1)
                        data = decoder.unconsumed_tail
                    size += len(out)
                    if size > limit:
                        raise BodyTooLargeError(
                            f"{endpoint.method} {endpoint.path}: the body is larger than "
                            f"max_body ({limit} bytes)",
                            body=None,
                        )
                    parts.append(out)
            if decoder is not None:
                parts.append(decoder.flush())
                if not decoder.eof:
                    raise zlib.error("the compressed body ends early")
        except zlib.error as exc:
            raise DecodeError(
                f"{endpoint.path} answered with a body that does not decompress", transient=True
            ) from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            broken: Optional[BaseException] = exc
        else:
            return b"".join(parts)
        # Outside the except block: urllib3's errors hold the pool and the URL.
        cause = _detached(broken)
        if self.clock.monotonic() >= ends_at:
            raise DeadlineExceededError(
                f"{endpoint.method} {endpoint.path}: {self._deadline_text()}"
            ) from cause
        raise TransportError(
            f"{endpoint.method} {endpoint.path} failed while reading the body: "
            f"{type(broken).__name__}"
        ) from cause

    def _deadline_text(self) -> str:
        return f"the call's deadline of {self.policy.deadline:g}s passed"


def _without_query(url: str) -> str:
    return url.split("?", 1)[0]


def _origin(url: str) -> str:
    """``scheme://host:port`` of ``url``, the port always written out."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{parts.hostname}:{port}"


def _decoder(endpoint: Endpoint, encoding: Optional[str]) -> Optional[Any]:
    """A decompressor for the body's ``Content-Encoding`` (we ask for gzip only)."""
    name = (encoding or "").strip().lower()
    if name in ("", "identity"):
        return None
    if name in ("gzip", "x-gzip", "deflate"):
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # a gzip or zlib header
    raise DecodeError(f"{endpoint.path} answered with a Content-Encoding we did not ask for")


def _not_sent(exc: requests.RequestException) -> bool:
    """Whether the request provably never reached the server (no connection was made)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    cause = exc.args[0] if exc.args else None  # requests wraps urllib3's error
    reason = cause.reason if isinstance(cause, urllib3.exceptions.MaxRetryError) else None
    return isinstance(exc, requests.ConnectionError) and isinstance(
        reason, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError)
    )


def _detached(exc: Optional[BaseException]) -> Optional[BaseException]:
    """A copy of ``exc`` with its message redacted and nothing else: no request, response,
    pool or URL attribute, no chain. ``None`` when its class cannot be made from a message.
    """
    if exc is None:
        return None
    message = redact(str(exc))
    try:
        copy = type(exc)(message)
    except Exception:  # a class that wants other arguments (urllib3's with a pool, say)
        return None
    if getattr(copy, "request", None) is not None or getattr(copy, "response", None) is not None:
        return None
    return copy
