"""Pagination in all three styles (docs/protocol.rst (Pagination)) over the big user and full walks of small ones."""

from __future__ import annotations

from typing import List

import pytest

import tiktok
from tiktok.sandbox import BIG_USER_ID, Sandbox

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def small_user(sb: Sandbox) -> str:
    """A generated user with a few hundred followers: small enough to walk in full."""
    world = sb.world
    for position in range(10_000):
        uid = world.generated_user(position)
        facts = world.user(uid)
        if facts.follower_count > 250 and facts.following_count > 150 and facts.post_count > 25:
            return str(uid)
    raise AssertionError("no such user")


def test_1000_followers_of_the_big_user_by_100(guest: tiktok.Client) -> None:
    pages = list(guest.follows.followers(BIG_USER_ID, count=100, limit=1000).pages())
    assert [len(page) for page in pages] == [100] * 10
    uids = [user.uid for page in pages for user in page]
    assert len(set(uids)) == 1000
    for page, following in zip(pages, pages[1:]):
        # time style: the next page asks max_time = this page's min_time
        assert following.cursor == page.response.min_time
        assert following.response.max_time < page.response.min_time
    assert pages[0].response.total == guest.users.get(BIG_USER_ID).follower_count


def test_1000_posts_of_the_big_user_by_100(guest: tiktok.Client) -> None:
    pages = list(guest.users.posts(BIG_USER_ID, count=100, limit=1000).pages())
    posts = [post for page in pages for post in page]
    assert len(posts) == 1000 and len({p.aweme_id for p in posts}) == 1000
    times = [post.create_time for post in posts]
    assert all(a > b for a, b in zip(times, times[1:]))  # descending, no ties
    for page, following in zip(pages, pages[1:]):
        # cursor style: max_cursor in ms, the next page from the response's max_cursor
        assert following.cursor == page.response.max_cursor == page.items[-1].create_time * 1000


def test_resuming_from_a_saved_cursor_continues_exactly(guest: tiktok.Client) -> None:
    first = guest.follows.followers(BIG_USER_ID, count=50, limit=150)
    head = [user.uid for user in first]
    resumed = guest.follows.followers(BIG_USER_ID, count=50, limit=150, cursor=first.cursor)
    tail = [user.uid for user in resumed]
    whole = [user.uid for user in guest.follows.followers(BIG_USER_ID, count=100, limit=300)]
    assert head + tail == whole


def test_a_deep_page_of_the_big_user_is_answered(sb: Sandbox, guest: tiktok.Client) -> None:
    # Page 2,001 of 2,500 (count 100): the world is computed at the cursor, not walked to it.
    timeline = sb.world.followers(int(BIG_USER_ID))
    cursor = timeline.time_at(199_999)
    page = next(guest.follows.followers(BIG_USER_ID, count=100, cursor=cursor).pages())
    assert [user.uid for user in page] == [str(timeline.key_at(i)) for i in range(200_000, 200_100)]


@pytest.mark.parametrize("count", [1, 37, 100])
def test_a_full_walk_of_followers_matches_the_profile_count(
    guest: tiktok.Client, small_user: str, count: int
) -> None:
    uids = [user.uid for user in guest.follows.followers(small_user, count=count)]
    assert len(uids) == len(set(uids)) == guest.users.get(small_user).follower_count


def test_a_full_walk_of_followings_and_posts_matches_the_profile(
    guest: tiktok.Client, small_user: str
) -> None:
    profile = guest.users.get(small_user)
    followings = [user.uid for user in guest.follows.following(small_user, count=33)]
    posts = [post.aweme_id for post in guest.users.posts(small_user, count=7)]
    assert len(followings) == len(set(followings)) == profile.following_count
    assert len(posts) == len(set(posts)) == profile.aweme_count
    assert all(guest.posts.get(aweme_id).author_user_id == small_user for aweme_id in posts[:3])


def test_offset_listings_walk_to_their_end(guest: tiktok.Client) -> None:
    post = next(
        p
        for p in guest.users.posts(BIG_USER_ID, count=50)
        if (p.statistics.comment_count or 0) > 30
    )
    pages = list(guest.posts.comments(post.aweme_id, count=10).pages())
    comments = [c.cid for page in pages for c in page]
    assert len(comments) == len(set(comments)) == post.statistics.comment_count
    assert pages[0].response.total == post.statistics.comment_count
    offsets: List[int] = [page.cursor for page in pages]
    assert offsets == list(range(0, len(comments), 10))  # offset style: cursor = items so far
    assert pages[-1].response.has_more == 0


def test_feeds_keep_has_more_and_a_zero_cursor(guest: tiktok.Client) -> None:
    for page in guest.feed.for_you(count=6, limit=18).pages():
        assert page.response.has_more == 1
        assert page.response.max_cursor == 0
