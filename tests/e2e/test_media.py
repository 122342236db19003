"""client.media.download end to end against the sandbox's media host: resume, checks, placement."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tracemalloc
from pathlib import Path
from typing import Any, Dict, Iterator, List

import attrs
import pytest
import requests

import tiktok
from tiktok._media import choose_address
from tiktok.sandbox import (
    BIG_USER_ID,
    PHOTO_POST_ID,
    SANDBOX_EMAIL,
    SANDBOX_PASSWORD,
    Fault,
    Sandbox,
)


@pytest.fixture
def sandbox(signing: str) -> Iterator[Sandbox]:
    """A sandbox of the test's own: injected faults never reach another test."""
    with Sandbox(seed=0, signing=signing) as sb:
        yield sb


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[tiktok.Client]:
    with sandbox.client(backoff=0.0) as c:
        yield c


def first_post(client: tiktok.Client, index: int = 0) -> tiktok.Post:
    return list(client.users.posts(BIG_USER_ID, limit=index + 1))[index]


def media_requests(sandbox: Sandbox) -> List[Dict[str, Any]]:
    """Record the method, path and headers of every media request the sandbox gets."""
    seen: List[Dict[str, Any]] = []
    dispatcher = sandbox._dispatcher
    original = dispatcher._media

    def recording(number: int, request: Any, path: str) -> Any:
        seen.append({"path": path, "headers": dict(request.headers), "target": request.target})
        return original(number, request, path)

    dispatcher._media = recording  # type: ignore[method-assign]
    return seen


def test_the_addresses_point_at_the_sandbox_and_carry_size_and_md5(
    sandbox: Sandbox, client: tiktok.Client
) -> None:
    post = first_post(client)
    address, name = choose_address(post)
    assert name == f"{post.aweme_id}.mp4"
    assert address.url_list and all(
        url.startswith(sandbox.url + "media/") for url in address.url_list
    )
    whole = requests.get(address.url_list[0], timeout=10).content
    assert len(whole) == address.data_size
    assert hashlib.md5(whole).hexdigest() == address.file_hash


def test_a_download_resumed_across_a_cut_transfer_has_the_right_bytes(
    sandbox: Sandbox, client: tiktok.Client, tmp_path: Path
) -> None:
    post = first_post(client)
    address, _ = choose_address(post)
    seen = media_requests(sandbox)
    sandbox.inject(Fault.CUT_TRANSFER)
    progress: List[int] = []
    result = client.media.download(
        post, tmp_path, progress=lambda done, total: progress.append(done)
    )
    written = Path(result.path or "").read_bytes()
    assert sandbox.stats["faults"]["cut_transfer"] == 1
    # Two requests: the cut one, then the rest from where it stopped.
    assert len(seen) == 2
    assert "range" not in seen[0]["headers"]
    resumed_from = int(seen[1]["headers"]["range"][len("bytes=") : -1])
    assert 0 < resumed_from < len(written)
    # The rest of the same file only: the first answer's ETag goes along as If-Range.
    assert seen[1]["headers"]["if-range"] == requests.get(result.url, timeout=10).headers["ETag"]
    assert progress[-1] == len(written) and min(progress) > 0  # resumed, never restarted
    assert len(written) == address.data_size == result.size
    assert hashlib.md5(written).hexdigest() == address.file_hash == result.md5
    uncut = requests.get(result.url, timeout=10).content
    assert written == uncut


def test_a_server_that_ignores_the_range_gets_the_transfer_restarted(
    sandbox: Sandbox, client: tiktok.Client, tmp_path: Path
) -> None:
    post = first_post(client)
    address, _ = choose_address(post)
    sandbox.inject(Fault.CUT_TRANSFER)
    sandbox.inject(Fault.IGNORE_RANGE)
    progress: List[int] = []
    result = client.media.download(
        post, tmp_path / "v.mp4", progress=lambda done, total: progress.append(done)
    )
    assert sandbox.stats["faults"]["ignore_range"] == 1
    assert any(b < a for a, b in zip(progress, progress[1:]))  # it started over
    assert hashlib.md5((tmp_path / "v.mp4").read_bytes()).hexdigest() == address.file_hash
    assert result.size == address.data_size


@pytest.mark.parametrize("change", ["data_size", "file_hash"])
def test_a_size_or_hash_mismatch_is_a_download_error_leaving_nothing(
    client: tiktok.Client, tmp_path: Path, change: str
) -> None:
    address, _ = choose_address(first_post(client))
    assert address.data_size is not None and address.file_hash is not None
    wrong = (
        attrs.evolve(address, data_size=address.data_size + 1)
        if change == "data_size"
        else attrs.evolve(address, file_hash="0" * 32)
    )
    with pytest.raises(tiktok.DownloadError):
        client.media.download(wrong, tmp_path / "v.mp4")
    assert os.listdir(tmp_path) == []


def test_a_file_object_and_a_directory_get_the_same_bytes(
    client: tiktok.Client, tmp_path: Path
) -> None:
    post = first_post(client, 1)
    sink = io.BytesIO()
    into_object = client.media.download(post, sink)
    into_directory = client.media.download(post, tmp_path)
    assert into_object.path is None
    assert into_directory.path == str(tmp_path / f"{post.aweme_id}.mp4")
    assert Path(into_directory.path).read_bytes() == sink.getvalue()
    assert into_object.md5 == into_directory.md5 == hashlib.md5(sink.getvalue()).hexdigest()


def heap_peak_of(download: Any) -> int:
    """The Python heap's peak (bytes) during ``download()``, above its level before."""
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        download()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before


def test_memory_stays_flat_whatever_the_file_size(client: tiktok.Client, tmp_path: Path) -> None:
    posts = list(client.users.posts(BIG_USER_ID, limit=20))
    by_size = sorted((choose_address(post)[0] for post in posts), key=lambda a: a.data_size or 0)
    small, large = by_size[0], by_size[-1]
    assert small.data_size is not None and large.data_size is not None
    assert large.data_size > 2 * small.data_size + 1_000_000
    client.media.download(small, tmp_path / "warm-up")  # the connection, first-use caches
    small_peak = heap_peak_of(lambda: client.media.download(small, tmp_path / "small"))
    large_peak = heap_peak_of(lambda: client.media.download(large, tmp_path / "large"))
    # Streamed, a download holds a few chunks whatever the size; a body read whole
    # would cost its own size (the sandbox's threads share this heap: a margin for them).
    assert large_peak < large.data_size / 3
    assert large_peak - small_peak < (large.data_size - small.data_size) / 3
    assert (tmp_path / "large").stat().st_size == large.data_size


def test_watermark_and_sound_are_other_files(client: tiktok.Client, tmp_path: Path) -> None:
    post = first_post(client)
    plain = client.media.download(post, io.BytesIO())
    marked = client.media.download(post, io.BytesIO(), watermark=True)
    assert post.music is not None
    sound = client.media.download(post.music, tmp_path)
    assert "watermark" in marked.url and "watermark" not in plain.url
    assert marked.md5 != plain.md5
    assert sound.path == str(tmp_path / f"{post.music.id}.mp3")
    assert Path(sound.path).read_bytes()[:3] == b"ID3"


def test_the_media_host_gets_the_user_agent_and_no_credential(
    sandbox: Sandbox, client: tiktok.Client
) -> None:
    # The sandbox serves media on the API's own host and port: a cookie jar or a
    # session-wide header would carry the session there if anything leaked.
    client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
    assert client.logged_in
    seen = media_requests(sandbox)
    post = first_post(client)
    client.media.download(post, io.BytesIO())
    assert seen
    for request in seen:
        headers = request["headers"]
        assert headers["user-agent"] == client.device.user_agent()
        assert "cookie" not in headers and "x-tt-token" not in headers
        # Nor a signature of either generation (docs/protocol.rst (Request signing)).
        assert not {"x-gorgon", "x-khronos", "x-ss-stub"} & set(headers)
        assert not any(name in request["target"] for name in ("as=", "mas=", "device_id="))


def test_downloads_under_random_media_faults_all_check_out(signing: str) -> None:
    with Sandbox(seed=3, fault_rate=0.5, signing=signing) as flaky:
        flaky.faults_enabled = False
        client = flaky.client(backoff=0.0, retries=6)
        posts = list(client.users.posts(BIG_USER_ID, limit=6))
        flaky.faults_enabled = True
        for post in posts:
            result = client.media.download(post, io.BytesIO())
            assert result.md5 == choose_address(post)[0].file_hash
        assert sum(flaky.stats["faults"].values()) > 0


# -- photo posts (docs/downloads.rst (Photo posts)) ------------------------------------------


def test_a_photo_post_is_a_folder_of_its_images_in_order_the_sound_and_a_manifest(
    sandbox: Sandbox, client: tiktok.Client, tmp_path: Path
) -> None:
    post = client.posts.get(PHOTO_POST_ID)
    assert post.is_photo and len(post.images) == 30
    with pytest.raises(tiktok.DownloadError, match="photo post: it has images, not formats"):
        client.media.formats(post)
    before = sandbox.stats
    with sandbox.client() as fresh:  # no connection of its own yet
        result = fresh.media.download(post, tmp_path)
    after = sandbox.stats
    # 31 files (30 images and the sound) over one kept-alive connection to the host.
    assert after["requests"] - before["requests"] == 31
    assert after["connections"] - before["connections"] == 1
    folder = tmp_path / PHOTO_POST_ID
    assert result.path == str(folder) and os.listdir(tmp_path) == [PHOTO_POST_ID]
    names = sorted(os.listdir(folder))
    assert names == [f"{n:02d}.jpeg" for n in range(1, 31)] + ["manifest.json", "sound.mp3"]
    manifest = json.loads((folder / "manifest.json").read_bytes())
    assert result.md5 == hashlib.md5((folder / "manifest.json").read_bytes()).hexdigest()
    assert manifest["aweme_id"] == PHOTO_POST_ID and manifest["aweme_type"] == 150
    for number, (entry, image) in enumerate(zip(manifest["images"], post.images), 1):
        assert image.display_image is not None and image.display_image.url_list
        served = requests.get(image.display_image.url_list[0], timeout=10).content
        data = (folder / entry["file"]).read_bytes()
        assert entry["index"] == number and data == served  # every image, in the post's order
        assert entry["size"] == len(data) and entry["md5"] == hashlib.md5(data).hexdigest()
        assert (entry["width"], entry["height"]) == (
            image.display_image.width,
            image.display_image.height,
        )
    sound = (folder / "sound.mp3").read_bytes()
    assert post.music is not None and manifest["sound"]["music_id"] == post.music.id
    assert sound[:3] == b"ID3" and manifest["sound"]["md5"] == hashlib.md5(sound).hexdigest()
    assert [Path(f.path or "").name for f in result.files] == [*names[:30], "sound.mp3"]
    assert result.size == sum(f.size for f in result.files)


def test_a_photo_post_that_fails_midway_leaves_nothing_at_the_final_name(
    sandbox: Sandbox, client: tiktok.Client, tmp_path: Path
) -> None:
    post = client.posts.get(PHOTO_POST_ID)
    (tmp_path / PHOTO_POST_ID).mkdir()
    (tmp_path / PHOTO_POST_ID / "mine.txt").write_text("an earlier download")
    image = post.images[4].display_image
    assert image is not None
    image.url_list = [sandbox.url + f"media/image/{PHOTO_POST_ID}/99.jpeg"]  # 404
    with pytest.raises(tiktok.DownloadError, match="HTTP 404"):
        client.media.download(post, tmp_path)
    # The earlier folder is untouched, and no half-made one is left beside it.
    assert os.listdir(tmp_path) == [PHOTO_POST_ID]
    assert os.listdir(tmp_path / PHOTO_POST_ID) == ["mine.txt"]
    with pytest.raises(TypeError, match="folder"):
        client.media.download(post, io.BytesIO())


def test_a_photo_post_replaces_its_earlier_folder_whole(
    client: tiktok.Client, tmp_path: Path
) -> None:
    post = client.posts.get(PHOTO_POST_ID)
    post.image_post_info.images = post.images[:2]  # type: ignore[union-attr]
    (tmp_path / PHOTO_POST_ID).mkdir()
    (tmp_path / PHOTO_POST_ID / "stale.jpeg").write_bytes(b"old")
    result = client.media.download(post, tmp_path, watermark=True)
    assert sorted(os.listdir(tmp_path / PHOTO_POST_ID)) == [
        "01.jpeg", "02.jpeg", "manifest.json", "sound.mp3"
    ]  # fmt: skip
    assert "watermark=1" in result.files[0].url
    assert os.listdir(tmp_path) == [PHOTO_POST_ID]
