"""Every call of docs/protocol.rst (Calls beyond the seed), through the public client and a real socket."""

from __future__ import annotations

import pytest

import tiktok
from tiktok.sandbox import BIG_USER_ID, DELETED_POST_ID, MISSING_POST_ID

pytestmark = pytest.mark.e2e

ACCOUNT_ID = "6800000000000000001"


def big_posts(client: tiktok.Client, n: int) -> list:
    return list(client.users.posts(BIG_USER_ID, limit=n))


# -- users.liked -----------------------------------------------------------------------------


def a_user_with_likes(client: tiktok.Client, low: int, high: int) -> tiktok.User:
    for n in range(1000, 1100):
        user = client.users.get(6_800_000_000_000_000_000 + n)
        if user.favoriting_count is not None and low < user.favoriting_count < high:
            return user
    raise AssertionError(f"no user with {low} to {high} likes")


def test_users_liked_walks_every_liked_post_once(guest: tiktok.Client) -> None:
    user = a_user_with_likes(guest, 150, 400)
    total = user.favoriting_count
    pager = guest.users.liked(user.uid, count=50)
    pages = list(pager.pages())
    ids = [post.aweme_id for page in pages for post in page.items]
    assert len(ids) == total == len(set(ids))
    cursors = [page.cursor for page in pages]
    assert cursors[0] == 0 and cursors == sorted(cursors[:1]) + sorted(cursors[1:], reverse=True)
    assert pager.cursor == tiktok.END


def test_users_liked_resumes_from_a_saved_cursor(guest: tiktok.Client) -> None:
    first = guest.users.liked(BIG_USER_ID, count=7, limit=7)
    head = [p.aweme_id for p in first]
    rest = [
        p.aweme_id for p in guest.users.liked(BIG_USER_ID, count=7, limit=7, cursor=first.cursor)
    ]
    whole = [p.aweme_id for p in guest.users.liked(BIG_USER_ID, count=14, limit=14)]
    assert head + rest == whole


def test_users_liked_of_the_account_follows_its_likes(account: tiktok.Client) -> None:
    posts = big_posts(account, 3)
    for post in posts:
        account.posts.like(post.aweme_id)
    liked = [p.aweme_id for p in account.users.liked(ACCOUNT_ID)]
    assert liked == [p.aweme_id for p in reversed(posts)]  # newest like first
    assert account.users.get(ACCOUNT_ID).favoriting_count == 3
    account.posts.unlike(posts[0].aweme_id)
    assert [p.aweme_id for p in account.users.liked(ACCOUNT_ID)] == liked[:2]
    for post in posts[1:]:
        account.posts.unlike(post.aweme_id)


def test_users_liked_by_sec_user_id_or_user(guest: tiktok.Client) -> None:
    user = guest.users.by_username("@sandbox.star")
    assert user.sec_uid
    by_id = [p.aweme_id for p in guest.users.liked(BIG_USER_ID, limit=25)]
    assert [p.aweme_id for p in guest.users.liked(user.sec_uid, limit=25)] == by_id
    assert [p.aweme_id for p in guest.users.liked(user, limit=25)] == by_id


# -- users.by_username ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sandbox.star", "@Sandbox.Star", "SANDBOX.STAR"])
def test_users_by_username(guest: tiktok.Client, name: str) -> None:
    user = guest.users.by_username(name)
    assert user.uid == BIG_USER_ID and user.unique_id == "sandbox.star"


def test_users_by_username_of_a_generated_user(guest: tiktok.Client) -> None:
    # Deep in the search's hits for "happy", yet found by its handle.
    found = [r.user_info for r in guest.users.search("happy", count=50, limit=50)]
    someone = found[-1]
    assert someone is not None and someone.unique_id
    assert guest.users.by_username("@" + someone.unique_id).uid == someone.uid


def test_users_by_username_not_found(guest: tiktok.Client) -> None:
    with pytest.raises(tiktok.NotFoundError):
        guest.users.by_username("@nobody.with.this.handle")


# -- posts.get_many --------------------------------------------------------------------------------


def test_posts_get_many_in_the_order_asked(guest: tiktok.Client) -> None:
    ids = [p.aweme_id for p in big_posts(guest, 5)]
    asked = [ids[3], ids[0], ids[4], ids[1]]
    posts = guest.posts.get_many(asked)
    assert [p.aweme_id for p in posts] == asked
    for post in posts:
        single = guest.posts.get(post.aweme_id)
        assert tiktok.to_dict(post)["desc"] == single.desc


def test_posts_get_many_leaves_out_posts_that_do_not_exist(guest: tiktok.Client) -> None:
    ids = [p.aweme_id for p in big_posts(guest, 2)]
    posts = guest.posts.get_many([ids[1], MISSING_POST_ID, DELETED_POST_ID, ids[0]])
    assert [p.aweme_id for p in posts] == [ids[1], DELETED_POST_ID, ids[0]]
    deleted = posts[1]
    assert deleted.status is not None and deleted.status.is_delete is True


# -- posts.related ------------------------------------------------------------------------------------


def test_posts_related_is_an_endless_feed(guest: tiktok.Client) -> None:
    origin = big_posts(guest, 1)[0].aweme_id
    pager = guest.posts.related(origin, limit=20)
    pages = list(pager.pages())
    assert [len(page) for page in pages] == [6, 6, 6, 2]
    ids = [p.aweme_id for page in pages for p in page]
    assert len(set(ids)) == 20 and origin not in ids


# -- posts.search -------------------------------------------------------------------------------------


def test_posts_search_pages_by_offset(guest: tiktok.Client) -> None:
    pager = guest.posts.search("wait for it", count=30)
    pages = list(pager.pages())
    posts = [p for page in pages for p in page]
    assert len(pages) > 1 and len(posts) == len({p.aweme_id for p in posts})
    assert [page.cursor for page in pages] == [30 * n for n in range(len(pages))]
    assert all("wait for it" in (p.desc or "").lower() for p in posts)


def test_posts_search_resumes_from_a_saved_cursor(guest: tiktok.Client) -> None:
    first = guest.posts.search("Dancer", count=10, limit=10)
    head = [p.aweme_id for p in first]
    assert first.cursor == 10
    rest = [p.aweme_id for p in guest.posts.search("Dancer", count=10, limit=10, cursor=10)]
    assert head + rest == [p.aweme_id for p in guest.posts.search("dancer", count=20, limit=20)]


# -- posts.replies -------------------------------------------------------------------------------------


def test_posts_replies(guest: tiktok.Client) -> None:
    for post in big_posts(guest, 20):
        for comment in guest.posts.comments(post.aweme_id):
            if comment.reply_comment_total:
                replies = list(guest.posts.replies(comment.cid, post.aweme_id, count=3))
                assert len(replies) == comment.reply_comment_total
                assert {r.reply_id for r in replies} == {comment.cid}
                assert len({r.cid for r in replies}) == len(replies)
                return
    pytest.fail("no comment with replies among 20 posts")


# -- client.music ---------------------------------------------------------------------------------------


def test_music_get_is_the_sound_of_the_post(guest: tiktok.Client) -> None:
    post = big_posts(guest, 1)[0]
    assert post.music is not None and post.music.id
    music = guest.music.get(post.music.id)
    assert isinstance(music, tiktok.Music)
    assert tiktok.to_dict(music) == tiktok.to_dict(post.music)
    assert music.owner_id == BIG_USER_ID


def test_music_posts_start_with_the_original_post(guest: tiktok.Client) -> None:
    post = big_posts(guest, 1)[0]
    assert post.music is not None
    music = guest.music.get(post.music.id)
    posts = list(guest.music.posts(post.music.id, count=25))
    assert posts[0].aweme_id == post.aweme_id
    assert len(posts) == music.user_count == len({p.aweme_id for p in posts})


# -- hashtags.get ----------------------------------------------------------------------------------------


def test_hashtags_get(guest: tiktok.Client) -> None:
    category = next(iter(guest.hashtags.categories(limit=1)))
    assert category.challenge_info is not None
    challenge = guest.hashtags.get(category.challenge_info.cid)
    assert challenge.cid == category.challenge_info.cid
    assert challenge.cha_name == category.challenge_info.cha_name
    assert challenge.view_count is not None and challenge.view_count > 0


def test_hashtags_get_of_a_post_hashtag(guest: tiktok.Client) -> None:
    post = big_posts(guest, 1)[0]
    (tag,) = post.text_extra or []
    assert tag.hashtag_id and tag.hashtag_name
    assert guest.hashtags.get(tag.hashtag_id).cha_name == tag.hashtag_name
