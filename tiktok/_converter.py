"""The one cattrs converter: wire dicts in, models out, and back (``to_dict``).

A model is a subclass of :class:`tiktok.models.Model`. The round trip is exact
(docs/protocol.rst (Models)):

- a declared field sent as ``null`` reads ``None``, like one not sent; the model
  records its name and ``to_dict`` writes the ``null`` back;
- an integer sent as text (``"5872287"``) or as a whole float (``3.0``) reads as
  an ``int`` that remembers how it came (:class:`_WireInt`); ``to_dict`` gives
  that back;
- an id or text field sent as a JSON number reads as its ``str``, which
  remembers it was a number (:class:`_NumberText`); ``to_dict`` gives the
  number back;
- keys a model does not declare are kept in ``additional_properties`` and merged
  back by ``to_dict``;
- a nested object sent as ``[]`` (the empty object of a PHP encoder, e.g.
  ``"share_info": []``) reads as a model with nothing set, which remembers it;
  ``to_dict`` gives ``[]`` back while it is still empty.

Each model class gets its structure and ``to_dict`` hooks made once, as plain
closures over what the class declares (``tests/test_converter.py`` holds them to
cattrs' own generated hooks): a value that already has its field's type is taken
as it is, anything else goes through the hook this converter holds for the
field's type. The hooks are made under a lock, so threads making their first
calls at once all get finished hooks.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Dict, List, Optional, Tuple, Type, TypeVar, Union, get_args

import attrs
from cattrs import Converter
from cattrs.fns import identity

from .models._base import ID, Model, PagedResponse, SkippedItem, is_wire_field

__all__ = ["converter", "structure", "to_dict"]

T = TypeVar("T")

converter = Converter(detailed_validation=False)


# -- scalars ------------------------------------------------------------------------------


class _NumberText(str):
    """An id or text field that arrived as a JSON number; ``to_dict`` gives the number back."""

    __slots__ = ()

    def wire(self) -> Union[int, float]:
        # A JSON integer prints as digits (and a minus sign); a float never does.
        return int(self) if self.lstrip("-").isdigit() else float(self)


class _WireInt(int):
    """An integer that arrived as text or as a whole float: ``wire`` is the value as sent.

    It is an ``int`` in every way (arithmetic on it gives plain ints); only
    ``to_dict`` looks at ``wire``. (An ``int`` subclass cannot have slots: this
    one has a ``__dict__``; such values are rare.)
    """

    wire: Union[str, float]


def _wire_int(number: int, wire: Union[str, float]) -> int:
    value = _WireInt(number)
    value.wire = wire
    return value


def _structure_id(value: Any, _: Any) -> str:
    if type(value) is str:
        return value
    if type(value) is int:
        return _NumberText(value)
    raise TypeError(f"an id must be a string or an integer, not {type(value).__name__}")


def _structure_str(value: Any, _: Any) -> str:
    if type(value) is str:
        return value
    if type(value) is int or type(value) is float:
        return _NumberText(value)
    raise TypeError(f"expected a string, got {type(value).__name__}")


def _structure_int(value: Any, _: Any) -> int:
    # bools are ints in Python and are kept as sent (has_more is true/false or 1/0).
    if type(value) is int or type(value) is bool:
        return value
    if type(value) is str:
        return _wire_int(int(value), value)  # ValueError for text that is not a number
    if type(value) is float and value.is_integer():
        return _wire_int(int(value), value)
    raise TypeError(f"expected an integer, got {type(value).__name__}")


def _unstructure_text(value: str) -> Any:
    return value.wire() if type(value) is _NumberText else value


def _unstructure_int(value: int) -> Any:
    return value.wire if type(value) is _WireInt else value


converter.register_structure_hook(ID, _structure_id)
converter.register_structure_hook(str, _structure_str)
converter.register_structure_hook(int, _structure_int)
converter.register_unstructure_hook(ID, _unstructure_text)
converter.register_unstructure_hook(str, _unstructure_text)
converter.register_unstructure_hook(int, _unstructure_int)

# The type a value of each scalar field has when it is taken as it came.
_EXACT_TYPES: Dict[Any, type] = {str: str, ID: str, int: int}


# -- containers ---------------------------------------------------------------------------


def _origin_is(origin: type) -> Callable[[Any], bool]:
    return lambda cl: getattr(cl, "__origin__", None) is origin


def _item_type(cl: Any) -> Any:
    (item_type,) = get_args(cl) or (Any,)
    return item_type


def _list_structure_factory(cl: Any) -> Callable[[Any, Any], List[Any]]:
    item_type = _item_type(cl)
    item_hook = converter.get_structure_hook(item_type)
    exact = _EXACT_TYPES.get(item_type)

    def structure_list(value: Any, _: Any) -> List[Any]:
        if type(value) is not list:
            raise TypeError(f"expected a list, got {type(value).__name__}")
        if item_type is Any:
            return value
        if exact is not None:
            for item in value:
                if item.__class__ is not exact:
                    break
            else:
                # The usual case (url lists): the decoded list itself, no call per item.
                # The decoded body is the converter's alone (see structure()).
                return value
        return [item_hook(item, item_type) for item in value]

    return structure_list


def _list_unstructure_factory(cl: Any) -> Callable[[List[Any]], List[Any]]:
    item_type = _item_type(cl)
    item_hook = converter.get_unstructure_hook(item_type)
    exact = _EXACT_TYPES.get(item_type)

    def unstructure_list(value: List[Any]) -> List[Any]:
        if exact is not None:
            for item in value:
                if item.__class__ is not exact:
                    break
            else:
                return list(value)  # a copy: the dict never shares a list with the model
        return [item_hook(item) for item in value]

    return unstructure_list


def _structure_dict(value: Any, _: Any) -> Dict[str, Any]:
    if type(value) is not dict:
        raise TypeError(f"expected an object, got {type(value).__name__}")
    return value


converter.register_structure_hook_factory(_origin_is(list), _list_structure_factory)
converter.register_unstructure_hook_factory(_origin_is(list), _list_unstructure_factory)
converter.register_structure_hook_func(_origin_is(dict), _structure_dict)


# -- models -------------------------------------------------------------------------------


def _is_model(cl: Any) -> bool:
    return isinstance(cl, type) and issubclass(cl, Model)


_NONE = type(None)


def _field_type(attribute: Any) -> Any:
    """The ``X`` of a field typed ``Optional[X]`` (``None`` is handled by the model's hook)."""
    args = get_args(attribute.type)
    if getattr(attribute.type, "__origin__", None) is Union and _NONE in args:
        rest = [arg for arg in args if arg is not _NONE]
        return rest[0] if len(rest) == 1 else Union[tuple(rest)]
    return attribute.type


def _wire_fields(cl: type) -> List[Any]:
    return [a for a in attrs.fields(cl) if is_wire_field(a)]


def _check_plain(cl: type) -> None:
    """Refuse a model whose ``__init__`` does more than set fields: its hook sets slots."""
    plain = all(
        a.converter is None and a.validator is None and a.default is None for a in _wire_fields(cl)
    )
    guarded = cl.__setattr__ is not object.__setattr__  # type: ignore[comparison-overlap]
    if not plain or guarded or hasattr(cl, "__attrs_post_init__"):
        raise TypeError(
            f"{cl.__name__}: model fields must default to None, without converters,"
            " validators or on_setattr hooks"
        )


# Each model's hooks, by (direction, class). A model that contains itself
# (a comment's replies) asks for its own hook while it is being made (None here):
# it gets one that calls the finished hook. The lock makes a thread that asks for a
# hook another thread is making wait for it instead of seeing it half-made.
_model_hooks: Dict[Tuple[str, type], Any] = {}
_model_hooks_lock = threading.RLock()


def _made_once(key: Tuple[str, type], make: Callable[[], Any]) -> Any:
    with _model_hooks_lock:
        if key in _model_hooks:
            finished = _model_hooks[key]
            if finished is not None:
                return finished

            def call_finished(*args: Any) -> Any:
                return _model_hooks[key](*args)

            return call_finished
        _model_hooks[key] = None
        try:
            hook = make()
        except BaseException:
            del _model_hooks[key]
            raise
        _model_hooks[key] = hook
        return hook


# What a model's _nulls holds when the object came as [] (no field name looks like it):
# an empty PHP array is how PHP encoders write an empty object (docs/protocol.rst (Models)).
SENT_AS_LIST: Tuple[str, ...] = ("[]",)


class _NoValue:
    """No value has this class: a field whose hook must see every value it reads."""


def _model_structure_factory(cl: Type[T]) -> Callable[[Any, Any], T]:
    """The structure hook of one model class, made once."""
    return _made_once(("structure", cl), lambda: _make_structure_hook(cl))  # type: ignore[no-any-return]


def _make_structure_hook(cl: Type[T]) -> Callable[[Any, Any], T]:
    """A model's hook: a plain loop over the fields the class declares.

    A field sent as ``null`` is noted (its key in ``_nulls``); a value that
    already has its field's exact type is taken as it is (nearly all of them, see
    docs/performance.rst); anything else goes through the field's hook. The keys
    the class does not declare are kept in ``additional_properties``.
    """
    attrs.resolve_types(cl)  # type: ignore[type-var]  # the annotations are strings (PEP 563)
    _check_plain(cl)
    # A page's items are read as they came; structure_items builds them one by one.
    items: Optional[str] = getattr(cl, "ITEMS", None) if issubclass(cl, PagedResponse) else None
    paged = issubclass(cl, PagedResponse)
    # Each wire field, in declared order: (its key, its hook or None to take the value as
    # sent, the hook's type argument, the class whose values are taken as they are).
    reads: List[Tuple[str, Any, Any, type]] = []
    for attribute in _wire_fields(cl):
        inner = _field_type(attribute)
        if inner is Any or attribute.name == items:
            reads.append((attribute.name, None, None, _NoValue))
        else:
            hook = converter.get_structure_hook(inner)
            reads.append((attribute.name, hook, inner, _EXACT_TYPES.get(inner, _NoValue)))
    known = frozenset(key for key, *_ in reads)
    structure_items = _items_structure(cl, items) if items is not None else None
    not_an_object = f"expected an object for {cl.__name__}, got "
    new = object.__new__  # no __init__: every field is set below

    def structure_model(o: Any, _: Any = None) -> T:
        if o.__class__ is not dict:
            if o.__class__ is list and not o:
                instance = structure_model({})
                instance._nulls = SENT_AS_LIST  # type: ignore[attr-defined]
                return instance
            raise TypeError(not_an_object + type(o).__name__)
        instance = new(cl)
        nulls: Tuple[str, ...] = ()
        get = o.get
        for key, hook, field_type, exact in reads:
            value = get(key)
            if value is None:
                if key in o:
                    nulls += (key,)
            elif value.__class__ is not exact and hook is not None:
                value = hook(value, field_type)
            setattr(instance, key, value)
        instance._nulls = nulls  # type: ignore[attr-defined]
        instance.additional_properties = (  # type: ignore[attr-defined]
            {} if known.issuperset(o) else {k: o[k] for k in o if k not in known}
        )
        if structure_items is not None:
            built, instance.skipped = structure_items(getattr(instance, items))  # type: ignore[arg-type, attr-defined]
            setattr(instance, items, built)  # type: ignore[arg-type]
        elif paged:
            instance.skipped = []  # type: ignore[attr-defined]
        return instance

    structure_model.__qualname__ = f"structure_{cl.__name__}"
    return structure_model


def _items_structure(cl: type, items: str) -> Callable[[Any], Tuple[Any, List[SkippedItem]]]:
    """The builder of a page's items: each on its own, so one bad item is set aside, not fatal."""
    item_type = _item_type(_field_type(attrs.fields_dict(cl)[items]))
    item_hook = converter.get_structure_hook(item_type)

    def structure_items(value: Any) -> Tuple[Any, List[SkippedItem]]:
        skipped: List[SkippedItem] = []
        if value is None:
            return None, skipped
        if type(value) is not list:
            raise TypeError(f"expected a list for {items}, got {type(value).__name__}")
        built = []
        for index, raw in enumerate(value):
            try:
                built.append(item_hook(raw, item_type))
            except Exception as exc:  # any shape error (the transport maps the same to DecodeError)
                reason = f"{type(exc).__name__}: {exc}"
                where = _where(raw, item_type)
                if where:
                    reason = f"{where}: {reason}"
                skipped.append(SkippedItem(raw=raw, reason=reason, index=index))
        return built, skipped

    return structure_items


def _where(value: Any, cl: Any, path: str = "") -> str:
    """The path (``video.cover.url_list[1]``) of the value in ``value`` that ``cl`` refuses.

    Only called for an item already refused, to say where: each field is tried on
    its own, and the first one refused is followed down.
    """
    if _is_model(cl) and type(value) is dict:
        for attribute in attrs.fields(cl):
            key = attribute.name
            if not is_wire_field(attribute) or value.get(key) is None:
                continue
            field_type = _field_type(attribute)
            try:
                converter.structure(value[key], field_type)
            except Exception:
                return _where(value[key], field_type, f"{path}.{key}" if path else key)
    elif getattr(cl, "__origin__", None) is list and type(value) is list:
        item_type = _item_type(cl)
        for index, item in enumerate(value):
            try:
                converter.structure(item, item_type)
            except Exception:
                return _where(item, item_type, f"{path}[{index}]")
    return path


def _model_unstructure_factory(cl: Type[Any]) -> Callable[[Any], Dict[str, Any]]:
    """The ``to_dict`` hook of one model class, made once."""
    return _made_once(("unstructure", cl), lambda: _make_unstructure_hook(cl))  # type: ignore[no-any-return]


def _make_unstructure_hook(cl: Type[Any]) -> Callable[[Any], Dict[str, Any]]:
    """A model's ``to_dict`` hook: the wire fields in their declared order, then the unknown keys.

    A value that is None is written as null if the wire sent null there (else not
    at all); one that has its field's exact type as it is; anything else through
    its type's hook (numbers that came as text go back as text; nested models and
    lists are new dicts and lists).
    """
    attrs.resolve_types(cl)
    # (key, its hook or None to write the value as it is, the class written as it is)
    writes: List[Tuple[str, Any, type]] = []
    for attribute in _wire_fields(cl):
        inner = _field_type(attribute)
        hook = converter.get_unstructure_hook(inner)
        if hook is identity:
            writes.append((attribute.name, None, _NoValue))
        else:
            writes.append((attribute.name, hook, _EXACT_TYPES.get(inner, _NoValue)))

    def unstructure_model(instance: Any) -> Any:
        out: Dict[str, Any] = {}
        nulls = instance._nulls
        for key, hook, exact in writes:
            value = getattr(instance, key)
            if value is not None:
                out[key] = value if hook is None or value.__class__ is exact else hook(value)
            elif nulls and key in nulls:
                out[key] = None
        extra = instance.additional_properties
        if extra:
            out.update(extra)
        elif nulls is SENT_AS_LIST and not out:
            return []
        return out

    unstructure_model.__qualname__ = f"unstructure_{cl.__name__}"
    return unstructure_model


converter.register_structure_hook_factory(_is_model, _model_structure_factory)
converter.register_unstructure_hook_factory(_is_model, _model_unstructure_factory)


def structure(data: Any, cl: Type[T]) -> T:
    """Build a model from decoded JSON; raises ``TypeError``/``ValueError`` on a wrong shape.

    The model takes over ``data``'s lists and unknown values instead of copying
    them: callers pass a body just decoded and keep no other reference to it.
    An item of a page (:class:`tiktok.models.PagedResponse`) that does not fit
    its model is set aside in the page's ``skipped``, not raised.
    """
    if data.__class__ is list and _is_model(cl):
        # A body or a loaded file is an object; only a nested object may come as [].
        raise TypeError(f"expected an object for {cl.__name__}, got list")
    return converter.structure(data, cl)


def to_dict(model: Any) -> Dict[str, Any]:
    """The JSON-shaped dict of a model: exactly the JSON it was built from.

    Wire field names, unknown keys included; fields the wire did not send are
    left out, ``null`` stays ``null``, and numbers and text come back in the JSON
    type they were sent as.
    """
    if not _is_model(type(model)):
        raise TypeError(f"to_dict takes a tiktok model, not {type(model).__name__}")
    return converter.unstructure(model)  # type: ignore[no-any-return]
