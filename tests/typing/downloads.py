"""A user downloading as docs/downloads.rst shows: formats, photo posts, captions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional

import tiktok


def save(client: tiktok.Client, post_id: str, directory: Path) -> Optional[str]:
    post: tiktok.Post = client.posts.get(post_id)
    if post.is_photo:
        images: List[tiktok.models.PostImage] = post.images
        album: tiktok.Download = client.media.download(post, directory, watermark=False)
        manifest: Dict[str, Any] = json.loads(Path(album.path or "", "manifest.json").read_text())
        sizes: List[int] = [saved.size for saved in album.files]
        print(len(images), manifest["aweme_id"], sum(sizes))
        return album.path
    for found in client.media.formats(post, codec="h264", max_height=720):
        line: str = found.describe()
        codec: Optional[str] = found.codec
        direct: bool = found.direct
        print(line, codec, direct, found.height, found.size, found.urls[0])
    saved = client.media.download(post, directory, smallest=True, max_height=1080, codec=None)
    for caption in client.media.captions(post):
        tag: str = caption.language
        if caption.matches("en"):
            srt: str = client.media.caption_text(caption, format="srt")
            (directory / f"{post_id}.{tag}.srt").write_text(srt)
    collected: Optional[int] = post.statistics.collect_count if post.statistics else None
    print(collected)
    return saved.path
