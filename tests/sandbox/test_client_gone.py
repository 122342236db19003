"""A client that gives up on a slow answer is normal traffic: no traceback on stderr."""

from __future__ import annotations

import contextlib
import time

import pytest

import tiktok
from tiktok.sandbox import BIG_USER_ID, Sandbox


def test_a_client_timing_out_on_slow_answers_prints_no_traceback(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with Sandbox(seed=3, fault_rate=1.0, slow_seconds=0.5) as sandbox:
        client = sandbox.client(timeout=0.2, retries=0, backoff=0)
        for _ in range(15):
            with contextlib.suppress(tiktok.TikTokError):
                client.users.get(BIG_USER_ID)
        time.sleep(0.8)  # let the slow handlers write to the closed sockets
        assert sandbox.stats["faults"]["slow"] >= 1
        client.close()
    assert "Traceback" not in capfd.readouterr().err
