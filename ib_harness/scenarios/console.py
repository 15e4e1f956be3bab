"""A replay as a person reads it: one line per thing that happened, then the expectations.

Repeated calls with the same outcome collapse into one line with a count and a latency range,
so a scenario polling prices every 200 ms still reads in a screenful.
"""

from __future__ import annotations

from typing import Iterable

from .trace import RunResult, ScenarioResult, TraceEvent

QUIET = {("broker", "probe_sent"), ("broker", "probe_answered"), ("gateway", "listening"), ("runner", "timeline_ended"),
         ("runner", "step")}  # a step shows as what it did (fault inject, client call, market move)


def render_result(result: ScenarioResult) -> str:
    verdict = result.verdict.upper()
    lines = [f"== {result.name} [{result.variant}, seed {result.seed}] {verdict} "
             f"({result.duration:g} s timeline, {result.wall:.1f} s wall)"]
    if result.error:
        lines.append(f"   error: {result.error}")
    lines.extend(f"   {line}" for line in _timeline_lines(result.events))
    if result.expectations:
        lines.append("   expectations:")
        for expectation in result.expectations:
            mark = "ok  " if expectation.ok else "FAIL"
            lines.append(f"     {mark} {expectation.expectation}: {expectation.detail}")
    return "\n".join(lines)


def _timeline_lines(events: Iterable[TraceEvent]) -> list[str]:
    lines: list[str] = []
    run: list[TraceEvent] = []

    def flush() -> None:
        if not run:
            return
        first = run[0]
        if len(run) == 1:
            lines.append(_line(first))
        elif first.source != "client":
            lines.append(f"{_line(first)} (x{len(run)} until {run[-1].at:.2f} s)")
        elif first.kind == "bar_update":
            lines.append(f"{first.at:7.2f}  client   stream_bars({first.data.get('symbol')}) "
                         f"{len(run)} bar updates until {run[-1].at:.2f} s")
        else:
            latencies = [float(e.data.get("latency", 0.0)) * 1000 for e in run]
            lines.append(f"{first.at:7.2f}  client   {_call_name(first)} x{len(run)} until {run[-1].at:.2f} s: "
                         f"{_call_outcome(first)} in {min(latencies):.1f}-{max(latencies):.1f} ms")
        run.clear()

    for event in sorted(events, key=lambda e: e.at):
        if (event.source, event.kind) in QUIET:
            continue
        if run and _same(run[-1], event):
            run.append(event)
            continue
        flush()
        run.append(event)
    flush()
    return lines


def _same(a: TraceEvent, b: TraceEvent) -> bool:
    """Events that read as one line: the same call with the same outcome, the same IB code."""
    if (a.source, a.kind) != (b.source, b.kind):
        return False
    if a.source == "client":
        return (_call_name(a), a.data.get("ok"), a.data.get("error_type")) == \
            (_call_name(b), b.data.get("ok"), b.data.get("error_type"))
    return (a.source, a.kind) in (("broker", "ib_error"), ("gateway", "error_sent")) \
        and a.data.get("code") == b.data.get("code")


def _call_name(event: TraceEvent) -> str:
    symbol = event.data.get("symbol")
    return f"{event.data.get('method')}({symbol})" if symbol else f"{event.data.get('method')}()"


def _call_outcome(event: TraceEvent) -> str:
    if event.data.get("ok"):
        shown = {k: v for k, v in event.data.items()
                 if k in ("price", "status", "order_id", "bars", "positions", "orders", "net_liquidation", "stale")}
        return "ok " + ", ".join(f"{k}={v}" for k, v in shown.items()) if shown else "ok"
    return f"{event.data.get('error_type')}: {str(event.data.get('error', ''))[:90]}"


def _line(event: TraceEvent) -> str:
    data = event.data
    if event.source == "client" and event.kind == "bar_update":
        text = f"stream_bars({data.get('symbol')}) bar update ({data.get('bars')} bars)"
    elif event.source == "client":
        text = f"{_call_name(event)} -> {_call_outcome(event)} in {float(data.get('latency', 0)) * 1000:.1f} ms"
    elif event.source == "broker" and event.kind == "state":
        text = f"state {data.get('from')} -> {data.get('to')}" + (f" ({data['cause']})" if data.get("cause") else "")
    elif event.source == "broker" and event.kind == "ib_error":
        text = f"IB {data.get('code')} reqId {data.get('req_id')}: {str(data.get('message', ''))[:80]}"
    elif event.source == "fault" and event.kind == "injected":
        params = {k: v for k, v in (data.get("spec") or {}).items() if k not in ("kind", "seed")}
        text = f"inject {data.get('step')}: {data.get('kind')} {params or ''}".rstrip()
    elif event.source == "gateway" and event.kind == "error_sent":
        text = f"sent error {data.get('code')} to client {data.get('client_id')}: {str(data.get('text', ''))[:70]}"
    else:
        shown = {k: v for k, v in data.items() if k not in ("spec",) and v not in (None, "", [], {})}
        text = f"{event.kind} {_short(shown)}".rstrip()
    return f"{event.at:7.2f}  {event.source:<8} {text}"


def _short(data: dict[str, object]) -> str:
    text = ", ".join(f"{k}={v}" for k, v in data.items())
    return text if len(text) <= 100 else text[:97] + "..."


def render_summary(run: RunResult) -> str:
    failed = [r for r in run.results if not r.ok]
    lines = [f"{len(run.results)} replay(s), {len(run.results) - len(failed)} passed, {len(failed)} failed "
             f"in {run.wall:.1f} s wall"]
    for result in failed:
        lines.append(f"  {result.verdict.upper()} {result.name} [{result.variant}]")
        if result.error:
            lines.append(f"    error: {result.error}")
        for missed in (e for e in result.expectations if not e.ok):
            lines.append(f"    {missed.expectation}: {missed.detail}")
    return "\n".join(lines)


def render_comparison(run: RunResult) -> str:
    """Markdown table: scenario x supervisor -> verdict, detection, recovery."""
    supervisors = sorted({r.variant for r in run.results})
    names = list(dict.fromkeys(r.name for r in run.results))
    header = "| scenario | " + " | ".join(f"{s}: verdict | detection | recovery" for s in supervisors) + " |"
    rule = "|---|" + "---|---|---|" * len(supervisors)
    rows = [header, rule]
    for name in names:
        cells = []
        for supervisor in supervisors:
            result = next((r for r in run.results if r.name == name and r.variant == supervisor), None)
            if result is None:
                cells.append(" | | ")
                continue
            verdict = result.verdict if result.ok else f"**{result.verdict.upper()}** ({_why(result)})"
            cells.append(f"{verdict} | {_secs(result.detection)} | {_secs(result.recovery)}")
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _why(result: ScenarioResult) -> str:
    """Which expectations failed, by kind: where a supervisor fails, the table says how."""
    if result.error:
        return "error"
    return ", ".join(dict.fromkeys(e.expectation.split(" ", 1)[0] for e in result.expectations if not e.ok))


def _secs(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
