"""One module per namespace of the client: ``client.users``, ``client.posts``…"""

from typing import TYPE_CHECKING, Tuple, Type

from .._deprecation import old_names

# client.media sends no API call (it is not a resource module) but is a namespace too.
from .._media import Media

# What a call sends, named where calls are declared (docs/contributing.rst).
from .._transport import Endpoint
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
    "Endpoint",
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

#: Old names, kept for one release (using one warns).
RENAMED = {"Sounds": "Music"}

if TYPE_CHECKING:  # type checkers see the old names as the classes they are
    Sounds = Music
else:
    __getattr__ = old_names(__name__, RENAMED, globals())
