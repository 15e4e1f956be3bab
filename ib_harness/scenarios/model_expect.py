"""Expectations: what must hold, each measured from the recorded trace after the timeline ran.

One model with one optional field per expectation kind (exactly one set) keeps error locations
short and readable (``expect.2.broker_state.within``) and the JSON Schema simple.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from .model_base import BrokerStateName, Strict
from .model_names import BrokerEventName, GatewayEventName, OrderStatusName



class Anchor(Strict):
    """A moment on the timeline: the start (t=0), a fault's start or end, when a step ran, or the
    Nth broker state, broker event or gateway event (counted from t=0)."""

    start: bool | None = Field(None, description="t=0, when the timeline starts (write `start: true`)")
    fault_start: str | None = None
    fault_end: str | None = None
    step: str | None = Field(None, description="step id: when that step ran (a client call: when it was made)")
    broker_state: BrokerStateName | None = Field(None, description="when the broker entered this state")
    broker_event: BrokerEventName | None = Field(None, description="a broker event kind, e.g. reconnected, reconcile")
    gateway_event: GatewayEventName | None = Field(None, description="a gateway event kind, e.g. session_opened")
    count: int = Field(1, ge=1, description="the Nth occurrence of a state or event")

    @model_validator(mode="after")
    def _one(self) -> "Anchor":
        named = [kind for kind in ANCHOR_KINDS if getattr(self, kind) is not None]
        if len(named) != 1:
            raise ValueError(f"an anchor names exactly one of {', '.join(ANCHOR_KINDS)}; got {named or 'none'}")
        if self.start is False:
            raise ValueError("write `start: true` (or name another anchor)")
        return self

    @property
    def kind(self) -> str:
        return next(kind for kind in ANCHOR_KINDS if getattr(self, kind) is not None)

    @property
    def fault(self) -> str:
        return self.fault_start or self.fault_end or ""

    def references(self) -> list[tuple[str, str]]:
        """(step id, action) this anchor names; action ``step`` means any action."""
        if self.fault_start or self.fault_end:
            return [(self.fault, "fault")]
        if self.step is not None:
            return [(self.step, "step")]
        return []

    def describe(self) -> str:
        value = getattr(self, self.kind)
        name = self.kind if value is True else f"{self.kind} {value}"
        return name + (f" #{self.count}" if self.count > 1 else "")


ANCHOR_KINDS = ("start", "fault_start", "fault_end", "step", "broker_state", "broker_event", "gateway_event")


class Window(Strict):
    """From ``after`` (default t=0) until ``until`` or for ``seconds`` (default: the end of the timeline)."""

    after: Anchor = Field(default_factory=lambda: Anchor(start=True))
    until: Anchor | None = None
    seconds: float | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _one_end(self) -> "Window":
        if self.until is not None and self.seconds is not None:
            raise ValueError("a window ends at `until` or after `seconds`, not both")
        return self

    def anchors(self) -> list[Anchor]:
        return [self.after] + ([self.until] if self.until is not None else [])


class StateWithin(Strict):
    """The broker is in one of ``states`` within ``within`` seconds of the anchor."""

    states: list[BrokerStateName] = Field(min_length=1)
    within: float = Field(gt=0)
    of: Anchor


class Range(Strict):
    min: int = Field(0, ge=0)
    max: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> "Range":
        if self.max is not None and self.max < self.min:
            raise ValueError(f"max {self.max} is below min {self.min}")
        return self


class Detection(Strict):
    """The broker leaves ``ready`` at most ``max`` seconds after the fault starts."""

    fault: str
    max: float = Field(gt=0)


class Orders(Strict):
    """Journal vs the gateway's executions: every fill recorded exactly once, no order sent twice."""

    lost: int = Field(0, ge=0)
    duplicated: int = Field(0, ge=0)


class Fresh(Strict):
    """A successful client call of this kind within ``within`` seconds of the anchor."""

    within: float = Field(gt=0)
    of: Anchor
    symbol: str | None = None
    changed: bool = Field(False, description="count only an answer that differs from the one before it: a "
                                             "stale cache repeats itself, so it does not count as data flowing")


class ErrorCodes(Strict):
    """IB error codes the broker saw (``include``) or must not have seen (``exclude``)."""

    include: list[int] = Field(default_factory=list)
    exclude: list[int] = Field(default_factory=list)


class FailFast(Strict):
    """Calls refused while not ready took at most ``max_latency`` seconds (at least ``min_calls``)."""

    max_latency: float = Field(gt=0)
    min_calls: int = Field(1, ge=0)


class OrderStatusIs(Strict):
    """An order placed by a step ends in one of these statuses (as the broker's journal says)."""

    order: str
    status: list[OrderStatusName] = Field(min_length=1)


class CallsCounted(Range):
    """How many client calls were refused at entry (the broker was not ready: it answered at once),
    or cut in flight (made while ready, the connection died under them), in a window."""

    method: "CallMethod | None" = Field(None, description="only calls of this broker method")
    window: Window = Field(default_factory=Window)


class StaysReady(Strict):
    """The broker is ready when the window opens and never leaves ready inside it."""

    window: Window = Field(default_factory=Window)


class NoStale(Strict):
    """No call answered with stale data in the window: an answer the broker marked stale, an answer
    given while it was not ready, or (with ``during``) any data answer while that fault held."""

    window: Window = Field(default_factory=Window)
    during: str | None = Field(None, description="fault step id: data answered while it held is stale")


CallMethod = Literal["place_order", "modify_order", "cancel_order", "get_market_price", "get_historical_bars",
                     "stream_bars", "get_positions", "get_account", "get_orders"]
ErrorType = Literal["BrokerUnavailable", "BrokerTimeout", "OrderRejected", "OrderNotSent", "OrderUnconfirmed",
                    "UnknownOrder", "MarketDataUnavailable", "RequestFailed", "Hung", "ValueError"]


class CallOutcome(Strict):
    """The outcome of one named client-call step: did it succeed, what did it raise, what did it return."""

    step: str = Field(description="the client-call step id")
    ok: bool | None = Field(None, description="true: it answered; false: it raised")
    raised: ErrorType | None = Field(None, description="the error type it raised")
    returned: dict[str, Any] | None = Field(
        None, description="keys of the recorded answer and their values, e.g. {positions: {AAPL: 5}}")
    which: Literal["first", "last", "every"] = Field("last", description="for a repeated step: which call")

    @model_validator(mode="after")
    def _something(self) -> "CallOutcome":
        if self.ok is None and self.raised is None and self.returned is None:
            raise ValueError("say what the call must do: ok, raised or returned")
        if self.raised is not None and (self.ok is True or self.returned is not None) \
                or self.returned is not None and self.ok is False:
            raise ValueError("a call that raised returns nothing: ok, raised and returned contradict")
        return self


class ConnectAttempts(Range):
    """How many times the broker tried to connect on the timeline (reconnect churn)."""


KINDS = ("broker_state", "reconnects", "detection", "orders", "account_fresh", "market_data", "bars_flowing",
         "error_codes", "fail_fast", "no_leaks", "order_status", "calls_refused", "calls_cut", "stays_ready",
         "no_stale_answers", "call", "journal_matches_gateway", "connect_attempts", "invariant")
# The invariants explore checks on every run (judged in ``invariants.py``), usable in any scenario.
InvariantName = Literal["orders_agree", "no_hang", "ready_after_faults", "refused_fast", "cut_reported",
                        "no_stale_price", "fresh_after_faults", "bounded_reconnects", "no_line_leaks",
                        "not_ready_in_outage"]


class Expectation(Strict):
    broker_state: StateWithin | None = None
    reconnects: Range | None = None
    detection: Detection | None = None
    orders: Orders | None = None
    account_fresh: Fresh | None = None
    market_data: Fresh | None = None
    bars_flowing: Fresh | None = None
    error_codes: ErrorCodes | None = None
    fail_fast: FailFast | None = None
    no_leaks: bool | None = None
    order_status: OrderStatusIs | None = None
    calls_refused: CallsCounted | None = None
    calls_cut: CallsCounted | None = None
    stays_ready: StaysReady | None = None
    no_stale_answers: NoStale | None = None
    call: CallOutcome | None = None
    journal_matches_gateway: bool | None = Field(None, description="every order's journal status equals the "
                                                                   "gateway's (true)")
    connect_attempts: ConnectAttempts | None = None
    invariant: InvariantName | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "Expectation":
        set_kinds = [kind for kind in KINDS if getattr(self, kind) is not None]
        if len(set_kinds) != 1:
            raise ValueError(f"an expectation needs exactly one of {', '.join(KINDS)}; got {set_kinds or 'none'}")
        return self

    @property
    def kind(self) -> str:
        return next(kind for kind in KINDS if getattr(self, kind) is not None)

    @property
    def body(self) -> Any:
        return getattr(self, self.kind)

    def references(self) -> list[tuple[str, str]]:
        """(step id, action) pairs this expectation names, for the scenario to resolve."""
        body = self.body
        if isinstance(body, (StateWithin, Fresh)):
            return body.of.references()
        if isinstance(body, Detection):
            return [(body.fault, "fault")]
        if isinstance(body, OrderStatusIs):
            return [(body.order, "place_order")]
        if isinstance(body, (CallsCounted, StaysReady, NoStale)):
            refs = [ref for anchor in body.window.anchors() for ref in anchor.references()]
            return refs + ([(body.during, "fault")] if isinstance(body, NoStale) and body.during else [])
        if isinstance(body, CallOutcome):
            return [(body.step, "client_call")]
        return []

    def times(self) -> list[tuple[str, float]]:
        body = self.body
        if isinstance(body, (StateWithin, Fresh)):
            return [("within", body.within)]
        if isinstance(body, Detection):
            return [("max", body.max)]
        if isinstance(body, (CallsCounted, StaysReady, NoStale)) and body.window.seconds is not None:
            return [("window.seconds", body.window.seconds)]
        return []

    def describe(self) -> str:
        body = self.body
        if isinstance(body, bool):
            return self.kind
        if isinstance(body, str):
            return f"{self.kind} {body}"
        return f"{self.kind} {body.model_dump(exclude_none=True)}"
