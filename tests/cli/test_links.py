"""``tiktok links resolve`` on a standalone sandbox's own links, and when a link's host is
unreachable (issue 22)."""

from __future__ import annotations

import socket

from .conftest import SANDBOX_SIGNER, Server, run_cli

POST = "6900000000000200000"


def test_a_standalone_sandboxs_share_links_resolve_from_the_cli(server: Server) -> None:
    env = server.env(TIKTOK_SIGNER=SANDBOX_SIGNER)
    (post,) = run_cli("posts", "get", POST, env=env).lines()
    link = post["share_info"]["share_url"]  # a short link on the sandbox's own address
    assert link.startswith(server.url)
    run = run_cli("links", "resolve", link, env=env)
    assert run.returncode == 0, run.stderr
    assert run.lines() == [{"kind": "post", "id": POST, "name": "sandbox.star"}]


def test_link_host_adds_a_host_and_other_hosts_stay_refused(server: Server) -> None:
    env = server.env(TIKTOK_SIGNER=SANDBOX_SIGNER)
    link = f"http://links.example/@sandbox.star/video/{POST}"
    refused = run_cli("links", "resolve", link, env=env)
    assert refused.returncode == 2 and "is not a TikTok link" in refused.error_line()
    run = run_cli("links", "resolve", link, "--link-host", "links.example", env=env)
    assert run.returncode == 0, run.stderr  # a full link: parsed, nothing fetched
    assert run.lines() == [{"kind": "post", "id": POST, "name": "sandbox.star"}]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_link_host_is_named_not_the_api(server: Server) -> None:
    # No network: every request to another host goes to a proxy port nothing listens on.
    dead = f"http://127.0.0.1:{_closed_port()}"
    env = server.env(
        TIKTOK_SIGNER=SANDBOX_SIGNER, HTTPS_PROXY=dead, HTTP_PROXY=dead, NO_PROXY="127.0.0.1"
    )
    run = run_cli("links", "resolve", "https://vm.tiktok.com/ZMabc123/", "--retries", "0", env=env)
    assert run.returncode == 1
    line = run.error_line()
    assert line.endswith("(is https://vm.tiktok.com/ reachable?)"), line
    assert server.url not in line
