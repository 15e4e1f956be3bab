"""Handlers for account data: positions, account updates (single and multi), account summary.

Each subscription is remembered on the session so that brokerage events (fills, price moves)
can refresh exactly the clients that asked, the way IB pushes account updates.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ..state.accounts import Account
from ..wire import in_basic
from ..wire.out_account import (
    ACCOUNT_DOWNLOAD_END,
    ACCOUNT_SUMMARY,
    ACCOUNT_SUMMARY_END,
    ACCOUNT_UPDATE_MULTI,
    ACCOUNT_UPDATE_MULTI_END,
    ACCOUNT_UPDATE_TIME,
    ACCOUNT_VALUE,
    PORTFOLIO_VALUE,
    POSITION,
    POSITION_END,
    POSITION_MULTI,
    POSITION_MULTI_END,
)
from ..wire.reading import Request
from .client_state import ACCOUNT, stream_flowing
from .session import Session

MAX_ACCOUNT_SUMMARY_SUBSCRIPTIONS = 2
ACCOUNT_UPDATES = "account_updates"
ACCOUNT_SUMMARY_SUBS = "account_summary"
ACCOUNT_MULTI = "account_updates_multi"
POSITIONS = "positions"
POSITIONS_MULTI = "positions_multi"


def _accounts_for(session: Session, code: str) -> list[Account]:
    accounts = session.brokerage.accounts
    if code in ("", "All") or code not in accounts:
        return list(accounts.values()) if code in ("", "All") else []
    return [accounts[code]]


def _update_time(session: Session) -> str:
    now = datetime.fromtimestamp(session.gateway.clock(), ZoneInfo(session.gateway.config.timezone))
    return now.strftime("%H:%M")


def send_account_download(session: Session, account: Account) -> None:
    """The full reqAccountUpdates reply: values, portfolio, update time, download end."""
    marks = session.brokerage.mark
    send_account_values(session, account)
    for row in account.portfolio_rows(marks):
        session.send(PORTFOLIO_VALUE, row)
    session.send(ACCOUNT_UPDATE_TIME, timeStamp=_update_time(session))
    session.send(ACCOUNT_DOWNLOAD_END, accountName=account.account_id)


def send_account_values(session: Session, account: Account) -> None:
    account_id = account.account_id
    session.send_rows(ACCOUNT_VALUE, ((key, value, currency, account_id)
                                      for key, value, currency in account.values(session.brokerage.mark)))


def req_account_updates(session: Session, request: Request) -> None:
    code = request["acctCode"]
    if not request["subscribe"]:
        session.unsubscribe(ACCOUNT_UPDATES, 0)
        return
    accounts = _accounts_for(session, code)
    if not accounts or (not code and len(accounts) > 1):
        session.send_error(-1, 321, f"Error validating request.-'6' : cause - invalid account code '{code}'")
        return
    account = accounts[0]
    session.subscribe(ACCOUNT_UPDATES, 0, account.account_id)
    send_account_download(session, account)


def _position_values(position: Any, account_id: str) -> dict[str, Any]:
    """IB reports positions without a routing exchange."""
    return {**position.contract, "exchange": "", "account": account_id,
            "position": position.quantity, "avgCost": position.avg_cost}


def req_positions(session: Session, request: Request) -> None:
    session.subscribe(POSITIONS, 0)
    for account in session.brokerage.accounts.values():
        for position in account.positions.values():
            session.send(POSITION, _position_values(position, account.account_id))
    session.send(POSITION_END)


def cancel_positions(session: Session, request: Request) -> None:
    session.unsubscribe(POSITIONS, 0)


def req_positions_multi(session: Session, request: Request) -> None:
    req_id = request["reqId"]
    session.subscribe(POSITIONS_MULTI, req_id, (request["account"], request["modelCode"]))
    for account in _accounts_for(session, request["account"]):
        for position in account.positions.values():
            session.send(POSITION_MULTI, position.contract, reqId=req_id, account=account.account_id,
                         position=position.quantity, avgCost=position.avg_cost,
                         modelCode=request["modelCode"])
    session.send(POSITION_MULTI_END, reqId=req_id)


def cancel_positions_multi(session: Session, request: Request) -> None:
    session.unsubscribe(POSITIONS_MULTI, request["reqId"])


def send_account_multi(session: Session, req_id: int, account: Account, model_code: str) -> None:
    account_id = account.account_id
    session.send_rows(ACCOUNT_UPDATE_MULTI, ((req_id, account_id, model_code, key, value, currency)
                                             for key, value, currency in account.values(session.brokerage.mark, multi=True)))


def req_account_updates_multi(session: Session, request: Request) -> None:
    req_id = request["reqId"]
    accounts = _accounts_for(session, request["account"])
    if not accounts:
        session.send_error(req_id, 321, f"Error validating request.-'76' : cause - unknown account '{request['account']}'")
        return
    session.subscribe(ACCOUNT_MULTI, req_id, (request["account"], request["modelCode"]))
    for account in accounts:
        send_account_multi(session, req_id, account, request["modelCode"])
    session.send(ACCOUNT_UPDATE_MULTI_END, reqId=req_id)


def cancel_account_updates_multi(session: Session, request: Request) -> None:
    session.unsubscribe(ACCOUNT_MULTI, request["reqId"])


def send_account_summary(session: Session, req_id: int, tags: list[str]) -> None:
    for account in session.brokerage.accounts.values():
        session.send_rows(ACCOUNT_SUMMARY, ((req_id, *row) for row in account.summary(tags, session.brokerage.mark)))


def req_account_summary(session: Session, request: Request) -> None:
    req_id = request["reqId"]
    if len(session.subscribed(ACCOUNT_SUMMARY_SUBS)) >= MAX_ACCOUNT_SUMMARY_SUBSCRIPTIONS:
        session.send_error(req_id, 322, "Error processing request:-'bd' : cause - Maximum number of account summary requests exceeded")
        return
    tags = request["tags"].split(",")
    session.subscribe(ACCOUNT_SUMMARY_SUBS, req_id, tags)
    send_account_summary(session, req_id, tags)
    session.send(ACCOUNT_SUMMARY_END, reqId=req_id)


def cancel_account_summary(session: Session, request: Request) -> None:
    session.unsubscribe(ACCOUNT_SUMMARY_SUBS, request["reqId"])


def on_account_changed(session: Session, payload: dict[str, Any]) -> None:
    """A fill or a price move: refresh every account subscription this client holds."""
    account_id: str = payload.get("account_id") or ""
    account = session.brokerage.accounts.get(account_id)
    if account is None or not stream_flowing(session, ACCOUNT):
        return
    marks = session.brokerage.mark
    if session.subscribed(ACCOUNT_UPDATES).get(0) == account_id:
        send_account_values(session, account)
        for row in account.portfolio_rows(marks):
            session.send(PORTFOLIO_VALUE, row)
        session.send(ACCOUNT_UPDATE_TIME, timeStamp=_update_time(session))
    for req_id, (code, model_code) in list(session.subscribed(ACCOUNT_MULTI).items()):
        if code in ("", "All", account_id):
            send_account_multi(session, req_id, account, model_code)
    contract = payload.get("contract")
    if contract is not None:
        position = account.positions.get(int(contract["conId"]))
        if position is not None and session.subscribed(POSITIONS):
            session.send(POSITION, _position_values(position, account_id))


def on_portfolio_marked(session: Session, payload: dict[str, Any]) -> None:
    """A price move: IB pushes portfolio rows for the subscribed account's holdings in that contract."""
    account_id = session.subscribed(ACCOUNT_UPDATES).get(0)
    if account_id is None or not stream_flowing(session, ACCOUNT):
        return
    account = session.brokerage.accounts[account_id]
    con_id = payload["con_id"]
    if con_id not in account.positions:
        return
    for row in account.portfolio_rows(session.brokerage.mark):
        if row["conId"] == con_id:
            session.send(PORTFOLIO_VALUE, row)


def drop_account_subscriptions(session: Session, kinds: tuple[str, ...] = (ACCOUNT_UPDATES,)) -> bool:
    """IB stops this client's account updates (2100, or 1101 with everything); True if it had any."""
    had = False
    for kind in kinds:
        for req_id in list(session.subscribed(kind)):
            session.unsubscribe(kind, req_id)
            had = True
    return had


HANDLERS = {
    in_basic.REQ_ACCOUNT_UPDATES.msg_id: req_account_updates,
    in_basic.REQ_POSITIONS.msg_id: req_positions,
    in_basic.CANCEL_POSITIONS.msg_id: cancel_positions,
    in_basic.REQ_POSITIONS_MULTI.msg_id: req_positions_multi,
    in_basic.CANCEL_POSITIONS_MULTI.msg_id: cancel_positions_multi,
    in_basic.REQ_ACCOUNT_UPDATES_MULTI.msg_id: req_account_updates_multi,
    in_basic.CANCEL_ACCOUNT_UPDATES_MULTI.msg_id: cancel_account_updates_multi,
    in_basic.REQ_ACCOUNT_SUMMARY.msg_id: req_account_summary,
    in_basic.CANCEL_ACCOUNT_SUMMARY.msg_id: cancel_account_summary,
}

EVENT_HANDLERS = {
    "account_changed": [on_account_changed],
    "price_marked": [on_portfolio_marked],
}
