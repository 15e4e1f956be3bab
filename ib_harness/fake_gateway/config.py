"""Gateway settings: one validated object, built from keywords, YAML or the command line."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ib_harness import bounded_yaml

from .wire.framing import MAX_REQUEST_FRAME

LOWEST_SUPPORTED_VERSION = 157
HIGHEST_SUPPORTED_VERSION = 200


class ConfigError(ValueError):
    """Settings that cannot be used; the message names the file and the field."""


class AccountConfig(BaseModel):
    """One account of the simulated brokerage."""

    model_config = ConfigDict(extra="forbid")

    account_id: str = "DU1234567"
    currency: str = "USD"
    cash: float = 1_000_000.0
    accrued_cash: float = 0.0
    account_type: str = "INDIVIDUAL"
    positions: dict[str, float] = Field(default_factory=dict, description="symbol -> quantity at start")


class HistoricalPacingConfig(BaseModel):
    """IB's historical-data pacing rules (error 162), counted per client on the gateway clock."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    small_bars_only: bool = Field(True, description="IB paces only bars of 30 secs or less")
    identical_window: float = Field(15.0, ge=0, description="seconds in which an identical request is refused")
    burst_count: int = Field(6, ge=1, description="this many requests for one contract/exchange/type ...")
    burst_window: float = Field(2.0, ge=0, description="... within this many seconds are refused")
    max_requests: int = Field(60, ge=1, description="more than this many requests ...")
    window: float = Field(600.0, ge=0, description="... within this many seconds are refused")


class GatewayConfig(BaseModel):
    """How the fake gateway listens and which protocol range it speaks."""

    model_config = ConfigDict(extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(0, ge=0, le=65535)
    min_version: int = LOWEST_SUPPORTED_VERSION
    max_version: int = 176
    max_clients: int = Field(32, ge=1)
    trusted_ips: list[str] | None = None
    max_frame: int = Field(MAX_REQUEST_FRAME, ge=16, description=(
        "largest request frame, so the most memory one connection's unfinished frame can hold "
        "(requests are small; the official clients' 16 MiB cap is for what they receive)"))
    max_pending_bytes: int = Field(32 * 1024 * 1024, ge=1024,
                                   description="unfinished frames of all connections together, in bytes")
    max_request_fields: int = Field(5_000, ge=16, description="fields in one request (placeOrder has about 115)")
    max_discard_rate: int = Field(64 * 1024 * 1024, ge=64 * 1024, description=(
        "bytes a second of refused frames (above the message rate, too many fields) the gateway reads only to "
        "throw away, all connections together; beyond it those connections are read later"))
    handshake_timeout: float = Field(10.0, gt=0, description="seconds from accept to the version announcement")
    start_api_timeout: float = Field(30.0, gt=0, description="seconds from accept to startApi")
    max_output_buffer: int = Field(64 * 1024 * 1024, ge=1024,
                                   description="bytes queued for a client that is not reading before it is dropped")
    accounts: list[AccountConfig] = Field(default_factory=lambda: [AccountConfig()])
    catalog: str | None = Field(None, description="path of a contract catalog YAML; None = built-in")
    seed: int = 0
    timezone: str = "US/Eastern"
    next_order_id: int = Field(1, ge=1)
    farm_notices: bool = True
    master_client_id: int | None = Field(None, description="TWS's 'Master API client ID': sees every client's orders")
    fill_ratio: float = Field(1.0, gt=0, le=1, description="share of an order's size filled per quote (partial fills)")
    max_fill_size: float | None = Field(None, gt=0, description="largest fill per quote and order")
    market_ticker: bool = Field(True, description="step subscribed contracts in the background")
    market_hours: Literal["exchange", "always_open"] = Field("always_open", description=(
        "when orders may execute: 'exchange' as at IB (each instrument's trading session on the gateway clock: "
        "an order placed outside it is held PreSubmitted with warning 399 and works at the next open; "
        "outsideRth limit orders in US stocks' 04:00-20:00), 'always_open' at any hour (tests about "
        "something else on the wall clock). Scenario replays, the pytest plugin and `ib-harness gateway` use "
        "'exchange'"))
    order_clock_poll: float | None = Field(1.0, gt=0, description=(
        "longest sleep of the order timer (DAY/GTD expiry, auctions) between looks at the gateway's clock, "
        "so a clock moved by hand is noticed; None: it wakes only when an order is due (a clock that moves "
        "only with the event loop, as on the virtual clock)"))
    market_tick_interval: float = Field(0.25, gt=0, le=60, description="seconds between market steps")
    volatility: dict[str, float] = Field(default_factory=dict, description="symbol -> volatility (sd of log return per second); overrides the catalog")
    max_tickers: int = Field(100, ge=1, description="market data lines per client (error 101 above)")
    unsubscribed_symbols: list[str] = Field(default_factory=list, description="live data refused (354)")
    history_files: dict[str, str] = Field(default_factory=dict, description="symbol -> bars CSV/Parquet")
    max_messages_per_second: int = Field(50, ge=1, description=(
        "requests per client per second; the rest of that second are dropped and reported by one error 100"))
    disconnect_on_message_rate: bool = Field(False, description=(
        "close a client after its error 100 (TWS 'will likely' do so; IB's logs show clients staying)"))
    historical_pacing: HistoricalPacingConfig = Field(default_factory=HistoricalPacingConfig)
    max_events: int = Field(100_000, ge=100, description="newest events the event log keeps (older ones are dropped)")
    fault_layer: bool = Field(True, description="allow fault injection (False: inject() refuses; for benchmarks)")

    @field_validator("min_version", "max_version")
    @classmethod
    def _in_supported_range(cls, value: int) -> int:
        if not LOWEST_SUPPORTED_VERSION <= value <= HIGHEST_SUPPORTED_VERSION:
            raise ValueError(
                f"server version {value} is outside the supported range "
                f"{LOWEST_SUPPORTED_VERSION}..{HIGHEST_SUPPORTED_VERSION}"
            )
        return value

    @field_validator("volatility")
    @classmethod
    def _non_negative_volatility(cls, value: dict[str, float]) -> dict[str, float]:
        for symbol, vol in value.items():
            if not vol >= 0:
                raise ValueError(f"volatility of {symbol} must be >= 0, got {vol}")
        return value

    @field_validator("history_files")
    @classmethod
    def _readable_bar_files(cls, value: dict[str, str]) -> dict[str, str]:
        for symbol, path in value.items():
            if not path.lower().endswith((".csv", ".parquet", ".pq")):
                raise ValueError(f"history file of {symbol} must be .csv or .parquet: {path}")
            if not Path(path).is_file():
                raise ValueError(f"history file of {symbol} does not exist: {path}")
        return value

    @field_validator("trusted_ips")
    @classmethod
    def _valid_ips(cls, value: list[str] | None) -> list[str] | None:
        for entry in value or []:
            ipaddress.ip_network(entry, strict=False)
        return value

    @model_validator(mode="after")
    def _ordered_range(self) -> "GatewayConfig":
        if self.min_version > self.max_version:
            raise ValueError(f"min_version {self.min_version} is above max_version {self.max_version}")
        if not self.accounts:
            raise ValueError("at least one account is required (managedAccounts may not be empty)")
        return self

    @classmethod
    def from_yaml(cls, path: str | Path) -> "GatewayConfig":
        """Load settings from a YAML mapping of these fields; errors name the file, line and field."""
        text = Path(path).read_text()
        try:
            data = bounded_yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
            raise ConfigError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: expected a mapping of gateway settings, got {type(data).__name__}")
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(part) for part in error['loc']) or '(top level)'}: {error['msg']}"
                for error in exc.errors()
            )
            raise ConfigError(f"{path}: invalid gateway settings: {problems}") from None

    def is_trusted(self, peer_ip: str) -> bool:
        """TWS's 'Trusted IPs': with no list, every peer that reaches the socket is allowed."""
        if self.trusted_ips is None:
            return True
        address = ipaddress.ip_address(peer_ip)
        return any(address in ipaddress.ip_network(net, strict=False) for net in self.trusted_ips)
