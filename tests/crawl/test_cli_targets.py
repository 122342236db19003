"""``tiktok crawl run`` targets named as a user is everywhere else: ``KIND:@handle`` (issue 22)."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from tiktok.sandbox import BIG_USER_ID, Sandbox

from .conftest import REPO, cli_env


def _cli(sandbox: Sandbox, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tiktok", "crawl", *argv],
        capture_output=True,
        text=True,
        env=cli_env(sandbox),
        cwd=REPO,
        timeout=60,
    )


def test_a_user_target_may_be_an_at_handle_stored_by_id(
    sandbox: Sandbox, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="tiktok.sandbox")  # its access lines (paths)
    store = str(tmp_path / "c.db")
    run = _cli(sandbox, "run", "followers:@sandbox.star", "posts:@Sandbox.Star",
               "--store", store, "--limit", "30")  # fmt: skip
    assert run.returncode == 0, run.stderr
    status = _cli(sandbox, "status", "--store", store)
    targets = [json.loads(line)["target"] for line in status.stdout.splitlines()]
    assert targets == [f"followers:{BIG_USER_ID}", f"posts:{BIG_USER_ID}"]
    # The handle was looked up once for both targets.
    searches = [line for line in caplog.messages if "/discover/search/ ->" in line]
    assert len(searches) == 1, caplog.messages


def test_handles_of_unknown_users_or_non_user_kinds_are_errors(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    store = str(tmp_path / "c.db")
    missing = _cli(sandbox, "run", "followers:@no.such.user.here", "--store", store)
    assert missing.returncode == 1
    assert missing.stderr.startswith("error: ") and "no.such.user.here" in missing.stderr
    for bad in ("comments:@sandbox.star", "followers:@", "followers:@a b"):
        refused = _cli(sandbox, "run", bad, "--store", store)
        assert refused.returncode == 2, (bad, refused.stderr)
        assert refused.stderr.startswith("error: ")
