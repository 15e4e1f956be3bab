"""Layouts of scanner replies: scannerParameters (19) and scannerData (20, version 3).

One scannerData message carries the whole ranked list; the clients call scannerDataEnd after
each (ibapi 10.46 / ib_insync 0.9.86 ``decoder.py``). Rows carry a short contract block.
"""

from __future__ import annotations

from .fields import C, D, I, S
from .spec import MessageSpec, Repeat

SCANNER_PARAMETERS = MessageSpec(19, "scannerParameters", (C("version", "1"), S("xml")))
SCANNER_DATA = MessageSpec(20, "scannerData", (
    C("version", "3"), I("reqId"),
    Repeat("rows", (
        I("rank"), I("conId"), S("symbol"), S("secType"), S("lastTradeDateOrContractMonth"), D("strike"),
        S("right"), S("exchange"), S("currency"), S("localSymbol"), S("marketName"), S("tradingClass"),
        S("distance"), S("benchmark"), S("projection"), S("legsStr"),
    )),
))

SPECS = (SCANNER_PARAMETERS, SCANNER_DATA)
