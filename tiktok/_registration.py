"""Registering a device: ``POST /service/2/device_register/`` on the app's log host.

The body is the device's JSON description, encrypted by the app's own scheme;
like signing, that scheme is the user's to supply (a function, or the signing
service's ``/encrypt``, :meth:`tiktok.RemoteSigner.encrypt`): tiktok never
implements it. The answer's ``device_id_str`` and ``install_id_str`` are the
device params, bound to the app that registered them (docs/protocol.rst
(Device registration)).
"""

from __future__ import annotations

import json
import re
import secrets
import time
from typing import Any, Callable, Dict, Optional
from urllib.parse import urlencode

import requests

from ._redact import redact
from .apps import App
from .device import Device
from .errors import RegistrationError, SignerError, TransportError

__all__ = ["REGISTER_PATH", "Encrypt", "register_device"]

REGISTER_PATH = "service/2/device_register/"
#: The app's encryption of the description: bytes in, bytes out.
Encrypt = Callable[[bytes], bytes]
_DIGITS = re.compile(r"[0-9]{1,32}")
_MAX_ANSWER = 1 << 16
# The description's header: the app's params by the names the log host reads.
_HEADER_PARAMS = (
    "aid", "app_name", "version_code", "version_name", "manifest_version_code",
    "update_version_code", "channel", "device_platform", "device_type", "device_brand",
    "os_api", "os_version", "resolution", "dpi", "language", "region", "timezone_name",
    "timezone_offset", "mcc_mnc",
)  # fmt: skip


def register_device(
    app: App,
    encrypt: Any,
    *,
    log_url: Optional[str] = None,
    session: Optional[requests.Session] = None,
    timeout: float = 10.0,
) -> Device:
    """Register a new device with ``app``'s log host; return it as a :class:`~tiktok.Device`.

    ``encrypt`` is a function ``bytes -> bytes`` (the app's encryption of the
    description), or an object with such an ``encrypt`` method (a
    :class:`~tiktok.RemoteSigner`). ``log_url`` defaults to ``app.log_url``.
    A refusal, or an answer without the ids, raises
    :class:`~tiktok.RegistrationError` (with the redacted answer); the network
    failing, :class:`~tiktok.TransportError`; the encryption failing,
    :class:`~tiktok.SignerError`.
    """
    host = log_url or app.log_url
    if not host:
        raise ValueError(f"the app {app.name} has no log_url: pass log_url=")
    function: Encrypt = getattr(encrypt, "encrypt", encrypt)
    openudid = secrets.token_hex(8)
    header: Dict[str, Any] = {name: app.defaults[name] for name in _HEADER_PARAMS}
    header.update(openudid=openudid, package=app.defaults["app_name"])
    description = {"magic_tag": "ss_app_log", "header": header, "_gen_time": int(time.time())}
    try:
        body = function(json.dumps(description, separators=(",", ":")).encode("utf-8"))
    except SignerError:
        raise
    except Exception as exc:
        raise SignerError(f"the encryption of the device description failed: {exc!r}") from exc
    if not isinstance(body, bytes):
        raise SignerError(f"the encryption must return bytes, not {type(body).__name__}")
    query = {name: app.defaults[name] for name in ("ac", "channel", "aid", "app_name",
             "version_code", "version_name", "device_platform")}  # fmt: skip
    query.update(openudid=openudid, _rticket=str(int(time.time() * 1000)))
    url = f"{host.rstrip('/')}/{REGISTER_PATH}?{urlencode(query)}"
    owner = session is None
    http = requests.Session() if session is None else session
    try:
        response = http.post(
            url,
            data=body,
            headers={"Content-Type": "application/octet-stream;tt-data=a"},
            timeout=timeout,
            allow_redirects=False,
        )
        text = response.content[:_MAX_ANSWER].decode("utf-8", "replace")
    except requests.RequestException as exc:
        raise TransportError(f"device registration: {type(exc).__name__}") from exc
    finally:
        if owner:
            http.close()
    try:
        data = json.loads(text) if response.status_code == 200 else None
    except ValueError:
        data = None
    device_id = data.get("device_id_str") if isinstance(data, dict) else None
    iid = data.get("install_id_str") if isinstance(data, dict) else None
    if not (isinstance(device_id, str) and _DIGITS.fullmatch(device_id) and device_id != "0"
            and isinstance(iid, str) and _DIGITS.fullmatch(iid) and iid != "0"):  # fmt: skip
        error = RegistrationError(
            f"{host} did not register the device (HTTP {response.status_code}, "
            f"no device_id_str and install_id_str)"
        )
        error.answer = redact(text[:2048])
        error.transient = response.status_code in (429, 500, 502, 503, 504)
        raise error
    return Device(device_id=device_id, iid=iid, openudid=openudid, fp=_fingerprint(), app=app)


def _fingerprint() -> str:
    # The fp param is the app's own fingerprint of the install; a fresh random one serves.
    return secrets.token_hex(16)
