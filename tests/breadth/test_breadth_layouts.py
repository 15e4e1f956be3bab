"""Every outgoing layout this branch added, decoded by the three real clients' own decoders.

Each frame is encoded from the layout table at the versions each client speaks and fed to
ib_insync's, ib_async's and ibapi's decoder (no socket): the callback must come, with the values
sent. ibapi drops a plain message with the wrong field count and fails here on fields its readers
leave unread, so a layout with a field too many or too few cannot pass.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

import pytest

from ib_harness.fake_gateway.wire import out_depth, out_news, out_options, out_reference, out_scanner, out_ticks
from tests.wire.client_wire import client_cases, feed

CASES = client_cases((157, 163, 170, 176, 178, 190, 200))
ROW = dict(rank=0, conId=4391, symbol="AMD", secType="STK", exchange="NASDAQ", currency="USD", localSymbol="AMD",
           marketName="NMS", tradingClass="NMS", strike=0.0)


def _num(value: Any) -> float:
    return float(value)


# (frame builder, callback name, check of the callback's args) — the names are the same in all three.
LAYOUTS: list[tuple[str, Callable[[int], bytes], Callable[[tuple[Any, ...]], bool]]] = [
    ("receiveFA", lambda v: out_reference.RECEIVE_FA.frame(v, faDataType=1, cxml="<ListOfGroups/>"),
     lambda a: a[1] == "<ListOfGroups/>"),
    ("replaceFAEnd", lambda v: out_reference.REPLACE_FA_END.frame(v, reqId=5, text=""), lambda a: a[0] == 5),
    ("softDollarTiers", lambda v: out_reference.SOFT_DOLLAR_TIERS.frame(
        v, reqId=6, tiers=[dict(name="n", val="v", displayName="d")]), lambda a: a[0] == 6 and len(a[1]) == 1),
    ("familyCodes", lambda v: out_reference.FAMILY_CODES.frame(
        v, familyCodes=[dict(accountID="DU1", familyCodeStr="F1")]), lambda a: a[0][0].accountID == "DU1"),
    ("mktDepthExchanges", lambda v: out_reference.MKT_DEPTH_EXCHANGES.frame(v, descriptions=[dict(
        exchange="NASDAQ", secType="STK", listingExch="", serviceDataType="Deep2", aggGroup=2147483647)]),
     lambda a: a[0][0].exchange == "NASDAQ" and a[0][0].serviceDataType == "Deep2"),
    ("smartComponents", lambda v: out_reference.SMART_COMPONENTS.frame(v, reqId=7, components=[dict(
        bitNumber=1, exchange="NYSE", exchangeLetter="N")]), lambda a: a[0] == 7 and len(a[1]) == 1),
    ("marketRule", lambda v: out_reference.MARKET_RULE.frame(v, marketRuleId=26, increments=[
        dict(lowEdge=0.0, increment=0.01)]), lambda a: a[0] == 26 and a[1][0].increment == 0.01),
    ("displayGroupList", lambda v: out_reference.DISPLAY_GROUP_LIST.frame(v, reqId=8, groups="1|2|3"),
     lambda a: a == (8, "1|2|3")),
    ("displayGroupUpdated", lambda v: out_reference.DISPLAY_GROUP_UPDATED.frame(v, reqId=8, contractInfo="none"),
     lambda a: a == (8, "none")),
    ("userInfo", lambda v: out_reference.USER_INFO.frame(v, reqId=9, whiteBrandingId=""), lambda a: a[0] == 9),
    ("histogramData", lambda v: out_reference.HISTOGRAM_DATA.frame(v, reqId=10, items=[dict(price=190.5, size=300)]),
     lambda a: a[0] == 10 and a[1][0].price == 190.5),
    ("verifyCompleted", lambda v: out_reference.VERIFY_COMPLETED.frame(v, isSuccessful=False, errorText="no"),
     lambda a: a[0] in (False, "0", 0) and a[1] == "no"),
    ("securityDefinitionOptionParameter", lambda v: out_options.SECURITY_DEFINITION_OPTION_PARAMETER.frame(
        v, reqId=11, exchange="CBOE", underlyingConId=416904, tradingClass="SPXW", multiplier="100",
        expirations=[dict(expiration="20261204")], strikes=[dict(strike=4500.0), dict(strike=4505.0)]),
     lambda a: a[0] == 11 and a[3] == "SPXW" and set(a[5]) == {"20261204"} and set(a[6]) == {4500.0, 4505.0}),
    ("securityDefinitionOptionParameterEnd", lambda v: out_options.SECURITY_DEFINITION_OPTION_PARAMETER_END.frame(
        v, reqId=11), lambda a: a[0] == 11),
    ("tickOptionComputation", lambda v: out_options.TICK_OPTION_COMPUTATION.frame(
        v, reqId=12, tickType=13, tickAttrib=0, impliedVol=0.3, delta=0.52, optPrice=5.3, pvDividend=0.0,
        gamma=0.03, vega=0.17, theta=-0.15, undPrice=189.95),
     lambda a: a[0] == 12 and a[1] == 13 and 0.3 in a and 189.95 in a),
    ("updateMktDepth", lambda v: out_depth.UPDATE_MKT_DEPTH.frame(
        v, reqId=13, position=0, operation=0, side=1, price=189.94, size=300),
     lambda a: a[:5] == (13, 0, 0, 1, 189.94) and _num(a[5]) == 300),
    ("updateMktDepthL2", lambda v: out_depth.UPDATE_MKT_DEPTH_L2.frame(
        v, reqId=14, position=1, marketMaker="ARCA", operation=1, side=0, price=189.97, size=200, isSmartDepth=True),
     lambda a: a[:6] == (14, 1, "ARCA", 1, 0, 189.97) and _num(a[6]) == 200),
    ("scannerParameters", lambda v: out_scanner.SCANNER_PARAMETERS.frame(v, xml="<ScanParameterResponse/>"),
     lambda a: a[0] == "<ScanParameterResponse/>"),
    ("scannerDataEnd", lambda v: out_scanner.SCANNER_DATA.frame(v, reqId=15, rows=[ROW]), lambda a: a[0] == 15),
    ("newsProviders", lambda v: out_news.NEWS_PROVIDERS.frame(v, providers=[dict(code="BRFG", name="Briefing")]),
     lambda a: a[0][0].code == "BRFG"),
    ("historicalNews", lambda v: out_news.HISTORICAL_NEWS.frame(
        v, reqId=16, time="2026-11-30 10:00:00.0", providerCode="BRFG", articleId="BRFG$1-0", headline="h"),
     lambda a: a[0] == 16 and "BRFG$1-0" in a),
    ("historicalNewsEnd", lambda v: out_news.HISTORICAL_NEWS_END.frame(v, reqId=16, hasMore=True), lambda a: a[0] == 16),
    ("newsArticle", lambda v: out_news.NEWS_ARTICLE.frame(v, reqId=17, articleType=0, articleText="<html/>"),
     lambda a: a == (17, 0, "<html/>")),
    ("tickNews", lambda v: out_news.TICK_NEWS.frame(
        v, tickerId=18, timeStamp=1701652523, providerCode="BRFG", articleId="a", headline="h", extraData=""),
     lambda a: a[0] == 18 and "a" in a),
    ("historicalTicks", lambda v: out_ticks.HISTORICAL_TICKS.frame(
        v, reqId=19, ticks=[dict(time=1701652523, unused=0, price=1.0873, size=0)], done=True),
     lambda a: a[0] == 19 and len(a[1]) == 1 and a[1][0].price == 1.0873 and a[2] in (True, 1)),
    ("historicalTicksBidAsk", lambda v: out_ticks.HISTORICAL_TICKS_BID_ASK.frame(
        v, reqId=20, ticks=[dict(time=1701652523, mask=0, priceBid=1.0, priceAsk=1.1, sizeBid=5, sizeAsk=6)], done=True),
     lambda a: a[0] == 20 and a[1][0].priceAsk == 1.1),
    ("historicalTicksLast", lambda v: out_ticks.HISTORICAL_TICKS_LAST.frame(
        v, reqId=21, ticks=[dict(time=1701652523, mask=0, price=190.5, size=100, exchange="NASDAQ",
                                 specialConditions="")], done=False),
     lambda a: a[0] == 21 and a[1][0].exchange == "NASDAQ" and a[2] in (False, 0)),
]


@pytest.mark.parametrize("client,version", CASES)
def test_clients_decode_every_new_layout(client: str, version: int) -> None:
    for name, build, check in LAYOUTS:
        calls = [args for callback, args in feed(client, version, [build(version)]) if callback == name]
        assert calls, f"{client}@{version}: {name} not decoded"
        assert check(calls[0]), f"{client}@{version}: {name} decoded as {calls[0]}"


def test_decimal_sizes_from_163() -> None:
    """ibapi reads depth sizes as Decimal; before 163 IB printed them as integers."""
    frame = out_depth.UPDATE_MKT_DEPTH.frame(176, reqId=1, position=0, operation=0, side=1, price=1.0, size=1.5)
    [(_, args)] = feed("ibapi", 176, [frame])
    assert args[5] == Decimal("1.5")


@pytest.mark.parametrize("version", (197, 200))
def test_ibapi_decodes_the_time_in_millis(version: int) -> None:
    """currentTimeInMillis exists from 197, beyond ib_insync's and ib_async's versions."""
    frame = out_reference.CURRENT_TIME_IN_MILLIS.frame(version, timeInMillis=1796034225123)
    assert feed("ibapi", version, [frame]) == [("currentTimeInMillis", (1796034225123,))]
