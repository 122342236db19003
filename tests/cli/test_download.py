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


# -- photo posts, formats, captions (issue 20) -------------------------------------------


def test_a_photo_post_becomes_a_folder_and_an_existing_one_needs_overwrite(tmp_path: Path) -> None:
    from tiktok.sandbox import PHOTO_POST_ID

    run = run_cli("--sandbox", "download", PHOTO_POST_ID, "-o", str(tmp_path))
    assert run.returncode == 0, run.stderr
    [line] = run.lines()
    folder = tmp_path / PHOTO_POST_ID
    assert line["path"] == str(folder) and len(line["files"]) == 31
    assert sorted(os.listdir(folder))[-2:] == ["manifest.json", "sound.mp3"]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert [entry["index"] for entry in manifest["images"]] == list(range(1, 31))
    again = run_cli("--sandbox", "download", PHOTO_POST_ID, "-o", str(tmp_path))
    assert again.returncode == 2 and "exists: give --overwrite" in again.error_line()
    as_file = run_cli("--sandbox", "download", PHOTO_POST_ID, "-o", str(tmp_path / "x.mp4"))
    assert as_file.returncode == 2 and "-o must be a directory" in as_file.error_line()


def test_list_formats_prints_the_ranked_formats_and_downloads_nothing(tmp_path: Path) -> None:
    run = run_cli("--sandbox", "download", POST, "--list-formats", "-o", str(tmp_path))
    assert run.returncode == 0, run.stderr
    lines = run.lines()
    assert [(f["source"], f["codec"], f["height"]) for f in lines][:3] == [
        ("bit_rate[1]", "h264", 720),
        ("bit_rate[2]", "h264", 540),
        ("play_addr", "h264", 540),  # play_addr_h264 is bit_rate[2]'s address: listed once
    ]
    assert all(f["direct"] and f["urls"] for f in lines)
    assert os.listdir(tmp_path) == []
    h265 = run_cli("--sandbox", "download", POST, "--codec", "h265", "-o", str(tmp_path))
    assert h265.returncode == 0, h265.stderr
    assert "h265_720" in json.loads(h265.stdout)["url"]


def test_captions_by_language_as_srt_or_vtt_and_listed() -> None:
    from tiktok.sandbox import CAPTIONED_POST_ID

    listed = run_cli("--sandbox", "captions", CAPTIONED_POST_ID, "--list")
    assert listed.returncode == 0, listed.stderr
    assert [(c["language"], c["source"]) for c in listed.lines()] == [
        ("en-US", "cla_info"),
        ("en-US", "auto_captions"),
        ("es-ES", "auto_captions"),
    ]
    srt = run_cli("--sandbox", "captions", CAPTIONED_POST_ID, "--lang", "en", "--format", "srt")
    assert srt.returncode == 0, srt.stderr
    assert srt.stdout.startswith("1\n00:00:00,000 --> 00:00:02,500\n[eng-US] ")
    vtt = run_cli("--sandbox", "captions", CAPTIONED_POST_ID, "--lang", "spa-ES", "--format", "vtt")
    assert vtt.stdout.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:02.500\n[spa-ES] ")
    none = run_cli("--sandbox", "captions", CAPTIONED_POST_ID, "--lang", "fr")
    assert (
        none.returncode == 2 and "no captions in fr (there are: en-US, es-ES)" in none.error_line()
    )


def test_an_answer_naming_a_file_outside_the_directory_writes_inside_it(tmp_path: Path) -> None:
    # A hostile API answers the post with an aweme_id that is a path: the file
    # is named after the post asked for, inside -o; a file outside stays as it was.
    from tiktok.sandbox import sandbox_device

    from ..reliability._scripted import ScriptServer, ok

    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "owned.mp4").write_bytes(b"precious")
    server = ScriptServer()
    try:
        video = {"play_addr": {"uri": "v", "url_list": [server.url + "media/v.mp4"]}}
        detail = {"aweme_id": "../victim/owned", "video": video}
        server.script(ok({"status_code": 0, "aweme_detail": detail}), ok(b"hostile bytes"))
        device = sandbox_device()
        env = clean_env(
            TIKTOK_BASE_URL=server.url,
            TIKTOK_DEVICE_ID=device.device_id,
            TIKTOK_IID=device.iid,
            TIKTOK_OPENUDID=device.openudid,
            TIKTOK_FP=device.fp,
            TIKTOK_SIGNER="tiktok.sandbox:SandboxSigner",
        )
        run = run_cli("download", POST, "-o", str(tmp_path / "videos"), env=env)
    finally:
        server.close()
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["path"] == str(tmp_path / "videos" / f"{POST}.mp4")
    assert os.listdir(tmp_path / "videos") == [f"{POST}.mp4"]
    assert (victim / "owned.mp4").read_bytes() == b"precious"
    assert sorted(os.listdir(tmp_path)) == ["victim", "videos"]
