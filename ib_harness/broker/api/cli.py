"""``ib-harness api``: serve the broker over HTTP until SIGINT/SIGTERM.

By default the broker talks to an in-process fake gateway, which the caller supplies (the broker
package never imports fake_gateway); ``--gateway HOST:PORT`` points it at any TWS endpoint.
Readiness is printed as ``api listening on http://HOST:PORT`` once uvicorn accepts.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import secrets
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any, AsyncContextManager, Callable

from ..errors import JournalError
from ..ib_broker import IBKRInsyncBroker
from ..settings import BrokerSettings, BrokerSettingsError
from .app import build_api
from .server import ApiServer
from .settings import ApiSettings

LocalGateway = Callable[[], AsyncContextManager[Any]]  # entered, it has .host and .port


def endpoint(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT (e.g. 127.0.0.1:4002), got {text!r}")
    return host, int(port)


def add_arguments(parser: argparse.ArgumentParser, local_gateway: LocalGateway | None) -> argparse.ArgumentParser:
    parser.add_argument("--gateway", type=endpoint, default=None,
                        help="TWS API endpoint HOST:PORT (default: an in-process fake gateway)")
    parser.add_argument("--client-id", type=int, default=1, help="API client id of the broker (default 1)")
    parser.add_argument("--host", default=None, help="address to serve on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=None, help="port to serve on; 0 picks a free one (default 0)")
    parser.add_argument("--token", default=None,
                        help="bearer token for POST/DELETE (default: IB_API_TOKEN, else a random one, printed)")
    parser.add_argument("--broker-config", default=None, help="YAML of broker settings (any BrokerSettings field)")
    parser.add_argument("--journal", default=None,
                        help="order journal SQLite file (default: the broker's; a temporary one with the in-process gateway)")
    parser.add_argument("--log-level", default="WARNING", help="logging level")
    parser.set_defaults(run=lambda args: run(args, local_gateway))
    return parser


async def serve(args: argparse.Namespace, local_gateway: LocalGateway | None) -> None:
    api_values: dict[str, Any] = {k: v for k, v in (("host", args.host), ("token", args.token)) if v is not None}
    api_values["port"] = 0 if args.port is None else args.port
    settings = ApiSettings(**api_values)
    if settings.token is None:
        api_values["token"] = secrets.token_urlsafe(16)
        settings = ApiSettings(**api_values)
        print(f"api token (generated): {api_values['token']}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with contextlib.AsyncExitStack() as stack:
        journal = args.journal
        if journal is None and args.gateway is None:  # a fresh in-process gateway: a fresh journal too
            journal = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ib-harness-api-"))) / "journal.sqlite3"
        broker_settings = BrokerSettings.load(args.broker_config, **({"journal_path": journal} if journal else {}))
        if args.gateway is not None:
            host, port = args.gateway
        elif local_gateway is not None:
            gateway = await stack.enter_async_context(local_gateway())
            host, port = gateway.host, gateway.port
            print(f"fake gateway listening on {host}:{port}", flush=True)
        else:
            raise SystemExit("no --gateway given and no in-process gateway available")
        broker = IBKRInsyncBroker(host, port, args.client_id, settings=broker_settings)
        server = await stack.enter_async_context(ApiServer(build_api(broker, settings), settings.host, settings.port))
        print(f"api listening on {server.url}", flush=True)
        await stop.wait()
    print("api stopped", flush=True)


def run(args: argparse.Namespace, local_gateway: LocalGateway | None) -> int:
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(serve(args, local_gateway))
    except (BrokerSettingsError, JournalError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"cannot serve: {exc}", file=sys.stderr)
        return 2
    return 0
