"""The soak: long crawls and writes through a sandbox that faults one request in five.

3,000 followers and 600 posts of the big user must come out identical (same items,
same order, no duplicates) to the same crawl with faults off, and comments posted
through faults are never doubled and every acknowledged one is listed. The
figures go to the terminal summary (``hostile bodies`` and ``soak`` lines).
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any, Dict, List, Tuple

import pytest

import tiktok
from tiktok.sandbox import BIG_USER_ID, SANDBOX_EMAIL, SANDBOX_PASSWORD, Sandbox

FAULT_RATE = 0.2
# Faults are drawn from the seed and the request's number, so a run is repeatable. With
# seed 10 the comments meet "apply, then drop" twice: the write that must not be resent.
SEED = 10
FOLLOWERS = 3000
POSTS = 600
COMMENTS = 30
# A "slow" fault answers after SLOW_SECONDS; the client gives up just before that.
SLOW_SECONDS = 0.6
TIMEOUT = 0.4
RETRIES = 6  # 7 faults in a row on one request: 0.2 ** 7, about 1 in 80,000

#: The figures of the last run, for the terminal summary (see conftest.py).
FIGURES: Dict[str, Any] = {}


def crawl(client: tiktok.Client) -> Tuple[List[str], List[str]]:
    followers = [u.uid for u in client.follows.followers(BIG_USER_ID, limit=FOLLOWERS)]
    posts = [p.aweme_id for p in client.users.posts(BIG_USER_ID, limit=POSTS)]
    return followers, posts  # type: ignore[return-value]


def log_in(client: tiktok.Client) -> int:
    """Log in, trying again on any failure: a second login is harmless. Returns the tries."""
    for attempt in range(1, 11):
        try:
            client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
            return attempt
        except tiktok.TikTokError:
            continue
    raise AssertionError("could not log in through the faults in 10 tries")


def fault_counts(stats: Dict[str, Any]) -> Dict[str, int]:
    return {kind: n for kind, n in stats["faults"].items() if n}


@pytest.mark.slow
@pytest.mark.parametrize("signing", ["url", "headers"])  # docs/protocol.rst (Request signing)
def test_soak_through_faults_loses_nothing_and_doubles_nothing(signing: str) -> None:
    started = time.monotonic()
    with Sandbox(
        seed=SEED, fault_rate=FAULT_RATE, slow_seconds=SLOW_SECONDS, signing=signing
    ) as sb:
        client = sb.client(retries=RETRIES, backoff=0.01, timeout=TIMEOUT)

        # The reference: the same crawl with faults off.
        sb.faults_enabled = False
        expected_followers, expected_posts = crawl(client)
        calls = sb.stats["requests"]
        assert fault_counts(sb.stats) == {}
        assert len(expected_followers) == FOLLOWERS and len(expected_posts) == POSTS

        sb.faults_enabled = True
        followers, posts = crawl(client)
        crawl_requests = sb.stats["requests"] - calls
        crawl_faults = fault_counts(sb.stats)

        assert followers == expected_followers  # same items, same order
        assert posts == expected_posts
        assert len(set(followers)) == FOLLOWERS  # no duplicates
        assert len(set(posts)) == POSTS
        crawl_seconds = time.monotonic() - started

        # Writes through faults: every attempt has its own text, none is resent by hand.
        before_writes = sb.stats["requests"]
        login_tries = log_in(client)
        post_id = expected_posts[0]
        nonce = f"{time.time_ns()}"
        acknowledged: Dict[str, str] = {}  # text -> cid
        failed: Dict[str, str] = {}  # text -> error
        while len(acknowledged) < COMMENTS:
            text = f"soak {nonce} #{len(acknowledged) + len(failed):03d}"
            try:
                acknowledged[text] = client.posts.comment(post_id, text).cid  # type: ignore[assignment]
            except tiktok.TikTokError as exc:
                failed[text] = type(exc).__name__
            assert len(failed) < COMMENTS, f"too many comments failed: {failed}"
        write_requests = sb.stats["requests"] - before_writes

        listed = [c for c in client.posts.comments(post_id, count=50) if nonce in (c.text or "")]
        sb.faults_enabled = False
        listed_without_faults = [
            c for c in client.posts.comments(post_id, count=50) if nonce in (c.text or "")
        ]
        texts = [c.text for c in listed]

        assert [(c.cid, c.text) for c in listed] == [(c.cid, c.text) for c in listed_without_faults]
        assert len(texts) == len(set(texts))  # never doubled
        listed_cids = {c.text: c.cid for c in listed}
        lost = {t: cid for t, cid in acknowledged.items() if listed_cids.get(t) != cid}
        assert lost == {}  # every acknowledged comment is listed, with its id
        applied_unacknowledged = sorted(set(texts) & set(failed))
        stray = set(texts) - set(acknowledged) - set(failed)
        assert stray == set()

        stats = sb.stats
        elapsed = time.monotonic() - started

    logical_crawl_calls = calls  # the faultless crawl made exactly one request per call
    FIGURES[signing] = dict(
        items={"followers": len(followers), "posts": len(posts), "comments": len(acknowledged)},
        duplicates=len(followers)
        - len(set(followers))
        + len(posts)
        - len(set(posts))
        + len(texts)
        - len(set(texts)),
        losses=len(lost)
        + sum(a != b for a, b in zip(followers, expected_followers))
        + sum(a != b for a, b in zip(posts, expected_posts)),
        crawl={
            "calls": logical_crawl_calls,
            "requests": crawl_requests,
            "retries used": crawl_requests - logical_crawl_calls,
            "faults": crawl_faults,
            "seconds": round(crawl_seconds, 1),
        },
        writes={
            "login tries": login_tries,
            "comment attempts": len(acknowledged) + len(failed),
            "acknowledged": len(acknowledged),
            "failed": dict(Counter(failed.values())),
            "failed but applied (listed once)": len(applied_unacknowledged),
            "requests": write_requests,
            "retries used": write_requests - login_tries - len(acknowledged) - len(failed),
        },
        faults_injected=fault_counts(stats),
        total_requests=stats["requests"],
        # A signature sent twice: an attempt resent with stale bytes.
        repeated_signatures=stats["repeated_signature"],
        seconds=round(elapsed, 1),
    )
    figures = FIGURES[signing]
    print(f"\nsoak figures ({signing} signing): {figures}")

    # The soak soaked: faults of many kinds were injected and survived.
    injected = sum(figures["faults_injected"].values())
    assert injected >= 0.1 * stats["requests"]
    assert len(figures["faults_injected"]) >= 5
    assert crawl_requests > logical_crawl_calls  # retries were needed, and used
    assert figures["repeated_signatures"] == 0  # every attempt signed afresh
    # Writes met the fault that tempts a resend: applied, then the connection dropped.
    assert figures["faults_injected"].get("apply_then_drop", 0) >= 1
    assert len(applied_unacknowledged) == figures["faults_injected"]["apply_then_drop"]
