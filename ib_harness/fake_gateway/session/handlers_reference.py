"""Handlers for reference data and account-level requests that real programs send on the side:
reqManagedAccts, FA configuration, family codes, soft-dollar tiers, market rules, SMART
components, depth exchanges, display groups, user info, news bulletins, WSH and fundamentals.

Requests without a request id (reqManagedAccts, requestFA, reqFamilyCodes, reqMarketRule,
reqMktDepthExchanges) are always answered: a client waits for the answer and no error can end
such a request. The others end with IB's answer or IB's error for a paper account (fundamentals
430, Wall Street Horizon 10276), which the clients turn into the end of the request.
"""

from __future__ import annotations

from ..state import reference
from ..wire import in_reference
from ..wire.out_basic import MANAGED_ACCOUNTS
from ..wire.out_reference import (
    DISPLAY_GROUP_LIST,
    DISPLAY_GROUP_UPDATED,
    FAMILY_CODES,
    HISTOGRAM_DATA,
    MARKET_RULE,
    MKT_DEPTH_EXCHANGES,
    RECEIVE_FA,
    REPLACE_FA_END,
    SMART_COMPONENTS,
    SOFT_DOLLAR_TIERS,
    CURRENT_TIME_IN_MILLIS,
    USER_INFO,
    VERIFY_AND_AUTH_COMPLETED,
    VERIFY_COMPLETED,
)
from ..wire.reading import Request
from .session import Session

DISPLAY_GROUPS = "display_groups"
NEWS_BULLETINS = "news_bulletins"
FUNDAMENTALS_NOT_AVAILABLE = "We are sorry, but fundamentals data for the security specified is not available."
NEWS_FEED_NOT_ALLOWED = "News feed is not allowed."
VERIFICATION_NOT_REQUESTED = "API verification was not requested when this client connected"


def req_managed_accts(session: Session, request: Request) -> None:
    session.send(MANAGED_ACCOUNTS, accountsList=",".join(session.brokerage.account_ids))


def request_fa(session: Session, request: Request) -> None:
    """The FA groups or aliases of this login's accounts (profiles: an empty list)."""
    fa_type = request["faDataType"]
    xml = reference.fa_xml(fa_type, session.brokerage.account_ids)
    if xml is None:
        session.send_error(-1, 321, f"Error validating request.-'vd' : cause - Invalid FA data type: {fa_type}")
        return
    session.send(RECEIVE_FA, faDataType=fa_type, cxml=xml)


def replace_fa(session: Session, request: Request) -> None:
    session.send(REPLACE_FA_END, reqId=request["reqId"], text="")


def req_family_codes(session: Session, request: Request) -> None:
    codes = [{"accountID": account, "familyCodeStr": ""} for account in session.brokerage.account_ids]
    session.send(FAMILY_CODES, familyCodes=codes)


def req_soft_dollar_tiers(session: Session, request: Request) -> None:
    session.send(SOFT_DOLLAR_TIERS, reqId=request["reqId"], tiers=[])


def req_mkt_depth_exchanges(session: Session, request: Request) -> None:
    session.send(MKT_DEPTH_EXCHANGES, descriptions=reference.depth_exchanges())


def req_smart_components(session: Session, request: Request) -> None:
    components = reference.smart_components(request["bboExchange"])
    if components is None:
        session.send_error(request["reqId"], 321, "Error validating request.-'ll' : cause - Invalid BBO exchange")
        return
    session.send(SMART_COMPONENTS, reqId=request["reqId"], components=components)


def req_market_rule(session: Session, request: Request) -> None:
    """The price increments of a rule (the ids contract details list in marketRuleIds)."""
    rule_id = request["marketRuleId"]
    increments = reference.market_rule(rule_id)
    if increments is None:
        session.send_error(-1, 321, f"Error validating request.-'ki' : cause - Invalid market rule id: {rule_id}")
        return
    session.send(MARKET_RULE, marketRuleId=rule_id, increments=increments)


def req_histogram_data(session: Session, request: Request) -> None:
    """Traded volume by price over the period, from the contract's seeded history."""
    req_id = request["reqId"]
    contract = session.brokerage.catalog.resolve(request["contract"])
    if contract is None:
        session.send_error(req_id, 200, "No security definition has been found for the request")
        return
    items = reference.histogram(session.brokerage, contract.con_id, request["timePeriod"])
    if items is None:
        session.send_error(req_id, 321, f"Error validating request.-'bR' : cause - Invalid period: {request['timePeriod']}")
        return
    session.send(HISTOGRAM_DATA, reqId=req_id, items=items)


def query_display_groups(session: Session, request: Request) -> None:
    session.send(DISPLAY_GROUP_LIST, reqId=request["reqId"], groups="|".join(str(g) for g in reference.DISPLAY_GROUPS))


def subscribe_to_group_events(session: Session, request: Request) -> None:
    """Subscribe, then report the group's contract at once: "none", as no TWS window shows one."""
    req_id, group = request["reqId"], request["groupId"]
    session.subscribe(DISPLAY_GROUPS, req_id, group)
    session.send(DISPLAY_GROUP_UPDATED, reqId=req_id, contractInfo="none")


def update_display_group(session: Session, request: Request) -> None:
    """Set the group this subscription follows to a contract; its subscribers are told."""
    req_id = request["reqId"]
    group = session.subscribed(DISPLAY_GROUPS).get(req_id)
    if group is None:
        session.send_error(req_id, 321, "Error validating request.-'bo' : cause - Not subscribed to group events")
        return
    session.send(DISPLAY_GROUP_UPDATED, reqId=req_id, contractInfo=request["contractInfo"])


def unsubscribe_from_group_events(session: Session, request: Request) -> None:
    session.unsubscribe(DISPLAY_GROUPS, request["reqId"])


def req_news_bulletins(session: Session, request: Request) -> None:
    """IB sends bulletins only when the exchanges publish one; the fake's market has none."""
    session.subscribe(NEWS_BULLETINS, 0, request["allMsgs"])


def cancel_news_bulletins(session: Session, request: Request) -> None:
    session.unsubscribe(NEWS_BULLETINS, 0)


def set_server_log_level(session: Session, request: Request) -> None:
    """TWS changes its own log level and answers nothing."""


def req_user_info(session: Session, request: Request) -> None:
    session.send(USER_INFO, reqId=request["reqId"], whiteBrandingId="")


def req_current_time_in_millis(session: Session, request: Request) -> None:
    """No request id: always answered (ibapi sends it from server version 197)."""
    session.send(CURRENT_TIME_IN_MILLIS, timeInMillis=int(session.gateway.clock() * 1000))


def req_fundamental_data(session: Session, request: Request) -> None:
    """Fundamentals (Reuters) are no longer sold by IB: every request ends with error 430."""
    session.send_error(request["reqId"], 430, FUNDAMENTALS_NOT_AVAILABLE)


def req_wsh(session: Session, request: Request) -> None:
    """Wall Street Horizon needs a subscription a paper account lacks: error 10276."""
    session.send_error(request["reqId"], 10276, NEWS_FEED_NOT_ALLOWED)


def verify(session: Session, request: Request) -> None:
    """API verification is for vendors whose connect asked for it; this login did not, so the
    verification ends at once, unsuccessful, with the reason."""
    spec = VERIFY_AND_AUTH_COMPLETED if request.msg_id in (72, 73) else VERIFY_COMPLETED
    session.send(spec, isSuccessful=False, errorText=VERIFICATION_NOT_REQUESTED)


def ignore(session: Session, request: Request) -> None:
    """Cancels of requests that have already ended: IB answers nothing."""


HANDLERS = {
    in_reference.REQ_MANAGED_ACCTS.msg_id: req_managed_accts,
    in_reference.REQUEST_FA.msg_id: request_fa,
    in_reference.REPLACE_FA.msg_id: replace_fa,
    in_reference.REQ_FAMILY_CODES.msg_id: req_family_codes,
    in_reference.REQ_SOFT_DOLLAR_TIERS.msg_id: req_soft_dollar_tiers,
    in_reference.REQ_MKT_DEPTH_EXCHANGES.msg_id: req_mkt_depth_exchanges,
    in_reference.REQ_SMART_COMPONENTS.msg_id: req_smart_components,
    in_reference.REQ_MARKET_RULE.msg_id: req_market_rule,
    in_reference.REQ_HISTOGRAM_DATA.msg_id: req_histogram_data,
    in_reference.CANCEL_HISTOGRAM_DATA.msg_id: ignore,
    in_reference.QUERY_DISPLAY_GROUPS.msg_id: query_display_groups,
    in_reference.SUBSCRIBE_TO_GROUP_EVENTS.msg_id: subscribe_to_group_events,
    in_reference.UPDATE_DISPLAY_GROUP.msg_id: update_display_group,
    in_reference.UNSUBSCRIBE_FROM_GROUP_EVENTS.msg_id: unsubscribe_from_group_events,
    in_reference.REQ_NEWS_BULLETINS.msg_id: req_news_bulletins,
    in_reference.CANCEL_NEWS_BULLETINS.msg_id: cancel_news_bulletins,
    in_reference.SET_SERVER_LOG_LEVEL.msg_id: set_server_log_level,
    in_reference.REQ_USER_INFO.msg_id: req_user_info,
    in_reference.REQ_CURRENT_TIME_IN_MILLIS.msg_id: req_current_time_in_millis,
    in_reference.REQ_FUNDAMENTAL_DATA.msg_id: req_fundamental_data,
    in_reference.CANCEL_FUNDAMENTAL_DATA.msg_id: ignore,
    in_reference.REQ_WSH_META_DATA.msg_id: req_wsh,
    in_reference.REQ_WSH_EVENT_DATA.msg_id: req_wsh,
    in_reference.CANCEL_WSH_META_DATA.msg_id: ignore,
    in_reference.CANCEL_WSH_EVENT_DATA.msg_id: ignore,
    in_reference.VERIFY_REQUEST.msg_id: verify,
    in_reference.VERIFY_MESSAGE.msg_id: verify,
    in_reference.VERIFY_AND_AUTH_REQUEST.msg_id: verify,
    in_reference.VERIFY_AND_AUTH_MESSAGE.msg_id: verify,
}
