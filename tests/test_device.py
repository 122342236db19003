"""tiktok.Device: required params, the default params and their wire order (docs/protocol.rst), from_env, user agent."""

from __future__ import annotations

import attrs
import pytest

import tiktok
from tests.conftest import (
    BASE_URL,
    DEVICE_DEFAULTS,
    DEVICE_ORDER,
    REQUIRED,
    RecordingSigner,
    check_wire,
    envelope,
    expected_device_pairs,
    make_device,
    url,
)


def test_params_are_the_protocol_defaults_in_wire_order() -> None:
    assert list(make_device().params().items()) == expected_device_pairs()


def test_every_default_of_protocol_section_2_is_a_field() -> None:
    device = make_device()
    for wire_name, default in DEVICE_DEFAULTS.items():
        assert getattr(device, wire_name.replace("-", "_")) == default, wire_name


@pytest.mark.parametrize("name", sorted(REQUIRED))
@pytest.mark.parametrize("bad", ["", "   ", None, 123])
def test_required_param_empty_or_wrong_type_names_the_field(name: str, bad: object) -> None:
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        tiktok.Device(**{**REQUIRED, name: bad})


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_required_param_missing_is_a_value_error_naming_the_field(name: str) -> None:
    values = {k: v for k, v in REQUIRED.items() if k != name}
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        tiktok.Device(**values)


def test_every_default_can_be_overridden_and_numbers_become_text() -> None:
    device = make_device(dpi=480, os_api=28, region="GB", pass_region="0", pass_route="0")
    params = device.params()
    assert params["dpi"] == "480" and params["os_api"] == "28"
    assert params["region"] == "GB"
    assert params["pass-region"] == "0" and params["pass-route"] == "0"
    assert list(params) == [name for name in DEVICE_ORDER if name != "account_region"]


def test_account_region_is_absent_unless_set_and_then_after_fp() -> None:
    assert "account_region" not in make_device().params()
    keys = list(make_device(account_region="US").params())
    assert keys[keys.index("fp") + 1] == "account_region"
    assert keys[keys.index("account_region") + 1] == "pass-region"


@pytest.mark.parametrize("bad", [True, 1.5, ["x"], b"x"])
def test_device_params_refuse_values_that_are_not_text_or_int(bad: object) -> None:
    with pytest.raises(TypeError):
        make_device(dpi=bad)


def test_device_is_immutable() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        make_device().device_id = "1"  # type: ignore[misc]


def test_from_env_reads_the_four_variables() -> None:
    env = {
        "TIKTOK_DEVICE_ID": "11",
        "TIKTOK_IID": "22",
        "TIKTOK_OPENUDID": "33",
        "TIKTOK_FP": "44",
        "TIKTOK_UNRELATED": "x",
    }
    device = tiktok.Device.from_env(env, region="DE")
    assert (device.device_id, device.iid, device.openudid, device.fp) == ("11", "22", "33", "44")
    assert device.region == "DE"


def test_from_env_defaults_to_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in REQUIRED.items():
        monkeypatch.setenv(f"TIKTOK_{name.upper()}", value)
    assert tiktok.Device.from_env() == make_device()


def test_from_env_names_every_missing_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"TIKTOK_DEVICE_ID": "11", "TIKTOK_IID": "", "TIKTOK_OPENUDID": "33"}
    with pytest.raises(ValueError) as caught:
        tiktok.Device.from_env(env)
    message = str(caught.value)
    assert "TIKTOK_IID" in message and "TIKTOK_FP" in message
    assert "TIKTOK_DEVICE_ID" not in message


def test_user_agent_is_built_from_the_device_params() -> None:
    assert make_device().user_agent() == (
        "com.zhiliaoapp.musically/2018111632 (Linux; U; Android 7.1.2; en_US; Pixel; "
        "Build/NHG47Q; Cronet/58.0.2991.0)"
    )
    custom = make_device(os_version="9", device_type="SM-G960F", language="de", region="AT")
    assert "Android 9; de_AT; SM-G960F;" in custom.user_agent()


def test_overridden_and_encoded_device_params_go_on_the_wire(rsps) -> None:
    signer = RecordingSigner()
    device = make_device(fp="a+b/c=", account_region="US", timezone_name="Europe/Berlin")
    client = tiktok.Client(device, signer, base_url=BASE_URL, retries=0, backoff=0)
    rsps.get(url("aweme/v1/user/"), json=envelope(user={"uid": "1"}))
    client.users.get("1")
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/user/",
        params=[("user_id", "1")],
        device_params={"fp": "a+b/c=", "account_region": "US", "timezone_name": "Europe/Berlin"},
    )
    assert "fp=a%2Bb%2Fc%3D&account_region=US&pass-region=1" in rsps.calls[0].request.url


def test_the_four_required_params_may_be_given_positionally_as_protocol_8_writes_them() -> None:
    device = tiktok.Device("11", "22", "33", "44", region="GB")
    assert (device.device_id, device.iid, device.openudid, device.fp) == ("11", "22", "33", "44")
    assert device.region == "GB"
    with pytest.raises(TypeError):
        tiktok.Device("11", "22", "33", "44", "23")  # type: ignore[misc]  # the defaults are keyword-only
