"""The sandbox's access log sits under the "tiktok" logger: it must not print credentials."""

from __future__ import annotations

import logging

import pytest

from tiktok.sandbox import SANDBOX_EMAIL, SANDBOX_PASSWORD, Sandbox
from tiktok.signing import xor_encode


def test_debug_access_log_shows_paths_but_never_the_login_query(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="tiktok"), Sandbox(seed=0) as sandbox:
        client = sandbox.client()
        client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
        client.close()
    server_lines = [r.getMessage() for r in caplog.records if r.name.startswith("tiktok.sandbox")]
    assert any("passport/user/login/" in line for line in server_lines)
    text = "\n".join(server_lines)
    assert xor_encode(SANDBOX_PASSWORD) not in text
    assert SANDBOX_PASSWORD not in text
    assert xor_encode(SANDBOX_EMAIL) not in text
