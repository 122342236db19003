"""A photo post's download: every image in order and the sound, into one folder, atomically.

The folder is built under a temporary name beside its final one and renamed
into place only when every file is complete and checked, with ``manifest.json``
(ids, order, sizes, MD5s) written last; a half-finished folder never sits at
the final name (docs/downloads.rst (Photo posts)). Each file is fetched by
:meth:`tiktok.Media.download`, url by url, on the client's one session (so
images on one host share a kept-alive connection), all within the one
deadline of the whole download.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Union

from .errors import DownloadError
from .models import Post, PostImage, UrlList

if TYPE_CHECKING:
    from ._media import Download, Progress

__all__ = ["MANIFEST", "SOUND", "download_photo_post"]

MANIFEST = "manifest.json"
#: The sound's file in the folder: the MP3 of the post's ``music.play_url``.
SOUND = "sound.mp3"
_EXTENSIONS = (".jpeg", ".jpg", ".webp", ".png", ".heic", ".avif")


#: ``fetch(address, path, progress)``: one file, as :meth:`tiktok.Media.download` fetches it.
Fetch = Callable[[UrlList, Path, Optional["Progress"]], "Download"]


def download_photo_post(
    fetch: Fetch,
    post: Post,
    dest: Union[str, os.PathLike[str]],
    *,
    watermark: bool = False,
    progress: Optional[Progress] = None,
) -> Download:
    """Download a photo post into a folder; see :meth:`tiktok.Media.download`."""
    from ._media import FILE_NAME, Download, shown

    if not isinstance(dest, (str, os.PathLike)):
        raise TypeError("a photo post is saved as a folder: dest must be a directory path")
    aweme_id = post.aweme_id or ""
    if not FILE_NAME.fullmatch(aweme_id):
        raise DownloadError(f"the photo post's id {shown(aweme_id)} cannot name a folder")
    if post.status is not None and post.status.is_delete:
        raise DownloadError(f"post {aweme_id} was deleted: it has nothing to download")
    images = [
        _image_address(image, watermark, number) for number, image in enumerate(post.images, 1)
    ]
    if not images:
        raise DownloadError(f"post {aweme_id} is a photo post without images")
    base = Path(dest)
    final = base / aweme_id if base.is_dir() else base
    building = final.parent / f".{final.name}.{secrets.token_hex(4)}.part"
    try:
        os.mkdir(building)
    except OSError as exc:
        raise DownloadError(
            f"cannot make a folder beside {shown(str(final))}: {exc.strerror}"
        ) from exc
    try:
        counter = _Counter(progress)
        width = max(2, len(str(len(images))))
        files: List[Download] = []
        entries: List[Dict[str, Any]] = []
        for number, address in enumerate(images, 1):
            name = f"{number:0{width}d}{_extension(address)}"
            saved = fetch(address, building / name, counter.for_file())
            files.append(saved)
            entries.append(
                {
                    "index": number,
                    "file": name,
                    "uri": address.uri,
                    "width": address.width,
                    "height": address.height,
                    "size": saved.size,
                    "md5": saved.md5,
                    "url": saved.url,
                }
            )
        sound: Optional[Dict[str, Any]] = None
        music = post.music
        if music is not None and music.play_url is not None and music.play_url.url_list:
            saved = fetch(music.play_url, building / SOUND, counter.for_file())
            files.append(saved)
            sound = {
                "file": SOUND,
                "music_id": music.id,
                "duration": music.duration,
                "size": saved.size,
                "md5": saved.md5,
                "url": saved.url,
            }
        manifest = {
            "aweme_id": aweme_id,
            "aweme_type": post.aweme_type,
            "author_user_id": post.author_user_id,
            "create_time": post.create_time,
            "desc": post.desc,
            "watermark": watermark,
            "images": entries,
            "sound": sound,
        }
        written = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
        (building / MANIFEST).write_bytes(written)
        _place(building, final)
    except BaseException as exc:
        shutil.rmtree(building, ignore_errors=True)
        if isinstance(exc, OSError):  # the folder: a full disk, a name taken meanwhile
            raise DownloadError(
                f"could not write {shown(str(final))}: {exc.strerror or exc}"
            ) from exc
        raise
    # The files' paths as they are now, inside the placed folder.
    placed = tuple(
        Download(str(final / Path(f.path or "").name), f.size, f.md5, f.url) for f in files
    )
    return Download(
        str(final),
        sum(f.size for f in files),
        hashlib.md5(written, usedforsecurity=False).hexdigest(),
        files[0].url,
        placed,
    )


def _image_address(image: PostImage, watermark: bool, number: int) -> UrlList:
    """The image's address: without watermark ``display_image``, with it ``owner_watermark_image``."""
    first, second = (
        (image.owner_watermark_image, image.display_image)
        if watermark
        else (image.display_image, None)
    )
    for address in (first, second):
        if address is not None and any(isinstance(u, str) and u for u in address.url_list or ()):
            return address
    kind = "owner_watermark_image" if watermark else "display_image"
    raise DownloadError(f"image {number} of the photo post has no {kind} to download")


def _extension(address: UrlList) -> str:
    """``.jpeg``, ``.webp`` ... as the first url's path ends, else ``.jpeg``."""
    for url in address.url_list or ():
        path = url.split("?", 1)[0].lower()
        for extension in _EXTENSIONS:
            if path.endswith(extension):
                return extension
    return ".jpeg"


def _place(building: Path, final: Path) -> None:
    """Rename the finished folder onto ``final``; one already there is set aside, then removed."""
    aside: Optional[Path] = None
    if final.exists() or final.is_symlink():
        if not final.is_dir() or final.is_symlink():
            raise DownloadError(f"{final} exists and is not a folder: give another dest")
        aside = final.parent / f".{final.name}.{secrets.token_hex(4)}.old"
        os.rename(final, aside)
    try:
        os.rename(building, final)
    except BaseException:
        if aside is not None:
            with contextlib.suppress(OSError):
                os.rename(aside, final)
        raise
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


class _Counter:
    """One progress callback across the files: bytes of the files done, plus the current one."""

    def __init__(self, progress: Optional[Progress]) -> None:
        self.progress = progress
        self.finished = 0
        self.current = 0

    def for_file(self) -> Optional[Progress]:
        self.finished += self.current
        self.current = 0
        if self.progress is None:
            return None
        report = self.progress

        def file_progress(done: int, _total: Optional[int]) -> None:
            self.current = done
            report(self.finished + done, None)

        return file_progress
