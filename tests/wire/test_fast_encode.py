"""The generated positional encoders print exactly what the general encoder prints, for any value."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ib_harness.fake_gateway.wire.fields import UNSET_DOUBLE
from ib_harness.fake_gateway.wire.spec import Repeat
from ib_harness.fake_gateway.wire.table import OUTGOING

FLAT = [spec for spec in OUTGOING.values() if not any(isinstance(s, Repeat) for s in spec.slots)]
VALUES = {
    "str": st.one_of(st.text(alphabet=st.characters(blacklist_characters="\0", blacklist_categories=("Cs",))), st.none()),
    "int": st.one_of(st.integers(-2**63, 2**63), st.booleans(), st.none(), st.just("")),
    "bool": st.one_of(st.booleans(), st.sampled_from([0, 1, "1"])),
    "double": st.one_of(st.floats(allow_nan=False), st.integers(-10**9, 10**9), st.just(UNSET_DOUBLE), st.none()),
    "decimal": st.one_of(st.floats(-1e12, 1e12, allow_nan=False), st.integers(-10**12, 10**12), st.none()),
}


@pytest.mark.parametrize("spec", FLAT, ids=[s.name for s in FLAT])
@pytest.mark.parametrize("version", [157, 176, 200])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_positional_equals_general_encoder(spec, version, data) -> None:  # type: ignore[no-untyped-def]
    slots = [s for s in spec.slots if s.present_at(version) and not s.constant]
    values = {s.name: data.draw(VALUES[s.kind], label=s.name) for s in slots}
    assert spec.positional(version)(*values.values()) == spec.frame(version, values)
