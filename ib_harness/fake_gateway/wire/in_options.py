"""Layouts of option requests: chains, the option calculators and exercise (client to server).

As ib_insync 0.9.86 / ib_async 2.1.0 and ibapi 10.46 send them at server versions 157..200.
exerciseOptions gains manualOrderTime at 180, customerAccount at 183 and professionalCustomer at
184 (ibapi only sends what the negotiated version allows; ib_insync stops at override).
"""

from __future__ import annotations

from typing import Any

from .fields import I, S
from .in_market import read_contract
from .reading import FieldReader, RequestSpec

MANUAL_ORDER_TIME_EXERCISE_OPTIONS = 180
CUSTOMER_ACCOUNT = 183
PROFESSIONAL_CUSTOMER = 184


def _decode_calculation(value_name: str) -> Any:
    """calculateImpliedVolatility (54) / calculateOptionPrice (55), version 3: contract, the
    option price or volatility, the underlying price, then a tag-value option list."""
    def decode(reader: FieldReader, version: int) -> dict[str, Any]:
        values: dict[str, Any] = {"version": reader.int("version"), "reqId": reader.int("reqId")}
        values["contract"] = read_contract(reader)
        values[value_name] = reader.float(value_name)
        values["underPrice"] = reader.float("underPrice")
        return values
    return decode


def _decode_exercise(reader: FieldReader, version: int) -> dict[str, Any]:
    """exerciseOptions (21, version 2): a contract block without primaryExchange."""
    values: dict[str, Any] = {"version": reader.int("version"), "reqId": reader.int("reqId")}
    values["contract"] = {
        "conId": reader.int("conId"), "symbol": reader.str("symbol"), "secType": reader.str("secType"),
        "lastTradeDateOrContractMonth": reader.str("lastTradeDateOrContractMonth"),
        "strike": reader.float("strike"), "right": reader.str("right"), "multiplier": reader.str("multiplier"),
        "exchange": reader.str("exchange"), "currency": reader.str("currency"),
        "localSymbol": reader.str("localSymbol"), "tradingClass": reader.str("tradingClass"),
    }
    values["exerciseAction"] = reader.int("exerciseAction")
    values["exerciseQuantity"] = reader.int("exerciseQuantity")
    values["account"] = reader.str("account")
    values["override"] = reader.int("override")
    if version >= MANUAL_ORDER_TIME_EXERCISE_OPTIONS and reader.remaining:
        values["manualOrderTime"] = reader.str("manualOrderTime")
    return values


REQ_SEC_DEF_OPT_PARAMS = RequestSpec(78, "reqSecDefOptParams", (
    I("reqId"), S("underlyingSymbol"), S("futFopExchange"), S("underlyingSecType"), I("underlyingConId"),
))
CALCULATE_IMPLIED_VOLATILITY = RequestSpec(54, "calculateImpliedVolatility", custom=_decode_calculation("optionPrice"))
CALCULATE_OPTION_PRICE = RequestSpec(55, "calculateOptionPrice", custom=_decode_calculation("volatility"))
CANCEL_CALCULATE_IMPLIED_VOLATILITY = RequestSpec(56, "cancelCalculateImpliedVolatility", (I("version"), I("reqId")))
CANCEL_CALCULATE_OPTION_PRICE = RequestSpec(57, "cancelCalculateOptionPrice", (I("version"), I("reqId")))
EXERCISE_OPTIONS = RequestSpec(21, "exerciseOptions", custom=_decode_exercise)

REQUESTS = (
    REQ_SEC_DEF_OPT_PARAMS, CALCULATE_IMPLIED_VOLATILITY, CALCULATE_OPTION_PRICE,
    CANCEL_CALCULATE_IMPLIED_VOLATILITY, CANCEL_CALCULATE_OPTION_PRICE, EXERCISE_OPTIONS,
)
