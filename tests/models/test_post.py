"""Post and its parts; LikeResult.liked."""

from __future__ import annotations

import copy

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


IMAGE = {
    "display_image": {
        "uri": "tos-photomode/img1",
        "url_list": ["https://p16.cdn.test/img1~tplv-photomode.jpeg", "https://p19.cdn.test/img1"],
        "width": 1080,
        "height": 1440,
    },
    "owner_watermark_image": {"url_list": ["https://p16.cdn.test/img1~wm.jpeg"]},
    "thumbnail": {"url_list": ["https://p16.cdn.test/img1~thumb.jpeg"], "width": 270},
    "bitrate_images": [],  # not declared: kept as it came
}

PHOTO_POST = {
    "aweme_id": "7300000000000000001",
    "aweme_type": 150,
    "image_post_info": {
        "images": [IMAGE, {**IMAGE, "display_image": {"url_list": ["https://p16.cdn.test/img2"]}}],
        "image_post_cover": IMAGE,
        "title": "",
    },
    "music": {"id": "1", "duration": 21, "play_url": {"url_list": ["https://m/1.mp3"]}},
    "video": {"duration": 0, "play_addr": {"url_list": ["https://v/still.mp4"]}},
    "statistics": {"collect_count": 12, "digg_count": 3},
}


def test_a_photo_post_gives_its_images_in_order_with_their_sizes() -> None:
    post = structure(PHOTO_POST, tiktok.Post)
    assert post.is_photo
    assert [image.display_image.url_list[0] for image in post.images] == [  # type: ignore[union-attr,index]
        "https://p16.cdn.test/img1~tplv-photomode.jpeg",
        "https://p16.cdn.test/img2",
    ]
    first = post.images[0].display_image
    assert first is not None and (first.width, first.height) == (1080, 1440)
    assert post.statistics is not None and post.statistics.collect_count == 12
    assert tiktok.to_dict(post) == PHOTO_POST


@pytest.mark.parametrize(
    ("changes", "is_photo"),
    [
        ({}, True),
        ({"aweme_type": 0}, True),  # images without the type: still a photo post
        ({"image_post_info": None}, True),  # the type without images
        ({"aweme_type": 0, "image_post_info": None}, False),
        ({"aweme_type": 0, "image_post_info": {"images": []}}, False),
    ],
)
def test_a_photo_post_is_known_by_its_type_or_its_images(changes: dict, is_photo: bool) -> None:  # type: ignore[type-arg]
    post = structure({**PHOTO_POST, **changes}, tiktok.Post)
    assert post.is_photo is is_photo
    assert tiktok.Post().images == []


def test_animated_covers_and_captions_are_fields_and_round_trip() -> None:
    video = {
        "animated_cover": {"uri": "a", "url_list": ["https://p/a.webp"]},
        "ai_dynamic_cover": {"uri": "b", "url_list": ["https://p/b.webp"]},
        "ai_dynamic_cover_bak": {"uri": "c", "url_list": ["https://p/c.webp"]},
        "play_addr_bytevc1": {"url_list": ["https://v/h265.mp4"], "url_key": "v_bytevc1_720p_1"},
        "cla_info": {
            "caption_infos": [
                {"lang": "eng-US", "url": "https://c/en.vtt", "Format": "webvtt", "x": 1}
            ],
            "has_original_audio": 1,
        },
    }
    body = {
        "aweme_id": "1",
        "video": video,
        "interaction_stickers": [
            {
                "type": 21,
                "auto_video_caption_info": {
                    "auto_captions": [
                        {"language": "spa-ES", "url": {"url_list": ["https://c/es.json"]}}
                    ]
                },
            }
        ],
    }
    post = structure(body, tiktok.Post)
    assert post.video is not None and post.video.animated_cover is not None
    assert post.video.ai_dynamic_cover_bak is not None
    assert post.video.ai_dynamic_cover_bak.url_list == ["https://p/c.webp"]
    assert post.video.play_addr_bytevc1 is not None
    cla = post.video.cla_info
    assert cla is not None and cla.caption_infos is not None
    assert cla.caption_infos[0].Format == "webvtt"
    assert cla.caption_infos[0].additional_properties == {"x": 1}
    stickers = post.interaction_stickers
    assert stickers is not None and stickers[0].auto_video_caption_info is not None
    assert not post.is_photo
    assert tiktok.to_dict(post) == body


def test_a_page_whose_post_has_share_info_as_an_empty_list_keeps_the_post() -> None:
    # Issue 22: "share_info": [] (a PHP encoder's empty object) made the post skipped.
    item = {**POST, "share_info": [], "statistics": []}
    page = structure({"aweme_list": [copy.deepcopy(item)], "has_more": 0}, PostPage)
    assert page.skipped == []
    (post,) = page.aweme_list
    assert post.share_info is not None and post.share_info.share_url is None
    assert post.statistics is not None and post.statistics.digg_count is None
    assert tiktok.to_dict(post) == item
