"""Layout cases: market rules (price increments), SMART components, volume-by-price histogram.

Each slot: (value, {client: the field of that client's decoded callback that must hold it}).
Values have the shapes IB sends; every meaning was read off the decoders of ib_insync 0.9.86,
ib_async 2.1.0 and ibapi 10.46 (``decoder.py``), starting from a ``generate_cases`` draft. The
captures hold no frame with these message ids, so the cases are checked against the decoders only.
"""

from tests.conformance.layout_cases import case

CASES = [
    case('marketRule', 176, {
        'marketRuleId': (32, {'ib_insync': 'marketRule[0].marketRuleId', 'ib_async': 'marketRule[0].marketRuleId', 'ibapi': 'marketRule[0].marketRuleId'}),
        'increments[0].lowEdge': (0.0, {'ib_insync': 'marketRule[0].priceIncrements[0][0]', 'ib_async': 'marketRule[0].priceIncrements[0][0]', 'ibapi': 'marketRule[0].priceIncrements[0].lowEdge'}),
        'increments[0].increment': (0.01, {'ib_insync': 'marketRule[0].priceIncrements[0][1]', 'ib_async': 'marketRule[0].priceIncrements[0][1]', 'ibapi': 'marketRule[0].priceIncrements[0].increment'}),
        'increments[1].lowEdge': (3.0, {'ib_insync': 'marketRule[0].priceIncrements[1][0]', 'ib_async': 'marketRule[0].priceIncrements[1][0]', 'ibapi': 'marketRule[0].priceIncrements[1].lowEdge'}),
        'increments[1].increment': (0.05, {'ib_insync': 'marketRule[0].priceIncrements[1][1]', 'ib_async': 'marketRule[0].priceIncrements[1][1]', 'ibapi': 'marketRule[0].priceIncrements[1].increment'}),
    }),
    case('smartComponents', 176, {
        'reqId': (18, {'ib_insync': 'smartComponents[0].reqId', 'ib_async': 'smartComponents[0].reqId', 'ibapi': 'smartComponents[0].reqId'}),
        'components[0].bitNumber': (1, {'ib_insync': 'smartComponents[0].components[0][0]', 'ib_async': 'smartComponents[0].components[0].bitNumber', 'ibapi': 'smartComponents[0].smartComponentMap[0].bitNumber'}),
        'components[0].exchange': ('NYSE', {'ib_insync': 'smartComponents[0].components[0][1]', 'ib_async': 'smartComponents[0].components[0].exchange', 'ibapi': 'smartComponents[0].smartComponentMap[0].exchange'}),
        'components[0].exchangeLetter': ('N', {'ib_insync': 'smartComponents[0].components[0][2]', 'ib_async': 'smartComponents[0].components[0].exchangeLetter', 'ibapi': 'smartComponents[0].smartComponentMap[0].exchangeLetter'}),
        'components[1].bitNumber': (2, {'ib_insync': 'smartComponents[0].components[1][0]', 'ib_async': 'smartComponents[0].components[1].bitNumber', 'ibapi': 'smartComponents[0].smartComponentMap[1].bitNumber'}),
        'components[1].exchange': ('ARCA', {'ib_insync': 'smartComponents[0].components[1][1]', 'ib_async': 'smartComponents[0].components[1].exchange', 'ibapi': 'smartComponents[0].smartComponentMap[1].exchange'}),
        'components[1].exchangeLetter': ('P', {'ib_insync': 'smartComponents[0].components[1][2]', 'ib_async': 'smartComponents[0].components[1].exchangeLetter', 'ibapi': 'smartComponents[0].smartComponentMap[1].exchangeLetter'}),
    }),
    case('histogramData', 176, {
        'reqId': (26, {'ib_insync': 'histogramData[0].reqId', 'ib_async': 'histogramData[0].reqId', 'ibapi': 'histogramData[0].reqId'}),
        'items[0].price': (190.25, {'ib_insync': 'histogramData[0].items[0].price', 'ib_async': 'histogramData[0].items[0].price', 'ibapi': 'histogramData[0].items[0].price'}),
        'items[0].size': (1200, {'ib_insync': 'histogramData[0].items[0].count', 'ib_async': 'histogramData[0].items[0].count', 'ibapi': 'histogramData[0].items[0].size'}),
        'items[1].price': (190.5, {'ib_insync': 'histogramData[0].items[1].price', 'ib_async': 'histogramData[0].items[1].price', 'ibapi': 'histogramData[0].items[1].price'}),
        'items[1].size': (3400, {'ib_insync': 'histogramData[0].items[1].count', 'ib_async': 'histogramData[0].items[1].count', 'ibapi': 'histogramData[0].items[1].size'}),
    }),
]
