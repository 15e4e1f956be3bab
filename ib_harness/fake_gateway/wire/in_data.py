"""Layouts of depth, scanner, news and historical-tick requests (client to server).

As ib_insync 0.9.86 / ib_async 2.1.0 and ibapi 10.46 send them at server versions 157..200:
reqMktDepth (10, version 5) with isSmartDepth and mktDepthOptions; reqScannerSubscription (22)
without its version field (dropped at 143) and with the filter options and the options as one
"tag=value;" field each; the news requests and reqHistoricalTicks have no version field.
"""

from __future__ import annotations

from typing import Any

from .fields import B, I, S
from .in_market import read_contract
from .reading import FieldReader, RequestSpec


def _decode_mkt_depth(reader: FieldReader, version: int) -> dict[str, Any]:
    return {
        "version": reader.int("version"), "reqId": reader.int("reqId"), "contract": read_contract(reader),
        "numRows": reader.int("numRows"), "isSmartDepth": reader.bool("isSmartDepth"),
        "mktDepthOptions": reader.str("mktDepthOptions"),
    }


_SCANNER_FIELDS = (
    ("numberOfRows", "int"), ("instrument", "str"), ("locationCode", "str"), ("scanCode", "str"),
    ("abovePrice", "float"), ("belowPrice", "float"), ("aboveVolume", "int"), ("marketCapAbove", "float"),
    ("marketCapBelow", "float"), ("moodyRatingAbove", "str"), ("moodyRatingBelow", "str"),
    ("spRatingAbove", "str"), ("spRatingBelow", "str"), ("maturityDateAbove", "str"),
    ("maturityDateBelow", "str"), ("couponRateAbove", "float"), ("couponRateBelow", "float"),
    ("excludeConvertible", "bool"), ("averageOptionVolumeAbove", "int"), ("scannerSettingPairs", "str"),
    ("stockTypeFilter", "str"), ("filterOptions", "str"), ("scannerOptions", "str"),
)


def _decode_scanner(reader: FieldReader, version: int) -> dict[str, Any]:
    """Unset numbers arrive empty (ibapi) or as IB's max values (ib_insync): both read as None."""
    values: dict[str, Any] = {"reqId": reader.int("reqId")}
    for name, kind in _SCANNER_FIELDS:
        if kind == "str":
            values[name] = reader.str(name)
        elif kind == "bool":
            values[name] = reader.bool(name)
        else:
            number = reader.float(name, float("nan"))
            values[name] = None if number != number or number >= 1e300 or number in (2**31 - 1, -1) else number
    return values


def _decode_historical_ticks(reader: FieldReader, version: int) -> dict[str, Any]:
    return {
        "reqId": reader.int("reqId"), "contract": read_contract(reader, include_expired=True),
        "startDateTime": reader.str("startDateTime"), "endDateTime": reader.str("endDateTime"),
        "numberOfTicks": reader.int("numberOfTicks"), "whatToShow": reader.str("whatToShow"),
        "useRth": reader.bool("useRth"), "ignoreSize": reader.bool("ignoreSize"),
        "miscOptions": reader.str("miscOptions"),
    }


REQ_MKT_DEPTH = RequestSpec(10, "reqMktDepth", custom=_decode_mkt_depth)
CANCEL_MKT_DEPTH = RequestSpec(11, "cancelMktDepth", (I("version"), I("reqId"), B("isSmartDepth")))
REQ_SCANNER_SUBSCRIPTION = RequestSpec(22, "reqScannerSubscription", custom=_decode_scanner)
CANCEL_SCANNER_SUBSCRIPTION = RequestSpec(23, "cancelScannerSubscription", (I("version"), I("reqId")))
REQ_SCANNER_PARAMETERS = RequestSpec(24, "reqScannerParameters", (I("version"),))
REQ_NEWS_ARTICLE = RequestSpec(84, "reqNewsArticle", (I("reqId"), S("providerCode"), S("articleId"), S("newsArticleOptions")))
REQ_NEWS_PROVIDERS = RequestSpec(85, "reqNewsProviders", ())
REQ_HISTORICAL_NEWS = RequestSpec(86, "reqHistoricalNews", (
    I("reqId"), I("conId"), S("providerCodes"), S("startDateTime"), S("endDateTime"), I("totalResults"),
    S("historicalNewsOptions"),
))
REQ_HISTORICAL_TICKS = RequestSpec(96, "reqHistoricalTicks", custom=_decode_historical_ticks)

REQUESTS = (
    REQ_MKT_DEPTH, CANCEL_MKT_DEPTH, REQ_SCANNER_SUBSCRIPTION, CANCEL_SCANNER_SUBSCRIPTION,
    REQ_SCANNER_PARAMETERS, REQ_NEWS_ARTICLE, REQ_NEWS_PROVIDERS, REQ_HISTORICAL_NEWS, REQ_HISTORICAL_TICKS,
)
