"""Handlers for PnL subscriptions (reqPnL, reqPnLSingle) and their updates as prices move.

The simulated trading day is the gateway's lifetime: daily PnL is everything earned since the
start (unrealized plus realized), which equals IB's figure for positions opened today.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..state.accounts import Account
from ..wire import in_market
from ..wire.out_market import PNL, PNL_SINGLE
from ..wire.reading import Request
from .client_state import ACCOUNT, stream_flowing
from .session import Session

PNL_SUBS = "pnl"
PNL_SINGLE_SUBS = "pnl_single"


@dataclass
class PnlLine:
    req_id: int
    account_id: str
    con_id: int = 0
    sent: tuple[float, ...] = ()


def account_figures(session: Session, account: Account) -> tuple[float, float, float]:
    """(daily, unrealized, realized) for a whole account."""
    marks = session.brokerage.mark
    unrealized = sum(p.unrealized(marks(p.con_id)) for p in account.positions.values() if p.quantity)
    realized = account.realized_pnl
    return unrealized + realized, unrealized, realized


def position_figures(session: Session, account: Account, con_id: int) -> tuple[float, float, float, float, float]:
    """(position, daily, unrealized, realized, market value) for one contract of an account."""
    position = account.positions.get(con_id)
    if position is None:
        return 0.0, 0.0, 0.0, 0.0, 0.0
    mark = session.brokerage.mark(con_id)
    unrealized = position.unrealized(mark) if position.quantity else 0.0
    realized = position.realized_pnl
    return position.quantity, unrealized + realized, unrealized, realized, position.market_value(mark)


def _send(session: Session, line: PnlLine) -> None:
    """Send the line's figures if they differ from what its client last saw."""
    account = session.brokerage.accounts.get(line.account_id)
    if account is None:
        return
    if line.con_id:
        figures: tuple[float, ...] = position_figures(session, account, line.con_id)
        if figures != line.sent:
            pos, daily, unrealized, realized, value = figures
            session.send(PNL_SINGLE, reqId=line.req_id, pos=pos, dailyPnL=daily, unrealizedPnL=unrealized,
                         realizedPnL=realized, value=value)
    else:
        figures = account_figures(session, account)
        if figures != line.sent:
            daily, unrealized, realized = figures
            session.send(PNL, reqId=line.req_id, dailyPnL=daily, unrealizedPnL=unrealized, realizedPnL=realized)
    line.sent = figures


def _account(session: Session, req_id: int, code: str) -> str | None:
    if code in session.brokerage.accounts:
        return code
    session.send_error(req_id, 321, f"Error validating request.-'bK' : cause - Invalid account code '{code}'")
    return None


def req_pnl(session: Session, request: Request) -> None:
    account_id = _account(session, request["reqId"], request["account"])
    if account_id is not None:
        line = PnlLine(request["reqId"], account_id)
        session.subscribe(PNL_SUBS, line.req_id, line)
        _send(session, line)


def req_pnl_single(session: Session, request: Request) -> None:
    account_id = _account(session, request["reqId"], request["account"])
    if account_id is not None:
        line = PnlLine(request["reqId"], account_id, request["conId"])
        session.subscribe(PNL_SINGLE_SUBS, line.req_id, line)
        _send(session, line)


def cancel_pnl(session: Session, request: Request) -> None:
    session.unsubscribe(PNL_SUBS, request["reqId"])


def cancel_pnl_single(session: Session, request: Request) -> None:
    session.unsubscribe(PNL_SINGLE_SUBS, request["reqId"])


def on_price_marked(session: Session, payload: dict[str, Any]) -> None:
    """A price move changes the PnL of accounts holding that contract (not while account data is paused)."""
    subscriptions = session.subscriptions
    if not subscriptions.get(PNL_SUBS) and not subscriptions.get(PNL_SINGLE_SUBS):  # every quote passes here
        return
    if not stream_flowing(session, ACCOUNT):
        return
    con_id = payload["con_id"]
    for line in tuple(session.subscriptions.get(PNL_SUBS, {}).values()):
        account = session.brokerage.accounts.get(line.account_id)
        if account is not None and con_id in account.positions:
            _send(session, line)
    for line in tuple(session.subscriptions.get(PNL_SINGLE_SUBS, {}).values()):
        if line.con_id == con_id:
            _send(session, line)


def on_account_changed(session: Session, payload: dict[str, Any]) -> None:
    """A fill changes positions and realized PnL."""
    if not stream_flowing(session, ACCOUNT):
        return
    account_id = payload.get("account_id")
    for kind in (PNL_SUBS, PNL_SINGLE_SUBS):
        for line in tuple(session.subscriptions.get(kind, {}).values()):
            if line.account_id == account_id:
                _send(session, line)


HANDLERS = {
    in_market.REQ_PNL.msg_id: req_pnl,
    in_market.CANCEL_PNL.msg_id: cancel_pnl,
    in_market.REQ_PNL_SINGLE.msg_id: req_pnl_single,
    in_market.CANCEL_PNL_SINGLE.msg_id: cancel_pnl_single,
}

EVENT_HANDLERS = {"price_marked": [on_price_marked], "account_changed": [on_account_changed]}
