"""One module per namespace of the client: ``client.users``, ``client.posts``…"""

# client.media sends no API call (it is not a resource module) but is a namespace too.
from .._media import Media
from ._feed import Feed
from ._follows import Follows
from ._hashtags import Hashtags
from ._live import Live
from ._music import Sounds
from ._posts import Posts
from ._stickers import Stickers
from ._users import Users

__all__ = [
    "Feed",
    "Follows",
    "Hashtags",
    "Live",
    "Media",
    "Posts",
    "Sounds",
    "Stickers",
    "Users",
]
