"""The one cattrs converter: wire dicts in, models out, and back (``to_dict``).

Each model class gets its structure and unstructure hooks generated once, by
this module's hook factories, never reflected per call: values that already
have their final type are taken as they are, the rest go through the hooks the
converter holds for the field's type. Every model keeps the keys it does not
know in ``additional_properties``; ``to_dict`` merges them back.
"""

from __future__ import annotations

import linecache
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    List,
    NewType,
    Optional,
    Tuple,
    Type,
    TypeVar,
    Union,
    get_args,
)

import attrs
from cattrs import Converter
from cattrs.fns import identity

__all__ = ["ID", "converter", "structure", "to_dict"]

T = TypeVar("T")

if TYPE_CHECKING:
    # To type checkers (ours and users') an id is a plain str, as it is at runtime:
    # ``Tag(user_id="123")`` and ``f(post.aweme_id)`` with ``f(x: str)`` both check.
    ID = str
else:
    # At runtime a distinct name, so the converter knows which fields are ids.
    ID = NewType("ID", str)
    ID.__doc__ = (
        "An id (``uid``, ``aweme_id``, ``room_id``, …): always a ``str``, exact at any size."
    )


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
    # Lists whose items already have their final type (url lists: str) are kept, not
    # copied: the decoded body is the converter's alone (see structure()).
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
                return value  # the usual case: the decoded list itself, no call per item
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


# How each field is read in a generated model hook. Most values already have their
# final type (a str for a str field): the generated code checks that inline and calls
# the field's hook only for the rest, so a page of posts makes a call per nested
# model or list instead of one per field (see docs/performance.rst).
_FIELD_PRIMITIVE = (
    "  {v} = o.get({key!r})\n"
    "  if {v} is not None and {v}.__class__ is not {exact}: {v} = {hook}({v}, {type})\n"
)
_FIELD_NESTED = "  {v} = o.get({key!r})\n  if {v} is not None: {v} = {hook}({v}, {type})\n"
_FIELD_ANY = "  {v} = o.get({key!r})\n"
_FIELD_OTHER = "  {v} = {hook}(o[{key!r}], {type}) if {key!r} in o else None\n"

_MODEL_STRUCTURE = """\
def structure_{name}(o, _=None):
  if o.__class__ is not dict:
    return not_a_dict(o)
{reads}\
  instance = new(cl)
{sets}\
  instance.{extra} = {{}} if known.issuperset(o) else {{k: o[k] for k in o if k not in known}}
  return instance
"""


def _field_reader(index: int, attribute: Any) -> Tuple[str, Dict[str, Any]]:
    """The generated lines that read one field into ``v<index>``, and the names they use."""
    v, hook, type_ = f"v{index}", f"hook{index}", f"type{index}"
    args = {"v": v, "key": attribute.name, "hook": hook, "type": type_}
    optional = converter.get_structure_hook(attribute.type)
    if optional is _structure_any:
        return _FIELD_ANY.format(**args), {}
    if optional in _OPTIONAL_PRIMITIVES.values():
        inner = _optional_inner(attribute.type)
        names = {hook: converter.get_structure_hook(inner), type_: inner}
        return _FIELD_PRIMITIVE.format(exact=_EXACT_TYPES[inner].__name__, **args), names
    nested = getattr(optional, "tiktok_non_optional", None)
    if nested is not None:  # an Optional model or list: the hook for a value that is there
        return _FIELD_NESTED.format(**args), {hook: nested[0], type_: nested[1]}
    return _FIELD_OTHER.format(**args), {hook: optional, type_: attribute.type}


def _plain_init(cl: Type[Any]) -> bool:
    """Whether building ``cl`` by setting its slots is what its ``__init__`` would do."""
    return all(
        a.init
        and a.converter is None
        and a.validator is None
        and (a.name == EXTRA_FIELD or a.default is None)
        for a in attrs.fields(cl)
    ) and (
        cl.__setattr__ is object.__setattr__  # type: ignore[comparison-overlap]  # not frozen
        and not hasattr(cl, "__attrs_pre_init__")
        and not hasattr(cl, "__attrs_post_init__")
    )


# Each model's generated hooks, by (direction, class, optional). A model that contains
# itself (a comment's replies) asks for its own hook while it is being generated (None
# here): it gets one that calls the finished hook.
_model_hooks: Dict[Tuple[str, type, bool], Optional[Callable[..., Any]]] = {}


def _generated_once(key: Tuple[str, type, bool], generate: Callable[[], Any]) -> Any:
    if key in _model_hooks:
        finished = _model_hooks[key]
        if finished is not None:
            return finished

        def call_finished(*args: Any) -> Any:
            return _model_hooks[key](*args)  # type: ignore[misc]

        return call_finished
    _model_hooks[key] = None
    try:
        hook = generate()
    except BaseException:
        del _model_hooks[key]
        raise
    _model_hooks[key] = hook
    return hook


def _model_structure_factory(cl: Type[T], optional: bool = False) -> Callable[[Any, Any], T]:
    """A generated hook for one model class, built once, keeping unknown keys."""
    if not _plain_init(cl):
        raise TypeError(
            f"{cl.__name__}: model fields must default to None, without converters,"
            " validators or on_setattr hooks"
        )
    hook: Callable[[Any, Any], T] = _generated_once(
        ("structure", cl, optional), lambda: _generate_structure_hook(cl, optional)
    )
    return hook


def _generate_structure_hook(cl: Type[T], optional: bool) -> Callable[[Any, Any], T]:
    attrs.resolve_types(cl)  # type: ignore[type-var]  # the models' annotations are strings (PEP 563)
    fields = [a for a in attrs.fields(cl) if a.name != EXTRA_FIELD]  # type: ignore[arg-type]

    def not_a_dict(value: Any) -> Any:
        if value is None and optional:
            return None
        raise TypeError(f"expected an object for {cl.__name__}, got {type(value).__name__}")

    names: Dict[str, Any] = {
        "cl": cl,
        "new": object.__new__,
        "not_a_dict": not_a_dict,
        "known": frozenset(a.name for a in fields),
    }
    reads = []
    for index, attribute in enumerate(fields):
        lines, used = _field_reader(index, attribute)
        reads.append(lines)
        names.update(used)
    sets = "".join(f"  instance.{a.name} = v{i}\n" for i, a in enumerate(fields))
    source = _MODEL_STRUCTURE.format(
        name=cl.__name__, reads="".join(reads), sets=sets, extra=EXTRA_FIELD
    )
    hook: Callable[[Any, Any], T] = _compile("structure", cl, source, names)
    return hook


def _compile(direction: str, cl: type, source: str, names: Dict[str, Any]) -> Any:
    """The function ``<direction>_<class name>`` that ``source`` defines, given ``names``."""
    # Kept in linecache so that a traceback through the hook shows its source.
    filename = f"<tiktok generated {direction} {cl.__module__}.{cl.__qualname__}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), names)  # our own template, field names only
    return names[f"{direction}_{cl.__name__}"]


# How each field is written by a generated to_dict hook: values whose hook is the
# identity (str, int, bool) as they are, ids by an inline check, the rest by their
# type's hook (a nested model's, a list's copy). None is "not sent": left out.
_WRITE_AS_IS = "  v = instance.{name}\n  if v is not None: out[{name!r}] = v\n"
_WRITE_ID = (
    "  v = instance.{name}\n"
    "  if v is not None: out[{name!r}] = v if v.__class__ is str else {hook}(v)\n"
)
_WRITE_WITH_HOOK = "  v = instance.{name}\n  if v is not None: out[{name!r}] = {hook}(v)\n"

_MODEL_UNSTRUCTURE = """\
def unstructure_{name}(instance):
  out = {{}}
{writes}\
  extra = instance.{extra}
  if extra:
    out.update(extra)
  return out
"""


def _model_unstructure_factory(cl: Type[Any]) -> Callable[[Any], Dict[str, Any]]:
    """A generated ``to_dict`` hook for one model class: wire names, unknown keys last."""
    hook: Callable[[Any], Dict[str, Any]] = _generated_once(
        ("unstructure", cl, False), lambda: _generate_unstructure_hook(cl)
    )
    return hook


def _generate_unstructure_hook(cl: Type[Any]) -> Callable[[Any], Dict[str, Any]]:
    attrs.resolve_types(cl)
    names: Dict[str, Any] = {}
    writes = []
    for index, attribute in enumerate(attrs.fields(cl)):
        if attribute.name == EXTRA_FIELD:
            continue
        type_ = attribute.type
        inner = _optional_inner(type_) if _is_optional(type_) else type_
        field_hook = converter.get_unstructure_hook(inner)
        template = _WRITE_WITH_HOOK
        if field_hook is identity:
            template = _WRITE_AS_IS
        elif field_hook is _unstructure_id:
            template = _WRITE_ID
        names[f"hook{index}"] = field_hook
        writes.append(template.format(name=attribute.name, hook=f"hook{index}"))
    source = _MODEL_UNSTRUCTURE.format(name=cl.__name__, writes="".join(writes), extra=EXTRA_FIELD)
    return _compile("unstructure", cl, source, names)  # type: ignore[no-any-return]


converter.register_structure_hook_factory(_is_model, _model_structure_factory)
converter.register_unstructure_hook_factory(_is_model, _model_unstructure_factory)


# Optional[X] fields are most fields. cattrs' own Optional hook looks up X's hook on
# every call; these bind it once (a profile showed a third of a page's CPU there).
_NONE = type(None)


def _is_optional(cl: Any) -> bool:
    args = get_args(cl)
    return getattr(cl, "__origin__", None) is Union and len(args) == 2 and _NONE in args


def _optional_inner(cl: Any) -> Any:
    """The ``X`` of ``Optional[X]``."""
    return next(arg for arg in get_args(cl) if arg is not _NONE)


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
    inner = _optional_inner(cl)
    if inner in _OPTIONAL_PRIMITIVES:
        return _OPTIONAL_PRIMITIVES[inner]
    if _is_model(inner):
        optional_hook = _model_structure_factory(inner, optional=True)
    elif _is_list(inner):
        optional_hook = _list_hook_factory(inner, optional=True)
    else:
        optional_hook = None
    if optional_hook is not None:
        # Generated model hooks check for None inline and call the plain hook.
        optional_hook.tiktok_non_optional = (  # type: ignore[attr-defined]
            converter.get_structure_hook(inner),
            inner,
        )
        return optional_hook
    hook = converter.get_structure_hook(inner)

    def structure_optional(value: Any, _: Any) -> Any:
        return None if value is None else hook(value, inner)

    return structure_optional


converter.register_structure_hook_factory(_is_optional, _optional_hook_factory)


def structure(data: Any, cl: Type[T]) -> T:
    """Build a model from decoded JSON; raises ``TypeError``/``ValueError`` on a wrong shape.

    The model takes over ``data``'s lists and unknown values instead of copying
    them: callers pass a body just decoded and keep no other reference to it.
    """
    return converter.structure(data, cl)


def to_dict(model: Any) -> Dict[str, Any]:
    """The JSON-shaped dict of a model: the wire's field names, unknown keys included.

    Fields the wire did not send (``None``) are left out, and ids that arrived as
    numbers go back as numbers, so a parsed body gives back the same JSON.
    """
    if not _is_model(type(model)):
        raise TypeError(f"to_dict takes a tiktok model, not {type(model).__name__}")
    return converter.unstructure(model)  # type: ignore[no-any-return]
