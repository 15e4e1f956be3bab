"""The published JSON Schema of scenario files, so editors complete and check them.

``ib-harness schema`` prints it (``--out FILE`` writes it); the checked-in copy (scenarios/scenario.schema.json) is tested
to be up to date. YAML files point at it with a ``# yaml-language-server: $schema=...`` line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from ib_harness.fake_gateway.faults import KINDS

from .model import Scenario

SCHEMA_PATH = Path(__file__).parent / "scenario.schema.json"


def scenario_schema() -> dict[str, Any]:
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://ib-harness.local/scenario.schema.json"
    _inline_fault_kinds(schema)
    return schema


def _inline_fault_kinds(schema: dict[str, Any]) -> None:
    """A step's ``fault`` is one of the gateway's fault models (chosen by ``kind``), so an editor
    completes kinds and parameters from the gateway's own registry."""
    models = [KINDS[kind][0] for kind in sorted(KINDS)]
    refs, fault_defs = models_json_schema([(model, "validation") for model in models],
                                          ref_template="#/$defs/{model}")
    schema["$defs"].update(fault_defs.get("$defs", {}))
    choices = [refs[(model, "validation")] for model in models]
    schema["$defs"]["Step"]["properties"]["fault"] = {
        "anyOf": [{"oneOf": choices}, {"type": "null"}], "default": None,
        "description": "a gateway fault spec: {kind: ..., params} (kinds: " + ", ".join(sorted(KINDS)) + ")"}


def schema_text() -> str:
    return json.dumps(scenario_schema(), indent=2, sort_keys=True) + "\n"


def write_schema(path: Path) -> Path:
    path.write_text(schema_text())
    return path
