"""Scenarios a supervisor is known to fail, with why. Each becomes xfail(strict=True) in the suite:
a gap that closes makes the suite fail, so this table is kept honest.

Builtin entries are defects of the broker (or of the library) found by the suite and not fixed on
this branch; they should shrink to nothing. Watchdog entries are what ib_insync's Watchdog cannot
do at equal timings; they are the comparison's evidence.

The suite runs every scenario on both client libraries. The tables are ib_insync's; IB_ASYNC says
where ib_async differs (a reason: a gap on ib_async only; None: ib_insync's gap is not one there).
"""

from __future__ import annotations

BUILTIN: dict[str, str] = {}

WATCHDOG: dict[str, str] = {
    "accept-then-close-proxy": "Watchdog notices the dead socket only through its idle timeout "
                               "(left ready ~1.8 s after the crash, limit 0.3 s)",
    "client-id-326-lingering": "Watchdog's reconnect never surfaces IB 326 for the lingering client id",
    "competing-session-10197": "Watchdog restarts the app when 10197 stops market data (1 reconnect, wanted 0)",
    "connectivity-lost-data-lost": "Watchdog ignores 1101 and restarts on 1100 (1 reconnect, wanted 0)",
    "daily-restart": "Watchdog restarts the app over and over through the down window (5 reconnects, wanted <= 3)",
    "error-2100-account-unsubscribed": "Watchdog's idle probe restarts the app while account updates are "
                                       "stopped (3 reconnects, wanted 0)",
    "garbage-on-the-wire": "garbage does not make Watchdog restart (0 reconnects, wanted 1..3)",
    "gateway-crash-fin": "Watchdog terminates and restarts the gateway app on top of the reconnect "
                         "(4 reconnects, wanted <= 2)",
    "gateway-crash-rst": "Watchdog terminates and restarts the gateway app on top of the reconnect "
                         "(4 reconnects, wanted <= 2)",
    "pacing-100-162": "Watchdog restarts on error 100 (a pacing warning), making the pacing worse",
    "weekly-token-expiry": "Watchdog notices the closed session late (left ready ~0.8 s after expiry, limit 0.3 s)",
}

KNOWN_GAPS: dict[str, dict[str, str]] = {"builtin": BUILTIN, "watchdog": WATCHDOG}

# Verdicts that changed between runs of `make soak` (BENCHMARKS.md): not a gap but a race, so
# xfail(strict=False) until the scenario's timing margin is fixed; a strict mark would fail CI at random.
FLAKY: dict[str, dict[str, str]] = {
    "builtin": {},
    "watchdog": {
    },
}

# Where ib_async differs, per supervisor: scenario -> reason, or None to drop ib_insync's entry.
IB_ASYNC_GAPS: dict[str, dict[str, str | None]] = {"builtin": {}, "watchdog": {}}
IB_ASYNC_FLAKY: dict[str, dict[str, str | None]] = {"builtin": {}, "watchdog": {}}


def _for(table: dict[str, dict[str, str]], differences: dict[str, dict[str, str | None]],
         supervisor: str, backend: str) -> dict[str, str]:
    result = dict(table[supervisor])
    if backend == "ib_async":
        for name, reason in differences[supervisor].items():
            if reason is None:
                result.pop(name, None)
            else:
                result[name] = reason
    return result


def gaps_for(supervisor: str, backend: str) -> dict[str, str]:
    """The known gaps of ``supervisor`` on ``backend`` (scenario name -> reason)."""
    return _for(KNOWN_GAPS, IB_ASYNC_GAPS, supervisor, backend)


def flaky_for(supervisor: str, backend: str) -> dict[str, str]:
    return _for(FLAKY, IB_ASYNC_FLAKY, supervisor, backend)
