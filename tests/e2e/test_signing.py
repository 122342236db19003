"""The sandbox rejects what the real API rejects: a wrong signature or missing device params."""

from __future__ import annotations

import pytest
import requests

import tiktok
from tiktok.sandbox import BIG_USER_ID, Sandbox, SandboxSigner, sandbox_device

pytestmark = pytest.mark.e2e


def test_a_wrong_signature_is_an_empty_response_error(sb: Sandbox) -> None:
    before = sb.stats["rejected_signature"]
    client = tiktok.Client(sandbox_device(), SandboxSigner("wrong-key"), base_url=sb.url, backoff=0)
    with pytest.raises(tiktok.EmptyResponseError):
        client.users.get(BIG_USER_ID)
    assert sb.stats["rejected_signature"] > before


def test_a_signer_that_ignores_the_url_is_rejected(sb: Sandbox) -> None:
    def lazy_signer(url: str, ts: int, device_id: str) -> str:
        return url + "&as=0&cp=0&mas=0"

    client = tiktok.Client(sandbox_device(), lazy_signer, base_url=sb.url, retries=0)
    with pytest.raises(tiktok.EmptyResponseError):
        client.posts.iter(BIG_USER_ID, limit=1).pages().__next__()


def test_another_sandbox_key_needs_its_own_signer() -> None:
    with Sandbox(signing_key="s3cret") as sb:
        assert sb.client().users.get(BIG_USER_ID).uid == BIG_USER_ID
        stranger = tiktok.Client(sandbox_device(), SandboxSigner(), base_url=sb.url, retries=0)
        with pytest.raises(tiktok.EmptyResponseError):
            stranger.users.get(BIG_USER_ID)


@pytest.mark.parametrize("missing", ["device_id", "iid", "openudid", "fp", "ts", "_rticket"])
def test_a_signed_url_without_a_device_param_gets_an_empty_body(sb: Sandbox, missing: str) -> None:
    query = "user_id=1&device_id=1&iid=2&openudid=3&fp=4&_rticket=5&ts=6"
    query = "&".join(part for part in query.split("&") if not part.startswith(missing + "="))
    url = SandboxSigner().sign(f"{sb.url}aweme/v1/user/?{query}", 6, "1")
    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    assert response.content == b""
