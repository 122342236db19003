"""Signers the CLI tests load with ``--signer tests.cli.signers:...``."""

from __future__ import annotations

from tiktok.sandbox import SandboxSigner

# Signs with a key the sandbox does not use: every request is answered with an empty body.
wrong_key = SandboxSigner(key="not-the-sandbox-key")


def raising(url: str, ts: int, device_id: str) -> str:
    raise RuntimeError("this signer always fails")
