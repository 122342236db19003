"""tiktok.settings: one way to make a client from the environment, a file and flags."""

from __future__ import annotations

import json
import re
import sys
import types
from pathlib import Path
from typing import Iterator

import pytest
import responses

import tiktok
from tiktok.settings import Settings, SettingsError, load_signer

from .conftest import REQUIRED, RecordingSigner, envelope, url

ENV = {
    "TIKTOK_DEVICE_ID": REQUIRED["device_id"],
    "TIKTOK_IID": REQUIRED["iid"],
    "TIKTOK_OPENUDID": REQUIRED["openudid"],
    "TIKTOK_FP": REQUIRED["fp"],
}


# -- reading ---------------------------------------------------------------------------------


def test_the_environment_is_read_once_into_settings() -> None:
    env = {
        **ENV,
        "TIKTOK_SIGNER": "mysigner:sign",
        "TIKTOK_BASE_URL": "https://api.test/",
        "TIKTOK_SESSION": "phone.session",
        "TIKTOK_PROXY": "http://proxy.test:3128",
        "TIKTOK_RATE": "1.5",
        "TIKTOK_CRAWL_STORE": "postgresql://db.test/crawl",
        "UNRELATED": "x",
    }
    settings = Settings.from_env(env)
    env.clear()  # read once: later changes are not seen
    assert settings == Settings(
        device=REQUIRED,
        signer="mysigner:sign",
        base_url="https://api.test/",
        session="phone.session",
        proxy="http://proxy.test:3128",
        rate=1.5,
        crawl_store="postgresql://db.test/crawl",
    )


def test_empty_variables_are_unset_and_a_bad_rate_names_its_variable() -> None:
    assert Settings.from_env({"TIKTOK_SIGNER": "", "TIKTOK_RATE": ""}) == Settings()
    with pytest.raises(SettingsError, match="TIKTOK_RATE: rate must be a number > 0, not 'fast'"):
        Settings.from_env({"TIKTOK_RATE": "fast"})


def test_a_file_holds_settings_and_names_itself_in_errors(tmp_path: Path) -> None:
    path = tmp_path / "phone-1.json"
    path.write_text(json.dumps({"device": REQUIRED, "proxy": "http://p:1", "jitter": [0.5, 2]}))
    assert Settings.from_file(path) == Settings(
        device=REQUIRED, proxy="http://p:1", jitter=(0.5, 2.0)
    )
    for data, message in [
        ({"device": REQUIRED, "name": "x"}, "unknown keys name"),
        ({"device": []}, '"device" must be an object'),
        ({"rate": -1}, "rate must be a number > 0"),
        ({"jitter": [1]}, "jitter"),
        ({"session": 5}, '"session" must be text'),
    ]:
        path.write_text(json.dumps(data))
        with pytest.raises(SettingsError, match=message) as caught:
            Settings.from_file(path)
        assert str(path) in str(caught.value)
    with pytest.raises(SettingsError, match="cannot read"):
        Settings.from_file(tmp_path / "none.json")


def test_merge_puts_what_the_later_source_sets_over_the_earlier() -> None:
    env = Settings.from_env({**ENV, "TIKTOK_SIGNER": "env:sign", "TIKTOK_PROXY": "http://env:1"})
    device = {**REQUIRED, "device_id": "42"}
    merged = env.merge(Settings(device=device, signer="flag:sign")).merge(Settings())
    assert merged.signer == "flag:sign"
    assert merged.proxy == "http://env:1"  # not set later: kept
    assert merged.device == device  # a device is taken whole


# -- what they make ----------------------------------------------------------------------------


def test_missing_device_params_name_their_variables() -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"TIKTOK_DEVICE_ID": "1"}).make_device()
    assert caught.value.setting == "device"
    assert caught.value.missing == ("TIKTOK_IID", "TIKTOK_OPENUDID", "TIKTOK_FP")
    assert caught.value.hint


def test_no_signer_says_which_variable_gives_one() -> None:
    with pytest.raises(SettingsError, match="TIKTOK_SIGNER") as caught:
        Settings.from_env(ENV).client()
    assert caught.value.missing == ("TIKTOK_SIGNER",)


def test_the_client_is_made_from_the_settings(rsps: responses.RequestsMock) -> None:
    signer = RecordingSigner()
    settings = Settings.from_env({**ENV, "TIKTOK_BASE_URL": "https://api.test/"}).merge(
        Settings(signer=signer)
    )
    rsps.get(url("aweme/v1/user/"), json=envelope(user={"uid": "1"}))
    with settings.client(retries=0) as client:
        assert isinstance(client, tiktok.Client)
        assert client.device == tiktok.Device(**REQUIRED)
        assert client.users.get("1").uid == "1"
    assert len(signer.calls) == 1


def test_a_missing_session_file_is_an_error_naming_it(tmp_path: Path) -> None:
    settings = Settings(device=REQUIRED, signer=RecordingSigner(), session=str(tmp_path / "s"))
    with pytest.raises(SettingsError, match="does not exist") as caught:
        settings.client()
    assert caught.value.missing == (str(tmp_path / "s"),)


# -- signers by name -------------------------------------------------------------------------


class ObjectSigner:
    def sign(self, url: str, ts: int, device_id: str) -> str:
        return url + "&as=1&cp=2&mas=3"


def function_signer(url: str, ts: int, device_id: str) -> str:
    return url + "&as=f&cp=f&mas=f"


class NeedsArguments:
    def __init__(self, key: str) -> None:
        self.key = key

    def sign(self, url: str, ts: int, device_id: str) -> str:
        return url


@pytest.fixture
def signer_module() -> Iterator[str]:
    module = types.ModuleType("cli_test_signers")
    module.instance = ObjectSigner()  # type: ignore[attr-defined]
    module.SignerClass = ObjectSigner  # type: ignore[attr-defined]
    module.function = function_signer  # type: ignore[attr-defined]
    module.NeedsArguments = NeedsArguments  # type: ignore[attr-defined]
    module.not_a_signer = 42  # type: ignore[attr-defined]
    module.holder = types.SimpleNamespace(inner=ObjectSigner())  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    try:
        yield module.__name__
    finally:
        del sys.modules[module.__name__]


def test_an_object_with_sign_is_used_as_is(signer_module: str) -> None:
    module = sys.modules[signer_module]
    assert load_signer(f"{signer_module}:instance") is module.instance  # type: ignore[attr-defined]


def test_a_class_is_instantiated_with_no_arguments(signer_module: str) -> None:
    assert isinstance(load_signer(f"{signer_module}:SignerClass"), ObjectSigner)


def test_a_function_is_returned_for_the_client_to_wrap(signer_module: str) -> None:
    assert load_signer(f"{signer_module}:function") is function_signer


def test_a_dotted_attribute_path_is_followed(signer_module: str) -> None:
    assert isinstance(load_signer(f"{signer_module}:holder.inner"), ObjectSigner)


@pytest.mark.parametrize(
    ("attr", "message"),
    [
        ("not_a_signer", "neither an object with .sign"),
        ("NeedsArguments", "could not be created with no arguments"),
        ("missing", "no attribute 'missing'"),
    ],
)
def test_unusable_signers_are_settings_errors(signer_module: str, attr: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_signer(f"{signer_module}:{attr}")


def test_a_signer_name_without_an_attribute_says_module_attr() -> None:
    with pytest.raises(SettingsError, match="module:attr"):
        load_signer("json")


def test_nothing_outside_the_command_line_imports_it() -> None:
    # Issue 18: the Celery worker once built its client with the CLI's code; settings are
    # what the library, the CLI and the worker share. tiktok/cli.py is the CLI's entry point.
    package = Path(tiktok.__file__).parent
    importing = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "_cli" not in path.relative_to(package).parts[:1]
        and path.name != "cli.py"
        and re.search(r"^\s*(from|import)\s+(\.+|tiktok\.)_cli\b", path.read_text(), re.M)
    ]
    assert importing == []
