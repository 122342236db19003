"""Every one of the 33 calls of docs/protocol.rst (The seed calls), through the public client and a real socket."""

from __future__ import annotations

import time

import pytest

import tiktok
from tiktok.sandbox import BIG_USER_ID, SANDBOX_EMAIL, SANDBOX_PASSWORD, SANDBOX_USERNAME, Sandbox

pytestmark = pytest.mark.e2e

ACCOUNT_ID = "6800000000000000001"


def first_post(client: tiktok.Client) -> tiktok.Post:
    return next(iter(client.users.posts(BIG_USER_ID, limit=1)))


# -- login (2) -----------------------------------------------------------------------------


def test_login_with_email(guest: tiktok.Client) -> None:
    result = guest.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
    assert result.user_id == ACCOUNT_ID
    assert result.session_key
    assert guest.logged_in
    assert guest.credentials.token
    assert "x-tt-token" not in guest.session.headers  # never a session-wide default


def test_login_with_username(guest: tiktok.Client) -> None:
    result = guest.login_with_username(SANDBOX_USERNAME, SANDBOX_PASSWORD)
    assert result.name == SANDBOX_USERNAME
    assert tiktok.to_dict(result)["user_id"] == int(ACCOUNT_ID)  # sent as a JSON number


def test_login_with_a_wrong_password(guest: tiktok.Client) -> None:
    with pytest.raises(tiktok.LoginError) as caught:
        guest.login_with_email(SANDBOX_EMAIL, "not-the-password")
    assert caught.value.error_code == 1009
    assert caught.value.description == "Wrong password"
    assert not caught.value.captcha_required


def test_the_session_cookie_alone_keeps_the_login(sb: Sandbox) -> None:
    with sb.client() as client:
        client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
        client.credentials.token = None
        assert client.live.can_start() is True


# -- users (3) -------------------------------------------------------------------------------


def test_users_get(guest: tiktok.Client) -> None:
    user = guest.users.get(BIG_USER_ID)
    assert user.uid == BIG_USER_ID
    assert user.unique_id == "sandbox.star"
    assert user.follower_count is not None and user.follower_count >= 250_000
    assert user.following_count is not None and user.following_count >= 250_000
    assert user.aweme_count == 10_000


def test_users_search(guest: tiktok.Client) -> None:
    results = list(guest.users.search("cat", limit=30))
    assert len(results) == 30
    for result in results:
        assert result.user_info is not None
        name = (result.user_info.unique_id or "") + " " + (result.user_info.nickname or "").lower()
        assert "cat" in name
        assert result.position or result.uniqid_position


def test_users_qr_code(guest: tiktok.Client) -> None:
    qr = guest.users.qr_code(BIG_USER_ID)
    assert qr.url_list and BIG_USER_ID in qr.url_list[0]


# -- posts, likes, comments (6) ----------------------------------------------------------------------


def test_posts_get(guest: tiktok.Client) -> None:
    listed = first_post(guest)
    post = guest.posts.get(listed.aweme_id)
    assert post.aweme_id == listed.aweme_id
    assert post.author is not None and post.author.uid == BIG_USER_ID
    assert post.create_time == listed.create_time
    assert post.video is not None and post.video.duration


def test_posts_iter(guest: tiktok.Client) -> None:
    posts = list(guest.users.posts(BIG_USER_ID, count=30, limit=70))
    assert len(posts) == 70
    times = [post.create_time for post in posts]
    assert times == sorted(times, reverse=True)
    assert len({post.aweme_id for post in posts}) == 70


def test_posts_like_and_unlike(account: tiktok.Client) -> None:
    post = first_post(account)
    before = account.posts.get(post.aweme_id).statistics.digg_count
    liked = account.posts.like(post.aweme_id)
    assert liked.liked is True and liked.is_digg == 0
    after_like = account.posts.get(post.aweme_id)
    assert after_like.statistics.digg_count == before + 1
    assert after_like.user_digged == 1
    unliked = account.posts.unlike(post.aweme_id)
    assert unliked.liked is False and unliked.is_digg == 1
    assert account.posts.get(post.aweme_id).statistics.digg_count == before


def test_posts_comments(guest: tiktok.Client) -> None:
    post = first_post(guest)
    pager = guest.posts.comments(post.aweme_id, count=7)
    comments = list(pager)
    assert len(comments) == post.statistics.comment_count
    assert len({c.cid for c in comments}) == len(comments)
    assert all(c.aweme_id == post.aweme_id for c in comments)


def test_posts_comment(account: tiktok.Client) -> None:
    post = first_post(account)
    tag = tiktok.Tag(begin=0, end=5, type=0, user_id=BIG_USER_ID)
    comment = account.posts.comment(post.aweme_id, "hello & welcome, #1 ünïcode", tags=[tag])
    assert comment.text == "hello & welcome, #1 ünïcode"
    assert comment.text_extra is not None and comment.text_extra[0].user_id == BIG_USER_ID
    assert comment.user is not None and comment.user.uid == ACCOUNT_ID
    newest = next(iter(account.posts.comments(post.aweme_id, limit=1)))
    assert newest.cid == comment.cid


# -- feeds (2) ---------------------------------------------------------------------------------------


def test_feed_for_you(guest: tiktok.Client) -> None:
    pages = list(guest.feed.for_you(limit=15).pages())
    assert [len(page) for page in pages] == [6, 6, 3]
    assert all(page.has_more for page in pages)
    posts = [post for page in pages for post in page]
    assert len({post.aweme_id for post in posts}) == 15  # every page brings new posts


def test_feed_following(account: tiktok.Client, guest: tiktok.Client) -> None:
    followed = {user.uid for user in account.follows.following(ACCOUNT_ID)}
    posts = list(account.feed.following(limit=12))
    assert len(posts) == 12
    assert all(post.author is not None and post.author.uid in followed for post in posts)
    assert list(guest.feed.following(limit=5)) == []  # nobody followed without a session


# -- hashtags (3) --------------------------------------------------------------------------------------


def test_hashtags_categories(guest: tiktok.Client) -> None:
    categories = list(guest.hashtags.categories())
    assert len(categories) == 40
    assert all(c.challenge_info is not None and c.challenge_info.cid for c in categories)
    assert all(c.aweme_list for c in categories)


def test_hashtags_search(guest: tiktok.Client) -> None:
    results = list(guest.hashtags.search("dance"))
    assert results[0].challenge_info.cha_name == "dance"
    names = [r.challenge_info.cha_name for r in results]
    assert all("dance" in name for name in names)
    assert len(set(names)) == len(names)


def test_hashtags_posts(guest: tiktok.Client) -> None:
    cid = next(iter(guest.hashtags.search("dance"))).challenge_info.cid
    posts = list(guest.hashtags.posts(cid, count=50))
    assert 20 <= len(posts) <= 200
    assert len({p.aweme_id for p in posts}) == len(posts)


# -- stickers (3) --------------------------------------------------------------------------------------


def test_stickers_get(guest: tiktok.Client) -> None:
    sticker = guest.stickers.get("100000")
    assert sticker.id == "100000" and sticker.name


def test_stickers_get_many_keeps_the_order(guest: tiktok.Client) -> None:
    stickers = guest.stickers.get_many(["100001", "22094", "100000"])
    assert [s.id for s in stickers] == ["100001", "22094", "100000"]


def test_stickers_posts(guest: tiktok.Client) -> None:
    posts = list(guest.stickers.posts("22094", count=40))
    assert len(posts) >= 10
    assert len({p.aweme_id for p in posts}) == len(posts)


# -- follows (7) ------------------------------------------------------------------------------------------


def test_follows_followers(guest: tiktok.Client) -> None:
    followers = list(guest.follows.followers(BIG_USER_ID, limit=50))
    assert len(followers) == 50 and len({f.uid for f in followers}) == 50


def test_follows_following(guest: tiktok.Client) -> None:
    following = list(guest.follows.following(BIG_USER_ID, limit=50))
    assert len(following) == 50 and len({f.uid for f in following}) == 50


def test_follows_follow_and_unfollow(account: tiktok.Client) -> None:
    target = next(iter(account.follows.followers(BIG_USER_ID))).uid
    assert account.users.get(target).follow_status == 0
    assert account.follows.follow(target).following is True
    assert account.users.get(target).follow_status == 1
    assert account.follows.unfollow(target).following is False
    assert account.users.get(target).follow_status == 0


def test_follows_requests_approve_and_reject(account: tiktok.Client) -> None:
    pending = list(account.follows.requests())
    assert len(pending) >= 2
    assert account.follows.approve(pending[0].uid).approve_status == 0
    assert account.follows.reject(pending[1].uid).reject_status == 0
    left = {user.uid for user in account.follows.requests()}
    assert left == {user.uid for user in pending[2:]}


# -- live (7) ----------------------------------------------------------------------------------------------


def test_live_join_and_leave(account: tiktok.Client) -> None:
    room = account.live.join("7000000000000000042")
    assert room.room_id == "7000000000000000042"
    assert room.stream_url is not None and room.stream_url.rtmp_pull_url
    assert room.status == 2
    assert account.live.leave(room.room_id).status_code == 0


def test_live_can_start(account: tiktok.Client) -> None:
    assert account.live.can_start() is True


def test_live_create_room_and_update_status(account: tiktok.Client) -> None:
    room = account.live.create_room("a room", contacts_authorized=True)
    assert room.title == "a room" and room.status == tiktok.LiveStatus.CREATED
    assert int(room.room_id) > 2**63
    assert room.stream_url is not None and room.stream_url.rtmp_push_url
    account.live.update_status(room.room_id, room.stream_id, tiktok.LiveStatus.STARTED)
    assert account.live.join(room.room_id).status == tiktok.LiveStatus.STARTED


def test_live_start_and_end(account: tiktok.Client) -> None:
    room = account.live.start("going live")
    assert account.live.join(room.room_id).status == tiktok.LiveStatus.STARTED
    account.live.end(room.room_id, room.stream_id)
    ended = account.live.join(room.room_id)
    assert ended.status == tiktok.LiveStatus.ENDED
    assert ended.finish_time is not None and abs(ended.finish_time - time.time()) < 60


def test_live_cannot_restart_an_ended_room(account: tiktok.Client) -> None:
    room = account.live.start("once")
    account.live.end(room.room_id, room.stream_id)
    with pytest.raises(tiktok.APIError) as caught:
        account.live.update_status(room.room_id, room.stream_id, tiktok.LiveStatus.STARTED)
    assert caught.value.status_code == 4


# -- what needs a session ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.follows.follow(BIG_USER_ID),
        lambda c: c.follows.unfollow(BIG_USER_ID),
        lambda c: c.posts.like("6900000000000000000"),
        lambda c: c.posts.unlike("6900000000000000000"),
        lambda c: c.posts.comment("6900000000000000000", "hi"),
        lambda c: list(c.follows.requests()),
        lambda c: c.follows.approve("1"),
        lambda c: c.follows.reject("1"),
        lambda c: c.live.join("1"),
        lambda c: c.live.leave("1"),
        lambda c: c.live.can_start(),
        lambda c: c.live.create_room("t"),
        lambda c: c.live.update_status("1", "1", tiktok.LiveStatus.STARTED),
    ],
)
def test_session_calls_raise_login_required_without_a_session(
    guest: tiktok.Client, call: object
) -> None:
    assert callable(call)
    with pytest.raises(tiktok.LoginRequiredError) as caught:
        call(guest)
    assert caught.value.status_code == 8
