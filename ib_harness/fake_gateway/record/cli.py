"""``ib-harness record``: proxy a client to a gateway (a paper account) and save every frame."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

from .model import Recording
from .proxy import RecordingProxy


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--upstream", required=True, type=_host_port, help="the real gateway, HOST:PORT (e.g. 127.0.0.1:4002)")
    parser.add_argument("--listen", type=int, default=0, help="port for clients on 127.0.0.1 (default: a free one, printed)")
    parser.add_argument("--out", required=True,
                        help="the recording to write (JSON, mode 0600), rewritten each second while frames "
                             "arrive and at SIGINT/SIGTERM: a kill loses at most the last second")
    parser.add_argument("--redact", action="store_true",
                        help="mask account ids (as DU0000001, ...) and money values (balances, costs, P&L) "
                             "before they are recorded")
    parser.add_argument("--log-level", default="INFO", help="logging level")
    parser.set_defaults(run=run)
    return parser


def _host_port(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return host, int(port)


def _size(recording: Recording) -> int:
    """Grows with every frame and session: whether the file needs writing again."""
    return len(recording.sessions) + sum(len(session.frames) for session in recording.sessions)


async def save_as_it_goes(recording: Recording, out: str, stop: asyncio.Event, interval: float = 1.0) -> None:
    """Rewrite ``out`` every ``interval`` seconds while it changed, then once more at the end."""
    written = -1
    while True:
        stopping = stop.is_set()
        if _size(recording) != written:
            written = _size(recording)
            recording.save(out)
        if stopping:
            return
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)


async def record(upstream: tuple[str, int], listen: int, out: str, redact: bool = False) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with RecordingProxy(*upstream, port=listen, redact=redact) as proxy:
        proxy.recording.save(out)  # the file exists (0600) from the start
        print(f"recording {proxy.host}:{proxy.port} -> {upstream[0]}:{upstream[1]} into {out}", flush=True)
        await save_as_it_goes(proxy.recording, out, stop)
    proxy.recording.save(out)
    frames = sum(len(s.frames) for s in proxy.recording.sessions)
    print(f"saved {len(proxy.recording.sessions)} session(s), {frames} frames to {out}", flush=True)
    return 0


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return asyncio.run(record(args.upstream, args.listen, args.out, args.redact))
    except OSError as exc:  # --out in a missing or unwritable folder, a --listen port in use
        print(f"record: {exc.strerror or exc} (--out {args.out}, --listen {args.listen})", file=sys.stderr)
        return 2
