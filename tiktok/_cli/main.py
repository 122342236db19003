"""``tiktok``: the argument parser, the command handlers and the one place errors become exit codes."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import signal
import sys
import traceback
from types import FrameType
from typing import Any, Callable, Dict, Optional, Sequence
from urllib.parse import urlsplit

from .. import __version__
from .._converter import to_dict
from ..client import DEFAULT_BASE_URL
from ..errors import LoginRequiredError, TikTokError, TransportError
from ..pagination import Pager
from ..resources._declare import Paging
from ..settings import BASE_URL_ENV, PROXY_ENV, RATE_ENV, SESSION_ENV, SIGNER_ENV
from ..signing import is_loopback
from .commands import COMMANDS, GROUPS, Command, resolve_refs
from .config import DEVICE_ENV_VARS, UsageError, open_client, session_path
from .crawl import add_crawl_parser
from .device import add_device
from .doctor import add_doctor
from .download import add_captions, add_download
from .live import add_live
from .output import emit, ids_as_text, printable, stream

__all__ = ["Parser", "build_parser", "main"]

EXIT_OK = 0
EXIT_API = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # what a shell reports for a process killed by SIGPIPE
DEFAULT_LIMIT = 100
PASSWORD_ENV = "TIKTOK_PASSWORD"

Handler = Callable[[argparse.Namespace], int]

DESCRIPTION = """\
A client for the TikTok (musical.ly) app API. Start with `tiktok demo`.

Data commands print one JSON object per line (JSON Lines) on stdout.
Listings stop at --limit (default 100; --all for everything) and then print
the cursor to resume from on stderr: `next cursor: N (resume with --cursor N)`.
"""

EPILOG = f"""\
configuration (the real API):
  {DEVICE_ENV_VARS}
                        your device's params (required)
  {SIGNER_ENV}         module:attr of your signer, like --signer
  {BASE_URL_ENV}       the API's base URL (default {DEFAULT_BASE_URL})
  {SESSION_ENV}        a session file saved by `tiktok login`, like --session
  {PROXY_ENV}, {RATE_ENV}
                        a proxy and requests a second, like --proxy, --rate
  {PASSWORD_ENV}       the password for `tiktok login` (else it is prompted)

Add --sandbox to any command to run it on a local, in-process sandbox instead
(logged in as its account, so write commands work too).

exit status: 0 ok, 1 the API or the network failed, 2 usage or configuration error,
130 interrupted."""


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one ``error: ...`` line and lists its commands.

    Its commands' parsers are ``Parser`` too (argparse makes them of their parent's class).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._subcommands: Any = None

    def add_subparsers(self, **kwargs: Any) -> Any:
        # Kept, so that commands() can list them: argparse has no public way to.
        self._subcommands = super().add_subparsers(**kwargs)
        return self._subcommands

    def commands(self) -> Dict[str, Parser]:
        """This parser's commands by name, in the order they were added; none for a leaf."""
        return {} if self._subcommands is None else dict(self._subcommands.choices)

    def error(self, message: str) -> Any:
        self.exit(EXIT_USAGE, f"error: {message} (see `{self.prog} --help`)\n")


def _int_at_least(minimum: int, maximum: Optional[int] = None) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be an integer, not {text!r}") from None
        if value < minimum or (maximum is not None and value > maximum):
            span = f"from {minimum} to {maximum}" if maximum is not None else f">= {minimum}"
            raise argparse.ArgumentTypeError(f"must be an integer {span}, not {value}")
        return value

    return parse


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of seconds, not {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be > 0, not {text}")
    return value


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of requests a second > 0, not {text!r}")
    return value


def _seconds_or_zero(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of seconds >= 0, not {text!r}")
    return value


def _fault_rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be a number from 0 to 1, not {text!r}")
    return value


def _soft_block(text: str) -> Any:
    parts = text.split(",")
    try:
        count, window, rest = int(parts[0]), float(parts[1]), float(parts[2])
    except (ValueError, IndexError):
        count = 0
    if len(parts) != 3 or count < 1 or not (0 < window < float("inf") and 0 < rest < float("inf")):
        raise argparse.ArgumentTypeError(
            f"must be COUNT,WINDOW,REST (1 or more, seconds), not {text!r}"
        )
    return (count, window, rest)


def _add_client_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """The options every API command takes, before or after the command's name.

    Below the top level their defaults are SUPPRESS, so an option given before
    the command is not reset by the subcommand's parser.
    """

    def default(value: Any) -> Any:
        return value if top else argparse.SUPPRESS

    group = parser.add_argument_group("connection options")
    add = group.add_argument
    add("--sandbox", action="store_true", default=default(False),
        help="run on an in-process sandbox, logged in as its account")  # fmt: skip
    add("--seed", type=int, default=default(0), help="the --sandbox world's seed (default 0)")
    add("--signer", metavar="MODULE:ATTR", default=default(None),
        help=f"your signer: an object with .sign(url, ts, device_id), a class or a function "
        f"(default ${SIGNER_ENV})")  # fmt: skip
    add("--base-url", metavar="URL", default=default(None),
        help=f"the API's base URL (default ${BASE_URL_ENV} or {DEFAULT_BASE_URL})")  # fmt: skip
    add("--session", metavar="FILE", default=default(None),
        help=f"a session file saved by `tiktok login` (default ${SESSION_ENV})")  # fmt: skip
    add("--link-host", action="append", metavar="HOST", default=default(None),
        help="also resolve share links on HOST (or HOST:PORT); the --base-url's host "
        "always is, unless it is TikTok's API")  # fmt: skip
    add("--timeout", type=_seconds, default=default(10.0), metavar="SECONDS",
        help="per-request timeout (default 10)")  # fmt: skip
    add("--retries", type=_int_at_least(0), default=default(3), metavar="N",
        help="retries of a failed request (default 3)")  # fmt: skip
    add("--debug", action="store_true", default=default(False),
        help="log every request and show tracebacks")  # fmt: skip


def _add_listing_options(
    parser: argparse.ArgumentParser, *, resumable: bool, endless: bool = False
) -> None:
    group = parser.add_argument_group("listing options")
    exclusive = group.add_mutually_exclusive_group()
    exclusive.add_argument("--limit", type=_int_at_least(1), default=DEFAULT_LIMIT, metavar="N",
                           help=f"stop after N items (default {DEFAULT_LIMIT})")  # fmt: skip
    exclusive.add_argument("--all", action="store_true",
                           help="refused: this listing is endless" if endless
                           else "every item, to the end of the listing")  # fmt: skip
    group.add_argument("--count", type=_int_at_least(1, 100), metavar="N",
                       help="items per page, 1 to 100 (default: the endpoint's)")  # fmt: skip
    if resumable:
        group.add_argument("--cursor", type=_int_at_least(0), metavar="N",
                           help="start where a previous run stopped (its `next cursor`)")  # fmt: skip
    group.add_argument("--strict", action="store_true",
                       help="stop with an error at an item that does not fit the model"
                       " (default: skip it, warn and count it)")  # fmt: skip


def build_parser() -> Parser:
    parser = Parser(
        prog="tiktok",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"tiktok {__version__}")
    _add_client_options(parser, top=True)
    commands = parser.add_subparsers(dest="group", metavar="COMMAND", title="commands")

    add_download(commands, _add_client_options)
    add_captions(commands, _add_client_options)

    demo = commands.add_parser("demo", help="a tour of every namespace on a local sandbox")
    demo.add_argument("--seed", type=int, default=0, help="the sandbox world's seed (default 0)")
    demo.set_defaults(handler=_run_demo)

    sandbox = commands.add_parser(
        "sandbox",
        help="serve the sandbox API on a local port",
        description="Serve a local, deterministic imitation of the TikTok app API "
        "(for tests, demos and your scripts) until Ctrl-C or SIGTERM.",
    )
    sandbox.add_argument("--host", default="127.0.0.1", help="default 127.0.0.1")
    sandbox.add_argument("--port", type=_int_at_least(0, 65535), default=8000,
                         help="default 8000; 0 picks a free one")  # fmt: skip
    sandbox.add_argument("--seed", type=int, default=0, help="the world's seed (default 0)")
    sandbox.add_argument("--fault-rate", type=_fault_rate, default=0.0, metavar="R",
                         help="share of requests answered with an injected fault, 0 to 1")  # fmt: skip
    sandbox.add_argument("--signing-key", default="sandbox", metavar="KEY",
                         help="the HMAC key SandboxSigner must use (default 'sandbox')")  # fmt: skip
    sandbox.add_argument("--slow-seconds", type=_seconds_or_zero, default=15.0, metavar="S",
                         help="how late a 'slow' fault answers (default 15)")  # fmt: skip
    sandbox.add_argument("--rate", type=_rate, default=None, metavar="N",
                         help="answer 429 with Retry-After above N requests a second "
                         "per device_id (default: no limit)")  # fmt: skip
    sandbox.add_argument("--log", metavar="FILE", default=None,
                         help="append an access and fault log to FILE (paths only)")  # fmt: skip
    sandbox.add_argument("--signing", choices=("url", "headers"), default="url",
                         help="check URL signatures (as/cp/mas, SandboxSigner; the default) or "
                              "header signatures (X-Gorgon, SandboxRequestSigner)")  # fmt: skip
    refusals = sandbox.add_argument_group("refusals (docs/sandbox.rst (Refusals))")
    refusals.add_argument("--fault", action="append", default=[], metavar="NAME[:DEVICE_ID]",
                          help="answer every API request (of DEVICE_ID only) with this fault, "
                          "such as ip_blocked, app_too_old, trap_reply; repeatable")  # fmt: skip
    refusals.add_argument("--soft-block", type=_soft_block, default=None,
                          metavar="COUNT,WINDOW,REST",
                          help="soft-block a device that sends more than COUNT requests in "
                          "WINDOW seconds, for REST seconds")  # fmt: skip
    refusals.add_argument("--min-version-code", type=_int_at_least(0), default=None, metavar="N",
                          help="answer 2146 (app too old) to a version_code below N")  # fmt: skip
    refusals.add_argument("--iid-apps", action="store_true",
                          help="refuse an iid sent with another aid than its first")  # fmt: skip
    refusals.add_argument("--session-ttl", type=_seconds, default=None, metavar="S",
                          help="end a session S seconds after its login (2154)")  # fmt: skip
    sandbox.set_defaults(handler=_run_sandbox)

    login = commands.add_parser(
        "login",
        help="log in and save the session to --session FILE",
        description=f"Log in and save the session (cookies, token; mode 0600) to --session FILE. "
        f"The password comes from ${PASSWORD_ENV}, or is prompted for.",
    )
    who = login.add_mutually_exclusive_group(required=True)
    who.add_argument("--email")
    who.add_argument("--username")
    _add_client_options(login, top=False)
    login.set_defaults(handler=_run_login)

    add_doctor(commands, lambda parser: _add_client_options(parser, top=False))
    add_device(commands)

    add_crawl_parser(
        commands,
        lambda parser: _add_client_options(parser, top=False),
        _int_at_least(1),
        _int_at_least(1, 100),
    )

    groups = {}
    for name, help in GROUPS.items():
        group_parser = commands.add_parser(name, help=help, description=help)
        groups[name] = group_parser.add_subparsers(
            dest="action", metavar="ACTION", title="actions", required=True
        )
    for command in COMMANDS:
        _add_command(groups[command.group], command)
    add_live(groups["live"], _add_client_options, _seconds, _int_at_least(1))
    return parser


def _add_command(actions: Any, command: Command) -> None:
    help = command.help + (" (needs login)" if command.needs_login else "")
    parser = actions.add_parser(command.name, help=help, description=help)
    for arg in command.args:
        parser.add_argument(*arg.flags, **arg.options)
    if command.paging is not Paging.ONE:
        _add_listing_options(
            parser,
            resumable=command.paging is Paging.LISTING,
            endless=command.paging is Paging.FEED,
        )
    _add_client_options(parser, top=False)
    parser.set_defaults(handler=_run_command, command=command)


# -- handlers -----------------------------------------------------------------------------


def _run_command(args: argparse.Namespace) -> int:
    command: Command = args.command
    if command.paging is Paging.FEED and args.all:
        # An endless feed has no end for --all to reach: it would print forever.
        raise UsageError(
            f"{command.group} {command.name} is endless: --all would never stop; "
            "give --limit N instead"
        )
    with open_client(args) as client:
        resolve_refs(client, command, args)
        result = command.run(client, args)
        if isinstance(result, Pager):
            stream(result, sys.stdout, sys.stderr, label=f"{command.group} {command.name}")
        else:
            emit(result, sys.stdout)
    return EXIT_OK


def _run_login(args: argparse.Namespace) -> int:
    path = session_path(args, os.environ)
    if path is None:
        raise UsageError(f"login needs --session FILE (or ${SESSION_ENV}) to save the session to")
    password = os.environ.get(PASSWORD_ENV)
    if not password:
        if not sys.stdin.isatty():
            raise UsageError(f"no password: set {PASSWORD_ENV}, or run in a terminal to be asked")
        password = getpass.getpass("password: ")
    with open_client(args, login=False) as client:
        if args.email:
            result = client.login_with_email(args.email, password)
        else:
            result = client.login_with_username(args.username, password)
        client.save_session(path)
    # The session key is a secret: it stays in the 0600 file, not on stdout.
    data = ids_as_text(result, to_dict(result))
    data.pop("session_key", None)
    emit(data, sys.stdout)
    name = printable(str(result.screen_name or result.name or "?"))
    print(f"logged in as {name} (user id {result.user_id}); session saved to {path}",
          file=sys.stderr)  # fmt: skip
    return EXIT_OK


def _run_sandbox(args: argparse.Namespace) -> int:
    from ..sandbox import serve

    def ready(url: str) -> None:
        url = url if url.endswith("/") else url + "/"
        print(f"listening on {url}", flush=True)
        print(_sandbox_hint(url, args.signing_key, args.signing), file=sys.stderr, flush=True)

    if not is_loopback(args.host):
        # Beyond loopback anyone who reaches the port can use the sandbox: its accounts,
        # its signing service, its writes. Said once, before listening.
        print(
            f"warning: the sandbox listens on {args.host}, beyond this machine's loopback: "
            "anyone who can reach the port can use it (it has no authentication); "
            "use --host 127.0.0.1 unless you mean it",
            file=sys.stderr,
            flush=True,
        )
    log_handler = _sandbox_log(args.log) if args.log else None
    # A script that starts us in the background (`tiktok sandbox &`) leaves SIGINT
    # ignored: Python would then never raise KeyboardInterrupt. This is our own main,
    # so both signals are made to stop the server; serve() closes it and returns.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        serve(
            host=args.host,
            port=args.port,
            seed=args.seed,
            fault_rate=args.fault_rate,
            signing_key=args.signing_key,
            signing=args.signing,
            ready=ready,
            slow_seconds=args.slow_seconds,
            rate=args.rate,
            faults=args.fault,
            soft_block=args.soft_block,
            min_version_code=args.min_version_code,
            iid_apps=args.iid_apps,
            session_ttl=args.session_ttl,
        )
    except OSError as exc:
        raise UsageError(
            f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}"
        ) from exc
    finally:
        if log_handler is not None:
            logging.getLogger("tiktok.sandbox").removeHandler(log_handler)
            log_handler.close()
    print("sandbox stopped", file=sys.stderr)
    return EXIT_OK


def _interrupt(signum: int, frame: Optional[FrameType]) -> None:
    raise KeyboardInterrupt


def _sandbox_log(path: str) -> logging.Handler:
    """Send the sandbox's access and fault lines (paths only, never queries) to ``path``."""
    try:
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot open the log file {path}: {exc.strerror or exc}") from exc
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    logger = logging.getLogger("tiktok.sandbox")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return handler


def _sandbox_hint(url: str, signing_key: str, signing: str = "url") -> str:
    from ..sandbox import SANDBOX_EMAIL, SANDBOX_PASSWORD, sandbox_device

    device = sandbox_device()
    name = "SandboxRequestSigner" if signing == "headers" else "SandboxSigner"
    signer = f"tiktok.sandbox:{name}"
    if signing_key != "sandbox":
        signer += f"  (a {name}(key={signing_key!r}) of your own: the key differs)"
    return (
        f"point the CLI at it:\n"
        f"  export {BASE_URL_ENV}={url} TIKTOK_DEVICE_ID={device.device_id} "
        f"TIKTOK_IID={device.iid} TIKTOK_OPENUDID={device.openudid} TIKTOK_FP={device.fp}\n"
        f"  tiktok --signer {signer} users get 6800000000000000002\n"
        f"account: {SANDBOX_EMAIL} / {SANDBOX_PASSWORD}; Ctrl-C stops the server"
    )


def _run_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    run_demo(sys.stdout, seed=args.seed)
    return EXIT_OK


# -- errors -------------------------------------------------------------------------------


def _explain(exc: BaseException, args: argparse.Namespace) -> str:
    """The one line an error prints, with what to do about it where we know."""
    message = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, LoginRequiredError):
        return (
            f"{message}: this command needs a logged-in session: run `tiktok login --email "
            "EMAIL --session FILE` once, then pass --session FILE (or try it with --sandbox)"
        )
    if isinstance(exc, TransportError) and not getattr(args, "sandbox", False):
        base_url = (
            getattr(args, "base_url", None) or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
        )
        return f"{message} (is {_failed_origin(exc) or base_url} reachable?)"
    return message


def _failed_origin(exc: TransportError) -> Optional[str]:
    """``scheme://host`` of the request that failed (a share link's host, say), if known.

    The transport chains the ``requests`` exception, whose ``request`` is the one sent.
    """
    request = getattr(exc.__cause__, "request", None)
    url = getattr(request, "url", None)
    if not isinstance(url, str):
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else None


def _configure_logging(debug: bool) -> None:
    if debug:
        logging.basicConfig(
            level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s"
        )
        logging.getLogger("tiktok").setLevel(logging.DEBUG)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Optional[Handler] = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    debug = bool(getattr(args, "debug", False))
    _configure_logging(debug)
    if argv is None:
        # Run as the program: a script's background job (`tiktok ... &`) starts with
        # SIGINT ignored, and Ctrl-C or `kill -INT` would never stop a listing (nor end
        # it with its resume cursor). Our own main, never the library, makes it raise.
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep Python from
        # complaining about the unflushable stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as exc:
        if debug:
            traceback.print_exc()
        status = EXIT_API
        if isinstance(exc, (UsageError, ValueError)) and not isinstance(exc, TikTokError):
            # ValueError: the client refused an argument before sending anything.
            status = EXIT_USAGE
            message = _explain(exc, args)
        elif isinstance(exc, TikTokError):
            message = _explain(exc, args)
        else:
            message = f"unexpected {type(exc).__name__}: {_explain(exc, args)}"
            if not debug:
                message += " (run with --debug for the traceback)"
        # The message may quote the API (status_msg): no escape sequence reaches the terminal.
        print(f"error: {printable(message)}", file=sys.stderr)
        return status
