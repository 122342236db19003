"""The one module that sends requests: build the query, sign, send, retry, map errors, decode.

Resources never touch ``requests``; they hand an :class:`Endpoint` and its
values to :meth:`Transport.call`.
"""

from __future__ import annotations

import contextlib
import contextvars
import gc
import json
import logging
import os
import re
import sys
import time
from typing import Any, Dict, Mapping, Optional, Tuple, Type, TypeVar, Union

import attrs
import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import InvalidHeader
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from ._converter import structure
from ._redact import redact, redact_exception
from .device import Device
from .errors import (
    APIError,
    CaptchaRequired,
    DecodeError,
    EmptyResponseError,
    LoginRequiredError,
    NotFoundError,
    RateLimitError,
    TransportError,
)
from .signing import AnySigner, SignRequest, encode_query, sign_attempt

__all__ = ["Endpoint", "Transport"]

log = logging.getLogger("tiktok")


class _RedactSecrets(logging.Filter):
    """Hides secrets in the records of loggers that print request URLs (see ``redact``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


# urllib3 logs each request's URL at DEBUG and each retry's at WARNING: the login's
# URL carries the XOR-encoded password. Filters act on the logger a record is made on.
_REDACT_SECRETS = _RedactSecrets()
for _name in ("tiktok", "urllib3.connectionpool", "urllib3.poolmanager", "urllib3.util.retry"):
    logging.getLogger(_name).addFilter(_REDACT_SECRETS)

T = TypeVar("T")

# A query or form template: a name is filled from the call's values, a
# (name, value) pair is fixed. Order is the wire order (docs/protocol.rst (Query order; The seed calls)).
Template = Tuple[Union[str, Tuple[str, str]], ...]

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=UTF-8"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Answered before the server did anything: safe to resend even a write.
NOT_PROCESSED_STATUSES = frozenset({429, 503})
STATUS_LOGIN_REQUIRED = 8
# What does not exist (docs/protocol.rst (Failures)): a user.
STATUS_NOT_FOUND = frozenset({10202})


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


class _WriteSafeRetry(Retry):
    """urllib3 ``Retry`` that also resends a POST on 429/503: those were answered unprocessed."""

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if status_code in NOT_PROCESSED_STATUSES and self.total:
            return True
        return super().is_retry(method, status_code, has_retry_after)

    def get_retry_after(self, response: BaseHTTPResponse) -> Optional[float]:
        # urllib3 raises on an unparsable Retry-After, ending the retries: back off instead.
        try:
            return super().get_retry_after(response)
        except InvalidHeader:
            return None


def make_retry(retries: int, backoff: float) -> Retry:
    """The retry policy mounted on the session (see docs/errors.rst)."""
    return _WriteSafeRetry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        other=0,
        backoff_factor=backoff,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET"}),  # read errors on a write are never resent
        respect_retry_after_header=True,
        raise_on_status=False,
        raise_on_redirect=False,
    )


# urllib3 percent-encodes the request target again in urlopen: it upper-cases a
# signer's "%2f", though the signature covers the exact bytes, and it costs 80 us
# for our ~750-character queries. The adapter hands the pool a stand-in target (the
# path and a marker, which its logs and retry messages show instead of the secrets
# the query can hold), and the pool puts the exact one back as it writes the request.
_SIGNED_QUERY = "?tiktok-signed-query"
_exact_target: contextvars.ContextVar[Optional[str]] = contextvars.ContextVar(
    "tiktok_exact_target", default=None
)


def _exact(url: str) -> str:
    if url.endswith(_SIGNED_QUERY):
        return _exact_target.get() or url
    return url


class _ExactHTTPConnectionPool(HTTPConnectionPool):
    def _make_request(self, conn: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        return super()._make_request(conn, method, _exact(url), *args, **kwargs)


class _ExactHTTPSConnectionPool(HTTPSConnectionPool):
    def _make_request(self, conn: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        return super()._make_request(conn, method, _exact(url), *args, **kwargs)


class _ExactTargetAdapter(HTTPAdapter):
    """An ``HTTPAdapter`` that sends the request target byte for byte as prepared."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _ExactHTTPConnectionPool,
            "https": _ExactHTTPSConnectionPool,
        }

    def request_url(
        self, request: requests.PreparedRequest, proxies: Optional[Mapping[str, str]]
    ) -> str:
        url = super().request_url(request, proxies)
        # Through an HTTP proxy the target is the absolute URL: left to urllib3 as it is.
        if url != _exact_target.get():  # the path_url send() set
            return url
        return url.partition("?")[0] + _SIGNED_QUERY

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        token = _exact_target.set(request.path_url)
        try:
            return super().send(request, *args, **kwargs)
        finally:
            _exact_target.reset(token)


# Elsewhere urllib also asks the system (macOS, Windows) for proxies, which the
# environment would not show changing: there the settings are computed every time.
_PROXIES_FROM_ENV_ONLY = sys.platform not in ("darwin", "win32")


def _retry_after(response: requests.Response) -> Optional[float]:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return float(Retry().parse_retry_after(value))  # an HTTP date, as urllib3 reads it
    except InvalidHeader:
        return None


class Transport:
    """Signs and sends requests for one client; holds no per-call state."""

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
    ) -> None:
        self.device = device
        self.signer = signer
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.session = session
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.user_agent = user_agent
        # The device part of every query never changes: encode it once.
        self._device_query = encode_query(device.params().items())
        self._device_id = device.device_id
        self._settings_cache: Optional[Tuple[Any, Dict[Any, Any], Mapping[str, Any]]] = None
        adapter = _ExactTargetAdapter(max_retries=make_retry(retries, backoff))
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        session.headers.update(
            {
                "User-Agent": user_agent,
                "Accept-Encoding": "gzip",
                "Connection": "keep-alive",
                "sdk-version": "1",
                "x-ss-tc": "0",
            }
        )

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

    def _environment_settings(self) -> Dict[str, Any]:
        """``session.merge_environment_settings``, reused while nothing it reads has changed.

        requests scans every environment variable for proxies on each request (as much
        CPU as decoding a page's JSON); the answer depends only on the environment, the
        session's settings and the origin, never on the path or query.
        """
        session = self.session
        environ = getattr(os.environ, "_data", None) if _PROXIES_FROM_ENV_ONLY else None
        inputs = (
            session.trust_env,
            session.stream,
            session.verify,
            session.cert,
            list(session.proxies.items()),
        )
        cached = self._settings_cache
        settings: Mapping[str, Any]
        if (
            cached is not None
            and environ is not None
            and cached[0] == inputs
            and cached[1] == environ
        ):
            settings = cached[2]
        else:
            # The session's own verify goes in first: requests would let REQUESTS_CA_BUNDLE
            # override a session.verify = False the user set.
            settings = session.merge_environment_settings(
                self.base_url, {}, None, session.verify, None
            )
            if environ is not None:
                self._settings_cache = (inputs, dict(environ), settings)
        return {**settings, "proxies": dict(settings["proxies"])}

    # -- sending ----------------------------------------------------------------

    def call(self, endpoint: Endpoint, values: Mapping[str, Any]) -> Any:
        """Send one call and return its response model (``endpoint.response``)."""
        params = self.fill(endpoint.query, values)
        body = encode_query(self.fill(endpoint.form, values)).encode() if endpoint.form else None
        attempt = 0
        while True:
            try:
                return self._decode(endpoint, self._send(endpoint, params, body))
            except (EmptyResponseError, DecodeError, TransportError) as exc:
                # The real server answers an empty or cut body under load: a GET is
                # asked again, a write is not (it may have been applied).
                if endpoint.method != "GET" or attempt >= self.retries or not _transient(exc):
                    raise
                delay = self.backoff * (2**attempt)
                attempt += 1
                log.debug(
                    "retrying %s %s (attempt %d) in %.2fs after %s",
                    endpoint.method,
                    endpoint.path,
                    attempt + 1,
                    delay,
                    type(exc).__name__,
                )
                time.sleep(delay)

    def _send(
        self, endpoint: Endpoint, params: Tuple[Tuple[str, str], ...], body: Optional[bytes]
    ) -> requests.Response:
        now = time.time()
        ts, rticket = int(now), int(now * 1000)
        url = self.build_url(endpoint.path, params, ts, rticket)
        headers = {"Content-Type": FORM_CONTENT_TYPE} if body is not None else None
        # Prepared on the URL without its query: requests would parse and re-quote the long
        # query only for it to be replaced; cookies, auth and proxies need scheme, host and path.
        # params=b"": nothing to merge or encode (requests checks typing Protocols there,
        # 20 us a request); session.params could not be sent anyway, unsigned.
        request = requests.Request(
            endpoint.method, self.base_url + endpoint.path, data=body, headers=headers, params=b""
        )
        prepared = self.session.prepare_request(request)
        # The signer sees the headers the client sets (docs/protocol.rst (Request signing)),
        # not Content-Length, which belongs to the HTTP library.
        own = {k: v for k, v in prepared.headers.items() if k.lower() != "content-length"}
        sign_request = SignRequest.create(
            method=endpoint.method,
            url=url,
            body=body or b"",
            headers=own,
            ts=ts,
            rticket=rticket,
            device=self.device,
        )
        url, signed_headers = sign_attempt(self.signer, sign_request)
        prepared.url = url  # the signature covers these exact bytes: nothing may re-encode them
        prepared.headers.update(signed_headers)
        settings = self._environment_settings()
        started = time.monotonic()
        try:
            response = self.session.send(
                prepared, timeout=self.timeout, allow_redirects=True, **settings
            )
        except requests.RequestException as exc:
            log.debug("%s %s failed: %s", endpoint.method, endpoint.path, type(exc).__name__)
            redact_exception(exc)  # urllib3's messages carry the URL: the login's password
            raise TransportError(
                f"{endpoint.method} {endpoint.path} failed: {type(exc).__name__}"
            ) from exc
        if log.isEnabledFor(logging.DEBUG):
            retries = getattr(getattr(response.raw, "retries", None), "history", ()) or ()
            log.debug(
                "%s %s -> %s (attempts %d, %.3fs)",
                endpoint.method,
                endpoint.path,
                response.status_code,
                len(retries) + 1,
                time.monotonic() - started,
            )
        token = response.headers.get("x-tt-token")
        if token:
            self.session.headers["x-tt-token"] = token
        return response

    def send_bare(self, url: str, headers: Mapping[str, str]) -> requests.Response:
        """GET a host that is not the API (a media CDN), streamed, with no API credential.

        The request is prepared on its own, not by the session: none of the
        session's headers (``x-tt-token``...) or cookies (``sessionid``...) are
        added, nothing is signed; it carries the client's User-Agent and
        ``headers``. Redirects are returned, not followed: requests would merge
        the cookie jar into the next request (docs/protocol.rst (Media)). The
        session's adapter still retries a refused connection and 5xx/429.
        """
        prepared = requests.Request("GET", url, headers={"User-Agent": self.user_agent, **headers})
        settings = self.session.merge_environment_settings(
            url, {}, True, self.session.verify, self.session.cert
        )
        try:
            return self.session.send(
                prepared.prepare(), timeout=self.timeout, allow_redirects=False, **settings
            )
        except requests.RequestException as exc:
            redact_exception(exc)
            raise TransportError(f"GET {_without_query(url)} failed: {type(exc).__name__}") from exc

    def _decode(self, endpoint: Endpoint, response: requests.Response) -> Any:
        content = response.content
        if response.status_code >= 400:
            raise self._http_error(endpoint, response, content)
        if not content.strip():
            raise EmptyResponseError(endpoint.path)
        # Decoding a page and building its models makes some 1,300 container objects at
        # once, none of them garbage. CPython's cyclic collector runs by allocation count:
        # it would scan them two or three times while they are made and promote them,
        # bringing full collections sooner (a tenth of a page's CPU). It is paused for
        # this moment only, if it was on; the count it kept makes it run right after, as
        # it would have. Refcounting still frees memory meanwhile.
        if not gc.isenabled():
            return self._parse(endpoint, response, content)
        gc.disable()
        try:
            return self._parse(endpoint, response, content)
        finally:
            gc.enable()

    def _parse(self, endpoint: Endpoint, response: requests.Response, content: bytes) -> Any:
        try:
            data = json.loads(content)
        except (ValueError, RecursionError) as exc:
            raise DecodeError(
                f"{endpoint.path} answered with a body that is not JSON", body=content
            ) from exc
        if type(data) is not dict:
            raise DecodeError(
                f"{endpoint.path} answered with JSON that is not an object", body=content
            )
        if endpoint.has_status:
            check_status(endpoint.path, data, response.status_code)
        try:
            return structure(data, endpoint.response)
        except Exception as exc:  # any shape error from the converter
            problem = _quote_free(exc)
            with contextlib.suppress(Exception):  # the chained cause is printed too
                exc.args = (problem,)
            raise DecodeError(
                f"{endpoint.path} answered with an unexpected shape: {problem}", body=content
            ) from exc

    def _http_error(
        self, endpoint: Endpoint, response: requests.Response, content: bytes
    ) -> APIError:
        data: Dict[str, Any] = {}
        try:
            decoded = json.loads(content) if content else None
            if type(decoded) is dict:
                data = decoded
        except (ValueError, RecursionError):
            pass
        status_code = data.get("status_code")
        kwargs: Dict[str, Any] = {
            "status_code": status_code if type(status_code) is int else None,
            "status_msg": data.get("status_msg") if type(data.get("status_msg")) is str else None,
            "http_status": response.status_code,
            "body": data or None,
        }
        if response.status_code == 429:
            retry_after = _retry_after(response)
            hint = f"; retry after {retry_after:g}s" if retry_after is not None else ""
            return RateLimitError(
                f"{endpoint.path}: rate limited (HTTP 429) after {self.retries} retries{hint}",
                retry_after=retry_after,
                **kwargs,
            )
        return APIError(f"{endpoint.path}: HTTP {response.status_code}", **kwargs)


# What a GET may ask for again: the body broke on the way (the connection dropped
# mid-body, a cut gzip stream) or is not JSON at all (cut, an HTML error page).
_BROKEN_BODY = (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)
_NOT_JSON = (json.JSONDecodeError, UnicodeDecodeError)


# A converter message can quote a value of the body (int() does); the body stays on .body.
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def _without_query(url: str) -> str:
    return url.split("?", 1)[0]


def _quote_free(exc: Exception) -> str:
    return _QUOTED.sub("'...'", redact(str(exc)))


def _transient(exc: Exception) -> bool:
    if isinstance(exc, EmptyResponseError):
        return True
    if isinstance(exc, DecodeError):
        return isinstance(exc.__cause__, _NOT_JSON)
    return isinstance(exc.__cause__, _BROKEN_BODY)


def _is_captcha(data: Mapping[str, Any]) -> bool:
    """The verification challenge's shape: ``type`` and ``subtype``, no ``status_code``.

    docs/protocol.rst (Failures).
    """
    return isinstance(data.get("type"), str) and "subtype" in data and "code" in data


def check_status(path: str, data: Mapping[str, Any], http_status: Optional[int] = None) -> None:
    """Raise for a body whose ``status_code`` is missing or not 0."""
    status_code = data.get("status_code")
    if status_code is None and _is_captcha(data):
        kind, subtype = data.get("type"), data.get("subtype")
        raise CaptchaRequired(
            f"{path} answered with a captcha ({kind}/{subtype}): solve it in the app with the "
            "same account and device, then try again",
            kind=kind if isinstance(kind, str) else None,
            subtype=subtype if isinstance(subtype, str) else None,
            body=dict(data),
        )
    if status_code is None:
        raise DecodeError(f"{path} answered without a status_code")
    if type(status_code) is not int:
        try:
            if type(status_code) is float and not status_code.is_integer():
                raise ValueError(status_code)  # 0.5 is not 0, and int(inf) overflows
            status_code = int(status_code)
        except (TypeError, ValueError):
            raise DecodeError(f"{path} answered with a status_code that is not a number") from None
    if status_code == 0:
        return
    status_msg = data.get("status_msg")
    status_msg = status_msg if isinstance(status_msg, str) else None
    cls = (
        LoginRequiredError
        if status_code == STATUS_LOGIN_REQUIRED
        else NotFoundError
        if status_code in STATUS_NOT_FOUND
        else APIError
    )
    hint = ": log in first (client.login_with_email)" if cls is LoginRequiredError else ""
    raise cls(
        f"{path} failed with status_code {status_code}{f' ({status_msg})' if status_msg else ''}{hint}",
        status_code=status_code,
        status_msg=status_msg,
        http_status=http_status,
        body=dict(data),
    )
