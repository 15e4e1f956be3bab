"""The known-gaps table lives with the report (ib_harness/scenarios/known_gaps.py); the suite reads it here."""

from __future__ import annotations

from ib_harness.scenarios.known_gaps import BUILTIN, KNOWN_GAPS, PENDING, WATCHDOG, Gap

__all__ = ["BUILTIN", "Gap", "KNOWN_GAPS", "PENDING", "WATCHDOG"]
