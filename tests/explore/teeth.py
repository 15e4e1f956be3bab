"""Which explore profile and seed find each broker mutant, and the invariant each must violate.

A profile narrows the fault kinds to the family that exercises the removed defence (exploring
every kind finds them too, only after more runs: see BENCHMARKS.md); the seed is fixed so the test
is reproducible. Every profile is the virtual clock's: production timings (the broker's defaults,
two simulated minutes), so no shrunk file carries a scaled-down settings block.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

import pytest

from ib_harness.scenarios.explore.generate import VIRTUAL_CLOCK, Profile

from ..suite.mutants import MUTANTS
from .order_mutants import ORDER_MUTANTS


@dataclass(frozen=True)
class Teeth:
    name: str
    apply: Callable[[pytest.MonkeyPatch], None]
    profile: Profile
    invariants: tuple[str, ...]  # the violation explore reports must be one of these
    symptom: str = ""  # ... with these words in its detail (what the removed defence was for)
    seed: int = 0
    notes: str = field(default="", compare=False)


_SUITE = {m.name: m.apply for m in MUTANTS}


def _virtual(**changes: object) -> Profile:
    return replace(VIRTUAL_CLOCK, **changes)  # type: ignore[arg-type]


def _package(name: str) -> Profile:
    """Schedules made of one nemesis package (1 or 2 of it), quiet latency besides, no modifies
    (a modify of a mutant that is not about modifies only adds noise to its symptom)."""
    return _virtual(kinds=("latency",), packages=(name,), package_share=1.0, faults=(1, 2), modify_share=0.0)

TEETH = [
    Teeth("probe-off", _SUITE["probe-off"], _virtual(kinds=("half_open",), fault_length=(0.2, 0.3), modify_share=0.0),
          ("invariant no_stale_price", "invariant fresh_after_faults", "invariant ready_after_faults")),
    # the stream guard (resubscribe after stream_check_timeout of silence) and the price's age
    # limit (a price older than market_data_max_age is asked for again) set long, past the one
    # request (request_timeout) a 1101 allows, so the 1101 handling alone is judged
    Teeth("no-resubscribe-on-1101", _SUITE["no-resubscribe-on-1101"],
          replace(_package("data_lost"), settings={"stream_check_timeout": 60.0, "market_data_max_age": 120.0}),
          ("invariant fresh_after_faults",), symptom="after the 1101"),
    Teeth("no-account-refresh-on-2100", _SUITE["no-account-refresh-on-2100"],
          _virtual(kinds=("account_unsubscribed",), modify_share=0.0), ("invariant fresh_after_faults",), symptom="stale"),
    Teeth("no-reconcile-after-reconnect", _SUITE["no-reconcile-after-reconnect"],
          _package("fill_while_down"), ("invariant orders_agree",), symptom="not in the journal"),
    Teeth("order-ids-from-next-valid-id", _SUITE["order-ids-from-next-valid-id"],
          _package("restart_with_rollback"), ("invariant orders_agree",), symptom="an order id used twice"),
    Teeth("no-backoff", _SUITE["no-backoff"], _package("reconnect_storm"),
          ("invariant bounded_reconnects",), symptom="connections opened within one second"),
    Teeth("resend-on-ack-timeout", ORDER_MUTANTS["resend-on-ack-timeout"],
          _package("ack_lost"),
          ("invariant orders_agree",), symptom="reached the gateway 2 times"),
    Teeth("journal-intent-after-send", ORDER_MUTANTS["journal-intent-after-send"],
          _virtual(kinds=("latency",), orders=(6, 8), modify_share=0.0), ("invariant orders_agree",),
          symptom="reached the gateway 2 times"),
    Teeth("no-fill-deduplication", ORDER_MUTANTS["no-fill-deduplication"],
          _virtual(kinds=("crash", "duplicate_message"), modify_share=0.0), ("invariant orders_agree",),
          symptom="is in the journal"),
    Teeth("trust-rolled-back-next-valid-id", ORDER_MUTANTS["trust-rolled-back-next-valid-id"],
          _package("restart_with_rollback"), ("invariant orders_agree",), symptom="an order id used twice"),
    Teeth("rejected-modify-is-cancelled", ORDER_MUTANTS["rejected-modify-is-cancelled"],
          _virtual(kinds=("latency",), orders=(6, 8), modify_share=0.9, off_tick_share=0.9),
          ("invariant orders_agree",), symptom="journal says CANCELLED"),
    # a broker that drops the 1100 at its login goes READY in the outage; the gateway holds its requests
    # until IB is back (no stale price is answered), so only the READY itself shows it
    Teeth("ignore-1100-during-connect", ORDER_MUTANTS["ignore-1100-during-connect"],
          replace(_package("lost_while_connecting"), faults=(1, 1)), ("invariant not_ready_in_outage",),
          symptom="while its session's last word from IB was 1100"),
]
