"""The command reference of docs/cli.rst is generated from the parser: every command is in it."""

from __future__ import annotations

import re
from typing import Dict, List

import pytest

from tiktok._cli.commands import command_of
from tiktok._cli.main import Parser
from tiktok._cli.reference import SHARED, commands_reference
from tiktok.resources._declare import Paging, Shape, calls

RUBRIC = ".. rubric:: "


def blocks(lines: List[str]) -> Dict[str, str]:
    """Each command of the reference (``tiktok users get``) and its help text."""
    found: Dict[str, str] = {}
    name = ""
    for line in lines:
        if line.startswith(RUBRIC):
            name = line[len(RUBRIC) :].strip("`")
            assert name not in found, f"{name} twice"
            found[name] = ""
        elif name:
            found[name] += line + "\n"
    return found


@pytest.fixture(scope="module")
def reference() -> Dict[str, str]:
    return blocks(commands_reference())


def test_every_declared_call_is_a_command_of_the_reference_with_its_arguments(
    reference: Dict[str, str],
) -> None:
    declared = [call for call in calls() if call.command is not None]
    assert declared
    for call in declared:
        command = command_of(call)
        help = reference[f"tiktok {command.group} {command.name}"]
        assert call.help in " ".join(help.split())
        for param in call.params:
            if param.shape is Shape.TAGS:
                continue  # a comment's mentions are not on the command line
            flag = param.name if param.required else "--" + param.name.replace("_", "-")
            if param.required and param.shape is Shape.CHOICE:  # argparse shows its words
                flag = re.escape("{" + ",".join(sorted(word for word, _ in param.choices)) + "}")
            assert re.search(rf"\n     {flag}[ \n]", help), f"{call.qualname}: no {flag}"
            assert param.help in " ".join(help.split()), f"{call.qualname}: no help of {flag}"
        if call.paging is not Paging.ONE:
            assert "\n     --limit N " in help


@pytest.mark.parametrize(
    "command, option",
    [
        ("tiktok demo", "--seed"),
        ("tiktok sandbox", "--session-ttl"),
        ("tiktok login", "--email"),
        ("tiktok download", "--list-formats"),
        ("tiktok captions", "--lang"),
        ("tiktok doctor", "--json"),
        ("tiktok device register", "--app"),
        ("tiktok crawl run", "--rate"),
        ("tiktok crawl export", "--format"),
        ("tiktok links resolve", "url"),
        ("tiktok live status", "--room"),
        ("tiktok live record", "--max-seconds"),
    ],
)
def test_the_commands_that_are_not_declared_calls_are_there_too(
    reference: Dict[str, str], command: str, option: str
) -> None:
    assert f"\n     {option}" in reference[command]


def test_a_command_added_to_a_parser_shows_up_with_its_options() -> None:
    parser = Parser(prog="tool")
    groups = parser.add_subparsers(title="commands")
    group = groups.add_parser("things", help="things to do").add_subparsers(title="actions")
    frob = group.add_parser("frob", help="frob a thing", description="Frob a thing, gently.")
    frob.add_argument("thing", help="the thing to frob")
    frob.add_argument("--level", type=int, default=1, help="how hard (default 1)")

    reference = blocks(commands_reference(parser))

    assert list(reference) == ["tool", "tool things", "tool things frob"]
    assert "frob a thing" in reference["tool things"]
    help = reference["tool things frob"]
    assert "Frob a thing, gently." in help
    assert re.search(r"\n     thing +the thing to frob\n", help)
    assert re.search(r"\n     --level LEVEL +how hard \(default 1\)\n", help)


def test_connection_options_are_shown_once_with_tiktok_itself(
    reference: Dict[str, str],
) -> None:
    with_them = [name for name, help in reference.items() if f"\n   {SHARED}" in help]
    assert with_them == ["tiktok"]
    assert "--base-url URL" in reference["tiktok users get"]  # its usage line still names them


def test_the_reference_does_not_depend_on_the_terminal_building_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    narrow = commands_reference()
    monkeypatch.setenv("COLUMNS", "250")
    assert commands_reference() == narrow
