"""Standalone gateway: listen until SIGINT/SIGTERM so any TWS client, in any language, can use it."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from pydantic import ValidationError

from .config import GatewayConfig
from .server import FakeGateway


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    parser.add_argument("--port", type=int, default=4002, help="port to bind; 0 picks a free one (default 4002)")
    parser.add_argument("--max-version", type=int, default=176, help="highest server version to negotiate (157..200)")
    parser.add_argument("--min-version", type=int, default=157, help="lowest server version accepted")
    parser.add_argument("--max-clients", type=int, default=32, help="concurrent API clients allowed (TWS: 32)")
    parser.add_argument("--trusted-ips", default=None,
                        help="comma-separated IPs or networks allowed to connect; others are dropped")
    parser.add_argument("--catalog", default=None, help="contract catalog YAML (default: built-in)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the market model")
    parser.add_argument("--log-level", default="INFO", help="logging level")
    parser.set_defaults(run=run)
    return parser


def config_from_args(args: argparse.Namespace) -> GatewayConfig:
    return GatewayConfig(
        host=args.host, port=args.port, max_version=args.max_version, min_version=args.min_version,
        max_clients=args.max_clients,
        trusted_ips=[ip.strip() for ip in args.trusted_ips.split(",")] if args.trusted_ips else None,
        catalog=args.catalog, seed=args.seed,
    )


async def serve(config: GatewayConfig) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with FakeGateway(config) as gateway:
        print(f"fake gateway listening on {gateway.host}:{gateway.port}", flush=True)
        await stop.wait()
        logging.getLogger("fake_gateway").info("shutting down: %d session(s) open", len(gateway.sessions))
    print("fake gateway stopped", flush=True)


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = config_from_args(args)
    except ValidationError as exc:
        print(f"invalid gateway settings:\n{exc}", file=sys.stderr)
        return 2
    asyncio.run(serve(config))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = add_arguments(argparse.ArgumentParser(prog="python -m fake_gateway", description=__doc__))
    args = parser.parse_args(argv)
    return run(args)
