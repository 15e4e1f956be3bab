"""Layout cases: execDetails, commissionReport, execDetailsEnd.

Each slot: (value, {client: the field of that client's decoded callback that must hold it}).
Drafted with ``python -m tests.conformance.generate_cases`` and reviewed; see layout_cases.py.
"""

from tests.conformance.layout_cases import case

CASES = [
    case('execDetails', 176, {
        'reqId': (-1, {'ib_insync': 'execDetails[0].reqId', 'ib_async': 'execDetails[0].reqId', 'ibapi': 'execDetails[0].reqId'}),
        'orderId': (215, {'ib_insync': 'execDetails[0].execution.orderId', 'ib_async': 'execDetails[0].execution.orderId', 'ibapi': 'execDetails[0].execution.orderId'}),
        'conId': (12087792, {'ib_insync': 'execDetails[0].contract.conId', 'ib_async': 'execDetails[0].contract.conId', 'ibapi': 'execDetails[0].contract.conId'}),
        'symbol': ('EUR', {'ib_insync': 'execDetails[0].contract.symbol', 'ib_async': 'execDetails[0].contract.symbol', 'ibapi': 'execDetails[0].contract.symbol'}),
        'secType': ('CASH', {'ib_insync': 'execDetails[0].contract.secType', 'ib_async': 'execDetails[0].contract.secType', 'ibapi': 'execDetails[0].contract.secType'}),
        'lastTradeDateOrContractMonth': ('', {'ib_insync': 'execDetails[0].contract.lastTradeDateOrContractMonth', 'ib_async': 'execDetails[0].contract.lastTradeDateOrContractMonth', 'ibapi': 'execDetails[0].contract.lastTradeDateOrContractMonth'}),
        'strike': (0.0, {'ib_insync': 'execDetails[0].contract.strike', 'ib_async': 'execDetails[0].contract.strike', 'ibapi': 'execDetails[0].contract.strike'}),
        'right': ('', {'ib_insync': 'execDetails[0].contract.right', 'ib_async': 'execDetails[0].contract.right', 'ibapi': 'execDetails[0].contract.right'}),
        'multiplier': ('', {'ib_insync': 'execDetails[0].contract.multiplier', 'ib_async': 'execDetails[0].contract.multiplier', 'ibapi': 'execDetails[0].contract.multiplier'}),
        'exchange': ('IDEALPRO', {'ib_insync': 'execDetails[0].contract.exchange', 'ib_async': 'execDetails[0].contract.exchange', 'ibapi': 'execDetails[0].contract.exchange'}),
        'currency': ('USD', {'ib_insync': 'execDetails[0].contract.currency', 'ib_async': 'execDetails[0].contract.currency', 'ibapi': 'execDetails[0].contract.currency'}),
        'localSymbol': ('EUR.USD', {'ib_insync': 'execDetails[0].contract.localSymbol', 'ib_async': 'execDetails[0].contract.localSymbol', 'ibapi': 'execDetails[0].contract.localSymbol'}),
        'tradingClass': ('EUR.USD', {'ib_insync': 'execDetails[0].contract.tradingClass', 'ib_async': 'execDetails[0].contract.tradingClass', 'ibapi': 'execDetails[0].contract.tradingClass'}),
        'execId': ('0000e215.656d0000.01.01', {'ib_insync': 'execDetails[0].execution.execId', 'ib_async': 'execDetails[0].execution.execId', 'ibapi': 'execDetails[0].execution.execId'}),
        'time': ('20231203 20:15:20 US/Eastern', {'ibapi': 'execDetails[0].execution.time'}),
        'acctNumber': ('DU1234567', {'ib_insync': 'execDetails[0].execution.acctNumber', 'ib_async': 'execDetails[0].execution.acctNumber', 'ibapi': 'execDetails[0].execution.acctNumber'}),
        'execExchange': ('IDEALPRO', {}),  # read by no client
        'side': ('BOT', {'ib_insync': 'execDetails[0].execution.side', 'ib_async': 'execDetails[0].execution.side', 'ibapi': 'execDetails[0].execution.side'}),
        'shares': (1000.0, {'ib_insync': 'execDetails[0].execution.shares', 'ib_async': 'execDetails[0].execution.shares', 'ibapi': 'execDetails[0].execution.shares'}),
        'price': (1.08735, {'ib_insync': 'execDetails[0].execution.price', 'ib_async': 'execDetails[0].execution.price', 'ibapi': 'execDetails[0].execution.price'}),
        'permId': (1351823368, {'ib_insync': 'execDetails[0].execution.permId', 'ib_async': 'execDetails[0].execution.permId', 'ibapi': 'execDetails[0].execution.permId'}),
        'clientId': (2, {'ib_insync': 'execDetails[0].execution.clientId', 'ib_async': 'execDetails[0].execution.clientId', 'ibapi': 'execDetails[0].execution.clientId'}),
        'liquidation': (0, {'ib_insync': 'execDetails[0].execution.liquidation', 'ib_async': 'execDetails[0].execution.liquidation', 'ibapi': 'execDetails[0].execution.liquidation'}),
        'cumQty': (1000.0, {'ib_insync': 'execDetails[0].execution.cumQty', 'ib_async': 'execDetails[0].execution.cumQty', 'ibapi': 'execDetails[0].execution.cumQty'}),
        'avgPrice': (1.08735, {'ib_insync': 'execDetails[0].execution.avgPrice', 'ib_async': 'execDetails[0].execution.avgPrice', 'ibapi': 'execDetails[0].execution.avgPrice'}),
        'orderRef': ('O-20231204-0115-001-000-3:215', {'ib_insync': 'execDetails[0].execution.orderRef', 'ib_async': 'execDetails[0].execution.orderRef', 'ibapi': 'execDetails[0].execution.orderRef'}),
        'evRule': ('', {'ib_insync': 'execDetails[0].execution.evRule', 'ib_async': 'execDetails[0].execution.evRule', 'ibapi': 'execDetails[0].execution.evRule'}),
        'evMultiplier': ('', {}),  # read by no client
        'modelCode': ('', {'ib_insync': 'execDetails[0].execution.modelCode', 'ib_async': 'execDetails[0].execution.modelCode', 'ibapi': 'execDetails[0].execution.modelCode'}),
        'lastLiquidity': (2, {'ib_insync': 'execDetails[0].execution.lastLiquidity', 'ib_async': 'execDetails[0].execution.lastLiquidity', 'ibapi': 'execDetails[0].execution.lastLiquidity'}),
    }, capture='nautilus:execution_details_1#0'),
    case('execDetails', 176, {
        'reqId': (1001, {'ib_insync': 'execDetails[0].reqId', 'ib_async': 'execDetails[0].reqId', 'ibapi': 'execDetails[0].reqId'}),
        'orderId': (1002, {'ib_insync': 'execDetails[0].execution.orderId', 'ib_async': 'execDetails[0].execution.orderId', 'ibapi': 'execDetails[0].execution.orderId'}),
        'conId': (1003, {'ib_insync': 'execDetails[0].contract.conId', 'ib_async': 'execDetails[0].contract.conId', 'ibapi': 'execDetails[0].contract.conId'}),
        'symbol': ('symbol-4', {'ib_insync': 'execDetails[0].contract.symbol', 'ib_async': 'execDetails[0].contract.symbol', 'ibapi': 'execDetails[0].contract.symbol'}),
        'secType': ('STK', {'ib_insync': 'execDetails[0].contract.secType', 'ib_async': 'execDetails[0].contract.secType', 'ibapi': 'execDetails[0].contract.secType'}),
        'lastTradeDateOrContractMonth': ('lastTradeDateOrContractMonth-6', {'ib_insync': 'execDetails[0].contract.lastTradeDateOrContractMonth', 'ib_async': 'execDetails[0].contract.lastTradeDateOrContractMonth', 'ibapi': 'execDetails[0].contract.lastTradeDateOrContractMonth'}),
        'strike': (107.25, {'ib_insync': 'execDetails[0].contract.strike', 'ib_async': 'execDetails[0].contract.strike', 'ibapi': 'execDetails[0].contract.strike'}),
        'right': ('right-8', {'ib_insync': 'execDetails[0].contract.right', 'ib_async': 'execDetails[0].contract.right', 'ibapi': 'execDetails[0].contract.right'}),
        'multiplier': ('multiplier-9', {'ib_insync': 'execDetails[0].contract.multiplier', 'ib_async': 'execDetails[0].contract.multiplier', 'ibapi': 'execDetails[0].contract.multiplier'}),
        'exchange': ('exchange-10', {'ib_insync': 'execDetails[0].contract.exchange', 'ib_async': 'execDetails[0].contract.exchange', 'ibapi': 'execDetails[0].contract.exchange'}),
        'currency': ('currency-11', {'ib_insync': 'execDetails[0].contract.currency', 'ib_async': 'execDetails[0].contract.currency', 'ibapi': 'execDetails[0].contract.currency'}),
        'localSymbol': ('localSymbol-12', {'ib_insync': 'execDetails[0].contract.localSymbol', 'ib_async': 'execDetails[0].contract.localSymbol', 'ibapi': 'execDetails[0].contract.localSymbol'}),
        'tradingClass': ('tradingClass-13', {'ib_insync': 'execDetails[0].contract.tradingClass', 'ib_async': 'execDetails[0].contract.tradingClass', 'ibapi': 'execDetails[0].contract.tradingClass'}),
        'execId': ('execId-14', {'ib_insync': 'execDetails[0].execution.execId', 'ib_async': 'execDetails[0].execution.execId', 'ibapi': 'execDetails[0].execution.execId'}),
        'time': ('20261130 10:15:30 US/Eastern', {'ibapi': 'execDetails[0].execution.time'}),
        'acctNumber': ('acctNumber-16', {'ib_insync': 'execDetails[0].execution.acctNumber', 'ib_async': 'execDetails[0].execution.acctNumber', 'ibapi': 'execDetails[0].execution.acctNumber'}),
        'execExchange': ('execExchange-17', {'ib_insync': 'execDetails[0].execution.exchange', 'ib_async': 'execDetails[0].execution.exchange', 'ibapi': 'execDetails[0].execution.exchange'}),  # check
        'side': ('side-18', {'ib_insync': 'execDetails[0].execution.side', 'ib_async': 'execDetails[0].execution.side', 'ibapi': 'execDetails[0].execution.side'}),
        'shares': (519, {'ib_insync': 'execDetails[0].execution.shares', 'ib_async': 'execDetails[0].execution.shares', 'ibapi': 'execDetails[0].execution.shares'}),
        'price': (120.25, {'ib_insync': 'execDetails[0].execution.price', 'ib_async': 'execDetails[0].execution.price', 'ibapi': 'execDetails[0].execution.price'}),
        'permId': (1021, {'ib_insync': 'execDetails[0].execution.permId', 'ib_async': 'execDetails[0].execution.permId', 'ibapi': 'execDetails[0].execution.permId'}),
        'clientId': (1022, {'ib_insync': 'execDetails[0].execution.clientId', 'ib_async': 'execDetails[0].execution.clientId', 'ibapi': 'execDetails[0].execution.clientId'}),
        'liquidation': (1023, {'ib_insync': 'execDetails[0].execution.liquidation', 'ib_async': 'execDetails[0].execution.liquidation', 'ibapi': 'execDetails[0].execution.liquidation'}),
        'cumQty': (524, {'ib_insync': 'execDetails[0].execution.cumQty', 'ib_async': 'execDetails[0].execution.cumQty', 'ibapi': 'execDetails[0].execution.cumQty'}),
        'avgPrice': (125.25, {'ib_insync': 'execDetails[0].execution.avgPrice', 'ib_async': 'execDetails[0].execution.avgPrice', 'ibapi': 'execDetails[0].execution.avgPrice'}),
        'orderRef': ('orderRef-26', {'ib_insync': 'execDetails[0].execution.orderRef', 'ib_async': 'execDetails[0].execution.orderRef', 'ibapi': 'execDetails[0].execution.orderRef'}),
        'evRule': ('evRule-27', {'ib_insync': 'execDetails[0].execution.evRule', 'ib_async': 'execDetails[0].execution.evRule', 'ibapi': 'execDetails[0].execution.evRule'}),
        'evMultiplier': (128.25, {'ib_insync': 'execDetails[0].execution.evMultiplier', 'ib_async': 'execDetails[0].execution.evMultiplier', 'ibapi': 'execDetails[0].execution.evMultiplier'}),
        'modelCode': ('modelCode-29', {'ib_insync': 'execDetails[0].execution.modelCode', 'ib_async': 'execDetails[0].execution.modelCode', 'ibapi': 'execDetails[0].execution.modelCode'}),
        'lastLiquidity': (1030, {'ib_insync': 'execDetails[0].execution.lastLiquidity', 'ib_async': 'execDetails[0].execution.lastLiquidity', 'ibapi': 'execDetails[0].execution.lastLiquidity'}),
    }),
    case('commissionReport', 176, {
        'version': ('1', {}),  # read by no client
        'execId': ('0000e215.656d0002.01.01', {'ib_insync': 'commissionReport[0].commissionReport.execId', 'ib_async': 'commissionReport[0].commissionReport.execId', 'ibapi': 'commissionAndFeesReport[0].commissionAndFeesReport.execId'}),
        'commission': (2.5, {'ib_insync': 'commissionReport[0].commissionReport.commission', 'ib_async': 'commissionReport[0].commissionReport.commission', 'ibapi': 'commissionAndFeesReport[0].commissionAndFeesReport.commissionAndFees'}),  # check
        'currency': ('USD', {'ib_insync': 'commissionReport[0].commissionReport.currency', 'ib_async': 'commissionReport[0].commissionReport.currency', 'ibapi': 'commissionAndFeesReport[0].commissionAndFeesReport.currency'}),
        'realizedPNL': (1.7976931348623157e+308, {'ib_insync': 'commissionReport[0].commissionReport.realizedPNL', 'ib_async': 'commissionReport[0].commissionReport.realizedPNL', 'ibapi': 'commissionAndFeesReport[0].commissionAndFeesReport.realizedPNL'}),
        'yield': (1.7976931348623157e+308, {}),  # read by no client
        'yieldRedemptionDate': ('', {}),  # read by no client
    }, capture='nautilus:commission_report_1#0'),
    case('commissionReport', 176, {
        'version': ('1', {}),  # read by no client
        'execId': ('execId-2', {'ib_insync': 'commissionReport[0].commissionReport.execId', 'ib_async': 'commissionReport[0].commissionReport.execId', 'ibapi': 'commissionAndFeesReport[0].commissionAndFeesReport.execId'}),
        'commission': (103.25, {'ib_insync': 'commissionReport[0].commissionReport.commission', 'ib_async': 'commissionReport[0].commissionReport.commission', 'ibapi': 'commissionAndFeesReport[0].commissionAndFeesReport.commissionAndFees'}),  # check
        'currency': ('currency-4', {'ib_insync': 'commissionReport[0].commissionReport.currency', 'ib_async': 'commissionReport[0].commissionReport.currency', 'ibapi': 'commissionAndFeesReport[0].commissionAndFeesReport.currency'}),
        'realizedPNL': (105.25, {'ib_insync': 'commissionReport[0].commissionReport.realizedPNL', 'ib_async': 'commissionReport[0].commissionReport.realizedPNL', 'ibapi': 'commissionAndFeesReport[0].commissionAndFeesReport.realizedPNL'}),
        'yield': (106.25, {'ib_insync': 'commissionReport[0].commissionReport.yield_', 'ib_async': 'commissionReport[0].commissionReport.yield_', 'ibapi': 'commissionAndFeesReport[0].commissionAndFeesReport.yield_'}),  # check
        'yieldRedemptionDate': (1007, {'ib_insync': 'commissionReport[0].commissionReport.yieldRedemptionDate', 'ib_async': 'commissionReport[0].commissionReport.yieldRedemptionDate', 'ibapi': 'commissionAndFeesReport[0].commissionAndFeesReport.yieldRedemptionDate'}),
    }),
    case('execDetailsEnd', 176, {
        'version': ('1', {}),  # read by no client
        'reqId': (185, {'ib_insync': 'execDetailsEnd[0].reqId', 'ib_async': 'execDetailsEnd[0].reqId', 'ibapi': 'execDetailsEnd[0].reqId'}),
    }, capture='encertai[3]#0'),
    case('execDetailsEnd', 176, {
        'version': ('1', {}),  # read by no client
        'reqId': (1002, {'ib_insync': 'execDetailsEnd[0].reqId', 'ib_async': 'execDetailsEnd[0].reqId', 'ibapi': 'execDetailsEnd[0].reqId'}),
    }),
]
