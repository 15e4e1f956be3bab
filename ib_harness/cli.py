"""The ib-harness command: one entry point, one subcommand per job.

Subcommands are small modules that register themselves here. The core install runs the gateway,
the scenario commands and record; ``api`` and ``load`` need an extra, and without it they still
show in ``--help`` and say which extra to install (exit 2) instead of failing on an import.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from types import ModuleType
from typing import Any, Callable

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway import cli as gateway_cli
from ib_harness.fake_gateway.record import cli as record_cli
from ib_harness.scenarios import cli as scenario_cli
from ib_harness.scenarios import smoke

MISSING_EXTRA = 2

# The third-party modules each extra brings; a ModuleNotFoundError for any other module is a bug, not a missing extra.
EXTRA_MODULES: dict[str, frozenset[str]] = {
    "api": frozenset({"fastapi", "starlette", "uvicorn", "httptools", "prometheus_client"}),
    "load": frozenset({"locust", "gevent", "httpx", "pandas", "fastapi", "starlette", "uvicorn", "httptools"}),
}

class Formatter(argparse.ArgumentDefaultsHelpFormatter):
    """Every option shows its default, once: not when the help already names it, nor an unset (None) one."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if "default" in text.lower() or action.default is None or action.default is False \
                or action.default == argparse.SUPPRESS:
            return text
        return super()._get_help_string(action)


class HarnessParser(argparse.ArgumentParser):
    """An ArgumentParser whose help (and its subcommands' help) shows defaults."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)


def missing_extra(exc: ModuleNotFoundError, extra: str) -> str | None:
    """The missing top-level module when ``exc`` is one of ``extra``'s dependencies, else None."""
    name = (exc.name or "").split(".")[0]
    return name if name in EXTRA_MODULES[extra] else None


def install_hint(command: str, extra: str, module: str) -> str:
    return (f"ib-harness {command} needs the [{extra}] extra (missing module {module!r}): "
            f"pip install 'ib-harness[{extra}]'")


def optional_command(commands: Any, name: str, extra: str, module: str, help_text: str,
                     register: Callable[[ModuleType, argparse.ArgumentParser], Any]) -> None:
    """Register ``name`` from ``module`` if its extra is installed; else a stand-in that explains."""
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        absent = missing_extra(exc, extra)
        if absent is None:
            raise
        hint = install_hint(name, extra, absent)
        parser = commands.add_parser(name, help=f"{help_text} (needs [{extra}])", description=hint)
        parser.add_argument("args", nargs=argparse.REMAINDER, help="the command's options (install the extra first)")
        parser.set_defaults(run=lambda args: _explain(hint))
        return
    register(loaded, commands.add_parser(name, help=help_text, description=help_text))


def _explain(hint: str) -> int:
    print(hint, file=sys.stderr)
    return MISSING_EXTRA


def build_parser() -> argparse.ArgumentParser:
    parser = HarnessParser(prog="ib-harness", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help_text, description=help_text)

    gateway_cli.add_arguments(add("gateway", "run the fake IB Gateway until SIGINT/SIGTERM"))
    smoke.add_arguments(add("smoke", "connect real ib_insync to an in-process gateway and report"))
    scenario_cli.add_commands(commands)
    optional_command(commands, "api", "api", "ib_harness.broker.api.cli",
                     "serve the broker over HTTP (in-process fake gateway by default)",
                     lambda module, sub: module.add_arguments(sub, local_gateway=FakeGateway))
    optional_command(commands, "load", "load", "ib_harness.load.cli",
                     "Locust load run against the local stack or --target",
                     lambda module, sub: module.add_arguments(sub))
    record_cli.add_arguments(add("record", "proxy a client to a gateway and save every frame as JSON"))
    return parser


def _subcommand_parser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices[name]  # type: ignore[no-any-return]
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        code = _run(argv)
        sys.stdout.flush()  # inside the try: a reader gone at the final flush is the same case
        return code
    except BrokenPipeError:  # the reader went away (`ib-harness validate | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit flush cannot fail again
        return 1


def _run(argv: list[str] | None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # said by the subcommand's parser, so the usage shown is the one that applies
        _subcommand_parser(parser, args.command).error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        return int(args.run(args) or 0)
    except ModuleNotFoundError as exc:  # an option that needs an extra (e.g. --control-port needs [api])
        for extra in EXTRA_MODULES:
            absent = missing_extra(exc, extra)
            if absent is not None:
                print(install_hint(args.command, extra, absent), file=sys.stderr)
                return MISSING_EXTRA
        raise


if __name__ == "__main__":
    sys.exit(main())
