"""Every outgoing layout against named values: real frames and the three real clients' decoders.

* Every layout of the table (including layouts added later) has at least one case.
* Every case conforms: its values encode to the captured frame when it names one, and each
  client's decoder hands every named value to the field the case names (layout_cases.check).
* Mutation: swapping any two adjacent slots of any layout, wherever a case gives them distinct
  values, makes at least one of those checks fail; and for every adjacent pair some case does.
"""

from __future__ import annotations

import dataclasses

import pytest

from ib_harness.fake_gateway.wire.spec import MessageSpec
from ib_harness.fake_gateway.wire.table import OUTGOING
from tests.conformance.cases import all_cases
from tests.conformance.layout_cases import Case, check, nested_values

CASES = all_cases()


def test_every_outgoing_layout_has_a_case() -> None:
    covered = {c.layout for c in CASES}
    assert sorted(set(OUTGOING) - covered) == [], "layouts without a case in tests/conformance/cases"
    assert sorted(covered - set(OUTGOING)) == [], "cases for layouts that do not exist"


@pytest.mark.parametrize("case", CASES, ids=[f"{c.layout}@{c.version}{'-capture' if c.capture else ''}" for c in CASES])
def test_case_conforms(case: Case) -> None:
    assert check(case, OUTGOING[case.layout]) == []


def swapped(spec: MessageSpec, version: int, position: int) -> tuple[MessageSpec, str, str]:
    """The layout with its ``position``-th and next present slots exchanged."""
    present = [i for i, slot in enumerate(spec.slots) if slot.present_at(version)]
    first, second = present[position], present[position + 1]
    slots = list(spec.slots)
    slots[first], slots[second] = slots[second], slots[first]
    return dataclasses.replace(spec, slots=tuple(slots)), spec.slots[first].name, spec.slots[second].name


def adjacent_pairs() -> list[tuple[str, int, int]]:
    pairs = []
    for name, spec in OUTGOING.items():
        for version in sorted({c.version for c in CASES if c.layout == name}):
            count = len(spec.names_at(version))
            pairs += [(name, version, position) for position in range(count - 1)]
    return pairs


PAIRS = adjacent_pairs()


@pytest.mark.parametrize("layout,version,position", PAIRS, ids=[f"{n}@{v}#{p}" for n, v, p in PAIRS])
def test_swapping_adjacent_slots_is_caught(layout: str, version: int, position: int) -> None:
    spec = OUTGOING[layout]
    mutant, first, second = swapped(spec, version, position)
    distinct = [c for c in CASES if c.layout == layout and c.version == version
                and spec.fields(version, nested_values(c)) != mutant.fields(version, nested_values(c))]
    assert distinct, f"no case of {layout}@{version} gives {first} and {second} different values"
    caught = [c for c in distinct if check(c, mutant)]
    assert caught, f"{layout}@{version}: swapping {first} and {second} passes every check"
