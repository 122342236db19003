"""Follower pages and the follow / approve / reject results."""

from __future__ import annotations

import pytest

import tiktok
from tiktok._converter import structure
from tiktok.models import FollowerPage, FollowingPage, RequestPage


@pytest.mark.parametrize(
    ("cls", "key"),
    [(FollowerPage, "followers"), (FollowingPage, "followings"), (RequestPage, "request_users")],
)
def test_time_pages(cls, key: str) -> None:
    body = {
        key: [{"uid": "1"}, {}],
        "has_more": False,
        "max_time": 1000,
        "min_time": 999,
        "total": 2,
    }
    page = structure(body, cls)
    assert [u.uid for u in getattr(page, key)] == ["1", None]
    assert (page.has_more, page.max_time, page.min_time, page.total) == (False, 1000, 999, 2)
    assert tiktok.to_dict(page) == body


@pytest.mark.parametrize(("status", "following"), [(1, True), (0, False), (None, None)])
def test_follow_result(status, following) -> None:
    body = {"status_code": 0, "watch_status": 0}
    if status is not None:
        body["follow_status"] = status
    result = structure(body, tiktok.FollowResult)
    assert result.follow_status == status
    assert result.following is following


def test_approve_and_reject_results() -> None:
    assert structure({"approve_status": 0}, tiktok.ApproveResult).approve_status == 0
    assert structure({"reject_status": 1}, tiktok.RejectResult).reject_status == 1
