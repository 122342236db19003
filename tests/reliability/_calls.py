"""Every public call of the client, with valid arguments, for tests that sweep them all.

The namespaces' calls come from their declarations (tiktok/resources/_declare.py):
each argument gets a valid value of its shape. The client's own calls (login,
links) and the deprecated aliases are listed by hand.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Tuple

import tiktok
from tiktok.client import LOGIN
from tiktok.resources import Endpoint, Posts
from tiktok.resources._declare import Call, Param, Shape, calls
from tiktok.resources._posts import LIST
from tiktok.resources._users import BY_USERNAME

# A valid value of each shape of argument but ids, for the server to judge.
VALID: Dict[Shape, Callable[[Param], Any]] = {
    Shape.IDS: lambda param: ["42", 43],
    Shape.TEXT: lambda param: "@someone" if param.name == "name" else "cats",
    Shape.INT: lambda param: param.low,
    Shape.CHOICE: lambda param: param.choices[0][1],
    Shape.FLAG: lambda param: False,
    Shape.TAGS: lambda param: (),
}


def _sent(call: Call) -> Callable[..., Any]:
    return lambda client, **args: call.function(client.resource(call.resource), **args)


def _valid(call: Call) -> Dict[str, Any]:
    """A valid value for each argument: its default, else one of its shape (ids 42, 43...)."""
    values = {}
    ids = iter(range(42, 100))
    for param in call.params:
        if not param.required:
            values[param.name] = param.default
        elif param.shape is Shape.ID:
            values[param.name] = str(next(ids))
        else:
            values[param.name] = VALID[param.shape](param)
    return values


# Every public call: (how to call it, its valid arguments).
CALLS: Dict[str, Tuple[Callable[..., Any], Dict[str, Any]]] = {
    call.qualname: (_sent(call), _valid(call)) for call in calls()
}
# The function behind each call's name (its signature and return type) and the
# endpoint whose answer it decodes.
FUNCTIONS: Dict[str, Callable[..., Any]] = {call.qualname: call.function for call in calls()}
ENDPOINTS: Dict[str, Endpoint] = {call.qualname: call.endpoint for call in calls()}

# The client's own calls and the deprecated aliases.
CALLS.update(
    {
        "login_with_email": (
            lambda c, **a: c.login_with_email(**a),
            {"email": "me@example.com", "password": "pw"},
        ),
        "login_with_username": (
            lambda c, **a: c.login_with_username(**a),
            {"username": "me", "password": "pw"},
        ),
        # A profile link costs a user search: something is sent, something decoded.
        "resolve": (lambda c, **a: c.resolve(**a), {"url": "https://www.tiktok.com/@someone"}),
        "posts.iter": (lambda c, **a: c.posts.iter(**a), {"user_id": "42"}),
    }
)
FUNCTIONS.update(
    {
        "login_with_email": tiktok.Client.login_with_email,
        "login_with_username": tiktok.Client.login_with_username,
        "resolve": tiktok.Client.resolve,
        "posts.iter": Posts.iter,
    }
)
ENDPOINTS.update(
    {
        "login_with_email": LOGIN,
        "login_with_username": LOGIN,
        "resolve": BY_USERNAME,
        "posts.iter": LIST.endpoint,
    }
)


# Public methods that are not API calls of their own: they build on declared calls
# (live.status reads users.get and live.room_info, live.record a stream) or send nothing.
NOT_CALLS = frozenset({"live.status", "live.streams", "live.record"})


def resolve(name: str) -> Callable[..., Any]:
    """The function behind a call's name: ``Client.login_with_email``, ``Users.get``…"""
    return FUNCTIONS[name]
