"""Handlers for connection-level requests: startApi, server time, order ids."""

from __future__ import annotations

from ..wire import in_basic
from ..wire.out_basic import MANAGED_ACCOUNTS, NEXT_VALID_ID, CURRENT_TIME
from ..wire.reading import Request
from .session import Session

# What a real paper gateway announces after startApi (see the conformance capture).
OK_CODE_FARM = {2104: "market", 2106: "hmds", 2158: "secdef"}
FARM_NOTICES = (
    (2104, "Market data farm connection is OK:usfarm.nj"),
    (2104, "Market data farm connection is OK:hfarm"),
    (2104, "Market data farm connection is OK:jfarm"),
    (2104, "Market data farm connection is OK:usfuture"),
    (2104, "Market data farm connection is OK:cashfarm"),
    (2104, "Market data farm connection is OK:eufarmnj"),
    (2104, "Market data farm connection is OK:usfarm"),
    (2106, "HMDS data farm connection is OK:euhmds"),
    (2106, "HMDS data farm connection is OK:fundfarm"),
    (2106, "HMDS data farm connection is OK:ushmds"),
    (2158, "Sec-def data farm connection is OK:secdefil"),
)
CLIENT_ID_IN_USE = "Unable to connect as the client id is already in use. Retry with a unique client id."


def start_api(session: Session, request: Request) -> None:
    """Bind the client id, then greet: managedAccounts, nextValidId, farm notices."""
    if session.phase != "start_api":
        session.send_error(-1, 321, "Error validating request.-'71' : cause - startApi was already received")
        return
    client_id = int(request["clientId"])
    if not session.gateway.claim_client_id(session, client_id):
        session.send_error(-1, 326, CLIENT_ID_IN_USE)
        session.close(f"client id {client_id} already in use")
        return
    session.client_id = client_id
    session.phase = "ready"
    session.brokerage.events.subscribe(session.on_brokerage_event)
    session.send(MANAGED_ACCOUNTS, accountsList=",".join(session.brokerage.account_ids))
    session.send(NEXT_VALID_ID, orderId=session.brokerage.next_order_id())
    if session.gateway.config.farm_notices:
        down = session.brokerage.ib_side.farms_down(client_id)  # IB's side, as it is now
        for code, text in FARM_NOTICES:
            if OK_CODE_FARM[code] not in down:  # a farm that is down is not announced as OK
                session.send_error(-1, code, text)
    session.gateway.faults.greeted(session)  # then the IB-side incidents under way (1100, farms broken...)


def req_current_time(session: Session, request: Request) -> None:
    session.send(CURRENT_TIME, time=int(session.gateway.clock()))


HANDLERS = {
    in_basic.START_API.msg_id: start_api,
    in_basic.REQ_CURRENT_TIME.msg_id: req_current_time,
}
