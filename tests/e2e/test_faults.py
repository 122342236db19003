"""Under injected faults the client's retries see the same world as without faults."""

from __future__ import annotations

from typing import List

import pytest

import tiktok
from tiktok.sandbox import BIG_USER_ID, SANDBOX_EMAIL, SANDBOX_PASSWORD, Sandbox

pytestmark = pytest.mark.e2e


def read_everything(client: tiktok.Client) -> List[object]:
    return [
        tiktok.to_dict(client.users.get(BIG_USER_ID)),
        [u.uid for u in client.follows.followers(BIG_USER_ID, count=50, limit=200)],
        [p.aweme_id for p in client.users.posts(BIG_USER_ID, count=20, limit=60)],
        [s.id for s in client.stickers.get_many(["1", "2", "3"])],
    ]


def test_reads_through_faults_see_the_world_of_the_seed(signing: str) -> None:
    with Sandbox(seed=4, signing=signing) as calm, calm.client() as client:
        expected = read_everything(client)
    # slow faults answer after 1.5 s, past the client's 1 s timeout: a read timeout, retried.
    with Sandbox(seed=4, fault_rate=0.3, slow_seconds=1.5, signing=signing) as stormy:
        with stormy.client(retries=8, backoff=0.01, timeout=1.0) as client:
            seen = read_everything(client)
        stats = stormy.stats
    assert seen == expected
    assert sum(stats["faults"].values()) > 0
    assert stats["faults"]["apply_then_drop"] == 0  # only writes meet that one


def test_a_write_dropped_after_it_was_applied_is_visible_afterwards(signing: str) -> None:
    with Sandbox(seed=0, fault_rate=1.0, slow_seconds=0.1, signing=signing) as sb:
        sb.faults_enabled = False
        client = sb.client(retries=0)
        client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
        target = next(iter(client.follows.followers(BIG_USER_ID))).uid
        assert target is not None
        outcomes = []
        sb.faults_enabled = True
        for _ in range(40):  # every request faults; some of the follows are applied, then dropped
            try:
                client.follows.follow(target)
                outcomes.append("answered")
            except tiktok.TikTokError as error:
                outcomes.append(type(error).__name__)
            if sb.stats["faults"]["apply_then_drop"]:
                break
        sb.faults_enabled = False
        assert sb.stats["faults"]["apply_then_drop"] == 1
        assert outcomes[-1] == "TransportError"
        assert client.users.get(target).follow_status == 1
