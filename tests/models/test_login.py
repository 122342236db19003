"""The login answer: ``data`` kept as JSON; the client reads a LoginResult or LoginFailure from it."""

from __future__ import annotations

import pytest

import tiktok
from tiktok._converter import structure
from tiktok.models import LoginFailure, LoginResponse

SUCCESS = {
    "data": {
        "user_id": 9999999999999999999,
        "session_key": "s3cret",
        "media_id": 0,
        "connects": [],
    },
    "message": "success",
}


def test_the_answer_keeps_data_as_it_came() -> None:
    response = structure(SUCCESS, LoginResponse)
    assert response.data == SUCCESS["data"]
    assert tiktok.to_dict(response) == SUCCESS


def test_the_answer_never_shows_the_session_key() -> None:
    assert "s3cret" not in repr(structure(SUCCESS, LoginResponse))


def test_success_data_is_a_login_result() -> None:
    result = structure(SUCCESS["data"], tiktok.LoginResult)
    assert result.user_id == "9999999999999999999"
    assert result.media_id == "0"
    assert "s3cret" not in repr(result)
    assert tiktok.to_dict(result) == SUCCESS["data"]


def test_error_data_is_a_login_failure() -> None:
    data = {"error_code": 1009, "description": "Wrong password", "captcha": ""}
    failure = structure(data, LoginFailure)
    assert (failure.error_code, failure.description) == (1009, "Wrong password")
    assert tiktok.to_dict(failure) == data


def test_no_data() -> None:
    assert structure({"message": "success"}, LoginResponse).data is None


def test_data_of_the_wrong_shape_is_refused() -> None:
    with pytest.raises(TypeError):
        structure({"data": "x"}, LoginResponse)
