"""Turn an ib_insync / ib_async log into a draft scenario: the same IB codes at the same times.

The formats are the clients' own: ``logToFile``/``logToConsole`` write
``%(asctime)s %(name)s %(levelname)s %(message)s``, the wrapper logs
``Error 1100, reqId -1: Connectivity between IB and Trader Workstation has been lost.`` (or
``Warning 2104, ...`` for 2100-2199 and a few other codes), and the client logs
``Peer closed connection.`` when the gateway drops the socket, ``Disconnected.`` after its own
``Disconnecting``, and ``API connection failed: ConnectionRefusedError(...)`` when nobody listens.

Each IB code becomes an ``ib_error`` fault at the same relative time (the broker sees exactly the
code and text it saw in production); a peer close becomes a ``crash``, refused connects a ``down``
window until the next ``API connection ready``. Incidents longer than ``max_duration`` are scaled
down proportionally, and the description says by how much.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from .yaml_lines import ScenarioError

LINE = re.compile(r"^(?P<ts>\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?)\s+(?P<logger>\S+)\s+"
                  r"(?P<level>[A-Z]+)\s+(?P<message>.*)$")
IB_ERROR = re.compile(r"^(?:Error|Warning) (?P<code>-?\d+), reqId (?P<req_id>-?\d+): (?P<text>.*?)"
                      r"(?:, contract: .*)?$")
PEER_CLOSED = "Peer closed connection"
REFUSED = re.compile(r"API connection failed: (?:ConnectionRefusedError|OSError\(.*[Cc]onnect call failed)")
CONNECTED = "API connection ready"
CLIENT_LOGGERS = ("ib_insync", "ib_async")


@dataclass(frozen=True)
class LogEvent:
    line: int
    at: float  # seconds since the log's first recognised line
    kind: str  # ib_error | peer_closed | refused | connected
    data: dict[str, Any]


def read_log(path: str | Path) -> list[LogEvent]:
    """The IB errors and connection events in a client log; ScenarioError if it cannot be read."""
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
        match = LINE.match(raw.strip())
        if match is None or not match["logger"].startswith(CLIENT_LOGGERS):
            continue
        client_lines += 1
        when = _timestamp(match["ts"], path, number)
        first = first or when
        at = (when - first).total_seconds()
        if at < previous:
            raise ScenarioError(path, number, f"time goes backwards ({match['ts']} is before the line above)")
        previous = at
        event = _classify(match["message"], number, at)
        if event is not None:
            events.append(event)
    if client_lines == 0:
        raise ScenarioError(path, None, "cannot read the log: no ib_insync or ib_async log lines "
                                        "('<date> <time> ib_insync.<module> <LEVEL> <message>')")
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
                                               "text": error["text"]})
    if message.startswith(PEER_CLOSED):
        return LogEvent(line, at, "peer_closed", {})
    if REFUSED.match(message):
        return LogEvent(line, at, "refused", {})
    if message.startswith(CONNECTED):
        return LogEvent(line, at, "connected", {})
    return None


def draft_scenario(path: str | Path, max_duration: float = 30.0, name: str | None = None) -> dict[str, Any]:
    """A scenario mapping (validated by the caller) replaying the log's codes at its times."""
    path = Path(path)
    events = read_log(path)
    span = max(event.at for event in events)
    scale = min(1.0, max_duration / span) if span > 0 else 1.0
    lead = 1.0  # the broker is ready before the first fault
    steps: list[dict[str, Any]] = []
    codes: list[int] = []
    down_since: float | None = None
    for index, event in enumerate(events, 1):
        at = round(lead + event.at * scale, 3)
        if event.kind == "ib_error":
            code = event.data["code"]
            codes.append(code)
            steps.append({"id": f"line{event.line}-{code}", "at": at,
                          "fault": {"kind": "ib_error", "code": code, "text": event.data["text"],
                                    "req_id": event.data["req_id"]}})
        elif event.kind == "peer_closed":
            steps.append({"id": f"line{event.line}-peer-closed", "at": at, "fault": {"kind": "crash"}})
        elif event.kind == "refused" and down_since is None:
            down_since = at
            steps.append({"id": f"line{event.line}-refused", "at": at, "fault": {"kind": "down"}})
        elif event.kind == "connected" and down_since is not None:
            steps[_last_down(steps)]["fault"]["duration"] = round(max(at - down_since, 0.1), 3)
            down_since = None
    end = round(lead + span * scale + 2.0, 3)
    if down_since is not None:
        steps[_last_down(steps)]["fault"]["duration"] = round(max(end - 1.0 - down_since, 0.1), 3)
    scaled = "" if scale == 1.0 else f", times scaled by {scale:.4g} to fit {max_duration:g} s"
    expect: list[dict[str, Any]] = [{"orders": {"lost": 0, "duplicated": 0}}, {"no_leaks": True}]
    if codes:
        expect.insert(0, {"error_codes": {"include": sorted(set(codes))}})
    return {
        "name": name or _slug(f"from-log-{path.stem}"),
        "description": (f"Draft from the production log {path.name}: {len(codes)} IB error line(s) and "
                        f"{sum(e.kind != 'ib_error' for e in events)} connection event(s) over {span:g} s"
                        f"{scaled}. Edit the expectations to what the broker must do."),
        "seed": 0,
        "tags": ["from-log", "draft"],
        "duration": end,
        "steps": steps,
        "expect": expect,
    }


def _last_down(steps: list[dict[str, Any]]) -> int:
    return max(i for i, step in enumerate(steps) if step["fault"]["kind"] == "down")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-") or "from-log"


def draft_yaml(scenario: dict[str, Any]) -> str:
    header = "# yaml-language-server: $schema=../scenario.schema.json\n"
    return header + yaml.safe_dump(scenario, sort_keys=False, allow_unicode=True, width=110)
