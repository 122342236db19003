"""One module per namespace of the client: ``client.users``, ``client.posts``…"""

import warnings
from typing import Any, Tuple, Type

# client.media sends no API call (it is not a resource module) but is a namespace too.
from .._media import Media
from ._base import Resource
from ._feed import Feed
from ._follows import Follows
from ._hashtags import Hashtags
from ._live import Live
from ._music import Music
from ._posts import Posts
from ._stickers import Stickers
from ._users import Users

__all__ = [
    "RESOURCES",
    "Feed",
    "Follows",
    "Hashtags",
    "Live",
    "Media",
    "Music",
    "Posts",
    "Resource",
    "Stickers",
    "Users",
]

#: Every namespace that sends API calls, in the order the command line lists them.
RESOURCES: Tuple[Type[Resource], ...] = (
    Users,
    Posts,
    Feed,
    Follows,
    Hashtags,
    Music,
    Stickers,
    Live,
)

# Old names kept for one release; using one warns.
_RENAMED = {"Sounds": "Music"}


def __getattr__(name: str) -> Any:
    new = _RENAMED.get(name)
    if new is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(
        f"tiktok.resources.{name} is deprecated, use tiktok.resources.{new}",
        DeprecationWarning,
        stacklevel=2,
    )
    return globals()[new]
