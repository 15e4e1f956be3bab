"""Read an ib_insync / ib_async log (or any format, with ``--pattern``) into timed events.

The formats are the clients' own: ``logToFile``/``logToConsole`` write
``%(asctime)s %(name)s %(levelname)s %(message)s``, the wrapper logs
``Error 1100, reqId -1: Connectivity between IB and Trader Workstation has been lost.`` (or
``Warning 2104, ...`` for 2100-2199 and a few other codes), and the client logs
``Peer closed connection.`` when the gateway drops the socket (``clientId 7 already in use?`` when
it does so at connect: a 326), ``API connection failed: ConnectionRefusedError(...)`` when nobody
listens and ``API connection failed: TimeoutError()`` when the gateway never answers the handshake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .yaml_lines import ScenarioError

LINE = re.compile(r"^(?P<ts>\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?)\s+(?P<logger>\S+)\s+"
                  r"(?P<level>[A-Z]+)\s+(?P<message>.*)$")
IB_ERROR = re.compile(r"^(?:Error|Warning) (?P<code>-?\d+), reqId (?P<req_id>-?\d+): (?P<text>.*?)"
                      r"(?:, contract: .*)?$")
PEER_CLOSED = "Peer closed connection"
REFUSED = re.compile(r"API connection failed: (?:ConnectionRefusedError|OSError\(.*[Cc]onnect call failed)")
CONNECT_TIMEOUT = re.compile(r"API connection failed: (?:asyncio\.)?TimeoutError")
IN_USE = re.compile(r"clientId \d+ already in use\?")
CONNECTED = "API connection ready"
CLIENT_LOGGERS = ("ib_insync", "ib_async")


@dataclass(frozen=True)
class LogEvent:
    line: int
    at: float  # seconds since the log's first recognised line
    kind: str  # ib_error | peer_closed | refused | connect_timeout | connected
    data: dict[str, Any]


def compile_pattern(pattern: str | None) -> re.Pattern[str]:
    """The line pattern: the clients' own format, or a custom regex with ``ts`` and ``message`` groups."""
    if pattern is None:
        return LINE
    try:
        custom = re.compile(pattern)
    except re.error as exc:
        raise ScenarioError("--pattern", None, f"not a regular expression: {exc}") from None
    missing = {"ts", "message"} - set(custom.groupindex)
    if missing:
        raise ScenarioError("--pattern", None, f"needs the named groups (?P<ts>...) and (?P<message>...); "
                                               f"missing {sorted(missing)}")
    return custom


def read_log(path: str | Path, pattern: str | None = None) -> list[LogEvent]:
    """The IB errors and connection events in a client log; ScenarioError if it cannot be read.

    ``pattern`` reads a custom format: a regex with named groups ``ts`` (ISO 8601 time) and
    ``message`` (the client's message); with a ``logger`` group only ib_insync/ib_async lines count.
    """
    line_pattern = compile_pattern(pattern)
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(path, None, "cannot read the log: no such file") from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(path, text_line(path.read_bytes(), exc.start), "cannot read the log: not UTF-8 text") from None
    except OSError as exc:
        raise ScenarioError(path, None, f"cannot read the log: {exc.strerror or exc}") from None
    events: list[LogEvent] = []
    first: datetime | None = None
    previous = 0.0
    client_lines = 0
    for number, raw in enumerate(text.splitlines(), 1):
        match = line_pattern.match(raw.strip())
        if match is None or ("logger" in line_pattern.groupindex and match["logger"] is not None
                             and not match["logger"].startswith(CLIENT_LOGGERS)):
            continue
        client_lines += 1
        when = _timestamp(match["ts"], path, number)
        first = first or when
        at = (when - first).total_seconds()
        if at < previous:
            raise ScenarioError(path, number, f"time goes backwards ({match['ts']} is before the line above)")
        previous = at
        message = match["message"]
        if IN_USE.search(message) and events and events[-1].kind == "peer_closed":
            events[-1].data["in_use"] = True  # ib_insync's second line about the close: a 326 at connect
            if not message.startswith(PEER_CLOSED):
                continue
        event = _classify(message, number, at)
        if event is not None:
            events.append(event)
    if client_lines == 0:
        raise ScenarioError(path, None, "cannot read the log: no ib_insync or ib_async log lines "
                                        "('<date> <time> ib_insync.<module> <LEVEL> <message>'; "
                                        "other formats: --pattern)")
    if not events:
        raise ScenarioError(path, None, "the log has no IB error lines and no disconnects to replay")
    return events


def text_line(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def _timestamp(text: str, path: Path, line: int) -> datetime:
    try:
        return datetime.fromisoformat(text.replace(",", "."))
    except ValueError:
        raise ScenarioError(path, line, f"unreadable timestamp {text!r}") from None


def _classify(message: str, line: int, at: float) -> LogEvent | None:
    error = IB_ERROR.match(message)
    if error is not None:
        return LogEvent(line, at, "ib_error", {"code": int(error["code"]), "req_id": int(error["req_id"]),
                                               "text": error["text"], "message": message})
    if message.startswith(PEER_CLOSED):
        return LogEvent(line, at, "peer_closed", {"in_use": bool(IN_USE.search(message))})
    if REFUSED.match(message):
        return LogEvent(line, at, "refused", {})
    if CONNECT_TIMEOUT.match(message):
        return LogEvent(line, at, "connect_timeout", {})
    if message.startswith(CONNECTED):
        return LogEvent(line, at, "connected", {})
    return None
