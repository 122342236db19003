"""client.media.download on the wire, with ``responses``: addresses, urls, checks, placement."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
import requests
import responses
from urllib3.exceptions import ProtocolError

import tiktok
from tiktok._converter import structure
from tiktok._media import choose_address
from tiktok.models import BitRate, UrlList

from ..conftest import BASE_URL, make_device

CDN = "https://v16.cdn.test/"
DATA = bytes(range(256)) * 1000  # 256,000 bytes
MD5 = hashlib.md5(DATA).hexdigest()


@pytest.fixture
def waits() -> List[float]:
    """The waits the client asked for between retries: recorded, not slept."""
    return []


@pytest.fixture
def client(waits: List[float]) -> Iterator[tiktok.Client]:
    clock = tiktok.Clock(sleep=waits.append)
    with tiktok.Client(
        make_device(), lambda u, t, d: u, base_url=BASE_URL, retries=2, backoff=0, clock=clock
    ) as c:
        yield c


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def address(*urls: str, size: Optional[int] = len(DATA), md5: Optional[str] = MD5) -> UrlList:
    return UrlList(uri="tos/v0900abc", url_list=list(urls), data_size=size, file_hash=md5)


def post(video: Dict[str, Any]) -> tiktok.Post:
    return structure({"aweme_id": "6900000000000000123", "video": video}, tiktok.Post)


def addr(name: str) -> Dict[str, Any]:
    return {"uri": name, "url_list": [CDN + name]}


def listing(directory: Path) -> List[str]:
    return sorted(os.listdir(directory))


# -- which address ---------------------------------------------------------------------


def _video(**fields: Any) -> tiktok.Video:
    return tiktok.Video(**fields)


def test_the_best_h264_encoding_comes_before_a_better_h265_one() -> None:
    video = _video(
        bit_rate=[
            BitRate(bit_rate=3_000_000, is_bytevc1=1, play_addr=address(CDN + "h265")),
            BitRate(bit_rate=900_000, is_h265=0, play_addr=address(CDN + "h264-low")),
            BitRate(bit_rate=1_500_000, play_addr=address(CDN + "h264-high")),
        ],
        play_addr_h264=address(CDN + "h264"),
        play_addr=address(CDN + "play"),
        download_addr=address(CDN + "wm"),
    )
    assert choose_address(video)[0].url_list == [CDN + "h264-high"]
    assert choose_address(video, watermark=True)[0].url_list == [CDN + "wm"]


def test_h265_is_taken_when_it_is_the_only_encoding() -> None:
    video = _video(bit_rate=[BitRate(bit_rate=1, is_h265=1, play_addr=address(CDN + "h265"))])
    assert choose_address(video)[0].url_list == [CDN + "h265"]


def test_then_play_addr_h264_then_play_addr() -> None:
    both = _video(play_addr_h264=address(CDN + "h264"), play_addr=address(CDN + "play"))
    assert choose_address(both)[0].url_list == [CDN + "h264"]
    empty_encoding = _video(
        bit_rate=[BitRate(bit_rate=9, play_addr=UrlList(url_list=[]))], play_addr=address(CDN + "p")
    )
    assert choose_address(empty_encoding)[0].url_list == [CDN + "p"]


def test_a_video_without_the_address_asked_for_is_a_download_error() -> None:
    with pytest.raises(tiktok.DownloadError, match="watermark"):
        choose_address(_video(play_addr=address(CDN + "p")), watermark=True)
    with pytest.raises(tiktok.DownloadError):
        choose_address(_video())


def test_names_in_a_directory() -> None:
    assert choose_address(post({"play_addr": addr("x")}))[1] == "6900000000000000123.mp4"
    music = tiktok.Music(id="6600000000000000042", play_url=address(CDN + "m"))
    assert choose_address(music)[1] == "6600000000000000042.mp3"
    assert choose_address(address(CDN + "a"))[1] == "v0900abc"


def test_a_target_of_another_type_is_a_type_error(client: tiktok.Client, tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="Post, Video, Music or UrlList"):
        client.media.download("https://v16.cdn.test/x", tmp_path / "x")  # type: ignore[arg-type]


# -- urls, checks, placement -----------------------------------------------------------


def test_a_path_gets_the_bytes_and_the_download_says_what_was_written(
    client: tiktok.Client, rsps: responses.RequestsMock, tmp_path: Path
) -> None:
    rsps.get(CDN + "a", body=DATA)
    seen: List[Tuple[int, Optional[int]]] = []
    result = client.media.download(
        address(CDN + "a"), tmp_path / "v.mp4", progress=lambda d, t: seen.append((d, t))
    )
    assert (tmp_path / "v.mp4").read_bytes() == DATA
    assert result == tiktok.Download(str(tmp_path / "v.mp4"), len(DATA), MD5, CDN + "a")
    assert seen[-1] == (len(DATA), len(DATA))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert listing(tmp_path) == ["v.mp4"]  # no temporary file left


def test_a_directory_gets_the_file_named_after_the_post(
    client: tiktok.Client, rsps: responses.RequestsMock, tmp_path: Path
) -> None:
    rsps.get(CDN + "x", body=DATA)
    result = client.media.download(post({"play_addr": addr("x")}), tmp_path)
    assert result.path == str(tmp_path / "6900000000000000123.mp4")
    assert Path(result.path).read_bytes() == DATA


def test_a_file_object_gets_the_bytes_after_what_it_holds(
    client: tiktok.Client, rsps: responses.RequestsMock
) -> None:
    rsps.get(CDN + "a", body=DATA)
    sink = io.BytesIO(b"header:")
    sink.seek(0, io.SEEK_END)
    result = client.media.download(address(CDN + "a"), sink)
    assert sink.getvalue() == b"header:" + DATA
    assert (result.path, result.size, result.md5) == (None, len(DATA), MD5)


def test_every_url_is_tried_in_order(
    client: tiktok.Client, rsps: responses.RequestsMock, tmp_path: Path
) -> None:
    rsps.get(CDN + "gone", status=403)
    rsps.get(CDN + "corrupt", body=DATA[:-1] + b"x")
    rsps.get(CDN + "good", body=DATA)
    result = client.media.download(
        address(CDN + "gone", CDN + "corrupt", CDN + "good"), tmp_path / "v.mp4"
    )
    assert [call.request.url for call in rsps.calls] == [
        CDN + "gone",
        CDN + "corrupt",
        CDN + "good",
    ]
    assert result.url == CDN + "good"
    assert (tmp_path / "v.mp4").read_bytes() == DATA


@pytest.mark.parametrize(
    ("body", "size", "md5", "reason"),
    [
        (DATA[:-10], len(DATA), None, "address says"),  # size mismatch
        (DATA[:-1] + b"x", None, MD5, "MD5"),  # hash mismatch
        (DATA[:-1] + b"x", len(DATA), MD5, "MD5"),  # right size, wrong bytes
    ],
)
def test_a_mismatch_is_a_download_error_and_leaves_nothing(
    client: tiktok.Client,
    rsps: responses.RequestsMock,
    tmp_path: Path,
    body: bytes,
    size: Optional[int],
    md5: Optional[str],
    reason: str,
) -> None:
    rsps.get(CDN + "a", body=body)
    with pytest.raises(tiktok.DownloadError, match=reason):
        client.media.download(address(CDN + "a", size=size, md5=md5), tmp_path / "v.mp4")
    assert listing(tmp_path) == []


def test_a_mismatch_leaves_a_file_object_as_it_was(
    client: tiktok.Client, rsps: responses.RequestsMock
) -> None:
    rsps.get(CDN + "a", body=DATA[:-1] + b"x")
    sink = io.BytesIO(b"kept")
    sink.seek(0, io.SEEK_END)
    with pytest.raises(tiktok.DownloadError):
        client.media.download(address(CDN + "a"), sink)
    assert sink.getvalue() == b"kept"


def test_an_existing_file_is_only_replaced_by_a_complete_download(
    client: tiktok.Client, rsps: responses.RequestsMock, tmp_path: Path
) -> None:
    (tmp_path / "v.mp4").write_bytes(b"old")
    rsps.get(CDN + "a", status=404)
    with pytest.raises(tiktok.DownloadError, match="HTTP 404"):
        client.media.download(address(CDN + "a"), tmp_path / "v.mp4")
    assert listing(tmp_path) == ["v.mp4"]
    assert (tmp_path / "v.mp4").read_bytes() == b"old"


def test_no_api_credential_and_the_client_user_agent_go_to_media_hosts(
    client: tiktok.Client, rsps: responses.RequestsMock, tmp_path: Path
) -> None:
    # Credentials as a logged-in client holds them, for every host the jar could match.
    client.session.cookies.set("sessionid", "s3cret-session")
    client.session.cookies.set("sid_tt", "s3cret-sid", domain="v16.cdn.test")
    client.session.headers["x-tt-token"] = "s3cret-token"
    client.credentials.token = "s3cret-token"
    client.credentials.cookies.set("sessionid", "s3cret-session")
    rsps.get(CDN + "hop", status=302, headers={"Location": CDN + "a"})
    rsps.get(CDN + "a", body=DATA)
    client.media.download(address(CDN + "hop"), tmp_path / "v.mp4")
    assert len(rsps.calls) == 2  # the redirect was followed
    for call in rsps.calls:
        headers = call.request.headers
        assert "Cookie" not in headers
        assert "x-tt-token" not in headers
        assert headers["User-Agent"] == client.device.user_agent()
        assert "as=" not in (call.request.url or "") and "X-Gorgon" not in headers
        assert not any("s3cret" in str(value) for value in headers.values())


class _CutBody(io.RawIOBase):
    """A response body that breaks after ``cut`` bytes, as a dropped connection does."""

    def __init__(self, data: bytes, cut: int) -> None:
        self._data = io.BytesIO(data)
        self._left = cut

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._left <= 0:
            raise ProtocolError("Connection broken: IncompleteRead")
        chunk = self._data.read(min(len(buffer), self._left))
        self._left -= len(chunk)
        buffer[: len(chunk)] = chunk
        return len(chunk)


ETAG = '"v0900abc-256000"'


def _ranged(cut: int, honour_range: bool, validator: Dict[str, str]) -> Any:
    state = {"calls": 0}

    def callback(request: requests.PreparedRequest) -> Tuple[int, Dict[str, str], Any]:
        state["calls"] += 1
        whole = {"Content-Length": str(len(DATA)), **validator}
        if state["calls"] == 1:
            return 200, whole, io.BufferedReader(_CutBody(DATA, cut))
        if not honour_range or "Range" not in request.headers:
            return 200, whole, DATA
        start = int(request.headers["Range"][len("bytes=") : -1])
        headers = {"Content-Range": f"bytes {start}-{len(DATA) - 1}/{len(DATA)}", **validator}
        return 206, headers, DATA[start:]

    return callback


VALIDATORS = [{"ETag": ETAG}, {"Last-Modified": "Tue, 01 Dec 2026 10:00:00 GMT"}]


@pytest.mark.parametrize("validator", VALIDATORS, ids=["etag", "last-modified"])
@pytest.mark.parametrize("honour_range", [True, False])
def test_a_cut_transfer_resumes_with_range_and_if_range_or_restarts_when_it_is_ignored(
    client: tiktok.Client,
    rsps: responses.RequestsMock,
    tmp_path: Path,
    honour_range: bool,
    validator: Dict[str, str],
) -> None:
    callback = _ranged(200_000, honour_range, validator)
    rsps.add_callback(responses.GET, CDN + "a", callback=callback)
    result = client.media.download(address(CDN + "a"), tmp_path / "v.mp4")
    assert (tmp_path / "v.mp4").read_bytes() == DATA
    assert result.md5 == MD5
    ranges = [call.request.headers.get("Range") for call in rsps.calls]
    assert ranges[0] is None and ranges[1] is not None and ranges[1].startswith("bytes=")
    assert int(ranges[1][len("bytes=") : -1]) > 0
    # The rest only of the same file: the validator of the first answer goes along.
    assert rsps.calls[1].request.headers["If-Range"] == next(iter(validator.values()))


def test_a_cut_transfer_without_a_validator_starts_again_and_is_never_spliced(
    client: tiktok.Client, rsps: responses.RequestsMock, tmp_path: Path
) -> None:
    # The mirror answers the rest of another file of the same size; nothing says
    # it is another (no ETag, no Last-Modified), and the address may carry no
    # file_hash to catch it afterwards (here it has none). A range would splice.
    other = bytes(reversed(DATA))
    state = {"calls": 0}

    def callback(request: requests.PreparedRequest) -> Tuple[int, Dict[str, str], Any]:
        state["calls"] += 1
        if state["calls"] == 1:
            return 200, {"Content-Length": str(len(DATA))}, io.BufferedReader(_CutBody(DATA, 1000))
        if "Range" in request.headers:
            start = int(request.headers["Range"][len("bytes=") : -1])
            headers = {"Content-Range": f"bytes {start}-{len(other) - 1}/{len(other)}"}
            return 206, headers, other[start:]
        return 200, {"Content-Length": str(len(other))}, other

    rsps.add_callback(responses.GET, CDN + "a", callback=callback)
    result = client.media.download(address(CDN + "a", md5=None), tmp_path / "v.mp4")
    assert (tmp_path / "v.mp4").read_bytes() == other  # one whole file, never a splice
    assert result.md5 == hashlib.md5(other).hexdigest()
    assert [call.request.headers.get("Range") for call in rsps.calls] == [None, None]


def test_the_rest_of_another_file_is_refused(
    client: tiktok.Client, rsps: responses.RequestsMock, tmp_path: Path
) -> None:
    # A server that ignores If-Range and sends the rest of a file whose ETag differs.
    state = {"calls": 0}

    def callback(request: requests.PreparedRequest) -> Tuple[int, Dict[str, str], Any]:
        state["calls"] += 1
        if state["calls"] == 1:
            headers = {"Content-Length": str(len(DATA)), "ETag": ETAG}
            return 200, headers, io.BufferedReader(_CutBody(DATA, 1000))
        headers = {"Content-Range": f"bytes 1000-{len(DATA) - 1}/{len(DATA)}", "ETag": '"other"'}
        return 206, headers, DATA[1000:]

    rsps.add_callback(responses.GET, CDN + "a", callback=callback)
    with pytest.raises(tiktok.DownloadError, match="another file"):
        client.media.download(address(CDN + "a", md5=None), tmp_path / "v.mp4")
    assert listing(tmp_path) == []


def test_cuts_beyond_the_retries_are_a_download_error(
    client: tiktok.Client, rsps: responses.RequestsMock, tmp_path: Path
) -> None:
    def always_cut(request: requests.PreparedRequest) -> Tuple[int, Dict[str, str], Any]:
        return 200, {"Content-Length": str(len(DATA))}, io.BufferedReader(_CutBody(DATA, 1000))

    rsps.add_callback(responses.GET, CDN + "a", callback=always_cut)
    with pytest.raises(tiktok.DownloadError, match="cut"):
        client.media.download(address(CDN + "a"), tmp_path / "v.mp4")
    assert len(rsps.calls) == 3  # retries=2: the first try and two resumes
    assert listing(tmp_path) == []


def test_a_206_from_the_wrong_offset_is_refused(
    client: tiktok.Client, rsps: responses.RequestsMock, tmp_path: Path
) -> None:
    state = {"calls": 0}

    def wrong_offset(request: requests.PreparedRequest) -> Tuple[int, Dict[str, str], Any]:
        state["calls"] += 1
        if state["calls"] == 1:
            return (
                200,
                {"Content-Length": str(len(DATA)), "ETag": ETAG},
                io.BufferedReader(_CutBody(DATA, 200_000)),
            )
        return 206, {"Content-Range": f"bytes 0-{len(DATA) - 1}/{len(DATA)}"}, DATA

    rsps.add_callback(responses.GET, CDN + "a", callback=wrong_offset)
    with pytest.raises(tiktok.DownloadError, match="got them from 0"):
        client.media.download(address(CDN + "a"), tmp_path / "v.mp4")
    assert listing(tmp_path) == []


def test_a_server_error_or_429_is_tried_again_on_the_same_url(
    client: tiktok.Client, rsps: responses.RequestsMock, tmp_path: Path, waits: List[float]
) -> None:
    rsps.get(CDN + "a", status=503)
    rsps.get(CDN + "a", status=429, headers={"Retry-After": "7"})
    rsps.get(CDN + "a", body=DATA)
    result = client.media.download(address(CDN + "a", CDN + "never"), tmp_path / "v.mp4")
    assert [call.request.url for call in rsps.calls] == [CDN + "a"] * 3
    assert result.url == CDN + "a" and result.md5 == MD5
    assert waits[1] == 7.0  # Retry-After waited out


def test_a_retry_after_beyond_max_wait_gives_up_on_the_url(
    client: tiktok.Client, rsps: responses.RequestsMock, tmp_path: Path, waits: List[float]
) -> None:
    rsps.get(CDN + "a", status=429, headers={"Retry-After": "3600"})
    rsps.get(CDN + "b", body=DATA)
    result = client.media.download(address(CDN + "a", CDN + "b"), tmp_path / "v.mp4")
    assert result.url == CDN + "b"
    assert waits == []  # given up at once, not waited


def test_a_refused_connection_is_retried_then_the_next_url(
    client: tiktok.Client, rsps: responses.RequestsMock, tmp_path: Path
) -> None:
    rsps.get(CDN + "down", body=requests.exceptions.ConnectionError("refused"))
    rsps.get(CDN + "b", body=DATA)
    result = client.media.download(address(CDN + "down", CDN + "b"), tmp_path / "v.mp4")
    urls = [call.request.url for call in rsps.calls]
    assert urls == [CDN + "down"] * 3 + [CDN + "b"]  # retries=2 on the first, then the next
    assert result.url == CDN + "b"


def test_downloads_go_through_the_clients_proxy(
    rsps: responses.RequestsMock, tmp_path: Path
) -> None:
    proxy = "http://127.0.0.1:3128"
    with tiktok.Client(
        make_device(), lambda u, t, d: u, base_url=BASE_URL, retries=0, proxy=proxy
    ) as proxied:
        rsps.get(CDN + "a", body=DATA)
        proxied.media.download(address(CDN + "a"), tmp_path / "v.mp4")
    sent = rsps.calls[0].request.req_kwargs  # type: ignore[attr-defined]
    assert sent["proxies"]["https"] == proxy and sent["proxies"]["http"] == proxy


# -- formats tried in order (docs/downloads.rst (Formats)) --------------------------------


def test_403_404_and_a_refused_connection_move_on_to_the_next_url_then_format(
    client: tiktok.Client, rsps: responses.RequestsMock, tmp_path: Path
) -> None:
    video = post(
        {
            "bit_rate": [
                {"bit_rate": 9, "is_bytevc1": 2, "play_addr": {"url_list": [CDN + "vc2"], "url_key": "v_bytevc2_720p_9"}},
                {"bit_rate": 2, "play_addr": {"url_list": [CDN + "a1", CDN + "a2"], "url_key": "v_h264_720p_2"}},
                {"bit_rate": 1, "play_addr": {"url_list": [CDN + "b1", CDN + "a1"], "url_key": "v_h264_540p_1"}},
            ],
            "play_addr": {"url_list": [CDN + "play"]},
        }
    )  # fmt: skip
    rsps.get(CDN + "a1", status=403)
    rsps.get(CDN + "a2", status=404)
    rsps.get(CDN + "b1", body=requests.exceptions.ConnectionError("refused"))
    rsps.get(CDN + "play", body=DATA)
    result = client.media.download(video, tmp_path)
    assert result.url == CDN + "play" and result.md5 == MD5
    fetched = [call.request.url for call in rsps.calls]
    # a1 is not asked twice; the retries of the refused connection, then the next format;
    # the bytevc2 encoding is never fetched.
    assert fetched == [CDN + "a1", CDN + "a2", *[CDN + "b1"] * 3, CDN + "play"]


def test_when_every_format_fails_the_error_lists_what_was_tried(
    client: tiktok.Client, rsps: responses.RequestsMock, tmp_path: Path
) -> None:
    video = post(
        {
            "bit_rate": [{"bit_rate": 2_000_000, "play_addr": {"url_list": [CDN + "a"], "url_key": "v_h264_720p_2000000"}}],
            "play_addr_h264": {"url_list": [CDN + "b"]},
        }
    )  # fmt: skip
    rsps.get(CDN + "a", status=403)
    rsps.get(CDN + "b", status=404)
    with pytest.raises(tiktok.DownloadError) as caught:
        client.media.download(video, tmp_path)
    message = str(caught.value)
    assert f"bit_rate[0] h264 720p 2000 kbit/s: {CDN}a: HTTP 403" in message
    assert f"play_addr_h264 h264: {CDN}b: HTTP 404" in message
    assert listing(tmp_path) == []


def test_codec_height_and_smallest_choose_what_is_downloaded(
    client: tiktok.Client, rsps: responses.RequestsMock
) -> None:
    video = post(
        {
            "bit_rate": [
                {"is_bytevc1": 2, "play_addr": {"url_list": [CDN + "vc2"], "url_key": "v_bytevc2_1080p_3", "data_size": 10}},
                {"is_bytevc1": 1, "play_addr": {"url_list": [CDN + "h265"], "url_key": "v_bytevc1_1080p_2", "data_size": 20}},
                {"play_addr": {"url_list": [CDN + "h264"], "url_key": "v_h264_720p_1", "data_size": 30}},
            ]
        }
    )  # fmt: skip
    sizes = {"vc2": 10, "h265": 20, "h264": 30}
    for name in sizes:
        rsps.get(CDN + name, body=b"x" * sizes[name])
    assert client.media.download(video, io.BytesIO()).url == CDN + "h264"
    assert client.media.download(video, io.BytesIO(), codec="bytevc2").url == CDN + "vc2"
    assert client.media.download(video, io.BytesIO(), smallest=True).url == CDN + "h265"
    with pytest.raises(tiktok.DownloadError, match="at most 480p"):
        client.media.download(video, io.BytesIO(), max_height=480)


def test_a_photo_post_ends_by_one_deadline_for_all_its_files(tmp_path: Path) -> None:
    # Each file takes 4 "seconds" of a test clock: one file fits the 10 s deadline, the
    # post's three do not. With a deadline per file it would never end early.
    now = [0.0]
    clock = tiktok.Clock(monotonic=lambda: now[0], sleep=lambda s: None)

    def tick(done: int, total: Optional[int]) -> None:
        if done % len(DATA) == 0:  # a file complete (done counts the post's bytes so far)
            now[0] += 4

    images = [{"display_image": {"url_list": [f"{CDN}img{n}.jpeg"]}} for n in range(1, 4)]
    photos = structure(
        {
            "aweme_id": "7300000000000000001",
            "aweme_type": 150,
            "image_post_info": {"images": images},
        },
        tiktok.Post,
    )
    with (
        tiktok.Client(
            make_device(), lambda u, t, d: u, base_url=BASE_URL, deadline=10.0, clock=clock
        ) as client,
        responses.RequestsMock(assert_all_requests_are_fired=False) as mock,
    ):
        for n in range(1, 4):
            mock.get(f"{CDN}img{n}.jpeg", body=DATA)
        with pytest.raises(tiktok.DownloadError, match="deadline"):
            client.media.download(photos, tmp_path, progress=tick)
        assert [call.request.url for call in mock.calls] == [
            f"{CDN}img1.jpeg",
            f"{CDN}img2.jpeg",
            f"{CDN}img3.jpeg",
        ][: len(mock.calls)]
    assert listing(tmp_path) == []
