"""IB's status notices and what they really do to one client: the side effects behind the IB
status faults (``faults/ib_status.py``).

Each function sends IB's code and text and changes this session's :class:`ClientState` the way
IB does: streams paused at their source (market data, account updates), requests held
unanswered, subscriptions dropped (1101, 2100, 10182). Resuming resumes at the source too: the
market lines push what changed meanwhile and held requests are answered in order.
"""

from __future__ import annotations

from typing import Literal

from ..wire import in_basic, in_market, in_orders, in_reference
from .client_state import ACCOUNT, MARKET, ORDERS, REQUESTS, client_state
from .handlers_account import ACCOUNT_MULTI, ACCOUNT_SUMMARY_SUBS, ACCOUNT_UPDATES, drop_account_subscriptions
from .handlers_history import end_live_bars
from .handlers_market import COMPETING_SESSION, NO_DATA_COMPETING, drop_market_subscriptions, push_current
from .handlers_orders import release_order_events
from .session import Session
from .streams import MKT_DATA

Farm = Literal["market", "hmds", "secdef"]
FARMS: tuple[Farm, ...] = ("market", "hmds", "secdef")

# farm -> (code when broken, code when OK, the notice's wording, the farm IB names by default)
FARM_NOTICES: dict[str, tuple[int, int, str, str]] = {
    "market": (2103, 2104, "Market data farm connection is {}:{}", "usfarm"),
    "hmds": (2105, 2106, "HMDS data farm connection is {}:{}", "ushmds"),
    "secdef": (2157, 2158, "Sec-def data farm connection is {}:{}", "secdefil"),
}
CONNECTIVITY_LOST = "Connectivity between IB and Trader Workstation has been lost."
RESTORED_DATA_LOST = "Connectivity between IB and Trader Workstation has been restored - data lost."
RESTORED_DATA_MAINTAINED = "Connectivity between IB and Trader Workstation has been restored - data maintained."
ACCOUNT_UNSUBSCRIBED = "API client has been unsubscribed from account data."
LIVE_UPDATES_LOST = "Failed to request live updates (disconnected)."
HMDS_REQUESTS = {str(in_market.REQ_HISTORICAL_DATA.msg_id), str(in_market.REQ_HEAD_TIMESTAMP.msg_id)}
# What TWS/Gateway answers from its own copy of the account while its link to IB is down (1100):
# the startup sync a client sends when it connects (positions, open and completed orders,
# executions, account values, order ids). A client can connect in an outage and finish its sync;
# its other requests (market data, history, contract details, orders) wait for IB. Evidence:
# ib_async#6, where ib.connect() succeeds and the first reqTickers/qualifyContracts get 1100
# (ib_insync/ib_async fail the connect when reqExecutions is not answered: ib_async#82), and
# IBC#251, where API connections stay up through the nightly 1100 and TWS keeps its state.
# See docs/fake-gateway-fidelity.md.
CACHED_REQUESTS = {str(spec.msg_id) for spec in (
    in_basic.REQ_POSITIONS, in_basic.REQ_ACCOUNT_UPDATES, in_basic.REQ_ACCOUNT_SUMMARY,
    in_basic.REQ_POSITIONS_MULTI, in_basic.REQ_ACCOUNT_UPDATES_MULTI,
    in_orders.REQ_OPEN_ORDERS, in_orders.REQ_ALL_OPEN_ORDERS, in_orders.REQ_AUTO_OPEN_ORDERS,
    in_orders.REQ_IDS, in_orders.REQ_COMPLETED_ORDERS, in_orders.REQ_EXECUTIONS, in_reference.REQ_MANAGED_ACCTS,
)}

CONNECTIVITY = "connectivity"  # the pause reason of a lost connection between the gateway and IB
OUTAGE = "outage"  # a farm's own outage (a farm_down fault, a restart's flap), as a cause of a farm being down


def farm_reason(farm: str) -> str:
    return f"farm:{farm}"


def record(session: Session, kind: str, **data: object) -> None:
    """What a status fault did beyond its notice (held, answered, dropped), for the timelines."""
    session.gateway.events.record(kind, session.client_id, session.number, **data)


def send_notice(session: Session, code: int, text: str, req_id: int = -1) -> None:
    """An error frame to a ready session (IB sends nothing before the client is logged in)."""
    if session.phase == "ready":
        session.send_error(req_id, code, text)


# ----- farms --------------------------------------------------------------------------------------


def farm_down(session: Session, farm: str, name: str | None = None, cause: str = OUTAGE) -> None:
    """2103/2105/2157. Market data pauses while the market farm is down; when HMDS goes, every
    keepUpToDate bar subscription ends with 10182 (IB does not resume them) and historical
    requests wait (see :func:`must_wait`) until it is back. ``cause`` says what holds the farm
    down (its own outage, or the gateway's lost connection to IB): it is back only when every
    cause has lifted."""
    broken, _, wording, default_name = FARM_NOTICES[farm]
    send_notice(session, broken, wording.format("broken", name or default_name))
    state = client_state(session)
    state.farms_down.setdefault(farm, set()).add(cause)
    if farm == "market":
        state.pause(MARKET, farm_reason(farm))
    elif farm == "hmds":
        ended = end_live_bars(session, 10182, LIVE_UPDATES_LOST)
        if ended:
            record(session, "subscriptions_dropped", reason="hmds farm down", req_ids=ended)


def farm_up(session: Session, farm: str, name: str | None = None, push: bool = True, cause: str = OUTAGE) -> None:
    """2104/2106/2158 once nothing else holds the farm down (an outage outlives a restored
    connection, and no farm is back while the connection to IB is lost); then market data flows
    again with what changed meanwhile, and held historical requests are answered."""
    state = client_state(session)
    causes = state.farms_down.get(farm)
    if causes is not None:
        causes.discard(cause)
        if causes:
            return
        del state.farms_down[farm]
    _, ok, wording, default_name = FARM_NOTICES[farm]
    send_notice(session, ok, wording.format("OK", name or default_name))
    if state.resume(MARKET, farm_reason(farm)) and push:
        push_current(session)
    if farm == "hmds":
        answer_held_requests(session)  # historical requests that waited for HMDS


# ----- connectivity between the gateway and IB ----------------------------------------------------


def connectivity_lost(session: Session) -> None:
    """1100: the socket stays up, every farm reports broken, market data and account updates stop,
    requests are held unanswered and order events (fills, status changes at IB) are held until
    connectivity returns. Repeating it repeats the notice."""
    send_notice(session, 1100, CONNECTIVITY_LOST)
    state = client_state(session)
    for stream in (MARKET, ACCOUNT, REQUESTS, ORDERS):
        state.pause(stream, CONNECTIVITY)
    for farm in FARMS:
        if farm in state.farms_down:
            state.farms_down[farm].add(CONNECTIVITY)  # already broken: no second notice
        else:
            farm_down(session, farm, cause=CONNECTIVITY)


def is_disconnected(session: Session) -> bool:
    return CONNECTIVITY in client_state(session).pauses[REQUESTS]


def connectivity_restored(session: Session, data_lost: bool, keep_down: tuple[str, ...] = ()) -> bool:
    """1101 (data lost: every market data and account subscription is gone and must be requested
    again) or 1102 (data maintained: streams resume). The farms the 1100 took down come back
    (``keep_down`` ones stay down as outages of their own); the order events held meanwhile are
    delivered, then held requests are answered in order. False when this client was not
    disconnected."""
    if not is_disconnected(session):
        return False
    state = client_state(session)
    send_notice(session, 1101 if data_lost else 1102, RESTORED_DATA_LOST if data_lost else RESTORED_DATA_MAINTAINED)
    if data_lost:
        dropped = drop_market_subscriptions(session)
        account = drop_account_subscriptions(session, (ACCOUNT_UPDATES, ACCOUNT_MULTI, ACCOUNT_SUMMARY_SUBS))
        record(session, "subscriptions_dropped", reason="data lost", req_ids=dropped, account=account)
    state.resume(ACCOUNT, CONNECTIVITY)
    market_was_paused = not state.flowing(MARKET)
    state.resume(MARKET, CONNECTIVITY)
    for farm in FARMS:
        if farm in state.farms_down:
            if farm in keep_down:
                state.farms_down[farm].add(OUTAGE)  # stays broken, now as an outage of its own
            farm_up(session, farm, push=False, cause=CONNECTIVITY)
    if market_was_paused and state.flowing(MARKET):
        push_current(session)
    if state.resume(ORDERS, CONNECTIVITY):
        released = release_order_events(session)  # older than anything the held requests cause
        if released:
            record(session, "order_events_released", count=released)
    if state.resume(REQUESTS, CONNECTIVITY):
        answer_held_requests(session)
    return True


def must_wait(session: Session, fields: list[str]) -> bool:
    """Whether IB would leave this request unanswered for now: every request TWS cannot answer
    from its own copy (``CACHED_REQUESTS``) while connectivity is lost; a historical data request
    (HMDS's) while the HMDS farm is down."""
    state = client_state(session)
    if not state.flowing(REQUESTS):
        return not fields or fields[0] not in CACHED_REQUESTS
    return "hmds" in state.farms_down and bool(fields) and fields[0] in HMDS_REQUESTS


def hold_request(session: Session, fields: list[str]) -> bool:
    """True (and the request is queued) when it must wait."""
    if not must_wait(session, fields):
        return False
    client_state(session).held_requests.append(fields)
    record(session, "request_held", msg_id=fields[0] if fields else "")
    return True


def answer_held_requests(session: Session) -> None:
    """Serve, in arrival order, the held requests that need not wait any more (without counting
    them against the message rate again); the others stay held."""
    state = client_state(session)
    ready = [fields for fields in state.held_requests if not must_wait(session, fields)]
    if not ready:
        return
    state.held_requests = [fields for fields in state.held_requests if must_wait(session, fields)]
    record(session, "held_requests_answered", count=len(ready))
    state.replaying = True
    try:
        for fields in ready:
            session.dispatch(fields)
    finally:
        state.replaying = False


# ----- account data and competing sessions --------------------------------------------------------


def account_unsubscribed(session: Session) -> None:
    """2100: this client's reqAccountUpdates subscription ends until it sends the request again."""
    send_notice(session, 2100, ACCOUNT_UNSUBSCRIBED)
    if drop_account_subscriptions(session, (ACCOUNT_UPDATES,)):
        record(session, "subscriptions_dropped", reason="account unsubscribed", account=True)


def competing_session_started(session: Session) -> None:
    """10197 on every market data line; no market data until the competing session ends."""
    state = client_state(session)
    if COMPETING_SESSION in state.pauses[MARKET]:
        return
    state.pause(MARKET, COMPETING_SESSION)
    for req_id in list(session.subscribed(MKT_DATA)):
        send_notice(session, 10197, NO_DATA_COMPETING, req_id)


def competing_session_ended(session: Session) -> None:
    if client_state(session).resume(MARKET, COMPETING_SESSION):
        push_current(session)
