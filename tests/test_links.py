"""client.resolve on the wire: every link form of docs/protocol.rst (Calls beyond the seed)."""

from __future__ import annotations

import re
from typing import Iterator

import pytest
import responses
from hypothesis import given, settings
from hypothesis import strategies as st
from urllib3.util import parse_url

import tiktok
from tests.conftest import BASE_URL, envelope, make_device, url
from tests.reliability._scripted import ScriptServer, Step

POST_ID = "6900000000000000123"
USER_ID = "6800000000000000456"


@pytest.fixture
def logged_in(client: tiktok.Client) -> tiktok.Client:
    """A client holding every credential a short link must not see."""
    client.session.cookies.set("sessionid", "secret-session", domain=".tiktok.com", path="/")
    client.session.cookies.set("sessionid", "secret-session", domain="api.test", path="/")
    client.session.headers["x-tt-token"] = "secret-token"
    client.credentials.token = "secret-token"
    client.credentials.cookies.set("sessionid", "secret-session", domain="api.test", path="/")
    return client


def redirect(rsps: responses.RequestsMock, source: str, target: str, status: int = 301) -> None:
    rsps.get(source, status=status, headers={"Location": target})


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        (
            f"https://www.tiktok.com/@some.one/video/{POST_ID}",
            tiktok.Link("post", POST_ID, "some.one"),
        ),
        (
            f"https://www.tiktok.com/@some.one/video/{POST_ID}?is_from_webapp=1&sender_device=pc",
            tiktok.Link("post", POST_ID, "some.one"),
        ),
        (f"tiktok.com/@some.one/video/{POST_ID}/", tiktok.Link("post", POST_ID, "some.one")),
        (f"https://m.tiktok.com/v/{POST_ID}.html", tiktok.Link("post", POST_ID)),
        (
            f"https://www.tiktok.com/@some.one/photo/{POST_ID}",
            tiktok.Link("post", POST_ID, "some.one"),
        ),
        (f"https://www.tiktok.com/embed/v2/{POST_ID}", tiktok.Link("post", POST_ID)),
        (f"https://www.tiktok.com/embed/{POST_ID}", tiktok.Link("post", POST_ID)),
        (f"http://m.tiktok.com/v/{POST_ID}.html?u_code=x", tiktok.Link("post", POST_ID)),
        (
            "https://www.tiktok.com/music/original-sound-some-one-6600000000000000789",
            tiktok.Link("music", "6600000000000000789"),
        ),
        (
            "https://www.tiktok.com/music/6600000000000000789",
            tiktok.Link("music", "6600000000000000789"),
        ),
    ],
)
def test_links_with_the_id_in_them_need_no_request(
    client: tiktok.Client, rsps: responses.RequestsMock, link: str, expected: tiktok.Link
) -> None:
    assert client.resolve(link) == expected
    assert len(rsps.calls) == 0


def test_a_user_link_is_looked_up_by_its_handle(client, rsps, signer) -> None:
    body = envelope(
        user_list=[{"user_info": {"uid": USER_ID, "unique_id": "Some.One"}}], cursor=1, has_more=0
    )
    rsps.get(url("aweme/v1/discover/search/"), json=body)
    assert client.resolve("https://www.tiktok.com/@some.one?lang=en") == tiktok.Link(
        "user", USER_ID, "some.one"
    )
    assert "keyword=some.one&type=1&count=10&cursor=0&" in rsps.calls[0].request.url


def test_a_tag_link_is_looked_up_by_its_name(client, rsps) -> None:
    body = envelope(
        challenge_list=[
            {"challenge_info": {"cid": "1", "cha_name": "dancechallenge"}},
            {"challenge_info": {"cid": "42", "cha_name": "Dance"}},
        ],
        cursor=2,
        has_more=0,
    )
    rsps.get(url("aweme/v1/challenge/search/"), json=body)
    assert client.resolve("https://www.tiktok.com/tag/dance") == tiktok.Link(
        "hashtag", "42", "Dance"
    )
    assert "keyword=dance&" in rsps.calls[0].request.url


def test_a_tag_nobody_has_is_not_found(client, rsps) -> None:
    rsps.get(url("aweme/v1/challenge/search/"), json=envelope(challenge_list=[], has_more=0))
    with pytest.raises(tiktok.NotFoundError, match="#nothing"):
        client.resolve("https://www.tiktok.com/tag/nothing")


@pytest.mark.parametrize(
    "short",
    [
        "https://vm.tiktok.com/ZMabc123/",
        "https://vt.tiktok.com/ZSxyz789/",
        "https://www.tiktok.com/t/ZTRabc12/",
        "vm.tiktok.com/ZMabc123/",
    ],
)
def test_short_links_are_followed_without_any_credential(
    logged_in: tiktok.Client, rsps: responses.RequestsMock, signer, short: str
) -> None:
    source = short if "://" in short else "https://" + short
    redirect(rsps, source, f"https://www.tiktok.com/@some.one/video/{POST_ID}?_r=1&_t=abc")
    assert logged_in.resolve(short) == tiktok.Link("post", POST_ID, "some.one")
    (call,) = rsps.calls
    sent = call.request
    assert sent.url == source  # nothing added: no device params, no as/cp/mas
    assert "Cookie" not in sent.headers
    assert not any(
        name.lower().startswith(("x-tt", "x-gorgon", "x-khronos", "x-ss")) for name in sent.headers
    )
    assert "secret" not in repr(dict(sent.headers))
    assert sent.headers["User-Agent"] == logged_in.device.user_agent()
    assert signer.calls == []


def test_a_short_link_may_take_several_hops(client, rsps) -> None:
    redirect(rsps, "https://vm.tiktok.com/ZMabc123/", "https://www.tiktok.com/t/ZTRabc12/", 302)
    redirect(rsps, "https://www.tiktok.com/t/ZTRabc12/", f"/@x/video/{POST_ID}", 307)
    assert client.resolve("https://vm.tiktok.com/ZMabc123/") == tiktok.Link("post", POST_ID, "x")
    assert len(rsps.calls) == 2


def test_a_short_link_to_a_user(client, rsps) -> None:
    redirect(rsps, "https://vm.tiktok.com/ZMuser1/", "https://www.tiktok.com/@Some.One?_r=1")
    body = envelope(user_list=[{"user_info": {"uid": USER_ID, "unique_id": "some.one"}}])
    rsps.get(url("aweme/v1/discover/search/"), json=body)
    assert client.resolve("https://vm.tiktok.com/ZMuser1/") == tiktok.Link(
        "user", USER_ID, "Some.One"
    )


def test_redirects_are_bounded(client, rsps) -> None:
    redirect(rsps, "https://vm.tiktok.com/ZMloop/", "https://vt.tiktok.com/ZSloop/")
    redirect(rsps, "https://vt.tiktok.com/ZSloop/", "https://vm.tiktok.com/ZMloop/")
    with pytest.raises(ValueError, match="redirects"):
        client.resolve("https://vm.tiktok.com/ZMloop/")
    assert 2 <= len(rsps.calls) <= 6


def test_a_redirect_off_tiktok_is_refused(client, rsps) -> None:
    redirect(rsps, "https://vm.tiktok.com/ZMevil/", "https://evil.example/@x/video/1")
    with pytest.raises(ValueError, match=r"evil\.example"):
        client.resolve("https://vm.tiktok.com/ZMevil/")
    assert len(rsps.calls) == 1


def test_a_dead_short_link_is_not_found(client, rsps) -> None:
    rsps.get("https://vm.tiktok.com/ZMgone/", status=404)
    with pytest.raises(tiktok.NotFoundError) as caught:
        client.resolve("https://vm.tiktok.com/ZMgone/")
    assert caught.value.http_status == 404


def test_a_short_link_that_does_not_redirect_is_an_api_error(client, rsps) -> None:
    rsps.get("https://vm.tiktok.com/ZMpage/", status=200, body="<html></html>")
    with pytest.raises(tiktok.APIError, match="without a redirect"):
        client.resolve("https://vm.tiktok.com/ZMpage/")


@pytest.mark.parametrize(
    "link",
    [
        "https://example.com/@x/video/1",
        "https://tiktok.com.evil.example/@x/video/1",
        "https://evil.example/?u=https://www.tiktok.com/@x/video/1",
        "ftp://www.tiktok.com/@x/video/1",
        "https://www.tiktok.com/explore",
        "https://www.tiktok.com/@x/video/notanumber",
        "https://www.tiktok.com/@x/video/\u0661\u0662",
        "https://www.tiktok.com/@x/video/" + "1" * 33,
        "https://m.tiktok.com/",
        "",
        "   ",
        None,
        42,
    ],
)
def test_what_is_not_a_tiktok_link_is_a_value_error(client, rsps, link: object) -> None:
    with pytest.raises(ValueError):
        client.resolve(link)  # type: ignore[arg-type]
    assert len(rsps.calls) == 0


def test_link_hosts_is_a_client_setting() -> None:
    extra = tiktok.Client(
        make_device(), lambda u, t, d: u, base_url=BASE_URL, link_hosts=["links.test"]
    )
    assert extra.link_hosts == ("links.test",)
    with pytest.raises(ValueError):
        extra.resolve(f"https://www.tiktok.com/@x/video/{POST_ID}")
    assert extra.resolve(f"https://links.test/@x/video/{POST_ID}") == tiktok.Link(
        "post", POST_ID, "x"
    )
    default = tiktok.Client(make_device(), lambda u, t, d: u, base_url=BASE_URL)
    assert default.link_hosts == tiktok.LINK_HOSTS
    for bad in ("www.tiktok.com", ["a/b"], [""], [3]):
        with pytest.raises(ValueError):
            tiktok.Client(make_device(), lambda u, t, d: u, base_url=BASE_URL, link_hosts=bad)  # type: ignore[arg-type]


# -- hostile links (issue 22): the host requests connects to, default ports, short errors ---


@pytest.fixture
def listener() -> Iterator[ScriptServer]:
    """Something on 127.0.0.1 a hostile link points at; it must never be asked."""
    server = ScriptServer()
    server.script(Step(200, b"internal page"))
    try:
        yield server
    finally:
        server.close()


def test_a_link_whose_host_requests_reads_otherwise_is_refused(
    client, listener: ScriptServer
) -> None:
    # urlsplit reads vm.tiktok.com after the "@"; requests connects to 127.0.0.1.
    port = listener.url.rsplit(":", 1)[1].rstrip("/")
    for link in (
        f"http://127.0.0.1:{port}\\@vm.tiktok.com/ZMabc/",
        f"http://127.0.0.1:{port}\\\\@vm.tiktok.com/ZMabc/",
        f"http://127.0.0.1:{port}\\@www.tiktok.com/@x/video/{POST_ID}",
    ):
        with pytest.raises(ValueError, match="not a TikTok link"):
            client.resolve(link)
    assert listener.hits == []


def test_the_same_in_a_redirect_is_refused(client, rsps, listener: ScriptServer) -> None:
    port = listener.url.rsplit(":", 1)[1].rstrip("/")
    redirect(rsps, "https://vm.tiktok.com/ZMabc/", f"http://127.0.0.1:{port}\\@vm.tiktok.com/ZMx/")
    rsps.add_passthru(listener.url)
    with pytest.raises(ValueError, match="not a TikTok link"):
        client.resolve("https://vm.tiktok.com/ZMabc/")
    assert listener.hits == [] and len(rsps.calls) == 1


@pytest.mark.parametrize(
    "link",
    [
        "https://vm.tiktok.com:8443/ZMabc/",
        "http://vm.tiktok.com:443/ZMabc/",
        "https://www.tiktok.com:1/@x/video/1",
    ],
)
def test_a_port_of_its_own_is_refused(client, rsps, link: str) -> None:
    with pytest.raises(ValueError, match="default port"):
        client.resolve(link)
    assert len(rsps.calls) == 0


def test_the_default_port_written_out_is_the_same_host(client, rsps) -> None:
    assert client.resolve(f"https://www.tiktok.com:443/@x/video/{POST_ID}").id == POST_ID
    redirect(rsps, "https://vm.tiktok.com:443/ZMabc/", f"https://www.tiktok.com/@x/video/{POST_ID}")
    assert client.resolve("https://vm.tiktok.com:443/ZMabc/").id == POST_ID


def test_errors_quote_only_the_start_of_a_long_link(client, rsps) -> None:
    long = "https://evil.example/" + "A" * 2_000_000
    for link in (long, "https://www.tiktok.com/explore/" + "B" * 2_000_000):
        with pytest.raises(ValueError) as caught:
            client.resolve(link)
        assert len(str(caught.value)) < 300
    redirect(rsps, "https://vm.tiktok.com/ZMlong/", long)
    with pytest.raises(ValueError) as caught:
        client.resolve("https://vm.tiktok.com/ZMlong/")
    assert len(str(caught.value)) < 300
    followed = "https://vm.tiktok.com/" + "Z" * 4000 + "/"  # a short link: it is asked
    rsps.get(followed, status=404)
    with pytest.raises(tiktok.NotFoundError) as not_found:
        client.resolve(followed)
    assert len(str(not_found.value)) < 300


# userinfo-or-host, port, separator, host, port: few choices each, so that the tricky
# combinations (a host before "\\@", a TikTok host on a port of its own) come up often.
_HOSTS = st.sampled_from(["vm.tiktok.com", "127.0.0.1", "evil.test", "[::1]", "user:pw"])
_PORTS = st.sampled_from(["", ":8080", ":443", ":"])
_SEPARATORS = st.sampled_from(["", "\\@", "@", "\\", "#", "%40", "\t", "\x00"])
_HOSTILE_LINKS = st.builds(
    lambda *parts: "".join(parts),
    st.sampled_from(["https://", "http://", "", "ftp://"]),
    _HOSTS,
    _PORTS,
    _SEPARATORS,
    st.just("") | _HOSTS,
    _PORTS,
    st.sampled_from(["/ZMabc/", "/t/ZT1/", f"/@x/video/{POST_ID}", "", "/tag/a"]),
    st.sampled_from(["", "?_r=1", "#x"]) | st.text(max_size=3),
)


_SWEEPER = tiktok.Client(make_device(), lambda u, t, d: u, base_url=BASE_URL, retries=0)


@settings(max_examples=300, deadline=None)
@given(_HOSTILE_LINKS)
def test_whatever_the_link_only_link_hosts_on_default_ports_are_asked(link: str) -> None:
    client = _SWEEPER
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.GET, re.compile(".*"), status=404)
        try:
            client.resolve(link)
        except (ValueError, tiktok.TikTokError) as error:
            assert len(str(error)) < 400
        for call in mock.calls:
            sent = parse_url(call.request.url)
            assert sent.scheme in ("http", "https")
            if sent.host not in ("api.test",):  # a handle's or a tag's search goes to the API
                assert sent.host in tiktok.LINK_HOSTS, call.request.url
                default = {"http": 80, "https": 443}[sent.scheme]
                assert sent.port in (None, default), call.request.url
