"""The sandbox signature scheme of issue 3, item 3, checked against its written definition."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from tiktok.sandbox import SandboxSigner
from tiktok.sandbox._signing import request_target, verify_target

URL = "http://127.0.0.1:8000/aweme/v1/user/?user_id=1&device_id=2&_rticket=3&ts=4"
TARGET = "/aweme/v1/user/?user_id=1&device_id=2&_rticket=3&ts=4"


def expected_suffix(key: str, target: str) -> str:
    h = hmac.new(key.encode(), target.encode(), hashlib.sha256).hexdigest()
    return f"&as={h[0:20]}&cp={h[20:40]}&mas={h[40:64]}"


def test_sign_appends_as_cp_mas_of_the_hmac_of_the_request_target() -> None:
    signed = SandboxSigner("k3y").sign(URL, 4, "2")
    assert signed == URL + expected_suffix("k3y", TARGET)


def test_the_default_key_is_sandbox() -> None:
    assert SandboxSigner().sign(URL, 4, "2") == URL + expected_suffix("sandbox", TARGET)


def test_the_signature_does_not_depend_on_ts_or_device_id_arguments() -> None:
    signer = SandboxSigner()
    assert signer.sign(URL, 1, "a") == signer.sign(URL, 2, "b")


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("http://h:1/p/?q=1", "/p/?q=1"),
        ("https://api2.musical.ly/aweme/v1/feed/?a=b", "/aweme/v1/feed/?a=b"),
        ("http://[::1]:8000/x?y=/z", "/x?y=/z"),
        ("/already/a/target?x=1", "/already/a/target?x=1"),
        ("http://h:1?q=1", "/?q=1"),
    ],
)
def test_request_target(url: str, target: str) -> None:
    assert request_target(url) == target


def test_verify_accepts_what_the_signer_signed() -> None:
    signed = SandboxSigner("k").sign(URL, 4, "2")
    assert verify_target("k", request_target(signed))


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t.replace("user_id=1", "user_id=9"),  # the query changed after signing
        lambda t: t.replace("user_id=1", "user_id=%31"),  # same value, other bytes
        lambda t: t[:-1] + ("0" if t[-1] != "0" else "1"),  # the signature changed
        lambda t: t.split("&as=")[0],  # no signature
        lambda t: t.replace("&cp=", "&xx="),  # a part renamed
        lambda t: t + "&extra=1",  # something after mas
    ],
)
def test_verify_rejects_a_tampered_target(tamper: object) -> None:
    target = request_target(SandboxSigner("k").sign(URL, 4, "2"))
    assert callable(tamper)
    assert not verify_target("k", tamper(target))


def test_verify_rejects_another_key() -> None:
    target = request_target(SandboxSigner("one").sign(URL, 4, "2"))
    assert not verify_target("two", target)


@pytest.mark.parametrize("key", ["", None, 3])
def test_a_signer_needs_a_non_empty_str_key(key: object) -> None:
    with pytest.raises(ValueError):
        SandboxSigner(key)  # type: ignore[arg-type]
