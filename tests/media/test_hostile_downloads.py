"""Downloads against hostile answers and hosts (issue 22), over real sockets on 127.0.0.1.

What an answer names (ids, urls) and what a media host sends (redirects,
cookies, a body a byte at a time) must not write outside the directory asked
for, reach another host, leak into the API's requests or outlast the deadline.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tiktok
from tiktok._converter import structure
from tiktok.models import UrlList

from ..reliability._scripted import Hostile, ScriptServer, Step, drip, make_client, ok

DATA = bytes(range(256)) * 40  # 10,240 bytes
MD5 = hashlib.md5(DATA).hexdigest()
USER = {"status_code": 0, "user": {"uid": "42", "nickname": "someone"}}


@pytest.fixture
def server() -> Iterator[ScriptServer]:
    with ScriptServer() as scripted:
        yield scripted


def post_with(aweme_id: Any, url: str) -> tiktok.Post:
    video = {"play_addr": {"uri": "v0900", "url_list": [url], "data_size": len(DATA)}}
    return structure({"aweme_id": aweme_id, "video": video}, tiktok.Post)


def tree(root: Path) -> Dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


# -- 1. names from the answer never leave the directory ----------------------------------


HOSTILE_IDS = [
    "../victim/owned",
    "../../victim/owned",
    "/absolute/owned",
    "..",
    "a/../../victim/owned",
    "owned\x00.mp4",
    "9" * 300,
    "..\\victim\\owned",
]


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_an_id_that_is_not_plain_never_names_a_file_and_is_a_download_error(
    server: ScriptServer, tmp_path: Path, hostile: str
) -> None:
    server.script(ok(DATA))
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "owned.mp4").write_bytes(b"precious")
    before = tree(tmp_path)
    client = make_client(server.url)
    hostile = hostile.replace("/absolute", str(victim))
    for target in (
        post_with(hostile, server.url + "v.mp4"),
        tiktok.Music(id=hostile, play_url=UrlList(url_list=[server.url + "m.mp3"])),
    ):
        with pytest.raises(tiktok.DownloadError, match="cannot name a file"):
            client.media.download(target, downloads)
    assert tree(tmp_path) == before
    assert server.hits == []  # refused before anything was asked


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        st.sampled_from("./\\\x00:~-_aZ09 é") | st.characters(codec="utf-8"),
        min_size=1,
        max_size=80,
    )
    | st.sampled_from(HOSTILE_IDS)
    | st.integers(1, 10**300).map(str)
)
def test_whatever_the_id_the_file_lands_in_the_directory_or_nowhere(hostile: str) -> None:
    # responses, not a socket: the sweep is about names; each example is quick.
    import tempfile

    with (
        tempfile.TemporaryDirectory() as scratch,
        responses.RequestsMock(assert_all_requests_are_fired=False) as rsps,
    ):
        root = Path(scratch)
        downloads = root / "downloads" / "here"
        downloads.mkdir(parents=True)
        (root / "downloads" / "sibling.mp4").write_bytes(b"precious")
        rsps.get("https://v16.tiktokcdn.com/v.mp4", body=DATA)
        client = make_client("http://127.0.0.1:9/")
        try:
            saved = client.media.download(
                post_with(hostile, "https://v16.tiktokcdn.com/v.mp4"), downloads
            )
        except tiktok.DownloadError:
            assert os.listdir(downloads) == []
        else:
            assert saved.path is not None
            assert Path(saved.path).parent == downloads
            assert os.listdir(downloads) == [f"{hostile}.mp4"]
        assert (root / "downloads" / "sibling.mp4").read_bytes() == b"precious"
        assert sorted(p.name for p in root.rglob("*")) == sorted(
            ["downloads", "here", "sibling.mp4", *os.listdir(downloads)]
        )


def test_a_destination_that_cannot_be_written_is_a_download_error(
    server: ScriptServer, tmp_path: Path
) -> None:
    server.script(ok(DATA))
    client = make_client(server.url)
    with pytest.raises(tiktok.DownloadError, match="cannot write"):
        client.media.download(post_with("1", server.url + "v"), tmp_path / "missing" / "v.mp4")
    with pytest.raises(tiktok.DownloadError, match="names no file"):
        client.media.download(UrlList(url_list=[server.url + "v"]), tmp_path)


# -- 2. the whole download within the deadline -------------------------------------------


DRIP_BYTES, DRIP_GAP = 200, 0.05  # the whole body would take 10 s


def test_a_body_dripping_a_byte_at_a_time_ends_at_the_clients_deadline(tmp_path: Path) -> None:
    sent: List[int] = []
    with Hostile(drip(b"x" * DRIP_BYTES, DRIP_GAP, sent)) as slow:
        client = make_client(slow.url, retries=3, timeout=5.0, deadline=1.0)
        started = time.monotonic()
        with pytest.raises(tiktok.DownloadError, match="deadline of 1s") as caught:
            client.media.download(UrlList(uri="v", url_list=[slow.url + "v"]), tmp_path)
        elapsed = time.monotonic() - started
        assert not slow.finished.is_set() and 0 < len(sent) < DRIP_BYTES
    # A ratio against the drip's own length, not a bare number: a quarter of it at most.
    assert elapsed < DRIP_BYTES * DRIP_GAP / 4
    assert "could not download UrlList" in str(caught.value)
    assert os.listdir(tmp_path) == []


def test_a_photo_posts_files_share_one_deadline(tmp_path: Path) -> None:
    # Five images, each taking 0.6 s: each alone fits the 1 s deadline, all five (3 s)
    # do not. Each file given a deadline of its own, the folder would be saved.
    each, gap, images = 12, 0.05, 5
    with Hostile(drip(b"x" * each, gap)) as slow:
        listed = [{"display_image": {"url_list": [f"{slow.url}{n}.jpeg"]}} for n in range(images)]
        post = structure(
            {"aweme_id": "7", "aweme_type": 150, "image_post_info": {"images": listed}},
            tiktok.Post,
        )
        client = make_client(slow.url, retries=0, timeout=5.0, deadline=1.0)
        started = time.monotonic()
        with pytest.raises(tiktok.DownloadError, match="deadline of 1s"):
            client.media.download(post, tmp_path)
        elapsed = time.monotonic() - started
        hits = slow.hits
    assert hits < images
    assert elapsed < images * each * gap / 2  # a ratio against the whole folder's time
    assert os.listdir(tmp_path) == []


# -- 4. redirects stay on media hosts; media cookies stay out of the API ------------------


def test_a_redirect_to_another_host_is_not_followed(server: ScriptServer, tmp_path: Path) -> None:
    with ScriptServer() as internal:  # "an internal address": another origin on this machine
        internal.script(ok(b"<html>admin console</html>"))
        server.script(Step(302, headers={"Location": internal.url + "admin"}))
        client = make_client(server.url)
        with pytest.raises(tiktok.DownloadError, match="neither a media host"):
            client.media.download(UrlList(url_list=[server.url + "v.mp4"]), tmp_path / "v.mp4")
        assert internal.hits == []
        assert os.listdir(tmp_path) == []


def test_a_redirect_on_the_same_origin_is_followed(server: ScriptServer, tmp_path: Path) -> None:
    server.script(Step(302, headers={"Location": "/elsewhere/v.mp4"}), ok(DATA))
    client = make_client(server.url)
    saved = client.media.download(UrlList(url_list=[server.url + "v.mp4"]), tmp_path / "v.mp4")
    assert saved.md5 == MD5 and [hit.path for hit in server.hits] == ["/v.mp4", "/elsewhere/v.mp4"]


@pytest.mark.parametrize(
    ("location", "followed"),
    [
        ("https://v16m.tiktokcdn.com/tos/v.mp4", True),
        ("https://v19.tiktokcdn-us.com/tos/v.mp4", True),
        ("https://tiktokcdn.com/v.mp4", True),
        ("http://10.0.0.1/latest/meta-data/", False),
        ("http://169.254.169.254/latest/meta-data/", False),
        ("https://v16m.tiktokcdn.com:8443/v.mp4", False),
        ("https://tiktokcdn.com.evil.test/v.mp4", False),
        ("https://eviltiktokcdn.com/v.mp4", False),
        # urlsplit reads the host after "@"; requests connects to the one before "\\".
        ("https://evil.test\\@v16m.tiktokcdn.com/v.mp4", False),
        ("ftp://v16m.tiktokcdn.com/v.mp4", False),
    ],
)
def test_which_redirects_a_media_host_may_make(
    tmp_path: Path, location: str, followed: bool
) -> None:
    start = "https://v16.cdn.test/v.mp4"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(start, status=302, headers={"Location": location})
        rsps.get(location, body=DATA)
        rsps.get("https://evil.test/%5C@v16m.tiktokcdn.com/v.mp4", body=b"evil")
        client = make_client("http://127.0.0.1:9/")
        if followed:
            assert client.media.download(UrlList(url_list=[start]), tmp_path / "v").md5 == MD5
        else:
            with pytest.raises(tiktok.DownloadError, match="neither a media host"):
                client.media.download(UrlList(url_list=[start]), tmp_path / "v")
            assert len(rsps.calls) == 1


def test_a_media_hosts_cookies_never_reach_the_api(server: ScriptServer, tmp_path: Path) -> None:
    cookie = "sessionid=planted; Path=/; Max-Age=3600"
    server.script(ok(DATA, **{"Set-Cookie": cookie}), ok(USER))
    client = make_client(server.url)  # the API and the media host share the origin here
    client.credentials.token = "the-token"  # a token-only client
    client.media.download(UrlList(url_list=[server.url + "media/v.mp4"]), tmp_path / "v.mp4")
    client.users.get("42")
    api = server.hits[1]
    assert api.path.endswith("aweme/v1/user/")
    assert "planted" not in api.headers.get("Cookie", "")
    assert list(client.session.cookies) == [] and list(client.credentials.cookies) == []


# -- 3. over a socket: a resume names the file it continues ----------------------------


def test_a_resume_over_a_socket_sends_if_range_with_the_first_answers_etag(
    server: ScriptServer, tmp_path: Path
) -> None:
    etag = '"file-1"'
    rest = {"Content-Range": f"bytes {len(DATA) // 2}-{len(DATA) - 1}/{len(DATA)}", "ETag": etag}
    server.script(
        Step(200, DATA, {"ETag": etag}, action="cut"),
        Step(206, DATA[len(DATA) // 2 :], rest),
    )
    client = make_client(server.url, retries=1)
    saved = client.media.download(UrlList(url_list=[server.url + "v"]), tmp_path / "v")
    assert saved.md5 == MD5
    assert server.hits[1].headers["If-Range"] == etag
    assert server.hits[1].headers["Range"] == f"bytes={len(DATA) // 2}-"
