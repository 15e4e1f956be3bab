"""Margin rules: how much equity a position ties up, and IB's refusal of an order beyond it.

Stocks follow Reg-T (50% of the value to open, 25% to hold, long or short); futures and forex use
fixed rates of the notional value (IB publishes per-contract amounts; a fixed share keeps them
proportional to the price); anything else must be paid in full. Buying power is available funds
times four, as IB reports it for a margin account.
"""

from __future__ import annotations

# secType -> (initial, maintenance) share of the absolute market value.
RATES: dict[str, tuple[float, float]] = {
    "STK": (0.50, 0.25),
    "FUT": (0.06, 0.05),
    "FOP": (0.06, 0.05),
    "CASH": (0.03, 0.025),
}
FULL_VALUE = (1.0, 1.0)
LEVERAGE = 4.0


def rates(sec_type: str) -> tuple[float, float]:
    """(initial, maintenance) margin rates for a security type."""
    return RATES.get(sec_type, FULL_VALUE)


def margin_rejection(equity_with_loan: float, initial_margin: float, currency: str) -> str:
    """IB's 201 text when an order would leave the initial margin above the equity with loan."""
    return ("Order rejected - reason:YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION "
            f"YOUR EQUITY WITH LOAN VALUE [{equity_with_loan:.2f} {currency}] MUST EXCEED THE INITIAL "
            f"MARGIN [{initial_margin:.2f} {currency}]")
