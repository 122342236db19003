"""Post and its parts; LikeResult.liked."""

from __future__ import annotations

import pytest

import tiktok
from tiktok._converter import structure
from tiktok.models import PostPage, PostResponse

POST = {
    "aweme_id": "9999999999999999999",
    "desc": "a post #tag",
    "create_time": 1546214400,
    "author": {},
    "author_user_id": 9999999999999999998,
    "music": {
        "id": 18446744073709551616,
        "title": "track",
        "play_url": {"url_list": ["https://m/1.mp3"]},
    },
    "video": {
        "duration": 15000,
        "width": 540,
        "height": 960,
        "ratio": "720p",
        "has_watermark": True,
    },
    "statistics": {"aweme_id": "9999999999999999999", "digg_count": 100, "comment_count": 2},
    "status": {"allow_comment": True, "is_private": False, "private_status": 0},
    "share_info": {"share_url": "https://m/v/1.html", "bool_persist": 0},
    "risk_infos": {"content": "careful", "warn": True, "type": 1},
    "text_extra": [{"begin": 7, "end": 11, "type": 1, "hashtag_name": "tag"}],
    "sticker_detail": {"id": "22094", "name": "Long Face"},
    "stickers": "22094",
}


def test_a_post_parses_into_its_parts() -> None:
    post = structure(POST, tiktok.Post)
    assert post.aweme_id == "9999999999999999999"
    assert post.author == tiktok.User()
    assert post.author_user_id == "9999999999999999998"
    assert isinstance(post.music, tiktok.Music) and post.music.id == "18446744073709551616"
    assert isinstance(post.video, tiktok.Video) and post.video.duration == 15000
    assert isinstance(post.statistics, tiktok.Statistics) and post.statistics.digg_count == 100
    assert isinstance(post.status, tiktok.PostStatus) and post.status.allow_comment is True
    assert isinstance(post.share_info, tiktok.ShareInfo)
    assert isinstance(post.risk_infos, tiktok.RiskInfo) and post.risk_infos.warn is True
    assert isinstance(post.text_extra[0], tiktok.TextExtra)
    assert post.text_extra[0].hashtag_name == "tag"
    assert post.sticker_detail.id == "22094"
    assert tiktok.to_dict(post) == POST


def test_post_response_and_page() -> None:
    assert structure({"aweme_detail": POST}, PostResponse).aweme_detail.desc == "a post #tag"
    page = structure(
        {"aweme_list": [POST, {}], "has_more": True, "max_cursor": 5, "min_cursor": 9}, PostPage
    )
    assert [p.aweme_id for p in page.aweme_list] == ["9999999999999999999", None]
    assert (page.has_more, page.max_cursor, page.min_cursor) == (True, 5, 9)


@pytest.mark.parametrize(("is_digg", "liked"), [(0, True), (1, False), (None, None)])
def test_like_result_says_plainly_whether_the_post_is_liked(is_digg, liked) -> None:
    body = {"status_code": 0} if is_digg is None else {"status_code": 0, "is_digg": is_digg}
    result = structure(body, tiktok.LikeResult)
    assert result.liked is liked
    assert tiktok.to_dict(result) == body
