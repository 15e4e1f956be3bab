"""Layouts of market depth replies: updateMktDepth (12) and updateMktDepthL2 (13).

operation 0 insert, 1 update, 2 delete; side 0 ask, 1 bid. L2 names the market maker (or, in
SMART depth, the exchange) and, from server version 146, whether the line is SMART depth. Sizes are
Decimal strings from 163 on, integers before (ibapi 10.46 / ib_insync 0.9.86 ``decoder.py``).
"""

from __future__ import annotations

from .fields import B, C, D, I, Q, S
from .spec import MessageSpec

FRACTIONAL_SIZE_SUPPORT = 163

UPDATE_MKT_DEPTH = MessageSpec(12, "updateMktDepth", (
    C("version", "1"), I("reqId"), I("position"), I("operation"), I("side"), D("price"),
    I("size", until=FRACTIONAL_SIZE_SUPPORT), Q("size", since=FRACTIONAL_SIZE_SUPPORT),
))
UPDATE_MKT_DEPTH_L2 = MessageSpec(13, "updateMktDepthL2", (
    C("version", "1"), I("reqId"), I("position"), S("marketMaker"), I("operation"), I("side"), D("price"),
    I("size", until=FRACTIONAL_SIZE_SUPPORT), Q("size", since=FRACTIONAL_SIZE_SUPPORT),
    B("isSmartDepth"),
))

SPECS = (UPDATE_MKT_DEPTH, UPDATE_MKT_DEPTH_L2)
