"""Layouts of order requests: placeOrder, cancelOrder, open/completed order and execution queries.

placeOrder follows what ib_insync 0.9.86, ib_async 2.1.0 and ibapi 10.46 send at server versions
157..200 (all three agree on every field they send). Gates: 158 duration, 160 postToAts,
162 autoCancelParent, 166 advancedErrorOverride, 169 manualOrderTime, 170 PEG BEST/MID fields,
177 faProfile dropped, 183 customerAccount, 184 professionalCustomer, 187..189 two RFQ
placeholders, 189 includeOvernight, 192 manualOrderIndicator, 199 imbalanceOnly.

Unset numbers come back as IB's own markers (``UNSET_DOUBLE``/``UNSET_INTEGER``), whether the
client sent an empty field (ib_insync, ib_async) or the marker itself (ibapi).
"""

from __future__ import annotations

import math
from typing import Any

from .fields import UNSET_DOUBLE, UNSET_INTEGER, B, I, S
from .reading import BadRequest, FieldReader, RequestSpec, read_contract
from .spec import Repeat

_INFINITE = {"Infinity", "Infinite", "inf"}  # ibapi sends Infinity, ib_insync/ib_async Infinite
PEG_BENCH = {"PEG BENCH", "PEGBENCH"}
PEG_BEST = {"PEG BEST", "PEGBEST"}
PEG_MID = {"PEG MID", "PEGMID"}

# Fields after the condition type, per condition type (ibapi order_condition.py).
_CONDITION_FIELDS: dict[int, tuple[str, ...]] = {
    1: ("conjunction", "isMore", "value", "conId", "exch", "triggerMethod"),  # price
    3: ("conjunction", "isMore", "value"),  # time
    4: ("conjunction", "isMore", "value"),  # margin
    5: ("conjunction", "secType", "exch", "symbol"),  # execution
    6: ("conjunction", "isMore", "value", "conId", "exch"),  # volume
    7: ("conjunction", "isMore", "value", "conId", "exch"),  # percent change
}


def read_double(reader: FieldReader, name: str) -> float:
    """A double that may be empty (unset) or infinite, in any client's spelling."""
    text = reader.str(name)
    if text == "":
        return UNSET_DOUBLE
    if text in _INFINITE:
        return math.inf
    try:
        return float(text)
    except ValueError:
        raise BadRequest(
            f"{reader.request}: field {reader.index - 1} ({name}) is not a number: {text[:40]!r}"
        ) from None


def _read_optional_bool(reader: FieldReader, name: str) -> bool | None:
    """usePriceMgmtAlgo: empty means 'let IB decide'."""
    text = reader.str(name)
    return None if text == "" else text not in ("0", "false", "False")


def _read_tag_values(reader: FieldReader, name: str) -> list[dict[str, str]]:
    count = reader.int(f"{name} count")
    return [{"tag": reader.str(f"{name}.tag"), "value": reader.str(f"{name}.value")} for _ in range(count)]


def _read_combo(reader: FieldReader, values: dict[str, Any], contract: dict[str, Any]) -> None:
    """BAG orders carry their legs, per-leg prices and smart-combo routing params."""
    legs = []
    for _ in range(reader.int("comboLegs count")):
        legs.append({
            "conId": reader.int("leg.conId"), "ratio": reader.int("leg.ratio"),
            "action": reader.str("leg.action"), "exchange": reader.str("leg.exchange"),
            "openClose": reader.int("leg.openClose"), "shortSaleSlot": reader.int("leg.shortSaleSlot"),
            "designatedLocation": reader.str("leg.designatedLocation"),
            "exemptCode": reader.int("leg.exemptCode", -1),
        })
    contract["comboLegs"] = legs
    count = reader.int("orderComboLegs count")
    values["orderComboLegs"] = [{"price": read_double(reader, "orderComboLeg.price")} for _ in range(count)]
    values["smartComboRoutingParams"] = _read_tag_values(reader, "smartComboRoutingParams")


def _read_conditions(reader: FieldReader, values: dict[str, Any]) -> None:
    conditions = []
    for _ in range(reader.int("conditions count")):
        cond_type = reader.int("condition type")
        names = _CONDITION_FIELDS.get(cond_type)
        if names is None:
            raise BadRequest(f"{reader.request}: unknown order condition type {cond_type}")
        condition: dict[str, Any] = {"condType": cond_type}
        for name in names:
            condition[name] = reader.str(f"condition.{name}")
        conditions.append(condition)
    values["conditions"] = conditions
    if conditions:
        values["conditionsIgnoreRth"] = reader.bool("conditionsIgnoreRth")
        values["conditionsCancelOrder"] = reader.bool("conditionsCancelOrder")


def _read_delta_neutral(reader: FieldReader, values: dict[str, Any]) -> None:
    values["deltaNeutralConId"] = reader.int("deltaNeutralConId")
    for name in ("deltaNeutralSettlingFirm", "deltaNeutralClearingAccount",
                 "deltaNeutralClearingIntent", "deltaNeutralOpenClose"):
        values[name] = reader.str(name)
    values["deltaNeutralShortSale"] = reader.bool("deltaNeutralShortSale")
    values["deltaNeutralShortSaleSlot"] = reader.int("deltaNeutralShortSaleSlot")
    values["deltaNeutralDesignatedLocation"] = reader.str("deltaNeutralDesignatedLocation")


def _read_scale(reader: FieldReader, values: dict[str, Any]) -> None:
    values["scaleInitLevelSize"] = reader.optional_int("scaleInitLevelSize")
    values["scaleSubsLevelSize"] = reader.optional_int("scaleSubsLevelSize")
    increment = values["scalePriceIncrement"] = read_double(reader, "scalePriceIncrement")
    if 0 < increment < UNSET_DOUBLE:
        values["scalePriceAdjustValue"] = read_double(reader, "scalePriceAdjustValue")
        values["scalePriceAdjustInterval"] = reader.optional_int("scalePriceAdjustInterval")
        values["scaleProfitOffset"] = read_double(reader, "scaleProfitOffset")
        values["scaleAutoReset"] = reader.bool("scaleAutoReset")
        values["scaleInitPosition"] = reader.optional_int("scaleInitPosition")
        values["scaleInitFillQty"] = reader.optional_int("scaleInitFillQty")
        values["scaleRandomPercent"] = reader.bool("scaleRandomPercent")
    for name in ("scaleTable", "activeStartTime", "activeStopTime"):
        values[name] = reader.str(name)


def _read_algo_and_flags(reader: FieldReader, values: dict[str, Any], contract: dict[str, Any]) -> None:
    """From hedgeType to the PEG BENCH reference fields."""
    values["hedgeType"] = reader.str("hedgeType")
    if values["hedgeType"]:
        values["hedgeParam"] = reader.str("hedgeParam")
    values["optOutSmartRouting"] = reader.bool("optOutSmartRouting")
    values["clearingAccount"] = reader.str("clearingAccount")
    values["clearingIntent"] = reader.str("clearingIntent")
    values["notHeld"] = reader.bool("notHeld")
    if reader.bool("deltaNeutralContract present"):
        contract["deltaNeutralContract"] = {
            "conId": reader.int("deltaNeutralContract.conId"),
            "delta": read_double(reader, "deltaNeutralContract.delta"),
            "price": read_double(reader, "deltaNeutralContract.price"),
        }
    values["algoStrategy"] = reader.str("algoStrategy")
    values["algoParams"] = _read_tag_values(reader, "algoParams") if values["algoStrategy"] else []
    values["algoId"] = reader.str("algoId")
    values["whatIf"] = reader.bool("whatIf")
    values["orderMiscOptions"] = reader.str("orderMiscOptions")
    values["solicited"] = reader.bool("solicited")
    values["randomizeSize"] = reader.bool("randomizeSize")
    values["randomizePrice"] = reader.bool("randomizePrice")
    if values["orderType"] in PEG_BENCH:
        values["referenceContractId"] = reader.int("referenceContractId")
        values["isPeggedChangeAmountDecrease"] = reader.bool("isPeggedChangeAmountDecrease")
        values["peggedChangeAmount"] = read_double(reader, "peggedChangeAmount")
        values["referenceChangeAmount"] = read_double(reader, "referenceChangeAmount")
        values["referenceExchangeId"] = reader.str("referenceExchangeId")


def _read_tail(reader: FieldReader, version: int, values: dict[str, Any], exchange: str) -> None:
    """The version-gated fields at the end of placeOrder (158 onwards)."""
    if version >= 158:
        values["duration"] = reader.optional_int("duration")
    if version >= 160:
        values["postToAts"] = reader.optional_int("postToAts")
    if version >= 162:
        values["autoCancelParent"] = reader.bool("autoCancelParent")
    if version >= 166:
        values["advancedErrorOverride"] = reader.str("advancedErrorOverride")
    if version >= 169:
        values["manualOrderTime"] = reader.str("manualOrderTime")
    if version >= 170:
        order_type = values["orderType"]
        if exchange == "IBKRATS":
            values["minTradeQty"] = reader.optional_int("minTradeQty")
        send_mid = order_type in PEG_MID
        if order_type in PEG_BEST:
            values["minCompeteSize"] = reader.optional_int("minCompeteSize")
            values["competeAgainstBestOffset"] = read_double(reader, "competeAgainstBestOffset")
            send_mid = values["competeAgainstBestOffset"] == math.inf
        if send_mid:
            values["midOffsetAtWhole"] = read_double(reader, "midOffsetAtWhole")
            values["midOffsetAtHalf"] = read_double(reader, "midOffsetAtHalf")
    if version >= 183:
        values["customerAccount"] = reader.str("customerAccount")
    if version >= 184:
        values["professionalCustomer"] = reader.bool("professionalCustomer")
    if 187 <= version < 190:
        values["externalUserId"] = reader.str("externalUserId")
        values["manualOrderIndicator"] = reader.optional_int("manualOrderIndicator")
    if version >= 189:
        values["includeOvernight"] = reader.bool("includeOvernight")
    if version >= 192:
        values["manualOrderIndicator"] = reader.optional_int("manualOrderIndicator")
    if version >= 199:
        values["imbalanceOnly"] = reader.bool("imbalanceOnly")


def decode_place_order(reader: FieldReader, version: int) -> dict[str, Any]:
    """Decode placeOrder, consuming every field any of the three clients sends.

    Returns the order's fields flat (IB names) plus ``contract`` (conId .. tradingClass, secIdType,
    secId, comboLegs, and deltaNeutralContract when sent). No version field at these versions.
    """
    values: dict[str, Any] = {"orderId": reader.int("orderId")}
    contract = read_contract(reader)
    contract["secIdType"] = reader.str("secIdType")
    contract["secId"] = reader.str("secId")
    contract["comboLegs"] = []
    values["contract"] = contract
    values["action"] = reader.str("action")
    values["totalQuantity"] = read_double(reader, "totalQuantity")
    values["orderType"] = reader.str("orderType")
    values["lmtPrice"] = read_double(reader, "lmtPrice")
    values["auxPrice"] = read_double(reader, "auxPrice")
    for name in ("tif", "ocaGroup", "account", "openClose"):
        values[name] = reader.str(name)
    values["origin"] = reader.int("origin")
    values["orderRef"] = reader.str("orderRef")
    values["transmit"] = reader.bool("transmit")
    values["parentId"] = reader.int("parentId")
    values["blockOrder"] = reader.bool("blockOrder")
    values["sweepToFill"] = reader.bool("sweepToFill")
    values["displaySize"] = reader.optional_int("displaySize")
    values["triggerMethod"] = reader.int("triggerMethod")
    values["outsideRth"] = reader.bool("outsideRth")
    values["hidden"] = reader.bool("hidden")
    values["orderComboLegs"], values["smartComboRoutingParams"] = [], []
    if contract["secType"] == "BAG":
        _read_combo(reader, values, contract)
    values["sharesAllocation"] = reader.str("sharesAllocation")
    values["discretionaryAmt"] = read_double(reader, "discretionaryAmt")
    for name in ("goodAfterTime", "goodTillDate", "faGroup", "faMethod", "faPercentage"):
        values[name] = reader.str(name)
    if version < 177:
        values["faProfile"] = reader.str("faProfile")
    values["modelCode"] = reader.str("modelCode")
    values["shortSaleSlot"] = reader.int("shortSaleSlot")
    values["designatedLocation"] = reader.str("designatedLocation")
    values["exemptCode"] = reader.int("exemptCode", -1)
    values["ocaType"] = reader.int("ocaType")
    values["rule80A"] = reader.str("rule80A")
    values["settlingFirm"] = reader.str("settlingFirm")
    values["allOrNone"] = reader.bool("allOrNone")
    values["minQty"] = reader.optional_int("minQty")
    values["percentOffset"] = read_double(reader, "percentOffset")
    values["eTradeOnly"] = reader.bool("eTradeOnly")
    values["firmQuoteOnly"] = reader.bool("firmQuoteOnly")
    values["nbboPriceCap"] = read_double(reader, "nbboPriceCap")
    values["auctionStrategy"] = reader.int("auctionStrategy")
    for name in ("startingPrice", "stockRefPrice", "delta", "stockRangeLower", "stockRangeUpper"):
        values[name] = read_double(reader, name)
    values["overridePercentageConstraints"] = reader.bool("overridePercentageConstraints")
    values["volatility"] = read_double(reader, "volatility")
    values["volatilityType"] = reader.optional_int("volatilityType")
    values["deltaNeutralOrderType"] = reader.str("deltaNeutralOrderType")
    values["deltaNeutralAuxPrice"] = read_double(reader, "deltaNeutralAuxPrice")
    if values["deltaNeutralOrderType"]:
        _read_delta_neutral(reader, values)
    values["continuousUpdate"] = reader.bool("continuousUpdate")
    values["referencePriceType"] = reader.optional_int("referencePriceType")
    values["trailStopPrice"] = read_double(reader, "trailStopPrice")
    values["trailingPercent"] = read_double(reader, "trailingPercent")
    _read_scale(reader, values)
    _read_algo_and_flags(reader, values, contract)
    _read_conditions(reader, values)
    values["adjustedOrderType"] = reader.str("adjustedOrderType")
    for name in ("triggerPrice", "lmtPriceOffset", "adjustedStopPrice", "adjustedStopLimitPrice",
                 "adjustedTrailingAmount"):
        values[name] = read_double(reader, name)
    values["adjustableTrailingUnit"] = reader.int("adjustableTrailingUnit")
    values["extOperator"] = reader.str("extOperator")
    values["softDollarTierName"] = reader.str("softDollarTier.name")
    values["softDollarTierValue"] = reader.str("softDollarTier.value")
    values["cashQty"] = read_double(reader, "cashQty")
    for name in ("mifid2DecisionMaker", "mifid2DecisionAlgo", "mifid2ExecutionTrader", "mifid2ExecutionAlgo"):
        values[name] = reader.str(name)
    values["dontUseAutoPriceForHedge"] = reader.bool("dontUseAutoPriceForHedge")
    values["isOmsContainer"] = reader.bool("isOmsContainer")
    values["discretionaryUpToLimitPrice"] = reader.bool("discretionaryUpToLimitPrice")
    values["usePriceMgmtAlgo"] = _read_optional_bool(reader, "usePriceMgmtAlgo")
    _read_tail(reader, version, values, contract["exchange"])
    return values


PLACE_ORDER = RequestSpec(3, "placeOrder", custom=decode_place_order)

# Below 192 cancelOrder and reqGlobalCancel carry a version field; from 192 they carry CME tags.
# 187..189 had three RFQ placeholders in cancelOrder (ibapi sends "", "", UNSET_INTEGER).
CANCEL_ORDER = RequestSpec(4, "cancelOrder", (
    I("version", until=192),
    I("orderId"),
    S("manualOrderCancelTime", since=169),
    S("extOperator", since=187, until=190),
    S("externalUserId", since=187, until=190),
    I("manualOrderIndicator", UNSET_INTEGER, since=187, until=190),
    S("extOperator", since=192),
    I("manualOrderIndicator", UNSET_INTEGER, since=192),
))
REQ_GLOBAL_CANCEL = RequestSpec(58, "reqGlobalCancel", (
    I("version", until=192),
    S("extOperator", since=192),
    I("manualOrderIndicator", UNSET_INTEGER, since=192),
))
REQ_OPEN_ORDERS = RequestSpec(5, "reqOpenOrders", (I("version"),))
REQ_ALL_OPEN_ORDERS = RequestSpec(16, "reqAllOpenOrders", (I("version"),))
REQ_AUTO_OPEN_ORDERS = RequestSpec(15, "reqAutoOpenOrders", (I("version"), B("autoBind")))
REQ_IDS = RequestSpec(8, "reqIds", (I("version"), I("numIds")))
REQ_COMPLETED_ORDERS = RequestSpec(99, "reqCompletedOrders", (B("apiOnly"),))
# ibapi sends lastNDays as 2147483647 when unset and a count of specific dates (200+).
REQ_EXECUTIONS = RequestSpec(7, "reqExecutions", (
    I("version"), I("reqId"), I("clientId"), S("acctCode"), S("time"), S("symbol"), S("secType"),
    S("exchange"), S("side"),
    I("lastNDays", UNSET_INTEGER, since=200),
    Repeat("specificDates", (S("date"),), since=200),
))

REQUESTS: tuple[RequestSpec, ...] = (
    PLACE_ORDER, CANCEL_ORDER, REQ_GLOBAL_CANCEL, REQ_OPEN_ORDERS, REQ_ALL_OPEN_ORDERS,
    REQ_AUTO_OPEN_ORDERS, REQ_IDS, REQ_COMPLETED_ORDERS, REQ_EXECUTIONS,
)
