"""The session file of ``Client.save_session`` / ``load_session``: read, checked, written.

The file holds the account's cookies and token, so it is treated as hostile
input on the way in: a regular file (never a FIFO or device, which could block
or never end), owned by us and private (checked on the opened file, not the
path), at most :data:`MAX_FILE` bytes, and every value checked for type,
characters and size before anything is applied. Errors name the file and the
field, never a value.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import stat
import time
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

import attrs

__all__ = ["MAX_FILE", "SavedCookie", "SessionState", "read_session", "write_session"]

MAX_FILE = 1 << 20
MAX_COOKIES = 100
VERSION = 1
# A cookie name is an RFC 6265 token; its value cookie-octets (no space, '"', ',', ';'
# or '\'). A token goes in a header: visible ASCII without ',' or ';'. None of them
# can carry CR/LF or another cookie.
_COOKIE_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,256}")
_OCTET = r"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]"
_COOKIE_VALUE = re.compile(rf'"{_OCTET}{{0,4094}}"|{_OCTET}{{0,4096}}')
_TOKEN = re.compile(r"[\x21-\x2b\x2d-\x3a\x3c-\x7e]{1,4096}")
_DOMAIN = re.compile(r"\.?[A-Za-z0-9.:\[\]-]{1,253}|")
_PATH = re.compile(r"/[\x21-\x2b\x2d-\x3a\x3c-\x7e]{0,1023}")
_MAX_EXPIRES = 1 << 40  # far beyond any real date, small enough for every datetime
_COOKIE_KEYS = frozenset({"name", "value", "domain", "path", "secure", "expires"})
_STATE_KEYS = frozenset({"version", "token", "cookies", "user_id"})
_USER_ID = re.compile(r"[0-9]{1,32}")
# Temporary files of save_session: ".<name>.<pid>.<random>.tmp", next to the file.
_STALE_AFTER = 3600.0


@attrs.frozen
class SavedCookie:
    name: str
    value: str
    domain: str = ""
    path: str = "/"
    secure: bool = False
    expires: Optional[int] = None


@attrs.frozen
class SessionState:
    """What a session file holds, every value checked."""

    token: Optional[str] = None
    cookies: Tuple[SavedCookie, ...] = ()
    # The logged-in account's id, for client.me() (files saved before it have none).
    user_id: Optional[str] = None

    def to_json(self) -> Dict[str, Any]:
        return {
            "version": VERSION,
            "token": self.token,
            "cookies": [attrs.asdict(cookie) for cookie in self.cookies],
            "user_id": self.user_id,
        }


def _refuse(where: str, problem: str) -> ValueError:
    return ValueError(f"{where}: {problem}")


def _file(target: Path) -> str:
    return f"{target} is not a session file tiktok can load"


def validate_session_state(
    data: object, where: str = "not a session file tiktok can load"
) -> SessionState:
    """Check a decoded session file; :class:`ValueError` naming the field, never its value."""
    if type(data) is not dict:
        raise _refuse(where, "it is not a JSON object")
    unknown = set(data) - _STATE_KEYS
    if unknown:
        raise _refuse(where, f"unknown keys ({len(unknown)})")
    if data.get("version") != VERSION or type(data.get("version")) is not int:
        raise _refuse(where, f"version must be {VERSION}")
    token = data.get("token")
    if token is not None and not (type(token) is str and _TOKEN.fullmatch(token)):
        raise _refuse(where, "token must be a str of 1 to 4096 visible ASCII characters")
    cookies = data.get("cookies", [])
    if type(cookies) is not list:
        raise _refuse(where, "cookies must be a list")
    if len(cookies) > MAX_COOKIES:
        raise _refuse(where, f"more than {MAX_COOKIES} cookies")
    user_id = data.get("user_id")
    if user_id is not None and not (type(user_id) is str and _USER_ID.fullmatch(user_id)):
        raise _refuse(where, "user_id must be a str of 1 to 32 digits")
    return SessionState(token, tuple(_cookie(where, n, c) for n, c in enumerate(cookies)), user_id)


def _cookie(where: str, number: int, data: object) -> SavedCookie:
    field = f"cookies[{number}]"
    if type(data) is not dict:
        raise _refuse(where, f"{field} must be an object")
    if not set(data) <= _COOKIE_KEYS:
        raise _refuse(where, f"{field} has unknown keys")
    checks: Mapping[str, Tuple[object, str]] = {
        "name": (_COOKIE_NAME, "an RFC 6265 token of 1 to 256 characters"),
        "value": (_COOKIE_VALUE, "at most 4096 cookie characters (no space, quote, , ; \\)"),
        "domain": (_DOMAIN, "a host name"),
        "path": (_PATH, "a path starting with / of at most 1024 visible characters"),
    }
    values: Dict[str, Any] = {}
    for key, (pattern, what) in checks.items():
        if key not in data and key in ("domain", "path"):
            continue
        value = data.get(key)
        if type(value) is not str or not pattern.fullmatch(value):  # type: ignore[attr-defined]
            raise _refuse(where, f"{field}.{key} must be {what}")
        values[key] = value
    secure = data.get("secure", False)
    if type(secure) is not bool:
        raise _refuse(where, f"{field}.secure must be true or false")
    expires = data.get("expires")
    if expires is not None and (type(expires) is not int or not 0 <= expires < _MAX_EXPIRES):
        raise _refuse(where, f"{field}.expires must be null or a unix time in seconds")
    return SavedCookie(secure=secure, expires=expires, **values)


def state_of(token: object, cookies: Iterable[Any], user_id: object = None) -> SessionState:
    """The state to save from a token, ``http.cookiejar.Cookie`` objects and the account id, checked."""
    data = {
        "version": VERSION,
        "token": token,
        "user_id": user_id,
        "cookies": [
            {
                "name": c.name,
                "value": c.value,
                "domain": c.domain,
                "path": c.path,
                "secure": bool(c.secure),
                "expires": c.expires,
            }
            for c in cookies
        ],
    }
    return validate_session_state(data, "the session cannot be saved")


# -- reading ----------------------------------------------------------------------------------


def read_session(path: Union[str, os.PathLike[str]]) -> SessionState:
    """Read and check a session file (see the module's docstring for what is refused)."""
    target = Path(path)
    return validate_session_state(read_private_json(target, _file(target)), _file(target))


def read_private_json(
    path: Union[str, os.PathLike[str]], where: str, holds: str = "your session"
) -> object:
    """The JSON of a private file (a session, an identity), checked as the module says.

    ``where`` starts every :class:`ValueError`; ``holds`` says, in a
    :class:`PermissionError`, what the file holds.
    """
    target = Path(path)
    # Looked at before opening: opening a device can act on it. O_NONBLOCK: a FIFO
    # swapped in meanwhile must not block the open; fstat then checks what was opened.
    if not stat.S_ISREG(os.stat(target).st_mode):
        raise _refuse(where, "it is not a regular file")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(target, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(where, "it is not a regular file")
        _check_private(target, info, holds)
        if info.st_size > MAX_FILE:
            raise _refuse(where, f"it is larger than {MAX_FILE} bytes")
        raw = _read_at_most(fd, MAX_FILE + 1)
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE:
        raise _refuse(where, f"it is larger than {MAX_FILE} bytes")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise _refuse(where, "it is not JSON") from None
    return data


def _check_private(target: Path, info: os.stat_result, holds: str) -> None:
    getuid = getattr(os, "getuid", None)
    if getuid is not None and info.st_uid != getuid():
        raise PermissionError(
            f"{target} belongs to another user; it would hold {holds}: "
            f"save it again to make a file of your own"
        )
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise PermissionError(
            f"{target} is accessible by other users (mode {stat.filemode(info.st_mode)}); "
            f"it holds {holds}: chmod 600 {target}"
        )


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: List[bytes] = []
    total = 0
    while total < limit:
        chunk = os.read(fd, min(65536, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


# -- writing ----------------------------------------------------------------------------------


def _temp_pattern(target: Path) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(target.name)}\.(\d+)\.[0-9a-f]{{8}}\.tmp")


def write_session(path: Union[str, os.PathLike[str]], state: SessionState) -> None:
    """Write ``state`` atomically with mode 0600 (:func:`write_private_json`)."""
    write_private_json(path, state.to_json())


def write_private_json(path: Union[str, os.PathLike[str]], data: object) -> None:
    """Write ``data`` as JSON atomically with mode 0600; no temporary file outlives a failure.

    The temporary file is named after the target and the writing process, so a
    writer killed before the rename leaves a file that a later save removes (and
    that a load never reads).
    """
    target = Path(path)
    folder = target.parent
    _remove_stale_temps(folder, target)
    temp = folder / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    payload = json.dumps(data).encode("utf-8")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, 0o600)  # whatever the umask
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def _remove_stale_temps(folder: Path, target: Path) -> None:
    """Remove the temporary files of earlier saves of ``target`` whose writer is gone."""
    pattern = _temp_pattern(target)
    try:
        names = [name for name in os.listdir(folder or ".") if pattern.fullmatch(name)]
    except OSError:
        return
    for name in names:
        match = pattern.fullmatch(name)
        assert match is not None
        candidate = folder / name
        try:
            if _writer_alive(int(match[1])) and time.time() - candidate.stat().st_mtime < (
                _STALE_AFTER
            ):
                continue
            candidate.unlink()
        except OSError:
            continue  # another save removed it, or it is not ours to remove


def _writer_alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # no harmless liveness probe there: the age decides
    if pid == os.getpid():
        return True  # another thread of ours may be writing it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # alive, someone else's
    return True
