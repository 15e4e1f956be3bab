"""IB's checks on a placeOrder, in IB's order, with IB's codes; and the audit of what is modelled.

321 missing exchange or bad account, 200 unknown contract, 387 an order type the contract does
not list, 110 a price off the contract's tick grid, 201 bad order terms; on a modify also 104,
103 and 105 (:func:`validate_modify`). Every placeOrder field
that would change how a real order behaves but that the engine does not model is refused with an
explicit 201 reason (never accepted and ignored), so a test cannot pass here for a reason a paper
account would not share. The README lists these fields.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Mapping

from ..wire.fields import UNSET_DOUBLE, UNSET_INTEGER, Field
from ..wire.out_orders import OPEN_ORDER
from .accounts import Account
from .contracts import ContractDef
from .order_margin import check_margin
from .order_model import Order, OrderRejected, is_set
from .session_times import parse_good_till

if TYPE_CHECKING:
    from .brokerage import Brokerage

ORDER_TYPES = {"MKT", "LMT", "STP", "STP LMT", "TRAIL", "TRAIL LIMIT", "MOC", "LOC", "MIT", "LIT"}
# How each modelled type is spelled in contract details' orderTypes.
_LISTED_AS = {"STP LMT": "STPLMT", "TRAIL LIMIT": "TRAILLMT"}
LIMIT_TYPES = {"LMT", "STP LMT", "LOC", "LIT", "TRAIL LIMIT"}
STOP_PRICE_TYPES = {"STP", "STP LMT", "MIT", "LIT"}
TIFS = {"DAY", "GTC", "IOC", "GTD", "OPG"}
ACTIONS = {"BUY", "SELL", "SSHORT"}
MAX_QUANTITY = 1e9
MAX_PRICE = 1e12  # far above any real price; beyond it a price is refused rather than overflowing the checks
NO_SECURITY_DEFINITION = "No security definition has been found for the request"
OFF_TICK = "The price does not conform to the minimum price variation for this contract."
UNSUPPORTED_TYPE = "Unsupported order type for this exchange and security type."

# Fields the engine acts on (validated below) and labels that change nothing about execution.
MODELLED = frozenset({
    "orderId", "contract", "action", "totalQuantity", "orderType", "lmtPrice", "auxPrice", "tif",
    "ocaGroup", "ocaType", "account", "orderRef", "transmit", "parentId", "triggerMethod",
    "goodTillDate", "trailStopPrice", "trailingPercent", "lmtPriceOffset", "whatIf", "outsideRth",
})
LABELS = frozenset({
    "modelCode", "openClose", "sharesAllocation", "dontUseAutoPriceForHedge", "usePriceMgmtAlgo",
    "advancedErrorOverride", "manualOrderTime", "extOperator", "softDollarTierName",
    "softDollarTierValue", "mifid2DecisionMaker", "mifid2DecisionAlgo", "mifid2ExecutionTrader",
    "mifid2ExecutionAlgo", "customerAccount", "professionalCustomer", "externalUserId",
    "manualOrderIndicator", "exemptCode", "solicited", "faProfile",
})
# IB's own values for fields a plain order leaves alone, as the gateway sends them in openOrder
# (deltaNeutralOrderType='None', clearingIntent='IB', adjustedOrderType='None', ...). ib_insync and
# ib_async rebuild an order from openOrder after a reconnect and send them back on every modify;
# IB accepts them, so they count as "not used". The openOrder layout is the one source.
OPEN_ORDER_DEFAULTS: dict[str, Any] = {
    slot.name: slot.default for slot in OPEN_ORDER.slots if isinstance(slot, Field) and slot.default not in ("", None)
}


def is_neutral(value: Any) -> bool:
    """A field left at "not used", in any of the three clients' spellings."""
    if value is None or isinstance(value, bool):
        return not value
    if isinstance(value, str | list):
        return not value
    if isinstance(value, int | float):
        return value in (0, UNSET_DOUBLE, UNSET_INTEGER)
    return False


def unmodelled_fields(values: Mapping[str, Any]) -> list[str]:
    """placeOrder fields set to something the engine would ignore: ``name=value`` for each."""
    return [f"{name}={value!r}" for name, value in values.items()
            if name not in MODELLED and name not in LABELS and not is_neutral(value)
            and not _is_ib_default(name, value)]


def _is_ib_default(name: str, value: Any) -> bool:
    """``value`` is what IB itself sends for ``name`` in openOrder (so a client echoes it back)."""
    default = OPEN_ORDER_DEFAULTS.get(name)
    if default is None or isinstance(value, bool) != isinstance(default, bool):
        return False
    try:
        return value == default or (isinstance(value, str) and value == str(default))
    except (TypeError, ValueError):
        return False


def validate_order(brokerage: "Brokerage", values: Mapping[str, Any]) -> tuple[ContractDef, Account, dict[str, Any]]:
    """IB's checks, in IB's order, raising OrderRejected with IB's code and wording."""
    query = values["contract"]
    if query.get("secType") == "STK" and not query.get("exchange"):
        raise OrderRejected(321, "Error validating request.-'bN' : cause - Missing order exchange.")
    contract = brokerage.catalog.resolve(query)
    if contract is None:
        raise OrderRejected(200, NO_SECURITY_DEFINITION)
    account = _account(brokerage, str(values.get("account") or ""))
    action = str(values.get("action", "")).upper()
    if action not in ACTIONS:
        raise rejected(f"Invalid action '{action}'. Use BUY or SELL.")
    quantity = float(values.get("totalQuantity", 0.0))
    if not is_set(quantity) or quantity <= 0:
        raise rejected(f"The order quantity {_text(quantity)} is not valid. It must be positive.")
    if quantity > MAX_QUANTITY:
        raise rejected(f"The order quantity {_text(quantity)} exceeds the maximum allowed.")
    order_type = str(values.get("orderType", "")).upper()
    _check_type(contract, order_type)
    tif = str(values.get("tif") or "DAY").upper()
    if tif not in TIFS:
        raise rejected(f"The time in force '{tif}' is not modelled by the fake gateway (DAY, GTC, IOC, GTD, OPG are).")
    extra = unmodelled_fields(values)
    if extra:
        raise rejected("The fake gateway does not model these order fields: " + ", ".join(extra))
    terms = _price_terms(contract, order_type, values)
    terms.update(_time_terms(brokerage, order_type, tif, values))
    terms.update(_group_terms(values))
    terms.update({
        "action": "SELL" if action == "SSHORT" else action,
        "total_quantity": quantity,
        "order_type": order_type,
        "tif": tif,
        "order_ref": str(values.get("orderRef") or ""),
        "trigger_method": int(values.get("triggerMethod") or 0),
        "terms": {k: values[k] for k in _ECHOED if k in values},
    })
    return contract, account, terms


def validate_modify(brokerage: "Brokerage", order: Order, values: Mapping[str, Any]) -> dict[str, Any]:
    """IB's checks on a placeOrder that modifies ``order`` (its own id): the new terms, or
    OrderRejected with IB's code (104 filled, 103 done, 105 another contract, account or parent,
    201 below the filled quantity or over the margin)."""
    if order.status == "Filled":
        raise OrderRejected(104, "Can't modify a filled order.")
    if order.is_done:
        raise OrderRejected(103, "Duplicate order id")
    contract, account, terms = validate_order(brokerage, values)
    if contract.con_id != order.con_id or account.account_id != order.account:
        raise OrderRejected(105, "Order being modified does not match original order.")
    if terms["total_quantity"] < order.filled:
        raise OrderRejected(201, "Order rejected - reason:The new quantity is below the quantity already filled.")
    if terms["parent_id"] != order.parent_id:
        raise OrderRejected(105, "Order being modified does not match original order.")
    if not order.parent_id and terms["total_quantity"] > order.total_quantity:
        check_margin(brokerage, order.account, contract, terms)
    return terms


def _check_type(contract: ContractDef, order_type: str) -> None:
    listed = str(contract.details.get("orderTypes") or "")
    if listed and _LISTED_AS.get(order_type, order_type) not in listed.split(","):
        raise OrderRejected(387, UNSUPPORTED_TYPE)
    if order_type not in ORDER_TYPES:
        raise rejected(f"The order type '{order_type}' is not modelled by the fake gateway.")


def _price_terms(contract: ContractDef, order_type: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """lmtPrice, auxPrice and the trailing fields each type needs, on the tick grid."""
    lmt = float(values.get("lmtPrice", UNSET_DOUBLE))
    aux = float(values.get("auxPrice", UNSET_DOUBLE))
    percent = float(values.get("trailingPercent", UNSET_DOUBLE))
    trail_stop = float(values.get("trailStopPrice", UNSET_DOUBLE))
    offset = float(values.get("lmtPriceOffset", UNSET_DOUBLE))
    if order_type in LIMIT_TYPES and order_type != "TRAIL LIMIT" and not (is_set(lmt) and lmt > 0):
        raise rejected(f"A valid limit price is required for a {order_type} order (got {_text(lmt)}).")
    if order_type in STOP_PRICE_TYPES and not (is_set(aux) and aux > 0):
        raise rejected(f"A valid stop price (trigger price for MIT and LIT) is required for a {order_type} order (got {_text(aux)}).")
    terms: dict[str, Any] = {
        "lmt_price": lmt if order_type in LIMIT_TYPES and is_set(lmt) else 0.0,
        "aux_price": aux if order_type in STOP_PRICE_TYPES else 0.0,
    }
    if order_type in ("TRAIL", "TRAIL LIMIT"):
        terms.update(_trail_terms(order_type, aux, percent, trail_stop, lmt, offset))
    elif any(is_set(value) for value in (percent, trail_stop, offset)):
        raise rejected(f"trailingPercent, trailStopPrice and lmtPriceOffset apply only to TRAIL and "
                       f"TRAIL LIMIT orders, not {order_type}.")
    for name, price in (("limit price", terms["lmt_price"]), ("stop price", terms["aux_price"]),
                        ("trailing amount", terms.get("trailing_amount", 0.0)),
                        ("trail stop price", terms.get("trail_stop_price", 0.0)),
                        ("limit price offset", terms.get("lmt_price_offset", 0.0))):
        if not math.isfinite(price) or abs(price) > MAX_PRICE:
            raise rejected(f"The {name} {price!r} is not a valid price.")
    for price in (terms["lmt_price"], terms["aux_price"], terms.get("trail_stop_price", 0.0)):
        if price and not on_tick(price, contract.min_tick):
            raise OrderRejected(110, OFF_TICK)
    return terms


def _trail_terms(order_type: str, amount: float, percent: float, trail_stop: float, lmt: float,
                 offset: float) -> dict[str, Any]:
    has_amount, has_percent = is_set(amount) and amount > 0, is_set(percent) and percent > 0
    if has_amount == has_percent:
        raise rejected(f"A {order_type} order needs exactly one of a trailing amount (auxPrice) or trailingPercent.")
    if has_percent and percent >= 100:
        raise rejected(f"The trailing percent {percent!r} must be below 100.")
    terms: dict[str, Any] = {
        "trailing_amount": amount if has_amount else 0.0,
        "trailing_percent": percent if has_percent else 0.0,
        "trail_stop_price": trail_stop if is_set(trail_stop) and trail_stop > 0 else 0.0,
        "lmt_price_offset": 0.0,
    }
    if order_type == "TRAIL LIMIT":
        if is_set(offset):
            terms["lmt_price_offset"] = offset
        elif is_set(lmt) and lmt > 0 and terms["trail_stop_price"]:
            terms["lmt_price_offset"] = abs(terms["trail_stop_price"] - lmt)
        else:
            raise rejected("A TRAIL LIMIT order needs lmtPriceOffset (or a limit price with trailStopPrice).")
    return terms


def _time_terms(brokerage: "Brokerage", order_type: str, tif: str, values: Mapping[str, Any]) -> dict[str, Any]:
    good_till = str(values.get("goodTillDate") or "")
    if order_type in ("MOC", "LOC") and tif != "DAY":
        raise rejected(f"A {order_type} order must be a DAY order (got {tif}).")
    if tif == "OPG" and order_type not in ("MKT", "LMT"):
        raise rejected(f"The time in force OPG is only valid for MKT and LMT orders (got {order_type}).")
    if tif != "GTD":
        if good_till:
            raise rejected(f"goodTillDate '{good_till}' is only valid with the time in force GTD.")
        return {"good_till": None}
    when = parse_good_till(good_till, brokerage.config.timezone)
    if when is None:
        raise rejected(f"A GTD order needs goodTillDate as 'YYYYMMDD HH:MM:SS [time zone]' (got {good_till!r}).")
    if when <= brokerage.orders.clock():
        raise rejected(f"The goodTillDate {good_till!r} is in the past.")
    return {"good_till": when}


def _group_terms(values: Mapping[str, Any]) -> dict[str, Any]:
    oca_group = str(values.get("ocaGroup") or "")
    oca_type = int(values.get("ocaType") or 0)
    if oca_group and oca_type not in (1, 2, 3):
        raise rejected(f"OCA group '{oca_group}' needs ocaType 1, 2 or 3 (got {oca_type}).")
    transmit = values.get("transmit", True)
    return {"parent_id": int(values.get("parentId") or 0), "oca_group": oca_group,
            "oca_type": oca_type if oca_group else 0, "transmit": bool(transmit)}


def on_tick(price: float, tick: float) -> bool:
    """Whether a price lies on the contract's grid (to within float noise)."""
    if tick <= 0:
        return True
    steps = price / tick
    if not math.isfinite(steps):
        return False
    return math.isclose(steps, round(steps), rel_tol=0, abs_tol=1e-6 * max(1.0, abs(steps)) ** 0.5)


def _account(brokerage: "Brokerage", code: str) -> Account:
    accounts = brokerage.accounts
    if not code:
        if len(accounts) > 1:
            raise OrderRejected(321, "Error validating request.-'bN' : cause - You must specify an account.")
        return brokerage.default_account
    if code not in accounts:
        raise OrderRejected(321, f"Error validating request.-'bN' : cause - Invalid account code '{code}'")
    return accounts[code]


# placeOrder fields echoed back in openOrder as sent (all safe for the openOrder layout).
_ECHOED = ("ocaGroup", "ocaType", "outsideRth", "goodTillDate", "modelCode", "parentId", "triggerMethod",
           "transmit", "lmtPriceOffset")


def rejected(reason: str) -> OrderRejected:
    """Error 201, IB's wording for an order its servers refuse."""
    return OrderRejected(201, "Order rejected - reason:" + reason)


def _text(number: float) -> str:
    if number == UNSET_DOUBLE:
        return "unset"
    return repr(number)
