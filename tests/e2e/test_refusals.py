"""Every refusal of docs/failures.rst, produced by the sandbox and named by the client, end to end.

One test per signal: the sandbox answers every request with it (``Sandbox(faults=...)``)
and the call raises its class, in its family, with a hint, the identity and the
answer. Then the refusals the sandbox makes by behaviour, as the real API does.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Type

import pytest

import tiktok
from tiktok.sandbox import BIG_USER_ID, SANDBOX_EMAIL, SANDBOX_PASSWORD, Sandbox, sandbox_device

Call = Callable[[tiktok.Client], Any]


def get_user(client: tiktok.Client) -> Any:
    return client.users.get(BIG_USER_ID)


def feed_page(client: tiktok.Client) -> Any:
    return next(iter(client.feed.for_you().pages()))


# (fault, the call that meets it, the error, its family)
SIGNALS = [
    ("ip_blocked", get_user, tiktok.IPBlockedError, tiktok.BlockedError),
    ("private_post", get_user, tiktok.PrivatePostError, tiktok.RequestError),
    ("private_account", get_user, tiktok.PrivateAccountError, tiktok.RequestError),
    ("user_not_found", get_user, tiktok.UserNotFoundError, tiktok.RequestError),
    ("app_too_old", get_user, tiktok.AppTooOldError, tiktok.RequestError),
    ("login_required", get_user, tiktok.LoginRequiredError, tiktok.SessionError),
    ("session_expired", get_user, tiktok.SessionExpiredError, tiktok.SessionError),
    ("invalid_parameter", get_user, tiktok.InvalidParameterError, tiktok.RequestError),
    ("too_many_requests", get_user, tiktok.RateLimitError, tiktok.RateLimitError),
    ("http_429", get_user, tiktok.RateLimitError, tiktok.RateLimitError),
    ("captcha", get_user, tiktok.CaptchaRequiredError, tiktok.BlockedError),
    ("captcha_header", get_user, tiktok.CaptchaRequiredError, tiktok.BlockedError),
    ("empty", get_user, tiktok.EmptyResponseError, tiktok.SoftBlockError),
    ("trap_reply", get_user, tiktok.TrapReplyError, tiktok.SoftBlockError),
    ("iid_refused", feed_page, tiktok.InstallIdRefusedError, tiktok.SoftBlockError),
]


@pytest.mark.parametrize(
    "fault, call, error, family", SIGNALS, ids=[signal[0] for signal in SIGNALS]
)
def test_each_refusal_is_named_with_its_hint_identity_and_answer(
    signing: str, fault: str, call: Call, error: Type[tiktok.TikTokError], family: type
) -> None:
    device = sandbox_device()
    with (
        Sandbox(signing=signing, faults=[fault]) as sb,
        sb.client(retries=0) as client,
        pytest.raises(family) as refused,
    ):
        call(client)
    assert type(refused.value) is error
    assert refused.value.hint
    assert refused.value.identity == tiktok.IdentityRef(device.device_id, device.iid)
    assert refused.value.answer is not None  # the text of the answer, "" when it was empty
    assert sb.stats["faults"][fault] == 1


def test_a_fault_of_one_identity_leaves_the_others_alone(signing: str) -> None:
    other = tiktok.Device(device_id="7100000000000000001", iid="7100000000000000002",
                          openudid="fedcba9876543210", fp="other")  # fmt: skip
    with Sandbox(signing=signing, faults=[f"ip_blocked:{other.device_id}"]) as sb:
        with sb.client(retries=0) as client:
            assert get_user(client).uid == BIG_USER_ID
        with (
            tiktok.Client(other, sb.signer(), base_url=sb.url, retries=0) as blocked,
            pytest.raises(tiktok.IPBlockedError) as refused,
        ):
            get_user(blocked)
    assert refused.value.identity == tiktok.IdentityRef(other.device_id, other.iid)


def test_too_many_requests_soft_block_a_device_and_then_block_its_identity(signing: str) -> None:
    # 3 requests a minute per device; the 4th and later are soft-blocked for a minute.
    with Sandbox(signing=signing, soft_block=(3, 60.0, 60.0)) as sb:
        with sb.client(retries=0, soft_block_limit=(2, 60.0)) as client:
            for _ in range(3):
                get_user(client)
            with pytest.raises(tiktok.EmptyResponseError):
                get_user(client)
            with pytest.raises(tiktok.IdentityBlockedError) as blocked:
                get_user(client)
        other = tiktok.Device(device_id="7100000000000000001", iid="7100000000000000002",
                              openudid="fedcba9876543210", fp="other")  # fmt: skip
        with tiktok.Client(other, sb.signer(), base_url=sb.url, retries=0) as fresh:
            assert get_user(fresh).uid == BIG_USER_ID  # another device is still served
    assert blocked.value.count == 2 and blocked.value.window == 60.0
    assert isinstance(blocked.value.__cause__, tiktok.SoftBlockError)
    assert not blocked.value.transient


def test_an_answer_between_soft_blocks_means_no_block(signing: str) -> None:
    with Sandbox(signing=signing) as sb, sb.client(retries=0, soft_block_limit=(2, 60.0)) as client:
        for _ in range(3):
            sb.inject(tiktok.sandbox.Fault.EMPTY)
            with pytest.raises(tiktok.EmptyResponseError):
                get_user(client)
            get_user(client)  # served: the soft block before it was not a block


def test_an_install_id_works_only_with_the_app_that_issued_it(signing: str) -> None:
    with Sandbox(signing=signing, iid_apps=True) as sb:
        with sb.client(retries=0) as first:
            feed_page(first)  # the iid is seen with aid 1233 first
        with sb.client(retries=0, app=tiktok.apps.TIKTOK_ASIA) as other_app:
            with pytest.raises(tiktok.InstallIdRefusedError) as refused:
                feed_page(other_app)
            assert get_user(other_app).uid == BIG_USER_ID  # only the calls that check it
    assert "aid" in refused.value.hint


def test_an_old_version_code_gets_2146(signing: str) -> None:
    with Sandbox(signing=signing, min_version_code=300000) as sb:
        old = sb.client(retries=0)  # musical.ly 2018: version_code 910
        with old, pytest.raises(tiktok.AppTooOldError) as refused:
            get_user(old)
        with sb.client(retries=0, app=tiktok.apps.TIKTOK) as current:
            assert get_user(current).uid == BIG_USER_ID
    assert refused.value.status_code == 2146
    assert "app preset" in refused.value.hint


def test_a_session_expires(signing: str) -> None:
    # One moved wall clock for both sides (signatures stay fresh): no real waiting.
    moved = [0.0]

    def wall() -> float:
        return time.time() + moved[0]

    with (
        Sandbox(signing=signing, session_ttl=60, clock=wall) as sb,
        sb.client(retries=0, clock=tiktok.Clock(wall=wall)) as client,
    ):
        client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
        assert get_user(client).uid == BIG_USER_ID
        moved[0] = 61.0  # past the session's life
        with pytest.raises(tiktok.SessionExpiredError) as expired:
            get_user(client)
    assert isinstance(expired.value, tiktok.LoginRequiredError)
    assert expired.value.status_code == 2154
