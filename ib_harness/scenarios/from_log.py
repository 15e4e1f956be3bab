"""Turn a production log into a draft scenario that tests something (``ib-harness scenario from-log``).

:mod:`.from_log_read` reads the log (the clients' own format, or ``--pattern``) into timed events;
:mod:`.from_log_draft` turns them into faults with IB's real side effects, client calls and
expectations. Incidents longer than ``max_duration`` are scaled down proportionally, and the
description says by how much; the broker settings the draft is judged with go into it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .from_log_draft import build, expected_codes, incident
from .from_log_read import LogEvent, compile_pattern, read_log, text_line
from .yaml_lines import ScenarioError

__all__ = ["LogEvent", "compile_pattern", "draft_scenario", "draft_yaml", "read_log", "text_line"]


def draft_scenario(path: str | Path, max_duration: float = 30.0, name: str | None = None,
                   pattern: str | None = None, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """A scenario mapping (validated by the caller) replaying the log's incident with its side effects."""
    path = Path(path)
    events = incident(read_log(path, pattern))
    span = max(event.at for event in events)
    scale = min(1.0, max_duration / span) if span > 0 else 1.0
    draft = build(events, scale, settings or {})
    if not any("fault" in step for step in draft.steps):
        raise ScenarioError(path, None, "the log shows no incident to replay: no IB error beyond the "
                                        "connect's farm-OK notices, no disconnect, no failed connect")
    scaled = "" if scale == 1.0 else f", times scaled by {scale:.4g} to fit {max_duration:g} s"
    expect: list[dict[str, Any]] = []
    codes = expected_codes(draft)
    if codes:
        expect.append({"error_codes": {"include": codes}})
    expect += draft.expect + [{"orders": {"lost": 0, "duplicated": 0}}, {"no_leaks": True}]
    scenario: dict[str, Any] = {
        "name": name or _slug(f"from-log-{path.stem}"),
        "description": (f"Draft from the production log {path.name}: "
                        f"{sum(e.kind == 'ib_error' for e in events)} IB error line(s) and "
                        f"{sum(e.kind != 'ib_error' for e in events)} connection event(s) over {span:g} s"
                        f"{scaled}. Check the expectations against what the broker must do."),
        "seed": 0,
        "tags": ["from-log", "draft"],
        "duration": draft.end,
    }
    if settings:
        scenario["broker"] = {"settings": dict(settings)}
    scenario["steps"] = draft.steps
    scenario["expect"] = expect
    return scenario


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-") or "from-log"


def draft_yaml(scenario: dict[str, Any]) -> str:
    header = "# yaml-language-server: $schema=../scenario.schema.json\n"
    return header + yaml.safe_dump(scenario, sort_keys=False, allow_unicode=True, width=110)
