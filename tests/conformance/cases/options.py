"""Layout cases: option chains (reqSecDefOptParams) and option computation ticks.

Each slot: (value, {client: the field of that client's decoded callback that must hold it}).
Values have the shapes IB sends; every meaning was read off the decoders of ib_insync 0.9.86,
ib_async 2.1.0 and ibapi 10.46 (``decoder.py``), starting from a ``generate_cases`` draft. The
captures hold no frame with these message ids, so the cases are checked against the decoders only.
"""

from tests.conformance.layout_cases import case

CASES = [
    case('securityDefinitionOptionParameter', 176, {
        'reqId': (9, {'ib_insync': 'securityDefinitionOptionParameter[0].reqId', 'ib_async': 'securityDefinitionOptionParameter[0].reqId', 'ibapi': 'securityDefinitionOptionParameter[0].reqId'}),
        'exchange': ('SMART', {'ib_insync': 'securityDefinitionOptionParameter[0].exchange', 'ib_async': 'securityDefinitionOptionParameter[0].exchange', 'ibapi': 'securityDefinitionOptionParameter[0].exchange'}),
        'underlyingConId': (265598, {'ib_insync': 'securityDefinitionOptionParameter[0].underlyingConId', 'ib_async': 'securityDefinitionOptionParameter[0].underlyingConId', 'ibapi': 'securityDefinitionOptionParameter[0].underlyingConId'}),
        'tradingClass': ('AAPL', {'ib_insync': 'securityDefinitionOptionParameter[0].tradingClass', 'ib_async': 'securityDefinitionOptionParameter[0].tradingClass', 'ibapi': 'securityDefinitionOptionParameter[0].tradingClass'}),
        'multiplier': ('100', {'ib_insync': 'securityDefinitionOptionParameter[0].multiplier', 'ib_async': 'securityDefinitionOptionParameter[0].multiplier', 'ibapi': 'securityDefinitionOptionParameter[0].multiplier'}),
        'expirations[0].expiration': ('20261218', {'ib_insync': 'securityDefinitionOptionParameter[0].expirations[0]', 'ib_async': 'securityDefinitionOptionParameter[0].expirations[0]'}),  # ibapi passes an unordered set
        'expirations[1].expiration': ('20270115', {'ib_insync': 'securityDefinitionOptionParameter[0].expirations[1]', 'ib_async': 'securityDefinitionOptionParameter[0].expirations[1]'}),  # ibapi passes an unordered set
        'strikes[0].strike': (195.0, {'ib_insync': 'securityDefinitionOptionParameter[0].strikes[0]', 'ib_async': 'securityDefinitionOptionParameter[0].strikes[0]'}),  # ibapi passes an unordered set
        'strikes[1].strike': (200.0, {'ib_insync': 'securityDefinitionOptionParameter[0].strikes[1]', 'ib_async': 'securityDefinitionOptionParameter[0].strikes[1]'}),  # ibapi passes an unordered set
        'strikes[2].strike': (205.0, {'ib_insync': 'securityDefinitionOptionParameter[0].strikes[2]', 'ib_async': 'securityDefinitionOptionParameter[0].strikes[2]'}),  # ibapi passes an unordered set
    }),
    case('securityDefinitionOptionParameterEnd', 176, {
        'reqId': (9, {'ib_insync': 'securityDefinitionOptionParameterEnd[0].reqId', 'ib_async': 'securityDefinitionOptionParameterEnd[0].reqId', 'ibapi': 'securityDefinitionOptionParameterEnd[0].reqId'}),
    }),
    case('tickOptionComputation', 176, {
        'reqId': (4, {'ib_insync': 'tickOptionComputation[0].reqId', 'ib_async': 'tickOptionComputation[0].reqId', 'ibapi': 'tickOptionComputation[0].reqId'}),
        'tickType': (13, {'ib_insync': 'tickOptionComputation[0].tickType', 'ib_async': 'tickOptionComputation[0].tickType', 'ibapi': 'tickOptionComputation[0].tickType'}),
        'tickAttrib': (0, {'ib_insync': 'tickOptionComputation[0].tickAttrib', 'ib_async': 'tickOptionComputation[0].tickAttrib', 'ibapi': 'tickOptionComputation[0].tickAttrib'}),
        'impliedVol': (0.2431, {'ib_insync': 'tickOptionComputation[0].impliedVol', 'ib_async': 'tickOptionComputation[0].impliedVol', 'ibapi': 'tickOptionComputation[0].impliedVol'}),
        'delta': (0.5213, {'ib_insync': 'tickOptionComputation[0].delta', 'ib_async': 'tickOptionComputation[0].delta', 'ibapi': 'tickOptionComputation[0].delta'}),
        'optPrice': (6.85, {'ib_insync': 'tickOptionComputation[0].optPrice', 'ib_async': 'tickOptionComputation[0].optPrice', 'ibapi': 'tickOptionComputation[0].optPrice'}),
        'pvDividend': (0.0, {'ib_insync': 'tickOptionComputation[0].pvDividend', 'ib_async': 'tickOptionComputation[0].pvDividend', 'ibapi': 'tickOptionComputation[0].pvDividend'}),
        'gamma': (0.0312, {'ib_insync': 'tickOptionComputation[0].gamma', 'ib_async': 'tickOptionComputation[0].gamma', 'ibapi': 'tickOptionComputation[0].gamma'}),
        'vega': (0.2154, {'ib_insync': 'tickOptionComputation[0].vega', 'ib_async': 'tickOptionComputation[0].vega', 'ibapi': 'tickOptionComputation[0].vega'}),
        'theta': (-0.0587, {'ib_insync': 'tickOptionComputation[0].theta', 'ib_async': 'tickOptionComputation[0].theta', 'ibapi': 'tickOptionComputation[0].theta'}),
        'undPrice': (192.4, {'ib_insync': 'tickOptionComputation[0].undPrice', 'ib_async': 'tickOptionComputation[0].undPrice', 'ibapi': 'tickOptionComputation[0].undPrice'}),
    }),
    case('tickOptionComputation', 176, {
        'reqId': (4, {'ib_insync': 'tickOptionComputation[0].reqId', 'ib_async': 'tickOptionComputation[0].reqId', 'ibapi': 'tickOptionComputation[0].reqId'}),
        'tickType': (10, {'ib_insync': 'tickOptionComputation[0].tickType', 'ib_async': 'tickOptionComputation[0].tickType', 'ibapi': 'tickOptionComputation[0].tickType'}),
        'tickAttrib': (1, {'ib_insync': 'tickOptionComputation[0].tickAttrib', 'ib_async': 'tickOptionComputation[0].tickAttrib', 'ibapi': 'tickOptionComputation[0].tickAttrib'}),
        'impliedVol': (0.2398, {'ib_insync': 'tickOptionComputation[0].impliedVol', 'ib_async': 'tickOptionComputation[0].impliedVol', 'ibapi': 'tickOptionComputation[0].impliedVol'}),
        'delta': (0.5188, {'ib_insync': 'tickOptionComputation[0].delta', 'ib_async': 'tickOptionComputation[0].delta', 'ibapi': 'tickOptionComputation[0].delta'}),
        'optPrice': (6.8, {'ib_insync': 'tickOptionComputation[0].optPrice', 'ib_async': 'tickOptionComputation[0].optPrice', 'ibapi': 'tickOptionComputation[0].optPrice'}),
        'pvDividend': (0.12, {'ib_insync': 'tickOptionComputation[0].pvDividend', 'ib_async': 'tickOptionComputation[0].pvDividend', 'ibapi': 'tickOptionComputation[0].pvDividend'}),
        'gamma': (0.0309, {'ib_insync': 'tickOptionComputation[0].gamma', 'ib_async': 'tickOptionComputation[0].gamma', 'ibapi': 'tickOptionComputation[0].gamma'}),
        'vega': (0.2149, {'ib_insync': 'tickOptionComputation[0].vega', 'ib_async': 'tickOptionComputation[0].vega', 'ibapi': 'tickOptionComputation[0].vega'}),
        'theta': (-0.0581, {'ib_insync': 'tickOptionComputation[0].theta', 'ib_async': 'tickOptionComputation[0].theta', 'ibapi': 'tickOptionComputation[0].theta'}),
        'undPrice': (192.38, {'ib_insync': 'tickOptionComputation[0].undPrice', 'ib_async': 'tickOptionComputation[0].undPrice', 'ibapi': 'tickOptionComputation[0].undPrice'}),
    }),
]
