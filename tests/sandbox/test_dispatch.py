"""The request path without a socket: signing, routing, sessions, leniency, faults."""

from __future__ import annotations

import json
import time
from urllib.parse import quote

import pytest

from tiktok.client import LOGIN
from tiktok.resources._declare import calls
from tiktok.sandbox import BIG_USER_ID, Fault
from tiktok.sandbox._handlers import ROUTES, Request

from ._wire import DEVICE, decoded, login, make_dispatcher, send, target, xor

ACCOUNT = "6800000000000000001"
FOLLOW = ("aweme/v1/commit/follow/user/", f"user_id={BIG_USER_ID}&type=1")


# -- signing -------------------------------------------------------------------------------


def test_a_signed_request_is_answered() -> None:
    body = decoded(send(make_dispatcher(), "aweme/v1/user/", f"user_id={BIG_USER_ID}"))
    assert body["status_code"] == 0
    assert body["user"]["uid"] == BIG_USER_ID


@pytest.mark.parametrize("key", ["other", "sandbox2"])
def test_a_wrong_signature_gets_200_and_an_empty_body(key: str) -> None:
    dispatcher = make_dispatcher()
    outcome = send(dispatcher, "aweme/v1/user/", f"user_id={BIG_USER_ID}", key=key)
    assert (outcome.status, outcome.body, outcome.drop) == (200, b"", False)
    assert dispatcher.stats.snapshot()["rejected_signature"] == 1


@pytest.mark.parametrize("missing", sorted(DEVICE))
def test_a_missing_or_empty_device_param_gets_an_empty_body(missing: str) -> None:
    dispatcher = make_dispatcher()
    without = {k: v for k, v in DEVICE.items() if k != missing}
    empty = dict(DEVICE, **{missing: ""})
    for device in (without, empty):
        outcome = send(dispatcher, "aweme/v1/user/", "user_id=1", device=device)
        assert (outcome.status, outcome.body) == (200, b"")
    assert dispatcher.stats.snapshot()["rejected_signature"] == 2


def test_the_signature_is_checked_before_decoding() -> None:
    # %41 and A decode alike, but the signature covers the bytes: re-encoding breaks it.
    raw = target("aweme/v1/discover/search/", "keyword=A&count=1")
    tampered = raw.replace("keyword=A", "keyword=%41")
    outcome = make_dispatcher()(Request("GET", tampered, {}, b""))
    assert outcome.body == b""


def test_an_absolute_form_target_is_checked_on_its_path() -> None:
    raw = target("aweme/v1/user/", f"user_id={BIG_USER_ID}")
    outcome = make_dispatcher()(Request("GET", "http://api2.musical.ly" + raw, {}, b""))
    assert decoded(outcome)["user"]["uid"] == BIG_USER_ID


# -- routing -------------------------------------------------------------------------------


def test_every_declared_call_has_a_route_and_every_route_a_call() -> None:
    sent = {(call.endpoint.method, call.endpoint.path) for call in calls()}
    sent.add((LOGIN.method, LOGIN.path))
    routed = {(route.method, path) for path, route in ROUTES.items()}
    assert sent <= routed
    # Room info (docs/protocol.rst (Live rooms)) is served before the client calls it.
    assert {path for _, path in routed - sent} <= {"webcast/room/info/"}
    assert {route.method for route in ROUTES.values()} == {"GET", "POST"}


def test_an_unknown_path_is_404_and_a_wrong_method_405() -> None:
    dispatcher = make_dispatcher()
    assert send(dispatcher, "aweme/v9/nothing/").status == 404
    assert send(dispatcher, "aweme/v1/user/", "user_id=1", method="POST").status == 405


def test_a_path_without_its_trailing_slash_is_routed() -> None:
    body = decoded(send(make_dispatcher(), "aweme/v1/user", f"user_id={BIG_USER_ID}"))
    assert body["user"]["uid"] == BIG_USER_ID


@pytest.mark.parametrize(
    ("path", "full"), [("aweme/v1/user/", True), ("aweme/v1/aweme/detail/", False)]
)
def test_extra_has_the_keys_of_the_recorded_bodies(path: str, full: bool) -> None:
    query = "user_id=1" if "user" in path else "aweme_id=1"
    extra = decoded(send(make_dispatcher(), path, query))["extra"]
    expected = {"now", "logid", "fatal_item_ids"} if full else {"now"}
    assert set(extra) == expected
    assert abs(extra["now"] - time.time() * 1000) < 60_000


def test_a_bad_parameter_is_status_2_with_a_message() -> None:
    body = decoded(send(make_dispatcher(), "aweme/v1/user/", "user_id=abc"))
    assert body["status_code"] == 2
    assert "user_id" in body["status_msg"]


def test_count_is_capped_at_100() -> None:
    query = f"user_id={BIG_USER_ID}&max_time=0&count=500"
    body = decoded(send(make_dispatcher(), "aweme/v1/user/follower/list/", query))
    assert len(body["followers"]) == 100
    assert body["has_more"] is True


# -- login and sessions -------------------------------------------------------------------------


def login_body(email: str = "", username: str = "", password: str = "sandbox-pass-123") -> dict:
    query = f"mix_mode=1&username={xor(username) if username else ''}&email={xor(email) if email else ''}"
    query += f"&mobile=&account=&password={xor(password)}&captcha="
    outcome = send(make_dispatcher(), "passport/user/login/", query, method="POST")
    return {"body": decoded(outcome), "headers": dict(outcome.headers)}


def test_login_with_email_answers_the_success_shape_and_sets_the_session() -> None:
    answer = login_body(email="Sandbox@Example.com")
    body, headers = answer["body"], answer["headers"]
    assert body["message"] == "success"
    assert "status_code" not in body
    assert body["data"]["user_id"] == int(ACCOUNT)  # a JSON number
    session = body["data"]["session_key"]
    assert headers["Set-Cookie"].startswith(f"sessionid={session};")
    assert headers["x-tt-token"]


def test_login_with_username() -> None:
    assert login_body(username="sandbox")["body"]["message"] == "success"


def test_a_wrong_password_is_error_1009() -> None:
    body = login_body(email="sandbox@example.com", password="wrong")["body"]
    assert body == {
        "data": {"captcha": "", "description": "Wrong password", "error_code": 1009},
        "message": "error",
    }


def test_an_unknown_account_is_a_login_error() -> None:
    body = login_body(email="nobody@example.com")["body"]
    assert body["message"] == "error"
    assert body["data"]["error_code"] != 0


def test_session_calls_need_the_cookie_or_the_token() -> None:
    dispatcher = make_dispatcher()
    without = decoded(send(dispatcher, *FOLLOW))
    assert without["status_code"] == 8
    assert not dispatcher.app.state.follows(int(BIG_USER_ID))
    headers = login(dispatcher)
    assert decoded(send(dispatcher, *FOLLOW, headers=headers))["follow_status"] == 1
    query = (
        "mix_mode=1&username=&email="
        + xor("sandbox@example.com")
        + "&password="
        + xor("sandbox-pass-123")
    )
    token = dict(send(dispatcher, "passport/user/login/", query, method="POST").headers)[
        "x-tt-token"
    ]
    unfollow = ("aweme/v1/commit/follow/user/", f"user_id={BIG_USER_ID}&type=0")
    assert decoded(send(dispatcher, *unfollow, headers={"x-tt-token": token}))["follow_status"] == 0
    forged = decoded(send(dispatcher, *FOLLOW, headers={"cookie": "sessionid=forged"}))
    assert forged["status_code"] == 8


# -- the npm client's quirks ---------------------------------------------------------------------


def test_room_creation_as_a_json_body_of_params() -> None:
    dispatcher = make_dispatcher()
    headers = login(dispatcher)
    headers["content-type"] = "application/json;charset=utf-8"
    body = json.dumps({"params": {"title": "from npm", "contacts_authorized": 0}}).encode()
    room = decoded(
        send(dispatcher, "aweme/v1/room/create/", method="POST", body=body, headers=headers)
    )["room"]
    assert room["title"] == "from npm"
    assert room["status"] == 1
    assert room["room_id"] > 2**63  # a JSON number, above 2**63


def test_a_comment_with_the_misspelled_content_type_and_qs_style_tags() -> None:
    dispatcher = make_dispatcher()
    headers = login(dispatcher)
    headers["content-type"] = "application.x-www-form-urlencoded"
    form = (
        "text=hi%20there&aweme_id=6900000000000000000"
        "&text_extra%5B0%5D%5Bbegin%5D=0&text_extra%5B0%5D%5Bend%5D=2"
        f"&text_extra%5B0%5D%5Btype%5D=0&text_extra%5B0%5D%5Buser_id%5D={BIG_USER_ID}&is_self_see=0"
    )
    outcome = send(
        dispatcher, "aweme/v1/comment/publish/", method="POST", body=form.encode(), headers=headers
    )
    comment = decoded(outcome)["comment"]
    assert comment["text"] == "hi there"
    assert comment["text_extra"] == [{"begin": 0, "end": 2, "type": 0, "user_id": BIG_USER_ID}]


def test_a_comment_with_tags_as_a_json_list() -> None:
    dispatcher = make_dispatcher()
    headers = login(dispatcher)
    headers["content-type"] = "application/x-www-form-urlencoded; charset=UTF-8"
    tags = json.dumps([{"begin": 0, "end": 1, "type": 0, "user_id": "5"}])
    body = f"aweme_id=1&text=x&text_extra={quote(tags)}&is_self_see=0".encode()
    comment = decoded(
        send(dispatcher, "aweme/v1/comment/publish/", method="POST", body=body, headers=headers)
    )["comment"]
    assert comment["text_extra"] == [{"begin": 0, "end": 1, "type": 0, "user_id": "5"}]


def test_unencoded_query_values_are_read_as_sent() -> None:
    dispatcher = make_dispatcher()
    body = decoded(
        send(dispatcher, "aweme/v1/challenge/search/", "keyword=dance/off*2&count=1&cursor=0")
    )
    assert body["challenge_list"][0]["challenge_info"]["cha_name"] == "dance/off*2"


# -- faults ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "status"), [(Fault.HTTP_500, 500), (Fault.HTTP_502, 502), (Fault.HTTP_503, 503)]
)
def test_server_errors(fault: Fault, status: int) -> None:
    assert send(make_dispatcher(fault), "aweme/v1/user/", "user_id=1").status == status


def test_429_says_retry_after_one_second() -> None:
    outcome = send(make_dispatcher(Fault.HTTP_429), "aweme/v1/user/", "user_id=1")
    assert outcome.status == 429
    assert ("Retry-After", "1") in outcome.headers


def test_drop_and_empty() -> None:
    assert send(make_dispatcher(Fault.DROP), "aweme/v1/user/", "user_id=1").drop
    empty = send(make_dispatcher(Fault.EMPTY), "aweme/v1/user/", "user_id=1")
    assert (empty.status, empty.body, empty.drop) == (200, b"", False)


def test_a_cut_body_is_the_first_half_of_the_answer() -> None:
    whole = send(make_dispatcher(), "aweme/v1/user/", f"user_id={BIG_USER_ID}").body
    cut = send(make_dispatcher(Fault.CUT_BODY), "aweme/v1/user/", f"user_id={BIG_USER_ID}").body
    assert len(cut) == len(whole) // 2
    assert b'"uid":"6800000000000000002"' in whole
    with pytest.raises(ValueError):
        json.loads(cut)


def test_a_slow_read_is_answered_late() -> None:
    started = time.monotonic()
    outcome = send(make_dispatcher(Fault.SLOW, slow_seconds=0.3), "aweme/v1/user/", "user_id=1")
    assert time.monotonic() - started >= 0.3
    assert decoded(outcome)["status_code"] == 0


@pytest.mark.parametrize("fault", [f for f in Fault if f is not Fault.APPLY_THEN_DROP])
def test_faults_never_apply_a_write(fault: Fault) -> None:
    dispatcher = make_dispatcher(fault, slow_seconds=0.01)
    dispatcher.faults_enabled = False  # log in without the fault, then write with it
    headers = login(dispatcher)
    dispatcher.faults_enabled = True
    outcome = send(dispatcher, *FOLLOW, headers=headers)
    assert not dispatcher.app.state.follows(int(BIG_USER_ID))
    if fault is Fault.SLOW:
        assert outcome.status == 504
    assert dispatcher.stats.snapshot()["faults"][fault.value] >= 1


def test_apply_then_drop_applies_the_write_and_answers_nothing() -> None:
    dispatcher = make_dispatcher(Fault.APPLY_THEN_DROP)
    headers = login(dispatcher)  # a read for the picker: not dropped
    outcome = send(dispatcher, *FOLLOW, headers=headers)
    assert outcome.drop
    assert dispatcher.app.state.follows(int(BIG_USER_ID))


def test_faults_can_be_switched_off() -> None:
    dispatcher = make_dispatcher(Fault.HTTP_500)
    dispatcher.faults_enabled = False
    assert send(dispatcher, "aweme/v1/user/", "user_id=1").status == 200
    assert sum(dispatcher.stats.snapshot()["faults"].values()) == 0


def test_a_rejected_signature_is_never_faulted() -> None:
    dispatcher = make_dispatcher(Fault.HTTP_500)
    outcome = send(dispatcher, "aweme/v1/user/", "user_id=1", key="wrong")
    assert (outcome.status, outcome.body) == (200, b"")
    snapshot = dispatcher.stats.snapshot()
    assert snapshot["rejected_signature"] == 1
    assert sum(snapshot["faults"].values()) == 0


def test_raw_utf8_in_the_request_line_is_checked_on_its_bytes_and_read_as_text() -> None:
    # A client that sends "tänze" unencoded: the server reads the request line as latin-1.
    signed = target("aweme/v1/challenge/search/", "keyword=tänze&count=1&cursor=0")
    on_the_wire = signed.encode("utf-8").decode("latin-1")
    body = decoded(make_dispatcher()(Request("GET", on_the_wire, {}, b"")))
    assert body["challenge_list"][0]["challenge_info"]["cha_name"] == "tänze"


def test_the_npm_clients_unencoded_space_survives_nodes_escaping() -> None:
    # The npm client signs "keyword=dance off"; Node's url.parse then sends "dance%20off".
    signed = target("aweme/v1/challenge/search/", "keyword=dance off&count=1&cursor=0")
    body = decoded(make_dispatcher()(Request("GET", signed.replace(" ", "%20"), {}, b"")))
    assert body["challenge_list"][0]["challenge_info"]["cha_name"] == "danceoff"
