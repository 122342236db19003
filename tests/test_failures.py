"""The transport maps the failure answers of docs/protocol.rst (Failures) to their errors."""

from __future__ import annotations

import pytest

import tiktok
from tiktok._answers import check_status

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


def test_a_private_account_is_an_api_error_with_its_code() -> None:
    with pytest.raises(tiktok.APIError) as refused:
        check_status("aweme/v1/aweme/post/", {"status_code": 10222, "status_msg": "private"})
    assert type(refused.value) is tiktok.APIError
    assert refused.value.status_code == 10222


def test_the_captcha_shape_is_captcha_required() -> None:
    with pytest.raises(tiktok.CaptchaRequiredError) as challenge:
        check_status("aweme/v1/feed/", CAPTCHA)
    assert challenge.value.kind == "verify" and challenge.value.subtype == "slide"
    assert challenge.value.body == CAPTCHA


def test_a_body_without_status_code_that_is_no_captcha_is_still_a_decode_error() -> None:
    with pytest.raises(tiktok.DecodeError):
        check_status("aweme/v1/feed/", {"type": "verify"})
