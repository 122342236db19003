"""Writes are real: each one shows in the listings and counts that depend on it."""

from __future__ import annotations

import pytest

import tiktok
from tiktok.sandbox import BIG_USER_ID, Sandbox

pytestmark = pytest.mark.e2e

ACCOUNT_ID = "6800000000000000001"


def some_user(client: tiktok.Client, skip: int = 0) -> str:
    users = list(client.follows.followers(BIG_USER_ID, limit=skip + 1))
    return users[skip].uid  # type: ignore[return-value]


def test_a_comment_shows_first_and_counts(account: tiktok.Client) -> None:
    post = next(iter(account.users.posts(BIG_USER_ID, limit=1)))
    aweme_id = post.aweme_id
    before_total = next(account.posts.comments(aweme_id).pages()).response.total
    before_count = account.posts.get(aweme_id).statistics.comment_count
    first = account.posts.comment(aweme_id, "first of two")
    second = account.posts.comment(aweme_id, "second of two")
    page = next(account.posts.comments(aweme_id, count=5).pages())
    assert [c.cid for c in page.items[:2]] == [second.cid, first.cid]
    assert page.response.total == before_total + 2
    assert account.posts.get(aweme_id).statistics.comment_count == before_count + 2
    every = [c.cid for c in account.posts.comments(aweme_id, count=100)]
    assert len(every) == len(set(every)) == before_total + 2


def test_follow_and_unfollow_change_status_counts_and_listings(account: tiktok.Client) -> None:
    target = some_user(account, skip=3)
    followers_before = account.users.get(target).follower_count
    following_before = account.users.get(ACCOUNT_ID).following_count

    assert account.follows.follow(target).follow_status == 1
    profile = account.users.get(target)
    assert profile.follow_status == 1
    assert profile.follower_count == followers_before + 1
    assert account.users.get(ACCOUNT_ID).following_count == following_before + 1
    # the newest follower of the target is the account; the account's newest following is the target
    assert next(iter(account.follows.followers(target))).uid == ACCOUNT_ID
    assert next(iter(account.follows.following(ACCOUNT_ID))).uid == target
    walked = [u.uid for u in account.follows.followers(target, count=100)]
    assert len(walked) == followers_before + 1

    assert account.follows.unfollow(target).follow_status == 0
    assert account.users.get(target).follower_count == followers_before
    assert account.users.get(ACCOUNT_ID).following_count == following_before
    assert target not in {u.uid for u in account.follows.following(ACCOUNT_ID)}


def test_many_follows_in_one_second_all_show_in_the_listing(account: tiktok.Client) -> None:
    targets = [some_user(account, skip=10 + n) for n in range(5)]
    for uid in targets:
        account.follows.follow(uid)
    following = [u.uid for u in account.follows.following(ACCOUNT_ID, count=2)]
    assert following[:5] == targets[::-1]
    assert len(following) == len(set(following)) == account.users.get(ACCOUNT_ID).following_count
    for uid in targets:
        account.follows.unfollow(uid)


def test_likes_change_digg_count_and_what_the_account_sees(
    account: tiktok.Client, guest: tiktok.Client
) -> None:
    post = list(account.users.posts(BIG_USER_ID, limit=3))[2]
    before = post.statistics.digg_count
    account.posts.like(post.aweme_id)
    account.posts.like(post.aweme_id)  # liking twice counts once
    assert account.posts.get(post.aweme_id).statistics.digg_count == before + 1
    assert account.posts.get(post.aweme_id).user_digged == 1
    assert guest.posts.get(post.aweme_id).user_digged == 0  # no session, no "you liked this"
    assert account.users.get(ACCOUNT_ID).favoriting_count >= 1
    account.posts.unlike(post.aweme_id)
    assert account.posts.get(post.aweme_id).statistics.digg_count == before


def test_an_approved_request_becomes_a_follower_and_a_rejected_one_does_not(
    account: tiktok.Client,
) -> None:
    pending = list(account.follows.requests())
    approved, rejected = pending[0].uid, pending[1].uid
    followers_before = account.users.get(ACCOUNT_ID).follower_count
    account.follows.approve(approved)
    account.follows.reject(rejected)
    remaining = next(account.follows.requests().pages())
    assert remaining.response.total == len(pending) - 2
    assert {approved, rejected}.isdisjoint(u.uid for u in remaining)
    assert account.users.get(ACCOUNT_ID).follower_count == followers_before + 1
    assert next(iter(account.follows.followers(ACCOUNT_ID))).uid == approved
    assert account.users.get(approved).follower_status == 1
    assert account.users.get(rejected).follower_status == 0
    try:
        account.follows.approve(approved)
    except tiktok.APIError as error:
        assert error.status_code == 4  # no longer pending
    else:
        raise AssertionError("approving twice must fail")


def test_writes_survive_a_new_client_but_not_a_new_sandbox(
    sb: Sandbox, account: tiktok.Client
) -> None:
    target = some_user(account, skip=40)
    account.follows.follow(target)
    with sb.client() as other:
        other.login_with_email("sandbox@example.com", "sandbox-pass-123")
        assert other.users.get(target).follow_status == 1
    with Sandbox(seed=0, signing=sb.signing) as fresh, fresh.client() as client:
        client.login_with_email("sandbox@example.com", "sandbox-pass-123")
        assert client.users.get(target).follow_status == 0
    account.follows.unfollow(target)
