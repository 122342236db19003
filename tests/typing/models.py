"""A user building models by hand: constructors take the wire's fields as keywords."""

from __future__ import annotations

from typing import Any, Dict, List

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
