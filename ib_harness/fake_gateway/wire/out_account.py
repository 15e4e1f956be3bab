"""Layouts of account, portfolio and position messages."""

from __future__ import annotations

from .fields import C, D, I, Q, S
from .spec import MessageSpec

_POSITION_CONTRACT = (
    I("conId"), S("symbol"), S("secType"), S("lastTradeDateOrContractMonth"), D("strike"),
    S("right"), S("multiplier"), S("exchange"), S("currency"), S("localSymbol"), S("tradingClass"),
)

ACCOUNT_VALUE = MessageSpec(6, "acctValue", (
    C("version", "2"), S("key"), S("value"), S("currency"), S("accountName"),
))
PORTFOLIO_VALUE = MessageSpec(7, "portfolioValue", (
    C("version", "8"),
    I("conId"), S("symbol"), S("secType"), S("lastTradeDateOrContractMonth"), D("strike"),
    S("right"), S("multiplier"), S("primaryExchange"), S("currency"), S("localSymbol"),
    S("tradingClass"),
    Q("position"), D("marketPrice"), D("marketValue"), D("averageCost"),
    D("unrealizedPNL"), D("realizedPNL"), S("accountName"),
))
ACCOUNT_UPDATE_TIME = MessageSpec(8, "acctUpdateTime", (C("version", "1"), S("timeStamp")))
ACCOUNT_DOWNLOAD_END = MessageSpec(54, "acctDownloadEnd", (C("version", "1"), S("accountName")))
POSITION = MessageSpec(61, "position", (
    C("version", "3"), S("account"), *_POSITION_CONTRACT, Q("position"), D("avgCost"),
))
POSITION_END = MessageSpec(62, "positionEnd", (C("version", "1"),))
ACCOUNT_SUMMARY = MessageSpec(63, "accountSummary", (
    C("version", "1"), I("reqId"), S("account"), S("tag"), S("value"), S("currency"),
))
ACCOUNT_SUMMARY_END = MessageSpec(64, "accountSummaryEnd", (C("version", "1"), I("reqId")))
POSITION_MULTI = MessageSpec(71, "positionMulti", (
    C("version", "1"), I("reqId"), S("account"), *_POSITION_CONTRACT,
    Q("position"), D("avgCost"), S("modelCode"),
))
POSITION_MULTI_END = MessageSpec(72, "positionMultiEnd", (C("version", "1"), I("reqId")))
ACCOUNT_UPDATE_MULTI = MessageSpec(73, "accountUpdateMulti", (
    C("version", "1"), I("reqId"), S("account"), S("modelCode"), S("key"), S("value"), S("currency"),
))
ACCOUNT_UPDATE_MULTI_END = MessageSpec(74, "accountUpdateMultiEnd", (C("version", "1"), I("reqId")))

SPECS = (
    ACCOUNT_VALUE, PORTFOLIO_VALUE, ACCOUNT_UPDATE_TIME, ACCOUNT_DOWNLOAD_END, POSITION,
    POSITION_END, ACCOUNT_SUMMARY, ACCOUNT_SUMMARY_END, POSITION_MULTI, POSITION_MULTI_END,
    ACCOUNT_UPDATE_MULTI, ACCOUNT_UPDATE_MULTI_END,
)
