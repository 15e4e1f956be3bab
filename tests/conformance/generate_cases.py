"""Write a first draft of layout cases: ``python -m tests.conformance.generate_cases LAYOUT ...``.

For a new layout: run this, read the draft it prints (every slot gets a distinct value, and each
client's decoded field that carries it), correct values a decoder needs in a real shape, check
every meaning (a slot whose field name differs from the decoded field's is marked ``# check``),
and paste it into the area's module under ``tests/conformance/cases/``. The draft is a starting
point only: the committed case is the reviewed data, never regenerated in a test.
"""

from __future__ import annotations

import sys
from typing import Any

from ib_harness.fake_gateway.wire.spec import MessageSpec, Repeat
from ib_harness.fake_gateway.wire.table import OUTGOING
from tests.captures import all_frames
from tests.conformance.layout_cases import Case, decoded, nested_values, same
from tests.wire.client_wire import CLIENTS, MAX_VERSION

VERSION = 176
# Layouts no client below this version reads (ibapi sends historicalDataEnd from 196).
VERSIONS = {"historicalDataEnd": 196}
# A plain order: no hedge, algo, delta-neutral contract or scale fields (the layouts leave them
# out); scalePriceIncrement 0.0 and notHeld/randomizePrice 1 keep neighbours distinct.
_PLAIN_ORDER = {"secType": "STK", "orderType": "LMT", "hedgeType": "", "algoStrategy": "",
                "deltaNeutralContractPresent": 0, "scalePriceIncrement": 0.0, "deltaNeutralOrderType": "None",
                "notHeld": 1, "randomizePrice": 1}
# Values a client's decoder needs in a real shape (it parses them or branches on them).
SHAPES: dict[str, dict[str, Any]] = {
    "contractData": {"evMultiplier": "3", "secType": "STK"},
    "tickByTickAllLast": {"tickType": 2},
    "tickByTickBidAsk": {"tickType": 3},
    "tickByTickMidPoint": {"tickType": 4},
    "execDetails": {"time": "20261130 10:15:30 US/Eastern", "secType": "STK"},
    "openOrder": _PLAIN_ORDER,
    "completedOrder": {**_PLAIN_ORDER, "randomizeSize": 0},
}


def synthetic(spec: MessageSpec, version: int) -> dict[str, Any]:
    """A distinct value for every slot (two items per repeat group); constants keep their value."""
    values: dict[str, Any] = {}
    counter = iter(range(1, 10_000))
    for slot in spec.slots:
        if not slot.present_at(version):
            continue
        if isinstance(slot, Repeat):
            for index in range(2):
                for sub in slot.fields:
                    if sub.present_at(version):
                        values[f"{slot.name}[{index}].{sub.name}"] = _value(sub, next(counter))
        else:
            values[slot.name] = _value(slot, next(counter))
    for name, value in SHAPES.get(spec.name, {}).items():
        values[name] = value
    return values


def _value(slot: Any, number: int) -> Any:
    if getattr(slot, "constant", False):
        return slot.default
    kind = slot.kind
    if kind == "int":
        return 1000 + number
    if kind == "bool":
        return number % 2
    if kind == "double":
        return 100 + number + 0.25
    if kind == "decimal":
        return 500 + number
    return f"{slot.name}-{number}"


def from_capture(spec: MessageSpec) -> tuple[str, dict[str, Any]] | None:
    for label, frame in all_frames():
        if frame[0] != str(spec.msg_id):
            continue
        try:
            parsed = spec.parse(VERSION, frame)
        except ValueError:
            continue
        flat: dict[str, Any] = {}
        for name, value in parsed.items():
            if isinstance(value, list):
                for index, item in enumerate(value):
                    for sub, sub_value in item.items():
                        flat[f"{name}[{index}].{sub}"] = sub_value
            else:
                flat[name] = value
        shape = SHAPES.get(spec.name, {})
        if "tickType" in shape and flat.get("tickType") != shape["tickType"]:
            continue  # the three tick-by-tick layouts share one id and one width
        if spec.fields(VERSION, _nested(flat)) == frame:
            return label, flat
    return None


def _nested(flat: dict[str, Any]) -> dict[str, Any]:
    return nested_values(Case("", VERSION, flat))


def meanings(spec: MessageSpec, version: int, values: dict[str, Any]) -> dict[str, dict[str, str]]:
    """For each slot and client, the decoded field holding its value (a unique match, else by name)."""
    found: dict[str, dict[str, str]] = {name: {} for name in values}
    fields = spec.fields(version, _nested(values))
    for client in CLIENTS:
        if version > MAX_VERSION[client]:
            continue
        try:
            got = decoded(client, version, fields)
        except Exception as exc:  # noqa: BLE001 - reported for the person writing the case
            print(f"# {spec.name}: {client} cannot decode: {exc!r}", file=sys.stderr)
            continue
        for name, value in values.items():
            leaf = name.rsplit(".", 1)[-1]
            matches = [p for p, v in got.items() if same(v, value)]
            by_name = [p for p in matches if p.rsplit(".", 1)[-1].split("[")[0] == leaf]
            if by_name:  # the same value may reach several callbacks (historicalData and its end)
                found[name][client] = by_name[0]
            elif len(matches) == 1 and value not in ("", 0, 0.0):
                found[name][client] = matches[0]
    return found


def draft(spec: MessageSpec, values: dict[str, Any], version: int, capture: str | None) -> str:
    found = meanings(spec, version, values)
    lines = [f"    case({spec.name!r}, {version}, {{"]
    for name, value in values.items():
        paths = found[name]
        odd = any(p.rsplit(".", 1)[-1].split("[")[0] != name.rsplit(".", 1)[-1] for p in paths.values())
        note = "  # check" if odd else ("  # read by no client" if not paths else "")
        lines.append(f"        {name!r}: ({value!r}, {paths!r}),{note}")
    tail = f", capture={capture!r}" if capture else ""
    lines.append(f"    }}{tail}),")
    return "\n".join(lines)


def main(names: list[str]) -> None:
    for name in names or list(OUTGOING):
        spec = OUTGOING[name]
        real = from_capture(spec)
        if real is not None:
            print(draft(spec, real[1], VERSION, real[0]))
        version = VERSIONS.get(name, VERSION)
        print(draft(spec, synthetic(spec, version), version, None))


if __name__ == "__main__":
    main(sys.argv[1:])
