"""tiktok.Client: construction, login (docs/protocol.rst (Login)), save_session / load_session."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path
from typing import Any, List

import pytest
import requests

import tiktok
import tiktok.client
from tests.conftest import (
    BASE_URL,
    RecordingSigner,
    check_wire,
    envelope,
    make_device,
    url,
)

LOGIN = url("passport/user/login/")
USER = url("aweme/v1/user/")
SESSION_KEY = "0123456789abcdef0123456789abcdef"
LOGIN_OK = {
    "data": {
        "user_id": 9999999999999999999,
        "session_key": SESSION_KEY,
        "name": "user",
        "screen_name": "User",
        "email": "u**r@example.com",
        "followers_count": 3,
        "followings_count": 4,
        "brand_new_field": {"nested": [1, 2]},
    },
    "message": "success",
}


def login_params(*, username: str = "", email: str = "", password: str) -> List[Any]:
    return [
        ("mix_mode", "1"),
        ("username", username),
        ("email", email),
        ("mobile", ""),
        ("account", ""),
        ("password", password),
        ("captcha", ""),
    ]


# -- construction -------------------------------------------------------------------


def test_no_signer_is_a_clear_error_at_construction(device) -> None:
    with pytest.raises(TypeError, match="signer is required"):
        tiktok.Client(device, None)  # type: ignore[arg-type]


def test_a_plain_function_signer_is_accepted(device, rsps) -> None:
    seen = []

    def sign(url: str, ts: int, device_id: str) -> str:
        seen.append((url, ts, device_id))
        return f"{url}&as=x&cp=y&mas=z"

    client = tiktok.Client(device, sign, base_url=BASE_URL, retries=0)
    rsps.get(USER, json=envelope(user={"uid": "1"}))
    client.users.get("1")
    assert rsps.calls[0].request.url == seen[0][0] + "&as=x&cp=y&mas=z"
    assert seen[0][2] == device.device_id


def test_a_callable_object_without_sign_is_accepted(device, rsps) -> None:
    class Callable:
        def __call__(self, url: str, ts: int, device_id: str) -> str:
            return url + "&as=1&cp=2&mas=3"

    client = tiktok.Client(device, Callable(), base_url=BASE_URL, retries=0)
    rsps.get(USER, json=envelope(user={"uid": "1"}))
    assert client.users.get("1").uid == "1"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"retries": -1}, ValueError, "retries"),
        ({"retries": 1.5}, ValueError, "retries"),
        ({"backoff": -0.1}, ValueError, "backoff"),
        ({"base_url": "ftp://api.test/"}, ValueError, "base_url"),
        ({"base_url": "api.test"}, ValueError, "base_url"),
        ({"webcast_url": "webcast.test"}, ValueError, "webcast_url must be an http"),
        ({"webcast_url": "https://webcast.test/?aid=1"}, ValueError, "webcast_url must not"),
        ({"clock": time.monotonic}, TypeError, "clock must be a tiktok.Clock"),
    ],
)
def test_bad_client_settings_are_refused(
    device, signer, kwargs: Any, error: type, match: str
) -> None:
    with pytest.raises(error, match=match):
        tiktok.Client(device, signer, **kwargs)


def test_device_must_be_a_device(signer) -> None:
    with pytest.raises(TypeError, match="Device"):
        tiktok.Client({"device_id": "1"}, signer)  # type: ignore[arg-type]


def test_defaults_and_the_given_session_is_used(device, signer) -> None:
    session = requests.Session()
    client = tiktok.Client(device, signer, session=session)
    assert client.session is session
    assert client.base_url == tiktok.DEFAULT_BASE_URL == "https://api2.musical.ly/"
    # docs/protocol.rst (Live rooms): room info's host, beside the API's.
    assert client.webcast_url == "https://webcast.tiktok.com/"
    assert tiktok.Client(device, signer, webcast_url="http://127.0.0.1:9").webcast_url == (
        "http://127.0.0.1:9/"
    )
    assert client.device is device
    assert not client.logged_in
    assert "logged_in=False" in repr(client)


def test_context_manager_closes_the_session(device, signer) -> None:
    closed = []

    class Session(requests.Session):
        def close(self) -> None:
            closed.append(True)
            super().close()

    with tiktok.Client(device, signer, session=Session()) as client:
        assert isinstance(client, tiktok.Client)
    assert closed == [True]


# -- login --------------------------------------------------------------------------------


def test_login_with_email_on_the_wire(client, rsps, signer) -> None:
    rsps.post(LOGIN, json=LOGIN_OK)
    result = client.login_with_email("me@example.com", "password")
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="POST",
        path="passport/user/login/",
        params=login_params(email="686045607d64687569602b666a68", password="75647676726a7761"),
    )
    assert isinstance(result, tiktok.LoginResult)
    assert result.user_id == "9999999999999999999"
    assert (result.name, result.screen_name, result.followers_count) == ("user", "User", 3)


def test_login_with_username_on_the_wire(client, rsps, signer) -> None:
    rsps.post(LOGIN, json=LOGIN_OK)
    client.login_with_username("username", "pw&= ü")
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="POST",
        path="passport/user/login/",
        params=login_params(username="707660776b646860", password="7572233825f9"),
    )


def test_login_keeps_unknown_fields_and_exact_big_ids(client, rsps) -> None:
    rsps.post(LOGIN, json=LOGIN_OK)
    result = client.login_with_email("a@b.c", "pw")
    assert result.additional_properties == {"brand_new_field": {"nested": [1, 2]}}
    assert tiktok.to_dict(result) == LOGIN_OK["data"]


def test_the_session_key_is_never_shown(client, rsps) -> None:
    rsps.post(LOGIN, json=LOGIN_OK)
    result = client.login_with_email("a@b.c", "pw")
    assert result.session_key == SESSION_KEY
    assert SESSION_KEY not in repr(result)


def test_after_login_the_session_cookie_and_token_go_on_every_request(client, rsps) -> None:
    rsps.post(LOGIN, json=LOGIN_OK, headers={"X-Tt-Token": "tok"})
    rsps.get(USER, json=envelope(user={"uid": "1"}))
    assert not client.logged_in
    client.login_with_email("a@b.c", "pw")
    assert client.logged_in
    client.users.get("1")
    client.users.get("1")
    for call in rsps.calls[1:]:
        assert call.request.headers["x-tt-token"] == "tok"
        assert call.request.headers["Cookie"] == f"sessionid={SESSION_KEY}"


def test_a_sessionid_set_by_the_server_is_kept(client, rsps) -> None:
    rsps.post(LOGIN, json=LOGIN_OK, headers={"Set-Cookie": "sessionid=from-server; Path=/"})
    rsps.get(USER, json=envelope(user={"uid": "1"}))
    client.login_with_email("a@b.c", "pw")
    client.users.get("1")
    assert rsps.calls[1].request.headers["Cookie"] == "sessionid=from-server"


def test_a_wrong_password_is_a_login_error(client, rsps) -> None:
    body = {
        "data": {"error_code": 1009, "description": "Wrong password", "captcha": ""},
        "message": "error",
    }
    rsps.post(LOGIN, json=body)
    with pytest.raises(tiktok.LoginError) as caught:
        client.login_with_email("a@b.c", "pw")
    error = caught.value
    assert (error.error_code, error.description, error.captcha) == (1009, "Wrong password", "")
    assert not error.captcha_required
    assert "Wrong password" in str(error) and "captcha" not in str(error)
    assert not client.logged_in


def test_a_login_error_says_when_a_captcha_must_be_solved(client, rsps) -> None:
    body = {
        "data": {"error_code": 1105, "description": "Verify", "captcha": "R0lGOD"},
        "message": "error",
    }
    rsps.post(LOGIN, json=body)
    with pytest.raises(tiktok.LoginError) as caught:
        client.login_with_username("u", "pw")
    assert caught.value.captcha == "R0lGOD"
    assert caught.value.captcha_required
    assert "captcha" in str(caught.value)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"message": "success"}, tiktok.DecodeError),
        ({"data": [], "message": "success"}, tiktok.DecodeError),
        ({"data": {"user_id": 1}, "message": "error"}, tiktok.LoginError),
        ({"status_code": 8}, tiktok.LoginError),
    ],
)
def test_odd_login_answers_are_clear_errors(client, rsps, body: Any, error: type) -> None:
    rsps.post(LOGIN, json=body)
    with pytest.raises(error):
        client.login_with_email("a@b.c", "pw")


@pytest.mark.parametrize(
    ("method", "args", "name"),
    [
        ("login_with_email", ("", "pw"), "email"),
        ("login_with_email", ("a@b.c", ""), "password"),
        ("login_with_email", (None, "pw"), "email"),
        ("login_with_username", ("", "pw"), "username"),
        ("login_with_username", ("u", 123), "password"),
    ],
)
def test_empty_credentials_are_refused_before_sending(
    client, rsps, method: str, args: Any, name: str
) -> None:
    with pytest.raises(ValueError, match=name):
        getattr(client, method)(*args)
    assert len(rsps.calls) == 0


# -- sessions ------------------------------------------------------------------------------


def logged_in_client(rsps: Any) -> tiktok.Client:
    client = tiktok.Client(make_device(), RecordingSigner(), base_url=BASE_URL, retries=0)
    rsps.post(LOGIN, json=LOGIN_OK, headers={"x-tt-token": "tok-9"})
    client.login_with_email("a@b.c", "pw")
    return client


def test_save_session_writes_mode_0600(rsps, tmp_path: Path) -> None:
    target = tmp_path / "session.json"
    logged_in_client(rsps).save_session(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    state = json.loads(target.read_text())
    assert state["token"] == "tok-9"
    assert [c["name"] for c in state["cookies"]] == ["sessionid"]


def test_save_session_replaces_a_file_atomically(rsps, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "session.json"
    target.write_text("old")
    os.chmod(target, 0o600)
    client = logged_in_client(rsps)

    def broken_fsync(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("tiktok._sessions.os.fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        client.save_session(target)
    # The old file is untouched and no temporary file is left behind.
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["session.json"]
    monkeypatch.undo()
    client.save_session(target)
    assert json.loads(target.read_text())["token"] == "tok-9"
    assert [p.name for p in tmp_path.iterdir()] == ["session.json"]


def test_save_session_to_a_relative_path(rsps, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    logged_in_client(rsps).save_session("session.json")
    assert (tmp_path / "session.json").exists()


def test_load_session_restores_cookies_and_token_on_the_wire(rsps, tmp_path: Path) -> None:
    target = tmp_path / "session.json"
    logged_in_client(rsps).save_session(target)
    fresh = tiktok.Client(make_device(), RecordingSigner(), base_url=BASE_URL, retries=0)
    assert not fresh.logged_in
    fresh.load_session(target)
    assert fresh.logged_in
    rsps.get(USER, json=envelope(user={"uid": "1"}))
    fresh.users.get("1")
    headers = rsps.calls[-1].request.headers
    assert headers["x-tt-token"] == "tok-9"
    assert headers["Cookie"] == f"sessionid={SESSION_KEY}"


def test_load_session_refuses_a_file_others_can_read(rsps, tmp_path: Path) -> None:
    target = tmp_path / "session.json"
    logged_in_client(rsps).save_session(target)
    os.chmod(target, 0o644)
    fresh = tiktok.Client(make_device(), RecordingSigner(), base_url=BASE_URL)
    with pytest.raises(PermissionError, match="chmod 600"):
        fresh.load_session(target)
    assert not fresh.logged_in


@pytest.mark.parametrize("content", ["not json", "[]", '{"cookies": [{"value": "x"}]}', "{}"])
def test_load_session_refuses_a_file_it_did_not_write(tmp_path: Path, content: str) -> None:
    target = tmp_path / "session.json"
    target.write_text(content)
    os.chmod(target, 0o600)
    client = tiktok.Client(make_device(), RecordingSigner(), base_url=BASE_URL)
    with pytest.raises(ValueError, match="not a session file"):
        client.load_session(target)
