"""client.users: get, search, qr_code on the wire."""

from __future__ import annotations

import pytest

import tiktok
from tests.conftest import check_wire, envelope, url

KEYWORD = "a&b=c#d+e f ü*,"


def test_get_on_the_wire(client, rsps, signer) -> None:
    rsps.get(
        url("aweme/v1/user/"), json=envelope(user={"uid": "6800000000000000001", "nickname": "n"})
    )
    user = client.users.get("6800000000000000001")
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/user/",
        params=[("user_id", "6800000000000000001")],
    )
    assert isinstance(user, tiktok.User) and user.nickname == "n"


def test_get_accepts_an_int_id(client, rsps, signer) -> None:
    rsps.get(url("aweme/v1/user/"), json=envelope(user={"uid": "18446744073709551617"}))
    client.users.get(18446744073709551617)
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/user/",
        params=[("user_id", "18446744073709551617")],
    )


def test_search_on_the_wire_encodes_the_keyword(client, rsps, signer) -> None:
    body = envelope(user_list=[{"user_info": {"uid": "1"}, "position": []}], has_more=0, cursor=1)
    rsps.get(url("aweme/v1/discover/search/"), json=body)
    results = list(client.users.search(KEYWORD))
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/discover/search/",
        params=[
            ("keyword", KEYWORD),
            ("type", "1"),
            ("count", "20"),
            ("cursor", "0"),
            ("retry_type", "no_retry"),
        ],
    )
    assert "?keyword=a%26b%3Dc%23d%2Be%20f%20%C3%BC*,&type=1&" in rsps.calls[0].request.url
    assert isinstance(results[0], tiktok.UserSearchResult)
    assert results[0].user_info.uid == "1"


def test_qr_code_on_the_wire_sends_a_form_body(client, rsps, signer) -> None:
    body = envelope(qrcode_url={"uri": "q/1", "url_list": ["https://q/1.image"]})
    rsps.post(url("aweme/v1/fancy/qrcode/info/"), json=body)
    qr = client.users.qr_code("6800000000000000001")
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="POST",
        path="aweme/v1/fancy/qrcode/info/",
        params=[("js_sdk_version", ""), ("app_type", "normal")],
        form=[("schema_type", "4"), ("object_id", "6800000000000000001")],
    )
    assert rsps.calls[0].request.body == b"schema_type=4&object_id=6800000000000000001"
    assert isinstance(qr, tiktok.QRCode) and qr.url_list == ["https://q/1.image"]


def test_qr_code_with_another_schema_type(client, rsps, signer) -> None:
    rsps.post(url("aweme/v1/fancy/qrcode/info/"), json=envelope(qrcode_url={"uri": "q"}))
    client.users.qr_code("1", schema_type=7)
    assert rsps.calls[0].request.body == b"schema_type=7&object_id=1"


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.users.get(""),
        lambda c: c.users.get("12a"),
        lambda c: c.users.get(-1),
        lambda c: c.users.get(1.0),
        lambda c: c.users.get(True),
        lambda c: c.users.get("١٢"),  # digits, but not ASCII ones
        lambda c: c.users.search(""),
        lambda c: c.users.search("   "),
        lambda c: c.users.search(None),
        lambda c: c.users.search("k", count=0),
        lambda c: c.users.qr_code("x"),
        lambda c: c.users.qr_code("1", schema_type="4"),
    ],
)
def test_invalid_arguments_are_refused_before_sending(client, rsps, call) -> None:
    with pytest.raises(ValueError):
        call(client)
    assert len(rsps.calls) == 0


def test_a_handle_given_to_get_points_at_by_username(client, rsps) -> None:
    # Issue 22: a newcomer passes "@name" where an id is expected; the error says what to call.
    with pytest.raises(ValueError, match=r"client\.users\.by_username\('@name'\)"):
        client.users.get("@name")
    assert not rsps.calls  # refused before anything is sent
