"""The Broker section of BENCHMARKS.md: the figures of benchmarks.broker, one column set per client
library (ib_insync, ib_async) side by side, and the settings they were taken at."""

from __future__ import annotations

import os
import platform
import statistics
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

HEADING = "## Broker"
PROBE_INTERVAL = 1.0
PROBE_TIMEOUT = 1.0
OUTAGE_S = 3.0
SETTINGS: dict[str, Any] = dict(probe_interval=PROBE_INTERVAL, probe_timeout=PROBE_TIMEOUT, probe_overdue=0.25,
                                backoff_initial=0.25, backoff_max=2.0, backoff_seed=1, circuit_failures=100,
                                check_buying_power=False)


@dataclass
class Overhead:
    name: str
    raw_us: float
    broker_us: float

    @property
    def ratio(self) -> float:
        return self.broker_us / self.raw_us


@dataclass
class Timing:
    what: str
    broker_s: list[float]
    watchdog_s: list[float]


@dataclass
class BackendFigures:
    """Everything measured on one client library."""

    backend: str
    costs: list[Overhead]  # the run with the median place_order ratio
    order_ratios: list[float]  # every run's
    timings: list[Timing]
    recoveries: list[float]
    outages: list[tuple[float, float]]


def _mark(ok: bool) -> str:
    return "met" if ok else "NOT met"


def _median_max(values: list[float], digits: int = 2) -> str:
    return f"{statistics.median(values):.{digits}f} s ({max(values):.{digits}f} s)"


def _overhead(measured: list[BackendFigures]) -> list[str]:
    names = [c.name for c in measured[0].costs]
    header = "| call | " + " | ".join(f"raw {m.backend} | broker on {m.backend} | ratio" for m in measured) + " |"
    lines = [
        "### Overhead against the raw client (median per call)",
        "",
        "; ".join(f"{m.backend}: {len(m.order_ratios)} runs, place_order ratios "
                  f"{', '.join(f'{r:.2f}x' for r in m.order_ratios)}" for m in measured)
        + " (each table column is its library's run with the median ratio).",
        "",
        header,
        "|---|" + "---|---|---|" * len(measured),
    ]
    for name in names:
        cells = []
        for m in measured:
            c = next(c for c in m.costs if c.name == name)
            cells.append(f"{c.raw_us:,.1f} us | {c.broker_us:,.1f} us | {c.ratio:.2f}x")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
    for m in measured:
        order = next(c for c in m.costs if c.name.startswith("place_order"))
        lines.append(f"- {m.backend}: place_order -> Submitted at most 1.2x raw: **{_mark(order.ratio <= 1.2)}** "
                     f"({order.ratio:.2f}x, +{order.broker_us - order.raw_us:,.0f} us a call).")
    lines += [
        "- The broker's round trip also runs the risk checks and commits the journal intent (fsynced: see",
        "  Journal durability) before the send; the fake gateway runs on the same event loop, so every",
        "  microsecond the broker spends anywhere in the round trip counts here; against a remote gateway",
        "  only the part before the send and after the ack does.",
        "- A key the caller supplies (the HTTP API's Idempotency-Key) and the journal does not hold is",
        "  first looked up at the gateway (completed orders, then every client's open orders): two more",
        "  round trips under the client's 45/s throttle. Keys the broker mints skip the look-up.",
        "- The two cached reads cost microseconds either way: the ready check and typed models.",
        "",
    ]
    return lines


def _detection(measured: list[BackendFigures]) -> list[str]:
    bound = PROBE_INTERVAL + PROBE_TIMEOUT + 0.5
    lines = [
        f"### Detection of a dead link (probe_interval {PROBE_INTERVAL:g} s, probe_timeout {PROBE_TIMEOUT:g} s)",
        "",
        "Idle link (no market data streaming), fault injected at the gateway; time from the fault to the",
        "socket being dropped. Each library's own Watchdog at equal settings: appTimeout",
        f"{PROBE_INTERVAL:g} s, probeTimeout {PROBE_TIMEOUT:g} s (fault -> hardTimeoutEvent). Median (max).",
        "",
        "| fault | " + " | ".join(f"broker on {m.backend}" for m in measured) + " | "
        + " | ".join(f"{m.backend}'s Watchdog" for m in measured) + " |",
        "|---|" + "---|" * (2 * len(measured)),
    ]
    for index, timing in enumerate(measured[0].timings):
        brokers = [_median_max(m.timings[index].broker_s) for m in measured]
        watchdogs = [_median_max(m.timings[index].watchdog_s) for m in measured]
        lines.append(f"| {timing.what} | " + " | ".join(brokers + watchdogs) + " |")
    lines.append("")
    for m in measured:
        worst = max(max(t.broker_s) for t in m.timings)
        lines.append(f"- {m.backend}: detection at most probe_interval + probe_timeout + 0.5 s = {bound:g} s: "
                     f"**{_mark(worst <= bound)}** (worst {worst:.2f} s).")
    lines += [
        "- A Watchdog at its defaults (appTimeout 20 s, probeTimeout 4 s) needs appTimeout + probeTimeout = 24 s",
        "  by construction, then terminates and restarts the app (retryDelay 2 s + appStartupTime 30 s): at",
        "  least 56 s to ready. Not run here; the equal-settings columns show the mechanism as computed.",
        "",
    ]
    return lines


def _recovery(measured: list[BackendFigures]) -> list[str]:
    lines = ["### Recovery", "", "| backend | case | median | max | target |", "|---|---|---|---|---|"]
    for m in measured:
        waits = [w for w, _ in m.outages]
        steps = [s for _, s in m.outages]
        lines += [
            f"| {m.backend} | stall detected, gateway answering at once: drop -> ready | "
            f"{statistics.median(m.recoveries):.3f} s | {max(m.recoveries):.3f} s | "
            f"1 s: **{_mark(max(m.recoveries) <= 1.0)}** |",
            f"| {m.backend} | {OUTAGE_S:g} s `down` outage: gateway listening again -> ready | "
            f"{statistics.median(waits):.3f} s | {max(waits):.3f} s | within one backoff step (ceiling "
            f"{max(steps):.2f} s): **{_mark(all(w <= s + 0.5 for w, s in m.outages))}** |",
        ]
    lines += [
        "",
        f"Settings: {', '.join(f'{k}={v}' for k, v in SETTINGS.items())}. Backoff is full jitter, so the wait",
        "after the gateway returns is at most the current step's ceiling plus one connect and sync.",
        "",
    ]
    return lines


def section(measured: list[BackendFigures], journal: list[str]) -> list[str]:
    return [
        HEADING,
        "",
        "`python -m benchmarks.broker --update BENCHMARKS.md` (also part of `make bench`). One fake gateway per",
        "measurement; the broker and a raw `IB()` of the same library connected side by side, measured in",
        "alternating rounds (15 orders a round, a pause between rounds so that neither hits the client's",
        f"45 requests/s throttle), on each library: {', '.join(m.backend for m in measured)}.",
        f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.machine()}, {os.cpu_count()} cores"
        f" (shared with other jobs), Python {platform.python_version()}. Ratios move run to run here: compare",
        "the libraries within one run, and the per-run ratios above each table.",
        "",
        *_overhead(measured),
        *journal,
        *_detection(measured),
        *_recovery(measured),
    ]
