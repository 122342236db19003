"""One Client shared by 8 threads, each walking a different listing, gives every item a
single-threaded walk gives (docs/crawling.rst (Threads))."""

from __future__ import annotations

import threading
from typing import Any, Callable, Dict, List

import tiktok
from tiktok.sandbox import BIG_USER_ID, Sandbox

Listing = Callable[[tiktok.Client], Any]

LISTINGS: Dict[str, Listing] = {
    "followers": lambda c: c.follows.followers(BIG_USER_ID, count=50, limit=600),
    "following": lambda c: c.follows.following(BIG_USER_ID, count=40, limit=400),
    "posts": lambda c: c.users.posts(BIG_USER_ID, count=30, limit=300),
    "comments": lambda c: c.posts.comments("7000000000000000123", count=10),
    "hashtag": lambda c: c.hashtags.posts("1234567", count=20, limit=200),
    "sticker": lambda c: c.stickers.posts("456", count=10),
    "small followers": lambda c: c.follows.followers("6800000000000000005", count=25),
    "user search": lambda c: c.users.search("sandbox", count=10, limit=100),
}


def _walk(client: tiktok.Client, listing: Listing) -> List[Dict[str, Any]]:
    return [tiktok.to_dict(item) for item in listing(client)]


def _walk_together(client: tiktok.Client) -> Dict[str, List[Dict[str, Any]]]:
    """Every listing walked at once, one thread each, all starting together."""
    got: Dict[str, List[Dict[str, Any]]] = {}
    errors: List[BaseException] = []
    start = threading.Barrier(len(LISTINGS))

    def walk(name: str, listing: Listing) -> None:
        try:
            start.wait()
            got[name] = _walk(client, listing)
        except BaseException as exc:  # reported below, with the listing's name
            errors.append(exc)

    threads = [threading.Thread(target=walk, args=item, name=item[0]) for item in LISTINGS.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    return got


def test_eight_threads_on_one_client_see_what_one_thread_sees() -> None:
    with Sandbox(seed=0) as sandbox, sandbox.client() as client:
        expected = {name: _walk(client, listing) for name, listing in LISTINGS.items()}
        assert all(expected.values())
        for _ in range(3):  # a few rounds, to give a race several chances
            got = _walk_together(client)
            for name in LISTINGS:
                assert got[name] == expected[name], name
