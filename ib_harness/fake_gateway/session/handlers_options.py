"""Handlers for options: chains (reqSecDefOptParams), option market data's computations, the
option calculators and exercise.

Option quotes themselves are ordinary reqMktData lines (handlers_market): the option chains in
the catalog re-quote every option that has a book whenever its underlying moves, so bid, ask and
last follow the seeded underlying. This module adds what only options have: tickOptionComputation
for bid (10), ask (11), last (12) and model (13), sent with the first ticks of a line (before a
snapshot's end) and again whenever the option's quote changes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..state.contracts import OPTION_TYPES, ContractDef
from ..state.option_model import Greeks, implied_volatility, price_and_greeks
from ..wire import in_options
from ..wire.out_options import (
    SECURITY_DEFINITION_OPTION_PARAMETER,
    SECURITY_DEFINITION_OPTION_PARAMETER_END,
    TICK_OPTION_COMPUTATION,
)
from ..wire.reading import Request
from .client_state import market_flowing
from .session import Session
from .streams import MKT_DATA, lines_on, watch

BID_COMPUTATION, ASK_COMPUTATION, LAST_COMPUTATION, MODEL_COMPUTATION = 10, 11, 12, 13
DELAYED_COMPUTATIONS = {10: 80, 11: 81, 12: 82, 13: 83}
NO_SECURITY_DEFINITION = "No security definition has been found for the request"
NO_POSITION = "Error processing request.-'bx' : cause - No position to exercise"
CALCULATION_FAILED = "Error validating request.-'bt' : cause - Option calculation failed"


def req_sec_def_opt_params(session: Session, request: Request) -> None:
    """One row per exchange and trading class, then the end; an unknown underlying gets 200.

    Like IB, an empty futFopExchange asks for the chains of a stock or index underlying.
    """
    req_id = request["reqId"]
    catalog = session.brokerage.catalog
    underlying = catalog.by_con_id(request["underlyingConId"]) if request["underlyingConId"] else None
    if underlying is None or underlying.symbol != request["underlyingSymbol"]:
        session.send_error(req_id, 200, NO_SECURITY_DEFINITION)
        return
    if request["underlyingSecType"] and request["underlyingSecType"] != underlying.sec_type:
        session.send_error(req_id, 200, NO_SECURITY_DEFINITION)
        return
    for chain in catalog.options.chains(underlying):
        session.send(SECURITY_DEFINITION_OPTION_PARAMETER, reqId=req_id, exchange=chain.exchange,
                     underlyingConId=chain.underlying_con_id, tradingClass=chain.trading_class,
                     multiplier=chain.multiplier, expirations=[{"expiration": e} for e in chain.expirations],
                     strikes=[{"strike": k} for k in chain.strikes])
    session.send(SECURITY_DEFINITION_OPTION_PARAMETER_END, reqId=req_id)


# ----- option market data (called by handlers_market.req_mkt_data) -----------------------------


def start_option_line(session: Session, contract: ContractDef) -> None:
    """Before an option's first ticks: bring its quote to the model and keep the underlying moving."""
    options = session.brokerage.catalog.options
    options.requote(contract)
    watch(session, int(contract.details["underConId"]))


def send_computations(session: Session, req_id: int, contract: ContractDef, delayed: bool = False) -> None:
    """tickOptionComputation for bid, ask, last and model: implied volatility from each price,
    greeks from the model at that volatility, the underlying's price last."""
    options = session.brokerage.catalog.options
    quote = session.brokerage.market.quote(contract.con_id)
    model = options.greeks(contract)
    strike, right, years = float(contract.details["strike"]), str(contract.details["right"]), options.years_left(contract)
    for tick_type, price in ((BID_COMPUTATION, quote.bid), (ASK_COMPUTATION, quote.ask),
                             (LAST_COMPUTATION, quote.last), (MODEL_COMPUTATION, None)):
        if price is None:
            values = model
        else:
            vol = implied_volatility(right, price, model.und_price, strike, years) if price > 0 else None
            if vol is None:
                session.send(TICK_OPTION_COMPUTATION, reqId=req_id, tickType=_tick(tick_type, delayed), tickAttrib=0,
                             optPrice=price, undPrice=model.und_price)
                continue
            values = replace(price_and_greeks(right, model.und_price, strike, years, vol), price=price)
        _send_greeks(session, req_id, _tick(tick_type, delayed), values)


def _send_greeks(session: Session, req_id: int, tick_type: int, values: Greeks) -> None:
    session.send(TICK_OPTION_COMPUTATION, reqId=req_id, tickType=tick_type, tickAttrib=0,
                 impliedVol=values.implied_vol, delta=values.delta, optPrice=values.price,
                 pvDividend=values.pv_dividend, gamma=values.gamma, vega=values.vega, theta=values.theta,
                 undPrice=values.und_price)


def _tick(tick_type: int, delayed: bool) -> int:
    return DELAYED_COMPUTATIONS[tick_type] if delayed else tick_type


def on_price_marked(session: Session, payload: dict[str, Any]) -> None:
    """An option's quote moved: its lines get fresh computations after the price ticks (none while
    this client's market data is paused: a farm outage, 1100, a competing session)."""
    if not market_flowing(session):
        return
    for line in lines_on(session, MKT_DATA, payload["con_id"]):
        if not line.option:  # every quote passes here: skip the catalog for stock lines
            continue
        contract = session.brokerage.catalog.by_con_id(line.con_id)
        if contract is not None and contract.sec_type in OPTION_TYPES:
            send_computations(session, line.req_id, contract, line.delayed)


# ----- calculators ---------------------------------------------------------------------------


def _option(session: Session, req_id: int, query: dict[str, Any]) -> ContractDef | None:
    contract = session.brokerage.catalog.resolve(query)
    if contract is None or contract.sec_type not in OPTION_TYPES:
        session.send_error(req_id, 200, NO_SECURITY_DEFINITION)
        return None
    return contract


def calculate_implied_volatility(session: Session, request: Request) -> None:
    """One computation (tick type 13) at the volatility that prices the option at optionPrice."""
    req_id = request["reqId"]
    contract = _option(session, req_id, request["contract"])
    if contract is None:
        return
    options = session.brokerage.catalog.options
    strike, right, years = float(contract.details["strike"]), str(contract.details["right"]), options.years_left(contract)
    spot, price = request["underPrice"], request["optionPrice"]
    vol = implied_volatility(right, price, spot, strike, years) if spot > 0 and price > 0 else None
    if vol is None:
        session.send_error(req_id, 321, f"{CALCULATION_FAILED}: no volatility prices it at {price} with the underlying at {spot}")
        return
    _send_greeks(session, req_id, MODEL_COMPUTATION, price_and_greeks(right, spot, strike, years, vol))


def calculate_option_price(session: Session, request: Request) -> None:
    """One computation (tick type 13): the model price and greeks at the given volatility."""
    req_id = request["reqId"]
    contract = _option(session, req_id, request["contract"])
    if contract is None:
        return
    spot, vol = request["underPrice"], request["volatility"]
    if spot <= 0 or vol <= 0:
        session.send_error(req_id, 321, f"{CALCULATION_FAILED}: volatility {vol} and underlying price {spot} must be positive")
        return
    options = session.brokerage.catalog.options
    _send_greeks(session, req_id, MODEL_COMPUTATION, price_and_greeks(
        str(contract.details["right"]), spot, float(contract.details["strike"]), options.years_left(contract), vol))


def cancel_calculation(session: Session, request: Request) -> None:
    """The calculation was answered at once; IB answers the cancel with nothing."""


# ----- exercise ------------------------------------------------------------------------------


def exercise_options(session: Session, request: Request) -> None:
    """Exercise (action 1) or lapse (2) long options: the option position closes at zero; an
    exercise delivers the underlying at the strike (100 shares a contract), cash moving with it."""
    req_id = request["reqId"]
    contract = _option(session, req_id, request["contract"])
    if contract is None:
        return
    brokerage = session.brokerage
    account_id = request["account"] or brokerage.account_ids[0]
    account = brokerage.accounts.get(account_id)
    if account is None:
        session.send_error(req_id, 321, f"Error validating request.-'bx' : cause - Unknown account {account_id}")
        return
    action, quantity = request["exerciseAction"], request["exerciseQuantity"]
    if action not in (1, 2) or quantity <= 0:
        session.send_error(req_id, 321, f"Error validating request.-'bx' : cause - Invalid exercise action {action} "
                                        f"or quantity {quantity}")
        return
    held = account.positions.get(contract.con_id)
    if held is None or held.quantity < quantity:
        session.send_error(req_id, 322, NO_POSITION)
        return
    option_fields = contract.contract_fields()
    account.apply_fill(option_fields, -quantity, 0.0, 0.0)
    changed = [option_fields]
    if action == 1:
        underlying = brokerage.catalog.by_con_id(int(contract.details["underConId"]))
        assert underlying is not None
        shares = quantity * contract.multiplier * (1 if contract.details["right"] == "C" else -1)
        if underlying.sec_type == "STK":
            account.apply_fill(underlying.contract_fields(), shares, float(contract.details["strike"]), 0.0)
            changed.append(underlying.contract_fields())
        else:  # index options settle in cash: intrinsic value at the current index level
            intrinsic = max(0.0, (brokerage.mark(underlying.con_id) - float(contract.details["strike"])) * (1 if shares > 0 else -1))
            account.cash += intrinsic * abs(shares)
    for fields in changed:
        brokerage.events.emit("account_changed", account_id=account_id, contract=fields)


HANDLERS = {
    in_options.REQ_SEC_DEF_OPT_PARAMS.msg_id: req_sec_def_opt_params,
    in_options.CALCULATE_IMPLIED_VOLATILITY.msg_id: calculate_implied_volatility,
    in_options.CALCULATE_OPTION_PRICE.msg_id: calculate_option_price,
    in_options.CANCEL_CALCULATE_IMPLIED_VOLATILITY.msg_id: cancel_calculation,
    in_options.CANCEL_CALCULATE_OPTION_PRICE.msg_id: cancel_calculation,
    in_options.EXERCISE_OPTIONS.msg_id: exercise_options,
}

EVENT_HANDLERS = {"price_marked": [on_price_marked]}
