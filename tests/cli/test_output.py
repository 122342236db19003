"""The CLI's JSON Lines: every id a string (jq reads numbers as doubles), other values as sent."""

from __future__ import annotations

import json

import tiktok
from tiktok._cli.output import json_line
from tiktok._converter import structure
from tiktok.models import PostPage

BIG = 6800000000000000002  # above 2**53: a double cannot hold it


def test_ids_sent_as_numbers_print_as_strings_everything_else_as_sent() -> None:
    body = {
        "status_code": 0,
        "has_more": 1,
        "max_cursor": 1599394680000,
        "aweme_list": [
            {
                "aweme_id": 6900000000000200001,
                "create_time": 1599394680,
                "desc": 12345,  # a number in a text field: not an id, given back as sent
                "author": {"uid": BIG, "follower_count": 250000},
                "statistics": {"aweme_id": "6900000000000200001", "digg_count": 7},
                "text_extra": [{"begin": 0, "end": 4, "type": 0, "user_id": BIG}],
                "future_key": {"some_id": BIG},
            }
        ],
    }
    page = structure(body, PostPage)
    line = json.loads(json_line(page))
    (post,) = line["aweme_list"]
    assert post["aweme_id"] == "6900000000000200001"
    assert post["author"]["uid"] == str(BIG)
    assert post["text_extra"][0]["user_id"] == str(BIG)
    assert post["statistics"]["aweme_id"] == "6900000000000200001"
    # Not ids: numbers stay numbers; unknown keys stay exactly as they came.
    assert (post["create_time"], post["author"]["follower_count"]) == (1599394680, 250000)
    assert (line["max_cursor"], line["has_more"], post["statistics"]["digg_count"]) == (
        1599394680000,
        1,
        7,
    )
    assert post["future_key"] == {"some_id": BIG}
    assert post["desc"] == 12345
    # to_dict keeps what the API sent; only the CLI's lines change.
    assert tiktok.to_dict(page)["aweme_list"][0]["author"]["uid"] == BIG


def test_a_plain_dict_line_is_left_alone() -> None:
    assert json.loads(json_line({"uid": 5, "ok": True})) == {"uid": 5, "ok": True}
