"""The :class:`Client`: wires a session, a signer and a device into the resources."""

from __future__ import annotations

import email.utils
import math
import os
from types import TracebackType
from typing import Any, Dict, Iterable, Optional, Tuple, Type, TypeVar, Union
from urllib.parse import urlsplit

import requests
from requests.cookies import create_cookie

from ._clock import Clock
from ._converter import structure
from ._links import LINK_HOSTS, Link, Resolver, normalize_hosts
from ._media import Media
from ._pacing import Pacer, check_jitter, check_rate
from ._retry import DEFAULT_DEADLINE, DEFAULT_MAX_WAIT
from ._sessions import SessionState, read_session, state_of, write_session
from ._soft_blocks import DEFAULT_SOFT_BLOCK_LIMIT, SoftBlocks, check_soft_block_limit
from ._transport import DEFAULT_MAX_BODY, Credentials, Endpoint, Transport
from .apps import App
from .device import Device
from .errors import DecodeError, LoginError, LoginRequiredError
from .models import LoginFailure, LoginResponse, LoginResult, User
from .resources import Feed, Follows, Hashtags, Live, Music, Posts, Resource, Stickers, Users
from .signing import Signer, SignerFunction, SupportsSignRequest, as_signer, xor_encode

__all__ = ["DEFAULT_BASE_URL", "Client"]

DEFAULT_BASE_URL = "https://api2.musical.ly/"
#: The webcast host that answers room info (docs/protocol.rst (Live rooms)).
DEFAULT_WEBCAST_URL = "https://webcast.tiktok.com/"
SESSION_COOKIE = "sessionid"
AnyResource = TypeVar("AnyResource", bound=Resource)

LOGIN = Endpoint(
    "POST",
    "passport/user/login/",
    LoginResponse,
    query=(
        ("mix_mode", "1"),
        "username",
        "email",
        ("mobile", ""),
        ("account", ""),
        "password",
        ("captcha", ""),
    ),
    has_status=False,
)


class Client:
    """A client for the TikTok app API.

    ``device`` holds the device params, ``signer`` signs every attempt: a URL signer
    (an object with ``.sign(url, ts, device_id)`` or a plain function of that shape)
    or a request signer (an object with ``.sign_request(SignRequest)``, such as
    :class:`~tiktok.RequestSigner` or :class:`~tiktok.RemoteSigner`). ``session``
    is the ``requests.Session`` to use (one is made if omitted): its proxies,
    ``verify`` and ``cert`` apply to API requests; the client mounts an adapter
    that retries nothing for the API's origin (its own loop retries) and keeps the
    API's token and cookies to itself (:attr:`credentials`), so that they never
    reach another host through the session. Proxy and CA settings from the
    environment are read once, here.

    ``timeout`` (seconds, or a ``(connect, read)`` pair) applies to every request;
    ``retries`` (at most ``retries + 1`` attempts of a call) and ``backoff`` (the
    base of a capped, jittered exponential wait) set the retry policy; a
    ``Retry-After`` up to ``max_wait`` seconds is waited out, a longer one raises.
    ``deadline`` (seconds) bounds a whole call, attempts and waits included;
    ``max_body`` (bytes, counted decompressed) bounds a response body (see
    :doc:`errors`). ``link_hosts`` are the hosts
    whose links :meth:`resolve` takes (TikTok's by default). ``app`` (a preset of
    :mod:`tiktok.apps`) is the app the client claims to be: the device's params
    that hold its own app's defaults take ``app``'s (see
    :meth:`Device.for_app <tiktok.Device.for_app>`), and ``base_url`` defaults to
    the app's host. ``webcast_url`` is the host that answers live rooms' info
    (TikTok's webcast host by default); it gets the same device params and
    signature, never the API's token or cookies. Live streams are fetched like
    media: from the hosts room info names, with no API credential.

    ``rate`` (requests a second) paces the client: at most that many attempts a
    second over all the threads that share it, evenly spaced; ``jitter=(low,
    high)`` adds a random pause of that many seconds before each attempt (see
    :doc:`crawling`). ``proxy`` (a URL) sends this client's API requests through
    that proxy, over any the session or the environment sets: one identity per
    client. ``clock`` (a :class:`~tiktok.Clock`) is where the client reads the
    time, waits and draws its jitter: pass one to test retries and pacing
    without waiting (see :doc:`errors`). ``soft_block_limit=(count, window)``:
    that many soft blocks (empty answers, trap replies) within ``window`` seconds,
    with no answer between them, raise :class:`~tiktok.IdentityBlockedError`
    instead (default 5 within 600 s; ``None`` never does; see :doc:`failures`).
    A client may be shared by threads.
    """

    def __init__(
        self,
        device: Device,
        signer: Union[Signer, SupportsSignRequest, SignerFunction],
        *,
        app: Optional[App] = None,
        base_url: Optional[str] = None,
        webcast_url: str = DEFAULT_WEBCAST_URL,
        session: Optional[requests.Session] = None,
        timeout: Union[float, Tuple[float, float]] = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        user_agent: Optional[str] = None,
        link_hosts: Iterable[str] = LINK_HOSTS,
        max_wait: float = DEFAULT_MAX_WAIT,
        deadline: float = DEFAULT_DEADLINE,
        max_body: int = DEFAULT_MAX_BODY,
        rate: Optional[float] = None,
        jitter: Optional[Tuple[float, float]] = None,
        proxy: Optional[str] = None,
        clock: Optional[Clock] = None,
        soft_block_limit: Optional[Tuple[int, float]] = DEFAULT_SOFT_BLOCK_LIMIT,
    ) -> None:
        if not isinstance(device, Device):
            raise TypeError(f"device must be a tiktok.Device, not {type(device).__name__}")
        if type(retries) is not int or retries < 0:
            raise ValueError(f"retries must be an int >= 0, not {retries!r}")
        if type(backoff) not in (int, float) or not 0 <= backoff < math.inf:
            raise ValueError(f"backoff must be a number >= 0, not {backoff!r}")
        if type(max_wait) not in (int, float) or not 0 <= max_wait < math.inf:
            raise ValueError(f"max_wait must be seconds >= 0, not {max_wait!r}")
        if not _positive(deadline):
            raise ValueError(f"deadline must be seconds > 0, not {deadline!r}")
        if type(max_body) is not int or max_body < 1:
            raise ValueError(f"max_body must be an int >= 1 (bytes), not {max_body!r}")
        # None would let a silent server hang a call forever: every request has a timeout.
        if not (
            _positive(timeout)
            or (type(timeout) is tuple and len(timeout) == 2 and all(map(_positive, timeout)))
        ):
            raise ValueError(
                f"timeout must be seconds > 0 or a (connect, read) pair of them, not {timeout!r}"
            )
        if app is not None:
            if not isinstance(app, App):
                raise TypeError(f"app must be a tiktok.apps.App, not {type(app).__name__}")
            if app is not device.app:
                device = device.for_app(app)
        if base_url is None:
            base_url = device.app.base_url
        _check_base_url(base_url)
        _check_base_url(webcast_url, "webcast_url")
        user_agent = _check_user_agent(user_agent, device)
        if clock is None:
            clock = Clock()
        elif not isinstance(clock, Clock):
            raise TypeError(f"clock must be a tiktok.Clock, not {type(clock).__name__}")
        pacer = Pacer(
            check_rate(rate),
            check_jitter(jitter),
            clock=clock.monotonic,
            sleep=clock.sleep,
            uniform=clock.uniform,
        )
        proxy = _check_proxy(proxy)
        soft_block_limit = check_soft_block_limit(soft_block_limit)
        self.device = device
        self.signer = as_signer(signer)
        self.session = session if session is not None else requests.Session()
        settings: Dict[str, Any] = dict(
            device=device,
            signer=self.signer,
            session=self.session,
            timeout=timeout,
            retries=retries,
            backoff=float(backoff),
            user_agent=user_agent,
            max_wait=float(max_wait),
            deadline=float(deadline),
            max_body=max_body,
            pacer=pacer if pacer.active else None,
            proxy=proxy,
            clock=clock,
            # One identity for both hosts: their soft blocks add up.
            soft_blocks=SoftBlocks(soft_block_limit, clock.monotonic),
        )
        self._transport = Transport(base_url=base_url, **settings)
        # Room info's host: the same identity, pacing and signer; the API's token and
        # cookies stay with the API's host (its own Credentials).
        self._webcast = Transport(base_url=webcast_url, **settings)
        self.users = Users(self._transport)
        self.posts = Posts(self._transport)
        self.follows = Follows(self._transport)
        self.live = Live(self._transport, self._webcast)
        self.feed = Feed(self._transport)
        self.hashtags = Hashtags(self._transport)
        self.stickers = Stickers(self._transport)
        self.music = Music(self._transport)
        self.media = Media(self._transport)
        self._links = Resolver(
            self._transport, self.users, self.hashtags, normalize_hosts(link_hosts)
        )
        # The logged-in account (from the login answer or a loaded session), for me().
        self._account_id: Optional[str] = None

    def resource(self, namespace: Type[AnyResource]) -> AnyResource:
        """The client's namespace of that class: ``client.resource(Users) is client.users``.

        For code that holds a declared call (``Users.calls``) rather than a name.
        """
        for resource in (self.users, self.posts, self.follows, self.live, self.feed,
                         self.hashtags, self.stickers, self.music):  # fmt: skip
            if type(resource) is namespace:
                return resource
        raise ValueError(f"a Client has no namespace of class {namespace!r}")

    def resolve(self, url: str) -> Link:
        """What a pasted link points at: ``Link(kind, id)``, ``kind`` one of post, user, music, hashtag.

        Takes ``tiktok.com/@user/video/ID``, ``m.tiktok.com/v/ID.html``,
        ``tiktok.com/music/NAME-ID``, ``tiktok.com/tag/NAME``, ``tiktok.com/@user``
        and short links (``vm.tiktok.com/CODE``, ``vt.tiktok.com/CODE``,
        ``tiktok.com/t/CODE``). Short links are followed by redirect with a bare
        request: no cookie, token or signature of the API goes to them. A user
        link costs a user search (:meth:`Users.by_username`) and a tag link a
        hashtag search. A link to a host not in ``link_hosts`` is a ``ValueError``.
        """
        return self._links.resolve(url)

    @property
    def link_hosts(self) -> Tuple[str, ...]:
        """The hosts :meth:`resolve` takes links from (TikTok's, plus the sandbox's for its client)."""
        return self._links.hosts

    @property
    def base_url(self) -> str:
        """The API host the client sends to, ending in ``/``."""
        return self._transport.base_url

    @property
    def webcast_url(self) -> str:
        """The webcast host that answers live rooms' info, ending in ``/``."""
        return self._webcast.base_url

    @property
    def credentials(self) -> Credentials:
        """The API's token and cookie jar, sent to the API's origin only."""
        return self._transport.credentials

    @property
    def logged_in(self) -> bool:
        """Whether the client holds a session cookie or token (not checked with the server)."""
        credentials = self._transport.credentials
        return bool(credentials.token) or SESSION_COOKIE in credentials.cookies

    def __repr__(self) -> str:
        return (
            f"<tiktok.Client base_url={self.base_url!r} device_id={self.device.device_id!r} "
            f"logged_in={self.logged_in}>"
        )

    # -- lifecycle ----------------------------------------------------------------

    def close(self) -> None:
        """Close the session's pooled connections."""
        self.session.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    # -- login ----------------------------------------------------------------------

    def login_with_email(self, email: str, password: str) -> LoginResult:
        """Log in with an email address and password; later calls use the session."""
        return self._login(username="", email=_credential(email, "email"), password=password)

    def login_with_username(self, username: str, password: str) -> LoginResult:
        """Log in with a username and password; later calls use the session."""
        return self._login(username=_credential(username, "username"), email="", password=password)

    def _login(self, *, username: str, email: str, password: str) -> LoginResult:
        _credential(password, "password")
        response: LoginResponse = self._transport.call(
            LOGIN,
            {
                "username": xor_encode(username, "username") if username else "",
                "email": xor_encode(email, "email") if email else "",
                "password": xor_encode(password, "password"),
            },
        )
        # The answer's data is a result or a failure: "message" says which
        # (docs/protocol.rst (Login)); a failure's data carries error_code.
        data = response.data
        if response.message != "success" or (data is not None and "error_code" in data):
            failure = _login_model(LoginFailure, data or {})
            raise LoginError(failure.error_code, failure.description or "", failure.captcha or "")
        if data is None:
            raise DecodeError(f"{LOGIN.path} answered success without data")
        result = _login_model(LoginResult, data)
        # A plain str: the id may have arrived as a JSON number (a str subclass).
        self._account_id = None if result.user_id is None else str(result.user_id)
        cookies = self._transport.credentials.cookies
        if result.session_key and SESSION_COOKIE not in cookies:
            parts = urlsplit(self.base_url)
            cookies.set(
                SESSION_COOKIE,
                result.session_key,
                domain=parts.hostname or "",
                path="/",
                secure=parts.scheme == "https",
            )
        return result

    # -- sessions ---------------------------------------------------------------------

    def save_session(self, path: Union[str, os.PathLike[str]]) -> None:
        """Save cookies and token to ``path`` (mode 0600, written atomically).

        A value that :meth:`load_session` would refuse is refused here too
        (:class:`ValueError`), and no temporary file outlives a failed save.
        """
        write_session(path, self.session_state())

    def session_state(self) -> SessionState:
        """The session (cookies, token, account id) as :meth:`save_session` saves it, checked."""
        credentials = self._transport.credentials
        return state_of(credentials.token, credentials.cookies, self._account_id)

    def load_session(self, path: Union[str, os.PathLike[str]]) -> None:
        """Load cookies and token saved by :meth:`save_session`; all of them, or nothing.

        Refuses, before applying anything: a file that other users can read or
        write, or that another user owns (:class:`PermissionError`); anything but
        a regular file, a file over 1 MiB, or any value of the wrong type, size or
        characters (:class:`ValueError` naming the field, never its value).
        """
        self.restore_session(read_session(path))

    def restore_session(self, state: SessionState) -> None:
        """Apply a session that :meth:`session_state` gave (an identity's, :class:`tiktok.Identity`)."""
        for saved in state.cookies:
            self._transport.credentials.cookies.set_cookie(
                create_cookie(  # type: ignore[no-untyped-call]
                    saved.name,
                    saved.value,
                    domain=saved.domain,
                    path=saved.path,
                    secure=saved.secure,
                    expires=saved.expires,
                )
            )
        if state.token:
            self._transport.credentials.token = state.token
        if state.user_id is not None:
            self._account_id = state.user_id

    def server_time(self) -> float:
        """The API's clock: its ``Date`` header as a Unix time, to compare with yours.

        Signatures carry the time and expire (docs/failures.rst): ``tiktok doctor``
        checks the skew with this. One unsigned ``GET`` of the base URL, through the
        client's proxy, with no credential. Raises :class:`tiktok.TransportError`
        when the host cannot be reached, :class:`tiktok.DecodeError` when it sends
        no readable ``Date``.
        """
        response = self._transport.send_bare(self._transport.base_url, {})
        try:
            date = response.headers.get("Date")
        finally:
            response.close()
        try:
            when = email.utils.parsedate_to_datetime(date or "")
        except (TypeError, ValueError, IndexError):
            when = None
        if when is None or when.tzinfo is None:
            raise DecodeError(f"{self._transport.base_url} sent no readable Date header")
        return when.timestamp()

    def me(self) -> User:
        """Your own profile: :meth:`users.get <tiktok.resources.Users.get>` of the account.

        The account is the one logged in with :meth:`login_with_email` or
        :meth:`login_with_username`, or the one of the session that
        :meth:`load_session` loaded (:meth:`save_session` keeps its id). Raises
        :class:`tiktok.LoginRequiredError`, without sending anything, when the client
        knows of no account.
        """
        if self._account_id is None:
            raise LoginRequiredError(
                "client.me() needs a login (client.login_with_email) "
                "or a session saved after one (client.load_session)"
            )
        return self.users.get(self._account_id)


def _check_proxy(proxy: object) -> Optional[str]:
    """A proxy URL for the API requests (``http``, ``https``, ``socks5``, ``socks5h``), or None.

    The message does not quote it: it may carry ``user:password@``.
    """
    if proxy is None:
        return None
    if isinstance(proxy, str):
        parts = urlsplit(proxy) if proxy.isascii() and " " not in proxy else None
        if parts is not None and parts.scheme in _PROXY_SCHEMES and parts.hostname:
            return proxy
    raise ValueError(
        "proxy must be None or a proxy URL such as http://host:3128 or socks5h://host:1080 "
        f"(schemes: {', '.join(_PROXY_SCHEMES)})"
    )


_PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")


def _check_base_url(base_url: object, name: str = "base_url") -> None:
    """Refuse at construction a base URL that no request could be sent to.

    The message does not quote it: it may carry a proxy-style ``user:password@``.
    """
    if not isinstance(base_url, str):
        raise ValueError(f"{name} must be a str, not {type(base_url).__name__}")
    if not base_url.isascii() or any(char <= " " or char == "\x7f" for char in base_url):
        raise ValueError(
            f"{name} must be ASCII without spaces or control characters "
            "(percent-encode a path, use the IDNA form of a host name)"
        )
    try:
        parts = urlsplit(base_url)
        parts.port  # noqa: B018  (raises for a port that is not a number from 0 to 65535)
    except ValueError as exc:
        raise ValueError(f"{name} is not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{name} must be an http(s) URL with a host, such as https://host/")
    if parts.query or parts.fragment or "?" in base_url or "#" in base_url:
        raise ValueError(f"{name} must not have a query or fragment: the client adds the query")


def _check_user_agent(user_agent: object, device: Device) -> str:
    """A user agent goes in a header: visible ASCII and spaces only, checked now, not per call."""
    if user_agent is None:
        value, name = device.user_agent(), "the user agent built from the device's fields"
    elif isinstance(user_agent, str) and user_agent.strip():
        value, name = user_agent, "user_agent"
    else:
        raise ValueError("user_agent must be None or a non-empty str")
    if not all(" " <= char <= "~" for char in value):
        raise ValueError(f"{name} must be printable ASCII (no CR, LF or other control characters)")
    return value


def _positive(value: object) -> bool:
    return type(value) in (int, float) and 0 < value < math.inf  # type: ignore[operator]


M = TypeVar("M")


def _login_model(cl: Type[M], data: Dict[str, Any]) -> M:
    try:
        return structure(data, cl)
    except (TypeError, ValueError) as exc:
        problem = type(exc).__name__
    # Outside the except block and without the converter's text: both quote the
    # values of the login's data, session_key among them.
    raise DecodeError(f"{LOGIN.path} answered with an unexpected shape ({problem})")


def _credential(value: object, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty str")
    return value
