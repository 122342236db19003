"""Device params: the query string every request carries (docs/protocol.rst (Device params))."""

from __future__ import annotations

import os
from typing import Any, Dict, Optional

import attrs

from .apps import MUSICALLY_2018, App

__all__ = ["Device"]

REQUIRED = ("device_id", "iid", "openudid", "fp")
ENV_VARS = {name: f"TIKTOK_{name.upper()}" for name in REQUIRED}


def _required(instance: object, attribute: attrs.Attribute, value: object) -> None:  # type: ignore[type-arg]
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"Device.{attribute.name} is required and must be a non-empty string")
    _no_controls(instance, attribute, value)


def _no_controls(instance: object, attribute: attrs.Attribute, value: object) -> None:  # type: ignore[type-arg]
    # Some fields go into the User-Agent header too: CR, LF or NUL would fail every call.
    if isinstance(value, str) and any(
        ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in value
    ):
        raise ValueError(f"Device.{attribute.name} must not contain control characters")


def _text(value: object) -> str:
    # Numbers are accepted for convenience (dpi=420); the wire carries text.
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError(f"device params are text or integers, not {type(value).__name__}")
    return str(value)


def _optional_text(value: object) -> Optional[str]:
    return None if value is None else _text(value)


def _app(value: object) -> App:
    # A converter, not a validator: the params' defaults read it while __init__ runs.
    if not isinstance(value, App):
        raise TypeError(f"app must be a tiktok.apps.App, not {type(value).__name__}")
    return value


def _from_app(wire: str) -> Any:
    """A param's default: the device's app's value for it (``app`` is set before the params)."""
    return attrs.Factory(lambda device: device.app.defaults[wire], takes_self=True)


@attrs.frozen
class Device:
    """The phone the requests claim to come from.

    ``device_id``, ``iid`` (install id), ``openudid`` and ``fp`` (fingerprint) are
    your own, taken from a real install with a MITM proxy; an install id only
    works with the app it was issued for. The rest default to the values of
    ``app`` (:data:`tiktok.apps.MUSICALLY_2018`, the seed's app version, unless
    given) and can each be overridden. The two hyphenated wire params are
    ``pass_region`` and ``pass_route`` here. ``account_region`` is sent only when
    set.
    """

    # Defaults of "" only so that a missing one fails in _required with its name,
    # as a ValueError like an empty one, instead of attrs' TypeError.
    device_id: str = attrs.field(default="", validator=_required)
    iid: str = attrs.field(default="", validator=_required)
    openudid: str = attrs.field(default="", validator=_required)
    fp: str = attrs.field(default="", validator=_required)
    app: App = attrs.field(default=MUSICALLY_2018, converter=_app, kw_only=True)
    os_api: str = attrs.field(
        default=_from_app("os_api"), converter=_text, validator=_no_controls, kw_only=True
    )
    device_type: str = attrs.field(
        default=_from_app("device_type"), converter=_text, validator=_no_controls, kw_only=True
    )
    ssmix: str = attrs.field(
        default=_from_app("ssmix"), converter=_text, validator=_no_controls, kw_only=True
    )
    manifest_version_code: str = attrs.field(
        default=_from_app("manifest_version_code"),
        converter=_text,
        validator=_no_controls,
        kw_only=True,
    )
    dpi: str = attrs.field(
        default=_from_app("dpi"), converter=_text, validator=_no_controls, kw_only=True
    )
    app_name: str = attrs.field(
        default=_from_app("app_name"), converter=_text, validator=_no_controls, kw_only=True
    )
    version_name: str = attrs.field(
        default=_from_app("version_name"), converter=_text, validator=_no_controls, kw_only=True
    )
    timezone_offset: str = attrs.field(
        default=_from_app("timezone_offset"), converter=_text, validator=_no_controls, kw_only=True
    )
    is_my_cn: str = attrs.field(
        default=_from_app("is_my_cn"), converter=_text, validator=_no_controls, kw_only=True
    )
    ac: str = attrs.field(
        default=_from_app("ac"), converter=_text, validator=_no_controls, kw_only=True
    )
    update_version_code: str = attrs.field(
        default=_from_app("update_version_code"),
        converter=_text,
        validator=_no_controls,
        kw_only=True,
    )
    channel: str = attrs.field(
        default=_from_app("channel"), converter=_text, validator=_no_controls, kw_only=True
    )
    device_platform: str = attrs.field(
        default=_from_app("device_platform"), converter=_text, validator=_no_controls, kw_only=True
    )
    build_number: str = attrs.field(
        default=_from_app("build_number"), converter=_text, validator=_no_controls, kw_only=True
    )
    version_code: str = attrs.field(
        default=_from_app("version_code"), converter=_text, validator=_no_controls, kw_only=True
    )
    timezone_name: str = attrs.field(
        default=_from_app("timezone_name"), converter=_text, validator=_no_controls, kw_only=True
    )
    resolution: str = attrs.field(
        default=_from_app("resolution"), converter=_text, validator=_no_controls, kw_only=True
    )
    os_version: str = attrs.field(
        default=_from_app("os_version"), converter=_text, validator=_no_controls, kw_only=True
    )
    device_brand: str = attrs.field(
        default=_from_app("device_brand"), converter=_text, validator=_no_controls, kw_only=True
    )
    mcc_mnc: str = attrs.field(
        default=_from_app("mcc_mnc"), converter=_text, validator=_no_controls, kw_only=True
    )
    app_language: str = attrs.field(
        default=_from_app("app_language"), converter=_text, validator=_no_controls, kw_only=True
    )
    language: str = attrs.field(
        default=_from_app("language"), converter=_text, validator=_no_controls, kw_only=True
    )
    region: str = attrs.field(
        default=_from_app("region"), converter=_text, validator=_no_controls, kw_only=True
    )
    sys_region: str = attrs.field(
        default=_from_app("sys_region"), converter=_text, validator=_no_controls, kw_only=True
    )
    carrier_region: str = attrs.field(
        default=_from_app("carrier_region"), converter=_text, validator=_no_controls, kw_only=True
    )
    carrier_region_v2: str = attrs.field(
        default=_from_app("carrier_region_v2"),
        converter=_text,
        validator=_no_controls,
        kw_only=True,
    )
    aid: str = attrs.field(
        default=_from_app("aid"), converter=_text, validator=_no_controls, kw_only=True
    )
    pass_region: str = attrs.field(
        default=_from_app("pass-region"), converter=_text, validator=_no_controls, kw_only=True
    )
    pass_route: str = attrs.field(
        default=_from_app("pass-route"), converter=_text, validator=_no_controls, kw_only=True
    )
    account_region: Optional[str] = attrs.field(
        default=None, converter=_optional_text, validator=_no_controls, kw_only=True
    )

    @classmethod
    def from_env(
        cls,
        environ: Optional[Dict[str, str]] = None,
        *,
        app: App = MUSICALLY_2018,
        **overrides: str,
    ) -> Device:
        """Build a device from ``TIKTOK_DEVICE_ID``, ``TIKTOK_IID``, ``TIKTOK_OPENUDID``, ``TIKTOK_FP``."""
        env = os.environ if environ is None else environ
        missing = [var for var in ENV_VARS.values() if not env.get(var)]
        if missing:
            raise ValueError(f"environment variable(s) not set: {', '.join(missing)}")
        values = {name: env[var] for name, var in ENV_VARS.items()}
        values.update(overrides)
        return cls(app=app, **values)

    def for_app(self, app: App) -> Device:
        """This device as ``app`` would send it.

        Params that hold the current app's default take ``app``'s; params set to
        anything else are kept, as are the four of the user's own.
        """
        changes = {
            wire.replace("-", "_"): value
            for wire, value in app.defaults.items()
            if getattr(self, wire.replace("-", "_")) == self.app.defaults[wire]
        }
        return attrs.evolve(self, app=app, **changes)

    def params(self) -> Dict[str, str]:
        """The device's query params by wire name, in wire order (``account_region`` only if set)."""
        out: Dict[str, str] = {}
        for wire in self.app.param_order:
            value = getattr(self, wire.replace("-", "_"))
            if value is not None:
                out[wire] = value
        return out

    def user_agent(self) -> str:
        """The app's default user agent for this device (docs/protocol.rst (Transport))."""
        return self.app.user_agent.format(**self.params())
