"""Accounts: cash, positions and the figures IB derives from them.

An account lives in the brokerage, not in a session: it keeps its positions while clients come
and go, as on IB's servers. Values are recomputed from positions and marks when asked for, so
they are always consistent with the last fill and the last price.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from .account_template import MULTI_ROWS, ROWS, SUMMARY_LEDGER_KEYS
from .margin import LEVERAGE, rates

Marks = Callable[[int], float]


@dataclass
class Position:
    """A holding in one contract; avg_cost is per unit including the multiplier, as IB reports it."""

    contract: dict[str, Any]
    quantity: float = 0.0
    avg_cost: float = 0.0
    realized_pnl: float = 0.0

    @property
    def con_id(self) -> int:
        return int(self.contract["conId"])

    @property
    def multiplier(self) -> float:
        return float(self.contract.get("multiplier") or 1)

    @property
    def sec_type(self) -> str:
        return str(self.contract.get("secType") or "")

    def market_value(self, mark: float) -> float:
        return self.quantity * mark * self.multiplier

    def unrealized(self, mark: float) -> float:
        return self.market_value(mark) - self.quantity * self.avg_cost

    def apply_fill(self, signed_quantity: float, price: float, commission: float = 0.0) -> float:
        """Add a fill; return the PnL it realized (closing part only).

        Like IB, the average cost of what the fill opens includes its share of the commission,
        and the PnL realized by what it closes is net of its share.
        """
        unit_cost = price * self.multiplier
        fee_per_unit = commission / abs(signed_quantity) if signed_quantity else 0.0
        realized = 0.0
        if self.quantity and (self.quantity > 0) != (signed_quantity > 0):
            closing = min(abs(signed_quantity), abs(self.quantity))
            direction = 1 if self.quantity > 0 else -1
            realized = closing * direction * (unit_cost - self.avg_cost) - closing * fee_per_unit
            remaining = signed_quantity + direction * closing
            self.quantity -= direction * closing
            if abs(self.quantity) < 1e-12:
                self.quantity = 0.0
                self.avg_cost = 0.0
            if remaining:
                self.quantity = remaining
                self.avg_cost = unit_cost + (fee_per_unit if remaining > 0 else -fee_per_unit)
        else:
            total = self.quantity + signed_quantity
            opened_cost = signed_quantity * unit_cost + abs(signed_quantity) * fee_per_unit
            self.avg_cost = (self.quantity * self.avg_cost + opened_cost) / total
            self.quantity = total
        self.realized_pnl += realized
        return realized


@dataclass
class Account:
    """One IB account (a paper account by default)."""

    account_id: str = "DU1234567"
    currency: str = "USD"
    cash: float = 1_000_000.0
    accrued_cash: float = 0.0
    account_type: str = "INDIVIDUAL"
    positions: dict[int, Position] = field(default_factory=dict)
    realized_pnl: float = 0.0
    previous_equity: float | None = None

    def position(self, contract: dict[str, Any]) -> Position:
        con_id = int(contract["conId"])
        if con_id not in self.positions:
            self.positions[con_id] = Position(contract=dict(contract))
        return self.positions[con_id]

    def apply_fill(self, contract: dict[str, Any], signed_quantity: float, price: float, commission: float) -> float:
        """Book a fill: position, cash and realized PnL. Returns the realized PnL of the fill."""
        position = self.position(contract)
        realized = position.apply_fill(signed_quantity, price, commission)
        self.cash -= signed_quantity * price * position.multiplier + commission
        self.realized_pnl += realized
        return realized

    def open_positions(self) -> list[Position]:
        return [p for p in self.positions.values() if p.quantity]

    def figures(self, marks: Marks) -> dict[str, float]:
        """The derived numbers behind the account-value template."""
        valued = [(p, p.market_value(marks(p.con_id))) for p in self.positions.values()]
        stock_value = sum(value for _, value in valued)
        gross = sum(abs(value) for _, value in valued)
        unrealized = sum(p.unrealized(marks(p.con_id)) for p in self.positions.values())
        netliq = self.cash + stock_value + self.accrued_cash
        equity = netliq - self.accrued_cash
        if self.previous_equity is None:
            self.previous_equity = equity
        init_margin = sum(abs(value) * rates(p.sec_type)[0] for p, value in valued)
        maint_margin = sum(abs(value) * rates(p.sec_type)[1] for p, value in valued)
        available = equity - init_margin
        return {
            "cash": self.cash,
            "accrued": self.accrued_cash,
            "stock_value": stock_value,
            "gross": gross,
            "netliq": netliq,
            "equity": equity,
            "previous_equity": self.previous_equity,
            "init_margin": init_margin,
            "maint_margin": maint_margin,
            "available": available,
            "excess": equity - maint_margin,
            "buying_power": max(available, 0.0) * LEVERAGE,
            "unrealized": unrealized,
            "realized": self.realized_pnl,
            "zero": 0.0,
        }

    def values(self, marks: Marks, multi: bool = False) -> list[tuple[str, str, str]]:
        """(key, value, currency) rows as reqAccountUpdates (or, with multi, accountUpdateMulti) sends."""
        figures = self.figures(marks)
        rows: list[tuple[str, str, str]] = []
        template = ROWS + MULTI_ROWS if multi else ROWS
        for key, mode, source in sorted(template, key=lambda row: row[0]) if multi else template:
            for currency in _currencies(mode, self.currency):
                rows.append((key, self._value(source, currency, figures), currency))
        return rows

    def _value(self, source: str, currency: str, figures: dict[str, float]) -> str:
        if source.startswith("="):
            return source[1:] if source != "=INDIVIDUAL" else self.account_type
        if source == "account":
            return self.account_id
        if source == "currency":
            return currency
        return f"{figures[source]:.2f}"

    def summary(self, tags: Iterable[str], marks: Marks) -> list[tuple[str, str, str, str]]:
        """(account, tag, value, currency) rows for reqAccountSummary, in IB's order."""
        wanted = {t.strip() for t in tags if t.strip()}
        by_key: dict[str, tuple[str, str]] = {}
        for key, value, currency in self.values(marks):
            if key in wanted and currency != "BASE":
                by_key[key] = (value, currency)
        plain = sorted(k for k, (_, c) in by_key.items() if not c)
        priced = sorted(k for k, (_, c) in by_key.items() if c)
        rows = [(self.account_id, k, *by_key[k]) for k in plain + priced]
        if "$LEDGER:ALL" in wanted or "$LEDGER" in wanted:
            rows += self.ledger(marks)
        return rows

    def ledger(self, marks: Marks) -> list[tuple[str, str, str, str]]:
        """The ``$LEDGER:ALL`` rows: per-currency balances under the pseudo-account ``All``."""
        values = {(k, c): v for k, v, c in self.values(marks, multi=True)}
        rows = []
        for currency in (self.currency, "BASE"):
            for key in SUMMARY_LEDGER_KEYS:
                value = "All" if key == "AccountOrGroup" else values.get((key, currency), "")
                rows.append(("All", key, value, currency))
        return rows

    def portfolio_rows(self, marks: Marks) -> list[dict[str, Any]]:
        """portfolioValue (7) payloads for every position, open or closed today."""
        rows = []
        for position in self.positions.values():
            mark = marks(position.con_id)
            rows.append({
                **position.contract,
                "position": position.quantity,
                "marketPrice": mark,
                "marketValue": position.market_value(mark),
                "averageCost": position.avg_cost,
                "unrealizedPNL": position.unrealized(mark),
                "realizedPNL": position.realized_pnl,
                "accountName": self.account_id,
            })
        return rows


def _currencies(mode: str, currency: str) -> tuple[str, ...]:
    if mode == "both":
        return ("BASE", currency)
    if mode == "ccy":
        return (currency,)
    return ("",)
