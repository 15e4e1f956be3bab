"""Layout cases: ticks, tick-by-tick, historical data and bars, schedules, PnL, symbol samples.

Each slot: (value, {client: the field of that client's decoded callback that must hold it}).
Drafted with ``python -m tests.conformance.generate_cases`` and reviewed; see layout_cases.py.
"""

from tests.conformance.layout_cases import case

CASES = [
    case('tickPrice', 176, {
        'version': ('6', {}),  # read by no client
        'reqId': (1002, {'ib_insync': 'priceSizeTick[0].reqId', 'ib_async': 'priceSizeTick[0].reqId', 'ibapi': 'tickPrice[0].reqId'}),
        'tickType': (1003, {'ib_insync': 'priceSizeTick[0].tickType', 'ib_async': 'priceSizeTick[0].tickType', 'ibapi': 'tickPrice[0].tickType'}),
        'price': (104.25, {'ib_insync': 'priceSizeTick[0].price', 'ib_async': 'priceSizeTick[0].price', 'ibapi': 'tickPrice[0].price'}),
        'size': (505, {'ib_insync': 'priceSizeTick[0].size', 'ib_async': 'priceSizeTick[0].size'}),
        'attrMask': (1006, {}),  # read by no client
    }),
    case('tickSize', 176, {
        'version': ('6', {}),  # read by no client
        'reqId': (1002, {'ib_insync': 'tickSize[0].reqId', 'ib_async': 'tickSize[0].reqId', 'ibapi': 'tickSize[0].reqId'}),
        'tickType': (1003, {'ib_insync': 'tickSize[0].tickType', 'ib_async': 'tickSize[0].tickType', 'ibapi': 'tickSize[0].tickType'}),
        'size': (504, {'ib_insync': 'tickSize[0].size', 'ib_async': 'tickSize[0].size', 'ibapi': 'tickSize[0].size'}),
    }),
    case('tickGeneric', 176, {
        'version': ('6', {}),  # read by no client
        'reqId': (1002, {'ib_insync': 'tickGeneric[0].reqId', 'ib_async': 'tickGeneric[0].reqId', 'ibapi': 'tickGeneric[0].reqId'}),
        'tickType': (1003, {'ib_insync': 'tickGeneric[0].tickType', 'ib_async': 'tickGeneric[0].tickType', 'ibapi': 'tickGeneric[0].tickType'}),
        'value': (104.25, {'ib_insync': 'tickGeneric[0].value', 'ib_async': 'tickGeneric[0].value', 'ibapi': 'tickGeneric[0].value'}),
    }),
    case('tickString', 176, {
        'version': ('6', {}),  # read by no client
        'reqId': (1002, {'ib_insync': 'tickString[0].reqId', 'ib_async': 'tickString[0].reqId', 'ibapi': 'tickString[0].reqId'}),
        'tickType': (1003, {'ib_insync': 'tickString[0].tickType', 'ib_async': 'tickString[0].tickType', 'ibapi': 'tickString[0].tickType'}),
        'value': ('value-4', {'ib_insync': 'tickString[0].value', 'ib_async': 'tickString[0].value', 'ibapi': 'tickString[0].value'}),
    }),
    case('tickSnapshotEnd', 176, {
        'version': ('1', {}),  # read by no client
        'reqId': (1002, {'ib_insync': 'tickSnapshotEnd[0].reqId', 'ib_async': 'tickSnapshotEnd[0].reqId', 'ibapi': 'tickSnapshotEnd[0].reqId'}),
    }),
    case('marketDataType', 176, {
        'version': ('1', {}),  # read by no client
        'reqId': (1002, {'ib_insync': 'marketDataType[0].reqId', 'ib_async': 'marketDataType[0].reqId', 'ibapi': 'marketDataType[0].reqId'}),
        'marketDataType': (1003, {'ib_insync': 'marketDataType[0].marketDataId', 'ib_async': 'marketDataType[0].marketDataId', 'ibapi': 'marketDataType[0].marketDataType'}),  # check
    }),
    case('tickReqParams', 176, {
        'reqId': (1001, {'ib_insync': 'tickReqParams[0].reqId', 'ib_async': 'tickReqParams[0].reqId', 'ibapi': 'tickReqParams[0].tickerId'}),  # check
        'minTick': (102.25, {'ib_insync': 'tickReqParams[0].minTick', 'ib_async': 'tickReqParams[0].minTick', 'ibapi': 'tickReqParams[0].minTick'}),
        'bboExchange': ('bboExchange-3', {'ib_insync': 'tickReqParams[0].bboExchange', 'ib_async': 'tickReqParams[0].bboExchange', 'ibapi': 'tickReqParams[0].bboExchange'}),
        'snapshotPermissions': (1004, {'ib_insync': 'tickReqParams[0].snapshotPermissions', 'ib_async': 'tickReqParams[0].snapshotPermissions', 'ibapi': 'tickReqParams[0].snapshotPermissions'}),
    }),
    case('tickByTickAllLast', 176, {
        'reqId': (1001, {'ib_insync': 'tickByTickAllLast[0].reqId', 'ib_async': 'tickByTickAllLast[0].reqId', 'ibapi': 'tickByTickAllLast[0].reqId'}),
        'tickType': (2, {'ib_insync': 'tickByTickAllLast[0].tickType', 'ib_async': 'tickByTickAllLast[0].tickType', 'ibapi': 'tickByTickAllLast[0].tickType'}),
        'time': (1003, {'ib_insync': 'tickByTickAllLast[0].time', 'ib_async': 'tickByTickAllLast[0].time', 'ibapi': 'tickByTickAllLast[0].time'}),
        'price': (104.25, {'ib_insync': 'tickByTickAllLast[0].price', 'ib_async': 'tickByTickAllLast[0].price', 'ibapi': 'tickByTickAllLast[0].price'}),
        'size': (505, {'ib_insync': 'tickByTickAllLast[0].size', 'ib_async': 'tickByTickAllLast[0].size', 'ibapi': 'tickByTickAllLast[0].size'}),
        'mask': (1006, {}),  # read by no client
        'exchange': ('exchange-7', {'ib_insync': 'tickByTickAllLast[0].exchange', 'ib_async': 'tickByTickAllLast[0].exchange', 'ibapi': 'tickByTickAllLast[0].exchange'}),
        'specialConditions': ('specialConditions-8', {'ib_insync': 'tickByTickAllLast[0].specialConditions', 'ib_async': 'tickByTickAllLast[0].specialConditions', 'ibapi': 'tickByTickAllLast[0].specialConditions'}),
    }),
    case('tickByTickBidAsk', 176, {
        'reqId': (10002, {'ib_insync': 'tickByTickBidAsk[0].reqId', 'ib_async': 'tickByTickBidAsk[0].reqId', 'ibapi': 'tickByTickBidAsk[0].reqId'}),
        'tickType': (3, {}),  # read by no client
        'time': (1701652523, {'ib_insync': 'tickByTickBidAsk[0].time', 'ib_async': 'tickByTickBidAsk[0].time', 'ibapi': 'tickByTickBidAsk[0].time'}),
        'bidPrice': (1.08733, {'ib_insync': 'tickByTickBidAsk[0].bidPrice', 'ib_async': 'tickByTickBidAsk[0].bidPrice', 'ibapi': 'tickByTickBidAsk[0].bidPrice'}),
        'askPrice': (1.08735, {'ib_insync': 'tickByTickBidAsk[0].askPrice', 'ib_async': 'tickByTickBidAsk[0].askPrice', 'ibapi': 'tickByTickBidAsk[0].askPrice'}),
        'bidSize': (250000.0, {'ib_insync': 'tickByTickBidAsk[0].bidSize', 'ib_async': 'tickByTickBidAsk[0].bidSize', 'ibapi': 'tickByTickBidAsk[0].bidSize'}),
        'askSize': (1500000.0, {'ib_insync': 'tickByTickBidAsk[0].askSize', 'ib_async': 'tickByTickBidAsk[0].askSize', 'ibapi': 'tickByTickBidAsk[0].askSize'}),
        'mask': (0, {}),  # read by no client
    }, capture='nautilus:quote_tick_1#0'),
    case('tickByTickBidAsk', 176, {
        'reqId': (1001, {'ib_insync': 'tickByTickBidAsk[0].reqId', 'ib_async': 'tickByTickBidAsk[0].reqId', 'ibapi': 'tickByTickBidAsk[0].reqId'}),
        'tickType': (3, {}),  # read by no client
        'time': (1003, {'ib_insync': 'tickByTickBidAsk[0].time', 'ib_async': 'tickByTickBidAsk[0].time', 'ibapi': 'tickByTickBidAsk[0].time'}),
        'bidPrice': (104.25, {'ib_insync': 'tickByTickBidAsk[0].bidPrice', 'ib_async': 'tickByTickBidAsk[0].bidPrice', 'ibapi': 'tickByTickBidAsk[0].bidPrice'}),
        'askPrice': (105.25, {'ib_insync': 'tickByTickBidAsk[0].askPrice', 'ib_async': 'tickByTickBidAsk[0].askPrice', 'ibapi': 'tickByTickBidAsk[0].askPrice'}),
        'bidSize': (506, {'ib_insync': 'tickByTickBidAsk[0].bidSize', 'ib_async': 'tickByTickBidAsk[0].bidSize', 'ibapi': 'tickByTickBidAsk[0].bidSize'}),
        'askSize': (507, {'ib_insync': 'tickByTickBidAsk[0].askSize', 'ib_async': 'tickByTickBidAsk[0].askSize', 'ibapi': 'tickByTickBidAsk[0].askSize'}),
        'mask': (1008, {}),  # read by no client
    }),
    case('tickByTickMidPoint', 176, {
        'reqId': (1001, {'ib_insync': 'tickByTickMidPoint[0].reqId', 'ib_async': 'tickByTickMidPoint[0].reqId', 'ibapi': 'tickByTickMidPoint[0].reqId'}),
        'tickType': (4, {}),  # read by no client
        'time': (1003, {'ib_insync': 'tickByTickMidPoint[0].time', 'ib_async': 'tickByTickMidPoint[0].time', 'ibapi': 'tickByTickMidPoint[0].time'}),
        'midPoint': (104.25, {'ib_insync': 'tickByTickMidPoint[0].midPoint', 'ib_async': 'tickByTickMidPoint[0].midPoint', 'ibapi': 'tickByTickMidPoint[0].midPoint'}),
    }),
    case('historicalData', 176, {
        'reqId': (1001, {'ib_insync': 'historicalData[0].reqId', 'ib_async': 'historicalData[0].reqId', 'ibapi': 'historicalData[0].reqId'}),
        'startDateStr': ('startDateStr-2', {'ib_insync': 'historicalDataEnd[0]._start', 'ib_async': 'historicalDataEnd[0]._start', 'ibapi': 'historicalDataEnd[0].start'}),  # check
        'endDateStr': ('endDateStr-3', {'ib_insync': 'historicalDataEnd[0]._end', 'ib_async': 'historicalDataEnd[0]._end', 'ibapi': 'historicalDataEnd[0].end'}),  # check
        'bars[0].date': ('date-4', {'ib_insync': 'historicalData[0].bar.date', 'ib_async': 'historicalData[0].bar.date', 'ibapi': 'historicalData[0].bar.date'}),
        'bars[0].open': (105.25, {'ib_insync': 'historicalData[0].bar.open', 'ib_async': 'historicalData[0].bar.open', 'ibapi': 'historicalData[0].bar.open'}),
        'bars[0].high': (106.25, {'ib_insync': 'historicalData[0].bar.high', 'ib_async': 'historicalData[0].bar.high', 'ibapi': 'historicalData[0].bar.high'}),
        'bars[0].low': (107.25, {'ib_insync': 'historicalData[0].bar.low', 'ib_async': 'historicalData[0].bar.low', 'ibapi': 'historicalData[0].bar.low'}),
        'bars[0].close': (108.25, {'ib_insync': 'historicalData[0].bar.close', 'ib_async': 'historicalData[0].bar.close', 'ibapi': 'historicalData[0].bar.close'}),
        'bars[0].volume': (509, {'ib_insync': 'historicalData[0].bar.volume', 'ib_async': 'historicalData[0].bar.volume', 'ibapi': 'historicalData[0].bar.volume'}),
        'bars[0].wap': (510, {'ib_insync': 'historicalData[0].bar.average', 'ib_async': 'historicalData[0].bar.average', 'ibapi': 'historicalData[0].bar.wap'}),  # check
        'bars[0].barCount': (1011, {'ib_insync': 'historicalData[0].bar.barCount', 'ib_async': 'historicalData[0].bar.barCount', 'ibapi': 'historicalData[0].bar.barCount'}),
        'bars[1].date': ('date-12', {'ib_insync': 'historicalData[1].bar.date', 'ib_async': 'historicalData[1].bar.date', 'ibapi': 'historicalData[1].bar.date'}),
        'bars[1].open': (113.25, {'ib_insync': 'historicalData[1].bar.open', 'ib_async': 'historicalData[1].bar.open', 'ibapi': 'historicalData[1].bar.open'}),
        'bars[1].high': (114.25, {'ib_insync': 'historicalData[1].bar.high', 'ib_async': 'historicalData[1].bar.high', 'ibapi': 'historicalData[1].bar.high'}),
        'bars[1].low': (115.25, {'ib_insync': 'historicalData[1].bar.low', 'ib_async': 'historicalData[1].bar.low', 'ibapi': 'historicalData[1].bar.low'}),
        'bars[1].close': (116.25, {'ib_insync': 'historicalData[1].bar.close', 'ib_async': 'historicalData[1].bar.close', 'ibapi': 'historicalData[1].bar.close'}),
        'bars[1].volume': (517, {'ib_insync': 'historicalData[1].bar.volume', 'ib_async': 'historicalData[1].bar.volume', 'ibapi': 'historicalData[1].bar.volume'}),
        'bars[1].wap': (518, {'ib_insync': 'historicalData[1].bar.average', 'ib_async': 'historicalData[1].bar.average', 'ibapi': 'historicalData[1].bar.wap'}),  # check
        'bars[1].barCount': (1019, {'ib_insync': 'historicalData[1].bar.barCount', 'ib_async': 'historicalData[1].bar.barCount', 'ibapi': 'historicalData[1].bar.barCount'}),
    }),
    case('historicalDataEnd', 196, {
        'reqId': (1001, {'ibapi': 'historicalDataEnd[0].reqId'}),
        'startDateStr': ('startDateStr-2', {'ibapi': 'historicalDataEnd[0].start'}),  # check
        'endDateStr': ('endDateStr-3', {'ibapi': 'historicalDataEnd[0].end'}),  # check
    }),
    case('historicalDataUpdate', 176, {
        'reqId': (1001, {'ib_insync': 'historicalDataUpdate[0].reqId', 'ib_async': 'historicalDataUpdate[0].reqId', 'ibapi': 'historicalDataUpdate[0].reqId'}),
        'barCount': (1002, {'ib_insync': 'historicalDataUpdate[0].bar.barCount', 'ib_async': 'historicalDataUpdate[0].bar.barCount', 'ibapi': 'historicalDataUpdate[0].bar.barCount'}),
        'date': ('date-3', {'ib_insync': 'historicalDataUpdate[0].bar.date', 'ib_async': 'historicalDataUpdate[0].bar.date', 'ibapi': 'historicalDataUpdate[0].bar.date'}),
        'open': (104.25, {'ib_insync': 'historicalDataUpdate[0].bar.open', 'ib_async': 'historicalDataUpdate[0].bar.open', 'ibapi': 'historicalDataUpdate[0].bar.open'}),
        'close': (105.25, {'ib_insync': 'historicalDataUpdate[0].bar.close', 'ib_async': 'historicalDataUpdate[0].bar.close', 'ibapi': 'historicalDataUpdate[0].bar.close'}),
        'high': (106.25, {'ib_insync': 'historicalDataUpdate[0].bar.high', 'ib_async': 'historicalDataUpdate[0].bar.high', 'ibapi': 'historicalDataUpdate[0].bar.high'}),
        'low': (107.25, {'ib_insync': 'historicalDataUpdate[0].bar.low', 'ib_async': 'historicalDataUpdate[0].bar.low', 'ibapi': 'historicalDataUpdate[0].bar.low'}),
        'wap': (508, {'ib_insync': 'historicalDataUpdate[0].bar.average', 'ib_async': 'historicalDataUpdate[0].bar.average', 'ibapi': 'historicalDataUpdate[0].bar.wap'}),  # check
        'volume': (509, {'ib_insync': 'historicalDataUpdate[0].bar.volume', 'ib_async': 'historicalDataUpdate[0].bar.volume', 'ibapi': 'historicalDataUpdate[0].bar.volume'}),
    }),
    case('realtimeBar', 176, {
        'version': ('3', {}),  # read by no client
        'reqId': (1002, {'ib_insync': 'realtimeBar[0].reqId', 'ib_async': 'realtimeBar[0].reqId', 'ibapi': 'realtimeBar[0].reqId'}),
        'time': (1003, {'ib_insync': 'realtimeBar[0].time', 'ib_async': 'realtimeBar[0].time', 'ibapi': 'realtimeBar[0].time'}),
        'open': (104.25, {'ib_insync': 'realtimeBar[0].open_', 'ib_async': 'realtimeBar[0].open_', 'ibapi': 'realtimeBar[0].open_'}),  # check
        'high': (105.25, {'ib_insync': 'realtimeBar[0].high', 'ib_async': 'realtimeBar[0].high', 'ibapi': 'realtimeBar[0].high'}),
        'low': (106.25, {'ib_insync': 'realtimeBar[0].low', 'ib_async': 'realtimeBar[0].low', 'ibapi': 'realtimeBar[0].low'}),
        'close': (107.25, {'ib_insync': 'realtimeBar[0].close', 'ib_async': 'realtimeBar[0].close', 'ibapi': 'realtimeBar[0].close'}),
        'volume': (508, {'ib_insync': 'realtimeBar[0].volume', 'ib_async': 'realtimeBar[0].volume', 'ibapi': 'realtimeBar[0].volume'}),
        'wap': (509, {'ib_insync': 'realtimeBar[0].wap', 'ib_async': 'realtimeBar[0].wap', 'ibapi': 'realtimeBar[0].wap'}),
        'count': (1010, {'ib_insync': 'realtimeBar[0].count', 'ib_async': 'realtimeBar[0].count', 'ibapi': 'realtimeBar[0].count'}),
    }),
    case('headTimestamp', 176, {
        'reqId': (1001, {'ib_insync': 'headTimestamp[0].reqId', 'ib_async': 'headTimestamp[0].reqId', 'ibapi': 'headTimestamp[0].reqId'}),
        'headTimestamp': ('headTimestamp-2', {'ib_insync': 'headTimestamp[0].headTimestamp', 'ib_async': 'headTimestamp[0].headTimestamp', 'ibapi': 'headTimestamp[0].headTimestamp'}),
    }),
    case('historicalSchedule', 176, {
        'reqId': (1001, {'ib_insync': 'historicalSchedule[0].reqId', 'ib_async': 'historicalSchedule[0].reqId', 'ibapi': 'historicalSchedule[0].reqId'}),
        'startDateTime': ('startDateTime-2', {'ib_insync': 'historicalSchedule[0].startDateTime', 'ib_async': 'historicalSchedule[0].startDateTime', 'ibapi': 'historicalSchedule[0].startDateTime'}),
        'endDateTime': ('endDateTime-3', {'ib_insync': 'historicalSchedule[0].endDateTime', 'ib_async': 'historicalSchedule[0].endDateTime', 'ibapi': 'historicalSchedule[0].endDateTime'}),
        'timeZone': ('timeZone-4', {'ib_insync': 'historicalSchedule[0].timeZone', 'ib_async': 'historicalSchedule[0].timeZone', 'ibapi': 'historicalSchedule[0].timeZone'}),
        'sessions[0].startDateTime': ('startDateTime-5', {'ib_insync': 'historicalSchedule[0].sessions[0].startDateTime', 'ib_async': 'historicalSchedule[0].sessions[0].startDateTime', 'ibapi': 'historicalSchedule[0].sessions[0].startDateTime'}),
        'sessions[0].endDateTime': ('endDateTime-6', {'ib_insync': 'historicalSchedule[0].sessions[0].endDateTime', 'ib_async': 'historicalSchedule[0].sessions[0].endDateTime', 'ibapi': 'historicalSchedule[0].sessions[0].endDateTime'}),
        'sessions[0].refDate': ('refDate-7', {'ib_insync': 'historicalSchedule[0].sessions[0].refDate', 'ib_async': 'historicalSchedule[0].sessions[0].refDate', 'ibapi': 'historicalSchedule[0].sessions[0].refDate'}),
        'sessions[1].startDateTime': ('startDateTime-8', {'ib_insync': 'historicalSchedule[0].sessions[1].startDateTime', 'ib_async': 'historicalSchedule[0].sessions[1].startDateTime', 'ibapi': 'historicalSchedule[0].sessions[1].startDateTime'}),
        'sessions[1].endDateTime': ('endDateTime-9', {'ib_insync': 'historicalSchedule[0].sessions[1].endDateTime', 'ib_async': 'historicalSchedule[0].sessions[1].endDateTime', 'ibapi': 'historicalSchedule[0].sessions[1].endDateTime'}),
        'sessions[1].refDate': ('refDate-10', {'ib_insync': 'historicalSchedule[0].sessions[1].refDate', 'ib_async': 'historicalSchedule[0].sessions[1].refDate', 'ibapi': 'historicalSchedule[0].sessions[1].refDate'}),
    }),
    case('pnl', 176, {
        'reqId': (1001, {'ib_insync': 'pnl[0].reqId', 'ib_async': 'pnl[0].reqId', 'ibapi': 'pnl[0].reqId'}),
        'dailyPnL': (102.25, {'ib_insync': 'pnl[0].dailyPnL', 'ib_async': 'pnl[0].dailyPnL', 'ibapi': 'pnl[0].dailyPnL'}),
        'unrealizedPnL': (103.25, {'ib_insync': 'pnl[0].unrealizedPnL', 'ib_async': 'pnl[0].unrealizedPnL', 'ibapi': 'pnl[0].unrealizedPnL'}),
        'realizedPnL': (104.25, {'ib_insync': 'pnl[0].realizedPnL', 'ib_async': 'pnl[0].realizedPnL', 'ibapi': 'pnl[0].realizedPnL'}),
    }),
    case('pnlSingle', 176, {
        'reqId': (1001, {'ib_insync': 'pnlSingle[0].reqId', 'ib_async': 'pnlSingle[0].reqId', 'ibapi': 'pnlSingle[0].reqId'}),
        'pos': (502, {'ib_insync': 'pnlSingle[0].pos', 'ib_async': 'pnlSingle[0].pos', 'ibapi': 'pnlSingle[0].pos'}),
        'dailyPnL': (103.25, {'ib_insync': 'pnlSingle[0].dailyPnL', 'ib_async': 'pnlSingle[0].dailyPnL', 'ibapi': 'pnlSingle[0].dailyPnL'}),
        'unrealizedPnL': (104.25, {'ib_insync': 'pnlSingle[0].unrealizedPnL', 'ib_async': 'pnlSingle[0].unrealizedPnL', 'ibapi': 'pnlSingle[0].unrealizedPnL'}),
        'realizedPnL': (105.25, {'ib_insync': 'pnlSingle[0].realizedPnL', 'ib_async': 'pnlSingle[0].realizedPnL', 'ibapi': 'pnlSingle[0].realizedPnL'}),
        'value': (106.25, {'ib_insync': 'pnlSingle[0].value', 'ib_async': 'pnlSingle[0].value', 'ibapi': 'pnlSingle[0].value'}),
    }),
    case('symbolSamples', 176, {
        'reqId': (1001, {'ib_insync': 'symbolSamples[0].reqId', 'ib_async': 'symbolSamples[0].reqId', 'ibapi': 'symbolSamples[0].reqId'}),
        'contractDescriptions[0].conId': (1002, {'ib_insync': 'symbolSamples[0].contractDescriptions[0].contract.conId', 'ib_async': 'symbolSamples[0].contractDescriptions[0].contract.conId', 'ibapi': 'symbolSamples[0].contractDescriptions[0].contract.conId'}),
        'contractDescriptions[0].symbol': ('symbol-3', {'ib_insync': 'symbolSamples[0].contractDescriptions[0].contract.symbol', 'ib_async': 'symbolSamples[0].contractDescriptions[0].contract.symbol', 'ibapi': 'symbolSamples[0].contractDescriptions[0].contract.symbol'}),
        'contractDescriptions[0].secType': ('secType-4', {'ib_insync': 'symbolSamples[0].contractDescriptions[0].contract.secType', 'ib_async': 'symbolSamples[0].contractDescriptions[0].contract.secType', 'ibapi': 'symbolSamples[0].contractDescriptions[0].contract.secType'}),
        'contractDescriptions[0].primaryExchange': ('primaryExchange-5', {'ib_insync': 'symbolSamples[0].contractDescriptions[0].contract.primaryExchange', 'ib_async': 'symbolSamples[0].contractDescriptions[0].contract.primaryExchange', 'ibapi': 'symbolSamples[0].contractDescriptions[0].contract.primaryExchange'}),
        'contractDescriptions[0].currency': ('currency-6', {'ib_insync': 'symbolSamples[0].contractDescriptions[0].contract.currency', 'ib_async': 'symbolSamples[0].contractDescriptions[0].contract.currency', 'ibapi': 'symbolSamples[0].contractDescriptions[0].contract.currency'}),
        'contractDescriptions[0].derivativeSecTypes': ('derivativeSecTypes-7', {}),  # read by no client
        'contractDescriptions[0].description': ('description-8', {'ib_insync': 'symbolSamples[0].contractDescriptions[0].contract.description', 'ib_async': 'symbolSamples[0].contractDescriptions[0].contract.description', 'ibapi': 'symbolSamples[0].contractDescriptions[0].contract.description'}),
        'contractDescriptions[0].issuerId': ('issuerId-9', {'ib_insync': 'symbolSamples[0].contractDescriptions[0].contract.issuerId', 'ib_async': 'symbolSamples[0].contractDescriptions[0].contract.issuerId', 'ibapi': 'symbolSamples[0].contractDescriptions[0].contract.issuerId'}),
        'contractDescriptions[1].conId': (1010, {'ib_insync': 'symbolSamples[0].contractDescriptions[1].contract.conId', 'ib_async': 'symbolSamples[0].contractDescriptions[1].contract.conId', 'ibapi': 'symbolSamples[0].contractDescriptions[1].contract.conId'}),
        'contractDescriptions[1].symbol': ('symbol-11', {'ib_insync': 'symbolSamples[0].contractDescriptions[1].contract.symbol', 'ib_async': 'symbolSamples[0].contractDescriptions[1].contract.symbol', 'ibapi': 'symbolSamples[0].contractDescriptions[1].contract.symbol'}),
        'contractDescriptions[1].secType': ('secType-12', {'ib_insync': 'symbolSamples[0].contractDescriptions[1].contract.secType', 'ib_async': 'symbolSamples[0].contractDescriptions[1].contract.secType', 'ibapi': 'symbolSamples[0].contractDescriptions[1].contract.secType'}),
        'contractDescriptions[1].primaryExchange': ('primaryExchange-13', {'ib_insync': 'symbolSamples[0].contractDescriptions[1].contract.primaryExchange', 'ib_async': 'symbolSamples[0].contractDescriptions[1].contract.primaryExchange', 'ibapi': 'symbolSamples[0].contractDescriptions[1].contract.primaryExchange'}),
        'contractDescriptions[1].currency': ('currency-14', {'ib_insync': 'symbolSamples[0].contractDescriptions[1].contract.currency', 'ib_async': 'symbolSamples[0].contractDescriptions[1].contract.currency', 'ibapi': 'symbolSamples[0].contractDescriptions[1].contract.currency'}),
        'contractDescriptions[1].derivativeSecTypes': ('derivativeSecTypes-15', {}),  # read by no client
        'contractDescriptions[1].description': ('description-16', {'ib_insync': 'symbolSamples[0].contractDescriptions[1].contract.description', 'ib_async': 'symbolSamples[0].contractDescriptions[1].contract.description', 'ibapi': 'symbolSamples[0].contractDescriptions[1].contract.description'}),
        'contractDescriptions[1].issuerId': ('issuerId-17', {'ib_insync': 'symbolSamples[0].contractDescriptions[1].contract.issuerId', 'ib_async': 'symbolSamples[0].contractDescriptions[1].contract.issuerId', 'ibapi': 'symbolSamples[0].contractDescriptions[1].contract.issuerId'}),
    }),
]
