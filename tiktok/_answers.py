"""What an API answer means: the response model, or the error a caller can act on.

docs/protocol.rst (Failures) and docs/errors.rst: HTTP failures, redirects,
verification challenges, bodies that are not the expected JSON, API statuses.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import re
from typing import TYPE_CHECKING, Any, Callable, Dict, Mapping, Optional, Type
from urllib.parse import urlsplit

import requests

from ._converter import structure
from ._redact import redact
from .errors import (
    APIError,
    AppTooOldError,
    CaptchaRequiredError,
    DecodeError,
    EmptyResponseError,
    InstallIdRefusedError,
    InvalidParameterError,
    IPBlockedError,
    LoginRequiredError,
    PrivateAccountError,
    PrivatePostError,
    RateLimitError,
    SessionExpiredError,
    TikTokError,
    TrapReplyError,
    UserNotFoundError,
)

if TYPE_CHECKING:
    from ._transport import Endpoint

__all__ = ["STATUS_ERRORS", "check_status", "decode", "retry_after_seconds"]

STATUS_LOGIN_REQUIRED = 8
#: The error of each known non-zero ``status_code`` (docs/protocol.rst (Refusals, named));
#: any other is an APIError with its code.
STATUS_ERRORS: Mapping[int, Type[APIError]] = {
    4: InvalidParameterError,
    5: InvalidParameterError,
    6: RateLimitError,
    STATUS_LOGIN_REQUIRED: LoginRequiredError,
    2096: SessionExpiredError,
    2146: AppTooOldError,
    2154: SessionExpiredError,
    10202: UserNotFoundError,
    10204: IPBlockedError,
    10216: PrivatePostError,
    10222: PrivateAccountError,
}
#: The keys of a "trap reply": success with nothing in it (docs/protocol.rst (Refusals, named)).
TRAP_KEYS = frozenset({"status_code", "status_msg", "log_pb", "extra"})
#: Calls that check the install id: an empty answer there names it (docs/protocol.rst
#: (Refusals, named)).
IID_CHECKED_PATHS = frozenset(
    {"aweme/v1/feed/", "aweme/v1/aweme/detail/", "aweme/v1/multi/aweme/detail/"}
)
#: How much of an answer an error keeps as text (``TikTokError.answer``).
ANSWER_KEPT = 4096
# Where the API may put a verification challenge instead of the body.
VERIFY_HEADER = "bdturing-verify"


def decode(
    endpoint: Endpoint, response: requests.Response, content: bytes, wall: Callable[[], float]
) -> Any:
    """The model of ``endpoint.response`` an answer holds, or the error it means.

    The error keeps the answer as text, secrets redacted (``TikTokError.answer``).
    """
    try:
        return _decode(endpoint, response, content, wall)
    except TikTokError as error:
        if error.answer is None:
            error.answer = redact(content[:ANSWER_KEPT].decode("utf-8", "replace"))
        raise


def _decode(
    endpoint: Endpoint, response: requests.Response, content: bytes, wall: Callable[[], float]
) -> Any:
    if response.status_code >= 400:
        raise _http_error(endpoint, response, content, wall)
    if 300 <= response.status_code < 400:
        raise _redirect_error(endpoint, response)
    header_challenge = _challenge_header(endpoint.path, response.headers.get(VERIFY_HEADER))
    if header_challenge is not None:
        raise header_challenge
    if not content.strip():
        if endpoint.path in IID_CHECKED_PATHS:
            raise InstallIdRefusedError(endpoint.path)
        raise EmptyResponseError(endpoint.path)
    try:
        data = json.loads(content)
    except (ValueError, RecursionError) as exc:
        # Cut short or not JSON at all (an HTML error page): asking again may help.
        # Nesting too deep or a number too long to read would come back the same.
        broken = isinstance(exc, (json.JSONDecodeError, UnicodeDecodeError))
        raise DecodeError(
            f"{endpoint.path} answered with a body that is not JSON", body=content, transient=broken
        ) from exc
    if type(data) is not dict:
        raise DecodeError(f"{endpoint.path} answered with JSON that is not an object", body=content)
    challenge = _challenge(endpoint.path, data)
    if challenge is not None:
        raise challenge
    if endpoint.has_status:
        check_status(endpoint.path, data, response.status_code)
    try:
        model = structure(data, endpoint.response)
    except Exception as exc:  # any shape error from the converter
        problem = _quote_free(exc)
        with contextlib.suppress(Exception):  # the chained cause is printed too
            exc.args = (problem,)
        raise DecodeError(
            f"{endpoint.path} answered with an unexpected shape: {problem}", body=content
        ) from exc
    if (
        endpoint.has_status
        and data.keys() <= TRAP_KEYS
        and (endpoint.result is not None or "log_pb" in data)
    ):
        missing = f"without {endpoint.result!r}" if endpoint.result else "with nothing in it"
        raise TrapReplyError(
            f"{endpoint.path} answered status_code 0 {missing} (a trap reply): the API "
            "serves this identity no more, for now",
            body=content,
        )
    if endpoint.result is not None and data.get(endpoint.result) is None:
        # Success without what was asked for is not an empty result.
        raise DecodeError(f"{endpoint.path} answered without {endpoint.result!r}", body=content)
    return model


def _redirect_error(endpoint: Endpoint, response: requests.Response) -> APIError:
    # Not followed: the signature covers this URL only, and the credentials must not
    # go to another host (docs/protocol.rst (Retries, limits and pacing)).
    location = response.headers.get("Location", "")
    try:
        parts = urlsplit(location)
        where = f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.netloc else parts.path
    except ValueError:
        where = "an unreadable Location"
    return APIError(
        f"{endpoint.path}: redirected (HTTP {response.status_code}) to {redact(where)!r}; "
        "redirects are not followed",
        http_status=response.status_code,
    )


def _http_error(
    endpoint: Endpoint, response: requests.Response, content: bytes, wall: Callable[[], float]
) -> APIError:
    data: Dict[str, Any] = {}
    try:
        decoded = json.loads(content) if content else None
        if type(decoded) is dict:
            data = decoded
    except (ValueError, RecursionError):
        pass
    status_code = data.get("status_code")
    retry_after = retry_after_seconds(response, wall)
    kwargs: Dict[str, Any] = {
        "status_code": status_code if type(status_code) is int else None,
        "status_msg": data.get("status_msg") if type(data.get("status_msg")) is str else None,
        "http_status": response.status_code,
        "body": data or None,
        "retry_after": retry_after,
    }
    if response.status_code == 429:
        hint = f"; retry after {retry_after:g}s" if retry_after is not None else ""
        return RateLimitError(f"{endpoint.path}: rate limited (HTTP 429){hint}", **kwargs)
    return APIError(f"{endpoint.path}: HTTP {response.status_code}", **kwargs)


def retry_after_seconds(response: requests.Response, wall: Callable[[], float]) -> Optional[float]:
    """``Retry-After`` in seconds (a number or an HTTP date); None if absent or unreadable."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            return None
        seconds = when.timestamp() - wall()
    if seconds != seconds or seconds == float("inf"):  # NaN, inf
        return None
    return max(0.0, seconds)


def _challenge(path: str, data: Mapping[str, Any]) -> Optional[CaptchaRequiredError]:
    """A captcha or verification asked for instead of an answer (docs/protocol.rst
    (Retries, limits and pacing)), or None."""
    if data.get("type") == "verify" or (str(data.get("code")) == "10000" and "subtype" in data):
        return _captcha(path, data, data)
    for holder in (data, data.get("data")):
        conf = holder.get("verify_center_decision_conf") if isinstance(holder, dict) else None
        if conf:
            if isinstance(conf, str):
                with contextlib.suppress(ValueError, RecursionError):
                    conf = json.loads(conf)
            return _captcha(path, conf if isinstance(conf, dict) else {}, data)
    return None


def _challenge_header(path: str, value: Optional[str]) -> Optional[CaptchaRequiredError]:
    """The same challenge sent in the ``bdturing-verify`` header, or None."""
    if not value:
        return None
    try:
        data = json.loads(value)
    except (ValueError, RecursionError):
        data = None
    return _captcha(path, data if isinstance(data, dict) else {}, data)


def _captcha(path: str, conf: Mapping[str, Any], body: Any) -> CaptchaRequiredError:
    kind = conf.get("type") if isinstance(conf.get("type"), str) else None
    subtype = conf.get("subtype") if isinstance(conf.get("subtype"), str) else None
    what = " ".join(part for part in (subtype, kind or "verify") if part)
    return CaptchaRequiredError(
        f"{path}: the server asks for a {what} challenge instead of answering; solve it in "
        "the app with the same account and device, then try again",
        kind=kind or "verify",
        subtype=subtype,
        body=body if isinstance(body, dict) else None,
    )


# A converter message can quote a value of the body (int() does); the body stays on .body.
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def _quote_free(exc: Exception) -> str:
    return _QUOTED.sub("'...'", redact(str(exc)))


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
        raise CaptchaRequiredError(
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
    cls = STATUS_ERRORS.get(status_code, APIError)
    hint = f": {cls.hint}" if cls is not APIError else ""
    raise cls(
        f"{path} failed with status_code {status_code}{f' ({status_msg})' if status_msg else ''}{hint}",
        status_code=status_code,
        status_msg=status_msg,
        http_status=http_status,
        body=dict(data),
    )
