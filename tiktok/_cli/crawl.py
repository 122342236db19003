"""``tiktok crawl run|status|export``: a resumable crawl into a store (docs/crawling.rst)."""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import signal
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, TextIO, Tuple

from .._identity import Identity
from ..client import Client
from ..crawl import DEFAULT_STORE, Crawl, Progress, Store, Summary, parse_target
from ..crawl._targets import KINDS
from .config import UsageError, open_client
from .output import CLEAR_LINE, json_text, printable

__all__ = ["add_crawl_parser"]

EXIT_OK = 0
EXIT_INCOMPLETE = 1

KINDS_HELP = ", ".join(KINDS)


def add_crawl_parser(
    commands: Any,
    add_client_options: Callable[[argparse.ArgumentParser], None],
    positive: Callable[[str], int],
    page_size: Callable[[str], int],
) -> None:
    """The ``crawl`` group: ``run`` takes the connection options, the others read the store only."""
    crawl = commands.add_parser(
        "crawl",
        help="resumable crawls of many listings into a SQLite store",
        description="Crawl listings into a store; run it again to resume (docs: crawling).",
    )
    actions = crawl.add_subparsers(dest="action", metavar="ACTION", title="actions", required=True)

    run = actions.add_parser(
        "run",
        help="crawl targets (and resume the store's unfinished ones)",
        description=f"Crawl TARGETs, KIND:ID with KIND one of {KINDS_HELP} (a user's "
        "KIND:@handle too, looked up once and stored by id). Each page and "
        "the cursor after it are saved together: run it again on the same store to resume "
        "every unfinished target. Exit 0 once every target is done.",
    )
    run.add_argument("targets", nargs="*", metavar="TARGET",
                     help="KIND:ID, e.g. followers:123; a user's also KIND:@handle")  # fmt: skip
    run.add_argument("--from", dest="from_file", metavar="FILE",
                     help="read targets from FILE, one a line ('-': stdin; # starts a comment)")  # fmt: skip
    _store_option(run)
    run.add_argument("--count", type=page_size, metavar="N",
                     help="items per page, 1 to 100 (default: the store's, else the "
                     "endpoint's)")  # fmt: skip
    run.add_argument("--limit", type=positive, metavar="N",
                     help="at most N items of each target (default: the limit the store was "
                     "started with)")  # fmt: skip
    run.add_argument("--new", action="store_true",
                     help="only what is new: walk each stored target from its start and stop "
                     "at the first item already stored")  # fmt: skip
    run.add_argument("--cooldown", type=float, default=60.0, metavar="SECONDS",
                     help="how long a rate-limited or rejected identity rests (default 60)")  # fmt: skip
    pacing = run.add_argument_group("pacing and identities")
    pacing.add_argument("--rate", type=_rate, metavar="N",
                        help="at most N requests a second (per identity)")  # fmt: skip
    pacing.add_argument("--jitter", type=_jitter, metavar="LOW,HIGH",
                        help="a random pause of LOW to HIGH seconds before each request")  # fmt: skip
    pacing.add_argument("--proxy", metavar="URL", help="send the API requests through this proxy")
    pacing.add_argument("--identity", action="append", metavar="FILE", default=[],
                        help="an identity to crawl as (a private JSON file: name, app, device, "
                        "session, proxy, rate; see tiktok.Identity); "
                        "repeat it to spread the work over several")  # fmt: skip
    add_client_options(run)
    run.set_defaults(handler=_run)

    status = actions.add_parser(
        "status",
        help="one JSON line per target: target, items, pages, done, cursor",
        description="Print one JSON line per target of the store (works while a crawl runs).",
    )
    _store_option(status)
    status.set_defaults(handler=_status)

    export = actions.add_parser(
        "export",
        help="the crawled items, in crawl order, as JSON Lines or CSV",
        description='Print {"target": "KIND:ID", "item": {...}} per item (JSON Lines), or the '
        "same flattened to CSV columns (works while a crawl runs).",
    )
    _store_option(export)
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl",
                        help="default jsonl")  # fmt: skip
    export.add_argument("--target", metavar="TARGET", help="only this target's items")
    export.set_defaults(handler=_export)


def _store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", metavar="FILE", default=DEFAULT_STORE,
                        help=f"the crawl's SQLite file or a postgresql:// URL "
                        f"(default {DEFAULT_STORE})")  # fmt: skip


def _read_targets(args: argparse.Namespace) -> List[str]:
    lines: List[str] = list(args.targets)
    if args.from_file:
        if args.from_file == "-":
            text = sys.stdin.read()
        else:
            try:
                text = Path(args.from_file).read_text(encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"cannot read --from {args.from_file}: {exc.strerror}") from exc
        lines += [line.split("#", 1)[0].strip() for line in text.splitlines()]
    targets = []
    for line in lines:
        if not line:
            continue
        kind, _, handle = line.partition(":")
        if handle.startswith("@") and kind in KINDS and KINDS[kind].user:
            # KIND:@handle, as every other command takes a user: resolved once the client
            # is open (_resolve_handles), and stored by id.
            if len(handle) < 2 or any(char.isspace() or char in ":/" for char in handle):
                raise UsageError(f"{line!r} does not end in an @handle")
            targets.append(f"{kind}:{handle}")
            continue
        try:
            targets.append(str(parse_target(line)))
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    return targets


def _resolve_handles(clients: Any, targets: List[str]) -> List[str]:
    """``KIND:@handle`` targets as ``KIND:ID``: one search per handle (users.by_username)."""
    client: Client = clients if isinstance(clients, Client) else next(iter(clients.values()))
    ids: Dict[str, str] = {}
    resolved = []
    for target in targets:
        kind, _, id = target.partition(":")
        if id.startswith("@"):
            handle = id.casefold()  # handles compare case-insensitively
            if handle not in ids:
                ids[handle] = str(client.users.by_username(id).uid)
            id = ids[handle]
        resolved.append(str(parse_target(f"{kind}:{id}")))
    return resolved


def _open_store(args: argparse.Namespace, *, create: bool) -> Store:
    try:
        return Store(args.store, create=create)
    except FileNotFoundError as exc:
        raise UsageError(f"{exc}: start one with `tiktok crawl run TARGET --store FILE`") from None


def _run(args: argparse.Namespace) -> int:
    # A script's background job (`tiktok crawl run ... &`) starts with SIGINT ignored, and
    # Python then never raises KeyboardInterrupt: as `tiktok sandbox` does, this command
    # (our own main, never the library) makes Ctrl-C and `kill -INT` stop it again.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    targets = _read_targets(args)
    store = _open_store(args, create=True)
    with store:
        if not targets and not store.status():
            raise UsageError("nothing to crawl: give TARGETs (KIND:ID) or --from FILE")
        terminal = _is_terminal(sys.stderr)
        display = _Display(sys.stderr) if terminal else None
        with _clients(args) as clients:
            crawl = Crawl(
                clients,
                store,
                count=args.count,
                limit=args.limit,
                cooldown=args.cooldown,
                progress=display.show if display is not None else None,
                totals=terminal,
            )
            crawl.add(*_resolve_handles(clients, targets))
            try:
                summary = crawl.run(new=args.new)
            finally:
                if display is not None:
                    display.clear()
    _print_summary(summary, args.store, sys.stderr)
    return EXIT_OK if summary.complete else EXIT_INCOMPLETE


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of requests a second > 0, not {text!r}")
    return value


def _jitter(text: str) -> Tuple[float, float]:
    low, comma, high = text.partition(",")
    try:
        pair = (float(low), float(high if comma else low))
    except ValueError:
        pair = (-1.0, -1.0)
    if not 0 <= pair[0] <= pair[1] < float("inf"):
        raise argparse.ArgumentTypeError(
            f"must be LOW,HIGH seconds with 0 <= LOW <= HIGH, not {text!r}"
        )
    return pair


def _read_identity(path: str) -> Identity:
    """An identity file (:class:`tiktok.Identity`): private, checked like a session file."""
    try:
        return Identity.load(path)
    except OSError as exc:
        raise UsageError(f"cannot read --identity {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise UsageError(f"--identity {path}: {exc}") from None


@contextlib.contextmanager
def _clients(args: argparse.Namespace) -> Iterator[Any]:
    """The client of the connection options, or one per ``--identity``."""
    if not args.identity:
        with open_client(args) as client:
            yield client
        return
    identities = [_read_identity(path) for path in args.identity]
    names = [identity.name for identity in identities]
    if len(set(names)) != len(names):
        raise UsageError(f"--identity names must differ: {', '.join(names)}")
    clients: Dict[str, Client] = {}
    # Signer and base URL come from the connection options, pacing and proxy from the
    # options unless the identity sets its own.
    with open_client(args, login=False) as base:
        try:
            for identity in identities:
                pace = {
                    key: getattr(args, key) if getattr(identity, key) is None else None
                    for key in ("proxy", "rate", "jitter")
                }
                try:
                    client = identity.client(
                        base.signer, base_url=base.base_url, timeout=args.timeout,
                        retries=args.retries, **pace,
                    )  # fmt: skip
                except (TypeError, ValueError) as exc:
                    raise UsageError(f"--identity {identity.name}: {exc}") from None
                clients[identity.name] = client
            yield clients
        finally:
            for client in clients.values():
                client.close()


def _print_summary(summary: Summary, store: str, err: TextIO) -> None:
    rate = summary.new_items / summary.seconds if summary.seconds > 0 else 0.0
    left = summary.targets - summary.done - len(summary.failed)
    parts = [f"{summary.done} of {summary.targets} targets done"]
    if summary.failed:
        parts.append(f"{len(summary.failed)} failed")
    if left > 0:
        parts.append(f"{left} unfinished")
    err.write(
        f"crawl: {', '.join(parts)}; {summary.new_items:,} new items in {summary.pages:,} pages, "
        f"{summary.seconds:.1f}s ({rate:,.0f} items/s); store {store}\n"
    )
    if len(summary.pages_by_identity) > 1:
        shares = ", ".join(f"{name} {pages:,}" for name, pages in summary.pages_by_identity.items())
        err.write(f"pages by identity: {shares}\n")
    for target, message in summary.failed.items():
        err.write(f"error: {target}: {printable(message)}\n")
    for name, health in summary.lost.items():
        err.write(f"identity lost: {name} ({health.state}): {printable(health.reason)}\n")
    if not summary.complete:
        err.write("run the same command again to resume\n")
    err.flush()


def _status(args: argparse.Namespace) -> int:
    with _open_store(args, create=False) as store:
        for status in store.status():
            sys.stdout.write(json.dumps(status.to_json()) + "\n")
        # Then each identity that is not ok: resting until a time, retired, or
        # waiting for a login, with the reason (an identity never met is ok).
        for name, health in store.health().items():
            sys.stdout.write(json.dumps({"identity": name, **health.to_json()}) + "\n")
    sys.stdout.flush()
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    target = None
    if args.target is not None:
        try:
            target = str(parse_target(args.target))
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    with _open_store(args, create=False) as store:
        if target is not None and not store.status(target):
            raise UsageError(
                f"{target} is not in the store {args.store} "
                f"(`tiktok crawl status --store {args.store}` lists its targets)"
            )
        if args.format == "csv":
            _write_csv(store, target, sys.stdout)
        else:
            out = sys.stdout
            for name, item in store.export(target):
                out.write(json_text({"target": name, "item": item}) + "\n")
    sys.stdout.flush()
    return EXIT_OK


def flatten(value: Any, prefix: str = "") -> Dict[str, Any]:
    """A JSON object as one row: nested keys joined with ``.``, lists kept as JSON text."""
    row: Dict[str, Any] = {}
    for key, item in value.items():
        name = f"{prefix}{key}"
        if isinstance(item, dict):
            row.update(flatten(item, name + "."))
        elif isinstance(item, list):
            row[name] = json.dumps(item, ensure_ascii=False)
        elif isinstance(item, bool):
            row[name] = "true" if item else "false"
        else:
            row[name] = "" if item is None else item
    return row


def _write_csv(store: Store, target: Optional[str], out: TextIO) -> None:
    # Two passes over the store: the columns are every key any item has, in first-seen order.
    columns: Dict[str, None] = {"target": None}
    for _, item in store.export(target):
        columns.update(dict.fromkeys(flatten(item, "item.")))
    # Rows end in CRLF (RFC 4180): the csv module quotes a cell holding a character of the
    # line terminator, so a bare CR in a bio is quoted too and reads back as it was.
    writer = csv.DictWriter(out, fieldnames=list(columns), restval="", lineterminator="\r\n")
    writer.writeheader()
    for name, item in store.export(target):
        row = flatten(item, "item.")
        writer.writerow({"target": name, **{key: neutralise(value) for key, value in row.items()}})


# Text a spreadsheet would read as a formula (OWASP, "CSV Injection"): nicknames, bios
# and comments are anyone's text, and `=HYPERLINK(...)` in a cell runs when opened.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell starting like a formula, with ``'`` in front (shown as text); else as is.

    Only text is touched: numbers (``-1``) are written as numbers.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _Display:
    """One self-overwriting line on a terminal: items of total, rate, time left, who rests."""

    def __init__(self, err: TextIO, interval: float = 0.1) -> None:
        self._err = err
        self._interval = interval
        self._last = 0.0

    def show(self, progress: Progress) -> None:
        now = time.monotonic()
        if now - self._last < self._interval:
            return
        self._last = now
        self._err.write(CLEAR_LINE + printable(describe(progress)))
        self._err.flush()

    def clear(self) -> None:
        self._err.write(CLEAR_LINE)
        self._err.flush()


def describe(progress: Progress) -> str:
    """The progress line: ``items/total (pct), done targets, rate, time left, resting``."""
    items, total = progress.items, progress.total
    done = sum(t.done for t in progress.targets)
    count = (
        f"{items:,}/{total:,} items ({100 * items / total:.1f}%)" if total else f"{items:,} items"
    )
    parts = [
        f"crawl: {count}",
        f"{done}/{len(progress.targets)} targets",
        f"{progress.rate:,.0f}/s",
    ]
    left = progress.seconds_left
    if left is not None:
        parts.append(f"{_duration(left)} left")
    if progress.resting:
        parts.append(
            "resting: "
            + ", ".join(
                f"{name} ({progress.reasons.get(name, 'resting')}, {_duration(seconds)})"
                for name, seconds in progress.resting.items()
            )
        )
    if progress.lost:
        parts.append("lost: " + ", ".join(f"{n} ({why})" for n, why in progress.lost.items()))
    return ", ".join(parts)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{seconds:02d}s"
    return f"{seconds}s"


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
