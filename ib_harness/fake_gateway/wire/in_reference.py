"""Layouts of reference-data, FA, display-group, news-bulletin, WSH and fundamentals requests.

Checked against what ib_insync 0.9.86 / ib_async 2.1.0 (``client.py``) and ibapi 10.46
(``client.py``) send at server versions 157..200. Several of these carry no request id at all
(reqManagedAccts, requestFA, reqFamilyCodes, reqMktDepthExchanges, reqMarketRule): the gateway
must answer them, because no error can end them in a client.
"""

from __future__ import annotations

from typing import Any

from .fields import B, I, S
from .in_market import read_contract
from .reading import FieldReader, RequestSpec


def _decode_fundamental_data(reader: FieldReader, version: int) -> dict[str, Any]:
    """reqFundamentalData (52, version 2): a short contract block (no expiry, strike, right)."""
    values: dict[str, Any] = {"version": reader.int("version"), "reqId": reader.int("reqId")}
    values["contract"] = {
        "conId": reader.int("conId"), "symbol": reader.str("symbol"), "secType": reader.str("secType"),
        "exchange": reader.str("exchange"), "primaryExchange": reader.str("primaryExchange"),
        "currency": reader.str("currency"), "localSymbol": reader.str("localSymbol"),
    }
    values["reportType"] = reader.str("reportType")
    return values


def _decode_histogram(reader: FieldReader, version: int) -> dict[str, Any]:
    """reqHistogramData (88, no version): contract with includeExpired, useRTH, period."""
    return {
        "reqId": reader.int("reqId"),
        "contract": read_contract(reader, include_expired=True),
        "useRTH": reader.bool("useRTH"),
        "timePeriod": reader.str("timePeriod"),
    }


REQ_NEWS_BULLETINS = RequestSpec(12, "reqNewsBulletins", (I("version"), B("allMsgs")))
CANCEL_NEWS_BULLETINS = RequestSpec(13, "cancelNewsBulletins", (I("version"),))
SET_SERVER_LOG_LEVEL = RequestSpec(14, "setServerLogLevel", (I("version"), I("logLevel")))
REQ_MANAGED_ACCTS = RequestSpec(17, "reqManagedAccts", (I("version"),))
REQUEST_FA = RequestSpec(18, "requestFA", (I("version"), I("faDataType")))
REPLACE_FA = RequestSpec(19, "replaceFA", (I("version"), I("faDataType"), S("cxml"), I("reqId")))
REQ_FUNDAMENTAL_DATA = RequestSpec(52, "reqFundamentalData", custom=_decode_fundamental_data)
CANCEL_FUNDAMENTAL_DATA = RequestSpec(53, "cancelFundamentalData", (I("version"), I("reqId")))
VERIFY_REQUEST = RequestSpec(65, "verifyRequest", (I("version"), S("apiName"), S("apiVersion")))
VERIFY_MESSAGE = RequestSpec(66, "verifyMessage", (I("version"), S("apiData")))
QUERY_DISPLAY_GROUPS = RequestSpec(67, "queryDisplayGroups", (I("version"), I("reqId")))
SUBSCRIBE_TO_GROUP_EVENTS = RequestSpec(68, "subscribeToGroupEvents", (I("version"), I("reqId"), I("groupId")))
UPDATE_DISPLAY_GROUP = RequestSpec(69, "updateDisplayGroup", (I("version"), I("reqId"), S("contractInfo")))
UNSUBSCRIBE_FROM_GROUP_EVENTS = RequestSpec(70, "unsubscribeFromGroupEvents", (I("version"), I("reqId")))
VERIFY_AND_AUTH_REQUEST = RequestSpec(72, "verifyAndAuthRequest", (
    I("version"), S("apiName"), S("apiVersion"), S("opaqueIsvKey"),
))
VERIFY_AND_AUTH_MESSAGE = RequestSpec(73, "verifyAndAuthMessage", (I("version"), S("apiData"), S("xyzResponse")))
REQ_SOFT_DOLLAR_TIERS = RequestSpec(79, "reqSoftDollarTiers", (I("reqId"),))
REQ_FAMILY_CODES = RequestSpec(80, "reqFamilyCodes", ())
REQ_MKT_DEPTH_EXCHANGES = RequestSpec(82, "reqMktDepthExchanges", ())
REQ_SMART_COMPONENTS = RequestSpec(83, "reqSmartComponents", (I("reqId"), S("bboExchange")))
REQ_HISTOGRAM_DATA = RequestSpec(88, "reqHistogramData", custom=_decode_histogram)
CANCEL_HISTOGRAM_DATA = RequestSpec(89, "cancelHistogramData", (I("reqId"),))
REQ_MARKET_RULE = RequestSpec(91, "reqMarketRule", (I("marketRuleId"),))
REQ_WSH_META_DATA = RequestSpec(100, "reqWshMetaData", (I("reqId"),))
CANCEL_WSH_META_DATA = RequestSpec(101, "cancelWshMetaData", (I("reqId"),))
REQ_WSH_EVENT_DATA = RequestSpec(102, "reqWshEventData", (I("reqId"), I("conId")))
CANCEL_WSH_EVENT_DATA = RequestSpec(103, "cancelWshEventData", (I("reqId"),))
REQ_USER_INFO = RequestSpec(104, "reqUserInfo", (I("reqId"),))
REQ_CURRENT_TIME_IN_MILLIS = RequestSpec(105, "reqCurrentTimeInMillis", ())  # ibapi, server version 197+

REQUESTS = (
    REQ_NEWS_BULLETINS, CANCEL_NEWS_BULLETINS, SET_SERVER_LOG_LEVEL, REQ_MANAGED_ACCTS, REQUEST_FA,
    REPLACE_FA, REQ_FUNDAMENTAL_DATA, CANCEL_FUNDAMENTAL_DATA, VERIFY_REQUEST, VERIFY_MESSAGE,
    QUERY_DISPLAY_GROUPS, SUBSCRIBE_TO_GROUP_EVENTS, UPDATE_DISPLAY_GROUP, UNSUBSCRIBE_FROM_GROUP_EVENTS,
    VERIFY_AND_AUTH_REQUEST, VERIFY_AND_AUTH_MESSAGE, REQ_SOFT_DOLLAR_TIERS, REQ_FAMILY_CODES,
    REQ_MKT_DEPTH_EXCHANGES, REQ_SMART_COMPONENTS, REQ_HISTOGRAM_DATA, CANCEL_HISTOGRAM_DATA,
    REQ_MARKET_RULE, REQ_WSH_META_DATA, CANCEL_WSH_META_DATA, REQ_WSH_EVENT_DATA, CANCEL_WSH_EVENT_DATA,
    REQ_USER_INFO, REQ_CURRENT_TIME_IN_MILLIS,
)
