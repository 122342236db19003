"""What every model shares: defaults for every field, ids typed as ID, unknown keys, repr."""

from __future__ import annotations

import typing
import warnings
from typing import Any, List, Type

import attrs
import pytest

import tiktok
import tiktok.models
from tiktok._converter import structure
from tiktok.models import ID

MODELS: List[Type[Any]] = sorted(
    {
        cls
        for cls in map(lambda name: getattr(tiktok.models, name), tiktok.models.__all__)
        if isinstance(cls, type) and issubclass(cls, tiktok.models.Model)
    },
    key=lambda cls: cls.__name__,
)
ID_NAMES = {"id", "uid", "cid", "sid"}


def test_the_package_exports_the_models_the_issue_names() -> None:
    for name in (
        "User", "Post", "Statistics", "Video", "Music", "ShareInfo", "RiskInfo", "PostStatus",
        "TextExtra", "Comment", "Tag", "Hashtag", "Challenge", "Category", "UserSearchResult",
        "HashtagSearchResult", "Sticker", "Room", "StreamUrl", "QRCode", "LoginResult",
        "FollowResult", "LikeResult", "ApproveResult", "RejectResult",
    ):  # fmt: skip
        assert attrs.has(getattr(tiktok, name)), name


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
def test_every_field_has_a_default_and_an_empty_object_parses(cls: Type[Any]) -> None:
    assert all(field.default is not attrs.NOTHING for field in attrs.fields(cls))
    instance = structure({}, cls)
    assert instance == cls()
    assert tiktok.to_dict(instance) == {}


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
def test_every_id_field_is_an_exact_str_whatever_its_size(cls: Type[Any]) -> None:
    hints = typing.get_type_hints(cls)
    big = 2**64 + 7
    for field in attrs.fields(cls):
        if field.name in ID_NAMES or field.name.endswith("_id"):
            # Handles such as unique_id / twitter_id are plain str; numeric ids are ID.
            assert hints[field.name] in (typing.Optional[ID], typing.Optional[str]), field.name
            value = getattr(structure({field.name: big}, cls), field.name)
            assert isinstance(value, str) and value == str(big), f"{cls.__name__}.{field.name}"


@pytest.mark.parametrize(
    ("cls", "name"),
    [
        (tiktok.User, "uid"),
        (tiktok.Post, "aweme_id"),
        (tiktok.Room, "room_id"),
        (tiktok.Comment, "cid"),
    ],
)
def test_numeric_ids_are_typed_as_id(cls: Type[Any], name: str) -> None:
    assert typing.get_type_hints(cls)[name] == typing.Optional[ID]


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
def test_unknown_keys_are_kept_by_every_model(cls: Type[Any]) -> None:
    body = {"zz_unknown": [1, {"x": None}], "zz_other": "ü"}
    instance = structure(body, cls)
    assert instance.additional_properties == body
    assert tiktok.to_dict(instance) == body


def test_repr_shows_only_what_was_sent() -> None:
    user = structure({"uid": "1", "nickname": "n", "new": 1}, tiktok.User)
    assert repr(user) == "User(uid='1', nickname='n')"


def test_response_envelope_and_extra() -> None:
    body = {
        "status_code": 0,
        "status_msg": "",
        "extra": {"now": 1, "logid": "l", "fatal_item_ids": []},
    }
    response = structure(body, tiktok.Envelope)
    assert (response.status_code, response.extra.now, response.extra.logid) == (0, 1, "l")
    assert tiktok.to_dict(response) == body


def test_url_list() -> None:
    body = {
        "uri": "u",
        "url_list": ["https://a/1.jpeg", "https://b/1.jpeg"],
        "width": 720,
        "height": 720,
    }
    image = structure(body, tiktok.models.UrlList)
    assert image.url_list[0] == "https://a/1.jpeg" and image.width == 720
    assert tiktok.to_dict(image) == body


def test_the_envelopes_old_name_warns_and_is_the_envelope() -> None:
    import tiktok.models

    with pytest.warns(
        DeprecationWarning, match=r"tiktok\.Response is deprecated.*tiktok\.Envelope"
    ):
        assert tiktok.Response is tiktok.Envelope
    with pytest.warns(DeprecationWarning, match=r"tiktok\.models\.Envelope"):
        assert tiktok.models.Response is tiktok.Envelope


def test_challenge_is_the_apis_name_for_a_hashtag() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert tiktok.Challenge is tiktok.Hashtag is tiktok.models.Challenge
