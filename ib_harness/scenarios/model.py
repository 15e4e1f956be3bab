"""The typed shape of a scenario file: header, initial world, broker settings, timeline, expectations.

Every model forbids unknown keys, so a typo is an error that names the field (and, through
:mod:`.yaml_lines`, the line). Faults are written in the gateway's own fault vocabulary and
checked by the gateway's parser, so a scenario can never ask for a fault the gateway lacks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from ib_harness.broker import BrokerSettings
from ib_harness.broker.backends import DEFAULT_BACKEND, BackendName

from ib_harness.fake_gateway import AccountConfig, GatewayConfig

from .fault_vocabulary import ORDER_REFERENCE, check_fault_spec
from .model_actions import (
    CancelOrder,
    GetBars,
    GetMarketPrice,
    MarketMove,
    ModifyOrder,
    NoArguments,
    PlaceOrder,
    Restart,
    StreamBars,
)
from .model_base import NAME_PATTERN, BrokerStateName, Strict
from .model_expect import Expectation
from .model_messages import did_you_mean
from .model_names import BrokerEventName, GatewayEventName, OrderStatusName, catalog_for, stock_symbols, symbol_uses



class PricePin(Strict):
    price: float = Field(gt=0)
    spread: float = Field(0.02, ge=0)


MAX_DURATION = 8 * 86400.0  # a week of trading on the virtual clock, with a day to spare

# A regular trading day, an hour into the session: US stocks, futures and FX all trade.
REPLAY_START = datetime.fromisoformat("2026-11-24T10:30:00-05:00")


class GatewaySection(Strict):
    """The initial world; ``settings`` takes any other GatewayConfig field."""

    accounts: list[AccountConfig] = Field(default_factory=lambda: [AccountConfig()])
    server_version: int | None = Field(None, description="the gateway's highest server version")
    prices: dict[str, PricePin | float] = Field(default_factory=dict, description="symbol -> pinned price")
    paths: dict[str, list[float | tuple[float, float]]] = Field(
        default_factory=dict, description="symbol -> prices, one per market step, or (seconds, price) pairs")
    settings: dict[str, Any] = Field(default_factory=dict, description="any other GatewayConfig field")
    start_time: datetime = Field(
        REPLAY_START, description="the gateway's wall clock when the replay starts (ISO 8601 with its zone); "
                                  "the default is a fixed Tuesday mid-session, so a replay does not depend on "
                                  "when it runs (market hours, weekends, holidays)")

    @field_validator("start_time")
    @classmethod
    def _zoned(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("needs a time zone (for example 2026-11-24T10:30:00-05:00)")
        return value

    @field_validator("settings")
    @classmethod
    def _known_gateway_settings(cls, value: dict[str, Any]) -> dict[str, Any]:
        reserved = {"host", "port", "accounts", "seed", "max_version"} & set(value)
        if reserved:
            raise ValueError(f"{sorted(reserved)} are set by the runner or elsewhere in the scenario")
        GatewayConfig.model_validate(value)
        return value

    def config(self, seed: int) -> GatewayConfig:
        extra: dict[str, Any] = {"market_ticker": True, "market_tick_interval": 0.1, "market_hours": "exchange"}
        extra.update(self.settings)
        if self.server_version is not None:
            extra["max_version"] = self.server_version
        return GatewayConfig(accounts=self.accounts, seed=seed, **extra)


class BrokerSection(Strict):
    """The broker's settings under test (any BrokerSettings field) and who supervises it."""

    supervisor: Literal["builtin", "watchdog"] = "builtin"
    backend: BackendName = Field(DEFAULT_BACKEND, description="the client library the broker runs on")
    client_id: int = Field(1, ge=0)
    settings: dict[str, Any] = Field(default_factory=dict, description="BrokerSettings fields")

    @field_validator("settings")
    @classmethod
    def _known_broker_settings(cls, value: dict[str, Any]) -> dict[str, Any]:
        reserved = {"journal_path", "supervisor", "backend"} & set(value)
        if reserved:
            raise ValueError(f"{sorted(reserved)} are set by the runner (a temp journal per replay; "
                             "broker.supervisor, broker.backend)")
        BrokerSettings.model_validate(value)  # its errors are located under broker.settings
        return value


TRIGGER_KINDS = ("broker_state", "order_status", "gateway_event", "broker_event", "fault_fired")


class Trigger(Strict):
    """Run a step when something happens rather than at a fixed time."""

    broker_state: BrokerStateName | None = None
    order_status: OrderStatusName | None = Field(None, description="a broker order status, with ``order``")
    order: str | None = Field(None, description="the place_order step id order_status refers to")
    gateway_event: GatewayEventName | None = Field(None, description="a gateway event kind, e.g. session_closed")
    broker_event: BrokerEventName | None = Field(None, description="a broker event kind, e.g. reconnected, reconcile")
    fault_fired: str | None = Field(None, description="step id of a fault whose trigger fired")
    count: int = Field(1, ge=1, description="the Nth occurrence (counted from the scenario start)")
    delay: float = Field(0.0, ge=0, description="seconds after the occurrence")

    @model_validator(mode="after")
    def _one_kind(self) -> "Trigger":
        kinds = [k for k in TRIGGER_KINDS if getattr(self, k)]
        if len(kinds) != 1:
            raise ValueError(f"a trigger needs exactly one of {', '.join(TRIGGER_KINDS)}")
        if self.order_status and not self.order:
            raise ValueError("order_status needs `order: <place_order step id>`")
        return self


ACTIONS = ("fault", "stop_fault", "place_order", "modify_order", "cancel_order", "get_market_price",
           "get_historical_bars", "stream_bars", "get_positions", "get_account", "get_orders", "market", "restart",
           "start_gateway")
CLIENT_ACTIONS = ("place_order", "modify_order", "cancel_order", "get_market_price",
                  "get_historical_bars", "stream_bars", "get_positions", "get_account", "get_orders")


class Step(Strict):
    """One thing that happens: at ``at`` seconds, or ``on`` a trigger; exactly one action."""

    id: str | None = Field(None, pattern=NAME_PATTERN)
    at: float | None = Field(None, ge=0, description="seconds from the start of the timeline")
    on: Trigger | None = None
    every: float | None = Field(None, gt=0, description="repeat a client call this often ...")
    until: float | None = Field(None, gt=0, description="... until this many seconds into the timeline")
    fault: dict[str, Any] | None = Field(None, description="a gateway fault spec: {kind: ..., params}")
    before_connect: bool = Field(False, description="a fault step at 0: injected before the broker's first "
                                                    "connect; the timeline starts with that connect")
    stop_fault: str | None = Field(None, description="step id of a fault to stop")
    place_order: PlaceOrder | None = None
    modify_order: ModifyOrder | None = None
    cancel_order: CancelOrder | None = None
    get_market_price: GetMarketPrice | None = None
    get_historical_bars: GetBars | None = None
    stream_bars: StreamBars | None = None
    get_positions: NoArguments | None = None
    get_account: NoArguments | None = None
    get_orders: NoArguments | None = None
    market: MarketMove | None = None
    restart: Restart | None = None
    start_gateway: NoArguments | None = Field(None, description="start a gateway that a fault left down (token expiry)")

    @field_validator("fault")
    @classmethod
    def _gateway_fault(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if value is None else check_fault_spec(value)

    @model_validator(mode="after")
    def _one_action_one_time(self) -> "Step":
        actions = [name for name in ACTIONS if getattr(self, name) is not None]
        if len(actions) != 1:
            raise ValueError(f"a step needs exactly one action of {', '.join(ACTIONS)}; got {actions or 'none'}")
        if (self.at is None) == (self.on is None):
            raise ValueError("a step needs exactly one of `at: seconds` or `on: trigger`")
        if (self.every is None) != (self.until is None):
            raise ValueError("`every` and `until` go together")
        if self.every is not None and self.action not in CLIENT_ACTIONS:
            raise ValueError(f"only client calls repeat; {self.action} cannot take `every`")
        if self.every is not None and self.at is not None and self.until is not None and self.until <= self.at:
            raise ValueError(f"until {self.until} is not after at {self.at}")
        if self.before_connect and (self.action != "fault" or self.at != 0):
            raise ValueError("only a fault step `at: 0` can be `before_connect` (it acts on the first connect)")
        if self.action in ("place_order", "fault") and self.id is None:
            raise ValueError(f"a {self.action} step needs an `id` (expectations and later steps refer to it)")
        return self

    @property
    def action(self) -> str:
        return next(name for name in ACTIONS if getattr(self, name) is not None)

    @property
    def argument(self) -> Any:
        return getattr(self, self.action)


class Scenario(Strict):
    """One failure scenario: the world, the broker, what happens when, and what must hold."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"title": "ib-harness scenario"})

    name: str = Field(pattern=NAME_PATTERN)
    description: str = Field(min_length=20, description="the real-world incident it models")
    seed: int = 0
    tags: list[str] = Field(default_factory=list)
    duration: float = Field(gt=0, le=MAX_DURATION,
                            description="seconds the timeline runs (up to 8 days); expectations are checked after")
    clock: Literal["virtual", "real"] | None = Field(
        None, description="virtual: simulated time, in-memory network, production timings in seconds of wall "
                          "time; real: the wall clock (the command line's --clock overrides this)")
    gateway: GatewaySection = Field(default_factory=GatewaySection)
    broker: BrokerSection = Field(default_factory=BrokerSection)
    steps: list[Step] = Field(default_factory=list)
    expect: list[Expectation] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_resolve(self) -> "Scenario":
        ids: dict[str, Step] = {}
        for index, step in enumerate(self.steps):
            if step.id is not None:
                if step.id in ids:
                    raise _at(("steps", index, "id"), f"step id {step.id!r} is used twice")
                ids[step.id] = step
            for time_field in ("at", "until"):
                value = getattr(step, time_field)
                if value is not None and value > self.duration:
                    raise _at(("steps", index, time_field),
                              f"{value} s is after the end of the timeline (duration {self.duration} s)")
            for field_name, kind in _step_references(step):
                target = ids.get(field_name)
                if target is None or target.action != kind:
                    raise _at(("steps", index, step.action if step.action != "stop_fault" else "stop_fault"),
                              f"refers to {kind} step {field_name!r}, which is not defined before it"
                              + _ids_like(field_name, ids, kind))
            if step.on is not None:
                for ref, kind in ((step.on.order, "place_order"), (step.on.fault_fired, "fault")):
                    if ref is not None and (ref not in ids or ids[ref].action != kind):
                        raise _at(("steps", index, "on"), f"trigger refers to unknown {kind} step {ref!r}"
                                  + _ids_like(ref, ids, kind))
        needs_call = {"account_fresh": "get_account", "market_data": "get_market_price", "bars_flowing": "stream_bars"}
        for index, expectation in enumerate(self.expect):
            action = needs_call.get(expectation.kind)
            if action is not None and not any(step.action == action for step in self.steps):
                raise _at(("expect", index, expectation.kind),
                          f"is measured from {action} calls, but no step makes one")
            for ref, kind in expectation.references():
                if ref not in ids or not _is_kind(ids[ref], kind):
                    what = "" if kind == "step" else kind.replace("_", " ") + " "
                    raise _at(("expect", index, expectation.kind),
                              f"names unknown {what}step {ref!r}" + _ids_like(ref, ids, kind))
            for time_field, value in expectation.times():
                if value > self.duration:
                    raise _at(("expect", index, expectation.kind, time_field),
                              f"{value} s cannot be measured in a {self.duration} s timeline")
        self._symbols_in_catalog()
        return self

    def _symbols_in_catalog(self) -> None:
        try:
            symbols = stock_symbols(catalog_for(self.gateway.settings))
        except ValueError as exc:
            raise _at(("gateway", "settings", "catalog"), str(exc)) from None
        for location, symbol in symbol_uses(self):
            if symbol not in symbols:
                raise _at(location, f"symbol {symbol!r} is not a US stock in the gateway's contract catalog"
                                    + did_you_mean(symbol, symbols))

    def step(self, step_id: str) -> Step:
        return next(step for step in self.steps if step.id == step_id)


class LocatedError(ValueError):
    """A cross-reference error that knows its location in the file."""

    def __init__(self, location: tuple[Any, ...], message: str) -> None:
        super().__init__(message)
        self.location = location
        self.message = message


def _at(location: tuple[Any, ...], message: str) -> LocatedError:
    return LocatedError(location, message)


def _is_kind(step: Step, kind: str) -> bool:
    """``kind`` is an action, ``step`` (any action) or ``client_call`` (any client call)."""
    return kind == "step" or step.action == kind or (kind == "client_call" and step.action in CLIENT_ACTIONS)


def _ids_like(ref: str, ids: dict[str, Step], kind: str) -> str:
    return did_you_mean(ref, [name for name, step in ids.items() if _is_kind(step, kind)])


def _step_references(step: Step) -> list[tuple[str, str]]:
    refs: list[tuple[str, str]] = []
    if step.fault is not None and isinstance(step.fault.get(ORDER_REFERENCE), str):
        refs.append((step.fault[ORDER_REFERENCE], "place_order"))
    if step.stop_fault is not None:
        refs.append((step.stop_fault, "fault"))
    if step.modify_order is not None:
        refs.append((step.modify_order.order, "place_order"))
    if step.cancel_order is not None:
        refs.append((step.cancel_order.order, "place_order"))
    if step.place_order is not None and step.place_order.key_of is not None:
        refs.append((step.place_order.key_of, "place_order"))
    return refs
