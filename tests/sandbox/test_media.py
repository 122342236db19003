"""The sandbox's media host: deterministic files, Range, 404/416, injected and drawn media faults."""

from __future__ import annotations

import hashlib
import http.client
from typing import Iterator

import pytest

from tiktok.sandbox import Fault, Sandbox
from tiktok.sandbox._faults import MEDIA_FAULTS, READ_FAULTS, FaultPicker
from tiktok.sandbox._media import MediaLibrary, byte_range

POST = 6_900_000_000_000_200_000


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=0) as sb:
        yield sb


def get(sandbox: Sandbox, path: str, **headers: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    connection.request("GET", path, headers=headers)
    return connection.getresponse()


def test_files_are_a_function_of_the_seed_and_distinct() -> None:
    one, again, other = MediaLibrary(0), MediaLibrary(0), MediaLibrary(1)
    file = one.video(POST, "play")
    data = b"".join(file.read(0, file.size - 1))
    assert len(data) == file.size and 200_000 <= file.size <= 3_100_000
    assert hashlib.md5(data).hexdigest() == file.md5 == again.video(POST, "play").md5
    assert other.video(POST, "play").md5 != file.md5
    assert one.video(POST, "watermark").md5 != file.md5
    assert one.video(POST + 1, "play").md5 != file.md5
    assert data[4:8] == b"ftyp"


def test_any_range_reads_the_same_bytes_as_the_whole() -> None:
    file = MediaLibrary(0).music(6_600_000_000_000_000_042)
    whole = b"".join(file.read(0, file.size - 1))
    for first, last in [(0, 0), (1, 70_000), (65_535, 65_537), (file.size - 70, file.size - 1)]:
        assert b"".join(file.read(first, last)) == whole[first : last + 1]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=10-", (10, 999)),
        ("bytes=10-19", (10, 19)),
        ("bytes=10-5000", (10, 999)),
        ("bytes=-10", None),  # suffix ranges are ignored: the whole file
        ("bytes=1-2,5-6", None),
        ("items=1-2", None),
        ("bytes=20-10", None),
    ],
)
def test_byte_range(header: str, expected: object) -> None:
    assert byte_range(header, 1000) == expected


def test_a_range_from_the_end_is_unsatisfiable() -> None:
    with pytest.raises(ValueError):
        byte_range("bytes=1000-", 1000)


def test_range_over_the_socket(sandbox: Sandbox) -> None:
    path = f"/media/video/{POST}/h264_720.mp4"
    whole = get(sandbox, path)
    body = whole.read()
    assert whole.status == 200 and whole.headers["Accept-Ranges"] == "bytes"
    assert int(whole.headers["Content-Length"]) == len(body)
    part = get(sandbox, path, Range="bytes=100-")
    assert part.status == 206
    assert part.headers["Content-Range"] == f"bytes 100-{len(body) - 1}/{len(body)}"
    assert part.read() == body[100:]
    past = get(sandbox, path, Range=f"bytes={len(body)}-")
    assert past.status == 416 and past.headers["Content-Range"] == f"bytes */{len(body)}"


@pytest.mark.parametrize(
    "path", ["/media/video/1/nope.mp4", "/media/music/x.mp3", "/media/", "/media/video/1/play.mp3"]
)
def test_unknown_media_is_404(sandbox: Sandbox, path: str) -> None:
    assert get(sandbox, path).status == 404


def test_a_cut_transfer_sends_half_and_closes(sandbox: Sandbox) -> None:
    sandbox.inject(Fault.CUT_TRANSFER)
    response = get(sandbox, f"/media/video/{POST}/play.mp4")
    announced = int(response.headers["Content-Length"])
    with pytest.raises(http.client.IncompleteRead) as cut:
        response.read()
    assert len(cut.value.partial) == announced // 2


def test_injected_faults_go_to_the_requests_they_fit(sandbox: Sandbox) -> None:
    sandbox.inject(Fault.IGNORE_RANGE)
    client = sandbox.client(retries=0)
    client.users.get("6800000000000000002")  # an API call does not take a media fault
    ignored = get(sandbox, f"/media/video/{POST}/play.mp4", Range="bytes=5-")
    assert ignored.status == 200
    assert get(sandbox, f"/media/video/{POST}/play.mp4", Range="bytes=5-").status == 206


def test_inject_checks_its_arguments(sandbox: Sandbox) -> None:
    with pytest.raises(TypeError):
        sandbox.inject("cut_transfer")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        sandbox.inject(Fault.DROP, 0)


def test_new_kinds_do_not_change_what_a_seed_draws_for_api_calls() -> None:
    assert [f.value for f in READ_FAULTS] == [
        "http_500", "http_502", "http_503", "http_429", "drop", "cut_body", "empty", "slow",
    ]  # fmt: skip
    picker = FaultPicker(0, 1.0)
    assert {picker.pick_media(n) for n in range(200)} <= set(MEDIA_FAULTS)
    assert all(picker.pick(n, write=False) in READ_FAULTS for n in range(200))
