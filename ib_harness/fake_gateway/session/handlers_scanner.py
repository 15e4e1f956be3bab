"""Handlers for market scanners: reqScannerParameters, reqScannerSubscription and its cancel.

A subscription answers at once with the ranked list, then re-ranks as the market moves (at most
once per REFRESH_SECONDS of the gateway clock) and sends the list again when it changed, until it
is cancelled. A subscription IB would refuse (unknown scan code, instrument, location or filter)
gets error 321 naming what was wrong, as does a subscription beyond MAX_SUBSCRIPTIONS at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..state.contracts import ContractDef
from ..state.scanner import ScanError, parameters_xml, scan
from ..wire import in_data
from ..wire.out_scanner import SCANNER_DATA, SCANNER_PARAMETERS
from ..wire.reading import Request
from .session import Session

SCANNERS = "scanners"
REFRESH_SECONDS = 1.0
MAX_SUBSCRIPTIONS = 10


@dataclass
class ScannerLine:
    req_id: int
    params: dict[str, Any]
    last_scan: float = 0.0
    sent: list[int] = field(default_factory=list)


def req_scanner_parameters(session: Session, request: Request) -> None:
    session.send(SCANNER_PARAMETERS, xml=parameters_xml())


def req_scanner_subscription(session: Session, request: Request) -> None:
    req_id = request["reqId"]
    lines = session.subscribed(SCANNERS)
    if req_id not in lines and len(lines) >= MAX_SUBSCRIPTIONS:
        session.send_error(req_id, 321, f"Error validating request.-'bd' : cause - Maximum number of scanner "
                                        f"subscriptions ({MAX_SUBSCRIPTIONS}) exceeded")
        return
    line = ScannerLine(req_id, dict(request.values))
    try:
        _send_scan(session, line, force=True)
    except ScanError as exc:
        session.send_error(req_id, 321, f"Error validating request.-'bd' : cause - {exc}")
        return
    session.subscribe(SCANNERS, req_id, line)


def cancel_scanner_subscription(session: Session, request: Request) -> None:
    session.unsubscribe(SCANNERS, request["reqId"])


def _send_scan(session: Session, line: ScannerLine, force: bool = False) -> None:
    brokerage = session.brokerage
    found = scan(brokerage.catalog, brokerage.market, line.params)
    line.last_scan = session.gateway.clock()
    ids = [c.con_id for c in found]
    if force or ids != line.sent:
        line.sent = ids
        session.send(SCANNER_DATA, reqId=line.req_id, rows=[_row(rank, c) for rank, c in enumerate(found)])


def _row(rank: int, contract: ContractDef) -> dict[str, Any]:
    d = contract.details
    return {
        "rank": rank, "conId": contract.con_id, "symbol": contract.symbol, "secType": contract.sec_type,
        "lastTradeDateOrContractMonth": "", "strike": 0.0, "right": "", "exchange": d.get("primaryExchange") or "SMART",
        "currency": d.get("currency", "USD"), "localSymbol": d.get("localSymbol", contract.symbol),
        "marketName": d.get("marketName", ""), "tradingClass": d.get("tradingClass", ""),
    }


def on_price_marked(session: Session, payload: dict[str, Any]) -> None:
    lines = session.subscriptions.get(SCANNERS)
    if not lines:
        return
    now = session.gateway.clock()
    for line in tuple(lines.values()):
        if now - line.last_scan >= REFRESH_SECONDS:
            _send_scan(session, line)


HANDLERS = {
    in_data.REQ_SCANNER_PARAMETERS.msg_id: req_scanner_parameters,
    in_data.REQ_SCANNER_SUBSCRIPTION.msg_id: req_scanner_subscription,
    in_data.CANCEL_SCANNER_SUBSCRIPTION.msg_id: cancel_scanner_subscription,
}

EVENT_HANDLERS = {"price_marked": [on_price_marked]}
