"""tiktok.signing: percent-encoding (docs/protocol.rst, Query order), the login XOR-hex (docs/protocol.rst, Login), signer checks."""

from __future__ import annotations

import string
from typing import Any, List
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import ENCODED_VALUE, RecordingSigner
from tiktok import SignerError
from tiktok.signing import Signer, as_signer, encode_query, encode_value, sign_url, xor_encode

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


@given(st.text(alphabet=st.characters(max_codepoint=0xFFFF)))
def test_xor_encoding_is_each_code_xor_5_in_lower_hex(text: str) -> None:
    encoded = xor_encode(text)
    assert encoded == encoded.lower()
    assert encoded == "".join(format(ord(c) ^ 5, "x") for c in text)


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
