"""Layout cases: reqHistoricalTicks replies (MIDPOINT, BID_ASK, TRADES).

Each slot: (value, {client: the field of that client's decoded callback that must hold it}).
Values have the shapes IB sends; every meaning was read off the decoders of ib_insync 0.9.86,
ib_async 2.1.0 and ibapi 10.46 (``decoder.py``), starting from a ``generate_cases`` draft. The
captures hold no frame with these message ids, so the cases are checked against the decoders only.
"""

from tests.conformance.layout_cases import case

CASES = [
    case('historicalTicks', 176, {
        'reqId': (20, {'ib_insync': 'historicalTicks[0].reqId', 'ib_async': 'historicalTicks[0].reqId', 'ibapi': 'historicalTicks[0].reqId'}),
        'ticks[0].time': (1764253800, {'ib_insync': 'historicalTicks[0].ticks[0][0]', 'ib_async': 'historicalTicks[0].ticks[0][0]', 'ibapi': 'historicalTicks[0].ticks[0].time'}),
        'ticks[0].unused': (0, {}),  # read by no client (ibapi: "for consistency")
        'ticks[0].price': (190.255, {'ib_insync': 'historicalTicks[0].ticks[0][1]', 'ib_async': 'historicalTicks[0].ticks[0][1]', 'ibapi': 'historicalTicks[0].ticks[0].price'}),
        'ticks[0].size': (0, {'ib_insync': 'historicalTicks[0].ticks[0][2]', 'ib_async': 'historicalTicks[0].ticks[0][2]', 'ibapi': 'historicalTicks[0].ticks[0].size'}),
        'ticks[1].time': (1764253801, {'ib_insync': 'historicalTicks[0].ticks[1][0]', 'ib_async': 'historicalTicks[0].ticks[1][0]', 'ibapi': 'historicalTicks[0].ticks[1].time'}),
        'ticks[1].unused': (0, {}),  # read by no client (ibapi: "for consistency")
        'ticks[1].price': (190.26, {'ib_insync': 'historicalTicks[0].ticks[1][1]', 'ib_async': 'historicalTicks[0].ticks[1][1]', 'ibapi': 'historicalTicks[0].ticks[1].price'}),
        'ticks[1].size': (0, {'ib_insync': 'historicalTicks[0].ticks[1][2]', 'ib_async': 'historicalTicks[0].ticks[1][2]', 'ibapi': 'historicalTicks[0].ticks[1].size'}),
        'done': (1, {'ib_insync': 'historicalTicks[0].done', 'ib_async': 'historicalTicks[0].done', 'ibapi': 'historicalTicks[0].done'}),
    }),
    # every slot distinct (synthetic), so a value landing in a neighbour's field is caught
    case('historicalTicks', 176, {
        'reqId': (1001, {'ib_insync': 'historicalTicks[0].reqId', 'ib_async': 'historicalTicks[0].reqId', 'ibapi': 'historicalTicks[0].reqId'}),
        'ticks[0].time': (1002, {'ib_insync': 'historicalTicks[0].ticks[0][0]', 'ib_async': 'historicalTicks[0].ticks[0][0]', 'ibapi': 'historicalTicks[0].ticks[0].time'}),
        'ticks[0].unused': (1003, {}),  # read by no client (ibapi: "for consistency")
        'ticks[0].price': (104.25, {'ib_insync': 'historicalTicks[0].ticks[0][1]', 'ib_async': 'historicalTicks[0].ticks[0][1]', 'ibapi': 'historicalTicks[0].ticks[0].price'}),
        'ticks[0].size': (505, {'ib_insync': 'historicalTicks[0].ticks[0][2]', 'ib_async': 'historicalTicks[0].ticks[0][2]', 'ibapi': 'historicalTicks[0].ticks[0].size'}),
        'ticks[1].time': (1006, {'ib_insync': 'historicalTicks[0].ticks[1][0]', 'ib_async': 'historicalTicks[0].ticks[1][0]', 'ibapi': 'historicalTicks[0].ticks[1].time'}),
        'ticks[1].unused': (1007, {}),  # read by no client (ibapi: "for consistency")
        'ticks[1].price': (108.25, {'ib_insync': 'historicalTicks[0].ticks[1][1]', 'ib_async': 'historicalTicks[0].ticks[1][1]', 'ibapi': 'historicalTicks[0].ticks[1].price'}),
        'ticks[1].size': (509, {'ib_insync': 'historicalTicks[0].ticks[1][2]', 'ib_async': 'historicalTicks[0].ticks[1][2]', 'ibapi': 'historicalTicks[0].ticks[1].size'}),
        'done': (0, {'ib_insync': 'historicalTicks[0].done', 'ib_async': 'historicalTicks[0].done', 'ibapi': 'historicalTicks[0].done'}),
    }),
    case('historicalTicksBidAsk', 176, {
        'reqId': (21, {'ib_insync': 'historicalTicksBidAsk[0].reqId', 'ib_async': 'historicalTicksBidAsk[0].reqId', 'ibapi': 'historicalTicksBidAsk[0].reqId'}),
        'ticks[0].time': (1764253800, {'ib_insync': 'historicalTicksBidAsk[0].ticks[0][0]', 'ib_async': 'historicalTicksBidAsk[0].ticks[0][0]', 'ibapi': 'historicalTicksBidAsk[0].ticks[0].time'}),
        'ticks[0].mask': (0, {'ib_insync': 'historicalTicksBidAsk[0].ticks[0][1].askPastHigh', 'ib_async': 'historicalTicksBidAsk[0].ticks[0][1].askPastHigh', 'ibapi': 'historicalTicksBidAsk[0].ticks[0].tickAttribBidAsk.askPastHigh'}),  # the mask's bit 0 (the case keeps masks to 0 and 1)
        'ticks[0].priceBid': (190.25, {'ib_insync': 'historicalTicksBidAsk[0].ticks[0][2]', 'ib_async': 'historicalTicksBidAsk[0].ticks[0][2]', 'ibapi': 'historicalTicksBidAsk[0].ticks[0].priceBid'}),
        'ticks[0].priceAsk': (190.27, {'ib_insync': 'historicalTicksBidAsk[0].ticks[0][3]', 'ib_async': 'historicalTicksBidAsk[0].ticks[0][3]', 'ibapi': 'historicalTicksBidAsk[0].ticks[0].priceAsk'}),
        'ticks[0].sizeBid': (300, {'ib_insync': 'historicalTicksBidAsk[0].ticks[0][4]', 'ib_async': 'historicalTicksBidAsk[0].ticks[0][4]', 'ibapi': 'historicalTicksBidAsk[0].ticks[0].sizeBid'}),
        'ticks[0].sizeAsk': (200, {'ib_insync': 'historicalTicksBidAsk[0].ticks[0][5]', 'ib_async': 'historicalTicksBidAsk[0].ticks[0][5]', 'ibapi': 'historicalTicksBidAsk[0].ticks[0].sizeAsk'}),
        'ticks[1].time': (1764253801, {'ib_insync': 'historicalTicksBidAsk[0].ticks[1][0]', 'ib_async': 'historicalTicksBidAsk[0].ticks[1][0]', 'ibapi': 'historicalTicksBidAsk[0].ticks[1].time'}),
        'ticks[1].mask': (1, {'ib_insync': 'historicalTicksBidAsk[0].ticks[1][1].askPastHigh', 'ib_async': 'historicalTicksBidAsk[0].ticks[1][1].askPastHigh', 'ibapi': 'historicalTicksBidAsk[0].ticks[1].tickAttribBidAsk.askPastHigh'}),  # the mask's bit 0 (the case keeps masks to 0 and 1)
        'ticks[1].priceBid': (190.26, {'ib_insync': 'historicalTicksBidAsk[0].ticks[1][2]', 'ib_async': 'historicalTicksBidAsk[0].ticks[1][2]', 'ibapi': 'historicalTicksBidAsk[0].ticks[1].priceBid'}),
        'ticks[1].priceAsk': (190.28, {'ib_insync': 'historicalTicksBidAsk[0].ticks[1][3]', 'ib_async': 'historicalTicksBidAsk[0].ticks[1][3]', 'ibapi': 'historicalTicksBidAsk[0].ticks[1].priceAsk'}),
        'ticks[1].sizeBid': (100, {'ib_insync': 'historicalTicksBidAsk[0].ticks[1][4]', 'ib_async': 'historicalTicksBidAsk[0].ticks[1][4]', 'ibapi': 'historicalTicksBidAsk[0].ticks[1].sizeBid'}),
        'ticks[1].sizeAsk': (400, {'ib_insync': 'historicalTicksBidAsk[0].ticks[1][5]', 'ib_async': 'historicalTicksBidAsk[0].ticks[1][5]', 'ibapi': 'historicalTicksBidAsk[0].ticks[1].sizeAsk'}),
        'done': (1, {'ib_insync': 'historicalTicksBidAsk[0].done', 'ib_async': 'historicalTicksBidAsk[0].done', 'ibapi': 'historicalTicksBidAsk[0].done'}),
    }),
    case('historicalTicksLast', 176, {
        'reqId': (22, {'ib_insync': 'historicalTicksLast[0].reqId', 'ib_async': 'historicalTicksLast[0].reqId', 'ibapi': 'historicalTicksLast[0].reqId'}),
        'ticks[0].time': (1764253800, {'ib_insync': 'historicalTicksLast[0].ticks[0][0]', 'ib_async': 'historicalTicksLast[0].ticks[0][0]', 'ibapi': 'historicalTicksLast[0].ticks[0].time'}),
        'ticks[0].mask': (0, {'ib_insync': 'historicalTicksLast[0].ticks[0][1].pastLimit', 'ib_async': 'historicalTicksLast[0].ticks[0][1].pastLimit', 'ibapi': 'historicalTicksLast[0].ticks[0].tickAttribLast.pastLimit'}),  # the mask's bit 0 (the case keeps masks to 0 and 1)
        'ticks[0].price': (190.26, {'ib_insync': 'historicalTicksLast[0].ticks[0][2]', 'ib_async': 'historicalTicksLast[0].ticks[0][2]', 'ibapi': 'historicalTicksLast[0].ticks[0].price'}),
        'ticks[0].size': (100, {'ib_insync': 'historicalTicksLast[0].ticks[0][3]', 'ib_async': 'historicalTicksLast[0].ticks[0][3]', 'ibapi': 'historicalTicksLast[0].ticks[0].size'}),
        'ticks[0].exchange': ('NASDAQ', {'ib_insync': 'historicalTicksLast[0].ticks[0][4]', 'ib_async': 'historicalTicksLast[0].ticks[0][4]', 'ibapi': 'historicalTicksLast[0].ticks[0].exchange'}),
        'ticks[0].specialConditions': ('', {'ib_insync': 'historicalTicksLast[0].ticks[0][5]', 'ib_async': 'historicalTicksLast[0].ticks[0][5]', 'ibapi': 'historicalTicksLast[0].ticks[0].specialConditions'}),
        'ticks[1].time': (1764253801, {'ib_insync': 'historicalTicksLast[0].ticks[1][0]', 'ib_async': 'historicalTicksLast[0].ticks[1][0]', 'ibapi': 'historicalTicksLast[0].ticks[1].time'}),
        'ticks[1].mask': (1, {'ib_insync': 'historicalTicksLast[0].ticks[1][1].pastLimit', 'ib_async': 'historicalTicksLast[0].ticks[1][1].pastLimit', 'ibapi': 'historicalTicksLast[0].ticks[1].tickAttribLast.pastLimit'}),  # the mask's bit 0 (the case keeps masks to 0 and 1)
        'ticks[1].price': (190.27, {'ib_insync': 'historicalTicksLast[0].ticks[1][2]', 'ib_async': 'historicalTicksLast[0].ticks[1][2]', 'ibapi': 'historicalTicksLast[0].ticks[1].price'}),
        'ticks[1].size': (25, {'ib_insync': 'historicalTicksLast[0].ticks[1][3]', 'ib_async': 'historicalTicksLast[0].ticks[1][3]', 'ibapi': 'historicalTicksLast[0].ticks[1].size'}),
        'ticks[1].exchange': ('ARCA', {'ib_insync': 'historicalTicksLast[0].ticks[1][4]', 'ib_async': 'historicalTicksLast[0].ticks[1][4]', 'ibapi': 'historicalTicksLast[0].ticks[1].exchange'}),
        'ticks[1].specialConditions': ('I', {'ib_insync': 'historicalTicksLast[0].ticks[1][5]', 'ib_async': 'historicalTicksLast[0].ticks[1][5]', 'ibapi': 'historicalTicksLast[0].ticks[1].specialConditions'}),
        'done': (1, {'ib_insync': 'historicalTicksLast[0].done', 'ib_async': 'historicalTicksLast[0].done', 'ibapi': 'historicalTicksLast[0].done'}),
    }),
]
