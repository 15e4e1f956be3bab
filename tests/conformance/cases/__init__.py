"""Every layout case, gathered from the modules of this package (one module per area).

Add a module (or a case to one) for a new layout; ``test_layout_cases`` fails until every
outgoing layout of ``fake_gateway.wire.table.OUTGOING`` has at least one case.
"""

from __future__ import annotations

import importlib
import pkgutil

from tests.conformance.layout_cases import Case


def all_cases() -> list[Case]:
    cases: list[Case] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        cases += importlib.import_module(f"{__name__}.{module.name}").CASES
    return cases
