"""Handlers for security-definition requests (reqContractDetails)."""

from __future__ import annotations

from ..state import trading_hours
from ..wire import in_basic
from ..wire.out_contracts import CONTRACT_DATA, CONTRACT_DATA_END
from ..wire.reading import Request
from .session import Session

NO_SECURITY_DEFINITION = "No security definition has been found for the request"


def req_contract_details(session: Session, request: Request) -> None:
    """Every catalog contract matching the query, then the end marker; none is error 200."""
    req_id = request["reqId"]
    matches = session.brokerage.catalog.details_for(request["contract"])
    if not matches:
        session.send_error(req_id, 200, NO_SECURITY_DEFINITION)
        return
    now = session.gateway.clock()
    for contract in matches:
        details = contract.details
        schedule = trading_hours.hours(contract.sec_type, str(details.get("timeZoneId", "")), now)
        if schedule is not None:  # this week's sessions, holidays CLOSED
            details = {**details, "tradingHours": schedule[0], "liquidHours": schedule[1]}
        session.send(CONTRACT_DATA, details, reqId=req_id)
    session.send(CONTRACT_DATA_END, reqId=req_id)


HANDLERS = {in_basic.REQ_CONTRACT_DETAILS.msg_id: req_contract_details}
