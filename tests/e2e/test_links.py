"""client.resolve against the sandbox's own share links, over a real socket."""

from __future__ import annotations

import pytest
import requests

import tiktok
from tiktok.sandbox import BIG_USER_ID, Sandbox

pytestmark = pytest.mark.e2e


def a_post(client: tiktok.Client) -> tiktok.Post:
    return next(iter(client.users.posts(BIG_USER_ID, limit=1)))


@pytest.mark.parametrize("style", ["t", "vm"])
def test_a_short_link_to_a_post(sb: Sandbox, guest: tiktok.Client, style: str) -> None:
    post = a_post(guest)
    link = sb.short_link("post", post.aweme_id, style=style)
    assert link.startswith(sb.url)
    assert guest.resolve(link) == tiktok.Link("post", post.aweme_id, "sandbox.star")


@pytest.mark.parametrize("style", ["t", "vm"])
def test_a_short_link_to_a_user(sb: Sandbox, guest: tiktok.Client, style: str) -> None:
    link = sb.short_link("user", BIG_USER_ID, style=style)
    assert guest.resolve(link) == tiktok.Link("user", BIG_USER_ID, "sandbox.star")


def test_a_logged_in_client_sends_no_credential_to_a_short_link(
    sb: Sandbox, account: tiktok.Client
) -> None:
    # The sandbox refuses (400) a share link that carries a cookie, token or signature,
    # and the account's session cookie is set for the sandbox's own host.
    assert account.logged_in
    assert any(cookie.name == "sessionid" for cookie in account.credentials.cookies)
    post = a_post(account)
    assert account.resolve(sb.short_link("post", post.aweme_id)).id == post.aweme_id


def test_the_sandbox_refuses_a_share_link_with_credentials(sb: Sandbox) -> None:
    link = sb.short_link("user", BIG_USER_ID)
    bare = requests.get(link, allow_redirects=False, timeout=10)
    assert bare.status_code == 302
    assert bare.headers["Location"].endswith("/@sandbox.star?_r=1")
    for headers in ({"Cookie": "sessionid=abc"}, {"x-tt-token": "abc"}, {"X-Gorgon": "8404"}):
        refused = requests.get(link, headers=headers, allow_redirects=False, timeout=10)
        assert refused.status_code == 400, headers
    assert (
        requests.get(link + "?as=a&cp=c&mas=m", allow_redirects=False, timeout=10).status_code
        == 400
    )


def test_a_short_link_unknown_to_the_sandbox_is_not_found(
    sb: Sandbox, guest: tiktok.Client
) -> None:
    with pytest.raises(tiktok.NotFoundError):
        guest.resolve(f"{sb.url}t/ZZnothing")


def test_the_redirect_target_is_a_page_that_resolves_too(sb: Sandbox, guest: tiktok.Client) -> None:
    post = a_post(guest)
    page = requests.get(sb.short_link("post", post.aweme_id), timeout=10)  # follows it
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert page.url == f"{sb.url}@sandbox.star/video/{post.aweme_id}?_r=1"
    assert guest.resolve(page.url) == tiktok.Link("post", post.aweme_id, "sandbox.star")


def test_a_link_elsewhere_than_tiktok_or_the_sandbox_is_refused(guest: tiktok.Client) -> None:
    assert any(host.startswith("127.0.0.1:") for host in guest.link_hosts)
    with pytest.raises(ValueError):
        guest.resolve("http://127.0.0.2:1/t/ZSp1")


def test_a_post_shares_links_that_resolve_to_it(guest: tiktok.Client) -> None:
    post = a_post(guest)
    assert post.share_info is not None and post.share_info.share_url and post.share_url
    # The short link the app copies, and the page it leads to, both on the sandbox.
    assert guest.resolve(post.share_info.share_url) == tiktok.Link(
        "post", post.aweme_id, "sandbox.star"
    )
    assert guest.resolve(post.share_url).id == post.aweme_id
