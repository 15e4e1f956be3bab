"""The published JSON Schema of scenario files, so editors complete and check them.

``ib-harness schema`` writes it; the checked-in copy (scenarios/scenario.schema.json) is tested
to be up to date. YAML files point at it with a ``# yaml-language-server: $schema=...`` line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .model import Scenario

SCHEMA_PATH = Path(__file__).parent / "scenario.schema.json"


def scenario_schema() -> dict[str, Any]:
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://ib-harness.local/scenario.schema.json"
    return schema


def schema_text() -> str:
    return json.dumps(scenario_schema(), indent=2, sort_keys=True) + "\n"


def write_schema(path: Path = SCHEMA_PATH) -> Path:
    path.write_text(schema_text())
    return path
