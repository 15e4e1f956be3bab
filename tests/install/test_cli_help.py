"""Every option of every ib-harness command has help, and its help shows the default."""

from __future__ import annotations

import argparse
from typing import Iterator

from ib_harness.cli import build_parser


def parsers(parser: argparse.ArgumentParser, path: str = "ib-harness") -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from parsers(sub, f"{path} {name}")


def test_every_argument_has_help() -> None:
    missing = [f"{path}: {action.option_strings or action.dest}"
               for path, parser in parsers(build_parser()) for action in parser._actions
               if not isinstance(action, argparse._SubParsersAction) and not (action.help or "").strip()]
    assert missing == []


def test_every_default_shows_in_the_help() -> None:
    """A set default is printed (the formatter adds it, or the text names it); an unset one says what happens."""
    hidden = []
    for path, parser in parsers(build_parser()):
        wide = parser.formatter_class(prog=parser.prog, width=10_000)  # no wrapping: compare whole texts
        wide.add_arguments(parser._actions)
        text = " ".join(wide.format_help().split())
        for action in parser._actions:
            if (isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)) or action.default is False
                    or action.help == argparse.SUPPRESS):  # hidden: kept only to refuse it with a message
                continue
            help_text = " ".join(parser._get_formatter()._expand_help(action).split())
            if action.default is None and action.required:
                continue
            if "default" not in help_text.lower():
                hidden.append(f"{path} {action.option_strings or action.dest}: {help_text!r}")
            elif help_text not in text:
                hidden.append(f"{path} {action.option_strings or action.dest}: not printed")
    assert hidden == []


def test_scenario_commands_sit_together() -> None:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    names = list(sub.choices)
    scenario_commands = {"replay", "validate", "compare", "explore", "schema", "from-log"}
    at = [i for i, name in enumerate(names) if name in scenario_commands]
    assert {"replay", "validate", "compare", "schema", "from-log"} <= {names[i] for i in at}
    assert at == list(range(at[0], at[0] + len(at))), f"scenario commands are not side by side: {names}"
