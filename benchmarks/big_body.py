"""An oversized request body against ``ib-harness api``: how long until the answer, how much of the
body the server read, and how far its peak memory (VmHWM) rose.

``python -m benchmarks.big_body [--mib 120] [--out BENCHMARKS.md]``: one POST /orders of the given
size without a token, then one with the token. Before the API's guard (issue 25 item 3) such a
body was read whole before any answer; now the answer comes from the headers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import select
import socket
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.sections import update_file

TOKEN = "bench-token"


def peak_rss_mib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM"):
            return int(line.split()[1]) // 1024
    return -1


def post(host: str, port: int, size: int, token: str | None) -> tuple[str, float, int]:
    """(status line, seconds to it, bytes of the body sent until then)."""
    head = (f"POST /orders HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nIdempotency-Key: big\r\n"
            f"Content-Length: {size}\r\n" + (f"Authorization: Bearer {token}\r\n" if token else "") + "\r\n")
    chunk = b"x" * 65536
    with socket.create_connection((host, port)) as sock:
        sock.sendall(head.encode())
        sock.setblocking(False)
        started, sent = time.perf_counter(), 0
        while True:
            readable, writable, _ = select.select([sock], [sock] if sent < size else [], [], 120)
            if readable:
                status = sock.recv(4096).split(b"\r\n")[0].decode()
                return status, time.perf_counter() - started, sent
            if not writable:
                return "no answer in 120 s", time.perf_counter() - started, sent
            try:
                sent += sock.send(chunk[: min(len(chunk), size - sent)])
            except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=120, help="body size in MiB (default 120)")
    parser.add_argument("--out", default=None, help="write the '## HTTP API: oversized bodies' section here")
    args = parser.parse_args(argv)
    env = {**os.environ, "IB_API_TOKEN": TOKEN}
    api = subprocess.Popen([sys.executable, "-m", "ib_harness", "api", "--log-level", "ERROR"],
                           stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert api.stdout is not None
        url = ""
        for line in api.stdout:
            if line.startswith("api listening on "):
                url = line.split()[-1]
                break
        host, port = url.split("//")[1].rsplit(":", 1)
        rows = [f"- {args.mib} MiB POST /orders to `ib-harness api` (in-process fake gateway); "
                f"peak RSS at start {peak_rss_mib(api.pid)} MiB"]
        for label, token in (("no token", None), ("with the token", TOKEN)):
            status, seconds, sent = post(host, int(port), args.mib * 2**20, token)
            rows.append(f"- {label}: `{status}` after {seconds:.2f} s, {sent / 2**20:.1f} MiB of the body sent; "
                        f"peak RSS now {peak_rss_mib(api.pid)} MiB")
    finally:
        api.terminate()
        api.wait(30)
    lines = ["## HTTP API: oversized bodies", "",
             f"- Command: `python -m benchmarks.big_body --mib {args.mib}`; machine: {platform.machine()}, "
             f"{os.cpu_count()} cores (shared); date: {dt.date.today()}", *rows]
    print("\n".join(lines))
    if args.out:
        update_file(Path(args.out), lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
