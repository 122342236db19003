"""A post's captions: both sources listed by language, and their cues as SRT or WebVTT.

The two sources (docs/protocol.rst (Captions)): ``video.cla_info.caption_infos[]``,
files such as WebVTT, and the automatic captions of ``interaction_stickers[]``,
JSON ``utterances`` with times in ms. Nothing here sends a request:
:meth:`tiktok.Media.caption_text` fetches a caption and converts it.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterable, List, Optional, Tuple

import attrs

from .errors import DecodeError
from .models import Post, UrlList

__all__ = ["CAPTION_FORMATS", "Caption", "Cue", "captions_of", "normalize_language"]

#: What a caption can be written as.
CAPTION_FORMATS = ("srt", "vtt")

# ISO 639-2 (and -3) codes TikTok uses in caption tags, to the two-letter ISO 639-1
# code of BCP 47 (``eng-US`` is ``en-US``); a code not here is kept as it came.
_TWO_LETTER = {
    "ara": "ar", "ben": "bn", "bul": "bg", "ces": "cs", "cze": "cs", "chi": "zh", "cmn": "zh",
    "zho": "zh", "dan": "da", "deu": "de", "ger": "de", "ell": "el", "gre": "el", "eng": "en",
    "spa": "es", "est": "et", "fas": "fa", "per": "fa", "fil": "fil", "fin": "fi", "fra": "fr",
    "fre": "fr", "heb": "he", "hin": "hi", "hrv": "hr", "hun": "hu", "ind": "id", "ita": "it",
    "jpn": "ja", "kor": "ko", "lav": "lv", "lit": "lt", "msa": "ms", "may": "ms", "nld": "nl",
    "dut": "nl", "nor": "no", "nob": "nb", "pol": "pl", "por": "pt", "ron": "ro", "rum": "ro",
    "rus": "ru", "slk": "sk", "slo": "sk", "slv": "sl", "srp": "sr", "swe": "sv", "tha": "th",
    "tur": "tr", "ukr": "uk", "urd": "ur", "vie": "vi", "yue": "yue", "tgl": "tl", "kaz": "kk",
}  # fmt: skip
_TAG = re.compile(r"[A-Za-z0-9]{1,8}(?:[-_][A-Za-z0-9]{1,8})*")
# A cue's timing line: start --> end (hours optional, "." or "," before the ms).
_TIMING = re.compile(
    r"\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})"
)


def normalize_language(tag: Optional[str]) -> str:
    """A language tag as BCP 47 writes it: ``eng-US`` and ``en_us`` are ``en-US``.

    The language is lower case (two letters where ISO 639-1 has a code for it),
    a region upper case, a script title case; an empty or unreadable tag is ``und``.
    """
    text = (tag or "").strip()
    if not _TAG.fullmatch(text):
        return "und"
    first, *rest = re.split(r"[-_]", text)
    parts = [_TWO_LETTER.get(first.lower(), first.lower())]
    for part in rest:
        if len(part) == 2 or (len(part) == 3 and part.isdigit()):
            parts.append(part.upper())
        elif len(part) == 4:
            parts.append(part.title())
        else:
            parts.append(part.lower())
    return "-".join(parts)


@attrs.frozen
class Cue:
    """One caption line: shown from ``start`` to ``end`` (ms)."""

    start: int
    end: int
    text: str


@attrs.frozen
class Caption:
    """One caption track of a post.

    ``language`` is the normalised tag (``en-US``) and ``tag`` the one the
    wire sent (``eng-US``); ``source`` is ``"cla_info"`` or ``"auto_captions"``;
    ``format`` what its file is (``"webvtt"``, ``"utterances"`` for the JSON of
    automatic captions, or what the wire named); ``address`` its urls.
    """

    language: str
    tag: str
    source: str
    format: str
    address: UrlList

    def matches(self, language: str) -> bool:
        """Whether it is in ``language``: ``en`` matches ``en-US``, ``en-US`` only itself."""
        asked = normalize_language(language).lower()
        mine = self.language.lower()
        return mine == asked or mine.startswith(asked + "-")


def captions_of(post: Post) -> List[Caption]:
    """Every caption of ``post``, sorted by language, ``cla_info`` ones before automatic ones."""
    found: List[Caption] = []
    cla = post.video.cla_info if post.video is not None else None
    for info in (cla.caption_infos or ()) if cla is not None else ():
        urls = _urls([info.url], info.url_list)
        if urls:
            tag = info.lang or info.language_code or ""
            kind = (info.Format or info.caption_format or "webvtt").lower()
            found.append(
                Caption(normalize_language(tag), tag, "cla_info", kind, UrlList(url_list=urls))
            )
    for sticker in post.interaction_stickers or ():
        auto_info = sticker.auto_video_caption_info
        for auto in (auto_info.auto_captions or ()) if auto_info is not None else ():
            urls = _urls(auto.url.url_list if auto.url is not None else None)
            if urls:
                tag = auto.language or ""
                found.append(
                    Caption(
                        normalize_language(tag),
                        tag,
                        "auto_captions",
                        "utterances",
                        UrlList(url_list=urls),
                    )
                )
    return sorted(found, key=lambda c: (c.language, c.source != "cla_info"))


def _urls(*lists: Optional[Iterable[Optional[str]]]) -> List[str]:
    urls: List[str] = []
    for each in lists:
        for url in each or ():
            if isinstance(url, str) and url and url not in urls:
                urls.append(url)
    return urls


# -- reading and writing cues ----------------------------------------------------------------


def parse_cues(body: bytes, format: str) -> List[Cue]:
    """The cues of a caption file: ``utterances`` JSON, else WebVTT or SRT text."""
    if format == "utterances":
        return _utterances(body)
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DecodeError(f"the caption is not UTF-8 text: {exc}") from None
    cues: List[Cue] = []
    for block in re.split(r"\r?\n\s*\r?\n", text.replace("\r\n", "\n")):
        lines = block.strip("\n").split("\n")
        for index, line in enumerate(lines):
            timing = _TIMING.match(line)
            if timing is not None:
                words = "\n".join(lines[index + 1 :]).strip()
                if words:
                    cues.append(Cue(_ms(timing[1]), _ms(timing[2]), words))
                break
    return cues


def _utterances(body: bytes) -> List[Cue]:
    try:
        data: Any = json.loads(body)
    except ValueError as exc:
        raise DecodeError(f"the automatic caption is not JSON: {exc}") from None
    items = data.get("utterances") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise DecodeError("the automatic caption has no utterances list")
    cues = []
    for item in items:
        if not isinstance(item, dict):
            continue
        start, end, text = item.get("start_time"), item.get("end_time"), item.get("text")
        if isinstance(start, int) and isinstance(end, int) and isinstance(text, str) and text:
            cues.append(Cue(start, end, text.strip()))
    return cues


def _ms(stamp: str) -> int:
    clock, fraction = re.split(r"[.,]", stamp)
    parts = [int(p) for p in clock.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    hours, minutes, seconds = parts
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + int(fraction.ljust(3, "0"))


def _stamp(ms: int, separator: str) -> str:
    seconds, millis = divmod(max(ms, 0), 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def write_cues(cues: Iterable[Cue], format: str) -> str:
    """``cues`` as an SRT (``"srt"``) or WebVTT (``"vtt"``) file's text."""
    if format not in CAPTION_FORMATS:
        raise ValueError(f"format must be one of {', '.join(CAPTION_FORMATS)}, not {format!r}")
    blocks: List[Tuple[str, ...]] = []
    for number, cue in enumerate(cues, 1):
        # A blank line would end the cue early, an arrow read as a timing line.
        text = "\n".join(
            line for line in cue.text.replace("-->", "->").splitlines() if line.strip()
        )
        if format == "srt":
            timing = f"{_stamp(cue.start, ',')} --> {_stamp(cue.end, ',')}"
            blocks.append((str(number), timing, text))
        else:
            blocks.append((f"{_stamp(cue.start, '.')} --> {_stamp(cue.end, '.')}", text))
    body = "\n\n".join("\n".join(block) for block in blocks)
    if format == "vtt":
        return "WEBVTT\n\n" + body + ("\n" if body else "")
    return body + ("\n" if body else "")
