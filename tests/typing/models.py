"""A user building models by hand: constructors take the wire's fields as keywords."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional

import tiktok

mention = tiktok.Tag(begin=0, end=8, type=0, user_id="6800000000000000002")
author = tiktok.User(uid="6800000000000000002", nickname="Sandbox Star", follower_count=1)
post = tiktok.Post(
    aweme_id="6900000000000200000",
    desc="hello",
    author=author,
    statistics=tiktok.Statistics(digg_count=3, comment_count=1),
)
data: Dict[str, Any] = tiktok.to_dict(post)
ids: List[str] = [post.aweme_id or "", mention.user_id or ""]  # ids are plain str
extra: Dict[str, Any] = post.additional_properties
upper: str = (post.aweme_id or "").upper()

# Back from JSON (what to_dict or the CLI's JSON Lines give), and times as datetimes.
again: tiktok.Post = tiktok.from_dict(tiktok.Post, data)
created: Optional[datetime] = again.created_at
mention_again = tiktok.TextExtra(begin=0, end=8, type=0, user_id="1")
summary: str = repr(again)

# A flag is typed as it is at runtime: an int (true/false or 1/0, as sent).
status = tiktok.PostStatus(is_private=True, allow_comment=1)
private: Optional[int] = status.is_private
if status.allow_comment:
    print("comments allowed")
