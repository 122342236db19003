"""The sandbox's short codes and share-link answers, without a socket."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiktok.sandbox._links import _decode, answer_link, link_code
from tiktok.sandbox._world import World

WORLD = World(0)


@given(st.sampled_from(["post", "user"]), st.integers(min_value=0, max_value=2**64))
def test_a_code_decodes_to_what_it_encodes(kind: str, number: int) -> None:
    code = link_code(kind, number)
    assert code.startswith("ZS") and code.isalnum()
    assert _decode(code) == (kind, number)


@pytest.mark.parametrize("bad", [("music", 1), ("post", -1), ("user", "1")])
def test_only_posts_and_users_have_codes(bad: tuple) -> None:
    with pytest.raises(ValueError):
        link_code(*bad)


def test_api_paths_are_not_share_links() -> None:
    for target in ("/aweme/v1/user/?user_id=1", "/passport/user/login/", "/sign", "/"):
        assert answer_link(WORLD, "GET", target, {}) is None


def test_a_post_link_redirects_to_its_author_page() -> None:
    post_id = 6_900_000_000_000_200_000
    answer = answer_link(WORLD, "GET", f"/t/{link_code('post', post_id)}", {"host": "h:1"})
    assert answer is not None
    status, headers, _ = answer
    assert status == 302
    assert dict(headers)["Location"] == f"http://h:1/@sandbox.star/video/{post_id}?_r=1"


def test_a_write_to_a_share_link_is_405() -> None:
    answer = answer_link(WORLD, "POST", "/t/ZSp1", {})
    assert answer is not None and answer[0] == 405
