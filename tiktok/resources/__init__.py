"""One module per namespace of the client: ``client.users``, ``client.posts``…"""

from .feed import Feed
from .follows import Follows
from .hashtags import Hashtags
from .live import Live
from .posts import Posts
from .stickers import Stickers
from .users import Users

__all__ = ["Feed", "Follows", "Hashtags", "Live", "Posts", "Stickers", "Users"]
