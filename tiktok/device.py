"""Device params: the query string every request carries (docs/protocol.rst (Device params))."""

from __future__ import annotations

import os
from typing import Dict, Optional, Tuple

import attrs

__all__ = ["Device"]

# Wire order of the known params (docs/protocol.rst (Query order)). Endpoint params come before these.
PARAM_ORDER: Tuple[str, ...] = (
    "app_language", "language", "region", "sys_region", "carrier_region", "carrier_region_v2",
    "build_number", "timezone_offset", "timezone_name", "mcc_mnc", "is_my_cn", "fp",
    "account_region", "pass-region", "pass-route", "iid", "device_id", "ac", "channel", "aid",
    "app_name", "version_code", "version_name", "device_platform", "ssmix", "device_type",
    "device_brand", "os_api", "os_version", "openudid", "manifest_version_code", "resolution",
    "dpi", "update_version_code",
)  # fmt: skip

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


@attrs.frozen
class Device:
    """The phone the requests claim to come from.

    ``device_id``, ``iid`` (install id), ``openudid`` and ``fp`` (fingerprint) are
    your own, taken from a real install with a MITM proxy; the rest default to the
    values the seed's app version sends and can each be overridden. The two
    hyphenated wire params are ``pass_region`` and ``pass_route`` here.
    ``account_region`` is sent only when set.
    """

    # Defaults of "" only so that a missing one fails in _required with its name,
    # as a ValueError like an empty one, instead of attrs' TypeError.
    device_id: str = attrs.field(default="", validator=_required)
    iid: str = attrs.field(default="", validator=_required)
    openudid: str = attrs.field(default="", validator=_required)
    fp: str = attrs.field(default="", validator=_required)
    os_api: str = attrs.field(default="23", converter=_text, validator=_no_controls, kw_only=True)
    device_type: str = attrs.field(
        default="Pixel", converter=_text, validator=_no_controls, kw_only=True
    )
    ssmix: str = attrs.field(default="a", converter=_text, validator=_no_controls, kw_only=True)
    manifest_version_code: str = attrs.field(
        default="2018111632", converter=_text, validator=_no_controls, kw_only=True
    )
    dpi: str = attrs.field(default="420", converter=_text, validator=_no_controls, kw_only=True)
    app_name: str = attrs.field(
        default="musical_ly", converter=_text, validator=_no_controls, kw_only=True
    )
    version_name: str = attrs.field(
        default="9.1.0", converter=_text, validator=_no_controls, kw_only=True
    )
    timezone_offset: str = attrs.field(
        default="36000", converter=_text, validator=_no_controls, kw_only=True
    )
    is_my_cn: str = attrs.field(default="0", converter=_text, validator=_no_controls, kw_only=True)
    ac: str = attrs.field(default="wifi", converter=_text, validator=_no_controls, kw_only=True)
    update_version_code: str = attrs.field(
        default="2018111632", converter=_text, validator=_no_controls, kw_only=True
    )
    channel: str = attrs.field(
        default="googleplay", converter=_text, validator=_no_controls, kw_only=True
    )
    device_platform: str = attrs.field(
        default="android", converter=_text, validator=_no_controls, kw_only=True
    )
    build_number: str = attrs.field(
        default="9.1.0", converter=_text, validator=_no_controls, kw_only=True
    )
    version_code: str = attrs.field(
        default="910", converter=_text, validator=_no_controls, kw_only=True
    )
    timezone_name: str = attrs.field(
        default="Australia/Brisbane", converter=_text, validator=_no_controls, kw_only=True
    )
    resolution: str = attrs.field(
        default="1080*1920", converter=_text, validator=_no_controls, kw_only=True
    )
    os_version: str = attrs.field(
        default="7.1.2", converter=_text, validator=_no_controls, kw_only=True
    )
    device_brand: str = attrs.field(
        default="Google", converter=_text, validator=_no_controls, kw_only=True
    )
    mcc_mnc: str = attrs.field(default="", converter=_text, validator=_no_controls, kw_only=True)
    app_language: str = attrs.field(
        default="en", converter=_text, validator=_no_controls, kw_only=True
    )
    language: str = attrs.field(default="en", converter=_text, validator=_no_controls, kw_only=True)
    region: str = attrs.field(default="US", converter=_text, validator=_no_controls, kw_only=True)
    sys_region: str = attrs.field(
        default="US", converter=_text, validator=_no_controls, kw_only=True
    )
    carrier_region: str = attrs.field(
        default="AU", converter=_text, validator=_no_controls, kw_only=True
    )
    carrier_region_v2: str = attrs.field(
        default="505", converter=_text, validator=_no_controls, kw_only=True
    )
    aid: str = attrs.field(default="1233", converter=_text, validator=_no_controls, kw_only=True)
    pass_region: str = attrs.field(
        default="1", converter=_text, validator=_no_controls, kw_only=True
    )
    pass_route: str = attrs.field(
        default="1", converter=_text, validator=_no_controls, kw_only=True
    )
    account_region: Optional[str] = attrs.field(
        default=None, converter=_optional_text, validator=_no_controls, kw_only=True
    )

    @classmethod
    def from_env(cls, environ: Optional[Dict[str, str]] = None, **overrides: str) -> Device:
        """Build a device from ``TIKTOK_DEVICE_ID``, ``TIKTOK_IID``, ``TIKTOK_OPENUDID``, ``TIKTOK_FP``."""
        env = os.environ if environ is None else environ
        missing = [var for var in ENV_VARS.values() if not env.get(var)]
        if missing:
            raise ValueError(f"environment variable(s) not set: {', '.join(missing)}")
        values = {name: env[var] for name, var in ENV_VARS.items()}
        values.update(overrides)
        return cls(**values)

    def params(self) -> Dict[str, str]:
        """The device's query params by wire name, in wire order (``account_region`` only if set)."""
        out: Dict[str, str] = {}
        for wire in PARAM_ORDER:
            value = getattr(self, wire.replace("-", "_"))
            if value is not None:
                out[wire] = value
        return out

    def user_agent(self) -> str:
        """The app's default user agent for this device (docs/protocol.rst (Transport))."""
        return (
            f"com.zhiliaoapp.musically/{self.manifest_version_code} (Linux; U; Android "
            f"{self.os_version}; {self.language}_{self.region}; {self.device_type}; "
            "Build/NHG47Q; Cronet/58.0.2991.0)"
        )
