"""The sandbox rejects what the real API rejects (a wrong signature, a missing device param)
and accepts what a signer of its mode signs: docs/protocol.rst (Request signing)."""

from __future__ import annotations

import time
from typing import Any, List

import pytest
import requests

import tiktok
from tiktok.sandbox import (
    BIG_USER_ID,
    SANDBOX_EMAIL,
    SANDBOX_PASSWORD,
    Fault,
    Sandbox,
    SandboxRequestSigner,
    SandboxSigner,
    sandbox_device,
)

pytestmark = pytest.mark.e2e


def signer_of(sb: Sandbox, key: str) -> Any:
    return SandboxRequestSigner(key) if sb.signing == "headers" else SandboxSigner(key)


def test_a_wrong_signature_is_an_empty_response_error(sb: Sandbox) -> None:
    before = sb.stats["rejected_signature"]
    client = tiktok.Client(sandbox_device(), signer_of(sb, "wrong-key"), base_url=sb.url, backoff=0)
    with pytest.raises(tiktok.EmptyResponseError):
        client.users.get(BIG_USER_ID)
    assert sb.stats["rejected_signature"] > before


def test_a_signer_that_ignores_the_request_is_rejected(sb: Sandbox) -> None:
    def lazy_signer(url: str, ts: int, device_id: str) -> str:
        return url + "&as=0&cp=0&mas=0"

    lazy_request_signer = tiktok.RequestSigner(
        lambda request: tiktok.Signature(headers={"X-Khronos": str(request.ts), "X-Gorgon": "0"})
    )
    lazy = lazy_request_signer if sb.signing == "headers" else lazy_signer
    client = tiktok.Client(sandbox_device(), lazy, base_url=sb.url, retries=0)
    with pytest.raises(tiktok.EmptyResponseError):
        client.users.posts(BIG_USER_ID, limit=1).pages().__next__()


def test_a_signer_of_the_other_generation_is_rejected(sb: Sandbox) -> None:
    other = SandboxSigner() if sb.signing == "headers" else SandboxRequestSigner()
    client = tiktok.Client(sandbox_device(), other, base_url=sb.url, retries=0)
    with pytest.raises(tiktok.EmptyResponseError):
        client.users.get(BIG_USER_ID)


def test_another_sandbox_key_needs_its_own_signer(signing: str) -> None:
    with Sandbox(signing_key="s3cret", signing=signing) as sb:
        assert sb.client().users.get(BIG_USER_ID).uid == BIG_USER_ID
        stranger = tiktok.Client(
            sandbox_device(), signer_of(sb, "sandbox"), base_url=sb.url, retries=0
        )
        with pytest.raises(tiktok.EmptyResponseError):
            stranger.users.get(BIG_USER_ID)


@pytest.mark.parametrize("missing", ["device_id", "iid", "openudid", "fp", "ts", "_rticket"])
def test_a_signed_request_without_a_device_param_gets_an_empty_body(
    sb: Sandbox, missing: str
) -> None:
    query = "user_id=1&device_id=1&iid=2&openudid=3&fp=4&_rticket=5&ts=6"
    query = "&".join(part for part in query.split("&") if not part.startswith(missing + "="))
    url = f"{sb.url}aweme/v1/user/?{query}"
    # Answered by the signing service itself: the signature is right, the params are not.
    signed = requests.post(
        sb.sign_url,
        json={"method": "GET", "url": url, "body": "", "cookie": "", "ts": 6},
        timeout=10,
    ).json()
    response = requests.get(signed.get("url", url), headers=signed["headers"], timeout=10)
    assert response.status_code == 200
    assert response.content == b""


# -- the signing service and RemoteSigner ------------------------------------------------------


def test_a_remote_signer_on_the_sandbox_s_service_runs_reads_and_writes(sb: Sandbox) -> None:
    with (
        tiktok.RemoteSigner(sb.sign_url) as signer,
        tiktok.Client(sandbox_device(), signer, base_url=sb.url) as client,
    ):
        client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
        assert client.users.get(BIG_USER_ID).uid == BIG_USER_ID
        post = next(iter(client.users.posts(BIG_USER_ID, limit=1)))
        comment = client.posts.comment(post.aweme_id or "", "signed remotely")
        assert comment.text == "signed remotely"


# -- every attempt signed afresh ----------------------------------------------------------------


class RecordingUrls:
    """Wraps a URL signer and records the signature of every attempt."""

    def __init__(self, inner: SandboxSigner) -> None:
        self.inner = inner
        self.signatures: List[str] = []

    def sign(self, url: str, ts: int, device_id: str) -> str:
        signed = self.inner.sign(url, ts, device_id)
        self.signatures.append(signed[len(url) :])
        return signed


class RecordingRequests:
    """Wraps a request signer and records the signature of every attempt."""

    def __init__(self, inner: SandboxRequestSigner) -> None:
        self.inner = inner
        self.signatures: List[str] = []

    def sign_request(self, request: tiktok.SignRequest) -> tiktok.Signature:
        signature = self.inner.sign_request(request)
        self.signatures.append(signature.headers["X-Gorgon"])
        return signature


def test_every_retried_attempt_carries_a_fresh_signature(signing: str) -> None:
    """Under faults that the client retries, no signature goes out twice.

    Each attempt has its own ``_rticket`` (milliseconds, later than the attempt
    before even in the same millisecond), so a signer that is called per attempt
    signs a different request every time; a signature sent twice would mean an
    attempt resent stale bytes.
    """
    with Sandbox(seed=7, fault_rate=0.5, slow_seconds=0.5, signing=signing) as sb:
        recording: Any = (
            RecordingRequests(SandboxRequestSigner())
            if signing == "headers"
            else RecordingUrls(SandboxSigner())
        )
        with tiktok.Client(
            sandbox_device(), recording, base_url=sb.url, retries=8, backoff=0.001, timeout=0.3
        ) as client:
            for _ in range(15):
                client.users.get(BIG_USER_ID)
        stats = sb.stats
    assert sum(stats["faults"].values()) > 0  # there were retries
    assert stats["repeated_signature"] == 0  # on the wire, no signature twice
    assert stats["requests"] == len(recording.signatures)  # one signing per attempt sent
    assert len(set(recording.signatures)) == len(recording.signatures)


def test_attempts_in_the_same_millisecond_carry_different_signatures(signing: str) -> None:
    # What made the test above fail about 1 run in 7 (issue 22): a retry that came in
    # the millisecond of the attempt before sent the same URL, signed the same. Here
    # the client's wall clock never moves on, so every attempt falls in one millisecond.
    frozen = time.time()  # the sandbox takes an X-Khronos within 60 s of its clock
    clock = tiktok.Clock(wall=lambda: frozen, sleep=lambda seconds: None)
    with Sandbox(seed=7, signing=signing) as sb:
        sb.inject(Fault.HTTP_503, 3)
        with sb.client(retries=3, clock=clock) as client:
            client.users.get(BIG_USER_ID)  # three 503s, then the answer
            client.users.get(BIG_USER_ID)
        stats = sb.stats
    assert stats["requests"] == 5
    assert stats["faults"]["http_503"] == 3
    assert stats["repeated_signature"] == 0
    assert stats["rejected_signature"] == 0
