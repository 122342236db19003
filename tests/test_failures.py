"""The transport maps the failure answers of docs/protocol.rst (Failures) to their errors."""

from __future__ import annotations

from typing import Any

import pytest

import tiktok
from tests.conftest import BASE_URL, RecordingSigner, make_device, url
from tiktok._answers import STATUS_ERRORS, check_status
from tiktok._retry import RetryPolicy

CAPTCHA = {
    "code": "10000",
    "from": "",
    "type": "verify",
    "version": "",
    "region": "va",
    "subtype": "slide",
    "detail": "x",
    "verify_event": "",
    "fp": "verify_x",
}


def test_a_user_that_does_not_exist_is_not_found() -> None:
    with pytest.raises(tiktok.NotFoundError) as missing:
        check_status("aweme/v1/user/", {"status_code": 10202, "status_msg": "User doesn't exist"})
    assert missing.value.status_code == 10202
    assert isinstance(missing.value, tiktok.APIError)


def test_a_private_account_is_its_own_api_error_with_its_code() -> None:
    with pytest.raises(tiktok.APIError) as refused:
        check_status("aweme/v1/aweme/post/", {"status_code": 10222, "status_msg": "private"})
    assert type(refused.value) is tiktok.PrivateAccountError
    assert refused.value.status_code == 10222


def test_the_captcha_shape_is_captcha_required() -> None:
    with pytest.raises(tiktok.CaptchaRequiredError) as challenge:
        check_status("aweme/v1/feed/", CAPTCHA)
    assert challenge.value.kind == "verify" and challenge.value.subtype == "slide"
    assert challenge.value.body == CAPTCHA


def test_a_body_without_status_code_that_is_no_captcha_is_still_a_decode_error() -> None:
    with pytest.raises(tiktok.DecodeError):
        check_status("aweme/v1/feed/", {"type": "verify"})


# The status codes of docs/failures.rst, each with its class and its family.
NAMED = [
    (10204, tiktok.IPBlockedError, tiktok.BlockedError),
    (10216, tiktok.PrivatePostError, tiktok.RequestError),
    (10222, tiktok.PrivateAccountError, tiktok.RequestError),
    (10202, tiktok.UserNotFoundError, tiktok.RequestError),
    (2146, tiktok.AppTooOldError, tiktok.RequestError),
    (8, tiktok.LoginRequiredError, tiktok.SessionError),
    (2154, tiktok.SessionExpiredError, tiktok.SessionError),
    (2096, tiktok.SessionExpiredError, tiktok.SessionError),
    (4, tiktok.InvalidParameterError, tiktok.RequestError),
    (5, tiktok.InvalidParameterError, tiktok.RequestError),
    (6, tiktok.RateLimitError, tiktok.RateLimitError),
]


@pytest.mark.parametrize("status_code, cls, family", NAMED)
def test_each_named_status_is_its_class_in_its_family_with_a_hint(
    status_code: int, cls: type, family: type
) -> None:
    with pytest.raises(family) as refused:
        check_status("aweme/v1/user/", {"status_code": status_code, "status_msg": "no"})
    assert type(refused.value) is cls
    assert isinstance(refused.value, tiktok.APIError)
    assert refused.value.status_code == status_code
    assert refused.value.hint and refused.value.hint in str(refused.value)


def test_the_table_names_every_code_of_the_docs_and_nothing_else() -> None:
    assert sorted(STATUS_ERRORS) == sorted(code for code, _, _ in NAMED)


@pytest.mark.parametrize("status_code", [1, 7, 2145, 10203, 99999])
def test_an_unknown_status_stays_an_api_error_with_its_code(status_code: int) -> None:
    with pytest.raises(tiktok.APIError) as refused:
        check_status("aweme/v1/user/", {"status_code": status_code})
    assert type(refused.value) is tiktok.APIError
    assert refused.value.status_code == status_code


def test_old_catchers_still_catch_the_new_classes() -> None:
    assert issubclass(tiktok.SessionExpiredError, tiktok.LoginRequiredError)
    assert issubclass(tiktok.UserNotFoundError, tiktok.NotFoundError)
    assert issubclass(tiktok.InstallIdRefusedError, tiktok.EmptyResponseError)
    assert issubclass(tiktok.TrapReplyError, tiktok.DecodeError)
    for soft in (tiktok.EmptyResponseError, tiktok.TrapReplyError):
        assert issubclass(soft, tiktok.SoftBlockError) and issubclass(soft, tiktok.BlockedError)
    assert issubclass(tiktok.CaptchaRequiredError, tiktok.BlockedError)
    assert issubclass(tiktok.IdentityBlockedError, tiktok.BlockedError)


def _policy() -> RetryPolicy:
    return RetryPolicy(retries=3, backoff=0.1, max_wait=60, deadline=60, clock=tiktok.Clock())


def test_the_retry_policy_retries_the_rate_family_and_never_a_block() -> None:
    with pytest.raises(tiktok.RateLimitError) as limited:
        check_status("aweme/v1/feed/", {"status_code": 6}, http_status=200)
    assert _policy().should_retry(limited.value, write=False)
    assert _policy().should_retry(limited.value, write=True)  # refused before doing anything
    with pytest.raises(tiktok.IPBlockedError) as blocked:
        check_status("aweme/v1/feed/", {"status_code": 10204}, http_status=200)
    assert not _policy().should_retry(blocked.value, write=False)
    identity = tiktok.IdentityBlockedError("x", count=5, window=600.0)
    assert not _policy().should_retry(identity, write=False)
    for code in (2146, 8, 2154, 4, 10216):
        with pytest.raises(tiktok.APIError) as refused:
            check_status("aweme/v1/feed/", {"status_code": code}, http_status=200)
        assert not _policy().should_retry(refused.value, write=False)


def test_the_answer_is_kept_redacted_and_the_identity_named(rsps: Any) -> None:
    body = {"status_code": 10204, "status_msg": "blocked", "echo": "sessionid=s3cr3t"}
    rsps.get(url("aweme/v1/user/"), json=body)
    with pytest.raises(tiktok.IPBlockedError) as blocked:
        tiktok.Client(make_device(), RecordingSigner(), base_url=BASE_URL, retries=0).users.get(
            "42"
        )
    assert blocked.value.answer is not None and "10204" in blocked.value.answer
    assert "s3cr3t" not in blocked.value.answer
    device = make_device()
    assert blocked.value.identity == tiktok.IdentityRef(device.device_id, device.iid)
