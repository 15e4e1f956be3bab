"""Fault specs: every kind parses from a plain dict; every bad spec names the kind or the field."""

from __future__ import annotations

from typing import Any

import pytest

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.faults import KINDS, FaultSpecError, parse_fault_spec

GOOD: list[dict[str, Any]] = [
    {"kind": "stall", "client_id": 3, "duration": 1.5, "release": "drop"},
    {"kind": "half_open", "after": {"delay": 0.5}},
    {"kind": "stop_reading", "until": {"request": "placeOrder", "count": 2}},
    {"kind": "half_close", "client_id": 1},
    {"kind": "crash", "rst": True, "after": {"brokerage": "order_filled"}},
    {"kind": "down", "duration": 5},
    {"kind": "accept_then_close", "rst": True},
    {"kind": "no_handshake", "seed": 7},
    {"kind": "linger_client_id", "client_id": 1, "duration": 10},
    {"kind": "daily_restart", "down_seconds": 2, "early_connects": "reset", "hold_client_ids": 3,
     "flap_seconds": 5, "order_id_rollback": 10},
    {"kind": "token_expiry"},
    {"kind": "latency", "ms": 50, "jitter_ms": 5, "direction": "out"},
    {"kind": "bandwidth", "bytes_per_s": 1000},
    {"kind": "slicer", "max_bytes": 3, "delay_ms": 1},
    {"kind": "garbage", "bytes": 10, "direction": "in"},
    {"kind": "truncate", "message": "orderStatus", "keep_bytes": 5},
    {"kind": "drop_message", "message": "placeOrder", "direction": "in", "count": 1},
    {"kind": "md_line_inactive", "symbol": "AAPL", "farm": "usfarm"},
    {"kind": "order_id_rollback", "by": 4},
    {"kind": "delay_message", "message": 3, "delay_ms": 100},
    {"kind": "duplicate_message", "message": "execDetails", "after": {"connect": True}},
    {"kind": "reorder_message", "message": "error"},
    {"kind": "corrupt_field", "message": "tickPrice", "field": 4,
     "after": {"response": "orderStatus", "count": 3}},
    # the IB status family (faults/ib_status.py, faults/nightly_reset.py)
    {"kind": "ib_error", "code": 2110, "text": "Connectivity between Trader Workstation and server is broken.", "req_id": 4},
    {"kind": "account_unsubscribed", "client_id": 2},
    {"kind": "connectivity_lost", "duration": 3, "after": {"request": "placeOrder"}},
    {"kind": "connectivity_restored", "data_lost": True},
    {"kind": "farm_down", "farm": "hmds", "name": "euhmds"},
    {"kind": "farm_up", "farm": "market"},
    {"kind": "client_id_in_use", "client_id": 1, "count": 2},
    {"kind": "competing_session", "until": {"delay": 2}},
    {"kind": "pacing", "max_messages_per_second": 10, "historical_max_requests": 5, "historical_window": 60},
    {"kind": "nightly_reset", "recover_after": 15, "repeat_every": 5, "outcome": "farms_down",
     "farms_recover_after": 5, "flaps": 2, "flap_seconds": 0.5, "seed": 3},
]

BAD: list[tuple[dict[str, Any], list[str]]] = [
    ({"kind": "earthquake"}, ["unknown fault kind 'earthquake'", "latency"]),
    ({"client_id": 1}, ["no 'kind'"]),
    ({"kind": "latency", "ms": "slow"}, ["'latency'", "field 'ms'", "valid number"]),
    ({"kind": "latency"}, ["'latency'", "field 'ms'", "required"]),
    ({"kind": "stall", "duration": -1}, ["'stall'", "field 'duration'", "greater than 0"]),
    ({"kind": "stall", "client_id": "one"}, ["field 'client_id'"]),
    ({"kind": "stall", "release": "later"}, ["field 'release'", "'flush' or 'drop'"]),
    ({"kind": "stall", "speed": 3}, ["'stall'", "field 'speed'", "unknown field"]),
    ({"kind": "drop_message", "message": "orderStats"}, ["'drop_message'", "field 'message'", "orderStats"]),
    ({"kind": "drop_message", "message": "orderStatus", "direction": "in"},
     ["field 'message'", "unknown inbound request 'orderStatus'"]),
    ({"kind": "drop_message", "message": 9999}, ["field 'message'", "9999"]),
    ({"kind": "drop_message", "message": "placeOrder", "direction": "in", "count": 0}, ["field 'count'"]),
    ({"kind": "stall", "after": {"request": "placeOrdr"}}, ["field 'after.request'", "placeOrdr"]),
    ({"kind": "stall", "after": {"response": "orderStatus", "count": -2}}, ["field 'after.count'"]),
    ({"kind": "stall", "after": {"brokerage": "earthquake"}}, ["field 'after.brokerage'"]),
    ({"kind": "stall", "until": {"delay": 1, "connect": True}}, ["field 'until'", "exactly one"]),
    ({"kind": "stall", "after": 5}, ["field 'after'", "a trigger is a mapping"]),
    ({"kind": "down", "client_id": 2}, ["'down'", "field 'client_id'", "before startApi"]),
    ({"kind": "truncate", "message": "nope"}, ["'truncate'", "field 'message'"]),
    ({"kind": "daily_restart", "down_seconds": -3}, ["'daily_restart'", "field 'down_seconds'"]),
    ({"kind": "latency", "ms": 5, "direction": "sideways"}, ["field 'direction'"]),
]


def test_every_kind_has_a_good_example() -> None:
    assert {spec["kind"] for spec in GOOD} == set(KINDS)


@pytest.mark.parametrize("spec", GOOD, ids=[s["kind"] for s in GOOD])
def test_good_specs_parse_and_round_trip(spec: dict[str, Any]) -> None:
    parsed = parse_fault_spec(spec)
    assert parsed.kind == spec["kind"]
    assert parse_fault_spec(parsed.to_dict()) == parsed


@pytest.mark.parametrize("spec,expected", BAD, ids=[str(i) for i in range(len(BAD))])
def test_bad_specs_name_the_kind_or_field(spec: dict[str, Any], expected: list[str]) -> None:
    with pytest.raises(FaultSpecError) as caught:
        parse_fault_spec(spec)
    assert isinstance(caught.value, ValueError)
    for text in expected:
        assert text in str(caught.value)


def test_not_a_mapping() -> None:
    with pytest.raises(FaultSpecError, match="mapping"):
        parse_fault_spec(["stall"])  # type: ignore[arg-type]


async def test_a_bad_spec_injects_nothing(gateway: FakeGateway) -> None:
    with pytest.raises(FaultSpecError, match="field 'ms'"):
        gateway.faults.inject({"kind": "latency", "ms": -1})
    assert gateway.faults.handles() == [] and not gateway.events.of_kind("fault_started")


async def test_disabled_fault_layer_refuses_injection() -> None:
    async with FakeGateway(fault_layer=False) as gateway:
        with pytest.raises(RuntimeError, match="fault layer is disabled"):
            gateway.faults.inject({"kind": "stall"})


def test_a_kind_is_registered_under_the_name_its_spec_declares() -> None:
    """The kind is spelled twice (the spec's ``kind: Literal[...]`` and register's first argument):
    a registration where they differ fails at import instead of parsing specs under one name and
    validating them as another."""
    from typing import Literal

    from ib_harness.fake_gateway.faults.base import Fault, register
    from ib_harness.fake_gateway.faults.spec import FaultSpec

    class MisnamedSpec(FaultSpec):
        kind: Literal["misnamed_one"]

    class Misnamed(Fault):
        pass

    with pytest.raises(RuntimeError, match="'misnamed_other'.*'misnamed_one'"):
        register("misnamed_other", MisnamedSpec, Misnamed)
    assert "misnamed_other" not in KINDS
    assert all(spec.model_fields["kind"].annotation.__args__ == (kind,) for kind, (spec, _) in KINDS.items())
