"""A bystander's round trips while other connections abuse the gateway (issue 25 item 8).

The gateway runs in its own process (so its memory can be read from /proc and the abusers do
not share its interpreter); the abusers run in another process; the bystander, a well-behaved
client, measures reqCurrentTime round trips in this one. Each abuse runs for ``--seconds``:

* quiet: nothing else connected;
* squatters: 30 connections that send only ``AP`` (also: how many still hold a slot after the
  handshake time limit, 10 s by default);
* unfinished: 32 connections that each declare a 16 MiB frame (0xFFFFFF bytes, the clients' own
  cap) and send all of it but 1 KiB;
* tiny fields: 10 connections sending 1 MiB frames of empty fields, one after another;
* flood: 5 connections sending reqCurrentTime in batches of 1,000 as fast as the gateway takes
  them, far above the rate limit (with the default settings, and with
  ``disconnect_on_message_rate``; the tiny fields abuse too).

``--code DIR`` runs the gateway from another checkout (e.g. the revision before the fix) for a
side-by-side table; the two take turns for each abuse so both meet the same machine load, and
quiet is measured again at the end to show how noisy the machine was. ``--only ABUSE`` (repeatable)
runs a few rows; ``--out BENCHMARKS.md`` replaces the section "Gateway under abuse".

    python -m benchmarks.abuse --out BENCHMARKS.md [--code /tmp/base --code-label before]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import select
import socket
import struct
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from ib_harness.fake_gateway.wire.framing import API_PREFIX, FrameParser, split_fields
from ib_harness.fake_gateway.wire.spec import frame_fields, frame_payload

from .sections import update_file

PACE = 1 / 40  # the bystander's round trips per second stay under the gateway's message rate (50/s)
SERVER = """
import asyncio, json, os, sys
from ib_harness.fake_gateway import FakeGateway
async def main():
    async with FakeGateway(market_ticker=False, **json.loads(os.environ.get("ABUSE_GATEWAY", "{}"))) as gw:
        print(gw.port, flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
asyncio.run(main())
"""


class Client:
    """A blocking TWS client: handshake, startApi, reqCurrentTime round trips."""

    def __init__(self, port: int, client_id: int | None = None, timeout: float = 10.0) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.parser = FrameParser()
        self.frames: list[list[str]] = []
        if client_id is not None:
            self.sock.sendall(API_PREFIX + frame_payload(b"v157..176"))
            self.read()
            self.sock.sendall(frame_fields(["71", "2", str(client_id), ""]))
            self.read_until("9")

    def read(self) -> list[str]:
        while not self.frames:
            data = self.sock.recv(1 << 16)
            if not data:
                raise EOFError("closed")
            self.frames.extend(split_fields(p) for p in self.parser.feed(data))
        return self.frames.pop(0)

    def read_until(self, msg_id: str) -> None:
        while self.read()[0] != msg_id:
            pass

    def round_trip(self) -> float:
        started = time.perf_counter()
        self.sock.sendall(frame_fields(["49", "1"]))
        self.read_until("49")
        return time.perf_counter() - started


# ----- abusers (run in a child process until killed) -----------------------------------------


def _squatters(port: int) -> None:
    held = []
    for _ in range(30):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"AP")
        held.append(sock)
    time.sleep(3600)


def _unfinished(port: int) -> None:
    held = []
    chunk = b"x" * (1 << 20)
    for n in range(32):
        try:
            client = Client(port, 100 + n)
            client.sock.sendall(struct.pack(">I", 0xFFFFFF) + b"49\0")  # the largest frame a client may receive
            for _ in range(15):
                client.sock.sendall(chunk)
            client.sock.sendall(chunk[: (1 << 20) - 1024 - 4])
            held.append(client)
        except OSError:
            continue  # refused or closed: the gateway bounded it
    time.sleep(3600)


def _tiny_fields_worker(port: int, client_id: int) -> None:
    frame = frame_fields(["49", "1"] + [""] * ((1 << 20) - 16))
    while True:
        try:
            client = Client(port, client_id)
            client.sock.settimeout(None)
            while True:
                client.sock.sendall(frame)
                client.sock.recv(1 << 16)
        except OSError:
            time.sleep(0.01)
        except EOFError:
            time.sleep(0.01)


def _flood_worker(port: int, client_id: int) -> None:
    """Send batches of 1,000 reqCurrentTime as fast as the gateway takes them, reading whatever
    comes back; a partial send is finished before the next batch (the stream stays well-formed)."""
    batch = b"".join(frame_fields(["49", "1"]) for _ in range(1000))
    client = Client(port, client_id)
    sock = client.sock
    sock.setblocking(False)
    pending = memoryview(batch)
    while True:
        readable, writable, _ = select.select([sock], [sock], [], 1.0)
        try:
            if readable and not sock.recv(1 << 20):
                return  # closed by the gateway
            if writable:
                sent = sock.send(pending)
                pending = pending[sent:] if sent < len(pending) else memoryview(batch)
        except BlockingIOError:
            continue
        except OSError:
            return


def _threads(target: Callable[[int, int], None], port: int, count: int, first_id: int) -> None:
    import threading
    for n in range(count):
        threading.Thread(target=target, args=(port, first_id + n), daemon=True).start()
    time.sleep(3600)


def _tiny_fields(port: int) -> None:
    _threads(_tiny_fields_worker, port, 10, 200)


def _flood(port: int) -> None:
    _threads(_flood_worker, port, 5, 300)


ABUSES: dict[str, Callable[[int], None] | None] = {
    "quiet": None, "squatters": _squatters, "unfinished": _unfinished, "tiny fields": _tiny_fields, "flood": _flood,
    "flood, disconnect_on_message_rate": _flood, "tiny fields, disconnect_on_message_rate": _tiny_fields,
}
# Gateway settings per abuse (the rest run with the defaults).
QUIET_AGAIN = "quiet, again at the end"
SETTINGS: dict[str, dict[str, object]] = {name: {"disconnect_on_message_rate": True}
                                          for name in ABUSES if name.endswith("disconnect_on_message_rate")}


# ----- measuring ------------------------------------------------------------------------------


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used (/proc/PID/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(codes: list[str | None], seconds: float, only: set[str] | None = None) -> list[list[dict[str, float | str]]]:
    """Rows per code, the codes taking turns for each abuse (so they meet the same machine load);
    quiet is measured first and again last (the second quiet row shows how noisy the machine was)."""
    names = [name for name in ABUSES if only is None or name == "quiet" or name in only] + [QUIET_AGAIN]
    columns: list[list[dict[str, float | str]]] = [[] for _ in codes]
    for name in names:
        for code, rows in zip(codes, columns):
            rows.append(measure_one(code, name, seconds))
    return columns


def measure_one(code: str | None, name: str, seconds: float) -> dict[str, float | str]:
    """One abuse against one gateway, in a fresh gateway process."""
    abuse = ABUSES.get(name)
    env = dict(os.environ, ABUSE_GATEWAY=json.dumps(SETTINGS.get(name, {})))
    if code:
        env["PYTHONPATH"] = code
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              env=env, text=True, cwd=code or None)  # cwd: '' comes first on sys.path
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        bystander = Client(port, 1)
        for _ in range(20):
            bystander.round_trip()  # warm up
            time.sleep(PACE)
        base_rss = rss_mb(server.pid)
        child = None
        if abuse is not None:
            child = multiprocessing.Process(target=abuse, args=(port,), daemon=True)
            child.start()
            time.sleep(1.0)  # let the abuse build up
        samples: list[float] = []
        failed = ""
        cpu_before, started = cpu_seconds(server.pid), time.perf_counter()
        deadline = started + seconds
        try:
            while time.perf_counter() < deadline:
                samples.append(bystander.round_trip())
                time.sleep(max(0.0, PACE - samples[-1]))  # under IB's 50 messages/s
        except (OSError, EOFError) as exc:
            failed = f"bystander failed: {exc!r}"
        peak_rss = rss_mb(server.pid)
        cpu_share = (cpu_seconds(server.pid) - cpu_before) / (time.perf_counter() - started)
        note = failed
        if name == "squatters":
            note = note or _slots_after_timeout(port)
        row: dict[str, float | str] = {
            "abuse": name, "round_trips": len(samples),
            "p50_ms": percentile(samples, 0.5) * 1000 if samples else float("nan"),
            "p99_ms": percentile(samples, 0.99) * 1000 if samples else float("nan"),
            "rate": len(samples) / seconds, "rss_mb": peak_rss - base_rss, "cpu": cpu_share * 100, "note": note,
        }
        if child is not None:
            child.kill()
            child.join()
        return row
    finally:
        if server.stdin is not None:
            server.stdin.close()
        server.wait(timeout=30)


def _slots_after_timeout(port: int) -> str:
    """After the default handshake time limit (10 s) plus a second: can a client connect when
    30 squatters and 1 bystander were connected and 2 more clients take the last slots?"""
    time.sleep(11.0)
    extra = []
    try:
        for n in range(2):
            extra.append(Client(port, 50 + n, timeout=3.0))
        late = Client(port, 60, timeout=3.0)
        late.round_trip()
        return "after 11 s a 34th client connects (squatters were closed)"
    except (OSError, EOFError):
        return "after 11 s no slot is free: the squatters still hold them"
    finally:
        for client in extra:
            client.sock.close()


def table(columns: list[tuple[str, list[dict[str, float | str]]]]) -> list[str]:
    quiet = {label: next(r for r in rows if r["abuse"] == "quiet") for label, rows in columns}
    head = "| abuse | " + " | ".join(f"{label} p50 | {label} p99 | {label} p99 / quiet | "
                                      f"{label} gateway RSS +MB | {label} gateway CPU" for label, _ in columns) + " |"
    lines = [head, "|" + "---|" * (1 + 5 * len(columns))]
    for name in [str(r["abuse"]) for r in columns[0][1]]:
        cells = []
        for label, rows in columns:
            row = next(r for r in rows if r["abuse"] == name)
            ratio = float(row["p99_ms"]) / float(quiet[label]["p99_ms"])
            cells.append(f"{float(row['p50_ms']):.2f} ms | {float(row['p99_ms']):.2f} ms | {ratio:.2f}x | "
                         f"{float(row['rss_mb']):.0f} | {float(row['cpu']):.0f}%")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
    label, rows = columns[0]
    missed = [str(r["abuse"]) for r in rows
              if r["abuse"] not in ("quiet", QUIET_AGAIN) and not float(r["p99_ms"]) <= 2 * float(quiet[label]["p99_ms"])]
    lines.append(f"- p99 within 2x of quiet ({label}): " + ("**met** for every abuse" if not missed else
                 f"**NOT met** for {', '.join(missed)}; met for the others"))
    for label, rows in columns:
        for row in rows:
            if row["note"]:
                lines.append(f"- {label}, {row['abuse']}: {row['note']}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="measuring time per abuse")
    parser.add_argument("--code", default=None, help="also run the gateway from this checkout (PYTHONPATH)")
    parser.add_argument("--code-label", default="before", help="the column name of --code")
    parser.add_argument("--out", default=None, help="replace the section in this markdown file")
    parser.add_argument("--only", action="append", default=None, metavar="ABUSE",
                        help=f"run this abuse besides quiet (repeatable; one of: {'; '.join(list(ABUSES)[1:])})")
    args = parser.parse_args()
    only = None
    if args.only:
        only = set(args.only)
        unknown = only - set(ABUSES)
        if unknown:
            parser.error(f"--only: unknown abuse {', '.join(sorted(unknown))}; known: {', '.join(ABUSES)}")
        if args.out:
            parser.error("--only measures part of the table: it cannot replace the section (--out)")
    labels: list[str] = ["this revision"]
    codes: list[str | None] = [None]
    if args.code:
        labels.append(args.code_label)
        codes.append(args.code)
    load_before = os.getloadavg()[0]
    columns = list(zip(labels, measure(codes, args.seconds, only)))
    load_after = os.getloadavg()[0]
    revision = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    if args.code:
        code_revision = subprocess.run(["git", "-C", args.code, "rev-parse", "--short", "HEAD"],
                                       capture_output=True, text=True).stdout.strip() or "?"
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    command = "python -m benchmarks.abuse --out BENCHMARKS.md" + (f" --code {args.code} --code-label {args.code_label}"
                                                                  if args.code else "")
    lines = [
        "## Gateway under abuse", "",
        f"Command: `{command}`. Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores "
        f"(shared with other jobs; load average {load_before:.2f} at the start, {load_after:.2f} at the end), "
        f"Python {platform.python_version()}. Date: {when}, revision {revision}"
        + (f" ({args.code_label}: {code_revision})." if args.code else "."),
        "",
        f"A bystander's reqCurrentTime round trips (40 per second, under the 50/s message rate) for "
        f"{args.seconds:g} s while other connections abuse the gateway (gateway, abusers and bystander in "
        "three processes; the columns take turns for each abuse). Goal: p99 within 2x of quiet (the first "
        "quiet row). RSS: the gateway's growth during the abuse; CPU: the gateway process's share of one core.", "",
        *table(columns),
    ]
    print("\n".join(lines))
    if args.out:
        update_file(Path(args.out), lines)


if __name__ == "__main__":
    main()
