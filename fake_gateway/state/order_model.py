"""What the order book is made of: orders, executions, the execution filter, and IB's checks.

Split from :mod:`.orders` so the book itself reads as a lifecycle. Validation follows IB's order
of checks and IB's codes (321 missing exchange or bad account, 200 unknown contract, 201 bad
order terms), so a client sees the same error it would get from the real gateway.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from ..wire.fields import UNSET_DOUBLE
from .accounts import Account
from .contracts import ContractDef

if TYPE_CHECKING:
    from .brokerage import Brokerage

ORDER_TYPES = {"MKT", "LMT", "STP", "STP LMT"}
TIFS = {"DAY", "GTC", "IOC"}
ACTIONS = {"BUY", "SELL", "SSHORT"}
OPEN_STATES = {"PendingSubmit", "PreSubmitted", "Submitted", "PendingCancel"}
DONE_STATES = {"Filled", "Cancelled", "ApiCancelled", "Inactive"}
MAX_QUANTITY = 1e9
NO_SECURITY_DEFINITION = "No security definition has been found for the request"


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


def validate_order(brokerage: "Brokerage", values: Mapping[str, Any]) -> tuple[ContractDef, Account, dict[str, Any]]:
    """IB's checks, in IB's order, raising OrderRejected with IB's code and wording."""
    query = values["contract"]
    if query.get("secType") == "STK" and not query.get("exchange"):
        raise OrderRejected(321, "Error validating request.-'bN' : cause - Missing order exchange.")
    contract = brokerage.catalog.resolve(query)
    if contract is None:
        raise OrderRejected(200, NO_SECURITY_DEFINITION)
    account = _account(brokerage, str(values.get("account") or ""))
    action = str(values.get("action", "")).upper()
    if action not in ACTIONS:
        raise _rejected(f"Invalid action '{action}'. Use BUY or SELL.")
    quantity = float(values.get("totalQuantity", 0.0))
    if not is_set(quantity) or quantity <= 0:
        raise _rejected(f"The order quantity {_text(quantity)} is not valid. It must be positive.")
    if quantity > MAX_QUANTITY:
        raise _rejected(f"The order quantity {_text(quantity)} exceeds the maximum allowed.")
    order_type = str(values.get("orderType", "")).upper()
    if order_type not in ORDER_TYPES:
        raise _rejected(f"Invalid order type '{order_type}' was entered.")
    tif = str(values.get("tif") or "DAY").upper()
    if tif not in TIFS:
        raise _rejected(f"Invalid time in force '{tif}'.")
    lmt = float(values.get("lmtPrice", UNSET_DOUBLE))
    aux = float(values.get("auxPrice", UNSET_DOUBLE))
    if order_type in ("LMT", "STP LMT") and not (is_set(lmt) and lmt > 0):
        raise _rejected(f"A valid limit price is required for a {order_type} order (got {_text(lmt)}).")
    if order_type in ("STP", "STP LMT") and not (is_set(aux) and aux > 0):
        raise _rejected(f"A valid stop price is required for a {order_type} order (got {_text(aux)}).")
    terms = {
        "action": "SELL" if action == "SSHORT" else action,
        "total_quantity": quantity,
        "order_type": order_type,
        "lmt_price": lmt if order_type in ("LMT", "STP LMT") else 0.0,
        "aux_price": aux if order_type in ("STP", "STP LMT") else 0.0,
        "tif": tif,
        "order_ref": str(values.get("orderRef") or ""),
        "trigger_method": int(values.get("triggerMethod") or 0),
        "terms": {k: values[k] for k in _ECHOED if k in values},
    }
    return contract, account, terms


def _account(brokerage: "Brokerage", code: str) -> Account:
    accounts = brokerage.accounts
    if not code:
        if len(accounts) > 1:
            raise OrderRejected(321, "Error validating request.-'bN' : cause - You must specify an account.")
        return brokerage.default_account
    if code not in accounts:
        raise OrderRejected(321, f"Error validating request.-'bN' : cause - Invalid account code '{code}'")
    return accounts[code]


# placeOrder fields echoed back in openOrder as sent (all safe for the openOrder layout).
_ECHOED = ("ocaGroup", "outsideRth", "hidden", "goodAfterTime", "goodTillDate", "modelCode",
           "allOrNone", "sweepToFill", "blockOrder", "parentId", "triggerMethod", "transmit")


def _rejected(reason: str) -> OrderRejected:
    """Error 201, IB's wording for an order its servers refuse."""
    return OrderRejected(201, "Order rejected - reason:" + reason)


def _text(number: float) -> str:
    if number == UNSET_DOUBLE:
        return "unset"
    return repr(number)
