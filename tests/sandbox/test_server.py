"""The HTTP side over a real loopback socket: keep-alive, gzip, drops, lifecycle, serve()."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from typing import Dict, Iterator, Optional

import pytest

import tiktok
from tiktok.sandbox import BIG_USER_ID, Fault, Sandbox

from ._wire import Always, target


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=0) as sb:
        yield sb


def request(
    connection: http.client.HTTPConnection,
    path: str,
    query: str,
    headers: Optional[Dict[str, str]] = None,
) -> http.client.HTTPResponse:
    connection.request("GET", target(path, query), headers=headers or {})
    return connection.getresponse()


def test_the_url_has_a_trailing_slash(sandbox: Sandbox) -> None:
    assert sandbox.url == f"http://127.0.0.1:{sandbox.port}/"


def test_keep_alive_serves_several_requests_on_one_connection(sandbox: Sandbox) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    try:
        first = request(connection, "aweme/v1/user/", f"user_id={BIG_USER_ID}")
        first_body = first.read()
        first_socket = connection.sock
        second = request(connection, "aweme/v1/user/", "user_id=1")
        second.read()
        assert first.status == second.status == 200
        assert connection.sock is first_socket  # not reconnected
        assert not second.will_close
        assert int(first.headers["Content-Length"]) == len(first_body)
    finally:
        connection.close()


def test_gzip_only_when_asked(sandbox: Sandbox) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    try:
        plain = request(connection, "aweme/v1/user/", f"user_id={BIG_USER_ID}")
        plain_body = plain.read()
        zipped = request(
            connection, "aweme/v1/user/", f"user_id={BIG_USER_ID}", {"Accept-Encoding": "gzip"}
        )
        zipped_body = zipped.read()
        refused = request(
            connection, "aweme/v1/user/", f"user_id={BIG_USER_ID}", {"Accept-Encoding": "gzip;q=0"}
        )
        refused.read()
    finally:
        connection.close()
    assert plain.headers.get("Content-Encoding") is None
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert refused.headers.get("Content-Encoding") is None
    assert json.loads(gzip.decompress(zipped_body))["user"] == json.loads(plain_body)["user"]


def test_the_host_header_of_the_real_api_is_fine(sandbox: Sandbox) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    try:
        connection.putrequest("GET", target("aweme/v1/user/", "user_id=1"), skip_host=True)
        connection.putheader("Host", "api2.musical.ly")
        connection.endheaders()
        response = connection.getresponse()
        assert json.loads(response.read())["status_code"] == 0
    finally:
        connection.close()


def test_a_dropped_request_gets_no_answer() -> None:
    with Sandbox() as sb:
        sb._dispatcher.faults = Always(Fault.DROP)  # type: ignore[assignment]
        connection = http.client.HTTPConnection("127.0.0.1", sb.port, timeout=10)
        with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
            request(connection, "aweme/v1/user/", "user_id=1")
        connection.close()
        assert sb.stats["faults"]["drop"] == 1


def test_close_ends_idle_keep_alive_connections_and_frees_the_port() -> None:
    sb = Sandbox().start()
    port = sb.port
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    request(connection, "aweme/v1/user/", "user_id=1").read()  # the connection stays open
    closer = threading.Thread(target=sb.close)
    closer.start()
    closer.join(timeout=10)
    assert not closer.is_alive(), "close() hung on an idle keep-alive connection"
    connection.close()
    with Sandbox(port=port) as again:  # the port is free again
        assert again.port == port


def test_close_interrupts_a_slow_answer() -> None:
    sb = Sandbox(slow_seconds=120).start()
    sb._dispatcher.faults = Always(Fault.SLOW)  # type: ignore[assignment]
    outcome: Dict[str, object] = {}

    def slow_call() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", sb.port, timeout=60)
        try:
            request(connection, "aweme/v1/user/", "user_id=1")
        except (http.client.HTTPException, OSError) as exc:
            outcome["error"] = exc
        finally:
            connection.close()

    caller = threading.Thread(target=slow_call)
    caller.start()
    while sb.stats["faults"]["slow"] == 0:
        threading.Event().wait(0.01)
    sb.close()
    caller.join(timeout=20)
    assert not caller.is_alive(), "the slow answer kept waiting after close()"
    assert "error" in outcome  # dropped, not answered


def test_the_client_gets_an_empty_response_error_for_a_wrong_key(sandbox: Sandbox) -> None:
    before = sandbox.stats["rejected_signature"]
    client = tiktok.Client(
        tiktok.sandbox.sandbox_device(),
        tiktok.sandbox.SandboxSigner("not-the-key"),
        base_url=sandbox.url,
        retries=0,
    )
    with pytest.raises(tiktok.EmptyResponseError):
        client.users.get(BIG_USER_ID)
    assert sandbox.stats["rejected_signature"] == before + 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"port": -1},
        {"port": 70000},
        {"seed": "0"},
        {"fault_rate": 2},
        {"signing_key": ""},
        {"slow_seconds": -1},
    ],
)
def test_bad_settings_are_refused(kwargs: Dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Sandbox(**kwargs)  # type: ignore[arg-type]


def test_ipv6_loopback() -> None:
    try:
        probe = socket.socket(socket.AF_INET6)
        probe.bind(("::1", 0))
        probe.close()
    except OSError:
        pytest.skip("no IPv6 loopback here")
    with Sandbox(host="::1") as sb:
        assert sb.url.startswith("http://[::1]:")
        assert sb.client().users.get(BIG_USER_ID).uid == BIG_USER_ID


# ready() also prints the SIGTERM handler while serving: a library leaves it as it was.
# The script is a main of its own: it makes Ctrl-C raise (a background job starts with
# SIGINT ignored), then checks that serve() itself changes no handler.
SERVE = (
    "import signal; from tiktok.sandbox import serve; "
    "signal.signal(signal.SIGINT, signal.default_int_handler); "
    "serve(port=0, ready=lambda url: print('listening on ' + url + ' ' "
    "+ str(signal.getsignal(signal.SIGTERM) is signal.SIG_DFL), flush=True)); "
    "print('stopped', flush=True)"
)


def test_serve_announces_its_url_leaves_signals_alone_and_stops_on_ctrl_c() -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        assert first.startswith("listening on http://127.0.0.1:")
        url, untouched = first.removeprefix("listening on ").split(" ")
        assert untouched == "True", "serve() changed the process's SIGTERM handler"
        client = tiktok.Client(
            tiktok.sandbox.sandbox_device(), tiktok.sandbox.SandboxSigner(), base_url=url
        )
        assert client.users.get(BIG_USER_ID).uid == BIG_USER_ID
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert out.strip() == "stopped"
    assert "Traceback" not in err


def test_malformed_bodies_get_a_client_error(sandbox: Sandbox) -> None:
    for headers in ({"Content-Length": "abc"}, {"Content-Length": str(1 << 30)}):
        connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
        try:
            connection.putrequest("POST", target("aweme/v1/fancy/qrcode/info/"))
            for name, value in headers.items():
                connection.putheader(name, value)
            connection.endheaders()
            assert connection.getresponse().status in (400, 413)
        finally:
            connection.close()


def test_a_chunked_form_body_is_read(sandbox: Sandbox) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    try:
        connection.request(
            "POST",
            target("aweme/v1/fancy/qrcode/info/", "js_sdk_version=&app_type=normal"),
            body=iter([b"schema_type=4&", b"object_id=42"]),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            encode_chunked=True,
        )
        body = json.loads(connection.getresponse().read())
    finally:
        connection.close()
    assert body["qrcode_url"]["uri"].endswith("/42")


def test_its_client_asks_it_for_live_rooms_too() -> None:
    with Sandbox() as sb:
        client = sb.client()
        assert client.webcast_url == client.base_url == sb.url
