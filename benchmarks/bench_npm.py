"""Target 2: our pager vs the original npm client ``tiktok-api@0.4.1`` walking the same pages.

    python benchmarks/bench_npm.py [--quick] [--pages N] [--rounds N] [--npm-dir DIR]

Installs ``tiktok-api@0.4.1`` with npm into a temporary directory (never into
the project; ``--npm-dir`` reuses an install), starts the sandbox in another
process and alternates: node walking the big user's posts (its CPU time from
``process.cpuUsage()`` inside the driver), our pager yielding ``Post`` models,
and the hand-written requests loop for reference. Ratios of CPU time per
20-post page, medians of the alternated runs.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Dict, Optional

import _harness as h

from tiktok.sandbox import sandbox_device

NPM_PACKAGE = "tiktok-api@0.4.1"
DRIVER = Path(__file__).with_name("npm_driver.js")
NODE = "node (tiktok-api 0.4.1)"
OURS = "ours (Pager of Post models)"
RAW = "raw loop (requests + json.loads)"


def install(directory: Path) -> Path:
    """``npm install tiktok-api@0.4.1`` into ``directory``; its node_modules path."""
    modules = directory / "node_modules"
    if (modules / "tiktok-api" / "package.json").exists():
        return modules
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is not on PATH: install Node.js to run this benchmark")
    subprocess.run(
        [
            npm,
            "install",
            "--prefix",
            str(directory),
            "--no-audit",
            "--no-fund",
            "--silent",
            NPM_PACKAGE,
        ],
        check=True,
    )
    return modules


class NodeClient:
    """The driver process; ``walk`` returns node's CPU seconds per page."""

    def __init__(self, modules: Path, url: str) -> None:
        node = shutil.which("node")
        if node is None:
            raise SystemExit("node is not on PATH: install Node.js to run this benchmark")
        device = json.dumps(sandbox_device().params())
        self.process = subprocess.Popen(
            [node, str(DRIVER), str(modules), url, h.SIGNING_KEY, h.BIG_USER_ID, device],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.last: Dict[str, Any] = {}

    def walk(self, pages: int, count: int = 20) -> float:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"walk {pages} {count}\n")
        self.process.stdin.flush()
        result = json.loads(self.process.stdout.readline() or '{"error": "node exited"}')
        if "error" in result:
            raise RuntimeError(f"the npm client failed: {result['error']}")
        if result["pages"] != pages or result["items"] != pages * count:
            raise RuntimeError(f"the npm client walked {result}, expected {pages} pages of {count}")
        self.last = result
        return float(result["cpu_us"]) / 1e6 / pages

    def close(self) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.terminate()
            self.process.wait(timeout=10)


def node_version() -> str:
    node = shutil.which("node")
    if node is None:
        return "not installed"
    return subprocess.run(
        [node, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()


def main() -> None:
    p = h.parser(__doc__.splitlines()[0])
    p.add_argument("--pages", type=int, help="pages per run (default 100, --quick 10)")
    p.add_argument(
        "--rounds", type=int, help="timed runs of each contender (default 15, --quick 5)"
    )
    p.add_argument(
        "--npm-dir", type=Path, help="install (or reuse) the npm package here, not in a temp dir"
    )
    args = p.parse_args()
    pages = args.pages or (10 if args.quick else 100)
    rounds = args.rounds or (5 if args.quick else 15)

    h.print_machine({"node": node_version()})
    temporary: Optional[str] = None
    if args.npm_dir is None:
        temporary = tempfile.mkdtemp(prefix="tiktok-npm-bench-")
    try:
        modules = install(args.npm_dir or Path(temporary or "."))
        with h.SandboxProcess(seed=args.seed) as sandbox:
            h.check_same_urls(sandbox.url)
            node = NodeClient(modules, sandbox.url)
            client = h.make_client(sandbox.url)
            ours = h.ours_posts_walker(client)
            raw = h.RawLoop(sandbox.url)
            try:
                results = h.alternate(
                    {
                        NODE: lambda: node.walk(pages),
                        OURS: lambda: h.cpu_per_page(ours, pages, 20),
                        RAW: lambda: h.cpu_per_page(raw.walk, pages, 20),
                    },
                    rounds,
                )
                ours_connections = h.connection_stats(client.session, sandbox.url)
            finally:
                node.close()
                client.close()
                raw.session.close()
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)

    print(
        f"workload:   {pages} pages x 20 posts of user {h.BIG_USER_ID}, {rounds} alternated rounds"
    )
    print(
        f"connections: node opened {node.last.get('sockets')} socket(s); ours {ours_connections[0]} for {ours_connections[1]} requests"
    )
    print()
    for name, values in results.items():
        print(f"{name:40s} {h.median(values) * 1e6:8.0f} us CPU/page (median)")
    print()
    print(h.ratio_line("ratio ours / npm client", results[OURS], results[NODE]))
    print(h.ratio_line("ratio raw loop / npm client", results[RAW], results[NODE]))
    print(json.dumps({name: round(h.median(v) * 1e6, 1) for name, v in results.items()}))


if __name__ == "__main__":
    main()
