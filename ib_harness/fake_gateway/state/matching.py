"""Price logic of the order book: when an order executes, at what price and size, and its cost.

Kept apart from the book's bookkeeping so the rules can be read (and tested) on their own:
market orders take the touch, limits fill when the market crosses them, stops trigger on the
price their trigger method names, and commissions follow IB's fixed-rate schedule.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Callable

from .accounts import Account
from .margin import rates
from .contracts import ContractDef
from .quote import Quote

if TYPE_CHECKING:
    from .order_model import Order

# triggerMethod: 0 default, 1 double bid/ask, 2 last, 3 double last, 4 bid/ask,
# 7 last or bid/ask, 8 mid-point. Default is 'last' here (falls back to bid/ask with no last).
_BID_ASK = {1, 4}
_EITHER = {7}
_MID = {8}


def _valid(price: float) -> bool:
    return math.isfinite(price) and price > 0


def _trigger_prices(buy: bool, method: int, quote: Quote) -> list[float]:
    """The prices a trigger method watches (default: last, or the touch with no last)."""
    touch = quote.ask if buy else quote.bid
    if method in _MID:
        prices = [quote.mid] if _valid(quote.bid) and _valid(quote.ask) else []
    elif method in _BID_ASK:
        prices = [touch]
    elif method in _EITHER:
        prices = [quote.last, touch]
    else:
        prices = [quote.last] if _valid(quote.last) else [touch]
    return [p for p in prices if _valid(p)]


def is_triggered(buy: bool, stop: float, method: int, quote: Quote) -> bool:
    """A buy stop triggers when the price rises to the stop, a sell stop when it falls to it."""
    prices = _trigger_prices(buy, method, quote)
    return any(p >= stop for p in prices) if buy else any(p <= stop for p in prices)


def is_touched(buy: bool, trigger: float, method: int, quote: Quote) -> bool:
    """MIT/LIT: a buy triggers when the price falls to the trigger, a sell when it rises to it."""
    prices = _trigger_prices(buy, method, quote)
    return any(p <= trigger for p in prices) if buy else any(p >= trigger for p in prices)


def trail_stop(buy: bool, stop: float, amount: float, percent: float, method: int, quote: Quote,
               tick: float) -> float:
    """A trailing order's stop after this quote: it follows a favourable price, never an adverse one.

    A sell trails below the price (the stop only rises), a buy above it (the stop only falls);
    the distance is the trailing amount or trailingPercent of the price, on the tick grid.
    """
    prices = _trigger_prices(buy, method, quote)
    if not prices:
        return stop
    price = prices[0]
    distance = amount if amount > 0 else price * percent / 100
    if buy:
        candidate = _to_tick(price + distance, tick, up=True)
        return candidate if stop <= 0 else min(stop, candidate)
    candidate = _to_tick(price - distance, tick, up=False)
    return max(stop, candidate)


def _to_tick(price: float, tick: float, up: bool) -> float:
    if tick <= 0:
        return price
    steps = price / tick
    steps = math.ceil(steps - 1e-9) if up else math.floor(steps + 1e-9)
    return round(steps * tick, 10)


def closing_price(quote: Quote) -> float | None:
    """The price a closing (or opening) auction prints at: the last trade, else the midpoint."""
    if _valid(quote.last):
        return quote.last
    if _valid(quote.bid) and _valid(quote.ask):
        return quote.mid
    return None


def triggers(order: "Order", quote: Quote) -> bool:
    """Whether a stop, if-touched or trailing order triggers on this quote.

    A trailing order's stop follows the quote first; a TRAIL LIMIT that triggers gets its limit,
    the stop less (sells) or plus (buys) its offset.
    """
    buy, method = order.is_buy, order.trigger_method
    if order.order_type in ("MIT", "LIT"):
        return is_touched(buy, order.aux_price, method, quote)
    if not order.is_trailing:
        return is_triggered(buy, order.aux_price, method, quote)
    stop = trail_stop(buy, order.trail_stop_price, order.trailing_amount, order.trailing_percent, method, quote,
                      order.contract.min_tick)
    order.trail_stop_price = stop
    if not is_triggered(buy, stop, method, quote):
        return False
    if order.order_type == "TRAIL LIMIT":
        offset = order.lmt_price_offset
        order.lmt_price = round(stop + offset if buy else stop - offset, 10)
    return True


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


def apply_fill(order: "Order", quantity: float, price: float) -> float:
    """Add a fill to the order's filled quantity, average and last price; returns its commission
    (the fixed-rate commission of everything filled, less what the earlier fills were charged)."""
    cost = order.avg_fill_price * order.filled + price * quantity
    order.filled = min(order.filled + quantity, order.total_quantity)
    order.avg_fill_price = cost / order.filled
    order.last_fill_price = price
    total_commission = commission_for(order.contract, order.filled, order.avg_fill_price)
    commission = max(round(total_commission - order.commission, 6), 0.0)
    order.commission += commission
    return commission


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
    init_rate, maint_rate = rates(contract.sec_type)
    init_change = gross_change * init_rate
    maint_change = gross_change * maint_rate
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
