"""Expectations: what must hold, each measured from the recorded trace after the timeline ran.

One model with one optional field per expectation kind (exactly one set) keeps error locations
short and readable (``expect.2.broker_state.within``) and the JSON Schema simple.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from .model_base import BrokerStateName, Strict



class Anchor(Strict):
    """A moment on the timeline: a fault's start or end (by step id), or the start."""

    fault_start: str | None = None
    fault_end: str | None = None

    @model_validator(mode="after")
    def _one(self) -> "Anchor":
        if (self.fault_start is None) == (self.fault_end is None):
            raise ValueError("name exactly one of fault_start or fault_end")
        return self

    @property
    def fault(self) -> str:
        return self.fault_start or self.fault_end or ""


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
    status: list[str] = Field(min_length=1)


KINDS = ("broker_state", "reconnects", "detection", "orders", "account_fresh", "market_data", "bars_flowing",
         "error_codes", "fail_fast", "no_leaks", "order_status", "invariant")
# The invariants explore checks on every run (judged in ``invariants.py``), usable in any scenario.
InvariantName = Literal["orders_agree", "no_hang", "ready_after_faults", "refused_fast", "cut_reported",
                        "no_stale_price", "fresh_after_faults", "bounded_reconnects", "no_line_leaks"]


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
            return [(body.of.fault, "fault")]
        if isinstance(body, Detection):
            return [(body.fault, "fault")]
        if isinstance(body, OrderStatusIs):
            return [(body.order, "place_order")]
        return []

    def times(self) -> list[tuple[str, float]]:
        body = self.body
        if isinstance(body, (StateWithin, Fresh)):
            return [("within", body.within)]
        if isinstance(body, Detection):
            return [("max", body.max)]
        return []

    def describe(self) -> str:
        body = self.body
        if isinstance(body, bool):
            return self.kind
        if isinstance(body, str):
            return f"{self.kind} {body}"
        return f"{self.kind} {body.model_dump(exclude_none=True)}"
