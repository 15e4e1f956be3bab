"""What the order book is made of: orders, executions and the execution filter.

Split from :mod:`.orders` so the book itself reads as a lifecycle; IB's checks on a new order
are in :mod:`.order_checks`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..wire.fields import UNSET_DOUBLE
from .contracts import ContractDef

OPEN_STATES = {"PendingSubmit", "PreSubmitted", "Submitted", "PendingCancel"}
DONE_STATES = {"Filled", "Cancelled", "ApiCancelled", "Inactive"}


class OrderRejected(Exception):
    """A request IB refuses with an error code; the handler sends it to the placing client."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def is_set(price: float | None) -> bool:
    """A price the client really sent (not empty, not IB's UNSET marker, not NaN/inf)."""
    return price is not None and math.isfinite(price) and price != UNSET_DOUBLE


@dataclass
class Execution:
    """One fill, with its commission; what reqExecutions and live execDetails report."""

    exec_id: str
    order: "Order"
    time: float
    time_text: str
    side: str
    shares: float
    price: float
    cum_qty: float
    avg_price: float
    exchange: str
    last_liquidity: int
    commission: float
    commission_currency: str
    realized_pnl: float = UNSET_DOUBLE


@dataclass
class Order:
    """An order as IB's servers hold it: identity, terms, status and fills."""

    order_id: int
    client_id: int
    perm_id: int
    account: str
    contract: ContractDef
    action: str
    total_quantity: float
    order_type: str
    lmt_price: float
    aux_price: float
    tif: str
    order_ref: str = ""
    trigger_method: int = 0
    terms: dict[str, Any] = field(default_factory=dict)
    parent_id: int = 0
    oca_group: str = ""
    oca_type: int = 0
    transmit: bool = True
    trailing_amount: float = 0.0  # TRAIL / TRAIL LIMIT: auxPrice as an amount, or ...
    trailing_percent: float = 0.0  # ... a percentage of the reference price
    trail_stop_price: float = 0.0  # the current stop of a trailing order (0 until first priced)
    lmt_price_offset: float = 0.0  # TRAIL LIMIT: limit = stop -/+ offset once triggered
    good_till: float | None = None  # GTD: expiry on the gateway clock
    expires_at: float | None = None  # DAY/GTD expiry, MOC/LOC execution, OPG open
    opens_at: float | None = None  # held outside its trading session: when that session opens
    session: tuple[float, float] | None = None  # (open, close) it may execute in; None: not looked up
    group_size: float = 0.0  # the size when it went live: OCA reductions are proportional to it
    status: str = "PendingSubmit"
    filled: float = 0.0
    avg_fill_price: float = 0.0
    last_fill_price: float = 0.0
    commission: float = 0.0
    triggered: bool = False
    manual: bool = False
    completed_time: str = ""
    completed_status: str = ""
    executions: list[Execution] = field(default_factory=list)

    @property
    def con_id(self) -> int:
        return self.contract.con_id

    @property
    def is_buy(self) -> bool:
        return self.action == "BUY"

    @property
    def remaining(self) -> float:
        return max(self.total_quantity - self.filled, 0.0)

    @property
    def is_trailing(self) -> bool:
        return self.order_type in ("TRAIL", "TRAIL LIMIT")

    @property
    def due_at(self) -> float | None:
        """When the order clock next acts on the order: its session opening or its expiry."""
        times = [t for t in (self.opens_at, self.expires_at) if t is not None]
        return min(times) if times else None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATES


@dataclass
class ExecutionFilter:
    """reqExecutions' filter; an empty or zero field matches everything."""

    client_id: int = 0
    account: str = ""
    time: str = ""
    symbol: str = ""
    sec_type: str = ""
    exchange: str = ""
    side: str = ""

    def matches(self, execution: "Execution", since: float | None) -> bool:
        """Every non-empty field must agree; side is BUY/SELL here and BOT/SLD on executions."""
        side = {"BUY": "BOT", "SELL": "SLD"}.get(self.side.upper(), self.side.upper())
        order = execution.order
        details = order.contract.details
        checks: Iterable[bool] = (
            not self.client_id or order.client_id == self.client_id,
            not self.account or order.account == self.account,
            since is None or execution.time >= since,
            not self.symbol or details.get("symbol") == self.symbol,
            not self.sec_type or details.get("secType") == self.sec_type,
            not self.exchange or self.exchange in (execution.exchange, details.get("exchange")),
            not side or execution.side == side,
        )
        return all(checks)
