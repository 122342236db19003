"""The sandbox's captions: WebVTT tracks of ``cla_info`` and automatic captions as JSON.

A captioned video (:attr:`PostFacts.has_captions`) has one WebVTT track per
tag of :data:`TRACKS` and automatic captions per tag of :data:`AUTO`, all with
the same cues: a line every :data:`CUE_MS` of the video, numbered, made of
the post's text. Served at ``media/caption/{aweme_id}/{tag}.vtt`` and
``.json`` (docs/protocol.rst (Captions)).
"""

from __future__ import annotations

import json
import re
from typing import List, Optional, Tuple

from ._media import MediaFile
from ._world import World

__all__ = ["AUTO", "TRACKS", "caption_file", "cues"]

#: The tags of the WebVTT tracks (``video.cla_info.caption_infos``), as the wire writes them.
TRACKS = ("eng-US",)
#: The tags of the automatic captions (``interaction_stickers``).
AUTO = ("eng-US", "spa-ES")
CUE_MS = 2_500
_PATH = re.compile(
    r"media/caption/(?P<aweme_id>[0-9]{1,20})/(?P<tag>[A-Za-z-]{2,12})\.(?P<ext>vtt|json)"
)


def cues(world: World, aweme_id: int, tag: str) -> List[Tuple[int, int, str]]:
    """``(start_ms, end_ms, text)`` of a captioned video, in one language."""
    facts = world.post(aweme_id)
    words = facts.desc.split(" #", 1)[0]
    lines = []
    for number, start in enumerate(range(0, facts.duration_ms, CUE_MS), 1):
        end = min(start + CUE_MS, facts.duration_ms)
        lines.append((start, end, f"[{tag}] {words} ({number})"))
    return lines


def caption_file(world: World, path: str) -> Optional[MediaFile]:
    """The caption at ``path`` (``media/caption/...``), or ``None``."""
    match = _PATH.fullmatch(path)
    if match is None:
        return None
    aweme_id, tag, ext = int(match["aweme_id"]), match["tag"], match["ext"]
    if not world.post(aweme_id).has_captions or tag not in (TRACKS if ext == "vtt" else AUTO):
        return None
    lines = cues(world, aweme_id, tag)
    if ext == "json":
        utterances = [{"start_time": s, "end_time": e, "text": t} for s, e, t in lines]
        body = json.dumps({"utterances": utterances}).encode()
        return MediaFile.of(body, "application/json")
    blocks = [f"{_stamp(s)} --> {_stamp(e)}\n{t}" for s, e, t in lines]
    return MediaFile.of(("WEBVTT\n\n" + "\n\n".join(blocks) + "\n").encode(), "text/vtt")


def _stamp(ms: int) -> str:
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}:{seconds:02d}.{millis:03d}"
