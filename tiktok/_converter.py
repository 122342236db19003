"""The one cattrs converter: wire dicts in, models out, and back (``to_dict``).

Hooks are generated once per model class (cattrs ``make_dict_*_fn``), never
reflected per call. Every model keeps the keys it does not know in
``additional_properties``; ``to_dict`` merges them back.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, FrozenSet, List, NewType, Type, TypeVar, Union, get_args

import attrs
from cattrs import Converter
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

__all__ = ["ID", "converter", "structure", "to_dict"]

T = TypeVar("T")

ID = NewType("ID", str)
ID.__doc__ = "An id (``uid``, ``aweme_id``, ``room_id``, …): always a ``str``, exact at any size."


class _NumericID(str):
    """An id that arrived as a JSON number; ``to_dict`` gives it back as a number."""

    __slots__ = ()


EXTRA_FIELD = "additional_properties"

converter = Converter(detailed_validation=False)


def _structure_id(value: Any, _: Any) -> str:
    if type(value) is str:
        return value
    if type(value) is int:
        return _NumericID(value)
    raise TypeError(f"an id must be a string or an integer, not {type(value).__name__}")


def _unstructure_id(value: str) -> Any:
    return int(value) if type(value) is _NumericID else value


def _structure_int(value: Any, _: Any) -> int:
    # bools are ints in Python and are kept as sent (has_more is true/false or 1/0).
    if type(value) is int or type(value) is bool:
        return value
    if type(value) is str:
        return int(value)  # numbers sent as text; ValueError for anything else
    if type(value) is float and value.is_integer():
        return int(value)
    raise TypeError(f"expected an integer, got {type(value).__name__}")


def _structure_float(value: Any, _: Any) -> float:
    if type(value) in (int, float, bool):
        return value  # type: ignore[no-any-return]
    if type(value) is str:
        return float(value)
    raise TypeError(f"expected a number, got {type(value).__name__}")


def _structure_str(value: Any, _: Any) -> str:
    if type(value) is str:
        return value
    if type(value) in (int, float):
        return str(value)
    raise TypeError(f"expected a string, got {type(value).__name__}")


def _structure_bool(value: Any, _: Any) -> Union[bool, int]:
    # Flags arrive as true/false or 0/1; kept as sent so to_dict gives them back.
    if type(value) is bool or type(value) is int:
        return value
    raise TypeError(f"expected a boolean, got {type(value).__name__}")


def _structure_any(value: Any, _: Any) -> Any:
    return value


converter.register_structure_hook(ID, _structure_id)
converter.register_unstructure_hook(ID, _unstructure_id)
converter.register_structure_hook(int, _structure_int)
converter.register_structure_hook(float, _structure_float)
converter.register_structure_hook(str, _structure_str)
converter.register_structure_hook(bool, _structure_bool)
# A predicate, not register_structure_hook(Any, ...): typing.Any is not a class on 3.9.
converter.register_structure_hook_func(lambda cl: cl is Any, _structure_any)


# The wire type each primitive hook hands back unchanged.
_EXACT_TYPES: Dict[Any, type] = {str: str, ID: str, int: int, bool: bool}


def _is_list(cl: Any) -> bool:
    return getattr(cl, "__origin__", None) is list


def _list_hook_factory(cl: Any, optional: bool = False) -> Callable[[Any, Any], List[Any]]:
    (item_type,) = get_args(cl) or (Any,)
    item_hook = converter.get_structure_hook(item_type)
    # Lists whose items already have their final type (url lists: str) are copied as they are.
    exact = _EXACT_TYPES.get(item_type)

    def structure_list(value: Any, _: Any) -> List[Any]:
        if type(value) is not list:
            if value is None and optional:
                return None  # type: ignore[return-value]
            raise TypeError(f"expected a list, got {type(value).__name__}")
        if exact is not None:
            for item in value:
                if type(item) is not exact:
                    break
            else:
                return value.copy()  # the usual case, without a call per item
        return [item_hook(item, item_type) for item in value]

    return structure_list


def _is_dict(cl: Any) -> bool:
    return getattr(cl, "__origin__", None) is dict


def _structure_dict(value: Any, _: Any) -> Dict[str, Any]:
    if type(value) is not dict:
        raise TypeError(f"expected an object, got {type(value).__name__}")
    return value


converter.register_structure_hook_factory(_is_list, _list_hook_factory)
converter.register_structure_hook_func(_is_dict, _structure_dict)


def _is_model(cl: Any) -> bool:
    return attrs.has(cl) and EXTRA_FIELD in attrs.fields_dict(cl)


def _model_structure_factory(cl: Type[T], optional: bool = False) -> Callable[[Any, Any], T]:
    generated = make_dict_structure_fn(
        cl, converter, _cattrs_detailed_validation=False, additional_properties=override(omit=True)
    )
    known: FrozenSet[str] = frozenset(
        a.name
        for a in attrs.fields(cl)  # type: ignore[arg-type]
        if a.name != EXTRA_FIELD
    )

    def structure_model(value: Any, _: Any) -> T:
        if type(value) is not dict:
            if value is None and optional:
                return None  # type: ignore[return-value]
            raise TypeError(f"expected an object for {cl.__name__}, got {type(value).__name__}")
        instance = generated(value, cl)
        if not known.issuperset(value):  # cheaper than building the difference every time
            setattr(instance, EXTRA_FIELD, {key: value[key] for key in value if key not in known})
        return instance

    return structure_model


def _model_unstructure_factory(cl: Type[Any]) -> Callable[[Any], Dict[str, Any]]:
    generated = make_dict_unstructure_fn(
        cl, converter, _cattrs_omit_if_default=True, additional_properties=override(omit=True)
    )

    def unstructure_model(instance: Any) -> Dict[str, Any]:
        out = generated(instance)
        extra = getattr(instance, EXTRA_FIELD)
        if extra:
            out.update(extra)
        return out

    return unstructure_model


converter.register_structure_hook_factory(_is_model, _model_structure_factory)
converter.register_unstructure_hook_factory(_is_model, _model_unstructure_factory)


# Optional[X] fields are most fields. cattrs' own Optional hook looks up X's hook on
# every call; these bind it once (a profile showed a third of a page's CPU there).
_NONE = type(None)


def _is_optional(cl: Any) -> bool:
    args = get_args(cl)
    return getattr(cl, "__origin__", None) is Union and len(args) == 2 and _NONE in args


def _optional_str(value: Any, _: Any) -> Any:
    return value if value is None or type(value) is str else _structure_str(value, str)


def _optional_id(value: Any, _: Any) -> Any:
    return value if value is None or type(value) is str else _structure_id(value, ID)


def _optional_int(value: Any, _: Any) -> Any:
    return value if value is None or type(value) is int else _structure_int(value, int)


def _optional_bool(value: Any, _: Any) -> Any:
    return value if value is None or type(value) is bool else _structure_bool(value, bool)


_OPTIONAL_PRIMITIVES: Dict[Any, Callable[[Any, Any], Any]] = {
    str: _optional_str,
    ID: _optional_id,
    int: _optional_int,
    bool: _optional_bool,
}


def _optional_hook_factory(cl: Any) -> Callable[[Any, Any], Any]:
    inner = next(arg for arg in get_args(cl) if arg is not _NONE)
    if inner in _OPTIONAL_PRIMITIVES:
        return _OPTIONAL_PRIMITIVES[inner]
    if _is_model(inner):
        return _model_structure_factory(inner, optional=True)
    if _is_list(inner):
        return _list_hook_factory(inner, optional=True)
    hook = converter.get_structure_hook(inner)

    def structure_optional(value: Any, _: Any) -> Any:
        return None if value is None else hook(value, inner)

    return structure_optional


converter.register_structure_hook_factory(_is_optional, _optional_hook_factory)


def structure(data: Any, cl: Type[T]) -> T:
    """Build a model from decoded JSON; raises ``TypeError``/``ValueError`` on a wrong shape."""
    return converter.structure(data, cl)


def to_dict(model: Any) -> Dict[str, Any]:
    """The JSON-shaped dict of a model: the wire's field names, unknown keys included.

    Fields the wire did not send (``None``) are left out, and ids that arrived as
    numbers go back as numbers, so a parsed body gives back the same JSON.
    """
    if not _is_model(type(model)):
        raise TypeError(f"to_dict takes a tiktok model, not {type(model).__name__}")
    return converter.unstructure(model)  # type: ignore[no-any-return]
