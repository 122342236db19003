"""App presets (docs/protocol.rst (Apps and hosts)) and users named by sec_user_id."""

from __future__ import annotations

import datetime
from typing import Dict

import pytest
import responses

import tiktok
from tests.conftest import (
    DEVICE_DEFAULTS,
    REQUIRED,
    RecordingSigner,
    check_wire,
    envelope,
    make_device,
    query_pairs,
)
from tiktok.apps import DOUYIN, MUSICALLY_2018, TIKTOK, TIKTOK_ASIA, App

PRESETS = [MUSICALLY_2018, TIKTOK, TIKTOK_ASIA, DOUYIN]
NEW_PRESETS = [TIKTOK, TIKTOK_ASIA, DOUYIN]

# Written out from docs/device.rst (App presets), not imported: the contract.
TIKTOK_PARAMS = {
    "app_language": "en", "language": "en", "region": "US", "sys_region": "US",
    "carrier_region": "US", "carrier_region_v2": "310", "build_number": "35.1.3",
    "timezone_offset": "-25200", "timezone_name": "America/Phoenix", "mcc_mnc": "310260",
    "is_my_cn": "0", "pass-region": "1", "pass-route": "1", "ac": "wifi",
    "channel": "googleplay", "aid": "1233", "app_name": "musical_ly", "version_code": "350103",
    "version_name": "35.1.3", "device_platform": "android", "ssmix": "a",
    "device_type": "Pixel 7", "device_brand": "Google", "os_api": "33", "os_version": "13",
    "manifest_version_code": "2023501030", "resolution": "1080*2400", "dpi": "420",
    "update_version_code": "2023501030",
}  # fmt: skip
TIKTOK_HOST = "https://api16-normal-c-useast1a.tiktokv.com/"
TIKTOK_UA = (
    "com.zhiliaoapp.musically/2023501030 (Linux; U; Android 13; en_US; Pixel 7; "
    "Build/TD1A.220804.031; Cronet/58.0.2991.0)"
)
# ITU-T E.212 mobile country codes of the presets' places.
MCC_COUNTRY = {"310": "US", "505": "AU", "520": "TH", "460": "CN"}
# The country of each preset's time zone (IANA zone.tab).
ZONE_COUNTRY = {
    "America/Phoenix": "US",
    "Australia/Brisbane": "AU",
    "Asia/Bangkok": "TH",
    "Asia/Shanghai": "CN",
}
SEC_USER_ID = "MS4wLjABAAAAv7iSuuXDJGDvJkmH_vz1qkDZYo1apxgzaxdBSeIuPiM"


# -- the presets --------------------------------------------------------------------------


def test_musically_2018_is_part_one_exactly() -> None:
    assert dict(MUSICALLY_2018.defaults) == DEVICE_DEFAULTS
    assert MUSICALLY_2018.base_url == tiktok.DEFAULT_BASE_URL == "https://api2.musical.ly/"
    assert make_device().app is MUSICALLY_2018


@pytest.mark.parametrize(
    ("app", "app_name", "aid", "package"),
    [
        (MUSICALLY_2018, "musical_ly", "1233", "com.zhiliaoapp.musically/"),
        (TIKTOK, "musical_ly", "1233", "com.zhiliaoapp.musically/"),
        (TIKTOK_ASIA, "trill", "1180", "com.ss.android.ugc.trill/"),
        (DOUYIN, "aweme", "1128", "com.ss.android.ugc.aweme/"),
    ],
)
def test_each_preset_names_its_app(app: App, app_name: str, aid: str, package: str) -> None:
    assert (app.defaults["app_name"], app.defaults["aid"]) == (app_name, aid)
    device = make_device(app=app)
    assert device.user_agent().startswith(package + app.defaults["manifest_version_code"] + " ")


@pytest.mark.parametrize("app", NEW_PRESETS, ids=lambda app: app.name)
def test_a_new_preset_describes_one_place(app: App) -> None:
    d = app.defaults
    country = d["region"]
    assert d["sys_region"] == d["carrier_region"] == country
    assert MCC_COUNTRY[d["carrier_region_v2"]] == country
    assert d["mcc_mnc"][:3] == d["carrier_region_v2"]
    assert ZONE_COUNTRY[d["timezone_name"]] == country
    assert d["language"] == d["app_language"]
    assert f"; {d['language']}_{country}; " in make_device(app=app).user_agent()


@pytest.mark.parametrize("app", NEW_PRESETS, ids=lambda app: app.name)
def test_a_new_preset_s_time_zone_offset_holds_all_year(app: App) -> None:
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        zone = zoneinfo.ZoneInfo(app.defaults["timezone_name"])
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no time zone database on this system")
    offsets = {
        datetime.datetime(2025, month, 1, 12, tzinfo=zone).utcoffset() for month in (1, 4, 7, 10)
    }
    assert offsets == {datetime.timedelta(seconds=int(app.defaults["timezone_offset"]))}


@pytest.mark.parametrize("app", NEW_PRESETS, ids=lambda app: app.name)
def test_a_new_preset_s_versions_agree(app: App) -> None:
    d = app.defaults
    assert d["version_name"] == d["build_number"]
    assert d["version_code"] == "".join(f"{int(part):02d}" for part in d["version_name"].split("."))
    assert d["os_api"] == "33" and d["os_version"] == "13"  # Android 13 is API level 33
    assert app.base_url.startswith("https://") and app.base_url.endswith("/")


def test_an_app_must_give_every_param() -> None:
    defaults = dict(TIKTOK.defaults)
    del defaults["region"]
    with pytest.raises(ValueError, match="missing \\['region'\\]"):
        App("x", "https://x/", "ua", defaults)
    with pytest.raises(ValueError, match="unknown \\['device_id'\\]"):
        App("x", "https://x/", "ua", {**TIKTOK.defaults, "device_id": "1"})


# -- devices and apps ---------------------------------------------------------------------


def test_a_device_for_an_app_takes_its_defaults_and_keeps_overrides() -> None:
    device = make_device(app=TIKTOK_ASIA, region="VN", dpi=480)
    assert (device.app_name, device.aid, device.timezone_name) == ("trill", "1180", "Asia/Bangkok")
    assert (device.region, device.dpi) == ("VN", "480")


def test_for_app_moves_the_defaults_and_keeps_what_was_set() -> None:
    device = make_device(timezone_name="Europe/Berlin", account_region="DE")
    moved = device.for_app(DOUYIN)
    assert moved.app is DOUYIN
    assert (moved.app_name, moved.language, moved.mcc_mnc) == ("aweme", "zh", "46007")
    assert moved.timezone_name == "Europe/Berlin" and moved.account_region == "DE"
    assert (moved.device_id, moved.iid) == (REQUIRED["device_id"], REQUIRED["iid"])
    assert moved.for_app(MUSICALLY_2018).params() == device.params()


def test_a_device_refuses_something_that_is_not_an_app() -> None:
    with pytest.raises(TypeError):
        make_device(app="TIKTOK")


# -- on the wire --------------------------------------------------------------------------


def test_client_with_the_tiktok_app_sends_its_host_params_and_user_agent() -> None:
    signer = RecordingSigner()
    with responses.RequestsMock() as rsps:
        rsps.get(TIKTOK_HOST + "aweme/v1/user/", json=envelope(user={"uid": "1"}))
        client = tiktok.Client(make_device(), signer, app=TIKTOK, retries=0)
        client.users.get("1")
        call = rsps.calls[0]
    assert client.base_url == TIKTOK_HOST
    check_wire(
        call,
        signer.calls[0],
        method="GET",
        path="aweme/v1/user/",
        params=[("user_id", "1")],
        device_params=TIKTOK_PARAMS,
        base_url=TIKTOK_HOST,
    )
    assert call.request.headers["User-Agent"] == TIKTOK_UA


def test_a_device_param_set_by_the_user_wins_over_the_client_s_app(rsps) -> None:
    signer = RecordingSigner()
    rsps.get("https://api.test/aweme/v1/user/", json=envelope(user={"uid": "1"}))
    device = make_device(region="GB", version_code="360000")
    client = tiktok.Client(device, signer, app=TIKTOK, base_url="https://api.test/", retries=0)
    client.users.get("1")
    sent: Dict[str, str] = dict(query_pairs(rsps.calls[0].request.url))
    assert (sent["region"], sent["version_code"]) == ("GB", "360000")
    assert (sent["app_name"], sent["timezone_name"]) == ("musical_ly", "America/Phoenix")


def test_the_default_app_changes_nothing_on_the_wire(rsps, device, signer) -> None:
    rsps.get("https://api.test/aweme/v1/user/", json=envelope(user={"uid": "1"}))
    rsps.get("https://api.test/aweme/v1/user/", json=envelope(user={"uid": "1"}))
    plain = tiktok.Client(device, signer, base_url="https://api.test/", retries=0)
    named = tiktok.Client(device, signer, app=MUSICALLY_2018, base_url="https://api.test/")
    plain.users.get("1")
    named.users.get("1")
    first, second = (call.request for call in rsps.calls)
    assert first.headers["User-Agent"] == second.headers["User-Agent"] == device.user_agent()
    cut = [url[: url.index("&_rticket=")] for url in (first.url, second.url)]
    assert cut[0] == cut[1]


# -- users named by sec_user_id -----------------------------------------------------------


def _sent(rsps: responses.RequestsMock) -> Dict[str, str]:
    return dict(query_pairs(rsps.calls[-1].request.url))


@pytest.mark.parametrize(
    ("call", "path", "body"),
    [
        (lambda c, u: c.users.get(u), "aweme/v1/user/", envelope(user={"uid": "1"})),
        (
            lambda c, u: next(iter(c.users.posts(u, limit=1)), None),
            "aweme/v1/aweme/post/",
            envelope(aweme_list=[], has_more=0, max_cursor=0),
        ),
        (
            lambda c, u: next(iter(c.follows.followers(u, limit=1)), None),
            "aweme/v1/user/follower/list/",
            envelope(followers=[], has_more=False, min_time=0),
        ),
        (
            lambda c, u: next(iter(c.follows.following(u, limit=1)), None),
            "aweme/v1/user/following/list/",
            envelope(followings=[], has_more=False, min_time=0),
        ),
        (
            lambda c, u: c.follows.follow(u),
            "aweme/v1/commit/follow/user/",
            envelope(follow_status=1),
        ),
        (
            lambda c, u: c.follows.unfollow(u),
            "aweme/v1/commit/follow/user/",
            envelope(follow_status=0),
        ),
        (
            lambda c, u: next(iter(c.users.liked(u, limit=1)), None),
            "aweme/v1/aweme/favorite/",
            envelope(aweme_list=[], has_more=0, max_cursor=0),
        ),
    ],
)
def test_a_user_call_sends_user_id_or_sec_user_id_as_given(client, rsps, call, path, body) -> None:
    for _ in range(4):
        rsps.get("https://api.test/" + path, json=body)
    call(client, SEC_USER_ID)
    sent = _sent(rsps)
    assert sent["sec_user_id"] == SEC_USER_ID and "user_id" not in sent
    own = [key for key, _ in query_pairs(rsps.calls[-1].request.url)]
    call(client, "42")
    numeric = [key for key, _ in query_pairs(rsps.calls[-1].request.url)]
    assert _sent(rsps)["user_id"] == "42" and "sec_user_id" not in _sent(rsps)
    # the same place in the query: only the name differs
    assert own == ["sec_user_id" if key == "user_id" else key for key in numeric]
    call(client, tiktok.User(uid="43", sec_uid=SEC_USER_ID))
    assert _sent(rsps)["user_id"] == "43"
    call(client, tiktok.User(sec_uid=SEC_USER_ID))
    assert _sent(rsps)["sec_user_id"] == SEC_USER_ID


@pytest.mark.parametrize(
    "bad",
    ["MS4wLjABAAAA", "MS4wLjABAAAAbad id", "MS4w", "someone", "", "-1", 1.5, None, tiktok.User()],
)
def test_a_user_that_is_neither_is_refused_before_sending(client, rsps, bad: object) -> None:
    with pytest.raises(ValueError, match="user_id"):
        client.users.get(bad)  # type: ignore[arg-type]
    assert len(rsps.calls) == 0


@pytest.mark.parametrize(
    ("call", "path", "param"),
    [
        (
            lambda c, u: c.follows.approve(u),
            "aweme/v1/commit/follow/request/approve/",
            "from_user_id",
        ),
        (
            lambda c, u: c.follows.reject(u),
            "aweme/v1/commit/follow/request/reject/",
            "from_user_id",
        ),
    ],
)
def test_calls_that_need_the_numeric_id_take_a_user_and_refuse_a_sec_user_id(
    client, rsps, call, path, param
) -> None:
    rsps.get("https://api.test/" + path, json=envelope(approve_status=0))
    call(client, tiktok.User(uid="44", sec_uid=SEC_USER_ID))
    assert _sent(rsps)[param] == "44"
    with pytest.raises(ValueError, match="numeric id"):
        call(client, SEC_USER_ID)
    assert len(rsps.calls) == 1
