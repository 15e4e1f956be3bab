"""The ``ib-harness`` command: one entry point, one subcommand per job.

Subcommands are small modules that register themselves here; later jobs (replay, validate,
api, load) add theirs the same way.
"""

from __future__ import annotations

import argparse
import sys

from ib_harness.broker.api import cli as api_cli
from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway import cli as gateway_cli
from ib_harness.load import cli as load_cli
from ib_harness.scenarios import cli as scenario_cli
from ib_harness.fake_gateway.record import cli as record_cli
from ib_harness.scenarios import smoke


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ib-harness", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    gateway_cli.add_arguments(commands.add_parser("gateway", help="run the fake IB Gateway until SIGINT/SIGTERM"))
    smoke.add_arguments(commands.add_parser("smoke", help="connect real ib_insync to an in-process gateway and report"))
    scenario_cli.add_commands(commands)
    api_cli.add_arguments(commands.add_parser("api", help="serve the broker over HTTP (in-process fake gateway by default)"),
                          local_gateway=FakeGateway)
    load_cli.add_arguments(commands.add_parser("load", help="Locust load run against the local stack or --target"))
    record_cli.add_arguments(commands.add_parser("record", help="proxy a client to a gateway and save every frame as JSON"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
