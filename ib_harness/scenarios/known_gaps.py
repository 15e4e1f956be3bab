"""Scenarios a supervisor is known to fail, with why and the symptom that shows it: the report marks
them as known gaps, and the suite (tests/suite) makes each a strict expected failure that must fail
*with its symptom*: the replay's failed expectations must contain every listed substring in one
line, else the test fails (a gap that closes, or that fails for another reason, is news). Measured
at production timings on the virtual clock: the broker at its defaults, ib_insync's Watchdog at its
own (appTimeout 20 s, probeTimeout 4 s, appStartupTime 30 s, retryDelay 2 s), its controller
restarting only the gateway process.

Builtin entries are defects of the broker found by the suite; they should shrink to nothing.
Watchdog entries are what ib_insync's Watchdog cannot do; they are the comparison's evidence.
PENDING entries fail because of a defect of the harness's fake gateway being fixed, not because of
the supervisor: xfail(strict=False) until then.
"""

from __future__ import annotations

Gap = tuple[str, tuple[str, ...]]  # (reason, substrings one failed expectation line must contain)

BUILTIN: dict[str, Gap] = {}

WATCHDOG: dict[str, Gap] = {
    "client-id-326-lingering": ("Watchdog restarts the gateway, which frees the lingering client id: the "
                                "broker never sees IB 326", ("error_codes", "missing [326]")),
    "connectivity-lost-data-lost": ("Watchdog restarts the gateway during the 1100 instead of waiting for "
                                    "1101 (1 reconnect, wanted 0)", ("reconnects", "1 reconnect(s), wanted 0..0")),
    "garbage-on-the-wire": ("garbage on the wire does not make Watchdog restart: its decoder waits on a frame "
                            "that never ends (0 reconnects, wanted 1..3)",
                            ("reconnects", "0 reconnect(s), wanted 1..3")),
    "gateway-crash-fin": ("after a crash Watchdog waits retryDelay, restarts the gateway and waits "
                          "appStartupTime: ready ~32 s after the crash, limit 30 s",
                          ("broker_state", "after fault_start crash", "late")),
    "gateway-crash-rst": ("after a crash Watchdog waits retryDelay, restarts the gateway and waits "
                          "appStartupTime: ready ~32 s after the crash, limit 30 s",
                          ("broker_state", "after fault_start crash", "late")),
    "half-open-socket": ("Watchdog notices a half-open socket only after appTimeout + probeTimeout "
                         "(~24 s, limit 22 s)", ("detection", "too slow")),
    "nightly-reset": ("Watchdog restarts the gateway on the reset's 1100 and is back only after IB "
                      "recovered, so the broker never sees 1102", ("error_codes", "missing [1102]")),
    "order-status-swallowed-during-1100": ("Watchdog restarts the gateway on 1100 and is back only after IB "
                                           "recovered, so the broker never sees 1102",
                                           ("error_codes", "missing [1102]")),
    "order-modify-during-1100": ("Watchdog restarts the gateway on 1100 and stays down ~32 s: both "
                                 "modifies are refused, the buy keeps its old limit and never fills",
                                 ("order_status", "is SUBMITTED, wanted ['FILLED']")),
    "pacing-100-162": ("under IB's pacing errors (100) Watchdog restarts the gateway, which does not help "
                       "(1 reconnect, wanted 0)", ("reconnects", "1 reconnect(s), wanted 0..0")),
    "silent-stall": ("Watchdog notices a silent stall only after appTimeout + probeTimeout (~24 s, limit 22 s)",
                     ("detection", "too slow")),
}

KNOWN_GAPS: dict[str, dict[str, Gap]] = {"builtin": BUILTIN, "watchdog": WATCHDOG}

PENDING: dict[str, dict[str, str]] = {"builtin": {}, "watchdog": {}}


def gap_reasons() -> dict[str, dict[str, str]]:
    """supervisor -> scenario -> why it is known to fail (what the report shows)."""
    return {supervisor: {name: reason for name, (reason, _) in gaps.items()} for supervisor, gaps in KNOWN_GAPS.items()}
