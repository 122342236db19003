"""Sphinx configuration for the tiktok documentation.

Build: ``python -m sphinx -W --keep-going -b html docs docs/_build/html``.
Every Python example in these pages is run against the sandbox by
``tests/docs/test_examples.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Document the working tree, installed or not.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tiktok  # noqa: E402

project = "tiktok"
author = "the tiktok contributors"
copyright = "the tiktok contributors"
release = tiktok.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
]

# No network in CI: no intersphinx, no remote images.
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
root_doc = "index"
language = "en"
pygments_style = "sphinx"
pygments_dark_style = "monokai"

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
autodoc_class_signature = "mixed"
autodoc_default_options = {
    "members": True,
    "show-inheritance": True,
}

html_theme = "furo"
html_title = f"tiktok {release}"
html_static_path: list[str] = []
html_show_sourcelink = False


# -- the table of every call and the command reference, from the declarations and the parser

import typing  # noqa: E402

from docutils import nodes  # noqa: E402
from docutils.statemachine import StringList  # noqa: E402
from sphinx.application import Sphinx  # noqa: E402
from sphinx.util.docutils import SphinxDirective  # noqa: E402

from tiktok._cli.reference import commands_reference  # noqa: E402
from tiktok.resources._declare import Call, Paging, calls  # noqa: E402


def _model(kind: object) -> str:
    name = getattr(kind, "__name__", str(kind))
    home = "tiktok" if name in tiktok.__all__ else "tiktok.models"
    return f":class:`~{home}.{name}`" if isinstance(kind, type) and kind is not bool else f"``{name}``"


def _returns(call: Call) -> str:
    returned = typing.get_type_hints(call.function)["return"]
    args = typing.get_args(returned)
    if call.paging is not Paging.ONE:
        return f"{call.paging.value} of {_model(args[0])}"
    if typing.get_origin(returned) is list:
        return f"list of {_model(args[0])}"
    return _model(returned)


def _signature(call: Call) -> str:
    names = [param.name if param.required else f"{param.name}=" for param in call.params]
    return f"``client.{call.qualname}({', '.join(names)})``"


def calls_table() -> list[str]:
    """A list-table of every declared call: how to call it, what it sends and returns."""
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 30 24 22 24",
        "",
        "   * - call",
        "     - sends",
        "     - returns",
        "     - command line",
    ]
    for call in calls():
        endpoint = call.endpoint
        command = call.command
        if command is not None and " " not in command:
            command = f"{call.namespace} {command}"
        shown = f"``tiktok {command}``" if command is not None else ""
        login = " (needs login)" if call.login else ""
        lines += [
            f"   * - {_signature(call)}",
            "",
            f"       {call.help}",
            f"     - ``{endpoint.method} {endpoint.path}``",
            f"     - {_returns(call)}",
            f"     - {shown}{login}",
        ]
    return lines


class CallsTable(SphinxDirective):
    """``.. tiktok-calls::``: the table of every declared call."""

    def run(self) -> list[nodes.Node]:
        container = nodes.container()
        self.state.nested_parse(StringList(calls_table(), "declarations"), 0, container)
        return list(container.children)


class CommandsReference(SphinxDirective):
    """``.. tiktok-commands::``: every command of the command line, from its parser."""

    def run(self) -> list[nodes.Node]:
        container = nodes.container()
        lines = StringList(commands_reference(), "tiktok._cli.reference")
        self.state.nested_parse(lines, 0, container)
        return list(container.children)


def setup(app: Sphinx) -> dict[str, bool]:
    app.add_directive("tiktok-calls", CallsTable)
    app.add_directive("tiktok-commands", CommandsReference)
    return {"parallel_read_safe": True}
