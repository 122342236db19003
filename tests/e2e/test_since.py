"""``since``/``until`` on a user's posts (newest first): the walk stops at the first page before ``since``."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import tiktok
from tiktok.sandbox import BIG_USER_ID, Sandbox


def test_since_stops_at_the_first_page_before_it(guest: tiktok.Client, sb: Sandbox) -> None:
    newest = list(guest.users.posts(BIG_USER_ID, count=20, limit=100))
    times = [p.create_time or 0 for p in newest]
    assert times == sorted(times, reverse=True)
    since = times[44]  # inside the third page of 20
    before = sb.stats["requests"]
    posts = list(guest.users.posts(BIG_USER_ID, count=20, since=since))
    sent = sb.stats["requests"] - before
    assert [p.aweme_id for p in posts] == [
        p.aweme_id for p in newest if (p.create_time or 0) >= since
    ]
    assert sent == 3  # pages 1-3; the listing holds far more


def test_until_leaves_out_the_newest_and_takes_a_datetime(guest: tiktok.Client) -> None:
    newest = list(guest.users.posts(BIG_USER_ID, count=20, limit=60))
    times = [p.create_time or 0 for p in newest]
    until = datetime.fromtimestamp(times[10], timezone.utc)
    since = datetime.fromtimestamp(times[30], timezone.utc)
    window = list(guest.users.posts(BIG_USER_ID, count=20, since=since, until=until))
    assert [p.aweme_id for p in window] == [
        p.aweme_id for p in newest if times[30] <= (p.create_time or 0) < times[10]
    ]


def test_a_naive_datetime_is_refused(guest: tiktok.Client) -> None:
    with pytest.raises(ValueError, match="aware"):
        guest.users.posts(BIG_USER_ID, since=datetime(2024, 1, 1))
