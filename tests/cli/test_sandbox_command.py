"""``tiktok sandbox``: serves on a port, announces it, stops cleanly on Ctrl-C."""

from __future__ import annotations

import re

from tiktok.sandbox import BIG_USER_ID

from .conftest import SANDBOX_SIGNER, run_cli, start_server, stop_server


def test_port_zero_announces_a_free_port_and_ctrl_c_exits_zero() -> None:
    server = start_server("--seed", "3")
    try:
        assert re.fullmatch(r"listening on http://127\.0\.0\.1:(\d+)/", server.first_line)
        assert not server.first_line.endswith(":0/")
        run = run_cli(
            "--signer", SANDBOX_SIGNER, "users", "get", str(BIG_USER_ID), env=server.env()
        )
        assert run.returncode == 0, run.stderr
        assert str(run.lines()[0]["uid"]) == str(BIG_USER_ID)
    finally:
        status = stop_server(server)
    assert status == 0


def test_a_port_in_use_is_a_one_line_error() -> None:
    server = start_server()
    try:
        port = server.url.rsplit(":", 1)[1].strip("/")
        run = run_cli("sandbox", "--port", port)
        assert run.returncode == 2
        assert port in run.error_line()
    finally:
        stop_server(server)


def test_fault_rate_out_of_range_is_refused() -> None:
    run = run_cli("sandbox", "--fault-rate", "1.5")
    assert run.returncode == 2
    assert "--fault-rate" in run.error_line()


def test_signing_headers_needs_the_request_signer_and_refuses_the_url_one() -> None:
    server = start_server("--signing", "headers")
    try:
        run = run_cli(
            "--signer",
            "tiktok.sandbox:SandboxRequestSigner",
            "users",
            "get",
            str(BIG_USER_ID),
            env=server.env(),
        )
        assert run.returncode == 0, run.stderr
        assert str(run.lines()[0]["uid"]) == str(BIG_USER_ID)
        refused = run_cli(
            "--signer", SANDBOX_SIGNER, "--retries", "0", "users", "get", str(BIG_USER_ID),
            env=server.env(),
        )  # fmt: skip
        assert refused.returncode == 1
        assert "empty response" in refused.error_line()
    finally:
        stop_server(server)


def test_signing_takes_url_or_headers_only() -> None:
    run = run_cli("sandbox", "--signing", "query")
    assert run.returncode == 2
    assert "--signing" in run.error_line()


def test_a_host_beyond_loopback_is_warned_about() -> None:
    # 192.0.2.1 (TEST-NET-1) is no address of this machine: the bind fails, so the test
    # never listens beyond loopback, but the warning comes first, as it would for 0.0.0.0.
    run = run_cli("sandbox", "--port", "0", "--host", "192.0.2.1")
    assert run.returncode == 2
    first, error = run.stderr.splitlines()
    assert first.startswith("warning: the sandbox listens on 192.0.2.1, beyond")
    assert "--host 127.0.0.1" in first and error.startswith("error: cannot listen on 192.0.2.1")


def test_loopback_gets_no_warning() -> None:
    server = start_server("--host", "127.0.0.1")
    try:
        assert server.first_line.startswith("listening on http://127.0.0.1:")
        log = server.stderr_path.read_text()
    finally:
        stop_server(server)
    assert "warning" not in log
