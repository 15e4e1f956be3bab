"""Layouts of reference-data replies: accounts list, FA, family codes, soft-dollar tiers, market
rules, SMART components, depth exchanges, display groups, user info, WSH (server to client).

Most of these answer requests that carry no request id (reqFamilyCodes, reqMarketRule,
reqMktDepthExchanges, requestFA): no error can end such a request in a client, so the gateway must
always answer them. Layouts follow ibapi 10.46 ``decoder.py`` and ib_insync 0.9.86 ``decoder.py``
for server versions 157..200 (no gate inside that range changes them).
"""

from __future__ import annotations

from .fields import B, C, D, I, Q, S
from .spec import MessageSpec, Repeat

RECEIVE_FA = MessageSpec(16, "receiveFA", (C("version", "1"), I("faDataType"), S("cxml")))
REPLACE_FA_END = MessageSpec(103, "replaceFAEnd", (I("reqId"), S("text")))
SOFT_DOLLAR_TIERS = MessageSpec(77, "softDollarTiers", (
    I("reqId"), Repeat("tiers", (S("name"), S("val"), S("displayName"))),
))
FAMILY_CODES = MessageSpec(78, "familyCodes", (
    Repeat("familyCodes", (S("accountID"), S("familyCodeStr"))),
))
MKT_DEPTH_EXCHANGES = MessageSpec(80, "mktDepthExchanges", (
    Repeat("descriptions", (S("exchange"), S("secType"), S("listingExch"), S("serviceDataType"), I("aggGroup"))),
))
SMART_COMPONENTS = MessageSpec(82, "smartComponents", (
    I("reqId"), Repeat("components", (I("bitNumber"), S("exchange"), S("exchangeLetter"))),
))
MARKET_RULE = MessageSpec(93, "marketRule", (
    I("marketRuleId"), Repeat("increments", (D("lowEdge"), D("increment"))),
))
DISPLAY_GROUP_LIST = MessageSpec(67, "displayGroupList", (C("version", "1"), I("reqId"), S("groups")))
DISPLAY_GROUP_UPDATED = MessageSpec(68, "displayGroupUpdated", (C("version", "1"), I("reqId"), S("contractInfo")))
USER_INFO = MessageSpec(107, "userInfo", (I("reqId"), S("whiteBrandingId")))
WSH_META_DATA = MessageSpec(104, "wshMetaData", (I("reqId"), S("dataJson")))
WSH_EVENT_DATA = MessageSpec(105, "wshEventData", (I("reqId"), S("dataJson")))
HISTOGRAM_DATA = MessageSpec(89, "histogramData", (
    I("reqId"), Repeat("items", (D("price"), Q("size"))),
))
CURRENT_TIME_IN_MILLIS = MessageSpec(109, "currentTimeInMillis", (I("timeInMillis"),))  # ibapi from 197
VERIFY_COMPLETED = MessageSpec(66, "verifyCompleted", (C("version", "1"), B("isSuccessful"), S("errorText")))
VERIFY_AND_AUTH_COMPLETED = MessageSpec(70, "verifyAndAuthCompleted", (C("version", "1"), B("isSuccessful"), S("errorText")))

SPECS = (
    RECEIVE_FA, REPLACE_FA_END, SOFT_DOLLAR_TIERS, FAMILY_CODES, MKT_DEPTH_EXCHANGES, SMART_COMPONENTS,
    MARKET_RULE, DISPLAY_GROUP_LIST, DISPLAY_GROUP_UPDATED, USER_INFO, WSH_META_DATA, WSH_EVENT_DATA,
    HISTOGRAM_DATA, VERIFY_COMPLETED, VERIFY_AND_AUTH_COMPLETED, CURRENT_TIME_IN_MILLIS,
)
