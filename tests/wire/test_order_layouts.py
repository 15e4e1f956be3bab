"""Order layouts checked against real gateway captures and the three real clients.

Encoders must reproduce captured v176 frames field for field; the placeOrder decoder must consume
exactly what each client really sends; and each client's own decoder must read our frames at
every version it supports (ibapi's decoder is also checked to consume every field).
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from ib_harness.fake_gateway.wire.fields import UNSET_DOUBLE, UNSET_INTEGER
from ib_harness.fake_gateway.wire.in_orders import CANCEL_ORDER, REQ_EXECUTIONS, REQ_GLOBAL_CANCEL, PLACE_ORDER
from ib_harness.fake_gateway.wire.out_executions import COMMISSION_REPORT, EXEC_DETAILS, EXEC_DETAILS_END
from ib_harness.fake_gateway.wire.out_orders import (
    COMPLETED_ORDER, COMPLETED_ORDERS_END, OPEN_ORDER, OPEN_ORDER_END, ORDER_STATUS,
)
from tests.ibapi_app import ibapi_contract
from tests.wire.client_wire import client_cases, feed, record_ibapi, record_insync

CAPTURES = Path(__file__).resolve().parents[1] / "conformance" / "captures"
SESSION = json.loads((CAPTURES / "encertai_v176_session.json").read_text())
NAUTILUS = json.loads((CAPTURES / "nautilus_responses.json").read_text())

EURUSD = dict(conId=12087792, symbol="EUR", secType="CASH", exchange="IDEALPRO", currency="USD",
              localSymbol="EUR.USD", tradingClass="EUR.USD")
SPY = dict(conId=756733, symbol="SPY", secType="STK", exchange="SMART", currency="USD",
           localSymbol="SPY", tradingClass="SPY")
# Every server version where an order layout changes, for requests and for responses.
VERSIONS = (157, 158, 159, 160, 162, 170, 176, 177, 178, 183, 184, 185, 189, 193, 195, 198, 199, 200)
REQUEST_VERSIONS = (157, 158, 160, 162, 166, 169, 170, 176, 177, 178, 183, 184, 187, 189, 190, 192, 199, 200)
CLIENT_CASES = client_cases(VERSIONS)


def _session(msg_id: str) -> list[list[str]]:
    return [f for exchange in SESSION[1:] for f in exchange["responses"] if f[0] == msg_id]


# ---- encoders reproduce the captured frames ------------------------------------------------

def _open_order_cases() -> list[tuple[list[str], dict[str, Any]]]:
    first, second = _session("5")
    eur = dict(orderId=186, **EURUSD, action="BUY", totalQuantity=100, orderType="MKT",
               lmtPrice=1.05955, account="DU0000001", permId=665616344,
               sharesAllocation="665616344.0/DU0000001/100", whatIf=True, status="PreSubmitted",
               adjustedTrailStopPrice=2.0595499999999998)
    margins = dict(initMarginBefore=0.0, maintMarginBefore=0.0, equityWithLoanBefore=1038472.36,
                   initMarginChange=2.61, maintMarginChange=2.61,
                   equityWithLoanChange=-2.059999999939464, initMarginAfter=2.61,
                   maintMarginAfter=2.61, equityWithLoanAfter=1038470.3, minCommission=1.64424,
                   maxCommission=2.0553, commissionCurrency="GBP")
    spy = dict(orderId=190, **SPY, action="BUY", totalQuantity=1000, orderType="MKT", tif="IOC",
               account="DU1234567", orderRef="O-20231203-1921-001-000-2:190", clientId=2,
               permId=1351823328, sharesAllocation="1351823328.0/DU1234567/100",
               status="PendingCancel")
    return [(first, dict(eur, warningText=first[108])), (second, dict(eur, **margins)),
            (NAUTILUS["open_order_1"][0], spy)]


@pytest.mark.parametrize("captured,values", _open_order_cases())
def test_open_order_reproduces_capture(captured: list[str], values: dict[str, Any]) -> None:
    assert OPEN_ORDER.fields(176, values) == captured


def test_order_status_reproduces_capture() -> None:
    values = dict(orderId=216, status="Filled", filled=3000, remaining=0, avgFillPrice=1.08725,
                  permId=1351823369, lastFillPrice=1.08725, clientId=2)
    assert ORDER_STATUS.fields(176, values) == NAUTILUS["order_status_1"][0]


EXEC_VALUES = dict(orderId=215, **EURUSD, execId="0000e215.656d0000.01.01",
                   time="20231203 20:15:20 US/Eastern", acctNumber="DU1234567",
                   execExchange="IDEALPRO", side="BOT", shares=1000, price=1.08735,
                   permId=1351823368, clientId=2, cumQty=1000, avgPrice=1.08735,
                   orderRef="O-20231204-0115-001-000-3:215", lastLiquidity=2)


def test_exec_details_and_commission_reproduce_captures() -> None:
    assert EXEC_DETAILS.fields(176, EXEC_VALUES) == NAUTILUS["execution_details_1"][0]
    commission = dict(execId="0000e215.656d0002.01.01", commission=2.5, currency="USD")
    assert COMMISSION_REPORT.fields(176, commission) == NAUTILUS["commission_report_1"][0]


def test_end_markers_reproduce_captures() -> None:
    assert OPEN_ORDER_END.fields(176) == _session("53")[0]
    assert EXEC_DETAILS_END.fields(176, reqId=185) == _session("55")[0]
    assert COMPLETED_ORDERS_END.fields(176) == _session("102")[0]


# ---- placeOrder: captured requests and what each client really sends -----------------------

def _decode_all(fields: list[str], version: int) -> dict[str, Any]:
    return PLACE_ORDER.decode(fields, version, exact=True)


@pytest.mark.parametrize("index,symbol,exchange", [(4, "EUR", "IDEALPRO"), (5, "XXX", "")])
def test_captured_place_orders_decode(index: int, symbol: str, exchange: str) -> None:
    request = SESSION[index]["request"]
    values = _decode_all(request, 176)
    assert values["orderId"] == int(request[1])
    assert values["contract"]["symbol"] == symbol and values["contract"]["exchange"] == exchange
    assert (values["action"], values["totalQuantity"], values["orderType"]) == ("BUY", 100.0, "MKT")
    assert values["lmtPrice"] == UNSET_DOUBLE and values["auxPrice"] == UNSET_DOUBLE
    assert values["openClose"] == "O" and values["transmit"] and values["whatIf"]


def _client_orders(client_name: str, version: int) -> list[list[str]]:
    """A LMT order and a MKT order with orderRef, placed through the real client."""
    if client_name == "ibapi":
        from ibapi.order import Order

        def place_ibapi(client: Any) -> None:
            contract = ibapi_contract(**dict(SPY, primaryExchange="ARCA"))
            for order_id, action, order_type, qty, price, tif, ref in (
                    (11, "BUY", "LMT", 100, 187.25, "GTC", ""), (12, "SELL", "MKT", 5, None, "DAY", "my-ref")):
                order = Order()
                order.action, order.orderType, order.totalQuantity = action, order_type, Decimal(qty)
                order.tif, order.orderRef, order.account = tif, ref, "DU0000001"
                if price is not None:
                    order.lmtPrice = price
                client.placeOrder(order_id, contract, order)
        return record_ibapi(version, place_ibapi)

    def place(ib: Any, m: Any) -> None:
        contract = m.Stock("SPY", "SMART", "USD", conId=756733, primaryExchange="ARCA")
        ib.client.placeOrder(11, contract, m.LimitOrder("BUY", 100, 187.25, tif="GTC", account="DU0000001"))
        ib.client.placeOrder(12, contract, m.MarketOrder("SELL", 5, orderRef="my-ref", account="DU0000001"))
    return record_insync(client_name, version, place)


@pytest.mark.parametrize("client_name,version", client_cases(REQUEST_VERSIONS))
def test_client_place_orders_decode(client_name: str, version: int) -> None:
    lmt, mkt = (_decode_all(fields, version) for fields in _client_orders(client_name, version))
    for values in (lmt, mkt):
        contract = values["contract"]
        assert (contract["conId"], contract["symbol"], contract["secType"]) == (756733, "SPY", "STK")
        assert (contract["exchange"], contract["primaryExchange"]) == ("SMART", "ARCA")
        assert contract["currency"] == "USD"
        assert values["account"] == "DU0000001" and values["transmit"] and not values["whatIf"]
        assert values["auxPrice"] == UNSET_DOUBLE and values["conditions"] == []
    assert (lmt["orderId"], lmt["action"], lmt["orderType"]) == (11, "BUY", "LMT")
    assert lmt["totalQuantity"] == 100.0
    assert lmt["lmtPrice"] == 187.25 and lmt["tif"] == "GTC"
    assert (mkt["orderId"], mkt["action"], mkt["totalQuantity"], mkt["orderType"]) == (12, "SELL", 5.0, "MKT")
    assert mkt["lmtPrice"] == UNSET_DOUBLE and mkt["orderRef"] == "my-ref"


@pytest.mark.parametrize("client_name,version", client_cases(REQUEST_VERSIONS, ("ib_async", "ibapi")))
def test_client_complex_order_decodes(client_name: str, version: int) -> None:
    """Every conditional section at once: combo legs, delta neutral, scale, hedge, algo,
    conditions and the PEG BEST tail with IBKRATS, so no branch of the decoder goes untried."""
    values = _decode_all(_complex_order(client_name, version), version)
    assert values["orderId"] == 77 and values["orderType"] == "PEG BEST"
    assert [leg["conId"] for leg in values["contract"]["comboLegs"]] == [1, 2]
    assert values["orderComboLegs"] == [{"price": 1.5}, {"price": UNSET_DOUBLE}]
    assert values["smartComboRoutingParams"] == [{"tag": "NonGuaranteed", "value": "1"}]
    assert values["deltaNeutralOrderType"] == "LMT" and values["deltaNeutralConId"] == 9
    assert values["scalePriceIncrement"] == 0.05 and values["scaleAutoReset"]
    assert values["hedgeParam"] == "0.5" and values["algoParams"] == [{"tag": "maxPctVol", "value": "0.1"}]
    assert [c["condType"] for c in values["conditions"]] == [1, 3] and values["conditionsCancelOrder"]
    assert values["contract"]["deltaNeutralContract"]["conId"] == 8
    if version >= 170:
        assert values["minTradeQty"] == 3 and values["competeAgainstBestOffset"] == math.inf
        assert values["midOffsetAtHalf"] == 0.25


def _complex_order(client_name: str, version: int) -> list[str]:
    """The order ``_build_complex`` makes from the client's own classes, as the client sends it."""
    if client_name == "ibapi":
        from ibapi import contract as contracts, order as orders, tag_value
        from ibapi.order_condition import PriceCondition, TimeCondition

        ns = SimpleNamespace(Contract=contracts.Contract, ComboLeg=contracts.ComboLeg, Order=orders.Order,
                             OrderComboLeg=orders.OrderComboLeg, TagValue=tag_value.TagValue)
        hedge_contract = contracts.DeltaNeutralContract()
        hedge_contract.conId, hedge_contract.delta, hedge_contract.price = 8, 0.5, 1.0
        conditions = [PriceCondition(0, 5, "SMART", True, 10.0), TimeCondition(True, "20250101 09:30:00")]
        sent = record_ibapi(version, lambda client: client.placeOrder(
            77, *_build_complex(ns, hedge_contract, conditions, version)))
    else:
        def place(ib: Any, m: Any) -> None:
            conditions = [m.PriceCondition(price=10.0, conId=5, exch="SMART"),
                          m.TimeCondition(time="20250101 09:30:00")]
            ib.client.placeOrder(77, *_build_complex(m, m.DeltaNeutralContract(8, 0.5, 1.0), conditions, version))
        sent = record_insync(client_name, version, place)
    assert len(sent) == 1
    return sent[0]


def _build_complex(ns: Any, hedge_contract: Any, conditions: list[Any], version: int) -> tuple[Any, Any]:
    """(contract, order) from either client's classes: ``ns`` holds Contract, ComboLeg, Order, ..."""
    contract = ns.Contract()
    contract.symbol, contract.secType, contract.exchange, contract.currency = "SPY", "BAG", "IBKRATS", "USD"
    legs = []
    for con_id in (1, 2):
        leg = ns.ComboLeg()
        leg.conId, leg.ratio, leg.action, leg.exchange = con_id, 1, "BUY", "SMART"
        legs.append(leg)
    contract.comboLegs = legs
    contract.deltaNeutralContract = hedge_contract
    order = ns.Order()
    order.action, order.orderType, order.totalQuantity, order.lmtPrice = "BUY", "PEG BEST", Decimal(1), 1.0
    first, second = ns.OrderComboLeg(), ns.OrderComboLeg()
    first.price = 1.5
    order.orderComboLegs, order.smartComboRoutingParams = [first, second], [ns.TagValue("NonGuaranteed", "1")]
    order.deltaNeutralOrderType, order.deltaNeutralConId = "LMT", 9
    order.scalePriceIncrement, order.scaleAutoReset = 0.05, True
    order.hedgeType, order.hedgeParam = "D", "0.5"
    order.algoStrategy, order.algoParams = "Vwap", [ns.TagValue("maxPctVol", "0.1")]
    order.conditions, order.conditionsCancelOrder = conditions, True
    if version >= 170:
        order.minTradeQty, order.minCompeteSize, order.competeAgainstBestOffset = 3, 2, math.inf
        order.midOffsetAtWhole, order.midOffsetAtHalf = 0.5, 0.25
    return contract, order


@pytest.mark.parametrize("version", [157, 169, 176, 187, 190, 192, 200])
def test_cancel_execution_and_global_cancel_requests(version: int) -> None:
    from ibapi.execution import ExecutionFilter
    from ibapi.order_cancel import OrderCancel

    cancel = OrderCancel()
    cancel.manualOrderCancelTime = "20240101 10:00:00" if version >= 169 else ""
    exec_filter = ExecutionFilter()
    exec_filter.acctCode, exec_filter.symbol = "DU0000001", "SPY"

    def send(client: Any) -> None:
        client.cancelOrder(55, cancel)
        client.reqGlobalCancel(OrderCancel())
        client.reqExecutions(9, exec_filter)

    sent = record_ibapi(version, send)
    assert [f[0] for f in sent] == ["4", "58", "7"]
    cancel_values = CANCEL_ORDER.decode(sent[0], version)
    assert cancel_values["orderId"] == 55
    assert cancel_values.get("manualOrderCancelTime", "") == cancel.manualOrderCancelTime
    # id, [version <192], orderId, [169 cancel time], [187..189 three RFQ slots], [192 two CME tags]
    expected = 2 + (version < 192) + (version >= 169) + 3 * (187 <= version < 190) + 2 * (version >= 192)
    assert len(sent[0]) == expected
    assert len(sent[1]) == (2 if version < 192 else 3)
    REQ_GLOBAL_CANCEL.decode(sent[1], version)
    executions = REQ_EXECUTIONS.decode(sent[2], version)
    assert (executions["reqId"], executions["acctCode"], executions["symbol"]) == (9, "DU0000001", "SPY")
    assert len(sent[2]) == 10 + 2 * (version >= 200)
    if version >= 200:
        assert executions["lastNDays"] == UNSET_INTEGER and executions["specificDates"] == []


# ---- each client's real decoder reads our frames ------------------------------------------

OPEN_VALUES = dict(orderId=42, **SPY, action="SELL", totalQuantity=250, orderType="LMT",
                   lmtPrice=101.25, tif="GTC", account="DU0000001", orderRef="ref-42", clientId=7,
                   permId=123456789, status="Submitted", commission=1.25, warningText="careful",
                   duration=3600, postToAts=1, autoCancelParent=True, minTradeQty=5,
                   midOffsetAtHalf=0.5, customerAccount="CUST", professionalCustomer=True,
                   bondAccruedInterest="0.5", includeOvernight=True, extOperator="op",
                   manualOrderIndicator=1, submitter="me", imbalanceOnly=True,
                   marginCurrency="USD", suggestedSize=10, filledQuantity=250,
                   completedStatus="Filled", completedTime="20240102 10:00:00",
                   orderAllocations=[dict(account="DU0000001", position=0, positionDesired=250,
                                          positionAfter=250, desiredAllocQty=250,
                                          allowedAllocQty=250, isMonetary=False)])


@pytest.mark.parametrize("client_name,version", CLIENT_CASES)
def test_client_decodes_open_order(client_name: str, version: int) -> None:
    frame = OPEN_ORDER.frame(version, OPEN_VALUES)
    [(name, (order_id, contract, order, state))] = feed(client_name, version, [frame])
    assert name == "openOrder" and order_id == 42 and order.orderId == 42
    assert (contract.conId, contract.symbol, order.action, order.orderType) == (756733, "SPY", "SELL", "LMT")
    assert float(order.totalQuantity) == 250 and order.lmtPrice == 101.25 and order.permId == 123456789
    assert order.orderRef == "ref-42" and state.status == "Submitted" and state.warningText == "careful"
    assert order.dontUseAutoPriceForHedge and bool(order.autoCancelParent) == (version >= 162)
    if version >= 159:
        assert int(order.duration) == 3600
    if version >= 170:
        assert int(order.minTradeQty) == 5 and float(order.midOffsetAtHalf) == 0.5
    if client_name == "ibapi":
        assert state.commissionAndFees == 1.25
        assert order.customerAccount == ("CUST" if version >= 183 else "")
        assert order.includeOvernight == (version >= 189) and order.imbalanceOnly == (version >= 199)
        assert order.submitter == ("me" if version >= 198 else "")
        assert len(state.orderAllocations or []) == (1 if version >= 195 else 0)
    else:
        assert float(state.commission) == 1.25


@pytest.mark.parametrize("client_name,version", CLIENT_CASES)
def test_client_decodes_completed_order(client_name: str, version: int) -> None:
    frame = COMPLETED_ORDER.frame(version, OPEN_VALUES)
    [(name, (contract, order, state))] = feed(client_name, version, [frame])
    assert name == "completedOrder" and contract.symbol == "SPY" and order.lmtPrice == 101.25
    assert order.permId == 123456789 and state.completedStatus == "Filled"
    assert float(order.filledQuantity) == 250 and order.orderRef == "ref-42"
    if version >= 170:
        assert float(order.midOffsetAtHalf) == 0.5
    if client_name == "ibapi":
        assert order.submitter == ("me" if version >= 198 else "")


@pytest.mark.parametrize("client_name,version", CLIENT_CASES)
def test_client_decodes_status_executions_and_ends(client_name: str, version: int) -> None:
    status = dict(orderId=42, status="Filled", filled=250, remaining=0, avgFillPrice=101.25,
                  permId=123456789, clientId=7)
    [(name, args)] = feed(client_name, version, [ORDER_STATUS.frame(version, status)])
    assert name == "orderStatus" and args[:2] == (42, "Filled") and float(args[2]) == 250
    assert args[4] == 101.25 and args[5] == 123456789
    if not (client_name == "ib_insync" and version > 176):  # ib_insync unpacks exactly 31 fields
        [(name, (req_id, contract, execution))] = feed(
            client_name, version, [EXEC_DETAILS.frame(version, EXEC_VALUES, reqId=3, submitter="me")])
        assert name == "execDetails" and req_id == 3 and contract.symbol == "EUR"
        assert execution.execId == "0000e215.656d0000.01.01" and float(execution.shares) == 1000
        assert execution.price == 1.08735 and execution.orderId == 215
        if client_name == "ibapi":
            assert execution.submitter == ("me" if version >= 198 else "")
    report = COMMISSION_REPORT.frame(version, execId="x1", commission=2.5)
    [(name, (commission,))] = feed(client_name, version, [report])
    assert commission.execId == "x1"
    ends = [OPEN_ORDER_END.frame(version), EXEC_DETAILS_END.frame(version, reqId=3),
            COMPLETED_ORDERS_END.frame(version)]
    seen = feed(client_name, version, ends)
    assert seen == [("openOrderEnd", ()), ("execDetailsEnd", (3,)), ("completedOrdersEnd", ())]
