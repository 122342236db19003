"""Check that the original npm client, tiktok-api 0.4.1 unmodified, works against the sandbox.

Installs the npm package into a temporary directory (never into this repository),
starts a sandbox, runs driver.js (all 33 methods of the npm client, then one
badly signed request) and prints a table. Exits non-zero when any check fails.

    python tools/npm_compat/run.py              # an in-process Sandbox
    python tools/npm_compat/run.py --cli        # `python -m tiktok sandbox --port 0` as a subprocess
    python tools/npm_compat/run.py --url URL    # a sandbox you started (same --signing-key)

Needs node and npm on PATH and the npm registry reachable.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Dict, Iterator, List

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # run from a checkout without installing

from tiktok.sandbox import (  # noqa: E402
    BIG_USER_ID,
    SANDBOX_EMAIL,
    SANDBOX_PASSWORD,
    SANDBOX_USERNAME,
    Sandbox,
)

PACKAGE = "tiktok-api@0.4.1"
NPM_METHODS = 33


def install(directory: Path) -> None:
    """``npm install tiktok-api@0.4.1`` into ``directory`` (a fresh temp dir)."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not on PATH: install Node.js to run this check")
    (directory / "package.json").write_text('{"name": "npm-compat", "private": true}\n')
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", PACKAGE],
        cwd=directory,
        check=True,
    )
    shutil.copy(HERE / "driver.js", directory / "driver.js")


@contextmanager
def cli_sandbox(seed: int, signing_key: str) -> Iterator[str]:
    """``python -m tiktok sandbox --port 0``; yields the URL from its first line."""
    command = [sys.executable, "-m", "tiktok", "sandbox", "--port", "0", "--seed", str(seed)]
    command += ["--signing-key", signing_key]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=HERE.parents[1])
    try:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        if not first.startswith("listening on "):
            raise SystemExit(f"`tiktok sandbox` did not start: {first!r}")
        yield first.removeprefix("listening on ")
    finally:
        process.terminate()
        process.wait(timeout=10)


def run_driver(directory: Path, url: str, signing_key: str) -> List[Dict[str, object]]:
    completed = subprocess.run(
        [
            "node",
            "driver.js",
            url,
            signing_key,
            SANDBOX_EMAIL,
            SANDBOX_USERNAME,
            SANDBOX_PASSWORD,
            BIG_USER_ID,
        ],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if completed.stderr.strip():
        print(completed.stderr, file=sys.stderr)
    return [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]


def print_table(results: List[Dict[str, object]]) -> None:
    width = max(len(str(result["call"])) for result in results)
    print(f"{'call':<{width}}  result  detail")
    print(f"{'-' * width}  ------  {'-' * 40}")
    for result in results:
        mark = "ok" if result["ok"] else "FAIL"
        print(f"{result['call']!s:<{width}}  {mark:<6}  {result['detail']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--cli", action="store_true", help="start `python -m tiktok sandbox` as a subprocess"
    )
    where.add_argument("--url", help="the base URL of a sandbox already running")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--signing-key", default="sandbox")
    args = parser.parse_args()

    with ExitStack() as stack:
        directory = Path(
            stack.enter_context(tempfile.TemporaryDirectory(prefix="tiktok-npm-compat-"))
        )
        print(f"installing {PACKAGE} in {directory}", flush=True)
        install(directory)
        sandbox = None
        if args.url:
            url = args.url
        elif args.cli:
            url = stack.enter_context(cli_sandbox(args.seed, args.signing_key))
        else:
            sandbox = stack.enter_context(Sandbox(seed=args.seed, signing_key=args.signing_key))
            url = sandbox.url
        print(f"sandbox at {url}\n", flush=True)
        results = run_driver(directory, url, args.signing_key)
        stats = sandbox.stats if sandbox is not None else None

    print_table(results)
    methods = {str(result["call"]) for result in results} - {
        "listComments (sees it)",
        "searchHashtags (a space)",
        "bad signature -> empty body",
        "driver",
    }
    failed = [result for result in results if not result["ok"]]
    print(
        f"\n{len(methods)} of {NPM_METHODS} npm methods called; {len(results) - len(failed)} passed, {len(failed)} failed"
    )
    if stats is not None:
        print(
            f"sandbox: {stats['requests']} requests, {stats['rejected_signature']} rejected signature"
        )
    if len(methods) != NPM_METHODS:
        print(
            f"expected {NPM_METHODS} methods, the driver reported {len(methods)}", file=sys.stderr
        )
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
