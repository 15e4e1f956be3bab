"""An order's effect on the account's margin: what-if figures and IB's pre-trade margin check."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from .contracts import ContractDef
from .margin import margin_rejection
from .matching import execution_price, what_if_figures
from .order_model import OrderRejected

if TYPE_CHECKING:
    from .brokerage import Brokerage

# Order types that execute at the market once they run: valued at the touch.
_AT_MARKET = ("MKT", "STP", "MOC", "MIT", "TRAIL", "TRAIL LIMIT")


def order_figures(brokerage: "Brokerage", account_id: str, contract: ContractDef, buy: bool, quantity: float,
                  price: float, order_type: str) -> dict[str, Any]:
    """Margin and equity before/change/after if the order filled completely (whatIf's orderState)."""
    quote = brokerage.quote(contract.con_id)
    if quote is not None and (price <= 0 or order_type in _AT_MARKET):
        price = execution_price(buy, None, quote) or price
    if price <= 0:
        price = brokerage.mark(contract.con_id)
    account = brokerage.accounts[account_id]
    return what_if_figures(account, brokerage.mark, contract, quantity if buy else -quantity, price)


def check_margin(brokerage: "Brokerage", account_id: str, contract: ContractDef, terms: Mapping[str, Any]) -> None:
    """IB's pre-trade check: the equity with loan must cover the initial margin after the fill.

    Orders that lower the margin (closing a position) always pass.
    """
    figures = order_figures(brokerage, account_id, contract, terms["action"] == "BUY", terms["total_quantity"],
                            terms["lmt_price"] or terms["aux_price"], terms["order_type"])
    if figures["initMarginChange"] > 0 and figures["equityWithLoanAfter"] < figures["initMarginAfter"]:
        currency = brokerage.accounts[account_id].currency
        raise OrderRejected(201, margin_rejection(figures["equityWithLoanAfter"], figures["initMarginAfter"], currency))
