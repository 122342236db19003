"""A user's pagination code: items, pages, resuming, a walk's own position."""

from __future__ import annotations

import json
from typing import List, Optional

import tiktok
from tiktok.sandbox import BIG_USER_ID, Sandbox

with Sandbox(seed=0) as sandbox:
    client: tiktok.Client = sandbox.client()

    pager: tiktok.Pager[tiktok.User] = client.follows.followers(BIG_USER_ID, count=50, limit=120)
    uids: List[str] = []
    for user in pager:
        if user.uid is not None:
            uids.append(user.uid)  # an id is a plain str
    walk: tiktok.Walk[tiktok.Page[tiktok.User]] = pager.pages()
    for page in walk:
        body = page.to_dict()
        print(len(page.items), page.next_cursor, page.is_last, sorted(body))
    saved: Optional[tiktok.Cursor] = pager.cursor
    state = json.dumps({"cursor": saved, "done": pager.exhausted})
    resumed = client.follows.followers(BIG_USER_ID, cursor=json.loads(state)["cursor"])
    done = client.follows.followers(BIG_USER_ID, cursor=tiktok.END)
    assert done.first() is None

    newest: Optional[tiktok.Post] = client.users.posts(BIG_USER_ID).first()
    if newest is not None and newest.statistics is not None:
        likes: Optional[int] = newest.statistics.digg_count
        print(newest.aweme_id, likes)
