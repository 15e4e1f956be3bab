"""Layouts of reqHistoricalTicks replies: MIDPOINT (96), BID_ASK (97) and TRADES (98).

No version fields; a counted list of ticks then the ``done`` flag. The MIDPOINT tick carries an
unused field after its time, kept "for consistency" (ibapi 10.46 ``decoder.py``); sizes are
Decimal strings (the requests exist only from server version 130, fractional sizes from 163).
"""

from __future__ import annotations

from .fields import B, D, I, Q, S
from .spec import MessageSpec, Repeat

HISTORICAL_TICKS = MessageSpec(96, "historicalTicks", (
    I("reqId"), Repeat("ticks", (I("time"), I("unused"), D("price"), Q("size"))), B("done"),
))
HISTORICAL_TICKS_BID_ASK = MessageSpec(97, "historicalTicksBidAsk", (
    I("reqId"),
    Repeat("ticks", (I("time"), I("mask"), D("priceBid"), D("priceAsk"), Q("sizeBid"), Q("sizeAsk"))),
    B("done"),
))
HISTORICAL_TICKS_LAST = MessageSpec(98, "historicalTicksLast", (
    I("reqId"),
    Repeat("ticks", (I("time"), I("mask"), D("price"), Q("size"), S("exchange"), S("specialConditions"))),
    B("done"),
))

SPECS = (HISTORICAL_TICKS, HISTORICAL_TICKS_BID_ASK, HISTORICAL_TICKS_LAST)
