"""The command line's reference for the docs (docs/cli.rst), from the parser itself.

Every command is shown with its ``--help`` as the parser prints it, so a newly
declared call, or any command added to the parser, is in the reference without
a word written in the docs. docs/conf.py turns it into ``.. tiktok-commands::``.
"""

from __future__ import annotations

import argparse
from typing import Iterator, List, Optional

from .main import Parser, build_parser

__all__ = ["commands_reference"]

#: The width of the help text in the docs, whatever the terminal that builds them.
WIDTH = 90
#: The options every API command takes: shown once, with ``tiktok --help``.
SHARED = "connection options:"


def commands_reference(root: Optional[Parser] = None) -> List[str]:
    """reST for every command of ``root`` (default: the command line's), depth first.

    Each command is a rubric naming it and its ``--help`` in a text block; below
    the top, without the connection options that every API command repeats.
    The parsers' help is set to :data:`WIDTH`: pass a parser built for this.
    """
    top = build_parser() if root is None else root
    lines: List[str] = []
    for parser in _walk(top):
        text = _help(parser)
        if parser is not top:
            text = "\n\n".join(
                block for block in text.split("\n\n") if not block.startswith(SHARED)
            )
        lines += [f".. rubric:: ``{parser.prog}``", "", ".. code-block:: text", ""]
        lines += [f"   {line}".rstrip() for line in text.rstrip().splitlines()]
        lines.append("")
    return lines


def _walk(parser: Parser) -> Iterator[Parser]:
    yield parser
    for command in parser.commands().values():
        yield from _walk(command)


def _help(parser: Parser) -> str:
    """``parser``'s ``--help`` at :data:`WIDTH` columns."""
    formatter = parser.formatter_class

    def at_width(*, prog: str) -> argparse.HelpFormatter:
        return formatter(prog=prog, width=WIDTH)  # type: ignore[call-arg]

    parser.formatter_class = at_width
    return parser.format_help()
