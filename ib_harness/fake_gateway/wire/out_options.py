"""Layouts of option replies: option chains (reqSecDefOptParams) and option computations.

From server version 156 (price-based volatility, below every version this gateway speaks)
tickOptionComputation has no version field and carries tickAttrib (0 return-based, 1 price-based)
before the computed values; ibapi 10.46 and ib_insync 0.9.86 ``decoder.py`` read it that way.
IB marks a value it has not computed with -1 (-2 for delta and the greeks).
"""

from __future__ import annotations

from .fields import D, I, S
from .spec import MessageSpec, Repeat

SECURITY_DEFINITION_OPTION_PARAMETER = MessageSpec(75, "securityDefinitionOptionParameter", (
    I("reqId"), S("exchange"), I("underlyingConId"), S("tradingClass"), S("multiplier"),
    Repeat("expirations", (S("expiration"),)),
    Repeat("strikes", (D("strike"),)),
))
SECURITY_DEFINITION_OPTION_PARAMETER_END = MessageSpec(76, "securityDefinitionOptionParameterEnd", (I("reqId"),))
TICK_OPTION_COMPUTATION = MessageSpec(21, "tickOptionComputation", (
    I("reqId"), I("tickType"), I("tickAttrib"),
    D("impliedVol", -1.0), D("delta", -2.0), D("optPrice", -1.0), D("pvDividend", -1.0),
    D("gamma", -2.0), D("vega", -2.0), D("theta", -2.0), D("undPrice", -1.0),
))

SPECS = (SECURITY_DEFINITION_OPTION_PARAMETER, SECURITY_DEFINITION_OPTION_PARAMETER_END, TICK_OPTION_COMPUTATION)
