"""``tiktok demo``: a tour of every namespace of the client, on an in-process sandbox."""

from __future__ import annotations

import time
from typing import Any, List, Optional, TextIO

from ..client import Client
from ..models import Post

__all__ = ["STEPS", "run_demo"]

# The label of every step, in order: the tests check that each one is printed.
STEPS = (
    "sandbox",
    "login_with_email",
    "users.get",
    "users.posts",
    "follows.followers",
    "users.search",
    "hashtags.search",
    "posts.comment",
    "follows.follow",
    "posts.like",
    "stickers.get",
    "music.get",
    "resolve",
    "live.start",
)

POSTS_TO_LIST = 100
POSTS_PER_PAGE = 25
SEARCH_KEYWORD = "dance"
COMMENT_TEXT = "Hello from tiktok demo!"
# Comments to scan for the one just posted, however the listing orders it.
COMMENT_SCAN_LIMIT = 2000


class _Tour:
    def __init__(self, out: TextIO) -> None:
        self._out = out

    def step(self, label: str, text: str) -> None:
        self._out.write(f"{label:<18} {text}\n")
        self._out.flush()

    def say(self, text: str = "") -> None:
        self._out.write(text + "\n")
        self._out.flush()


def run_demo(out: TextIO, *, seed: int = 0) -> None:
    """Start a sandbox, run one call of every namespace on it, print a line per step."""
    from ..sandbox import BIG_USER_ID, SANDBOX_EMAIL, SANDBOX_PASSWORD, Sandbox

    started = time.monotonic()
    tour = _Tour(out)
    with Sandbox(seed=seed, fault_rate=0.0) as sandbox:
        tour.step("sandbox", f"a local TikTok API at {sandbox.url} (nothing leaves this machine)")
        with sandbox.client() as client:
            me = client.login_with_email(SANDBOX_EMAIL, SANDBOX_PASSWORD)
            tour.step(
                "login_with_email",
                f"logged in as {me.screen_name or me.name} (user id {me.user_id})",
            )
            _tour_calls(tour, client, BIG_USER_ID)
    elapsed = time.monotonic() - started
    tour.say()
    tour.say(f"Done in {elapsed:.1f}s: every namespace answered. Try next:")
    tour.say(f"  tiktok --sandbox posts list {BIG_USER_ID} --limit 5")
    tour.say(
        f"  tiktok --sandbox follows followers {BIG_USER_ID} --limit 250 > followers.jsonl"
        "  (then resume: see stderr)"
    )
    tour.say("  tiktok sandbox      (serve it on a port for your scripts and the npm client)")
    tour.say("  tiktok --help       (all the commands; JSON Lines on stdout)")
    tour.say("For the real API: export TIKTOK_DEVICE_ID, TIKTOK_IID, TIKTOK_OPENUDID and TIKTOK_FP")
    tour.say(
        "from your device and add --signer yourmodule:signer (TikTok's signature is not included)."
    )


def _tour_calls(tour: _Tour, client: Client, big_user_id: Any) -> None:
    user = client.users.get(big_user_id)
    tour.step(
        "users.get",
        f"@{user.unique_id}: {_n(user.follower_count)} followers, "
        f"{_n(user.following_count)} following, {_n(user.aweme_count)} posts",
    )

    pager = client.users.posts(big_user_id, count=POSTS_PER_PAGE, limit=POSTS_TO_LIST)
    pages = list(pager.pages())
    posts: List[Post] = [post for page in pages for post in page.items]
    tour.step(
        "users.posts",
        f"{len(posts)} posts of @{user.unique_id} over {len(pages)} pages of {POSTS_PER_PAGE}; "
        f"cursor={pager.cursor} resumes",
    )

    followers = list(client.follows.followers(big_user_id, limit=3))
    tour.step(
        "follows.followers",
        f"{_names(followers)}, ... (fetched as you iterate)",
    )

    hits = list(client.users.search(SEARCH_KEYWORD, limit=3))
    tour.step(
        "users.search",
        f"{SEARCH_KEYWORD!r}: {_names([hit.user_info for hit in hits])}",
    )

    tags = list(client.hashtags.search(SEARCH_KEYWORD, limit=3))
    tag_names = ", ".join(
        f"#{tag.challenge_info.cha_name}" for tag in tags if tag.challenge_info is not None
    )
    tour.step("hashtags.search", f"{SEARCH_KEYWORD!r}: {tag_names or 'no hashtags'}")

    post = posts[0]
    comment = client.posts.comment(post.aweme_id or "", COMMENT_TEXT)
    listed = any(
        c.cid == comment.cid
        for c in client.posts.comments(post.aweme_id or "", count=100, limit=COMMENT_SCAN_LIMIT)
    )
    tour.step(
        "posts.comment",
        f"comment {comment.cid} on post {post.aweme_id}: "
        + ("it shows up in posts.comments()" if listed else "it is NOT in posts.comments()"),
    )

    before = user.follower_count
    followed = client.follows.follow(big_user_id)
    during = client.users.get(big_user_id).follower_count
    unfollowed = client.follows.unfollow(big_user_id)
    after = client.users.get(big_user_id).follower_count
    tour.step(
        "follows.follow",
        f"follow_status={followed.follow_status}, followers {_n(before)} -> {_n(during)}; "
        f"unfollow: follow_status={unfollowed.follow_status}, {_n(after)}",
    )

    likes_before = _likes(post)
    liked = client.posts.like(post.aweme_id or "")
    likes_during = _likes(client.posts.get(post.aweme_id or ""))
    unliked = client.posts.unlike(post.aweme_id or "")
    tour.step(
        "posts.like",
        f"liked={liked.liked}, likes {_n(likes_before)} -> {_n(likes_during)}; "
        f"unlike: liked={unliked.liked}",
    )

    sticker_id = _sticker_id(post)
    sticker = client.stickers.get(sticker_id)
    tour.step(
        "stickers.get",
        f"sticker {sticker.id} {sticker.name!r}, used by {_n(sticker.user_count)} people",
    )

    if post.music is not None and post.music.id:
        sound = client.music.get(post.music.id)
        uses = len(list(client.music.posts(post.music.id, count=50)))
        tour.step("music.get", f"{sound.title!r} by @{sound.owner_handle}: {uses} posts use it")
    else:
        tour.step("music.get", f"post {post.aweme_id} has no sound")

    share = post.share_info.share_url if post.share_info is not None else None
    if share:
        link = client.resolve(share)
        tour.step("resolve", f"{share} -> {link.kind} {link.id} (a short link, followed bare)")
    else:
        tour.step("resolve", f"post {post.aweme_id} has no share link")

    can_start = client.live.can_start()
    room = client.live.start("tiktok demo stream")
    client.live.end(room.room_id or "", room.stream_id or "")
    tour.step(
        "live.start",
        f"can_start={can_start}; room {room.room_id} went live, then live.end() ended it",
    )


def _sticker_id(post: Post) -> str:
    """A post's sticker if it has one; any id resolves to a sticker in the sandbox."""
    if post.sticker_detail is not None and post.sticker_detail.id:
        return post.sticker_detail.id
    if post.stickers:
        first = post.stickers.split(",")[0].strip()
        if first.isdigit():
            return first
    return "1"


def _likes(post: Post) -> Optional[int]:
    return post.statistics.digg_count if post.statistics is not None else None


def _n(value: Optional[int]) -> str:
    return "?" if value is None else f"{value:,}"


def _names(users: List[Any]) -> str:
    names = [f"@{u.unique_id}" for u in users if u is not None and u.unique_id]
    return ", ".join(names) if names else "nobody"
