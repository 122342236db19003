"""tiktok.signing: percent-encoding (docs/protocol.rst, Query order), the login XOR-hex (docs/protocol.rst, Login), signer checks."""

from __future__ import annotations

import json
import string
from typing import Any, Dict, List, Optional
from urllib.parse import unquote

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tiktok
from tests.conftest import (
    BASE_URL,
    ENCODED_VALUE,
    REQUIRED,
    RecordingSigner,
    envelope,
    make_device,
    raw_query_pairs,
    url,
)
from tiktok import SignerError
from tiktok.signing import (
    RemoteSigner,
    RequestSigner,
    Signer,
    SignRequest,
    SupportsSignRequest,
    as_signer,
    encode_query,
    encode_value,
    sign_attempt,
    sign_url,
    ss_stub,
    xor_encode,
)

BASE = "https://api.test/aweme/v1/user/?user_id=1&_rticket=1700000000123&ts=1700000000"


# -- encoding -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        ("&", "%26"),
        ("=", "%3D"),
        ("#", "%23"),
        ("+", "%2B"),
        (" ", "%20"),
        ("ü", "%C3%BC"),
        ("1080*1920", "1080*1920"),
        ("1,2,3", "1,2,3"),
        ("Australia/Brisbane", "Australia%2FBrisbane"),
        ("AZaz09-._~", "AZaz09-._~"),
        ("a&b=c#d+e f ü", "a%26b%3Dc%23d%2Be%20f%20%C3%BC"),
        ("😀", "%F0%9F%98%80"),
        ("", ""),
    ],
)
def test_values_are_percent_encoded_as_utf8(value: str, encoded: str) -> None:
    assert encode_value(value) == encoded


def test_only_unreserved_star_and_comma_stay_as_they_are() -> None:
    kept = [c for c in map(chr, range(128)) if encode_value(c) == c]
    assert sorted(kept) == sorted(string.ascii_letters + string.digits + "-._~*,")


def test_encode_query_keeps_the_given_order() -> None:
    assert encode_query([("z", "1"), ("a", "x y"), ("m", "")]) == "z=1&a=x%20y&m="


@given(st.text())
def test_any_text_is_encoded_to_safe_characters_and_decodes_back(value: str) -> None:
    # Lone surrogates cannot be UTF-8: the client would never get them from JSON text either.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return
    encoded = encode_value(value)
    assert ENCODED_VALUE.match(encoded)
    assert unquote(encoded, errors="strict") == value


# -- login encoding ------------------------------------------------------------------


def test_xor_encoding_matches_the_protocol_examples() -> None:
    assert xor_encode("password") == "75647676726a7761"
    assert xor_encode("username") == "707660776b646860"


@given(st.text(alphabet=st.characters(min_codepoint=0x10, max_codepoint=0xFF)))
def test_xor_encoding_is_each_code_xor_5_in_two_lower_hex_digits(text: str) -> None:
    encoded = xor_encode(text)
    assert encoded == encoded.lower()
    assert encoded == "".join(format(ord(c) ^ 5, "x") for c in text)
    assert "".join(chr(b ^ 5) for b in bytes.fromhex(encoded)) == text  # reads back


@given(
    st.text(alphabet=st.characters(min_codepoint=0x10, max_codepoint=0xFF)),
    st.characters(
        blacklist_categories=(), blacklist_characters=[chr(c) for c in range(0x10, 0x100)]
    ),
    st.text(alphabet=st.characters(min_codepoint=0x10, max_codepoint=0xFF)),
)
def test_xor_encoding_refuses_what_it_cannot_carry(before: str, bad: str, after: str) -> None:
    with pytest.raises(ValueError) as caught:
        xor_encode(before + bad + after, "password")
    message = str(caught.value)
    assert message.startswith("password ") and f"position {len(before)}" in message
    assert bad not in message


# -- the signer protocol --------------------------------------------------------------


def test_a_signer_object_is_used_as_is() -> None:
    signer = RecordingSigner()
    assert as_signer(signer) is signer
    assert isinstance(signer, Signer)


def test_a_plain_function_is_accepted_and_called_with_url_ts_device_id() -> None:
    seen: List[Any] = []

    def sign(url: str, ts: int, device_id: str) -> str:
        seen.append((url, ts, device_id))
        return url + "&as=1&cp=2&mas=3"

    adapted = as_signer(sign)
    assert adapted.sign("u", 5, "d") == "u&as=1&cp=2&mas=3"
    assert seen == [("u", 5, "d")]


def test_no_signer_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="signer is required"):
        as_signer(None)


def test_something_that_cannot_sign_is_refused() -> None:
    with pytest.raises(TypeError, match="sign"):
        as_signer("not a signer")  # type: ignore[arg-type]


def test_sign_url_returns_exactly_what_the_signer_returned() -> None:
    odd = BASE + "&as=a%2fb%3d&cp=~x*y,z&mas=%e2%82%ac"
    assert sign_url(as_signer(lambda *_: odd), BASE, 1700000000, "1") == odd


def _function(result: Any) -> Any:
    return as_signer(lambda url, ts, device_id: result(url))


@pytest.mark.parametrize(
    ("returned", "message"),
    [
        (lambda url: None, "not NoneType"),
        (lambda url: url.encode(), "not bytes"),
        (lambda url: url, "not '&name=value'"),
        (lambda url: url + "as=1&cp=2", "not '&name=value'"),
        (lambda url: url + "&as", "not '&name=value'"),
        (lambda url: url + "&=1", "not '&name=value'"),
        (lambda url: url + "&as=1&", "not '&name=value'"),
        (lambda url: url + "&as=1 2", "not '&name=value'"),
        (lambda url: url + "&as=1#frag", "not '&name=value'"),
        (lambda url: url + "&as=1\r\nX-Injected: 1", "not '&name=value'"),
        (lambda url: url.replace("user_id=1", "user_id=2") + "&as=1", "changed the URL"),
        (lambda url: url.upper() + "&as=1", "changed the URL"),
        (lambda url: url[:-1] + "&as=1", "changed the URL"),
    ],
)
def test_sign_url_refuses_anything_but_the_url_plus_params(returned: Any, message: str) -> None:
    with pytest.raises(SignerError, match=message):
        sign_url(_function(returned), BASE, 1700000000, "1")


def test_a_signer_that_raises_becomes_a_signer_error_with_the_cause() -> None:
    boom = RuntimeError("no key")

    def sign(url: str, ts: int, device_id: str) -> str:
        raise boom

    with pytest.raises(SignerError, match="RuntimeError: no key") as caught:
        sign_url(as_signer(sign), BASE, 1, "1")
    assert caught.value.__cause__ is boom


# -- today's generation: SignRequest, Signature, sign_attempt (docs/protocol.rst, Request signing)

POST_URL = (
    "https://api.test/aweme/v1/commit/follow/user/?user_id=1&_rticket=1700000000123&ts=1700000000"
)


def _request(
    url: str = BASE, body: bytes = b"", headers: Optional[Dict[str, str]] = None
) -> SignRequest:
    return SignRequest.create(
        method="POST" if body else "GET",
        url=url,
        body=body,
        headers={"User-Agent": "ua", "Cookie": "sessionid=s1; b=2"} if headers is None else headers,
        ts=1700000000,
        rticket=1700000000123,
        device=make_device(),
    )


def test_md5_stub_is_upper_case_hex_of_the_body() -> None:
    assert ss_stub(b"") == "D41D8CD98F00B204E9800998ECF8427E"
    assert ss_stub(b"abc") == "900150983CD24FB0D6963F7D28E17F72"


def test_a_sign_request_derives_path_query_cookie_and_the_stub() -> None:
    request = _request(POST_URL, body=b"a=1&b=2")
    assert request.path == "/aweme/v1/commit/follow/user/"
    assert request.query == "user_id=1&_rticket=1700000000123&ts=1700000000"
    assert request.url == "https://api.test" + request.path + "?" + request.query
    assert request.cookie == "sessionid=s1; b=2"
    assert request.headers["X-SS-STUB"] == ss_stub(b"a=1&b=2")
    assert request.body == b"a=1&b=2"


def test_no_body_no_stub_and_no_cookie_header_an_empty_cookie() -> None:
    request = _request(headers={"User-Agent": "ua"})
    assert "X-SS-STUB" not in request.headers
    assert request.cookie == ""
    assert request.body == b""


def test_a_sign_request_is_read_only() -> None:
    request = _request()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        request.url = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        request.headers["X-Gorgon"] = "1"  # type: ignore[index]


def _request_signer(signature: Any) -> RequestSigner:
    return RequestSigner(lambda request: signature)


def test_a_url_signer_through_sign_attempt_is_the_seed_step_exactly() -> None:
    request = _request()
    signer = RecordingSigner()
    url, headers = sign_attempt(signer, request)
    assert url == BASE + "&as=a11b&cp=c21d&mas=m31e"
    assert signer.calls[0][:3] == (BASE, 1700000000, make_device().device_id)
    assert headers == dict(request.headers)


def test_request_signer_headers_are_merged_replacing_the_same_name_in_any_case() -> None:
    signer = _request_signer(
        tiktok.Signature(headers={"user-agent": "ua2", "X-Gorgon": "8404ab", "X-Khronos": "1"})
    )
    url, headers = sign_attempt(signer, _request())
    assert url == BASE
    assert headers == {
        "Cookie": "sessionid=s1; b=2",
        "user-agent": "ua2",
        "X-Gorgon": "8404ab",
        "X-Khronos": "1",
    }


def test_the_request_signer_sees_the_request_it_is_given() -> None:
    seen: List[SignRequest] = []
    request = _request(POST_URL, body=b"x=1")

    def sign(req: SignRequest) -> tiktok.Signature:
        seen.append(req)
        return tiktok.Signature()

    assert sign_attempt(RequestSigner(sign), request) == (POST_URL, dict(request.headers))
    assert seen == [request]


def test_a_returned_url_that_extends_the_given_one_replaces_it() -> None:
    signature = tiktok.Signature(url=BASE + "&x_sign=1", headers={"X-A": "1"})
    assert sign_attempt(_request_signer(signature), _request())[0] == BASE + "&x_sign=1"


@pytest.mark.parametrize(
    "url",
    [BASE.replace("user_id=1", "user_id=2"), BASE[:-1], BASE + "x=1", BASE + "&a=1 2", "/x"],
)
def test_a_returned_url_that_does_not_extend_the_given_one_is_refused(url: str) -> None:
    with pytest.raises(SignerError):
        sign_attempt(_request_signer(tiktok.Signature(url=url)), _request())


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({"X-Gorgon": "a\r\nX-Evil: 1"}, "illegal value"),
        ({"X-Gorgon": "a\nb"}, "illegal value"),
        ({"X-Gorgon": "\u00e9"}, "illegal value"),
        ({"X-Gorgon": " a"}, "illegal value"),
        ({"X-Gorgon\r\n": "a"}, "illegal header name"),
        ({"": "a"}, "illegal header name"),
        ({"X Gorgon": "a"}, "illegal header name"),
        ({"X-Gorgon:": "a"}, "illegal header name"),
        ({"X-\u00e9": "a"}, "illegal header name"),
        ({"X-Gorgon": 1}, "str to str"),
        ({1: "a"}, "str to str"),
    ],
)
def test_an_illegal_header_is_a_signer_error(headers: Dict[Any, Any], message: str) -> None:
    with pytest.raises(SignerError, match=message):
        sign_attempt(_request_signer(tiktok.Signature(headers=headers)), _request())


@pytest.mark.parametrize("returned", [None, {"headers": {}}, "https://x", ({},)])
def test_a_request_signer_returning_the_wrong_type_is_a_signer_error(returned: Any) -> None:
    with pytest.raises(SignerError, match=r"must return a tiktok\.Signature"):
        sign_attempt(_request_signer(returned), _request())


def test_a_request_signer_that_raises_is_a_signer_error_with_the_cause() -> None:
    boom = ValueError("password=hunter2 is wrong")

    def sign(request: SignRequest) -> tiktok.Signature:
        raise boom

    with pytest.raises(SignerError, match="ValueError") as caught:
        sign_attempt(RequestSigner(sign), _request())
    assert caught.value.__cause__ is boom
    assert "hunter2" not in str(caught.value)


def test_a_signature_built_from_something_else_than_a_mapping_is_a_signer_error() -> None:
    def sign(request: SignRequest) -> tiktok.Signature:
        return tiktok.Signature(headers=[("X-A", "1")])  # type: ignore[arg-type]

    with pytest.raises(SignerError, match="TypeError"):
        sign_attempt(RequestSigner(sign), _request())


# -- as_signer with both generations ----------------------------------------------------


class _BothMethods:
    def sign(self, url: str, ts: int, device_id: str) -> str:
        return url + "&as=1"

    def sign_request(self, request: SignRequest) -> tiktok.Signature:
        return tiktok.Signature(headers={"X-Gorgon": "g"})


def test_a_request_signer_object_is_used_as_is_and_wins_over_sign() -> None:
    both = _BothMethods()
    assert as_signer(both) is both
    url, headers = sign_attempt(as_signer(both), _request())
    assert (url, headers["X-Gorgon"]) == (BASE, "g")


def test_request_signer_wraps_a_function_and_rejects_a_non_callable() -> None:
    wrapped = RequestSigner(lambda request: tiktok.Signature(headers={"X-A": "1"}))
    assert as_signer(wrapped) is wrapped
    assert isinstance(wrapped, SupportsSignRequest)
    with pytest.raises(TypeError, match="RequestSigner wraps a function"):
        RequestSigner("nope")  # type: ignore[arg-type]


def test_a_bare_one_argument_function_is_told_to_use_request_signer() -> None:
    def sign(request: SignRequest) -> tiktok.Signature:
        return tiktok.Signature()

    with pytest.raises(TypeError, match=r"tiktok\.RequestSigner\(fn\)"):
        as_signer(sign)  # type: ignore[arg-type]


def test_a_function_of_another_shape_is_refused() -> None:
    with pytest.raises(TypeError, match="must take"):
        as_signer(lambda: "x")  # type: ignore[arg-type]


# -- RemoteSigner ---------------------------------------------------------------------------

SIGNING_SERVICE = "https://signer.test/sign"


def test_remote_signer_posts_the_contract_and_returns_its_answer(rsps) -> None:
    rsps.post(SIGNING_SERVICE, json={"headers": {"X-Gorgon": "8404aa"}, "url": BASE + "&x=1"})
    request = _request(POST_URL, body=b"\x00\xffa=1")
    signature = RemoteSigner(SIGNING_SERVICE).sign_request(request)
    assert signature == tiktok.Signature(headers={"X-Gorgon": "8404aa"}, url=BASE + "&x=1")
    sent = json.loads(rsps.calls[0].request.body)
    # Only what signing needs: the body's MD5, not the body; the cookie once, not twice.
    assert sent == {
        "method": "POST",
        "url": POST_URL,
        "stub": ss_stub(b"\x00\xffa=1"),
        "headers": {k: v for k, v in request.headers.items() if k != "Cookie"},
        "cookie": "sessionid=s1; b=2",
        "ts": 1700000000,
        "rticket": 1700000000123,
        "device_id": REQUIRED["device_id"],
        "iid": REQUIRED["iid"],
    }


@pytest.mark.parametrize("status", [201, 302, 400, 403, 500, 503])
def test_remote_signer_names_any_status_but_200(rsps, status: int) -> None:
    rsps.post(SIGNING_SERVICE, status=status, json={"headers": {}})
    with pytest.raises(SignerError) as caught:
        sign_attempt(RemoteSigner(SIGNING_SERVICE), _request())
    assert str(caught.value) == f"the signing service answered HTTP {status}"


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b"{}", b'{"headers": []}', b'{"headers": {}, "url": 5}'],
)
def test_remote_signer_refuses_a_200_that_breaks_the_contract(rsps, body: bytes) -> None:
    rsps.post(SIGNING_SERVICE, body=body)
    with pytest.raises(SignerError, match="HTTP 200"):
        RemoteSigner(SIGNING_SERVICE).sign_request(_request())


def test_remote_signer_headers_are_checked_like_any_signer_s(rsps) -> None:
    rsps.post(SIGNING_SERVICE, json={"headers": {"X-Gorgon": "a\r\nb"}})
    with pytest.raises(SignerError, match="illegal value"):
        sign_attempt(RemoteSigner(SIGNING_SERVICE), _request())


def test_remote_signer_unreachable_is_a_signer_error(rsps) -> None:
    with pytest.raises(SignerError, match="could not be reached: ConnectionError"):
        RemoteSigner(SIGNING_SERVICE).sign_request(_request())


@pytest.mark.parametrize(
    ("endpoint", "timeout"),
    [("signer.test/sign", 5.0), (SIGNING_SERVICE, 0), (SIGNING_SERVICE, -1)],
)
def test_remote_signer_checks_its_arguments(endpoint: str, timeout: float) -> None:
    with pytest.raises(ValueError):
        RemoteSigner(endpoint, timeout=timeout)


# -- a request signer through the client ------------------------------------------------------


def test_the_client_sends_what_a_request_signer_returns_and_the_stub_of_the_body(
    device, rsps
) -> None:
    seen: List[SignRequest] = []

    def sign(request: SignRequest) -> tiktok.Signature:
        seen.append(request)
        return tiktok.Signature(
            headers={"X-Gorgon": f"8404{len(seen)}", "X-Khronos": str(request.ts)}
        )

    client = tiktok.Client(device, RequestSigner(sign), base_url=BASE_URL, retries=0)
    rsps.post(url("aweme/v1/comment/publish/"), json=envelope(comment={"cid": "1", "text": "hi"}))
    client.posts.comment("42", "hi there")
    sent = rsps.calls[0].request
    assert sent.url == seen[0].url
    assert sent.headers["X-Gorgon"] == "84041"
    assert sent.headers["X-Khronos"] == str(seen[0].ts)
    assert sent.body == seen[0].body
    assert sent.headers["X-SS-STUB"] == ss_stub(sent.body)
    assert "as" not in [key for key, _ in raw_query_pairs(sent.url)]


def test_a_failing_request_signer_sends_nothing(device, rsps) -> None:
    client = tiktok.Client(
        device, _request_signer(tiktok.Signature(headers={"X-A": "\n"})), base_url=BASE_URL
    )
    with pytest.raises(SignerError):
        client.users.get("42")
    assert len(rsps.calls) == 0


def test_a_remote_signer_does_not_carry_the_api_s_cookies_or_token(device, rsps) -> None:
    rsps.post(SIGNING_SERVICE, json={"headers": {"X-Gorgon": "8404aa"}})
    rsps.get(url("aweme/v1/user/"), json=envelope(user={"uid": "42"}))
    client = tiktok.Client(device, RemoteSigner(SIGNING_SERVICE), base_url=BASE_URL, retries=0)
    client.session.cookies.set("sessionid", "secret-session", domain="api.test", path="/")
    client.session.cookies.set("sessionid", "secret-session", domain="signer.test", path="/")
    client.users.get("42")
    to_signer, to_api = rsps.calls[0].request, rsps.calls[1].request
    assert "Cookie" not in to_signer.headers
    assert "x-tt-token" not in to_signer.headers
    assert json.loads(to_signer.body)["cookie"] == "sessionid=secret-session"
    assert to_api.headers["X-Gorgon"] == "8404aa"
