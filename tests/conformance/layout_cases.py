"""Layout cases: named expected values for every slot of an outgoing layout, and their checks.

A case is data (see ``tests/conformance/cases/``): a layout, a server version, and for every slot
its value and its meaning, the field of each real client's decoded callback that must carry it
(``{"ib_insync": "priceSizeTick[0].price", "ibapi": "tickPrice[0].price"}``). A case may also
name a real captured frame (``capture``), which the values must encode to exactly.

``check`` encodes the values with the layout (or a mutated copy of it), then:

1. when the case has a capture: the frame must equal IB's real frame field for field;
2. for each client that can speak the version: the client's own decoder reads the frame, and
   every meaning named for it must hold the slot's value;
3. the case must name exactly the layout's slots at its version (a new slot fails loudly).

Repeat groups are flattened: slot ``bars[1].close`` is item 1's ``close``.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any, Iterable

from ib_harness.fake_gateway.wire.spec import MessageSpec, Repeat, frame_fields
from tests.captures import versioned_frames
from tests.wire.client_wire import CLIENTS, MAX_VERSION, Call, feed

_ITEM = re.compile(r"^(\w+)\[(\d+)\]\.(\w+)$")


@dataclass(frozen=True)
class Case:
    """One frame of a layout with a named value and meaning per slot."""

    layout: str
    version: int
    slots: dict[str, Any]  # slot (or ``group[i].sub``) -> value
    meanings: dict[str, dict[str, str]] = field(default_factory=dict)  # slot -> client -> decoded field
    capture: str | None = None  # label of a real captured frame (tests.captures.all_frames)

    @property
    def clients(self) -> tuple[str, ...]:
        return tuple(c for c in CLIENTS if self.version <= MAX_VERSION[c])


def nested_values(case: Case) -> dict[str, Any]:
    """The slot values as ``MessageSpec.fields`` takes them (repeat items rebuilt as lists)."""
    values: dict[str, Any] = {}
    groups: dict[str, dict[int, dict[str, Any]]] = {}
    for name, value in case.slots.items():
        match = _ITEM.match(name)
        if match is None:
            values[name] = value
        else:
            group, index, sub = match.group(1), int(match.group(2)), match.group(3)
            groups.setdefault(group, {}).setdefault(index, {})[sub] = value
    for group, items in groups.items():
        values[group] = [items[i] for i in sorted(items)]
    return values


def slot_names(spec: MessageSpec, version: int, values: dict[str, Any]) -> list[str]:
    """The layout's slots at ``version`` in wire order, repeat items expanded as in the case."""
    names: list[str] = []
    for slot in spec.slots:
        if not slot.present_at(version):
            continue
        if isinstance(slot, Repeat):
            subs = [f.name for f in slot.fields if f.present_at(version)]
            for index in range(len(values.get(slot.name) or ())):
                names += [f"{slot.name}[{index}].{sub}" for sub in subs]
            if not values.get(slot.name):
                names.append(f"{slot.name}[]")
        else:
            names.append(slot.name)
    return names


@cache
def captured(label: str) -> list[str]:
    for name, _, frame in versioned_frames():
        if name == label:
            return frame
    raise KeyError(f"no captured frame {label!r}")


def decoded(client: str, version: int, fields: list[str]) -> dict[str, Any]:
    """Every value the client's decoder passed to its wrapper, by path (see module docstring)."""
    calls = feed(client, version, [frame_fields(fields)])
    return flatten_calls(client, calls)


def flatten_calls(client: str, calls: Iterable[Call]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    seen: dict[str, int] = {}
    for name, args in calls:
        index = seen.get(name, 0)
        seen[name] = index + 1
        for param, value in zip(_parameters(client, name, len(args)), args):
            _flatten(flat, f"{name}[{index}].{param}", value, 0)
    return flat


def _flatten(flat: dict[str, Any], path: str, value: Any, depth: int) -> None:
    if depth > 4:
        return
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _flatten(flat, f"{path}[{index}]", item, depth + 1)
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    elif hasattr(value, "__dict__") and not isinstance(value, (type, datetime)):
        items = {k: v for k, v in vars(value).items() if not k.startswith("_")}
    else:
        flat[path] = value
        return
    for key, item in items.items():
        _flatten(flat, f"{path}.{key}", item, depth + 1)


@cache
def _wrapper_class(client: str) -> type:
    if client == "ibapi":
        from ibapi.wrapper import EWrapper
        return EWrapper
    module = __import__(f"{client}.wrapper", fromlist=["Wrapper"])
    return module.Wrapper


@cache
def _parameters(client: str, callback: str, count: int) -> tuple[str, ...]:
    method = getattr(_wrapper_class(client), callback, None)
    if method is None:
        return tuple(f"arg{i}" for i in range(count))
    names = [p for p in inspect.signature(method).parameters if p != "self"]
    return tuple(names[:count]) + tuple(f"arg{i}" for i in range(len(names), count))


def same(actual: Any, expected: Any) -> bool:
    """A decoded value equals the named value (numbers by value, datetimes as epoch seconds)."""
    if isinstance(actual, datetime):
        actual = actual.timestamp()
    if isinstance(actual, bool):
        actual = int(actual)
    if isinstance(expected, bool):
        expected = int(expected)
    if isinstance(actual, (int, float, Decimal)) and not isinstance(expected, str):
        return float(actual) == float(expected)
    if isinstance(actual, (int, float, Decimal)) and isinstance(expected, str):
        try:
            return float(actual) == float(expected)
        except ValueError:
            return False
    if isinstance(actual, str) and isinstance(expected, (int, float)):
        try:
            return float(actual) == float(expected)
        except ValueError:
            return False
    return actual == expected


def check(case: Case, spec: MessageSpec) -> list[str]:
    """Every way the layout disagrees with the case; empty when it conforms."""
    values = nested_values(case)
    expected_names = slot_names(spec, case.version, values)
    problems = []
    layout_names = {n for n in expected_names if not n.endswith("[]")}
    if layout_names != set(case.slots):  # order is the layout's business: checked by encoding
        missing, extra = sorted(layout_names - set(case.slots)), sorted(set(case.slots) - layout_names)
        problems.append(f"{case.layout}@{case.version}: slots missing from the case {missing}, unknown {extra}")
    fields = spec.fields(case.version, values)
    if case.capture is not None and fields != captured(case.capture):
        problems.append(f"{case.layout}: encodes differently from the captured frame {case.capture}")
    for client in case.clients:
        wanted = {slot: paths[client] for slot, paths in case.meanings.items() if client in paths}
        if not wanted:
            continue
        try:
            got = decoded(client, case.version, fields)
        except Exception as exc:  # a decoder that cannot read the frame has found a problem
            problems.append(f"{case.layout}: {client} cannot decode it: {exc!r}")
            continue
        for slot, path in wanted.items():
            if path not in got:
                problems.append(f"{case.layout}: {client} passes no {path} (slot {slot})")
            elif not same(got[path], case.slots[slot]):
                problems.append(f"{case.layout}: {client} {path} = {got[path]!r}, slot {slot} = {case.slots[slot]!r}")
    return problems


def case(layout: str, version: int, slots: dict[str, tuple[Any, dict[str, str]]], capture: str | None = None) -> Case:
    """A case written as ``{slot: (value, {client: decoded field})}``, the form the case modules use."""
    return Case(layout, version, {k: v for k, (v, _) in slots.items()},
                {k: m for k, (_, m) in slots.items() if m}, capture)
