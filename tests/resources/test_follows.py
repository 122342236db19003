"""client.follows: followers, following, follow, unfollow, requests, approve, reject on the wire."""

from __future__ import annotations

import time

import pytest

import tiktok
from tests.conftest import ANY, check_wire, envelope, query_value, url

USER_ID = "6800000000000000001"


def time_page(key: str) -> dict:
    return envelope(
        **{key: [{"uid": "1"}, {"uid": "2"}]}, has_more=False, min_time=1600, max_time=1700
    )


def check_max_time_is_now(rsps, before: int) -> None:
    assert before <= int(query_value(rsps.calls[0].request.url, "max_time")) <= int(time.time())


def test_followers_on_the_wire(client, rsps, signer) -> None:
    rsps.get(url("aweme/v1/user/follower/list/"), json=time_page("followers"))
    before = int(time.time())
    followers = list(client.follows.followers(USER_ID))
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/user/follower/list/",
        params=[
            ("user_id", USER_ID),
            ("max_time", ANY),
            ("count", "20"),
            ("retry_type", "no_retry"),
        ],
    )
    check_max_time_is_now(rsps, before)
    assert [u.uid for u in followers] == ["1", "2"]
    assert all(isinstance(u, tiktok.User) for u in followers)


def test_following_on_the_wire(client, rsps, signer) -> None:
    rsps.get(url("aweme/v1/user/following/list/"), json=time_page("followings"))
    before = int(time.time())
    following = list(client.follows.following(USER_ID, count=50))
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/user/following/list/",
        params=[
            ("user_id", USER_ID),
            ("max_time", ANY),
            ("count", "50"),
            ("retry_type", "no_retry"),
        ],
    )
    check_max_time_is_now(rsps, before)
    assert [u.uid for u in following] == ["1", "2"]


def test_follow_on_the_wire(client, rsps, signer) -> None:
    rsps.get(url("aweme/v1/commit/follow/user/"), json=envelope(follow_status=1, watch_status=0))
    result = client.follows.follow(USER_ID)
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/commit/follow/user/",
        params=[("user_id", USER_ID), ("type", "1")],
    )
    assert isinstance(result, tiktok.FollowResult)
    assert result.follow_status == 1 and result.following is True


def test_unfollow_on_the_wire(client, rsps, signer) -> None:
    rsps.get(url("aweme/v1/commit/follow/user/"), json=envelope(follow_status=0, watch_status=0))
    result = client.follows.unfollow(USER_ID)
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/commit/follow/user/",
        params=[("user_id", USER_ID), ("type", "0")],
    )
    assert result.follow_status == 0 and result.following is False


def test_requests_on_the_wire(client, rsps, signer) -> None:
    rsps.get(url("aweme/v1/user/following/request/list/"), json=time_page("request_users"))
    before = int(time.time())
    users = list(client.follows.requests(count=5))
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/user/following/request/list/",
        params=[("max_time", ANY), ("count", "5"), ("retry_type", "no_retry")],
    )
    check_max_time_is_now(rsps, before)
    assert [u.uid for u in users] == ["1", "2"]


def test_approve_on_the_wire(client, rsps, signer) -> None:
    rsps.get(url("aweme/v1/commit/follow/request/approve/"), json=envelope(approve_status=0))
    result = client.follows.approve(USER_ID)
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/commit/follow/request/approve/",
        params=[("from_user_id", USER_ID)],
    )
    assert isinstance(result, tiktok.ApproveResult) and result.approve_status == 0


def test_reject_on_the_wire(client, rsps, signer) -> None:
    rsps.get(url("aweme/v1/commit/follow/request/reject/"), json=envelope(reject_status=0))
    result = client.follows.reject(USER_ID)
    check_wire(
        rsps.calls[0],
        signer.calls[0],
        method="GET",
        path="aweme/v1/commit/follow/request/reject/",
        params=[("from_user_id", USER_ID)],
    )
    assert isinstance(result, tiktok.RejectResult) and result.reject_status == 0


def test_follow_needs_login(client, rsps) -> None:
    rsps.get(url("aweme/v1/commit/follow/user/"), json={"status_code": 8, "status_msg": "login"})
    with pytest.raises(tiktok.LoginRequiredError):
        client.follows.follow(USER_ID)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.follows.followers("me"),
        lambda c: c.follows.following(""),
        lambda c: c.follows.followers("1", limit=-1),
        lambda c: c.follows.follow("abc"),
        lambda c: c.follows.unfollow(None),
        lambda c: c.follows.requests(count=1000),
        lambda c: c.follows.approve("1 2"),
        lambda c: c.follows.reject([1]),
    ],
)
def test_invalid_arguments_are_refused_before_sending(client, rsps, call) -> None:
    with pytest.raises(ValueError):
        call(client)
    assert len(rsps.calls) == 0
