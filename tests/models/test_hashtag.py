"""Hashtag (the API's challenge), Category, HashtagSearchResult."""

from __future__ import annotations

import tiktok
from tiktok._converter import structure
from tiktok.models import CategoryPage, HashtagSearchPage

CHALLENGE = {
    "cid": "9999999",
    "cha_name": "dance",
    "desc": "d",
    "author": {},
    "user_count": 100000,
    "view_count": 5,
    "type": 0,
    "schema": "",
    "is_pgcshow": False,
}


def test_a_challenge_parses() -> None:
    challenge = structure(CHALLENGE, tiktok.Hashtag)
    assert (challenge.cid, challenge.cha_name, challenge.user_count) == ("9999999", "dance", 100000)
    assert tiktok.to_dict(challenge) == CHALLENGE


def test_category_page() -> None:
    body = {
        "category_list": [
            {
                "challenge_info": CHALLENGE,
                "aweme_list": [{"aweme_id": "1"}],
                "category_type": 0,
                "desc": "Trending",
            }
        ],
        "cursor": 10,
        "has_more": 1,
    }
    page = structure(body, CategoryPage)
    category = page.category_list[0]
    assert isinstance(category, tiktok.Category)
    assert category.challenge_info.cha_name == "dance"
    assert category.aweme_list[0].aweme_id == "1"
    assert tiktok.to_dict(page) == body


def test_hashtag_search_page() -> None:
    body = {
        "challenge_list": [{"challenge_info": {}, "position": [{"begin": 0, "end": 6}]}],
        "is_match": True,
        "keyword_disabled": 0,
        "cursor": 1,
        "has_more": 1,
    }
    page = structure(body, HashtagSearchPage)
    hit = page.challenge_list[0]
    assert isinstance(hit, tiktok.HashtagSearchResult)
    assert hit.challenge_info == tiktok.Hashtag()
    assert page.is_match is True
    assert tiktok.to_dict(page) == body
