"""Layouts of contract-details messages (reqContractDetails replies).

The real gateway prints strike and minTick as plain decimals here (``0``, ``0.00005``), not as
Java doubles, so they use the decimal kind.
"""

from __future__ import annotations

from .fields import C, I, Q, S
from .spec import MessageSpec, Repeat

CONTRACT_DATA = MessageSpec(10, "contractData", (
    C("version", "8", until=164),
    I("reqId", -1),
    S("symbol"), S("secType"), S("lastTradeDateOrContractMonth"),
    S("lastTradeDate", since=182),
    Q("strike", 0), S("right"), S("exchange"), S("currency"), S("localSymbol"),
    S("marketName"), S("tradingClass"), I("conId"), Q("minTick", 0.01),
    I("mdSizeMultiplier", 1, until=164),
    S("multiplier"), S("orderTypes"), S("validExchanges"), I("priceMagnifier", 1),
    I("underConId"), S("longName"), S("primaryExchange"),
    S("contractMonth"), S("industry"), S("category"), S("subcategory"), S("timeZoneId"),
    S("tradingHours"), S("liquidHours"), S("evRule"), S("evMultiplier"),
    Repeat("secIdList", (S("tag"), S("value"))),
    I("aggGroup"), S("underSymbol"), S("underSecType"), S("marketRuleIds"),
    S("realExpirationDate"), S("stockType"),
    Q("sizeMinTick", 0.0001, since=163, until=164),
    Q("minSize", 1, since=164), Q("sizeIncrement", 1, since=164),
    Q("suggestedSizeIncrement", 1, since=164),
    Repeat("ineligibilityReasonList", (S("id"), S("description")), since=186),
))
CONTRACT_DATA_END = MessageSpec(52, "contractDataEnd", (C("version", "1"), I("reqId")))

SPECS = (CONTRACT_DATA, CONTRACT_DATA_END)
