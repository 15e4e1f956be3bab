"""Standalone gateway: listen until SIGINT/SIGTERM so any TWS client, in any language, can use it."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import logging
import signal
import sys

from pydantic import ValidationError

from ib_harness.listen_args import host_address, ip_list
from ib_harness.secret_source import SecretError, read_secret

from .config import ConfigError, GatewayConfig
from .server import FakeGateway


def port_number(text: str) -> int:
    """A TCP port (0 picks a free one); argparse names the option when this raises."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is outside 0..65535")
    return port


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--config", default=None,
                        help="YAML file of gateway settings (any GatewayConfig field); flags below override it "
                             "(default: none, built-in settings)")
    parser.add_argument("--host", type=host_address, default=None,
                        help="address to bind (default: 127.0.0.1, loopback only)")
    parser.add_argument("--port", type=int, default=None, help="port to bind; 0 picks a free one (default 4002)")
    parser.add_argument("--max-version", type=int, default=None, help="highest server version to negotiate (157..200; default 176)")
    parser.add_argument("--min-version", type=int, default=None, help="lowest server version accepted (default 157)")
    parser.add_argument("--max-clients", type=int, default=None, help="concurrent API clients allowed (default 32, as TWS)")
    parser.add_argument("--trusted-ips", type=ip_list, default=None,
                        help="comma-separated IPs or networks allowed to connect; others are dropped "
                             "(default: any peer; the gateway binds loopback)")
    parser.add_argument("--catalog", default=None, help="contract catalog YAML (default: built-in)")
    parser.add_argument("--seed", type=int, default=None, help="seed of the market model (default 0)")
    parser.add_argument("--market-hours", choices=("exchange", "always_open"), default=None,
                        help="when orders may execute: each instrument's trading session, as at IB, or at any hour "
                             "(default exchange, unless the --config file says otherwise)")
    parser.add_argument("--control-port", type=port_number, default=None,
                        help="serve the HTTP control API (faults, sessions, market, events) on this port; 0 picks one "
                             "(default: no control API; needs the [api] extra)")
    parser.add_argument("--control-host", type=host_address, default="127.0.0.1",
                        help="address of the control API (default: loopback only)")
    parser.add_argument("--control-token-file", default=None,
                        help="file whose first line is the control API's bearer token (default: $IB_CONTROL_TOKEN; "
                             "required with a non-loopback --control-host)")
    parser.add_argument("--log-level", default="INFO", help="logging level")
    parser.set_defaults(run=run)
    return parser


STANDALONE_PORT = 4002  # IB Gateway's paper-trading port
CONTROL_TOKEN_ENV = "IB_CONTROL_TOKEN"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def control_token(args: argparse.Namespace) -> str | None:
    """The control API's token (file, else environment); refused: a reachable API without one."""
    token = read_secret(CONTROL_TOKEN_ENV, args.control_token_file)
    if args.control_port is not None and token is None and not is_loopback(args.control_host):
        raise SecretError(f"--control-host {args.control_host} makes the control API (restart, faults) reachable "
                          f"from the network; set ${CONTROL_TOKEN_ENV} or --control-token-file, or keep it on "
                          "127.0.0.1")
    return token


def config_from_args(args: argparse.Namespace) -> GatewayConfig:
    """The YAML file (if any), then every flag that was given on top of it."""
    base = GatewayConfig.from_yaml(args.config) if args.config else GatewayConfig(port=STANDALONE_PORT)
    flags = {
        "host": args.host, "port": args.port, "max_version": args.max_version, "min_version": args.min_version,
        "max_clients": args.max_clients, "catalog": args.catalog, "seed": args.seed,
        "trusted_ips": args.trusted_ips, "market_hours": args.market_hours,
    }
    if "market_hours" not in base.model_fields_set:  # a standalone gateway keeps IB's hours
        flags["market_hours"] = flags["market_hours"] or "exchange"
    given = {key: value for key, value in flags.items() if value is not None}
    return GatewayConfig.model_validate({**base.model_dump(), **given})


async def serve(config: GatewayConfig, control_host: str = "127.0.0.1", control_port: int | None = None,
                token: str | None = None) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with FakeGateway(config) as gateway, contextlib.AsyncExitStack() as stack:
        print(f"fake gateway listening on {gateway.host}:{gateway.port}", flush=True)
        if control_port is not None:
            from .control import ControlServer  # FastAPI is loaded only when the API is asked for

            control = await stack.enter_async_context(ControlServer(gateway, control_host, control_port, token))
            print(f"control api listening on {control.host}:{control.port}", flush=True)
        await stop.wait()
        logging.getLogger("ib_harness.fake_gateway").info("shutting down: %d session(s) open", len(gateway.sessions))
    print("fake gateway stopped", flush=True)


def _settings_problems(exc: ValidationError, args: argparse.Namespace) -> list[str]:
    """One line per problem, named as the user gave it: ``--port: <problem>, got 99999``."""
    lines = []
    for error in exc.errors():
        key = ".".join(str(part) for part in error["loc"])
        name = f"--{key.replace('_', '-')}" if getattr(args, key, None) is not None else key
        lines.append(f"{name}: {error['msg'].removeprefix('Value error, ')}, got {error['input']!r}")
    return lines


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = config_from_args(args)
        token = control_token(args)
    except ValidationError as exc:
        print("invalid gateway settings:\n" + "\n".join(_settings_problems(exc, args)), file=sys.stderr)
        return 2
    except (ConfigError, OSError, SecretError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    try:
        asyncio.run(serve(config, args.control_host, args.control_port, token))
    except OSError as exc:  # a port in use, an address that is not ours
        print(f"cannot listen: {exc}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = add_arguments(argparse.ArgumentParser(prog="python -m ib_harness.fake_gateway", description=__doc__))
    args = parser.parse_args(argv)
    return run(args)
