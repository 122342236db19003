"""App presets and users named by sec_user_id, end to end on the sandbox (docs/protocol.rst (Apps and hosts))."""

from __future__ import annotations

import pytest

import tiktok
from tiktok.apps import DOUYIN, TIKTOK, TIKTOK_ASIA, App
from tiktok.sandbox import BIG_USER_ID, Sandbox, sandbox_device

pytestmark = pytest.mark.e2e


def test_a_user_by_sec_uid_is_the_user_by_id(guest: tiktok.Client) -> None:
    user = guest.users.get(BIG_USER_ID)
    assert user.sec_uid and user.sec_uid.startswith("MS4wLjABAAAA")
    assert guest.users.get(user.sec_uid) == user
    by_sec = [p.aweme_id for p in guest.users.posts(user.sec_uid, limit=25)]
    assert by_sec == [p.aweme_id for p in guest.users.posts(BIG_USER_ID, limit=25)]
    followers = [u.uid for u in guest.follows.followers(tiktok.User(sec_uid=user.sec_uid), limit=5)]
    assert followers == [u.uid for u in guest.follows.followers(BIG_USER_ID, limit=5)]


def test_a_sec_uid_the_sandbox_never_issued_is_refused(guest: tiktok.Client) -> None:
    with pytest.raises(tiktok.APIError):
        guest.users.get("MS4wLjABAAAAnot-one-of-ours")


@pytest.mark.parametrize("app", [TIKTOK, TIKTOK_ASIA, DOUYIN], ids=lambda app: app.name)
def test_every_preset_talks_to_the_sandbox(sb: Sandbox, app: App) -> None:
    with tiktok.Client(sandbox_device(), sb.signer(), app=app, base_url=sb.url) as client:
        assert client.device.app is app
        assert client.users.get(BIG_USER_ID).uid == BIG_USER_ID
