"""The data commands, ``tiktok GROUP ACTION ARGS``: one per declared API call (docs/contributing.rst)."""

from __future__ import annotations

import argparse
from typing import Any, Callable, Dict, Optional, Tuple

import attrs

from .._converter import to_dict
from ..client import Client
from ..resources import RESOURCES
from ..resources._declare import Call, Paging, Param, Shape, calls

__all__ = [
    "COMMANDS",
    "GROUPS",
    "Arg",
    "Command",
    "command_of",
    "numeric_id",
    "page_options",
    "resolve_refs",
]


def numeric_id(text: str) -> str:
    """argparse type of an id: digits only (ids outgrow 64-bit floats, so they stay text)."""
    if text.isascii() and text.isdigit():
        return text
    raise argparse.ArgumentTypeError(f"must be a numeric id (digits only), not {text!r}")


def id_or_link(kind: str) -> Callable[[str], str]:
    """argparse type of an id that may also be given as a pasted link (a user: as @handle)."""

    def parse(text: str) -> str:
        text = text.strip()
        if text.isascii() and text.isdigit():
            return text
        if kind == "user" and text.startswith("@") and len(text) > 1:
            return text
        if kind == "user" and text.startswith("MS4w"):
            return text  # a sec_user_id: the library checks it (docs/protocol.rst (Apps and hosts))
        if "/" in text:
            return text  # a link: client.resolve checks it once the client is open
        what = "a numeric id, an @handle or a link" if kind == "user" else "a numeric id or a link"
        raise argparse.ArgumentTypeError(f"must be {what}, not {text!r}")

    return parse


def resolve_ref(client: Client, kind: str, text: str) -> str:
    """The numeric id ``text`` stands for: itself, the user with that @handle, or a link's id."""
    if text.isascii() and text.isdigit():
        return text
    if kind == "user" and text.startswith("@"):
        return str(client.users.by_username(text).uid)
    if kind == "user" and text.startswith("MS4w"):
        return text
    link = client.resolve(text)
    if link.kind != kind:
        raise ValueError(f"{text} is a link to a {link.kind}, not to a {kind}")
    return link.id


@attrs.frozen
class Arg:
    """One argument of a command, as ``parser.add_argument`` takes it.

    ``ref`` is the kind (user, post, music, hashtag) of an id that may be given as
    a link or, for a user, an @handle: resolved once the client is open.
    """

    flags: Tuple[str, ...]
    options: Dict[str, Any] = attrs.field(factory=dict)
    ref: Optional[str] = None


def resolve_refs(client: Client, command: Command, args: argparse.Namespace) -> None:
    """Replace each handle or link among ``args`` by the id it stands for."""
    for arg in command.args:
        if arg.ref is None:
            continue
        dest = arg.flags[0].lstrip("-").replace("-", "_")
        value = getattr(args, dest)
        if isinstance(value, list):
            setattr(args, dest, [resolve_ref(client, arg.ref, item) for item in value])
        elif isinstance(value, str):
            setattr(args, dest, resolve_ref(client, arg.ref, value))


@attrs.frozen
class Command:
    group: str
    name: str
    help: str
    run: Callable[[Client, argparse.Namespace], Any]
    args: Tuple[Arg, ...] = ()
    paging: Paging = Paging.ONE
    needs_login: bool = False


def page_options(args: argparse.Namespace) -> Dict[str, Any]:
    """``count``/``limit``/``cursor``/``strict`` keywords for a listing from its options."""
    options: Dict[str, Any] = {
        "count": args.count,
        "limit": None if args.all else args.limit,
    }
    if getattr(args, "cursor", None) is not None:
        options["cursor"] = args.cursor
    if getattr(args, "strict", False):
        options["strict"] = True
    return options


def _args_of(param: Param) -> Tuple[Arg, ...]:
    """The command line argument of a declared parameter (none for a comment's tags)."""
    options: Dict[str, Any] = {"help": param.help}
    if param.shape in (Shape.ID, Shape.IDS):
        if param.shape is Shape.IDS:
            options["nargs"] = "+"
        if param.takes_link:
            assert param.of is not None
            return (Arg((param.name,), {"type": id_or_link(param.of), **options}, ref=param.of),)
        return (Arg((param.name,), {"type": numeric_id, **options}),)
    if param.shape is Shape.TAGS:
        return ()
    flags = (param.name,) if param.required else ("--" + param.name.replace("_", "-"),)
    if param.shape is Shape.FLAG:
        options["action"] = "store_true"
    elif param.shape is Shape.INT:
        options["type"] = int  # the library checks the bounds, naming the argument
    elif param.shape is Shape.CHOICE:
        options["choices"] = sorted(word for word, _ in param.choices)
    if not param.required and param.shape is not Shape.FLAG:
        options["default"] = _word_of(param, param.default)
    return (Arg(flags, options),)


def _word_of(param: Param, value: Any) -> Any:
    """A default as the command line spells it: a choice's word, else the value."""
    for word, meant in param.choices:
        if meant == value:
            return word
    return value


def _values(call: Call, args: argparse.Namespace) -> Dict[str, Any]:
    """The call's keyword arguments from the parsed command line."""
    given = vars(args)
    values: Dict[str, Any] = {}
    for param in call.params:
        if param.shape is Shape.TAGS:
            continue
        value = given[param.name]
        values[param.name] = dict(param.choices)[value] if param.shape is Shape.CHOICE else value
    if call.paging is not Paging.ONE:
        values.update(page_options(args))
    return values


def _line(call: Call, result: Any) -> Any:
    """What the command prints for one result: ``adds`` first, a bare bool under its field."""
    if call.adds:
        return {**{name: getattr(result, name) for name in call.adds}, **to_dict(result)}
    if isinstance(result, bool) and call.field is not None:
        return {call.field: result}
    return result


def command_of(call: Call) -> Command:
    """The command of a declared call; its group is the call's namespace unless it names another."""
    assert call.command is not None
    group, _, name = call.command.rpartition(" ")

    def run(client: Client, args: argparse.Namespace) -> Any:
        result = call.function(client.resource(call.resource), **_values(call, args))
        return result if call.paging is not Paging.ONE else _line(call, result)

    return Command(
        group or call.namespace,
        name,
        call.help,
        run,
        tuple(arg for param in call.params for arg in _args_of(param)),
        paging=call.paging,
        needs_login=call.login,
    )


#: links resolve follows share links rather than calling the API (it is not a declared call).
RESOLVE = Command(
    "links",
    "resolve",
    "the kind (post, user, music, hashtag) and id of a share link; short links followed",
    lambda c, a: attrs.asdict(c.resolve(a.url)),
    (Arg(("url",), {"help": "the link, e.g. https://vm.tiktok.com/ZM.../"}),),
)

GROUPS: Dict[str, str] = {
    **{resource.namespace: resource.summary for resource in RESOURCES},
    "links": "what a pasted share link points at",
}

COMMANDS: Tuple[Command, ...] = (
    *(command_of(call) for call in calls() if call.command is not None),
    RESOLVE,
)
