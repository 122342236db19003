"""``tiktok download``: a post (id or link) into a directory, a progress bar on a terminal only."""

from __future__ import annotations

import hashlib
import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

from tiktok._cli.download import ProgressBar

from .conftest import REPO, TIMEOUT, clean_env, run_cli

POST = "6900000000000200000"


def test_a_post_id_lands_in_the_directory_checked(tmp_path: Path) -> None:
    run = run_cli("--sandbox", "download", POST, "-o", str(tmp_path / "videos"))
    assert run.returncode == 0, run.stderr
    [line] = run.lines()
    path = tmp_path / "videos" / f"{POST}.mp4"
    assert line["path"] == str(path)
    data = path.read_bytes()
    assert line["size"] == len(data) and line["md5"] == hashlib.md5(data).hexdigest()
    assert "watermark" not in line["url"]
    assert "\r" not in run.stderr and "%" not in run.stderr  # no bar when stderr is a pipe


def test_a_link_and_watermark(tmp_path: Path) -> None:
    link = f"https://www.tiktok.com/@sandbox.star/video/{POST}?lang=en"
    run = run_cli("--sandbox", "download", link, "--watermark", "-o", str(tmp_path))
    assert run.returncode == 0, run.stderr
    [line] = run.lines()
    assert "watermark" in line["url"]
    assert Path(line["path"]).name == f"{POST}.mp4"


def test_a_post_that_cannot_be_downloaded_is_one_error_line(tmp_path: Path) -> None:
    from tiktok.sandbox import DELETED_POST_ID, MISSING_POST_ID

    deleted = run_cli("--sandbox", "download", DELETED_POST_ID, "-o", str(tmp_path))
    missing = run_cli("--sandbox", "download", MISSING_POST_ID, "-o", str(tmp_path))
    assert deleted.returncode == missing.returncode == 1
    assert "deleted" in deleted.error_line()
    assert "aweme_detail" in missing.error_line()
    assert os.listdir(tmp_path) == []
    bad = run_cli("--sandbox", "download", "not-an-id")
    assert bad.returncode == 2


def test_a_terminal_gets_a_progress_bar(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tiktok", "--sandbox", "download", POST, "-o", str(tmp_path)],
            stdout=subprocess.PIPE,
            stderr=follower,
            env=clean_env(),
            cwd=REPO,
            timeout=TIMEOUT,
        )
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: everything was read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
    assert done.returncode == 0
    assert b"100%" in shown and b"\r[" in shown
    assert json.loads(done.stdout)["path"] == str(tmp_path / f"{POST}.mp4")


def test_the_bar_redraws_at_most_ten_times_a_second_and_always_at_the_end() -> None:
    now = [0.0]
    out = io.StringIO()
    bar = ProgressBar(out, width=10, clock=lambda: now[0])
    for done in range(0, 1000, 10):
        bar(done, 1000)
        now[0] += 0.01
    bar(1000, 1000)
    bar.finish()
    frames = out.getvalue().split("\r")[1:]
    assert 10 <= len(frames) <= 12
    assert frames[-1] == "[##########] 100%  0.0 of 0.0 MB\n"
    unknown = io.StringIO()
    ProgressBar(unknown, clock=lambda: 0.0)(2_500_000, None)
    assert unknown.getvalue() == "\r2.5 MB"


def test_output_may_be_a_file_path_and_an_existing_file_is_refused(tmp_path: Path) -> None:
    # Issue 22: `-o videos/new.mp4` made a directory named new.mp4, and an existing file
    # failed with "unexpected FileExistsError".
    target = tmp_path / "videos" / "new.mp4"
    run = run_cli("--sandbox", "download", POST, "-o", str(target))
    assert run.returncode == 0, run.stderr
    assert target.is_file() and json.loads(run.stdout)["path"] == str(target)
    data = target.read_bytes()

    target.write_bytes(b"mine")
    again = run_cli("--sandbox", "download", POST, "-o", str(target))
    assert again.returncode == 2 and again.stdout == ""
    assert f"{target} exists: give --overwrite to replace it" in again.error_line()
    assert target.read_bytes() == b"mine"

    replaced = run_cli("--sandbox", "download", POST, "-o", str(target), "--overwrite")
    assert replaced.returncode == 0, replaced.stderr
    assert target.read_bytes() == data


def test_output_directories_new_or_existing(tmp_path: Path) -> None:
    # A new name with no suffix, or ending in "/", is a directory: {aweme_id}.mp4 inside.
    for output in (tmp_path / "new", f"{tmp_path / 'slash.mp4'}/"):
        run = run_cli("--sandbox", "download", POST, "-o", str(output))
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout)["path"] == str(Path(output) / f"{POST}.mp4")
    existing = run_cli("--sandbox", "download", POST, "-o", str(tmp_path / "new"))
    assert existing.returncode == 2
    assert "exists: give --overwrite" in existing.error_line()
