"""Each API call declared once, beside its resource method.

A resource method is marked with :func:`declare`: what it sends (an
:class:`~tiktok._transport.Endpoint` or a :class:`Listing`), its parameters
with their shapes and bounds, whether it needs a login and a one-line help.
From these the command line builds its commands and options, the crawl its
target kinds, the docs their reference table and the tests their sweeps
(docs/contributing.rst). The sandbox is not built from them: it is the
independent implementation the end-to-end tests check the client against.
"""

from __future__ import annotations

import enum
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterator,
    List,
    Optional,
    Tuple,
    Type,
    TypeVar,
    Union,
)

import attrs

from .._transport import Endpoint
from ..pagination import Style

if TYPE_CHECKING:
    from ._base import Listing, Resource

__all__ = [
    "Call",
    "Paging",
    "Param",
    "Shape",
    "calls",
    "choice",
    "declare",
    "flag",
    "id_list",
    "identifier",
    "integer",
    "tags",
    "text",
]

F = TypeVar("F", bound=Callable[..., Any])


class Paging(enum.Enum):
    """How a call answers: one result, a listing you can resume, or an endless feed."""

    ONE = "one result"
    LISTING = "resumable listing"
    FEED = "endless feed"


class Shape(enum.Enum):
    """What a parameter takes."""

    #: one numeric id of a kind (``Param.of``): a user's may also be a sec_user_id or a ``User``
    ID = "id"
    #: a non-empty list of ids of a kind
    IDS = "ids"
    #: non-blank text
    TEXT = "text"
    #: an int within ``Param.low`` and ``Param.high``
    INT = "int"
    #: one of ``Param.choices``
    CHOICE = "choice"
    #: true or false
    FLAG = "flag"
    #: a comment's mentions (``TextExtra`` models or dicts); not on the command line
    TAGS = "tags"


#: The kinds of id a parameter can name. Those a share link can name (``tiktok.Link.kind``)
#: may be given to the command line as a link, and a user's as an @handle.
ID_KINDS = ("user", "post", "music", "hashtag", "sticker", "room", "stream", "comment")
LINK_KINDS = ("user", "post", "music", "hashtag")


class _Required(enum.Enum):
    REQUIRED = "required"


#: The default of a parameter that has none: the caller must pass it.
REQUIRED = _Required.REQUIRED


@attrs.frozen
class Param:
    """One parameter of a call, named as the method names it."""

    name: str
    shape: Shape
    #: one line for ``--help`` and the docs
    help: str
    #: the kind of id (one of ``ID_KINDS``) for ``ID`` and ``IDS``
    of: Optional[str] = None
    #: the bounds of an ``INT``, both inclusive
    low: Optional[int] = None
    high: Optional[int] = None
    #: a ``CHOICE``'s words and the values they stand for
    choices: Tuple[Tuple[str, Any], ...] = ()
    #: the method's default; ``REQUIRED`` when it has none
    default: Any = REQUIRED

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    @property
    def takes_link(self) -> bool:
        """Whether the command line also takes a share link (or a user's @handle) for it."""
        return self.of in LINK_KINDS


def identifier(of: str, name: str, help: str) -> Param:
    """One id of kind ``of`` (user, post, music, hashtag, sticker, room, stream, comment)."""
    if of not in ID_KINDS:
        raise ValueError(f"no id kind {of!r}: one of {', '.join(ID_KINDS)}")
    return Param(name, Shape.ID, help, of=of)


def id_list(of: str, name: str, help: str) -> Param:
    """A non-empty list of ids of kind ``of``."""
    if of not in ID_KINDS:
        raise ValueError(f"no id kind {of!r}: one of {', '.join(ID_KINDS)}")
    return Param(name, Shape.IDS, help, of=of)


def text(name: str, help: str) -> Param:
    return Param(name, Shape.TEXT, help)


def integer(name: str, help: str, low: int, high: int, default: Any = REQUIRED) -> Param:
    return Param(name, Shape.INT, help, low=low, high=high, default=default)


def choice(name: str, help: str, choices: Dict[str, Any], default: Any = REQUIRED) -> Param:
    return Param(name, Shape.CHOICE, help, choices=tuple(choices.items()), default=default)


def flag(name: str, help: str) -> Param:
    return Param(name, Shape.FLAG, help, default=False)


def tags(name: str, help: str) -> Param:
    return Param(name, Shape.TAGS, help, default=())


@attrs.frozen
class Declaration:
    """What :func:`declare` says of a method, before it is bound to its resource class."""

    sends: Union[Endpoint, Listing]
    help: str
    params: Tuple[Param, ...]
    login: bool
    command: Optional[str]
    adds: Tuple[str, ...]


# Filled by @declare, read once per class by Resource.__init_subclass__ (see calls_of).
_DECLARED: Dict[Callable[..., Any], Declaration] = {}


def declare(
    sends: Union[Endpoint, Listing],
    help: str,
    *params: Param,
    login: bool = False,
    command: Optional[str] = "",
    adds: Tuple[str, ...] = (),
) -> Callable[[F], F]:
    """Declare the method below as a call: what it sends, its parameters, its help.

    ``sends`` is the endpoint whose answer the call decodes (a listing's for a
    pager). ``params`` are the method's parameters in order, but for a listing's
    ``count``, ``limit``, ``cursor`` and ``strict``, which every listing takes.
    ``command`` names its command line command (default: the method's name with
    ``-`` for ``_``; ``None``: no command). ``adds`` names properties of the result
    that the command line prints before the answer's JSON. The method itself is
    returned unchanged, so its signature is the one users' type checkers see.
    """
    declaration = Declaration(sends, help, params, login, command, adds)

    def mark(function: F) -> F:
        _DECLARED[function] = declaration
        return function

    return mark


@attrs.frozen
class Call:
    """A declared call bound to its resource: ``client.<namespace>.<name>(...)``."""

    resource: Type[Resource]
    #: the method's name
    name: str
    #: the method itself (unbound: pass the resource first)
    function: Callable[..., Any] = attrs.field(repr=False)
    declaration: Declaration = attrs.field(repr=False)

    @property
    def namespace(self) -> str:
        return self.resource.namespace

    @property
    def qualname(self) -> str:
        """``users.get``: how the call is written on a client."""
        return f"{self.resource.namespace}.{self.name}"

    @property
    def help(self) -> str:
        return self.declaration.help

    @property
    def params(self) -> Tuple[Param, ...]:
        return self.declaration.params

    @property
    def login(self) -> bool:
        return self.declaration.login

    @property
    def adds(self) -> Tuple[str, ...]:
        return self.declaration.adds

    @property
    def command(self) -> Optional[str]:
        """The command line's name for the call, or ``None`` when it has no command."""
        command = self.declaration.command
        return self.name.replace("_", "-") if command == "" else command

    @property
    def endpoint(self) -> Endpoint:
        """The endpoint whose answer the call decodes."""
        sends = self.declaration.sends
        return sends if isinstance(sends, Endpoint) else sends.endpoint

    @property
    def model(self) -> Type[Any]:
        """The model the whole answer decodes into."""
        return self.endpoint.response

    @property
    def field(self) -> Optional[str]:
        """The answer's field the call returns (a listing: its items); ``None``: the call reads it."""
        sends = self.declaration.sends
        return sends.result if isinstance(sends, Endpoint) else sends.items

    @property
    def paging(self) -> Paging:
        sends = self.declaration.sends
        if isinstance(sends, Endpoint):
            return Paging.ONE
        return Paging.FEED if sends.style is Style.FEED else Paging.LISTING


def calls_of(resource: Type[Resource]) -> Tuple[Call, ...]:
    """The calls declared on ``resource``'s own methods, in the order they are written."""
    return tuple(
        Call(resource, name, function, _DECLARED[function])
        for name, function in vars(resource).items()
        if callable(function) and function in _DECLARED
    )


def calls(resources: Optional[List[Type[Resource]]] = None) -> Iterator[Call]:
    """Every declared call of the client's resources, namespace by namespace."""
    from . import RESOURCES

    for resource in RESOURCES if resources is None else resources:
        yield from resource.calls


# Parameters several namespaces take, with their command line help.
USER_ID = identifier(
    "user", "user_id", "the user: numeric id (uid), sec_user_id, @handle or profile link"
)
POST_ID = identifier("post", "post_id", "the post: numeric id (aweme_id) or link")
KEYWORD = text("keyword", "what to search for")
