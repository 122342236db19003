"""App presets: which app a client claims to be (docs/protocol.rst (Apps and hosts)).

An :class:`App` holds a base URL, a user agent template and the default device
params with their wire order. :class:`tiktok.Device` takes its defaults from its
``app`` (``MUSICALLY_2018`` unless told otherwise), and every param stays
overridable there. The presets and their sources are listed in :doc:`device`.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping, Tuple

import attrs

__all__ = ["DOUYIN", "MUSICALLY_2018", "PARAM_ORDER", "PRESETS", "TIKTOK", "TIKTOK_ASIA", "App"]

# Wire order of the known params (docs/protocol.rst (Query order)). Endpoint params come before these.
PARAM_ORDER: Tuple[str, ...] = (
    "app_language", "language", "region", "sys_region", "carrier_region", "carrier_region_v2",
    "build_number", "timezone_offset", "timezone_name", "mcc_mnc", "is_my_cn", "fp",
    "account_region", "pass-region", "pass-route", "iid", "device_id", "ac", "channel", "aid",
    "app_name", "version_code", "version_name", "device_platform", "ssmix", "device_type",
    "device_brand", "os_api", "os_version", "openudid", "manifest_version_code", "resolution",
    "dpi", "update_version_code",
)  # fmt: skip

#: The params that are the user's own (from their phone) or optional: no app supplies them.
NOT_DEFAULTED = frozenset({"device_id", "iid", "openudid", "fp", "account_region"})


def _read_only(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


def _check_defaults(instance: App, attribute: attrs.Attribute, value: Mapping[str, str]) -> None:  # type: ignore[type-arg]
    expected = set(PARAM_ORDER) - NOT_DEFAULTED
    if set(value) != expected:
        missing, extra = sorted(expected - set(value)), sorted(set(value) - expected)
        raise ValueError(
            f"App.defaults must give every device param: missing {missing}, unknown {extra}"
        )
    for name, text in value.items():
        if not isinstance(text, str):
            raise TypeError(f"App.defaults[{name!r}] must be a str, not {type(text).__name__}")


@attrs.frozen
class App:
    """An app a client can claim to be.

    ``user_agent`` is a template filled with the device's params by wire name
    (``{manifest_version_code}``, ``{os_version}``...). ``defaults`` gives every
    device param but the four that are the user's own and ``account_region``;
    ``param_order`` is their wire order; ``log_url`` the host devices register on.
    """

    name: str
    base_url: str
    user_agent: str
    defaults: Mapping[str, str] = attrs.field(converter=_read_only, validator=_check_defaults)
    param_order: Tuple[str, ...] = PARAM_ORDER
    #: The app's log host, where devices register (``tiktok.register_device``);
    #: empty where it is regional and unknown: give one (docs/protocol.rst (Device registration)).
    log_url: str = ""

    def __repr__(self) -> str:
        return f"<tiktok.apps.App {self.name}>"


_CRONET = "Cronet/58.0.2991.0"

#: musical.ly 9.1.0 for Android, as the seed (npm ``tiktok-api`` 0.4.1) sent it:
#: the default, byte for byte. Its defaults mix a US locale with an Australian
#: carrier and time zone (Brisbane); they stay as they are, for compatibility.
MUSICALLY_2018 = App(
    name="musical.ly 2018",
    base_url="https://api2.musical.ly/",
    user_agent=(
        "com.zhiliaoapp.musically/{manifest_version_code} (Linux; U; Android {os_version}; "
        "{language}_{region}; {device_type}; Build/NHG47Q; " + _CRONET + ")"
    ),
    defaults={
        "os_api": "23", "device_type": "Pixel", "ssmix": "a",
        "manifest_version_code": "2018111632", "dpi": "420", "app_name": "musical_ly",
        "version_name": "9.1.0", "timezone_offset": "36000", "is_my_cn": "0", "ac": "wifi",
        "update_version_code": "2018111632", "channel": "googleplay", "device_platform": "android",
        "build_number": "9.1.0", "version_code": "910", "timezone_name": "Australia/Brisbane",
        "resolution": "1080*1920", "os_version": "7.1.2", "device_brand": "Google", "mcc_mnc": "",
        "app_language": "en", "language": "en", "region": "US", "sys_region": "US",
        "carrier_region": "AU", "carrier_region_v2": "505", "aid": "1233", "pass-region": "1",
        "pass-route": "1",
    },
)  # fmt: skip

# Today's app on a Pixel 7 with Android 13 (API level 33), as yt-dlp's extractor
# describes it; the place params are chosen per preset.
_PIXEL_7 = {
    "device_platform": "android", "ssmix": "a", "device_type": "Pixel 7",
    "device_brand": "Google", "os_api": "33", "os_version": "13", "resolution": "1080*2400",
    "dpi": "420", "ac": "wifi", "is_my_cn": "0", "pass-region": "1", "pass-route": "1",
}  # fmt: skip
_TIKTOK_VERSION = {
    "version_name": "35.1.3", "build_number": "35.1.3", "version_code": "350103",
    "manifest_version_code": "2023501030", "update_version_code": "2023501030",
}  # fmt: skip
_BUILD = "Build/TD1A.220804.031"

#: TikTok for Android (rest of the world), in the United States: Phoenix,
#: Arizona (a US time zone without daylight saving, so the offset holds all
#: year), T-Mobile US (310-260).
TIKTOK = App(
    name="TikTok",
    base_url="https://api16-normal-c-useast1a.tiktokv.com/",
    user_agent=(
        "com.zhiliaoapp.musically/{manifest_version_code} (Linux; U; Android {os_version}; "
        "{language}_{region}; {device_type}; " + _BUILD + "; " + _CRONET + ")"
    ),
    defaults={
        **_PIXEL_7, **_TIKTOK_VERSION, "app_name": "musical_ly", "aid": "1233",
        "channel": "googleplay", "app_language": "en", "language": "en", "region": "US",
        "sys_region": "US", "carrier_region": "US", "carrier_region_v2": "310",
        "mcc_mnc": "310260", "timezone_name": "America/Phoenix", "timezone_offset": "-25200",
    },
)  # fmt: skip

#: TikTok for Android as published in East and South-East Asia (``trill``), in
#: Thailand: Bangkok, AIS (520-01).
TIKTOK_ASIA = App(
    name="TikTok Asia",
    base_url="https://api22-normal-c-alisg.tiktokv.com/",
    user_agent=(
        "com.ss.android.ugc.trill/{manifest_version_code} (Linux; U; Android {os_version}; "
        "{language}_{region}; {device_type}; " + _BUILD + "; " + _CRONET + ")"
    ),
    defaults={
        **_PIXEL_7, **_TIKTOK_VERSION, "app_name": "trill", "aid": "1180",
        "channel": "googleplay", "app_language": "th", "language": "th", "region": "TH",
        "sys_region": "TH", "carrier_region": "TH", "carrier_region_v2": "520",
        "mcc_mnc": "52001", "timezone_name": "Asia/Bangkok", "timezone_offset": "25200",
    },
)  # fmt: skip

#: Douyin for Android (``aweme``), in mainland China: Shanghai, China Mobile
#: (460-07), from a Chinese app store's channel.
DOUYIN = App(
    name="Douyin",
    base_url="https://aweme.snssdk.com/",
    log_url="https://log.snssdk.com/",
    user_agent=(
        "com.ss.android.ugc.aweme/{manifest_version_code} (Linux; U; Android {os_version}; "
        "{language}_{region}; {device_type}; " + _BUILD + "; " + _CRONET + ")"
    ),
    defaults={
        **_PIXEL_7, "app_name": "aweme", "aid": "1128", "version_name": "16.2.0",
        "build_number": "16.2.0", "version_code": "160200", "manifest_version_code": "160201",
        "update_version_code": "16209900", "channel": "tengxun_1128_0531",
        "app_language": "zh", "language": "zh", "region": "CN", "sys_region": "CN",
        "carrier_region": "CN", "carrier_region_v2": "460", "mcc_mnc": "46007",
        "timezone_name": "Asia/Shanghai", "timezone_offset": "28800",
    },
)  # fmt: skip

#: Every preset; an identity file names its app by the preset's ``name`` (:class:`tiktok.Identity`).
PRESETS: Tuple[App, ...] = (MUSICALLY_2018, TIKTOK, TIKTOK_ASIA, DOUYIN)
