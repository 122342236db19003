"""``tiktok device register``: a new device from the app's log host, into an identity file."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from .._identity import Identity
from .._registration import register_device
from ..apps import PRESETS
from ..settings import SettingsError, load_signer
from ..signing import RemoteSigner
from .config import UsageError


def add_device(commands: Any) -> None:
    device = commands.add_parser("device", help="devices: register one into an identity file")
    actions = device.add_subparsers(dest="action", metavar="ACTION", required=True)
    register = actions.add_parser(
        "register",
        help="register a new device with the app's log host and save it as an identity",
        description="POST /service/2/device_register/ on the app preset's log host, the device "
        "description encrypted by --encrypt (tiktok never implements the app's encryption); "
        "the answer's device_id_str and install_id_str are saved, with the app, as an identity "
        "file (mode 0600) that 'crawl run --identity' reads. With --sandbox (before 'device'), "
        "a local sandbox's log host and encryption.",
    )
    register.add_argument("-o", "--output", required=True, metavar="FILE",
                          help="the identity file to write (refused if it exists)")  # fmt: skip
    register.add_argument("--name", help="the identity's name (default: the file's stem)")
    register.add_argument("--app", default=PRESETS[0].name, choices=[a.name for a in PRESETS],
                          help="the app preset the device is for (default: %(default)s)")  # fmt: skip
    register.add_argument("--log-url", metavar="URL", help="the log host (default: the app's)")
    register.add_argument("--encrypt", metavar="SPEC",
                          help="the encryption: module:attr (a function bytes -> bytes, or an "
                          "object with .encrypt), or a signing service's https://.../sign URL "
                          "(its /encrypt)")  # fmt: skip
    register.set_defaults(handler=_register)


def _register(args: argparse.Namespace) -> int:
    if os.path.lexists(args.output):
        raise UsageError(f"{args.output} exists: give another file (it would be overwritten)")
    app = next(preset for preset in PRESETS if preset.name == args.app)
    name = args.name or os.path.splitext(os.path.basename(args.output))[0]
    if getattr(args, "sandbox", False):
        from ..sandbox import Sandbox

        with Sandbox() as sandbox:
            device = register_device(app, sandbox.encrypt, log_url=args.log_url or sandbox.url)
    else:
        if not args.encrypt:
            raise UsageError("give --encrypt: the app's encryption is yours to supply")
        if not (args.log_url or app.log_url):
            raise UsageError(f"the app {app.name} has no known log host: give --log-url")
        device = register_device(app, _encryption(args.encrypt), log_url=args.log_url)
    Identity(name, device).save(args.output)
    sys.stdout.write(json.dumps({"identity": name, "app": app.name, "device_id": device.device_id,
                                 "file": args.output}) + "\n")  # fmt: skip
    return 0


def _encryption(spec: str) -> Any:
    if spec.startswith(("https://", "http://")):
        try:
            return RemoteSigner(spec)
        except ValueError as exc:
            raise UsageError(f"--encrypt: {exc}") from None
    try:
        return load_signer(spec)
    except SettingsError as exc:
        raise UsageError(f"--encrypt: {exc}") from None
