"""Comment and Tag."""

from __future__ import annotations

import tiktok
from tiktok._converter import structure
from tiktok.models import CommentPage, CommentResponse

COMMENT = {
    "cid": "9999999999999999999",
    "aweme_id": "9999999999999999998",
    "text": "@friend nice",
    "create_time": 1000000000,
    "digg_count": 0,
    "reply_id": "0",
    "status": 1,
    "text_extra": [{"begin": 0, "end": 7, "type": 0, "user_id": "6800000000000000001"}],
    "user": {},
    "user_digged": 0,
}


def test_a_comment_parses_with_its_mentions() -> None:
    comment = structure(COMMENT, tiktok.Comment)
    assert (comment.cid, comment.aweme_id, comment.reply_id) == (
        "9999999999999999999", "9999999999999999998", "0",
    )  # fmt: skip
    assert comment.user == tiktok.User()
    mention = comment.text_extra[0]
    assert isinstance(mention, tiktok.Tag)
    assert (mention.begin, mention.end, mention.type, mention.user_id) == (
        0,
        7,
        0,
        "6800000000000000001",
    )
    assert tiktok.to_dict(comment) == COMMENT


def test_tag_is_the_text_extra_model() -> None:
    assert tiktok.Tag is tiktok.TextExtra
    tag = tiktok.Tag(begin=0, end=5, type=0, user_id="1")
    assert tiktok.to_dict(tag) == {"begin": 0, "end": 5, "type": 0, "user_id": "1"}


def test_comment_page_and_response() -> None:
    page = structure({"comments": [COMMENT], "cursor": 20, "has_more": 1, "total": 50}, CommentPage)
    assert (page.cursor, page.has_more, page.total) == (20, 1, 50)
    assert structure({"comment": COMMENT}, CommentResponse).comment.text == "@friend nice"
