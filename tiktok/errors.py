"""The exceptions the client raises: one base class, subclasses a caller can act on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Optional

import attrs

from ._deprecation import old_names

__all__ = [
    "APIError",
    "AppTooOldError",
    "BlockedError",
    "BodyTooLargeError",
    "CaptchaRequiredError",
    "DeadlineExceededError",
    "DecodeError",
    "DownloadError",
    "EmptyResponseError",
    "IPBlockedError",
    "IdentityBlockedError",
    "IdentityRef",
    "InstallIdRefusedError",
    "InvalidParameterError",
    "LiveStartError",
    "LoginError",
    "LoginRequiredError",
    "NotFoundError",
    "NotLiveError",
    "PrivateAccountError",
    "PrivatePostError",
    "RateLimitError",
    "RegistrationError",
    "RequestError",
    "SessionError",
    "SessionExpiredError",
    "SignerError",
    "SoftBlockError",
    "TikTokError",
    "TransportError",
    "TrapReplyError",
    "UserNotFoundError",
]


# HTTP statuses a server answers before doing anything with the request (docs/errors.rst).
UNPROCESSED_STATUSES = frozenset({429, 503})
# HTTP statuses whose answer may differ next time.
TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})


@attrs.frozen
class IdentityRef:
    """Which identity (the phone the API saw) a failure happened to, as the client knows it.

    ``device_id`` and ``iid`` are the device params the request carried.
    """

    device_id: Optional[str] = None
    iid: Optional[str] = None


class TikTokError(Exception):
    """Base class of every error this library raises on purpose.

    Three facts say whether the request may be sent again; the client's retries
    read them, and so may yours (docs/errors.rst (What the client retries)).
    ``hint`` says what a person can do about it; ``identity`` is the identity
    the client sent the request as (``None`` when nothing was sent); ``answer``
    the server's answer as text, secrets redacted, cut at a few KiB (``None``
    when there was none) (docs/failures.rst).
    """

    #: What a person can do about this failure, in a sentence.
    hint: str = ""
    #: The identity (device_id, iid) the request was sent as, when one was sent.
    identity: Optional[IdentityRef] = None
    #: The answer's body as text, secrets redacted and cut short; None when there was none.
    answer: Optional[str] = None

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


class BlockedError(TikTokError):
    """The family of refusals of this identity or this IP, whatever was asked.

    Catch it to rest an identity or change its proxy (docs/failures.rst).
    """

    hint = "rest this identity (its device and iid) or change its proxy, then try again later"


class SessionError(TikTokError):
    """The family of session failures: no session, or one that ended. Log in again."""

    hint = "log in again (client.login_with_email, or `tiktok login`) and save the session"


class RequestError(TikTokError):
    """The family of refusals of this request as asked: fix it, retrying will not help."""

    hint = "fix the request: what it asks for, or the parameters it sends"


class RegistrationError(RequestError):
    """The log host refused to register the device, or answered without its ids
    (docs/device.rst (Registering a device))."""

    hint = (
        "check the app preset's log_url and the encryption (your function, or the signing "
        "service's /encrypt): the answer did not carry device_id_str and install_id_str"
    )


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

    hint = "fix your signer: it must answer every request it is given (see docs/signing.rst)"


class SoftBlockError(BlockedError):
    """The API answered as if the request succeeded, without the result: a soft block.

    One may be a server under load (it is ``transient``: retried); repeated ones on
    one identity are an :class:`IdentityBlockedError` (``Client(soft_block_limit=...)``).
    """

    transient = True
    hint = (
        "the API refuses this identity's requests (often its device or iid): check the "
        "signer and device params; if it lasts, rest this identity or use another"
    )


class EmptyResponseError(SoftBlockError):
    """The server answered ``200`` with an empty body: a :class:`SoftBlockError`.

    This is how the API rejects a request whose signature or device params it
    does not accept.
    """

    transient = True  # a server under load answers so too
    hint = (
        "check that your signer signs the exact request it is given and that device_id, "
        "iid, openudid and fp come from a real, registered device; if it lasts, rest "
        "this identity"
    )

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(
            f"empty response from {path}: the server rejected the request's signature or "
            "device. Check that your signer signs the exact URL it is given and that "
            "device_id, iid, openudid and fp come from a real, registered device."
        )


class InstallIdRefusedError(EmptyResponseError):
    """An empty answer to a call that checks the install id (the feed, a post's detail).

    The likeliest cause there: the ``iid`` is missing or was issued for another app
    (``aid``); an install id works only with the app that issued it (docs/failures.rst).
    """

    hint = (
        "use an iid issued for this app preset (its aid): an install id works only with "
        "the app that issued it; register a device for this app, or pick the preset "
        "your iid came from"
    )

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.args = (
            f"empty response from {path}: the install id (iid) is refused; an iid works "
            "only with the app (aid) that issued it, and this call checks it",
        )


class IdentityBlockedError(BlockedError):
    """Soft blocks kept coming on one identity: the API blocks it, for a while at least.

    ``count`` soft blocks within ``window`` seconds with no answer between them
    (``Client(soft_block_limit=(count, window))``); the last one is chained as
    ``__cause__``. Not retried.
    """

    hint = (
        "rest this identity (hours, not seconds) and go on with another; if every "
        "identity is blocked, change the proxy"
    )

    def __init__(self, message: str, *, count: int, window: float) -> None:
        self.count = count
        self.window = window
        super().__init__(message)


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


class TrapReplyError(SoftBlockError, DecodeError):
    """``status_code`` 0 with only ``extra``, ``log_pb`` or ``status_msg``: the "trap reply".

    A :class:`SoftBlockError` and, as before, a :class:`DecodeError` (``body`` holds
    the raw bytes). The API answers so to an identity it no longer serves.
    """

    transient = True  # like an empty answer: one may be load, many are a block
    hint = SoftBlockError.hint

    def __init__(self, message: str, *, body: Optional[bytes] = None) -> None:
        DecodeError.__init__(self, message, body=body, transient=True)


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


class LoginRequiredError(APIError, SessionError):
    """The call needs a logged-in session (``status_code`` 8): log in first."""

    hint = "log in first (client.login_with_email, or `tiktok login`), then pass the session"


class SessionExpiredError(LoginRequiredError):
    """The session ended (``status_code`` 2154 or 2096): log in again.

    A :class:`LoginRequiredError`. Which of the two codes means what exactly is
    not documented anywhere public; both are read as an ended session.
    """

    hint = "the session expired: log in again and save the new session"


class NotFoundError(APIError, RequestError):
    """What was asked for does not exist (a user, a post, a handle, a sound)."""

    hint = "check the id or name: it does not exist (or no longer)"


class UserNotFoundError(NotFoundError):
    """No such user (``status_code`` 10202)."""

    hint = "check the user id, sec_user_id or handle: no such user (or the account is gone)"


class PrivatePostError(APIError, RequestError):
    """The post is private (``status_code`` 10216): only its author's approved viewers see it."""

    hint = "the post is private: log in as an account its author lets see it, or skip it"


class PrivateAccountError(APIError, RequestError):
    """The account is private (``status_code`` 10222): its lists need an approved follower."""

    hint = "the account is private: follow it and be approved (logged in), or skip it"


class InvalidParameterError(APIError, RequestError):
    """A parameter is wrong or missing (``status_code`` 4 or 5). ``status_msg`` may name it."""

    hint = "fix the parameter the status_msg names (a wrong or missing value)"


class AppTooOldError(APIError, RequestError):
    """The app version is too old for this API (``status_code`` 2146)."""

    hint = (
        "update the app preset: use tiktok.apps.TIKTOK (or a Device with a current "
        "version_code), with an iid issued for that app"
    )


class IPBlockedError(APIError, BlockedError):
    """This IP address is blocked (``status_code`` 10204)."""

    hint = "change the proxy (Client(proxy=...)): the API blocks this IP address"


class CaptchaRequiredError(BlockedError):
    """The server answered with a captcha or verification challenge instead of a result.

    ``kind`` is what it asks for (the body's ``type``, such as ``"verify"``) and
    ``subtype`` its form (such as ``"slide"``); ``body`` is the decoded answer.
    Solve it in the app with the same account and device, then try again.
    """

    hint = (
        "solve the challenge in the app with the same account and device, then slow "
        "down; or rest this identity"
    )

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
    """Too many requests: HTTP 429 or ``status_code`` 6, after the retries.

    The rate family. ``retry_after`` is the server's hint in seconds. Both are
    ``transient``: the client waits (``Retry-After`` up to ``max_wait``) and retries.
    """

    hint = "slow down: wait retry_after seconds, lower Client(rate=...), or spread the work"

    def __init__(self, message: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        # The server refused before doing anything, whether it said so with HTTP 429
        # or with status_code 6 in a 200 (docs/failures.rst).
        self.transient = True
        self.unprocessed = True


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
