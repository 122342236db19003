"""User, UserSearchResult, QRCode."""

from __future__ import annotations

import tiktok
from tiktok._converter import structure
from tiktok.models import QRCodeResponse, UserResponse, UserSearchPage

USER = {
    "uid": "6800000000000000001",
    "unique_id": "handle",
    "nickname": "Nick",
    "signature": "bio",
    "avatar_thumb": {"url_list": ["https://p16/a~c5_100x100.jpeg"]},
    "aweme_count": 12,
    "follower_count": 34,
    "following_count": 5,
    "total_favorited": 6,
    "is_verified": False,
    "room_id": 18446744073709551617,
    "secret": 0,
}


def test_a_user_parses_with_typed_fields() -> None:
    user = structure(USER, tiktok.User)
    assert user.uid == "6800000000000000001"
    assert (user.unique_id, user.nickname, user.follower_count) == ("handle", "Nick", 34)
    assert user.avatar_thumb.url_list == ["https://p16/a~c5_100x100.jpeg"]
    assert user.room_id == "18446744073709551617"
    assert tiktok.to_dict(user) == USER


def test_user_response_and_search_results() -> None:
    assert structure({"user": USER}, UserResponse).user.nickname == "Nick"
    page = structure(
        {
            "user_list": [
                {"user_info": USER, "position": [{"begin": 0, "end": 4}], "uniqid_position": []}
            ],
            "type": 1,
            "cursor": 1,
            "has_more": 1,
        },
        UserSearchPage,
    )
    hit = page.user_list[0]
    assert isinstance(hit, tiktok.UserSearchResult)
    assert hit.user_info.uid == USER["uid"]
    assert (hit.position[0].begin, hit.position[0].end) == (0, 4)
    assert hit.uniqid_position == []


def test_an_empty_author_parses() -> None:
    assert structure({"user_info": {}}, tiktok.UserSearchResult).user_info == tiktok.User()


def test_qr_code_is_an_image() -> None:
    response = structure(
        {"qrcode_url": {"uri": "q/1", "url_list": ["https://q/1.image"]}}, QRCodeResponse
    )
    assert isinstance(response.qrcode_url, tiktok.QRCode)
    assert response.qrcode_url.url_list == ["https://q/1.image"]
