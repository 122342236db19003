"""``client.posts.conversation``: a post's comments with all their replies, against the sandbox."""

from __future__ import annotations

from typing import List

import tiktok
from tiktok.sandbox import Sandbox

BIG_USER_ID = 6_800_000_000_000_000_001


def a_post_with_replies(client: tiktok.Client) -> tiktok.Post:
    for post in client.users.posts(BIG_USER_ID, limit=20):
        comments = list(client.posts.comments(post.aweme_id or "", limit=40))
        if sum(1 for c in comments if c.reply_comment_total) >= 2 and len(comments) <= 40:
            return post
    raise AssertionError("no post with a few replied comments among 20")


def test_conversation_is_every_comment_then_its_replies(guest: tiktok.Client, sb: Sandbox) -> None:
    post = a_post_with_replies(guest)
    assert post.aweme_id
    comments = list(guest.posts.comments(post.aweme_id))
    before = sb.stats["requests"]
    conversation = list(guest.posts.conversation(post.aweme_id))
    sent = sb.stats["requests"] - before

    expected: List[str] = []
    for comment in comments:
        expected.append(comment.cid or "")
        if comment.reply_comment_total:
            replies = guest.posts.replies(comment.cid or "", post.aweme_id)
            expected.extend(reply.cid or "" for reply in replies)
    assert [item.cid for item in conversation] == expected
    # Each reply names its comment; a comment names none ("0").
    parent = ""
    for item in conversation:
        if item.reply_id == "0":
            parent = item.cid or ""
        else:
            assert item.reply_id == parent
    assert sum(1 for c in conversation if c.reply_id == "0") == len(comments) > 0
    # One replies request per replied comment (20 a page), none for a comment without.
    replied = [c for c in comments if c.reply_comment_total]
    comment_pages = -(-len(comments) // 20) or 1
    assert sent == comment_pages + sum(-(-(c.reply_comment_total or 0) // 20) for c in replied)


def test_limit_bounds_comments_and_replies_and_a_resume_restarts_the_page(
    guest: tiktok.Client, sb: Sandbox
) -> None:
    post = a_post_with_replies(guest)
    assert post.aweme_id
    whole = [c.cid for c in guest.posts.conversation(post.aweme_id)]
    assert len(whole) > 5

    before = sb.stats["requests"]
    pager = guest.posts.conversation(post.aweme_id, limit=5)
    first = [c.cid for c in pager]
    # One comments page, then replies only while the five items are not all there.
    assert first == whole[:5]
    assert sb.stats["requests"] - before <= 1 + 5

    # Resumed from its cursor, the walk starts again at the comments page where it stopped
    # (the sandbox's first page holds them all): what was seen comes again, then the rest.
    assert pager.cursor == 0 and not pager.exhausted
    rest = [c.cid for c in guest.posts.conversation(post.aweme_id, cursor=pager.cursor)]
    assert rest == whole
    # Walked to its end, the cursor is END: a resume sends nothing.
    done = guest.posts.conversation(post.aweme_id)
    list(done)
    before = sb.stats["requests"]
    assert list(guest.posts.conversation(post.aweme_id, cursor=done.cursor)) == []
    assert sb.stats["requests"] == before
