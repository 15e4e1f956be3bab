"""Layouts of the order messages the gateway writes: openOrder, completedOrder, orderStatus, ends.

Gates follow ibapi 10.46's ``decoder.py``/``orderdecoder.py`` (the server constants in
``ibapi/server_versions.py``), cross-checked with ib_insync 0.9.86 and ib_async 2.1.0:

* 158 duration, 160 postToAts, 162 autoCancelParent, 170 PEG BEST/MID attributes (openOrder);
  ib_insync/ib_async read duration only from 159, but they ignore trailing fields, so 158 is safe.
* 177 faProfile dropped (openOrder and completedOrder).
* 183 customerAccount, 184 professionalCustomer (both messages); 185 bondAccruedInterest,
  189 includeOvernight, 193 extOperator + manualOrderIndicator, 199 imbalanceOnly (openOrder).
* 195 full order preview: marginCurrency, nine outside-RTH margin values, suggestedSize,
  rejectReason and the order-allocation list, just before warningText (openOrder).
* 198 submitter (both messages). 191 (permId as long) changes no layout: the text is the same.

No version field: openOrder lost it at 145, orderStatus at 131; completedOrder, orderBound and
completedOrdersEnd never had one.

Conditional sections are laid out for the path the real gateway takes for a plain order:

* deltaNeutralOrderType: the real gateway sends the text ``None``, which every client treats as
  set, so the delta-neutral block (8 fields in openOrder, 4 in completedOrder) is always present.
  Never send an empty deltaNeutralOrderType with these layouts: clients would then skip the block.
* combo legs, order combo legs and smart-combo routing params are real counted groups.
* scalePriceIncrement must stay unset (empty): the 7 extra scale fields are not laid out.
* hedgeType and algoStrategy must stay empty: hedgeParam and the algo params are not laid out.
* orderType must not be PEG BENCH (its 5 reference fields are not laid out).
* ``conditions`` is a count with no item layout: only an empty list is valid (a non-zero count
  would also need conditionsIgnoreRth/conditionsCancelOrder).

Defaults reproduce the captured v176 frames for a plain MKT/LMT order (see
``tests/conformance/captures``). The gateway prints some doubles without ``.0`` (strike,
discretionaryAmt, cashQty, mktCapPrice show ``0``), so those use the decimal kind.
"""

from __future__ import annotations

from .fields import UNSET_DOUBLE, UNSET_INTEGER, B, C, D, Field, I, Q, S
from .spec import MessageSpec, Repeat


def order_contract(strike: Field, right: str) -> tuple[Field, ...]:
    """The 11-field contract block of openOrder, completedOrder and execDetails.

    The same names everywhere, so one contract dict serves every message; only the strike's
    print style and the empty-right default differ between messages in the captures.
    """
    return (
        I("conId"), S("symbol"), S("secType"), S("lastTradeDateOrContractMonth"), strike,
        S("right", right), S("multiplier"), S("exchange"), S("currency"), S("localSymbol"),
        S("tradingClass"),
    )


_CONTRACT = order_contract(Q("strike", 0), "?")

COMBO_LEG = (
    I("conId"), I("ratio"), S("action"), S("exchange"), I("openClose"), I("shortSaleSlot"),
    S("designatedLocation"), I("exemptCode", -1),
)
TAG_VALUE = (S("tag"), S("value"))
ORDER_ALLOCATION = (
    S("account"), Q("position"), Q("positionDesired"), Q("positionAfter"),
    Q("desiredAllocQty"), Q("allowedAllocQty"), B("isMonetary"),
)

_MARGINS = tuple(
    D(name, UNSET_DOUBLE)
    for name in (
        "initMarginBefore", "maintMarginBefore", "equityWithLoanBefore",
        "initMarginChange", "maintMarginChange", "equityWithLoanChange",
        "initMarginAfter", "maintMarginAfter", "equityWithLoanAfter",
    )
)
_MARGINS_OUTSIDE_RTH = tuple(
    D(name, UNSET_DOUBLE, since=195)
    for name in (
        "initMarginBeforeOutsideRTH", "maintMarginBeforeOutsideRTH",
        "equityWithLoanBeforeOutsideRTH", "initMarginChangeOutsideRTH",
        "maintMarginChangeOutsideRTH", "equityWithLoanChangeOutsideRTH",
        "initMarginAfterOutsideRTH", "maintMarginAfterOutsideRTH",
        "equityWithLoanAfterOutsideRTH",
    )
)

_PEG_BEST_MID = (
    I("minTradeQty", None, since=170), I("minCompeteSize", None, since=170),
    D("competeAgainstBestOffset", None, since=170), D("midOffsetAtWhole", None, since=170),
    D("midOffsetAtHalf", None, since=170),
)

_VOLATILITY = (
    D("volatility", None), I("volatilityType", 0),
    S("deltaNeutralOrderType", "None"), D("deltaNeutralAuxPrice", None),
)

_COMBO_GROUPS = (
    S("comboLegsDescrip"),
    Repeat("comboLegs", COMBO_LEG),
    Repeat("orderComboLegs", (D("price", None),)),
    Repeat("smartComboRoutingParams", TAG_VALUE),
)

_SCALE = (
    I("scaleInitLevelSize", UNSET_INTEGER), I("scaleSubsLevelSize", UNSET_INTEGER),
    D("scalePriceIncrement", None),
)

OPEN_ORDER = MessageSpec(5, "openOrder", (
    I("orderId"),
    *_CONTRACT,
    S("action", "BUY"), Q("totalQuantity", 0), S("orderType", "MKT"),
    D("lmtPrice", 0.0), D("auxPrice", 0.0), S("tif", "DAY"), S("ocaGroup"), S("account"),
    S("openClose"), I("origin", 0), S("orderRef"), I("clientId", 0), I("permId", 0),
    B("outsideRth"), B("hidden"), Q("discretionaryAmt", 0), S("goodAfterTime"),
    # Deprecated slot; the real gateway fills it with "<permId>.0/<account>/100" (100 even for a
    # 1000-share order in the captures, so probably a percentage).
    S("sharesAllocation"),
    S("faGroup"), S("faMethod"), S("faPercentage"), S("faProfile", until=177), S("modelCode"),
    S("goodTillDate"), S("rule80A"), D("percentOffset", None), S("settlingFirm"),
    I("shortSaleSlot", 0), S("designatedLocation"), I("exemptCode", -1), I("auctionStrategy", 0),
    D("startingPrice", None), D("stockRefPrice", None), D("delta", None),
    D("stockRangeLower", None), D("stockRangeUpper", None),
    I("displaySize", UNSET_INTEGER), B("blockOrder"), B("sweepToFill"), B("allOrNone"),
    I("minQty", None), I("ocaType", 3), B("eTradeOnly"), B("firmQuoteOnly"),
    D("nbboPriceCap", None), I("parentId", 0), I("triggerMethod", 0),
    *_VOLATILITY,
    I("deltaNeutralConId", 0), S("deltaNeutralSettlingFirm"), S("deltaNeutralClearingAccount"),
    S("deltaNeutralClearingIntent"), S("deltaNeutralOpenClose", "?"),
    B("deltaNeutralShortSale"), I("deltaNeutralShortSaleSlot", 0),
    S("deltaNeutralDesignatedLocation"),
    B("continuousUpdate"), I("referencePriceType", 0),
    D("trailStopPrice", None), D("trailingPercent", None),
    D("basisPoints", None), I("basisPointsType", None),
    *_COMBO_GROUPS,
    *_SCALE,
    S("hedgeType"), B("optOutSmartRouting"), S("clearingAccount"), S("clearingIntent", "IB"),
    B("notHeld"), B("deltaNeutralContractPresent"), S("algoStrategy"), B("solicited"),
    B("whatIf"), S("status", "PreSubmitted"),
    *_MARGINS,
    D("commission", None), D("minCommission", None), D("maxCommission", None),
    S("commissionCurrency"),
    S("marginCurrency", since=195),
    *_MARGINS_OUTSIDE_RTH,
    Q("suggestedSize", None, since=195), S("rejectReason", since=195),
    Repeat("orderAllocations", ORDER_ALLOCATION, since=195),
    S("warningText"),
    B("randomizeSize"), B("randomizePrice"),
    Repeat("conditions", ()),
    S("adjustedOrderType", "None"), D("triggerPrice", UNSET_DOUBLE),
    # Clients store this second trailStopPrice over the first; named apart so both can be set.
    D("adjustedTrailStopPrice", UNSET_DOUBLE), D("lmtPriceOffset", UNSET_DOUBLE),
    D("adjustedStopPrice", UNSET_DOUBLE), D("adjustedStopLimitPrice", UNSET_DOUBLE),
    D("adjustedTrailingAmount", UNSET_DOUBLE), I("adjustableTrailingUnit", 0),
    S("softDollarTierName"), S("softDollarTierValue"), S("softDollarTierDisplayName"),
    Q("cashQty", 0), B("dontUseAutoPriceForHedge", True), B("isOmsContainer"),
    B("discretionaryUpToLimitPrice"), B("usePriceMgmtAlgo"),
    I("duration", None, since=158), I("postToAts", None, since=160),
    B("autoCancelParent", since=162),
    *_PEG_BEST_MID,
    S("customerAccount", since=183), B("professionalCustomer", since=184),
    S("bondAccruedInterest", since=185), B("includeOvernight", since=189),
    S("extOperator", since=193), I("manualOrderIndicator", None, since=193),
    S("submitter", since=198), B("imbalanceOnly", since=199),
))

COMPLETED_ORDER = MessageSpec(101, "completedOrder", (
    *_CONTRACT,
    S("action", "BUY"), Q("totalQuantity", 0), S("orderType", "MKT"),
    D("lmtPrice", 0.0), D("auxPrice", 0.0), S("tif", "DAY"), S("ocaGroup"), S("account"),
    S("openClose"), I("origin", 0), S("orderRef"), I("permId", 0),
    B("outsideRth"), B("hidden"), Q("discretionaryAmt", 0), S("goodAfterTime"),
    S("faGroup"), S("faMethod"), S("faPercentage"), S("faProfile", until=177), S("modelCode"),
    S("goodTillDate"), S("rule80A"), D("percentOffset", None), S("settlingFirm"),
    I("shortSaleSlot", 0), S("designatedLocation"), I("exemptCode", -1),
    D("startingPrice", None), D("stockRefPrice", None), D("delta", None),
    D("stockRangeLower", None), D("stockRangeUpper", None),
    I("displaySize", UNSET_INTEGER), B("sweepToFill"), B("allOrNone"), I("minQty", None),
    I("ocaType", 3), I("triggerMethod", 0),
    *_VOLATILITY,
    I("deltaNeutralConId", 0), B("deltaNeutralShortSale"), I("deltaNeutralShortSaleSlot", 0),
    S("deltaNeutralDesignatedLocation"),
    B("continuousUpdate"), I("referencePriceType", 0),
    D("trailStopPrice", None), D("trailingPercent", None),
    *_COMBO_GROUPS,
    *_SCALE,
    S("hedgeType"), S("clearingAccount"), S("clearingIntent", "IB"), B("notHeld"),
    B("deltaNeutralContractPresent"), S("algoStrategy"), B("solicited"),
    S("status", "Filled"), B("randomizeSize"), B("randomizePrice"),
    Repeat("conditions", ()),
    D("adjustedTrailStopPrice", UNSET_DOUBLE), D("lmtPriceOffset", UNSET_DOUBLE),
    Q("cashQty", 0), B("dontUseAutoPriceForHedge", True), B("isOmsContainer"),
    S("autoCancelDate"), Q("filledQuantity", 0), I("refFuturesConId", 0),
    B("autoCancelParent"), S("shareholder"), B("imbalanceOnly"), B("routeMarketableToBbo"),
    I("parentPermId", 0), S("completedTime"), S("completedStatus", "Filled"),
    *_PEG_BEST_MID,
    S("customerAccount", since=183), B("professionalCustomer", since=184),
    S("submitter", since=198),
))

ORDER_STATUS = MessageSpec(3, "orderStatus", (
    I("orderId"), S("status", "Submitted"), Q("filled", 0), Q("remaining", 0),
    D("avgFillPrice", 0.0), I("permId", 0), I("parentId", 0), D("lastFillPrice", 0.0),
    I("clientId", 0), S("whyHeld"), Q("mktCapPrice", 0),
))

OPEN_ORDER_END = MessageSpec(53, "openOrderEnd", (C("version", "1"),))
COMPLETED_ORDERS_END = MessageSpec(102, "completedOrdersEnd", ())
ORDER_BOUND = MessageSpec(100, "orderBound", (I("permId"), I("clientId"), I("orderId")))

SPECS: tuple[MessageSpec, ...] = (
    OPEN_ORDER, COMPLETED_ORDER, ORDER_STATUS, OPEN_ORDER_END, COMPLETED_ORDERS_END, ORDER_BOUND,
)
