"""Identities (tiktok/_identity.py): one private file each, and health from the typed failures.

The failures come from the sandbox, end to end: each refusal it produces gives the
identity the health docs/device.rst (Identities) says.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Optional

import attrs
import pytest

import tiktok
from tiktok import Health, Identity
from tiktok.apps import TIKTOK
from tiktok.sandbox import BIG_USER_ID, SANDBOX_EMAIL, SANDBOX_PASSWORD, Sandbox, sandbox_device

NOW = 1_700_000_000.0


def _identity(**changes: object) -> Identity:
    return attrs.evolve(Identity("phone-1", sandbox_device()), **changes)


def test_saved_and_loaded_as_one_private_file(tmp_path: Path) -> None:
    with Sandbox() as sb, sb.client() as client:
        client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
        logged_in = _identity(proxy="http://127.0.0.1:3128", rate=2.0, jitter=(0.1, 0.5))
        logged_in = logged_in.with_session_of(client)
    device = attrs.evolve(logged_in.device.for_app(TIKTOK), region="DE")
    identity = attrs.evolve(
        logged_in, device=device, health=Health("resting", "RateLimitError: slow down", NOW)
    )
    path = tmp_path / "phone-1.json"
    identity.save(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    data = json.loads(path.read_text())
    assert data["app"] == "TikTok" and data["device"]["region"] == "DE"
    assert "os_api" not in data["device"]  # the app's defaults are not copied into the file
    loaded = Identity.load(path)
    assert loaded == identity
    assert loaded.app is TIKTOK and loaded.session is not None and loaded.session.token


def test_the_client_of_an_identity_is_logged_in_as_it(tmp_path: Path) -> None:
    with Sandbox() as sb:
        with sb.client() as client:
            me = client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
            identity = _identity().with_session_of(client)
        identity.save(tmp_path / "phone.json")
        loaded = Identity.load(tmp_path / "phone.json")
        with loaded.client(sb.signer(), base_url=sb.url) as again:
            assert again.me().uid == me.user_id
        with (
            _identity().client(sb.signer(), base_url=sb.url) as anonymous,
            pytest.raises(tiktok.LoginRequiredError),
        ):
            anonymous.me()


def test_the_crawl_identity_file_is_an_identity_file(tmp_path: Path) -> None:
    """The file ``crawl run --identity`` reads (device, proxy, rate; the session as a path)."""
    device = sandbox_device()
    with Sandbox() as sb, sb.client() as client:
        client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
        client.save_session(tmp_path / "phone.session")
    path = tmp_path / "phone-2.json"
    path.write_text(json.dumps({
        "device": {"device_id": device.device_id, "iid": device.iid,
                   "openudid": device.openudid, "fp": device.fp},
        "session": str(tmp_path / "phone.session"), "rate": 1,
    }))  # fmt: skip
    path.chmod(0o600)
    identity = Identity.load(path)
    assert identity.name == "phone-2" and identity.rate == 1.0
    assert identity.session is not None and identity.session.token
    assert identity.health == Health()


@pytest.mark.parametrize(
    "content, problem",
    [
        ('{"device": {"device_id": "1"}, "color": "red"}', "unknown keys color"),
        ('{"app": "Snapchat", "device": {}}', "app must be one of"),
        ('{"device": 1}', '"device" must be an object'),
        (
            '{"device": {"device_id": "1", "iid": "2", "openudid": "3", "fp": "4"},'
            ' "health": {"state": "sick"}}',
            "state must be one of",
        ),
        (
            '{"device": {"device_id": "1", "iid": "2", "openudid": "3", "fp": "4"},'
            ' "session": {"version": 1, "token": "a b"}}',
            "token must be",
        ),
        ("[1]", "not a JSON object"),
    ],
)
def test_a_bad_file_is_refused_naming_the_field(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    path.chmod(0o600)
    with pytest.raises(ValueError, match=problem) as refused:
        Identity.load(path)
    assert str(path) in str(refused.value)


def test_a_file_others_can_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "phone.json"
    _identity().save(path)
    path.chmod(0o644)
    with pytest.raises(PermissionError, match="chmod 600"):
        Identity.load(path)


def _health_after(fault: str, **options: object) -> Optional[Health]:
    identity = _identity()
    with (
        Sandbox(faults=[fault]) as sb,
        identity.client(sb.signer(), base_url=sb.url, retries=0, **options) as client,
        pytest.raises(tiktok.TikTokError) as failed,
    ):
        client.users.get(BIG_USER_ID)
    after = identity.after(failed.value, now=NOW, rest=30)
    return None if after is identity else after.health


@pytest.mark.parametrize(
    "fault, state, error",
    [
        ("ip_blocked", "retired", "IPBlockedError"),
        ("app_too_old", "retired", "AppTooOldError"),
        ("login_required", "login", "LoginRequiredError"),
        ("session_expired", "login", "SessionExpiredError"),
        ("too_many_requests", "resting", "RateLimitError"),
        ("empty", "resting", "EmptyResponseError"),
        ("trap_reply", "resting", "TrapReplyError"),
        ("captcha", "resting", "CaptchaRequiredError"),
    ],
)
def test_the_typed_failures_give_the_identity_its_health(
    fault: str, state: str, error: str
) -> None:
    health = _health_after(fault)
    assert health is not None and health.state == state
    assert health.reason.startswith(error + ":")
    assert (health.until == NOW + 30) if state == "resting" else health.until is None
    assert health.usable(NOW + 31) == (state == "resting")
    assert not health.usable(NOW)


@pytest.mark.parametrize("fault", ["private_post", "user_not_found", "invalid_parameter"])
def test_failures_of_the_request_leave_the_identity_as_it_was(fault: str) -> None:
    assert _health_after(fault) is None


def test_repeated_soft_blocks_retire_the_identity() -> None:
    health = _health_after("empty", soft_block_limit=(1, 600))
    assert health is not None and health.state == "retired"
    assert health.reason.startswith("IdentityBlockedError:")
