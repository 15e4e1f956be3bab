"""Every tunable of the broker in one pydantic-settings object (env IB_BROKER_*, YAML, keywords).

Keywords beat the environment, which beats the YAML file. An invalid or unknown setting raises
BrokerSettingsError naming the setting, so a typo in a deployment fails at startup, not at 3 am.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ib_harness import bounded_yaml
from .backends import DEFAULT_BACKEND, BackendName


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "ib-harness"


class BrokerSettingsError(ValueError):
    """A setting is invalid; the message names it."""


class BrokerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IB_BROKER_", extra="forbid", validate_default=True)

    # keepalive probe (silent-stall detection)
    probe_interval: float = Field(5.0, gt=0, description="idle seconds before a reqCurrentTime probe")
    probe_timeout: float = Field(3.0, gt=0, description="seconds without an answer before the socket is dropped")
    probe_overdue: float = Field(0.5, gt=0, description="least seconds before an unanswered probe degrades; "
                                 "the bound follows the measured round trips (srtt + 4 rttvar, up to probe_timeout)")
    # IB connectivity codes
    connectivity_grace: float = Field(30.0, gt=0, description="wait for 1101/1102 after 1100 before forcing one "
                                      "reconnect (it cures a stale session)")
    connectivity_grace_growth: float = Field(4.0, ge=1, description="while fresh sessions still hear 1100 (IB is "
                                             "down: a reconnect cannot cure it), each escalation multiplies the next "
                                             "wait by this; 4 rides out a 2-minute nightly reset with one reconnect")
    connectivity_grace_max: float = Field(900.0, gt=0, description="the longest wait between escalations of one "
                                          "1100 that never ends (a 15-hour outage is still escalated every 15 min)")
    stream_check_timeout: float = Field(2.0, gt=0, description="seconds a stream may stay silent after 1102/farm OK")
    # market data lines (IB allows 100 per account by default; error 101 above)
    market_data_max_lines: int = Field(90, ge=1, description="lines held at most; the least recently used is released")
    market_data_max_age: float = Field(10.0, gt=0, description="seconds after its last tick a price stops being current")
    market_data_line_ttl: float = Field(300.0, gt=0, description="seconds a line nobody reads is kept")
    pacing_cooldown: float = Field(5.0, gt=0, description="seconds of halved request rate after error 100")
    # reconnect
    connect_timeout: float = Field(4.0, gt=0, description="seconds for the handshake and for each startup sync request")
    sync_retry_interval: float = Field(30.0, gt=0, description="seconds between re-requests of what the startup sync could not get")
    backoff_initial: float = Field(0.5, gt=0)
    backoff_max: float = Field(30.0, gt=0)
    backoff_multiplier: float = Field(2.0, ge=1)
    backoff_reset_after: float = Field(60.0, ge=0, description="seconds of stable connection that reset the backoff")
    backoff_seed: int | None = None
    circuit_failures: int = Field(8, ge=1, description="consecutive failed connects that open the circuit")
    circuit_half_open_after: float = Field(60.0, gt=0)
    fallback_client_id: int | None = Field(None, ge=0, description="client id to try after error 326")
    fallback_poll_interval: float = Field(5.0, gt=0, description="on the fallback client id: seconds between reads "
                                          "of the replaced id's orders and executions (IB reports them to it only)")
    order_check_interval: float = Field(30.0, gt=0, description="while orders work: seconds until the broker reads "
                                        "IB's orders and executions again on a live session (a status or fill IB "
                                        "lost is never sent again); the wait grows x2 while the same orders work")
    order_check_max: float = Field(900.0, gt=0, description="the longest wait between those reads")
    # requests
    request_timeout: float = Field(10.0, gt=0)
    order_ack_timeout: float = Field(5.0, gt=0)
    order_absent_after: float = Field(30.0, gt=0, description="an order sent but never confirmed is NOT_SENT only "
                                      "when three complete answers of the gateway (open and completed orders, "
                                      "executions) spread over this many seconds lack it; until then it is PENDING "
                                      "and looked up again")
    max_requests_per_second: int = Field(45, ge=1, le=50)
    # journal
    journal_path: Path = Field(default_factory=lambda: default_data_dir() / "journal.sqlite3")
    # risk
    max_order_quantity: float | None = Field(None, gt=0)
    max_notional: float | None = Field(None, gt=0)
    price_band: float | None = Field(None, gt=0, lt=1, description="max relative distance of a limit from last")
    allowed_symbols: list[str] | None = None
    check_buying_power: bool = True
    max_orders_per_second: float | None = Field(None, gt=0)
    # sanity bounds, on whatever limits are configured: outside them an order is a bug, not a trade
    order_quantity_range: tuple[float, float] = Field((1e-4, 1e9), description="smallest and largest quantity sent")
    order_price_range: tuple[float, float] = Field((1e-6, 1e7), description="smallest and largest limit/stop price")
    # supervision
    supervisor: Literal["builtin", "watchdog"] = "builtin"
    backend: BackendName = Field(DEFAULT_BACKEND, description="the client library: ib_insync or ib_async "
                                 "(its maintained fork; pip install 'ib-harness[ib_async]')")
    # the Watchdog's timings (supervisor="watchdog"); its defaults, settable small for tests
    watchdog_app_startup_time: float = Field(30.0, ge=0)
    watchdog_app_timeout: float = Field(20.0, gt=0)
    watchdog_retry_delay: float = Field(2.0, ge=0)
    watchdog_probe_timeout: float = Field(4.0, gt=0)
    account: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> "BrokerSettings":
        if self.backoff_max < self.backoff_initial:
            raise ValueError("backoff_max must be >= backoff_initial")
        if self.connectivity_grace_max < self.connectivity_grace:
            raise ValueError("connectivity_grace_max must be >= connectivity_grace")
        if self.order_check_max < self.order_check_interval:
            raise ValueError("order_check_max must be >= order_check_interval")
        for name in ("order_quantity_range", "order_price_range"):
            low, high = getattr(self, name)
            if not 0 < low < high < float("inf"):
                raise ValueError(f"{name} must be (low, high) with 0 < low < high, finite; got ({low}, {high})")
        return self

    @classmethod
    def load(cls, yaml_path: str | Path | None = None, **overrides: Any) -> "BrokerSettings":
        """Settings from an optional YAML file, the environment and keywords (in rising priority)."""
        values: dict[str, Any] = {}
        if yaml_path is not None:
            try:
                loaded = bounded_yaml.safe_load(Path(yaml_path).read_text()) or {}
            except (OSError, yaml.YAMLError) as exc:
                raise BrokerSettingsError(f"broker settings file {yaml_path}: {exc}") from exc
            if not isinstance(loaded, dict):
                raise BrokerSettingsError(f"broker settings file {yaml_path}: expected a mapping of settings")
            env_names = {k[len("IB_BROKER_"):].lower() for k in os.environ if k.upper().startswith("IB_BROKER_")}
            values = {k: v for k, v in loaded.items() if k not in env_names}
        values.update(overrides)
        try:
            return cls(**values)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}" for err in exc.errors())
            source = f" (from {yaml_path})" if yaml_path else ""
            raise BrokerSettingsError(f"invalid broker setting{source}: {problems}") from None
