"""Answers that are failures in disguise (docs/protocol.rst (Retries, limits and pacing)).

A captcha or verification body, header or login answer is ``CaptchaRequiredError``
naming what is asked; a success without the call's result field is a
``DecodeError``. The fixtures are our own, in the shapes public reports show.
"""

from __future__ import annotations

import json
from typing import Any, Dict

import pytest

import tiktok
from tests.conftest import BASE_URL, RecordingSigner, envelope, make_device, url

USER = url("aweme/v1/user/")
LOGIN = url("passport/user/login/")

SLIDE = {
    "code": "10000",
    "from": "",
    "type": "verify",
    "version": "",
    "region": "test",
    "subtype": "slide",
    "detail": "opaque-detail-of-our-own",
    "verify_event": "",
    "fp": "verify_test_fp",
}


def new_client(retries: int = 2) -> tiktok.Client:
    return tiktok.Client(make_device(), RecordingSigner(), base_url=BASE_URL, retries=retries)


@pytest.mark.parametrize("subtype", ["slide", "whirl", "3d"])
def test_a_verify_body_is_captcha_required(rsps, subtype: str) -> None:
    body = {**SLIDE, "subtype": subtype}
    rsps.get(USER, json=body)
    with pytest.raises(tiktok.CaptchaRequiredError) as caught:
        new_client().users.get("42")
    error = caught.value
    assert (error.kind, error.subtype, error.body) == ("verify", subtype, body)
    assert subtype in str(error) and "in the app" in str(error)
    assert len(rsps.calls) == 1  # asking again would only ask for the captcha again


def test_a_verify_body_without_a_type_is_still_recognised_by_its_code(rsps) -> None:
    body = {key: value for key, value in SLIDE.items() if key != "type"}
    rsps.get(USER, json=body)
    with pytest.raises(tiktok.CaptchaRequiredError) as caught:
        new_client().users.get("42")
    assert (caught.value.kind, caught.value.subtype) == ("verify", "slide")


def test_a_verify_challenge_in_the_header_is_captcha_required(rsps) -> None:
    rsps.get(USER, body="", headers={"bdturing-verify": json.dumps({**SLIDE, "subtype": "whirl"})})
    with pytest.raises(tiktok.CaptchaRequiredError) as caught:
        new_client().users.get("42")
    assert caught.value.subtype == "whirl"


@pytest.mark.parametrize("as_text", [True, False], ids=["json-text", "object"])
def test_a_login_answer_with_a_verify_center_decision_is_captcha_required(
    rsps, as_text: bool
) -> None:
    decision: Any = {"type": "verify", "subtype": "slide", "detail": "x", "region": "test"}
    body: Dict[str, Any] = {
        "data": {
            "captcha": "",
            "description": "Slide to verify",
            "error_code": 1105,
            "verify_center_decision_conf": json.dumps(decision) if as_text else decision,
        },
        "message": "error",
    }
    rsps.post(LOGIN, json=body)
    with pytest.raises(tiktok.CaptchaRequiredError) as caught:
        new_client().login_with_email("me@example.com", "pw")
    assert (caught.value.kind, caught.value.subtype) == ("verify", "slide")
    assert caught.value.body == body
    assert len(rsps.calls) == 1


def test_an_unreadable_decision_is_still_a_captcha(rsps) -> None:
    rsps.get(USER, json={"status_code": 0, "verify_center_decision_conf": "{not json"})
    with pytest.raises(tiktok.CaptchaRequiredError) as caught:
        new_client().users.get("42")
    assert (caught.value.kind, caught.value.subtype) == ("verify", None)


def test_ordinary_answers_are_not_captchas(rsps) -> None:
    rsps.get(USER, json=envelope(user={"uid": "42", "nickname": "verify"}, type="user"))
    assert new_client().users.get("42").uid == "42"


@pytest.mark.parametrize(
    ("call", "path", "field"),
    [
        (lambda c: c.users.get("42"), "aweme/v1/user/", "user"),
        (lambda c: c.live.join("7"), "aweme/v1/room/enter/", "room"),
    ],
)
@pytest.mark.parametrize("body", [{"status_code": 0}, {"status_code": 0, "extra": {}}])
def test_success_without_the_result_field_is_a_decode_error(
    rsps, call: Any, path: str, field: str, body: Dict[str, Any]
) -> None:
    rsps.get(url(path), json={**body, field: None} if "extra" in body else body)
    with pytest.raises(tiktok.DecodeError, match=f"without '{field}'") as caught:
        call(new_client(retries=0))
    assert caught.value.body is not None
