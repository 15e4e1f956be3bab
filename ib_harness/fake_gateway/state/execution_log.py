"""The brokerage's executions: IB-shaped ids and times, and reqExecutions' filter.

Split from the order book so the book reads as a lifecycle; this only records and finds fills.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from ..wire.fields import UNSET_DOUBLE
from .contracts import ContractDef
from .order_model import Execution, ExecutionFilter, Order


class ExecutionLog:
    """Every execution in order, each with an id like ``0000e215.656d0002.01.01``."""

    def __init__(self, zone: str, start: float) -> None:
        self.zone = zone
        self.executions: list[Execution] = []
        self._seq = 0
        self._base = int(start)

    def record(self, order: Order, quantity: float, price: float, liquidity: int, commission: float,
               currency: str, realized: float, now: float) -> Execution:
        """A new fill of ``order`` (already booked on the order and the account)."""
        self._seq += 1
        execution = Execution(
            exec_id=f"0000e215.{(self._base + self._seq) & 0xFFFFFFFF:08x}.01.01", order=order, time=now,
            time_text=self.time_text(now), side="BOT" if order.is_buy else "SLD", shares=quantity,
            price=price, cum_qty=order.filled, avg_price=order.avg_fill_price, exchange=venue(order.contract),
            last_liquidity=liquidity, commission=commission, commission_currency=currency,
            realized_pnl=round(realized, 8) if realized else UNSET_DOUBLE,  # net of commissions, as IB reports it
        )
        order.executions.append(execution)
        self.executions.append(execution)
        return execution

    def find(self, wanted: ExecutionFilter) -> list[Execution]:
        """Executions matching reqExecutions' filter."""
        since = self._parse_time(wanted.time)
        return [e for e in self.executions if wanted.matches(e, since)]

    def time_text(self, when: float) -> str:
        return datetime.fromtimestamp(when, ZoneInfo(self.zone)).strftime("%Y%m%d %H:%M:%S ") + self.zone

    def _parse_time(self, text: str) -> float | None:
        text = text.strip()
        for fmt, width in (("%Y%m%d %H:%M:%S", 17), ("%Y%m%d-%H:%M:%S", 17), ("%Y%m%d", 8)):
            try:
                naive = datetime.strptime(text[:width], fmt)
            except ValueError:
                continue
            return naive.replace(tzinfo=ZoneInfo(self.zone)).timestamp()
        return None


def venue(contract: ContractDef) -> str:
    """Where a SMART-routed fill happened, as IB reports it (NASDAQ trades print as ISLAND)."""
    details = contract.details
    if details.get("exchange") != "SMART":
        return str(details.get("exchange", ""))
    primary = str(details.get("primaryExchange") or "SMART")
    return "ISLAND" if primary == "NASDAQ" else primary
