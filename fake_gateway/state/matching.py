"""Price logic of the order book: when an order executes, at what price and size, and its cost.

Kept apart from the book's bookkeeping so the rules can be read (and tested) on their own:
market orders take the touch, limits fill when the market crosses them, stops trigger on the
price their trigger method names, and commissions follow IB's fixed-rate schedule.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from .accounts import INIT_MARGIN_RATE, MAINT_MARGIN_RATE, Account
from .contracts import ContractDef
from .quote import Quote

# triggerMethod: 0 default, 1 double bid/ask, 2 last, 3 double last, 4 bid/ask,
# 7 last or bid/ask, 8 mid-point. Default is 'last' here (falls back to bid/ask with no last).
_BID_ASK = {1, 4}
_EITHER = {7}
_MID = {8}


def _valid(price: float) -> bool:
    return math.isfinite(price) and price > 0


def is_triggered(buy: bool, stop: float, method: int, quote: Quote) -> bool:
    """A buy stop triggers when the price rises to the stop, a sell stop when it falls to it."""
    touch = quote.ask if buy else quote.bid
    if method in _MID:
        prices = [quote.mid] if _valid(quote.bid) and _valid(quote.ask) else []
    elif method in _BID_ASK:
        prices = [touch]
    elif method in _EITHER:
        prices = [quote.last, touch]
    else:
        prices = [quote.last] if _valid(quote.last) else [touch]
    prices = [p for p in prices if _valid(p)]
    return any(p >= stop for p in prices) if buy else any(p <= stop for p in prices)


def execution_price(buy: bool, limit: float | None, quote: Quote) -> float | None:
    """The fill price against this quote, or None when the order cannot execute.

    A market order takes the touch (buys at the ask, sells at the bid). A limit order executes
    when the touch reaches the limit, at the touch (which is then at or better than the limit).
    """
    touch = quote.ask if buy else quote.bid
    if not _valid(touch):
        return None
    if limit is None:
        return touch
    if (buy and touch <= limit) or (not buy and touch >= limit):
        return touch
    return None


def fill_quantity(
    remaining: float, total: float, ratio: float, cap: float | None, increment: float
) -> float:
    """How much fills against one quote: all by default, else ``ratio`` of the order, capped.

    Rounded down to the contract's size increment but never below one increment, so partial
    fills always make progress.
    """
    quantity = remaining if ratio >= 1 else total * max(ratio, 0.0)
    if cap is not None and cap > 0:
        quantity = min(quantity, cap)
    if increment > 0:
        quantity = max(math.floor(quantity / increment + 1e-9) * increment, increment)
    return round(min(quantity, remaining), 10)


def commission_for(contract: ContractDef, quantity: float, price: float) -> float:
    """IB's fixed pricing for the whole order so far (minimums apply per order, not per fill).

    Stocks USD 0.005/share, min 1.00, max 1% of value; FX 0.2 bp of value, min 2.00;
    futures 2.25/contract (commission plus typical exchange fees); options 0.65, min 1.00.
    """
    if quantity <= 0:
        return 0.0
    value = abs(quantity * price * contract.multiplier)
    sec_type = contract.sec_type
    if sec_type == "STK":
        fee = max(0.005 * quantity, 1.0)
        if value > 0:
            fee = min(fee, 0.01 * value)
    elif sec_type == "CASH":
        fee = max(0.00002 * value, 2.0)
    elif sec_type in ("FUT", "FOP"):
        fee = 2.25 * quantity
    elif sec_type == "OPT":
        fee = max(0.65 * quantity, 1.0)
    else:
        fee = 1.0
    return round(fee, 4)


def what_if_figures(
    account: Account, marks: Callable[[int], float], contract: ContractDef, signed: float, price: float
) -> dict[str, Any]:
    """The orderState of a what-if order: margins before/change/after and the commission."""
    figures = account.figures(marks)
    position = account.positions.get(contract.con_id)
    held = position.quantity if position is not None else 0.0
    unit = price * contract.multiplier
    gross_change = (abs(held + signed) - abs(held)) * unit
    commission = commission_for(contract, abs(signed), price)
    init_before, maint_before = figures["init_margin"], figures["maint_margin"]
    ewl_before = figures["equity"]
    init_change = gross_change * INIT_MARGIN_RATE
    maint_change = gross_change * MAINT_MARGIN_RATE
    return {
        "initMarginBefore": round(init_before, 2),
        "maintMarginBefore": round(maint_before, 2),
        "equityWithLoanBefore": round(ewl_before, 2),
        "initMarginChange": round(init_change, 2),
        "maintMarginChange": round(maint_change, 2),
        "equityWithLoanChange": round(-commission, 2),
        "initMarginAfter": round(init_before + init_change, 2),
        "maintMarginAfter": round(maint_before + maint_change, 2),
        "equityWithLoanAfter": round(ewl_before - commission, 2),
        "commission": commission,
        "minCommission": commission,
        "maxCommission": commission,
        "commissionCurrency": account.currency,
    }


IDEALPRO_MINIMUM = 20_000


def preview_warning(contract: ContractDef, quantity: float) -> str:
    """The precaution TWS attaches to a what-if before the margin figures arrive ('' for none).

    IB's one that the capture shows: an IDEALPRO order below the 20,000 minimum in the base
    currency is routed as an odd lot.
    """
    if contract.sec_type == "CASH" and abs(quantity) < IDEALPRO_MINIMUM:
        return (
            f"Important Note: Your order size is below the {contract.symbol} {IDEALPRO_MINIMUM} IdealPro minimum.\n"
            "You may cancel and increase the order size if you wish to route to IdealPro\n"
            "or select the Transmit button to route as an odd lot order.\n"
            "Note that odd lot orders are not guaranteed executions at the IdealPro displayed quotes."
        )
    return ""
