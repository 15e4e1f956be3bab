"""The broker's pure parts: settings (env, YAML, named errors), backoff schedule and circuit
breaker (freezegun, real asyncio), the error-code table, the journal and the event bus."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from freezegun import freeze_time

from ib_harness.broker import BrokerSettings, BrokerSettingsError, EventBus
from ib_harness.broker.backoff import Backoff, CircuitBreaker
from ib_harness.broker.error_policy import Action, action_for
from ib_harness.broker.journal import Journal


def test_settings_defaults_match_the_issue() -> None:
    s = BrokerSettings()
    assert (s.probe_interval, s.probe_timeout, s.supervisor) == (5.0, 3.0, "builtin")
    assert s.journal_path.name == "journal.sqlite3" and "ib-harness" in str(s.journal_path)


def test_settings_from_env_yaml_and_keywords(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "broker.yaml"
    config.write_text("probe_interval: 2.5\nprobe_timeout: 1.5\nallowed_symbols: [AAPL, MSFT]\n")
    monkeypatch.setenv("IB_BROKER_PROBE_TIMEOUT", "0.75")
    s = BrokerSettings.load(config, backoff_max=9)
    assert s.probe_interval == 2.5 and s.probe_timeout == 0.75 and s.backoff_max == 9
    assert s.allowed_symbols == ["AAPL", "MSFT"]


@pytest.mark.parametrize("values,named", [
    ({"probe_interval": -1}, "probe_interval"),
    ({"probe_intervall": 1}, "probe_intervall"),
    ({"supervisor": "systemd"}, "supervisor"),
    ({"backoff_initial": 5, "backoff_max": 1}, "backoff_max"),
    ({"connectivity_grace": 60, "connectivity_grace_max": 30}, "connectivity_grace_max must be >= connectivity_grace"),
    ({"connectivity_grace_growth": 0.5}, "connectivity_grace_growth: Input should be greater than or equal to 1"),
])
def test_invalid_settings_name_the_setting(values: dict[str, object], named: str) -> None:
    with pytest.raises(BrokerSettingsError, match=named):
        BrokerSettings.load(**values)  # type: ignore[arg-type]


def test_invalid_env_and_yaml_settings_name_the_setting_and_file(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IB_BROKER_CIRCUIT_FAILURES", "many")
    with pytest.raises(BrokerSettingsError, match="circuit_failures"):
        BrokerSettings.load()
    monkeypatch.delenv("IB_BROKER_CIRCUIT_FAILURES")
    bad = tmp_path / "bad.yaml"
    bad.write_text("- just\n- a list\n")
    with pytest.raises(BrokerSettingsError, match="bad.yaml"):
        BrokerSettings.load(bad)


def test_backoff_is_capped_jitter_above_its_floor_and_seeded() -> None:
    a = Backoff(initial=0.5, maximum=4.0, seed=3)
    b = Backoff(initial=0.5, maximum=4.0, seed=3)
    delays = [a.next_delay() for _ in range(8)]
    assert delays == [b.next_delay() for _ in range(8)]
    ceilings = [min(4.0, 0.5 * 2 ** n) for n in range(8)]
    assert all(0.5 <= d <= c for d, c in zip(delays, ceilings))  # never below backoff_initial
    assert len(set(delays[1:])) == 7  # jittered above the first (whose ceiling is the floor)
    assert a.ceiling() == 4.0  # capped


async def test_backoff_resets_only_after_a_stable_period() -> None:
    with freeze_time("2026-01-02 09:00:00", real_asyncio=True) as clock:
        backoff = Backoff(initial=1, maximum=60, reset_after=30, seed=1)
        for _ in range(4):
            backoff.next_delay()
        backoff.connected()
        clock.tick(10)
        backoff.disconnected()  # a 10 s connection is not stable: keep escalating
        assert backoff.attempt == 4 and backoff.ceiling() == 16
        backoff.connected()
        clock.tick(31)
        await asyncio.sleep(0)  # the loop still runs under frozen time
        backoff.disconnected()
        assert backoff.attempt == 0 and backoff.ceiling() == 1


def test_circuit_breaker_opens_half_opens_and_closes() -> None:
    with freeze_time("2026-01-02 09:00:00") as clock:
        circuit = CircuitBreaker(failures=3, half_open_after=60)
        assert [circuit.record_failure() for _ in range(3)] == [False, False, True]
        assert circuit.state == "open" and circuit.remaining() == 60
        clock.tick(59)
        assert circuit.state == "open"
        clock.tick(1)
        assert circuit.state == "half_open"
        assert circuit.record_failure() and circuit.state == "open"  # a failed probe opens again
        clock.tick(60)
        circuit.record_success()
        assert circuit.state == "closed" and circuit.failures == 0


def test_every_code_of_the_issue_has_its_action() -> None:
    expected = {1100: Action.CONNECTIVITY_LOST, 1101: Action.RESTORED_DATA_LOST, 1102: Action.RESTORED_DATA_KEPT,
                2100: Action.ACCOUNT_UNSUBSCRIBED, 2103: Action.FARM_DOWN, 2105: Action.FARM_DOWN,
                2157: Action.FARM_DOWN, 2104: Action.FARM_OK, 2106: Action.FARM_OK, 2158: Action.FARM_OK,
                10182: Action.BARS_FAILED, 10197: Action.MARKET_DATA_UNAVAILABLE, 326: Action.CLIENT_ID_IN_USE,
                100: Action.PACING, 504: Action.RECONNECT, 399: Action.NONE}
    assert {code: action_for(code) for code in expected} == expected


def test_journal_survives_reopen_and_rejects_unknown_fields(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "journal.sqlite3"
    journal = Journal(path)
    journal.record_intent("k1", 41, "AAPL", "BUY", 5, "LIMIT", 10.0, None)
    assert journal.update_order("k1", "SUBMITTED", perm_id=9, acknowledged=True)
    assert not journal.update_order("nope", "SUBMITTED")
    with pytest.raises(ValueError, match="symbol"):
        journal.update_order("k1", symbol="MSFT")
    journal.close()
    again = Journal(path)
    record = again.order("k1")
    assert record is not None and record.status == "SUBMITTED" and record.perm_id == 9
    assert again.order_id_high_water() == 41
    assert [s for _, s, _ in again.order_events("k1")] == ["PENDING", "SUBMITTED"]
    assert again._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    again.close()


def test_event_bus_history_unsubscribe_and_a_failing_subscriber() -> None:
    bus = EventBus()
    seen: list[str] = []

    def broken(event: object) -> None:
        raise RuntimeError("subscriber bug")

    bus.subscribe(broken)
    unsubscribe = bus.subscribe(lambda e: seen.append(e.kind))
    bus.publish("state", to="ready")
    unsubscribe()
    bus.publish("state", to="degraded")
    assert seen == ["state"] and [e.data["to"] for e in bus.history] == ["ready", "degraded"]
    assert bus.history[0].as_dict()["kind"] == "state"


def test_event_bus_keeps_only_the_latest_events() -> None:
    """A broker runs for weeks: its history is bounded, keeps the newest in order, and is trimmed
    in slices (a tenth over the bound at most), not shifted on every event."""
    bus = EventBus(max_history=100)
    sizes = []
    for n in range(1_000):
        bus.publish("tick", n=n)
        sizes.append(len(bus.history))
    assert max(sizes) == 110 and sizes[-1] >= 100
    assert [e.data["n"] for e in bus.history] == list(range(1_000 - len(bus.history), 1_000))
    assert sum(1 for a, b in zip(sizes, sizes[1:]) if b < a) <= 1_000 // 10  # one trim per ten events at most
