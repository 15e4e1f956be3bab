"""The published JSON Schema is the models' schema, and the checked-in copy is up to date."""

from __future__ import annotations

import json

from scenarios.schema import SCHEMA_PATH, schema_text


def test_checked_in_schema_is_up_to_date() -> None:
    assert SCHEMA_PATH.read_text() == schema_text(), "run `ib-harness schema` and commit the result"


def test_schema_forbids_unknown_keys_and_lists_step_actions() -> None:
    schema = json.loads(schema_text())
    assert schema["additionalProperties"] is False
    step = schema["$defs"]["Step"]
    assert step["additionalProperties"] is False
    assert {"at", "on", "fault", "stop_fault", "place_order", "market", "restart"} <= set(step["properties"])
    assert set(schema["required"]) == {"name", "description", "duration", "expect"}
