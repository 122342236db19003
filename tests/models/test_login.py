"""The login answer: LoginResult or LoginFailure inside ``data``."""

from __future__ import annotations

import pytest

import tiktok
from tiktok._converter import structure
from tiktok.models import LoginFailure, LoginResponse


def test_success_data_is_a_login_result() -> None:
    body = {
        "data": {"user_id": 9999999999999999999, "session_key": "s", "media_id": 0, "connects": []},
        "message": "success",
    }
    response = structure(body, LoginResponse)
    assert isinstance(response.data, tiktok.LoginResult)
    assert response.data.user_id == "9999999999999999999"
    assert response.data.media_id == "0"
    assert tiktok.to_dict(response) == body


def test_error_data_is_a_login_failure() -> None:
    body = {
        "data": {"error_code": 1009, "description": "Wrong password", "captcha": ""},
        "message": "error",
    }
    response = structure(body, LoginResponse)
    assert isinstance(response.data, LoginFailure)
    assert (response.data.error_code, response.data.description) == (1009, "Wrong password")
    assert tiktok.to_dict(response) == body


def test_no_data() -> None:
    assert structure({"message": "success"}, LoginResponse).data is None


def test_data_of_the_wrong_shape_is_refused() -> None:
    with pytest.raises(TypeError):
        structure({"data": "x"}, LoginResponse)
