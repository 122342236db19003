"""The failures real users meet, end to end: missing users and posts, a private account,
a deleted post, a captcha, the per-device rate (docs/sandbox.rst (Failures))."""

from __future__ import annotations

import io
from typing import Iterator

import pytest
import requests

import tiktok
from tiktok.sandbox import (
    BIG_USER_ID,
    DELETED_POST_ID,
    MISSING_POST_ID,
    MISSING_USER_ID,
    PRIVATE_USER_ID,
    SANDBOX_EMAIL,
    SANDBOX_PASSWORD,
    Fault,
    Sandbox,
)


@pytest.fixture
def sandbox(signing: str) -> Iterator[Sandbox]:
    with Sandbox(seed=0, signing=signing) as sb:
        yield sb


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[tiktok.Client]:
    with sandbox.client(retries=0) as c:
        yield c


def test_a_user_that_does_not_exist_is_not_found(client: tiktok.Client) -> None:
    with pytest.raises(tiktok.NotFoundError) as missing:
        client.users.get(MISSING_USER_ID)
    assert missing.value.status_code == 10202
    assert missing.value.http_status == 200
    with pytest.raises(tiktok.NotFoundError):
        client.users.posts(MISSING_USER_ID).first()
    with pytest.raises(tiktok.NotFoundError):
        list(client.follows.followers(MISSING_USER_ID, limit=5))


def test_a_post_that_does_not_exist_is_not_found(client: tiktok.Client) -> None:
    with pytest.raises(tiktok.NotFoundError, match="aweme_detail"):
        client.posts.get(MISSING_POST_ID)


def test_a_deleted_post_says_so_and_has_nothing_to_download(
    sandbox: Sandbox, client: tiktok.Client
) -> None:
    post = client.posts.get(DELETED_POST_ID)
    assert post.status is not None and post.status.is_delete is True
    with pytest.raises(tiktok.DownloadError, match="deleted"):
        client.media.download(post, io.BytesIO())
    gone = requests.get(f"{sandbox.url}media/video/{DELETED_POST_ID}/play.mp4", timeout=10)
    assert gone.status_code == 404


def test_a_private_account_shows_its_profile_but_refuses_its_lists(
    client: tiktok.Client,
) -> None:
    profile = client.users.get(PRIVATE_USER_ID)
    assert profile.secret == 1
    for listing in (
        lambda: client.users.posts(PRIVATE_USER_ID).first(),
        lambda: client.follows.followers(PRIVATE_USER_ID).first(),
        lambda: client.follows.following(PRIVATE_USER_ID).first(),
    ):
        with pytest.raises(tiktok.APIError) as refused:
            listing()
        assert refused.value.status_code == 10222
        assert not isinstance(refused.value, tiktok.NotFoundError)


def test_a_private_account_opens_to_its_followers(client: tiktok.Client) -> None:
    client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
    client.follows.follow(PRIVATE_USER_ID)
    assert client.users.posts(PRIVATE_USER_ID).first() is not None
    assert client.users.get(BIG_USER_ID).secret == 0


def test_a_captcha_answer_raises_captcha_required(sandbox: Sandbox, client: tiktok.Client) -> None:
    sandbox.inject(Fault.CAPTCHA)
    with pytest.raises(tiktok.CaptchaRequiredError) as challenge:
        client.users.get(BIG_USER_ID)
    assert (challenge.value.kind, challenge.value.subtype) == ("verify", "slide")
    assert challenge.value.body is not None and "status_code" not in challenge.value.body
    assert sandbox.stats["faults"]["captcha"] == 1
    assert client.users.get(BIG_USER_ID).uid == BIG_USER_ID  # one answer, then served again


def test_a_captcha_is_never_drawn_at_random(signing: str) -> None:
    with Sandbox(seed=1, fault_rate=1.0, slow_seconds=0.0, signing=signing) as flaky:
        client = flaky.client(retries=0)
        for _ in range(40):
            try:
                client.users.get(BIG_USER_ID)
            except tiktok.CaptchaRequiredError:  # pragma: no cover - the failure this guards
                pytest.fail("a captcha was drawn at random")
            except tiktok.TikTokError:
                pass
        assert flaky.stats["faults"]["captcha"] == 0
