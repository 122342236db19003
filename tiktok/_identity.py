"""Identities: what the API sees as one phone, kept in one private file, with its health.

An :class:`Identity` bundles device params, the app preset that issued them
(an install id only works with its app's ``aid``), a session, a proxy and a
pace, and carries its :class:`Health`: ok, resting until a time, retired, or
waiting for a login, each with the reason, as the typed failures of
:mod:`tiktok.errors` decide (:func:`health_after`). Its file is the one
``tiktok crawl run --identity FILE`` reads (keys of
:class:`~tiktok.settings.Settings` plus ``name``, ``app``, ``health`` and the
session itself), read and written like a session file: private (0600), checked
before use, written atomically (docs/device.rst (Identities)).
"""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Tuple, Union

import attrs

from ._sessions import (
    SessionState,
    read_private_json,
    read_session,
    validate_session_state,
    write_private_json,
)
from .apps import NOT_DEFAULTED, PRESETS, App
from .device import Device
from .errors import (
    AppTooOldError,
    BlockedError,
    IdentityBlockedError,
    InstallIdRefusedError,
    IPBlockedError,
    RateLimitError,
    SessionError,
    TransportError,
)
from .settings import Settings

if TYPE_CHECKING:
    from .client import Client

__all__ = ["OK", "Health", "Identity", "SessionState", "health_after"]

#: The states of :class:`Health`.
STATES = ("ok", "resting", "retired", "login")
_FILE_KEYS = frozenset({"name", "app", "device", "session", "proxy", "rate", "jitter", "health"})
_MAX_REASON = 500


@attrs.frozen
class Health:
    """How an identity is: ``ok``; ``resting`` until ``until`` (a unix time);
    ``retired`` for good; or ``login``: its session needs a new login. ``reason``
    says why, in words (the failure's type and hint)."""

    state: str = attrs.field(default="ok", validator=attrs.validators.in_(STATES))
    reason: str = ""
    until: Optional[float] = None

    def usable(self, now: float) -> bool:
        """Whether the identity may send requests at ``now``."""
        return self.state == "ok" or (self.state == "resting" and (self.until or 0.0) <= now)

    def to_json(self) -> Dict[str, Any]:
        """The health as an identity file and ``tiktok crawl status`` give it."""
        data: Dict[str, Any] = {"state": self.state, "reason": self.reason}
        if self.until is not None:
            data["until"] = self.until
        return data

    @classmethod
    def from_json(cls, data: object, where: str = "health") -> Health:
        """A health as :meth:`to_json` wrote it; :class:`ValueError` naming the field."""
        if type(data) is not dict or not set(data) <= {"state", "reason", "until"}:
            raise ValueError(f'{where}: must be an object of "state", "reason" and "until"')
        state, reason, until = data.get("state", "ok"), data.get("reason", ""), data.get("until")
        if state not in STATES:
            raise ValueError(f"{where}: state must be one of {', '.join(STATES)}")
        if type(reason) is not str or len(reason) > _MAX_REASON:
            raise ValueError(f"{where}: reason must be text of at most {_MAX_REASON} characters")
        if until is not None and (type(until) not in (int, float) or not math.isfinite(until)):
            raise ValueError(f"{where}: until must be null or a unix time")
        return cls(state, reason, None if until is None else float(until))


OK = Health()


def _why(error: BaseException) -> str:
    text = f"{type(error).__name__}: {' '.join(str(error).split())}"
    hint = getattr(error, "hint", "")
    if hint:
        text += f" ({hint})"
    return text[:_MAX_REASON]


def health_after(error: BaseException, *, now: float, rest: float) -> Optional[Health]:
    """The health a failure gives the identity it happened to; ``None`` when it says
    nothing about the identity (a private post, a wrong parameter...).

    A ban of the IP or the identity, a refused install id, or an app too old
    for the API retires it; a session error asks for a login; too many requests
    (for ``rest`` seconds, or longer if the server asked), a soft block or
    captcha (any other :class:`~tiktok.BlockedError`), or the network failing,
    rest it (docs/failures.rst).
    """
    if isinstance(error, (IPBlockedError, IdentityBlockedError, InstallIdRefusedError)):
        return Health("retired", _why(error))
    if isinstance(error, AppTooOldError):
        return Health("retired", _why(error))
    if isinstance(error, SessionError):
        return Health("login", _why(error))
    if isinstance(error, RateLimitError):
        return Health("resting", _why(error), now + max(rest, error.retry_after or 0.0))
    if isinstance(error, (BlockedError, TransportError)):
        return Health("resting", _why(error), now + rest)
    return None


def _device_params(device: Device) -> Dict[str, str]:
    """The params an identity file keeps: the user's own and those unlike the app's."""
    return {
        wire.replace("-", "_"): value
        for wire, value in device.params().items()
        if wire in NOT_DEFAULTED or value != device.app.defaults.get(wire)
    }


@attrs.frozen
class Identity:
    """One phone as the API sees it: device (whose ``app`` is the preset that issued
    its ids), session, proxy, pace (``rate`` requests a second, ``jitter``) and health.

    ::

        identity = Identity.load("phone-1.json")
        with identity.client(signer) as client:
            ...
        identity.after(error, now=time.time()).save("phone-1.json")
    """

    name: str
    device: Device
    session: Optional[SessionState] = None
    proxy: Optional[str] = None
    rate: Optional[float] = None
    jitter: Optional[Tuple[float, float]] = None
    health: Health = OK

    @property
    def app(self) -> App:
        """The app preset the device's ids belong to."""
        return self.device.app

    # -- the file ------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Union[str, os.PathLike[str]]) -> Identity:
        """Read an identity file, checked like a session file (private, regular, at most
        1 MiB, every value checked); :class:`ValueError` or :class:`PermissionError`
        naming the file and the field, never a value. A ``session`` given as a path
        is a session file, read the same way. The name defaults to the file's stem."""
        name = os.fspath(path)
        where = f"{name} is not an identity file tiktok can load"
        data = read_private_json(name, where, "an identity")
        identity = cls.from_mapping(data, where=where)
        if not identity.name:
            identity = attrs.evolve(identity, name=os.path.splitext(os.path.basename(name))[0])
        return identity

    @classmethod
    def from_mapping(cls, data: object, *, where: str = "identity") -> Identity:
        """An identity from a parsed identity file (a session path is read here)."""
        if not isinstance(data, Mapping):
            raise ValueError(f"{where}: it is not a JSON object")
        unknown = sorted(set(map(str, data)) - _FILE_KEYS)
        if unknown:
            raise ValueError(
                f"{where}: unknown keys {', '.join(unknown)} (known: {', '.join(sorted(_FILE_KEYS))})"
            )
        name = data.get("name", "")
        if type(name) is not str or len(name) > 200:
            raise ValueError(f"{where}: name must be text of at most 200 characters")
        app_name = data.get("app", PRESETS[0].name)
        app = next((preset for preset in PRESETS if preset.name == app_name), None)
        if app is None:
            names = ", ".join(preset.name for preset in PRESETS)
            raise ValueError(f"{where}: app must be one of {names}")
        settings = Settings.from_mapping(
            {key: data[key] for key in ("device", "proxy", "rate", "jitter") if key in data},
            source=where,
        )
        if not settings.device:
            raise ValueError(f'{where}: "device" must be an object of device params')
        try:
            device = Device(app=app, **settings.device)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{where}: bad device params: {exc}") from None
        session = data.get("session")
        if isinstance(session, str):
            state: Optional[SessionState] = read_session(session)
        else:
            state = None if session is None else validate_session_state(session, where)
        health = Health.from_json(data.get("health", {}), f"{where}: health")
        return cls(name, device, state, settings.proxy, settings.rate, settings.jitter, health)

    def to_json(self) -> Dict[str, Any]:
        """The identity file's content (it holds the session: keep it private)."""
        data: Dict[str, Any] = {
            "name": self.name,
            "app": self.app.name,
            "device": _device_params(self.device),
            "session": None if self.session is None else self.session.to_json(),
            "health": self.health.to_json(),
        }
        for key in ("proxy", "rate", "jitter"):
            value = getattr(self, key)
            if value is not None:
                data[key] = list(value) if key == "jitter" else value
        return data

    def save(self, path: Union[str, os.PathLike[str]]) -> None:
        """Write the identity file atomically with mode 0600."""
        write_private_json(path, self.to_json())

    # -- using it ------------------------------------------------------------------------

    def client(self, signer: Any, **options: Any) -> Client:
        """A :class:`~tiktok.Client` as this identity: its device, app, proxy, pace and
        session; ``options`` go to the client (``base_url``, ``timeout``...) and win."""
        from .client import Client

        for key in ("proxy", "rate", "jitter"):
            if options.get(key) is None and getattr(self, key) is not None:
                options[key] = getattr(self, key)
        client = Client(self.device, signer, **options)
        if self.session is not None:
            client.restore_session(self.session)
        return client

    def with_session_of(self, client: Client) -> Identity:
        """This identity with ``client``'s session (after a login), its health ok again."""
        return attrs.evolve(self, session=client.session_state(), health=OK)

    def after(self, error: BaseException, *, now: float, rest: float = 60.0) -> Identity:
        """This identity with the health ``error`` gives it (:func:`health_after`)."""
        health = health_after(error, now=now, rest=rest)
        return self if health is None else attrs.evolve(self, health=health)
