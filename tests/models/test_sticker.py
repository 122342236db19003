"""Sticker."""

from __future__ import annotations

import tiktok
from tiktok._converter import structure
from tiktok.models import StickerResponse

STICKER = {
    "id": "100000",
    "effect_id": "100000",
    "name": "sticker1",
    "desc": "",
    "icon_url": {"url_list": ["https://s/111"]},
    "owner_id": "",
    "owner_nickname": "Effect Assistant",
    "user_count": 10000,
    "is_favorite": False,
    "children": [],
    "tags": [],
}


def test_a_sticker_parses() -> None:
    sticker = structure(STICKER, tiktok.Sticker)
    assert (sticker.id, sticker.effect_id, sticker.name, sticker.user_count) == (
        "100000",
        "100000",
        "sticker1",
        10000,
    )
    assert sticker.owner_id == ""
    assert sticker.icon_url.url_list == ["https://s/111"]
    assert tiktok.to_dict(sticker) == STICKER


def test_sticker_response_keeps_the_order() -> None:
    body = {"sticker_infos": [STICKER, {**STICKER, "id": "100001"}]}
    assert [s.id for s in structure(body, StickerResponse).sticker_infos] == ["100000", "100001"]
