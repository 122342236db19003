"""tiktok._converter: ids as exact str, unknown keys kept, ``to_dict`` giving the JSON back."""

from __future__ import annotations

import functools
import json
from typing import Any, Dict, List, Optional

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tiktok
from tiktok._converter import converter, structure

BIG = 2**64 + 12345  # above 2**63: a float or an int64 would not keep it


# -- ids ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [BIG, 2**63, 9999999999999999999, 0, -1, 10**30])
def test_numeric_ids_become_exact_str_and_go_back_as_numbers(value: int) -> None:
    user = structure({"uid": value, "room_id": value}, tiktok.User)
    assert type(user.uid) is not int and isinstance(user.uid, str)
    assert user.uid == str(value) and user.room_id == str(value)
    back = tiktok.to_dict(user)
    assert back == {"uid": value, "room_id": value}
    assert type(back["uid"]) is int


def test_ids_sent_as_text_stay_text() -> None:
    user = structure({"uid": "9999999999999999999"}, tiktok.User)
    assert tiktok.to_dict(user) == {"uid": "9999999999999999999"}


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


# -- scalars ------------------------------------------------------------------------------


def test_flags_and_counts_keep_the_type_they_were_sent_as() -> None:
    page = structure({"has_more": True}, tiktok.models.PostPage)
    assert page.has_more is True
    assert tiktok.to_dict(structure({"has_more": 1}, tiktok.models.PostPage)) == {"has_more": 1}
    status = structure({"allow_comment": 1, "is_private": False}, tiktok.PostStatus)
    assert tiktok.to_dict(status) == {"allow_comment": 1, "is_private": False}


def test_numbers_sent_as_text_or_whole_floats_are_read_as_ints() -> None:
    stats = structure({"digg_count": "12", "play_count": 3.0}, tiktok.Statistics)
    assert (stats.digg_count, stats.play_count) == (12, 3)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"digg_count": "many"}, ValueError),
        ({"digg_count": 1.5}, TypeError),
        ({"digg_count": [1]}, TypeError),
        ({"digg_count": None}, None),
    ],
)
def test_counts_of_the_wrong_type_are_refused(body: Dict[str, Any], error: Optional[type]) -> None:
    if error is None:
        assert structure(body, tiktok.Statistics).digg_count is None
        return
    with pytest.raises(error):
        structure(body, tiktok.Statistics)


def test_shapes_are_checked() -> None:
    with pytest.raises(TypeError):
        structure({"text_extra": {"begin": 0}}, tiktok.Post)  # a list was expected
    with pytest.raises(TypeError):
        structure({"author": []}, tiktok.Post)  # an object was expected
    with pytest.raises(TypeError):
        structure([], tiktok.Post)
    with pytest.raises(TypeError):
        structure({"nickname": {"x": 1}}, tiktok.User)


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
    post = structure(body, tiktok.Post)
    assert post.additional_properties == {"new_top": {"a": [1, {"b": None}]}}
    assert post.author.additional_properties == {"new_in_user": True}
    assert post.author.avatar_thumb.additional_properties == {"new_in_url": 1.5}
    assert post.text_extra[0].additional_properties == {"new_in_list_item": "x"}
    assert post.statistics.additional_properties == {"new_count": 4}
    assert tiktok.to_dict(post) == body


def test_fields_the_wire_did_not_send_are_left_out() -> None:
    assert tiktok.to_dict(structure({}, tiktok.Post)) == {}
    assert tiktok.to_dict(tiktok.User(nickname="n")) == {"nickname": "n"}


def test_to_dict_takes_only_models() -> None:
    with pytest.raises(TypeError, match="model"):
        tiktok.to_dict({"uid": "1"})  # type: ignore[arg-type]


def test_structure_hooks_are_generated_once_per_model() -> None:
    first = converter.get_structure_hook(tiktok.Post)
    structure({"aweme_id": "1"}, tiktok.Post)
    assert converter.get_structure_hook(tiktok.Post) is first


KNOWN_POST_KEYS = {a.name for a in attrs.fields(tiktok.Post)}
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=10,
)
EXTRA_KEYS = st.text(min_size=1, max_size=12).filter(lambda k: k not in KNOWN_POST_KEYS)


@settings(max_examples=150, deadline=None)
@given(
    extra=st.dictionaries(EXTRA_KEYS, JSON_VALUES, max_size=5),
    author_extra=st.dictionaries(
        st.sampled_from(["zz", "new", "a b", "ü"]), JSON_VALUES, max_size=3
    ),
    aweme_id=st.integers(min_value=0, max_value=2**80) | st.text(alphabet="0123456789", min_size=1),
    digg_count=st.none() | st.integers(0, 2**70),
)
def test_any_body_round_trips_through_to_dict(
    extra: Dict[str, Any], author_extra: Dict[str, Any], aweme_id: Any, digg_count: Optional[int]
) -> None:
    body: Dict[str, Any] = {
        "aweme_id": aweme_id,
        "author": {"uid": aweme_id, **author_extra},
        **extra,
    }
    if digg_count is not None:
        body["statistics"] = {"digg_count": digg_count}
    post = structure(body, tiktok.Post)
    assert post.aweme_id == str(aweme_id)
    assert json.dumps(tiktok.to_dict(post), sort_keys=True) == json.dumps(body, sort_keys=True)


def test_a_list_of_models_round_trips() -> None:
    body: Dict[str, List[Any]] = {"sticker_infos": [{"id": "1", "x": 1}, {"effect_id": 2}]}
    response = structure(body, tiktok.models.StickerResponse)
    assert [s.id for s in response.sticker_infos] == ["1", None]
    assert response.sticker_infos[1].effect_id == "2"
    assert tiktok.to_dict(response) == body


# -- generated hooks ------------------------------------------------------------------------
# The model hooks are generated by tiktok (values that already have their type are taken
# as they are, the rest go through the field's hook). cattrs' own generated hook, with the
# same converter's field hooks, is the reference they must agree with on any input.

MODELS = sorted(
    {
        cls
        for name in dir(tiktok.models)
        if isinstance(cls := getattr(tiktok.models, name), type) and attrs.has(cls)
    },
    key=lambda cls: cls.__qualname__,
)


@functools.cache
def _cattrs_hook(cl: type) -> Any:
    from cattrs.gen import make_dict_structure_fn, override

    return make_dict_structure_fn(
        cl, converter, _cattrs_detailed_validation=False, additional_properties=override(omit=True)
    )


def _cattrs_reference(value: Any, cl: type) -> Any:
    instance = _cattrs_hook(cl)(value, cl)
    known = {a.name for a in attrs.fields(cl)}
    instance.additional_properties = {k: v for k, v in value.items() if k not in known}
    return instance


@functools.cache
def _cattrs_unstructure_hook(cl: type) -> Any:
    from cattrs.gen import make_dict_unstructure_fn, override

    return make_dict_unstructure_fn(
        cl, converter, _cattrs_omit_if_default=True, additional_properties=override(omit=True)
    )


def _cattrs_to_dict(instance: Any) -> Dict[str, Any]:
    out: Dict[str, Any] = _cattrs_unstructure_hook(type(instance))(instance)
    out.update(instance.additional_properties)
    return out


def _field_values(field_type: Any) -> st.SearchStrategy[Any]:
    """Values of the field's own type, values it converts, and values it refuses."""
    exact: Dict[Any, st.SearchStrategy[Any]] = {
        "Optional[str]": st.text(max_size=4),
        "Optional[ID]": st.text("0123456789", min_size=1, max_size=3) | st.integers(0, 2**70),
        "Optional[int]": st.integers(-5, 2**70),
        "Optional[bool]": st.booleans(),
    }
    convertible = st.text("0123456789", min_size=1, max_size=3) | st.floats(-5, 5) | st.integers()
    wrong = st.lists(st.integers(), max_size=2) | st.dictionaries(st.text(max_size=2), st.none())
    nested = st.fixed_dictionaries({}, optional={"uri": st.text(max_size=2), "x": st.integers()})
    return (
        st.none()
        | exact.get(str(field_type), nested | st.lists(nested, max_size=2))
        | (convertible | wrong)
    )


@st.composite
def _bodies(draw: st.DrawFn, cl: type) -> Dict[str, Any]:
    fields = [a for a in attrs.fields(cl) if a.name != "additional_properties"]
    chosen = draw(st.lists(st.sampled_from(fields), unique=True, max_size=6)) if fields else []
    body = {a.name: draw(_field_values(a.type)) for a in chosen}
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
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_generated_hooks_agree_with_cattrs_own(cl: type, data: st.DataObject) -> None:
    body = data.draw(_bodies(cl))
    ours = _outcome(lambda: structure(json.loads(json.dumps(body)), cl))
    reference = _outcome(lambda: _cattrs_reference(json.loads(json.dumps(body)), cl))
    assert ours == reference


@pytest.mark.parametrize("cl", MODELS, ids=lambda cl: cl.__name__)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_generated_to_dict_agrees_with_cattrs_own(cl: type, data: st.DataObject) -> None:
    body = data.draw(_bodies(cl))
    try:
        model = structure(json.loads(json.dumps(body)), cl)
    except (TypeError, ValueError):
        return  # a body the model refuses: nothing to give back
    ours, reference = tiktok.to_dict(model), _cattrs_to_dict(model)
    assert json.dumps(ours) == json.dumps(reference)  # same keys, values and order
    assert [type(v) for v in ours.values()] == [type(v) for v in reference.values()]


def test_to_dict_gives_new_lists_not_the_models_own() -> None:
    image = structure({"url_list": ["https://a/1.jpg"]}, tiktok.models.UrlList)
    out = tiktok.to_dict(image)
    out["url_list"].append("changed")
    assert image.url_list == ["https://a/1.jpg"]


def test_a_value_of_the_wrong_type_names_the_model_and_the_type() -> None:
    with pytest.raises(TypeError, match="expected an object for User, got list"):
        structure({"author": [1]}, tiktok.Post)
    with pytest.raises(TypeError, match="expected a string, got list"):
        structure({"desc": ["x"]}, tiktok.Post)


def test_a_traceback_through_a_generated_hook_shows_its_source() -> None:
    import traceback

    try:
        structure({"author": {"nickname": []}}, tiktok.Post)
    except TypeError as exc:
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    assert "tiktok generated structure tiktok.models._user.User" in text
    assert "nickname" in text  # the generated line, read back from linecache


@attrs.define(kw_only=True)
class _Reply:
    additional_properties: Dict[str, Any] = attrs.field(factory=dict)
    text: Optional[str] = None
    replies: Optional[List[_Reply]] = None
    parent: Optional[_Reply] = None


def test_a_model_that_contains_itself_is_structured_at_every_depth() -> None:
    body = {"text": "a", "parent": {"text": "p"}, "replies": [{"text": "b", "replies": [{"x": 1}]}]}
    reply = structure(body, _Reply)
    assert reply.parent is not None and reply.parent.text == "p"
    assert reply.replies is not None and reply.replies[0].text == "b"
    assert reply.replies[0].replies is not None
    assert reply.replies[0].replies[0].additional_properties == {"x": 1}
    assert tiktok.to_dict(reply) == body


def test_a_model_whose_init_does_more_than_set_fields_is_refused() -> None:
    @attrs.define(kw_only=True)
    class Checked:
        additional_properties: Dict[str, Any] = attrs.field(factory=dict)
        count: Optional[int] = attrs.field(default=None, validator=attrs.validators.ge(0))

    with pytest.raises(TypeError, match="validators"):
        structure({"count": 1}, Checked)


def test_lists_whose_items_have_their_type_are_taken_over_not_copied() -> None:
    body = {"url_list": ["https://a/1.jpg", "https://b/1.jpg"]}
    image = structure(body, tiktok.models.UrlList)
    assert image.url_list is body["url_list"]
    mixed = {"url_list": ["https://a/1.jpg", 5]}
    assert structure(mixed, tiktok.models.UrlList).url_list == ["https://a/1.jpg", "5"]
