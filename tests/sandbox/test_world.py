"""The world: deterministic from the seed, lazy, and self-consistent."""

from __future__ import annotations

import tracemalloc

import pytest

from tiktok.sandbox import BIG_USER_ID
from tiktok.sandbox._timeline import page_before
from tiktok.sandbox._world import WORLD_EPOCH, World, user_index

BIG = int(BIG_USER_ID)


@pytest.fixture(scope="module")
def world() -> World:
    return World(seed=0)


def small_user(world: World, minimum: int = 50) -> int:
    """A generated user with at least ``minimum`` followers and some posts."""
    for position in range(1000):
        uid = world.generated_user(position)
        facts = world.user(uid)
        if (
            facts.follower_count >= minimum
            and facts.following_count >= 20
            and facts.post_count >= 5
        ):
            return uid
    raise AssertionError("no such user in the first 1000")


def test_the_same_seed_gives_the_same_world_and_another_seed_another() -> None:
    one, same, other = World(7), World(7), World(8)
    uid = one.generated_user(12345)
    assert one.user(uid) == same.user(uid)
    assert one.post(one.post_id(uid, 0)) == same.post(same.post_id(uid, 0))
    assert [one.followers(BIG).key_at(i) for i in range(5)] == [
        same.followers(BIG).key_at(i) for i in range(5)
    ]
    assert [one.followers(BIG).key_at(i) for i in range(5)] != [
        other.followers(BIG).key_at(i) for i in range(5)
    ]


def test_the_big_user(world: World) -> None:
    facts = world.user(BIG)
    assert facts.follower_count >= 250_000
    assert facts.following_count >= 250_000
    assert facts.post_count == 10_000
    assert len(world.followers(BIG)) == facts.follower_count
    assert len(world.followings(BIG)) == facts.following_count
    assert len(world.posts(BIG)) == facts.post_count


def test_any_numeric_id_resolves(world: World) -> None:
    assert world.user(123).uid == 123
    post = world.post(1)
    assert post.aweme_id == 1
    assert world.user(post.author).post_count > 0
    assert world.room(99999999999999999999).room_id == 99999999999999999999
    assert world.sticker(5).sticker_id == 5
    assert world.hashtag_name(42)


def test_a_post_id_leads_back_to_its_author_and_place(world: World) -> None:
    timeline = world.posts(BIG)
    for index in (0, 1, 9_999):
        post = world.post(timeline.key_at(index))
        assert post.author == BIG
        assert post.index == index
        assert post.create_time == timeline.time_at(index)


def test_times_strictly_decrease_so_paging_skips_nothing(world: World) -> None:
    for timeline in (world.followers(BIG), world.followings(BIG), world.posts(BIG)):
        times = [timeline.time_at(i) for i in range(2_000)]
        assert all(a > b for a, b in zip(times, times[1:]))
        assert times[0] < WORLD_EPOCH  # the account's writes all come after the world


def test_a_big_follower_list_has_no_repeats(world: World) -> None:
    followers = world.followers(BIG)
    uids = [followers.key_at(i) for i in range(0, 250_000, 25)]  # 10,000 spread over the list
    assert len(set(uids)) == len(uids)
    assert all(user_index(uid) is not None for uid in uids)
    assert BIG not in uids


def test_is_follower_agrees_with_the_listing(world: World) -> None:
    uid = small_user(world)
    followers = world.followers(uid)
    listed = {followers.key_at(i) for i in range(len(followers))}
    assert all(world.is_follower(f, uid) for f in listed)
    outsiders = [world.generated_user(p) for p in range(200)]
    assert [world.is_follower(o, uid) for o in outsiders] == [o in listed for o in outsiders]


def test_250000_followers_cost_no_memory(world: World) -> None:
    # A list of 250,000 ids would take megabytes; the lazy timeline takes a few objects.
    tracemalloc.start()
    try:
        timeline = world.followers(BIG)
        page, has_more = page_before([timeline], None, 100)
        deep, _ = page_before([timeline], timeline.time_at(200_000), 100)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(page) == len(deep) == 100 and has_more
    assert peak < 256 * 1024


def test_comments_are_distinct_and_newest_first(world: World) -> None:
    post = next(
        world.post_id(BIG, i) for i in range(100) if world.comment_count(world.post_id(BIG, i)) > 10
    )
    comments = [world.comment(post, i) for i in range(world.comment_count(post))]
    assert len({c.cid for c in comments}) == len(comments)
    assert all(a.create_time > b.create_time for a, b in zip(comments, comments[1:]))
    assert all(c.aweme_id == post for c in comments)


def test_user_search_finds_only_matching_users(world: World) -> None:
    hits = world.search_users("Dancer")
    assert len(hits) > 20
    for uid in hits:
        facts = world.user(uid)
        assert "dancer" in facts.unique_id or "dancer" in facts.nickname.lower()
    assert world.search_users("no-such-word") == ()
    assert world.search_users("sandbox")[:2] == (6800000000000000001, BIG)


def test_hashtag_search_names_are_distinct_and_contain_the_keyword(world: World) -> None:
    count = world.search_hashtag_count("Dance Off")
    names = [world.search_hashtag_name("Dance Off", i) for i in range(count + 20)]
    assert names[0] == "danceoff"
    assert all(name.startswith("danceoff") for name in names)
    assert len(set(names)) == len(names)
    ids = [world.search_hashtag("Dance Off", i) for i in range(count)]
    assert len(set(ids)) == len(ids)


def test_listed_posts_of_a_hashtag_do_not_repeat(world: World) -> None:
    cid = world.category(0)
    posts = [world.hashtag_post(cid, i) for i in range(world.hashtag_post_count(cid))]
    assert len(set(posts)) == len(posts)
    for post in posts[:10]:
        facts = world.post(post)
        assert facts.index < world.user(facts.author).post_count
