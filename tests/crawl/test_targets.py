"""The crawl's target kinds: each walks a declared listing of one id, typed end to end."""

from __future__ import annotations

from typing import Any

import pytest

from tiktok.crawl._targets import KINDS, Kind
from tiktok.resources import Feed, Posts, Users
from tiktok.resources._declare import Paging, Shape


def test_every_kind_walks_a_declared_resumable_listing_of_one_id() -> None:
    assert list(KINDS) == [
        "followers", "following", "posts", "liked", "comments", "hashtag", "music", "sticker",
    ]  # fmt: skip
    for kind in KINDS.values():
        assert kind.call.resource is kind.resource and kind.call.function is kind.walks
        assert kind.call.paging is Paging.LISTING
        assert kind.call.params[0].shape is Shape.ID


def test_a_kind_names_a_user_when_its_listing_takes_a_user() -> None:
    assert {name for name, kind in KINDS.items() if kind.user} == {
        "followers", "following", "posts", "liked",
    }  # fmt: skip


def test_a_kind_must_walk_a_declared_resumable_listing() -> None:
    count: Any = lambda model: 0  # noqa: E731
    with pytest.raises(ValueError, match="not a call declared on Users"):
        Kind("x", Users, Posts.comments, Users, Users.get, count, count)  # type: ignore[misc]
    with pytest.raises(ValueError, match=r"posts\.related is not a resumable listing"):
        Kind("x", Posts, Posts.related, Posts, Posts.get, count, count)
    with pytest.raises(ValueError, match="not a resumable listing"):
        Kind("x", Feed, Feed.for_you, Posts, Posts.get, count, count)
