"""The published JSON Schema is the models' schema, and the checked-in copy is up to date."""

from __future__ import annotations

import json

from pathlib import Path

import jsonschema
import pytest

from ib_harness.scenarios.loader import LIBRARY
from ib_harness.scenarios.schema import SCHEMA_PATH, schema_text
from ib_harness.scenarios.yaml_lines import load_yaml_with_lines


def test_checked_in_schema_is_up_to_date() -> None:
    assert SCHEMA_PATH.read_text() == schema_text(), "run `ib-harness schema --out ib_harness/scenarios/scenario.schema.json` and commit"


def test_schema_forbids_unknown_keys_and_lists_step_actions() -> None:
    schema = json.loads(schema_text())
    assert schema["additionalProperties"] is False
    step = schema["$defs"]["Step"]
    assert step["additionalProperties"] is False
    assert {"at", "on", "fault", "stop_fault", "place_order", "market", "restart"} <= set(step["properties"])
    assert set(schema["required"]) == {"name", "description", "duration", "expect"}


def test_fault_kinds_and_their_parameters_come_from_the_gateway() -> None:
    schema = json.loads(schema_text())
    fault = schema["$defs"]["Step"]["properties"]["fault"]
    choices = fault["anyOf"][0]["oneOf"]
    kinds = {schema["$defs"][c["$ref"].rsplit("/", 1)[1]]["properties"]["kind"]["const"] for c in choices}
    assert {"stall", "crash", "nightly_reset", "connectivity_lost", "drop_message", "latency"} <= kinds
    stall = schema["$defs"]["StallSpec"]
    assert stall["additionalProperties"] is False and "release" in stall["properties"]


@pytest.mark.parametrize("path", sorted(LIBRARY.glob("*.yaml")), ids=lambda p: p.stem)
def test_library_files_validate_against_the_published_schema(path: Path) -> None:
    validator = jsonschema.Draft202012Validator(json.loads(schema_text()))
    data, _ = load_yaml_with_lines(path.read_text(), path)   # keys as names: `on:` is not True
    assert [e.message for e in validator.iter_errors(data)] == []


def test_the_schema_rejects_a_typo() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(schema_text()))
    bad = {"name": "x", "description": "long enough description here", "duration": 1, "expect": [{"no_leaks": True}],
           "steps": [{"id": "s", "at": 0.1, "fault": {"kind": "stall", "relase": "drop"}}]}
    assert list(validator.iter_errors(bad))
