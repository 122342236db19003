"""Device registration (tiktok/_registration.py) against the sandbox's log host, end to end:
the body encrypted by a function or by the signing service's /encrypt, the ids bound to the
app that registered them, and every failure typed."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import tiktok
from tiktok.apps import DOUYIN, TIKTOK
from tiktok.sandbox import BIG_USER_ID, Sandbox

REPO = Path(__file__).resolve().parents[1]


def test_a_registered_device_is_accepted_and_bound_to_its_app() -> None:
    with Sandbox(iid_apps=True) as sb:
        device = tiktok.register_device(TIKTOK, sb.encrypt, log_url=sb.url)
        again = tiktok.register_device(TIKTOK, sb.encrypt, log_url=sb.url)
        assert device.app is TIKTOK and device.device_id.isdigit() and device.iid.isdigit()
        assert (device.device_id, device.iid) != (again.device_id, again.iid)
        # Its iid claimed by another app, before any use: refused, as the real API does.
        with (
            tiktok.Client(device.for_app(DOUYIN), sb.signer(), base_url=sb.url, retries=0) as other,
            pytest.raises(tiktok.InstallIdRefusedError),
        ):
            next(iter(other.feed.for_you().pages()))
        with tiktok.Client(device, sb.signer(), base_url=sb.url) as client:
            assert client.users.get(BIG_USER_ID).uid == BIG_USER_ID
            next(iter(client.feed.for_you().pages()))


def test_the_signing_service_encrypts_the_description() -> None:
    with Sandbox() as sb, tiktok.RemoteSigner(sb.sign_url, allow_http=True) as service:
        device = tiktok.register_device(TIKTOK, service, log_url=sb.url)
        assert service.encrypt(b"abc") == sb.encrypt(b"abc") != b"abc"
        with tiktok.Client(device, sb.signer(), base_url=sb.url) as client:
            assert client.users.get(BIG_USER_ID).uid == BIG_USER_ID


def test_a_description_the_log_host_cannot_read_is_a_registration_error() -> None:
    with Sandbox() as sb, pytest.raises(tiktok.RegistrationError) as refused:
        tiktok.register_device(TIKTOK, lambda data: data, log_url=sb.url)  # not encrypted
    assert isinstance(refused.value, tiktok.RequestError)
    assert refused.value.hint and '"device_id_str":"0"' in (refused.value.answer or "")


def test_the_encryption_failing_is_a_signer_error() -> None:
    def broken(data: bytes) -> bytes:
        raise RuntimeError("no key")

    with Sandbox() as sb, pytest.raises(tiktok.SignerError, match="no key"):
        tiktok.register_device(TIKTOK, broken, log_url=sb.url)


def test_a_log_host_that_is_down_is_a_transport_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(tiktok.TransportError):
        tiktok.register_device(TIKTOK, bytes, log_url=f"http://127.0.0.1:{port}/", timeout=2)


def test_an_app_without_a_log_host_needs_one() -> None:
    with pytest.raises(ValueError, match="log_url"):
        tiktok.register_device(TIKTOK, bytes)
    assert DOUYIN.log_url == "https://log.snssdk.com/"


def test_the_cli_registers_a_device_into_an_identity_file_a_crawl_uses(tmp_path: Path) -> None:
    path = tmp_path / "phone-9.json"

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tiktok", "--sandbox", *args], cwd=REPO,
                              capture_output=True, text=True, timeout=120)  # fmt: skip

    made = cli("device", "register", "-o", str(path), "--app", "TikTok")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["identity"] == "phone-9"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    identity = tiktok.Identity.load(path)
    assert identity.app is TIKTOK and identity.health.state == "ok"
    assert cli("device", "register", "-o", str(path)).returncode == 2  # never overwritten
    crawled = cli("crawl", "run", f"followers:{BIG_USER_ID}", "--limit", "40", "--store",
                  str(tmp_path / "c.db"), "--identity", str(path))  # fmt: skip
    assert crawled.returncode == 0, crawled.stderr
    assert "40 new items" in crawled.stderr
