"""``tiktok demo``: README's first command."""

from __future__ import annotations

from tiktok._cli.demo import STEPS

from .conftest import run_cli


def test_demo_walks_every_step_and_suggests_what_next() -> None:
    run = run_cli("demo")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    labels = [line.split()[0] for line in lines[: len(STEPS)]]
    assert labels == list(STEPS)
    text = run.stdout
    assert "100 posts" in text and "over 4 pages" in text
    assert "it shows up in posts.comments()" in text
    assert "liked=True" in text and "liked=False" in text
    assert "--sandbox posts list" in text
    assert "TIKTOK_DEVICE_ID" in text and "--signer" in text
    assert run.stderr == ""
