"""Layouts of execution reports: execDetails, commissionReport and execDetailsEnd.

execDetails has had no version field since server version 136. Gates in 157..200 (ibapi
``processExecutionDataMsg``): 178 adds pendingPriceRevision, 198 adds submitter. ib_insync
unpacks exactly 31 fields, so it only works up to 177 (its own maximum is 176); ib_async reads
pendingPriceRevision from 178. commissionReport keeps its version field and has no gates.

The contract block uses the same slot names as openOrder; here the captured gateway prints the
strike as a double (``0.0``) and an empty right as ``""``. The execution's own exchange is
``execExchange`` so that one contract dict (with its ``exchange``) can be passed alongside it.
"""

from __future__ import annotations

from .fields import UNSET_DOUBLE, B, C, D, I, Q, S
from .out_orders import order_contract
from .spec import MessageSpec

EXEC_DETAILS = MessageSpec(11, "execDetails", (
    I("reqId", -1), I("orderId"),
    *order_contract(D("strike", 0.0), ""),
    S("execId"), S("time"), S("acctNumber"), S("execExchange"), S("side", "BOT"),
    Q("shares", 0), D("price", 0.0), I("permId", 0), I("clientId", 0), I("liquidation", 0),
    Q("cumQty", 0), D("avgPrice", 0.0), S("orderRef"), S("evRule"), D("evMultiplier", None),
    S("modelCode"), I("lastLiquidity", 0),
    B("pendingPriceRevision", since=178),
    S("submitter", since=198),
))

COMMISSION_REPORT = MessageSpec(59, "commissionReport", (
    C("version", "1"), S("execId"), D("commission", 0.0), S("currency", "USD"),
    D("realizedPNL", UNSET_DOUBLE), D("yield", UNSET_DOUBLE), I("yieldRedemptionDate", None),
))

EXEC_DETAILS_END = MessageSpec(55, "execDetailsEnd", (C("version", "1"), I("reqId")))

SPECS: tuple[MessageSpec, ...] = (EXEC_DETAILS, COMMISSION_REPORT, EXEC_DETAILS_END)
