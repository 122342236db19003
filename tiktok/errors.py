"""The exceptions the client raises: one base class, subclasses a caller can act on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Optional

from ._deprecation import old_names

__all__ = [
    "APIError",
    "BodyTooLargeError",
    "CaptchaRequiredError",
    "DeadlineExceededError",
    "DecodeError",
    "DownloadError",
    "EmptyResponseError",
    "LiveStartError",
    "LoginError",
    "LoginRequiredError",
    "NotFoundError",
    "NotLiveError",
    "RateLimitError",
    "SignerError",
    "TikTokError",
    "TransportError",
]


# HTTP statuses a server answers before doing anything with the request (docs/errors.rst).
UNPROCESSED_STATUSES = frozenset({429, 503})
# HTTP statuses whose answer may differ next time.
TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})


class TikTokError(Exception):
    """Base class of every error this library raises on purpose.

    Three facts say whether the request may be sent again; the client's retries
    read them, and so may yours (docs/errors.rst (What the client retries)).
    """

    #: Whether the same request may get another answer if sent again: a dropped
    #: connection, HTTP 429 or 5xx, an empty or cut body. A failure the server
    #: meant (an API status, a captcha, a body of the wrong shape) is not.
    transient: bool = False
    #: Whether the server provably did nothing with the request (it was never
    #: sent, or refused with HTTP 429 or 503 before processing): only then may a
    #: write (a ``POST``) be sent again without the risk of doing it twice.
    unprocessed: bool = False
    #: Seconds the server asked to wait before asking again (``Retry-After``), if it said.
    retry_after: Optional[float] = None


class TransportError(TikTokError):
    """The request could not be completed: connection refused, reset, timed out.

    ``sent`` is ``False`` when the request provably never reached the server
    (no connection could be made). The underlying ``requests`` exception is
    chained as ``__cause__``.
    """

    transient = True

    def __init__(self, message: str, *, sent: bool = True) -> None:
        self.sent = sent
        self.unprocessed = not sent
        super().__init__(message)


class DeadlineExceededError(TransportError):
    """The call's ``deadline`` (``Client(deadline=...)``) passed: attempts and waits included."""

    transient = False


class SignerError(TikTokError):
    """The signer raised, or returned something other than the URL it was given plus params."""


class EmptyResponseError(TikTokError):
    """The server answered ``200`` with an empty body.

    This is how the API rejects a request whose signature or device params it
    does not accept.
    """

    transient = True  # a server under load answers so too

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(
            f"empty response from {path}: the server rejected the request's signature or "
            "device. Check that your signer signs the exact URL it is given and that "
            "device_id, iid, openudid and fp come from a real, registered device."
        )


class DecodeError(TikTokError):
    """The body is not the JSON the endpoint answers with (HTML, cut JSON, wrong shape).

    ``transient`` when the body was broken (cut short, not JSON at all, gzip
    that does not decompress): asking again may help; well-formed JSON of the
    wrong shape would come back the same.
    """

    def __init__(
        self, message: str, *, body: Optional[bytes] = None, transient: bool = False
    ) -> None:
        self.body = body
        self.transient = transient
        super().__init__(message)


class BodyTooLargeError(DecodeError):
    """The body grew past ``max_body`` bytes (``Client(max_body=...)``, counted decompressed).

    Reading stopped there; ``body`` is ``None``.
    """


class APIError(TikTokError):
    """The server answered with a failure.

    ``status_code`` / ``status_msg`` are the API's own (``None`` when the body had
    none); ``http_status`` is the HTTP status; ``body`` the decoded JSON, if any;
    :attr:`logid` the server's log id for the answer; ``retry_after`` the
    server's ``Retry-After`` in seconds, if it sent one. It is ``transient`` for
    HTTP 429, 500, 502, 503 and 504, and ``unprocessed`` for 429 and 503.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: Optional[int] = None,
        status_msg: Optional[str] = None,
        http_status: Optional[int] = None,
        body: Optional[Mapping[str, Any]] = None,
        retry_after: Optional[float] = None,
    ) -> None:
        self.status_code = status_code
        self.status_msg = status_msg
        self.http_status = http_status
        self.body = body
        self.retry_after = retry_after
        self.transient = http_status in TRANSIENT_STATUSES
        self.unprocessed = http_status in UNPROCESSED_STATUSES
        super().__init__(message)

    @property
    def logid(self) -> Optional[str]:
        """The server's id for this answer in its logs (the body's ``extra.logid``), if sent.

        Quote it when you report a failure to whoever runs the server.
        """
        extra = self.body.get("extra") if self.body is not None else None
        logid = extra.get("logid") if isinstance(extra, Mapping) else None
        return logid if isinstance(logid, str) else None


class LoginRequiredError(APIError):
    """The call needs a logged-in session (``status_code`` 8): log in first."""


class NotFoundError(APIError):
    """What was asked for does not exist (a user, a post, a handle, a sound)."""


class CaptchaRequiredError(TikTokError):
    """The server answered with a captcha or verification challenge instead of a result.

    ``kind`` is what it asks for (the body's ``type``, such as ``"verify"``) and
    ``subtype`` its form (such as ``"slide"``); ``body`` is the decoded answer.
    Solve it in the app with the same account and device, then try again.
    """

    def __init__(
        self,
        message: str,
        *,
        kind: Optional[str] = None,
        subtype: Optional[str] = None,
        body: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self.kind = kind
        self.subtype = subtype
        self.body = body
        super().__init__(message)


class DownloadError(TikTokError):
    """A media download failed or its bytes did not check out (size, MD5); nothing is left at ``dest``."""


class RateLimitError(APIError):
    """HTTP 429 outlasted the retries. ``retry_after`` is the server's hint in seconds."""


class LoginError(TikTokError):
    """Login was refused. ``captcha`` is non-empty when a captcha must be solved first."""

    def __init__(self, error_code: Optional[int], description: str, captcha: str = "") -> None:
        self.error_code = error_code
        self.description = description
        self.captcha = captcha
        message = f"login failed ({error_code}): {description or 'no description'}"
        if captcha:
            message += "; the server asks for a captcha to be solved before logging in again"
        super().__init__(message)

    @property
    def captcha_required(self) -> bool:
        """Whether a captcha must be solved (in the app) before logging in again."""
        return bool(self.captcha)


class NotLiveError(TikTokError):
    """A room was asked for (to record it, say) and the user is not live, or the room
    has no stream of the kind asked for. ``hint`` says what to do."""

    def __init__(self, message: str, *, hint: str) -> None:
        super().__init__(f"{message}: {hint}")
        self.hint = hint


class LiveStartError(TikTokError):
    """``live.start()`` failed. ``step`` is ``"create_room"`` or ``"update_status"``.

    When the room was created but could not be started, ``room`` is that room
    (end it with ``live.end(room.room_id, room.stream_id)``). The error of the
    failed step is chained as ``__cause__``.
    """

    def __init__(self, step: str, room: Any = None, *, cause: Exception) -> None:
        self.step = step
        self.room = room
        where = f" for room {room.room_id} (stream {room.stream_id})" if room is not None else ""
        super().__init__(f"could not start the live stream: {step} failed{where}: {cause}")


#: Old names, kept for one release (using one warns): every exception's name ends in Error.
RENAMED = {
    "BodyTooLarge": "BodyTooLargeError",
    "CaptchaRequired": "CaptchaRequiredError",
    "DeadlineExceeded": "DeadlineExceededError",
    "LoginRequired": "LoginRequiredError",
}

if TYPE_CHECKING:  # type checkers see the old names as the classes they are
    BodyTooLarge = BodyTooLargeError
    CaptchaRequired = CaptchaRequiredError
    DeadlineExceeded = DeadlineExceededError
    LoginRequired = LoginRequiredError
else:
    __getattr__ = old_names(__name__, RENAMED, globals())
