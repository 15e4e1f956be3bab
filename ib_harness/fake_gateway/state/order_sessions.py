"""Whether an order may execute now: IB works an order only while its instrument's session is open.

An order accepted outside its session is held (PreSubmitted, with warning 399 naming the next
open) and works when the session opens. US stocks and options trade in the regular session
(09:30-16:00 Eastern, 13:00 on half days, nothing on exchange holidays); a stock LMT or STP LMT
order with outsideRth also 04:00-20:00; IB ignores outsideRth on other order types and says so
(warning 2109). Forex (IDEALPRO) and futures trade in their whole trading session. The schedule
is the one contract details print (``session_times.working_session``). Sources and what is not
modelled: docs/fake-gateway-fidelity.md, "Trading sessions".

``GatewayConfig.market_hours = 'always_open'`` turns the gate off (every order may execute at any
hour): for tests about something else that run on the wall clock.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from .order_model import Order
from .order_timing import TimedOrders
from .session_times import EXTENDED_HOURS_TYPES, working_session

HELD_CODE = 399
OUTSIDE_RTH_IGNORED_CODE = 2109
OUTSIDE_RTH_IGNORED = ("Order Event Warning:Attribute 'Outside Regular Trading Hours' is ignored based on the "
                       "order type and destination. PlaceOrder is now being processed.")
_UNGATED_TIFS = frozenset({"OPG"})  # an opening-auction order waits for its own time
_UNGATED_TYPES = frozenset({"MOC", "LOC"})  # so does a closing-auction order


def wants_outside_rth(order: Order) -> bool:
    return bool(order.terms.get("outsideRth"))


def outside_rth_ignored(order: Order) -> bool:
    """outsideRth set on an order type IB does not let execute outside regular hours (2109)."""
    return wants_outside_rth(order) and order.order_type not in EXTENDED_HOURS_TYPES


class SessionGate:
    """Answers, per order, whether its session is open and when it next opens.

    Each order caches the (open, close) of its session, so the market path's question on every
    quote costs two comparisons; the schedule is looked up again only once that session has closed.
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def opens_at(self, order: Order, now: float) -> float | None:
        """None when the order may execute now, else when its session next opens."""
        if not self.enabled or order.tif in _UNGATED_TIFS or order.order_type in _UNGATED_TYPES:
            return None
        window = order.session
        if window is None or now >= window[1]:
            extended = (order.contract.sec_type == "STK" and wants_outside_rth(order)
                        and not outside_rth_ignored(order))
            window = order.session = working_session(order.contract, now, extended)
        return None if window[0] <= now else window[0]

    def closed(self, order: Order, now: float, timers: TimedOrders) -> bool:
        """Whether the order's session is closed now; if so the order clock is set for its opening."""
        if not self.enabled:
            return False
        window = order.session
        if window is not None and window[0] <= now < window[1] and order.opens_at is None:
            return False  # the market path's case on every quote: inside the cached session
        opens_at = self.opens_at(order, now)
        if opens_at != order.opens_at:
            timers.hold(order, opens_at)
        return opens_at is not None

    @staticmethod
    def forget(order: Order) -> None:
        """The order's terms changed (a modify): look its session up afresh."""
        order.session = None


def held_message(order: Order, opens_at: float) -> str:
    """IB's 399 text, as a paper gateway sent it for a DAY limit order placed after the close:
    ``Order Message:\\nBUY 1 AAPL NASDAQ.NMS\\nWarning: Your order will not be placed at the
    exchange until 2026-08-25 09:30:00 US/Eastern.`` (the time in the contract's zone)."""
    details = order.contract.details
    zone = str(details.get("timeZoneId") or "US/Eastern")
    when = datetime.fromtimestamp(opens_at, ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S")
    quantity = order.total_quantity
    size = str(int(quantity)) if float(quantity).is_integer() else f"{quantity:g}"
    primary = str(details.get("primaryExchange") or details.get("exchange") or "")
    venue = "NASDAQ.NMS" if primary == "NASDAQ" else primary
    name = str(details.get("localSymbol") or order.contract.symbol)
    return (f"Order Message:\n{order.action} {size} {name} {venue}\n"
            f"Warning: Your order will not be placed at the exchange until {when} {zone}.")
