"""Settings: what a :class:`~tiktok.Client` is made from, read once from the environment,
a file or flags, then used to make the client.

The command line, the Celery worker and your own scripts all make their client
this way::

    from tiktok.settings import Settings

    settings = Settings.from_env()  # TIKTOK_DEVICE_ID... TIKTOK_SIGNER, TIKTOK_SESSION...
    with settings.client(timeout=20) as client:
        ...

Sources combine with :meth:`Settings.merge`: what the later one sets wins, so
``Settings.from_env().merge(Settings.from_file("phone-1.json"))`` is the
environment with the file's settings over it (command-line flags go on top the
same way). Every problem is a :class:`SettingsError` naming the setting and,
where it came from one, the variable or file.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Tuple, Union

import attrs

from .device import ENV_VARS, Device

if TYPE_CHECKING:
    from .client import Client

__all__ = [
    "BASE_URL_ENV",
    "CRAWL_STORE_ENV",
    "PROXY_ENV",
    "RATE_ENV",
    "SESSION_ENV",
    "SIGNER_ENV",
    "Settings",
    "SettingsError",
    "load_signer",
]

SIGNER_ENV = "TIKTOK_SIGNER"
BASE_URL_ENV = "TIKTOK_BASE_URL"
SESSION_ENV = "TIKTOK_SESSION"
PROXY_ENV = "TIKTOK_PROXY"
RATE_ENV = "TIKTOK_RATE"
CRAWL_STORE_ENV = "TIKTOK_CRAWL_STORE"

#: The keys a settings file may hold (JSON), as :class:`Settings` names them.
FILE_KEYS = ("device", "signer", "base_url", "session", "proxy", "rate", "jitter", "crawl_store")


class SettingsError(ValueError):
    """The settings cannot make a client: one is missing, malformed or cannot be loaded.

    ``setting`` names it (``"device"``, ``"signer"``, ``"session"``, ``"rate"``...);
    ``missing``, where it is missing, lists the environment variables (or the
    file) that would have given it; ``hint`` says what to do.
    """

    def __init__(
        self, message: str, *, setting: str, missing: Tuple[str, ...] = (), hint: str = ""
    ) -> None:
        super().__init__(message)
        self.setting = setting
        self.missing = missing
        self.hint = hint


def load_signer(spec: str) -> Any:
    """Resolve ``module:attr`` to a signer: an object with ``.sign`` or ``.sign_request``, a
    class, or a function.

    A class is instantiated with no arguments. The current directory is put on
    ``sys.path`` first, so a ``mysigner.py`` next to you is found.
    """
    module_name, colon, attr_path = spec.partition(":")
    if not colon or not module_name or not attr_path:
        raise SettingsError(
            f"a signer is named module:attr (e.g. mysigner:sign), not {spec!r}", setting="signer"
        )
    cwd = os.getcwd()
    if cwd not in sys.path and "" not in sys.path:
        sys.path.insert(0, cwd)
    try:
        target: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise SettingsError(
            f"cannot import the signer module {module_name!r}: {exc}", setting="signer"
        ) from exc
    except Exception as exc:
        raise SettingsError(
            f"importing the signer module {module_name!r} raised {type(exc).__name__}: {exc}",
            setting="signer",
        ) from exc
    for part in attr_path.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise SettingsError(
                f"the signer {spec!r} does not exist: no attribute {part!r}", setting="signer"
            ) from None
    if isinstance(target, type):
        try:
            target = target()
        except Exception as exc:
            raise SettingsError(
                f"the signer class {spec!r} could not be created with no arguments: "
                f"{type(exc).__name__}: {exc}",
                setting="signer",
            ) from exc
    if (
        not callable(getattr(target, "sign", None))
        and not callable(getattr(target, "sign_request", None))
        and not callable(target)
    ):
        raise SettingsError(
            f"the signer {spec!r} is neither an object with .sign(url, ts, device_id) or "
            ".sign_request(request), a class, nor a function",
            setting="signer",
        )
    return target


def _device_params(value: Any) -> Dict[str, Any]:
    return dict(value) if value else {}


@attrs.frozen
class Settings:
    """What a client is made from; ``None`` (an empty ``device``) is "not set".

    ``device`` holds :class:`~tiktok.Device`'s params by name (at least
    ``device_id``, ``iid``, ``openudid`` and ``fp``); ``signer`` is a signer or
    its ``module:attr`` name; ``session`` a file saved by
    :meth:`Client.save_session <tiktok.Client.save_session>`; ``proxy``,
    ``rate`` and ``jitter`` pace and route the API requests as the
    :class:`~tiktok.Client` arguments of those names; ``crawl_store`` is where a
    crawl worker stores (a SQLite path or a ``postgresql://`` URL).
    """

    device: Mapping[str, Any] = attrs.field(factory=dict, converter=_device_params)
    signer: Any = None
    base_url: Optional[str] = None
    session: Optional[str] = None
    proxy: Optional[str] = None
    rate: Optional[float] = None
    jitter: Optional[Tuple[float, float]] = None
    crawl_store: Optional[str] = None
    #: Where the device params come from, for messages: variable names by param.
    device_source: Mapping[str, str] = attrs.field(factory=dict, repr=False, eq=False)

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> Settings:
        """The settings the ``TIKTOK_*`` variables give (``environ``, default ``os.environ``).

        ``TIKTOK_DEVICE_ID``, ``TIKTOK_IID``, ``TIKTOK_OPENUDID``, ``TIKTOK_FP``,
        ``TIKTOK_SIGNER`` (``module:attr``), ``TIKTOK_BASE_URL``, ``TIKTOK_SESSION``,
        ``TIKTOK_PROXY``, ``TIKTOK_RATE`` (requests a second) and
        ``TIKTOK_CRAWL_STORE``; an empty variable counts as unset.
        """
        env = os.environ if environ is None else environ
        rate = env.get(RATE_ENV) or None
        return cls(
            device={name: env[var] for name, var in ENV_VARS.items() if env.get(var)},
            signer=env.get(SIGNER_ENV) or None,
            base_url=env.get(BASE_URL_ENV) or None,
            session=env.get(SESSION_ENV) or None,
            proxy=env.get(PROXY_ENV) or None,
            rate=None if rate is None else _number(rate, RATE_ENV, what="rate", positive=True),
            crawl_store=env.get(CRAWL_STORE_ENV) or None,
            device_source=dict(ENV_VARS),
        )

    @classmethod
    def from_file(cls, path: Union[str, os.PathLike[str]]) -> Settings:
        """The settings a JSON file holds: an object with any of :data:`FILE_KEYS`.

        ``{"device": {"device_id": "...", "iid": "...", ...}, "session": "phone-1.session",
        "proxy": "http://proxy-1:3128", "rate": 1}``
        """
        name = os.fspath(path)
        try:
            data = json.loads(Path(name).read_text(encoding="utf-8"))
        except OSError as exc:
            raise SettingsError(
                f"cannot read the settings file {name}: {exc.strerror}", setting="file"
            ) from None
        except ValueError:
            raise SettingsError(f"the settings file {name} is not JSON", setting="file") from None
        return cls.from_mapping(data, source=name)

    @classmethod
    def from_mapping(cls, data: Any, *, source: str = "settings") -> Settings:
        """The settings a mapping holds (a parsed settings file); ``source`` names it in errors."""
        if not isinstance(data, Mapping):
            raise SettingsError(f"{source} must be a JSON object", setting="file")
        unknown = sorted(set(data) - set(FILE_KEYS))
        if unknown:
            raise SettingsError(
                f"{source}: unknown keys {', '.join(map(str, unknown))} "
                f"(known: {', '.join(FILE_KEYS)})",
                setting="file",
            )
        device = data.get("device")
        device = {} if device is None else device
        if not isinstance(device, Mapping):
            raise SettingsError(f'{source}: "device" must be an object', setting="device")
        for key in ("signer", "base_url", "session", "proxy", "crawl_store"):
            if data.get(key) is not None and not isinstance(data[key], str):
                raise SettingsError(f'{source}: "{key}" must be text', setting=key)
        jitter = data.get("jitter")
        if jitter is not None:
            if not isinstance(jitter, (list, tuple)) or len(jitter) != 2:
                raise SettingsError(
                    f'{source}: "jitter" must be [LOW, HIGH] seconds', setting="jitter"
                )
            jitter = tuple(
                _number(seconds, source, what="jitter", positive=False) for seconds in jitter
            )
        rate = data.get("rate")
        return cls(
            device=device,
            signer=data.get("signer"),
            base_url=data.get("base_url"),
            session=data.get("session"),
            proxy=data.get("proxy"),
            rate=None if rate is None else _number(rate, source, what="rate", positive=True),
            jitter=jitter,
            crawl_store=data.get("crawl_store"),
            device_source={name: f"{source} device.{name}" for name in ENV_VARS},
        )

    def merge(self, other: Settings) -> Settings:
        """These settings with those ``other`` sets over them (a device is taken whole)."""
        changes = {
            field.name: getattr(other, field.name)
            for field in attrs.fields(Settings)
            if field.name not in ("device", "device_source")
            and getattr(other, field.name) is not None
        }
        if other.device:
            changes.update(device=other.device, device_source=other.device_source)
        return attrs.evolve(self, **changes)

    # -- what they make ------------------------------------------------------------------

    def make_device(self) -> Device:
        """The :class:`~tiktok.Device` of ``device``."""
        missing = tuple(
            self.device_source.get(name, name) for name in ENV_VARS if not self.device.get(name)
        )
        if missing:
            raise SettingsError(
                f"no device: missing {', '.join(missing)}",
                setting="device",
                missing=missing,
                hint="your device's params, taken from a real install",
            )
        try:
            return Device(**self.device)
        except (TypeError, ValueError) as exc:
            raise SettingsError(f"bad device params: {exc}", setting="device") from exc

    def make_signer(self) -> Any:
        """The signer: ``signer`` itself, or what its ``module:attr`` name resolves to."""
        if self.signer is None:
            raise SettingsError(
                f"no signer: set {SIGNER_ENV}=module:attr (tiktok does not ship TikTok's "
                "signature)",
                setting="signer",
                missing=(SIGNER_ENV,),
                hint="a signer of your own, named module:attr",
            )
        return load_signer(self.signer) if isinstance(self.signer, str) else self.signer

    def client(self, **options: Any) -> Client:
        """A :class:`~tiktok.Client` made from these settings, its ``session`` loaded.

        ``options`` go to :class:`~tiktok.Client` (``timeout``, ``retries``...);
        ``proxy``, ``rate`` and ``jitter`` given there win over the settings'.
        """
        from .client import DEFAULT_BASE_URL, Client

        device = self.make_device()
        signer = self.make_signer()
        for name in ("proxy", "rate", "jitter"):
            if options.get(name) is None and getattr(self, name) is not None:
                options[name] = getattr(self, name)
        options.setdefault("base_url", self.base_url or DEFAULT_BASE_URL)
        try:
            client = Client(device, signer, **options)
        except (TypeError, ValueError) as exc:
            raise SettingsError(str(exc), setting="client") from exc
        if self.session is not None:
            try:
                self._load_session(client)
            except BaseException:
                client.close()
                raise
        return client

    def _load_session(self, client: Client) -> None:
        path = Path(str(self.session))
        if not path.exists():
            raise SettingsError(
                f"session file {path} does not exist",
                setting="session",
                missing=(str(path),),
                hint="create it by logging in (tiktok login --session FILE)",
            )
        try:
            client.load_session(path)
        except (OSError, ValueError) as exc:
            raise SettingsError(f"cannot load the session: {exc}", setting="session") from exc


def _number(value: Any, source: str, *, what: str, positive: bool) -> float:
    """A number of ``what`` (``> 0`` if ``positive``, else ``>= 0``) from text or JSON."""
    try:
        number = math.nan if isinstance(value, bool) else float(value)
    except (TypeError, ValueError):
        number = math.nan
    in_range = (number > 0 if positive else number >= 0) and number != math.inf
    if not in_range:
        bound = "> 0" if positive else ">= 0"
        raise SettingsError(
            f"{source}: {what} must be a number {bound}, not {value!r}", setting=what
        )
    return number
