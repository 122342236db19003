"""tiktok._converter: lossless round trip, ids as exact str, unknown keys, each model's hooks.

The round trip is the contract of docs/protocol.rst (Models):
``to_dict(structure(body)) == body`` exactly, JSON types included.
"""

from __future__ import annotations

import copy
import functools
import json
import math
import typing
from typing import Any, Dict, List, Optional, Tuple

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tiktok
import tiktok.models
from tests.conftest import examples
from tiktok._converter import _where, converter, structure
from tiktok.models import ID, Model, PagedResponse, SkippedItem
from tiktok.models._base import is_wire_field

BIG = 2**64 + 12345  # above 2**63: a float or an int64 would not keep it

MODELS = sorted(
    {
        cls
        for name in tiktok.models.__all__
        if isinstance(cls := getattr(tiktok.models, name), type) and issubclass(cls, Model)
    },
    key=lambda cls: cls.__qualname__,
)


def same_json(got: Any, sent: Any, where: str = "$") -> None:
    """``got`` is ``sent``: equal, and of the same JSON types all the way down (1 is not 1.0)."""
    assert type(got) is type(sent), f"{where}: {type(got).__name__} is not {type(sent).__name__}"
    if type(sent) is dict:
        assert set(got) == set(sent), f"{where}: keys {sorted(got)} != {sorted(sent)}"
        for key in sent:
            same_json(got[key], sent[key], f"{where}.{key}")
    elif type(sent) is list:
        assert len(got) == len(sent), f"{where}: {len(got)} items, not {len(sent)}"
        for index, (a, b) in enumerate(zip(got, sent)):
            same_json(a, b, f"{where}[{index}]")
    elif type(sent) is float and math.isnan(sent):
        assert math.isnan(got), where
    else:
        assert got == sent, f"{where}: {got!r} != {sent!r}"


def round_trip(body: Dict[str, Any], cl: type) -> Any:
    """Structure a decoded copy of ``body`` and check that ``to_dict`` gives ``body`` back."""
    model = structure(json.loads(json.dumps(body)), cl)
    same_json(tiktok.to_dict(model), body)
    return model


# -- our own fixture of every case of issue "Models people can trust" -----------------------

ODD_POST = {
    "aweme_id": 7000000000000000001,  # an id as a huge JSON number
    "desc": "",
    "text_extra": None,  # TikTok sends null for empty lists
    "author": {
        "uid": "6800000000000000002",  # an id as text
        "total_favorited": "5872287",  # a count sent as text
        "follower_count": 12.0,  # a count sent as a whole float
        "room_id": 0,
        "avatar_thumb": {},  # an empty object where a model is expected
        "nickname": 1234,  # a number in a text field
        "signature": None,
        "brand_new": {"deep": [None, {}, []]},  # unknown, odd empties inside
    },
    "statistics": {"digg_count": 3, "play_count": "0012", "aweme_id": "7000000000000000001"},
    "video": {"cover": {"url_list": []}, "has_watermark": 1, "ratio": 540},
    "music": None,
    "status": {},
    "risk_infos": {"content": "", "warn": False},
    "sticker_detail": {"id": None},
    "unknown_list": [],
    "unknown_object": {},
    "unknown_null": None,
}


def test_our_odd_post_round_trips_exactly() -> None:
    post = round_trip(ODD_POST, tiktok.Post)
    assert post.aweme_id == "7000000000000000001" and isinstance(post.aweme_id, str)
    assert post.text_extra is None and post.music is None
    assert post.author.total_favorited == 5872287  # a number for the user
    assert post.author.follower_count == 12 and isinstance(post.author.follower_count, int)
    assert post.author.nickname == "1234"
    assert post.statistics.play_count == 12
    assert post.author.additional_properties == {"brand_new": {"deep": [None, {}, []]}}
    assert post.additional_properties == {
        "unknown_list": [],
        "unknown_object": {},
        "unknown_null": None,
    }


@pytest.mark.parametrize(
    ("cl", "body"),
    [
        (tiktok.models.ResponseExtra, {"now": 1, "logid": "l", "fatal_item_ids": None}),
        (tiktok.UserSearchResult, {"user_info": {"uid": "1"}, "position": None}),
        (tiktok.Comment, {"cid": "1", "text_extra": None, "user": None}),
        (tiktok.models.PostPage, {"aweme_list": None, "has_more": 0, "extra": None}),
    ],
)
def test_an_explicit_null_on_a_declared_field_comes_back(cl: type, body: Dict[str, Any]) -> None:
    model = round_trip(body, cl)
    for key, value in body.items():
        if value is None:
            assert getattr(model, key) is None  # null reads None, like a field not sent
    assert tiktok.to_dict(structure({}, cl)) == {}  # and a field not sent stays out


def test_a_null_is_given_back_only_while_the_field_is_still_none() -> None:
    extra = structure({"fatal_item_ids": None}, tiktok.models.ResponseExtra)
    extra.fatal_item_ids = ["1"]
    assert tiktok.to_dict(extra) == {"fatal_item_ids": ["1"]}
    extra.fatal_item_ids = None
    assert tiktok.to_dict(extra) == {"fatal_item_ids": None}


def test_a_null_and_a_missing_field_make_different_models() -> None:
    sent_null = structure({"position": None}, tiktok.UserSearchResult)
    assert sent_null != structure({}, tiktok.UserSearchResult)
    assert sent_null == structure({"position": None}, tiktok.UserSearchResult)


@pytest.mark.parametrize(
    ("sent", "read"),
    [("5872287", 5872287), ("0012", 12), ("-3", -3), (" 7 ", 7), (12.0, 12), (1e20, 10**20)],
)
def test_an_integer_sent_as_text_or_float_reads_as_an_int_and_goes_back_as_sent(
    sent: Any, read: int
) -> None:
    user = round_trip({"total_favorited": sent}, tiktok.User)
    assert user.total_favorited == read and isinstance(user.total_favorited, int)
    assert type(user.total_favorited + 1) is int  # arithmetic gives a plain int
    assert json.dumps(tiktok.to_dict(user)) == json.dumps({"total_favorited": sent})


def test_a_number_changed_by_the_user_goes_out_as_a_number() -> None:
    user = structure({"total_favorited": "5872287"}, tiktok.User)
    user.total_favorited = user.total_favorited + 1
    assert tiktok.to_dict(user) == {"total_favorited": 5872288}


@pytest.mark.parametrize("sent", [12, -1, 1.5, 1e16, 0.0])
def test_a_number_in_a_text_field_reads_as_text_and_goes_back_as_a_number(sent: Any) -> None:
    user = round_trip({"nickname": sent, "signature": sent}, tiktok.User)
    assert user.nickname == str(sent) and isinstance(user.nickname, str)


@pytest.mark.parametrize("value", [BIG, 2**63, 9999999999999999999, 0, -1, 10**30])
def test_numeric_ids_become_exact_str_and_go_back_as_numbers(value: int) -> None:
    user = round_trip({"uid": value, "room_id": value}, tiktok.User)
    assert type(user.uid) is not int and isinstance(user.uid, str)
    assert user.uid == str(value) and user.room_id == str(value)


@pytest.mark.parametrize("value", ["9999999999999999999", "007", "0", ""])
def test_ids_sent_as_text_stay_text(value: str) -> None:
    assert round_trip({"uid": value}, tiktok.User).uid == value


def test_big_ids_survive_json_both_ways() -> None:
    text = '{"room": {"room_id": 18446744073709563961, "stream_id": 9223372036854775808}}'
    response = structure(json.loads(text), tiktok.models.RoomResponse)
    assert response.room.room_id == "18446744073709563961"
    assert response.room.stream_id == "9223372036854775808"
    assert json.dumps(tiktok.to_dict(response)) == text


@pytest.mark.parametrize("value", [1.5, 1e20, True, [1], {"a": 1}])
def test_an_id_of_another_type_is_refused(value: Any) -> None:
    with pytest.raises(TypeError):
        structure({"uid": value}, tiktok.User)


def test_flags_and_counts_keep_the_type_they_were_sent_as() -> None:
    assert structure({"has_more": True}, tiktok.models.PostPage).has_more is True
    round_trip({"has_more": 1}, tiktok.models.PostPage)
    round_trip({"allow_comment": 1, "is_private": False}, tiktok.PostStatus)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"digg_count": "many"}, ValueError),
        ({"digg_count": 1.5}, TypeError),
        ({"digg_count": [1]}, TypeError),
        ({"is_private": "yes"}, ValueError),  # a flag is an int (true/false or 1/0)
        ({"is_private": [True]}, TypeError),
    ],
)
def test_values_of_the_wrong_type_are_refused(body: Dict[str, Any], error: type) -> None:
    cl = tiktok.PostStatus if "is_private" in body else tiktok.Statistics
    with pytest.raises(error):
        structure(body, cl)


def test_shapes_are_checked() -> None:
    with pytest.raises(TypeError):
        structure({"text_extra": {"begin": 0}}, tiktok.Post)  # a list was expected
    with pytest.raises(TypeError):
        structure({"author": [{}]}, tiktok.Post)  # an object was expected
    with pytest.raises(TypeError):
        structure({"author": "x"}, tiktok.Post)
    with pytest.raises(TypeError):
        structure([], tiktok.Post)  # a body is an object; only a nested one may come as []
    with pytest.raises(TypeError):
        structure({"nickname": {"x": 1}}, tiktok.User)


def test_an_object_sent_as_an_empty_list_reads_empty_and_goes_back_as_sent() -> None:
    # Issue 22: a PHP encoder writes an empty object as [] ("share_info": []); the item
    # was skipped. It reads as a model with nothing set, and to_dict gives [] back.
    body = {"aweme_id": "1", "share_info": [], "author": {"avatar_thumb": []}}
    post = structure(copy.deepcopy(body), tiktok.Post)
    assert isinstance(post.share_info, tiktok.models.ShareInfo)
    assert tiktok.to_dict(tiktok.models.ShareInfo()) == {}  # a new one is an object
    fields = [a.name for a in attrs.fields(tiktok.models.ShareInfo) if is_wire_field(a)]
    assert fields and not [name for name in fields if getattr(post.share_info, name) is not None]
    assert post.share_info.additional_properties == {}
    assert tiktok.to_dict(post) == body
    page = structure({"aweme_list": [copy.deepcopy(body)]}, tiktok.models.PostPage)
    assert page.skipped == [] and tiktok.to_dict(page) == {"aweme_list": [body]}
    # Once something is set it is an object again.
    assert post.author is not None and post.author.avatar_thumb is not None
    post.author.avatar_thumb.uri = "u"
    assert tiktok.to_dict(post)["author"] == {"avatar_thumb": {"uri": "u"}}
    assert tiktok.to_dict(structure({"share_info": {}}, tiktok.Post)) == {"share_info": {}}


def test_a_value_of_the_wrong_type_names_the_model_and_the_type() -> None:
    with pytest.raises(TypeError, match="expected an object for User, got list"):
        structure({"author": [1]}, tiktok.Post)
    with pytest.raises(TypeError, match="expected a string, got list"):
        structure({"desc": ["x"]}, tiktok.Post)


# -- unknown keys -------------------------------------------------------------------------


def test_unknown_keys_are_kept_at_every_level_and_merged_back() -> None:
    body = {
        "aweme_id": "1",
        "new_top": {"a": [1, {"b": None}]},
        "author": {
            "uid": "2",
            "new_in_user": True,
            "avatar_thumb": {"uri": "u", "new_in_url": 1.5},
        },
        "text_extra": [{"type": 1, "new_in_list_item": "x"}],
        "statistics": {"digg_count": 3, "new_count": 4},
    }
    post = round_trip(body, tiktok.Post)
    assert post.additional_properties == {"new_top": {"a": [1, {"b": None}]}}
    assert post.author.additional_properties == {"new_in_user": True}
    assert post.author.avatar_thumb.additional_properties == {"new_in_url": 1.5}
    assert post.text_extra[0].additional_properties == {"new_in_list_item": "x"}
    assert post.statistics.additional_properties == {"new_count": 4}


def test_fields_the_wire_did_not_send_are_left_out() -> None:
    assert tiktok.to_dict(structure({}, tiktok.Post)) == {}
    assert tiktok.to_dict(tiktok.User(nickname="n")) == {"nickname": "n"}


def test_a_list_of_models_round_trips() -> None:
    body: Dict[str, List[Any]] = {"sticker_infos": [{"id": "1", "x": 1}, {"effect_id": 2}]}
    response = round_trip(body, tiktok.models.StickerResponse)
    assert [s.id for s in response.sticker_infos] == ["1", None]
    assert response.sticker_infos[1].effect_id == "2"


def test_to_dict_gives_new_lists_not_the_models_own() -> None:
    image = structure({"url_list": ["https://a/1.jpg"]}, tiktok.models.UrlList)
    out = tiktok.to_dict(image)
    out["url_list"].append("changed")
    assert image.url_list == ["https://a/1.jpg"]


def test_lists_whose_items_have_their_type_are_taken_over_not_copied() -> None:
    body = {"url_list": ["https://a/1.jpg", "https://b/1.jpg"]}
    image = structure(body, tiktok.models.UrlList)
    assert image.url_list is body["url_list"]
    mixed = {"url_list": ["https://a/1.jpg", 5]}
    assert structure(mixed, tiktok.models.UrlList).url_list == ["https://a/1.jpg", "5"]
    round_trip(mixed, tiktok.models.UrlList)


# -- models are subclasses of Model -------------------------------------------------------


def test_to_dict_takes_only_models() -> None:
    @attrs.define(kw_only=True)
    class LooksLikeOne:  # has the field, is not a Model
        additional_properties: Dict[str, Any] = attrs.field(factory=dict)

    with pytest.raises(TypeError, match="model"):
        tiktok.to_dict({"uid": "1"})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="model"):
        tiktok.to_dict(LooksLikeOne())


def test_the_id_type_lives_with_the_models() -> None:
    assert tiktok.ID is tiktok.models.ID
    assert typing.get_type_hints(tiktok.User)["uid"] == Optional[ID]


def test_structure_hooks_are_made_once_per_model() -> None:
    first = converter.get_structure_hook(tiktok.Post)
    structure({"aweme_id": "1"}, tiktok.Post)
    assert converter.get_structure_hook(tiktok.Post) is first


@attrs.define(kw_only=True)
class _Reply(Model):
    text: Optional[str] = None
    replies: Optional[List[_Reply]] = None
    parent: Optional[_Reply] = None


def test_a_model_that_contains_itself_is_structured_at_every_depth() -> None:
    body = {
        "text": "a",
        "parent": {"text": "p", "parent": None},
        "replies": [{"text": "b", "replies": [{"x": 1}]}],
    }
    reply = round_trip(body, _Reply)
    assert reply.parent is not None and reply.parent.text == "p"
    assert reply.replies is not None and reply.replies[0].text == "b"
    assert reply.replies[0].replies is not None
    assert reply.replies[0].replies[0].additional_properties == {"x": 1}


def test_a_model_whose_init_does_more_than_set_fields_is_refused() -> None:
    @attrs.define(kw_only=True)
    class Checked(Model):
        count: Optional[int] = attrs.field(default=None, validator=attrs.validators.ge(0))

    with pytest.raises(TypeError, match="validators"):
        structure({"count": 1}, Checked)


# -- a page's items are built one by one ----------------------------------------------------


def test_an_item_that_does_not_fit_is_set_aside_with_its_json_and_reason() -> None:
    bad = {"aweme_id": "2", "share_info": [1]}  # an object is expected
    body = {"aweme_list": [{"aweme_id": "1"}, bad, {"aweme_id": "3"}], "has_more": 1}
    page = structure(copy.deepcopy(body), tiktok.models.PostPage)
    assert [post.aweme_id for post in page.aweme_list] == ["1", "3"]
    assert page.skipped == [
        SkippedItem(
            raw=bad,
            reason="share_info: TypeError: expected an object for ShareInfo, got list",
            index=1,
        )
    ]
    assert tiktok.to_dict(page)["aweme_list"] == [{"aweme_id": "1"}, {"aweme_id": "3"}]


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ({"video": {"cover": {"url_list": ["a", []]}}}, "video.cover.url_list[1]: TypeError"),
        ({"statistics": {"digg_count": "x"}}, "statistics.digg_count: ValueError"),
        ({"text_extra": [{"begin": 0}, {"user_id": 1.5}]}, "text_extra[1].user_id: TypeError"),
        (5, "TypeError: expected an object for Post, got int"),
    ],
)
def test_the_reason_says_where_in_the_item(item: Any, reason: str) -> None:
    page = structure({"aweme_list": [item]}, tiktok.models.PostPage)
    assert page.aweme_list == [] and page.skipped[0].reason.startswith(reason)


def test_a_page_whose_items_all_fit_skips_nothing() -> None:
    page = round_trip({"comments": [{"cid": "1"}], "cursor": 1}, tiktok.models.CommentPage)
    assert page.skipped == [] and len(page.comments) == 1


def test_a_page_whose_envelope_does_not_fit_is_refused() -> None:
    with pytest.raises(TypeError):
        structure({"aweme_list": {"aweme_id": "1"}}, tiktok.models.PostPage)
    with pytest.raises(ValueError):
        structure({"aweme_list": [], "max_cursor": "soon"}, tiktok.models.PostPage)


def test_every_page_model_names_a_list_of_models_as_its_items() -> None:
    pages = [cl for cl in MODELS if issubclass(cl, PagedResponse) and hasattr(cl, "ITEMS")]
    assert len(pages) >= 8
    for cl in pages:
        item_type = typing.get_args(_inner(typing.get_type_hints(cl)[cl.ITEMS]))[0]
        assert issubclass(item_type, Model), cl


# -- every model round-trips any body made from its fields ---------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


def _inner(field_type: Any) -> Any:
    args = [arg for arg in typing.get_args(field_type) if arg is not type(None)]
    return args[0] if typing.get_origin(field_type) is typing.Union else field_type


# Each scalar type: values of its own JSON type, and the other JSON forms it accepts.
SCALARS: Dict[Any, st.SearchStrategy[Any]] = {
    ID: st.integers(-5, 2**80) | st.text("0123456789", max_size=22),
    str: st.text(max_size=6) | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False),
    int: (
        st.integers(-(2**70), 2**70)
        | st.booleans()
        | st.integers(-(2**70), 2**70).map(str)
        | st.sampled_from(["007", "+5", " 12 ", "-0"])
        | st.integers(-(2**52), 2**52).map(float)
    ),
    Any: JSON_VALUES,
}


def _wire_value(field_type: Any, depth: int, nullable: bool = True) -> st.SearchStrategy[Any]:
    """The wire forms of a field's type; None only where the type allows it (not list items)."""
    inner = _inner(field_type)
    origin = typing.get_origin(inner)
    if inner in SCALARS:
        value = SCALARS[inner]
    elif origin is list:
        item = _wire_value(typing.get_args(inner)[0], depth + 1, nullable=False)
        value = st.lists(item, max_size=3)
    elif origin is dict:
        value = st.dictionaries(st.text(max_size=4), JSON_VALUES, max_size=3)
    elif isinstance(inner, type) and issubclass(inner, Model):
        # [] too: a PHP encoder's empty object.
        value = st.sampled_from([{}, []]) if depth > 3 else wire_bodies(inner, depth + 1)
        value = value | st.just([])
    else:
        raise AssertionError(f"no wire values for {inner!r}: add them to this test")
    return st.none() | value if nullable else value


@st.composite
def wire_bodies(draw: st.DrawFn, cl: type, depth: int = 0) -> Dict[str, Any]:
    """A body for ``cl``: each field absent, null, or one of its wire forms; unknown keys too."""
    hints = typing.get_type_hints(cl)
    fields = [a for a in attrs.fields(cl) if is_wire_field(a)]
    body: Dict[str, Any] = {}
    for attribute in draw(st.permutations(fields)):
        if draw(st.booleans()):
            body[attribute.name] = draw(_wire_value(hints[attribute.name], depth))
    known = {a.name for a in fields}
    unknown = st.text(min_size=1, max_size=8).filter(lambda key: key not in known)
    body.update(draw(st.dictionaries(unknown, JSON_VALUES, max_size=3)))
    return body


@pytest.mark.parametrize("cl", MODELS, ids=lambda cl: cl.__name__)
@settings(max_examples=examples(40))
@given(data=st.data())
def test_every_model_gives_back_exactly_the_body_it_was_built_from(
    cl: type, data: st.DataObject
) -> None:
    body = data.draw(wire_bodies(cl))
    model = round_trip(body, cl)
    if isinstance(model, PagedResponse):
        assert model.skipped == []


# -- the model hooks ------------------------------------------------------------------------
# The model hooks are tiktok's own (values that already have their type are taken
# as they are, the rest go through the field's hook). cattrs' own generated hook, with the
# same converter's field hooks, is the reference they must agree with on any input; what
# cattrs does not do (the nulls, unknown keys, a page's items one by one) is added to its
# result here, plainly.


def _wire_names(cl: type) -> List[str]:
    return [a.name for a in attrs.fields(cl) if is_wire_field(a)]


def _not_wire(cl: type) -> Dict[str, Any]:
    from cattrs.gen import override

    return {a.name: override(omit=True) for a in attrs.fields(cl) if not is_wire_field(a)}


@functools.cache
def _cattrs_hook(cl: type) -> Any:
    from cattrs.gen import make_dict_structure_fn

    return make_dict_structure_fn(cl, converter, _cattrs_detailed_validation=False, **_not_wire(cl))


def _cattrs_reference(value: Dict[str, Any], cl: type) -> Any:
    items = getattr(cl, "ITEMS", None)
    instance = _cattrs_hook(cl)({k: v for k, v in value.items() if k != items}, cl)
    names = _wire_names(cl)
    instance._nulls = tuple(n for n in names if n in value and value[n] is None)
    instance.additional_properties = {k: v for k, v in value.items() if k not in names}
    if items is not None and value.get(items) is not None:
        if type(value[items]) is not list:
            raise TypeError
        item_type = typing.get_args(_inner(typing.get_type_hints(cl)[items]))[0]
        built = []
        for index, raw in enumerate(value[items]):
            try:
                built.append(converter.structure(raw, item_type))
            except Exception as exc:
                where = _where(raw, item_type)  # the path to the refused value: ours
                reason = f"{where + ': ' if where else ''}{type(exc).__name__}: {exc}"
                instance.skipped.append(SkippedItem(raw=raw, reason=reason, index=index))
        setattr(instance, items, built)
    return instance


@functools.cache
def _cattrs_unstructure_hook(cl: type) -> Any:
    from cattrs.gen import make_dict_unstructure_fn

    return make_dict_unstructure_fn(cl, converter, _cattrs_omit_if_default=True, **_not_wire(cl))


def _cattrs_to_dict(instance: Any) -> Dict[str, Any]:
    written = _cattrs_unstructure_hook(type(instance))(instance)
    out: Dict[str, Any] = {}
    for name in _wire_names(type(instance)):
        if name in written:
            out[name] = written[name]
        elif name in instance._nulls and getattr(instance, name) is None:
            out[name] = None
    out.update(instance.additional_properties)
    return out


def _field_values(field_type: Any) -> st.SearchStrategy[Any]:
    """Values of the field's own type, values it converts, and values it refuses."""
    inner = _inner(field_type)
    own = SCALARS.get(inner)
    wrong = (
        st.lists(st.integers(), max_size=2)
        | st.dictionaries(st.text(max_size=2), st.none())
        | st.text(max_size=3)
        | st.floats(-5, 5)
    )
    nested = st.fixed_dictionaries({}, optional={"uri": st.text(max_size=2), "x": st.integers()})
    return st.none() | (own if own is not None else nested | st.lists(nested, max_size=2)) | wrong


@st.composite
def _bodies(draw: st.DrawFn, cl: type) -> Dict[str, Any]:
    hints = typing.get_type_hints(cl)
    fields = [a for a in attrs.fields(cl) if is_wire_field(a)]
    chosen = draw(st.lists(st.sampled_from(fields), unique=True, max_size=6)) if fields else []
    body = {a.name: draw(_field_values(hints[a.name])) for a in chosen}
    body.update(draw(st.dictionaries(st.sampled_from(["zz", "extra", "ü"]), JSON_VALUES)))
    return body


def _outcome(build: Any) -> Any:
    try:
        built = build()
    except (TypeError, ValueError) as exc:
        return type(exc)
    return (
        built,
        tiktok.to_dict(built),
        [type(getattr(built, a.name)) for a in attrs.fields(type(built))],
    )


@pytest.mark.parametrize("cl", MODELS, ids=lambda cl: cl.__name__)
@settings(max_examples=examples(40))
@given(data=st.data())
def test_the_model_hooks_agree_with_cattrs_own_both_ways(cl: type, data: st.DataObject) -> None:
    body = data.draw(_bodies(cl))
    ours = _outcome(lambda: structure(json.loads(json.dumps(body)), cl))
    reference = _outcome(lambda: _cattrs_reference(json.loads(json.dumps(body)), cl))
    assert ours == reference
    if isinstance(ours, type):
        return  # a body both refuse: nothing to give back
    # to_dict: cattrs' own unstructure hook, given the same model.
    model = ours[0]
    given_back, expected = tiktok.to_dict(model), _cattrs_to_dict(model)
    assert json.dumps(given_back) == json.dumps(expected)  # same keys, values and order
    assert [type(v) for v in given_back.values()] == [type(v) for v in expected.values()]


def test_the_reference_sees_a_difference() -> None:
    # Guard the guard: the comparison above fails for hooks that disagree.
    body = {"uid": 5, "nickname": None, "zz": 1}
    reference = _cattrs_reference(dict(body), tiktok.User)
    assert _outcome(lambda: reference) == _outcome(lambda: structure(dict(body), tiktok.User))
    changed: Tuple[Any, ...] = _outcome(lambda: structure({**body, "nickname": "x"}, tiktok.User))
    assert _outcome(lambda: reference) != changed
