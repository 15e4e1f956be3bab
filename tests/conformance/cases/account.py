"""Layout cases: account values, portfolio, positions, account summary and their ends.

Each slot: (value, {client: the field of that client's decoded callback that must hold it}).
Drafted with ``python -m tests.conformance.generate_cases`` and reviewed; see layout_cases.py.
"""

from tests.conformance.layout_cases import case

CASES = [
    case('acctValue', 176, {
        'version': ('2', {}),  # read by no client
        'key': ('AccountCode', {'ib_insync': 'updateAccountValue[0].tag', 'ib_async': 'updateAccountValue[0].tag', 'ibapi': 'updateAccountValue[0].key'}),  # check
        'value': ('DU0000001', {}),  # read by no client
        'currency': ('', {'ib_insync': 'updateAccountValue[0].currency', 'ib_async': 'updateAccountValue[0].currency', 'ibapi': 'updateAccountValue[0].currency'}),
        'accountName': ('DU0000001', {'ibapi': 'updateAccountValue[0].accountName'}),
    }, capture='encertai[2]#3'),
    case('acctValue', 176, {
        'version': ('2', {}),  # read by no client
        'key': ('key-2', {'ib_insync': 'updateAccountValue[0].tag', 'ib_async': 'updateAccountValue[0].tag', 'ibapi': 'updateAccountValue[0].key'}),  # check
        'value': ('value-3', {'ib_insync': 'updateAccountValue[0].val', 'ib_async': 'updateAccountValue[0].val', 'ibapi': 'updateAccountValue[0].val'}),  # check
        'currency': ('currency-4', {'ib_insync': 'updateAccountValue[0].currency', 'ib_async': 'updateAccountValue[0].currency', 'ibapi': 'updateAccountValue[0].currency'}),
        'accountName': ('accountName-5', {'ib_insync': 'updateAccountValue[0].account', 'ib_async': 'updateAccountValue[0].account', 'ibapi': 'updateAccountValue[0].accountName'}),  # check
    }),
    case('portfolioValue', 176, {
        'version': ('8', {}),  # read by no client
        'conId': (1002, {'ib_insync': 'updatePortfolio[0].contract.conId', 'ib_async': 'updatePortfolio[0].contract.conId', 'ibapi': 'updatePortfolio[0].contract.conId'}),
        'symbol': ('symbol-3', {'ib_insync': 'updatePortfolio[0].contract.symbol', 'ib_async': 'updatePortfolio[0].contract.symbol', 'ibapi': 'updatePortfolio[0].contract.symbol'}),
        'secType': ('secType-4', {'ib_insync': 'updatePortfolio[0].contract.secType', 'ib_async': 'updatePortfolio[0].contract.secType', 'ibapi': 'updatePortfolio[0].contract.secType'}),
        'lastTradeDateOrContractMonth': ('lastTradeDateOrContractMonth-5', {'ib_insync': 'updatePortfolio[0].contract.lastTradeDateOrContractMonth', 'ib_async': 'updatePortfolio[0].contract.lastTradeDateOrContractMonth', 'ibapi': 'updatePortfolio[0].contract.lastTradeDateOrContractMonth'}),
        'strike': (106.25, {'ib_insync': 'updatePortfolio[0].contract.strike', 'ib_async': 'updatePortfolio[0].contract.strike', 'ibapi': 'updatePortfolio[0].contract.strike'}),
        'right': ('right-7', {'ib_insync': 'updatePortfolio[0].contract.right', 'ib_async': 'updatePortfolio[0].contract.right', 'ibapi': 'updatePortfolio[0].contract.right'}),
        'multiplier': ('multiplier-8', {'ib_insync': 'updatePortfolio[0].contract.multiplier', 'ib_async': 'updatePortfolio[0].contract.multiplier', 'ibapi': 'updatePortfolio[0].contract.multiplier'}),
        'primaryExchange': ('primaryExchange-9', {'ib_insync': 'updatePortfolio[0].contract.primaryExchange', 'ib_async': 'updatePortfolio[0].contract.primaryExchange', 'ibapi': 'updatePortfolio[0].contract.primaryExchange'}),
        'currency': ('currency-10', {'ib_insync': 'updatePortfolio[0].contract.currency', 'ib_async': 'updatePortfolio[0].contract.currency', 'ibapi': 'updatePortfolio[0].contract.currency'}),
        'localSymbol': ('localSymbol-11', {'ib_insync': 'updatePortfolio[0].contract.localSymbol', 'ib_async': 'updatePortfolio[0].contract.localSymbol', 'ibapi': 'updatePortfolio[0].contract.localSymbol'}),
        'tradingClass': ('tradingClass-12', {'ib_insync': 'updatePortfolio[0].contract.tradingClass', 'ib_async': 'updatePortfolio[0].contract.tradingClass', 'ibapi': 'updatePortfolio[0].contract.tradingClass'}),
        'position': (513, {'ib_insync': 'updatePortfolio[0].posSize', 'ib_async': 'updatePortfolio[0].posSize', 'ibapi': 'updatePortfolio[0].position'}),  # check
        'marketPrice': (114.25, {'ib_insync': 'updatePortfolio[0].marketPrice', 'ib_async': 'updatePortfolio[0].marketPrice', 'ibapi': 'updatePortfolio[0].marketPrice'}),
        'marketValue': (115.25, {'ib_insync': 'updatePortfolio[0].marketValue', 'ib_async': 'updatePortfolio[0].marketValue', 'ibapi': 'updatePortfolio[0].marketValue'}),
        'averageCost': (116.25, {'ib_insync': 'updatePortfolio[0].averageCost', 'ib_async': 'updatePortfolio[0].averageCost', 'ibapi': 'updatePortfolio[0].averageCost'}),
        'unrealizedPNL': (117.25, {'ib_insync': 'updatePortfolio[0].unrealizedPNL', 'ib_async': 'updatePortfolio[0].unrealizedPNL', 'ibapi': 'updatePortfolio[0].unrealizedPNL'}),
        'realizedPNL': (118.25, {'ib_insync': 'updatePortfolio[0].realizedPNL', 'ib_async': 'updatePortfolio[0].realizedPNL', 'ibapi': 'updatePortfolio[0].realizedPNL'}),
        'accountName': ('accountName-19', {'ib_insync': 'updatePortfolio[0].account', 'ib_async': 'updatePortfolio[0].account', 'ibapi': 'updatePortfolio[0].accountName'}),  # check
    }),
    case('acctUpdateTime', 176, {
        'version': ('1', {}),  # read by no client
        'timeStamp': ('05:05', {'ib_insync': 'updateAccountTime[0].timestamp', 'ib_async': 'updateAccountTime[0].timestamp', 'ibapi': 'updateAccountTime[0].timeStamp'}),  # check
    }, capture='encertai[2]#156'),
    case('acctUpdateTime', 176, {
        'version': ('1', {}),  # read by no client
        'timeStamp': ('timeStamp-2', {'ib_insync': 'updateAccountTime[0].timestamp', 'ib_async': 'updateAccountTime[0].timestamp', 'ibapi': 'updateAccountTime[0].timeStamp'}),  # check
    }),
    case('acctDownloadEnd', 176, {
        'version': ('1', {}),  # read by no client
        'accountName': ('DU0000001', {'ib_insync': 'accountDownloadEnd[0]._account', 'ib_async': 'accountDownloadEnd[0]._account', 'ibapi': 'accountDownloadEnd[0].accountName'}),  # check
    }, capture='encertai[2]#157'),
    case('acctDownloadEnd', 176, {
        'version': ('1', {}),  # read by no client
        'accountName': ('accountName-2', {'ib_insync': 'accountDownloadEnd[0]._account', 'ib_async': 'accountDownloadEnd[0]._account', 'ibapi': 'accountDownloadEnd[0].accountName'}),  # check
    }),
    case('position', 176, {
        'version': ('3', {}),  # read by no client
        'account': ('DU1234567', {'ib_insync': 'position[0].account', 'ib_async': 'position[0].account', 'ibapi': 'position[0].account'}),
        'conId': (479624278, {'ib_insync': 'position[0].contract.conId', 'ib_async': 'position[0].contract.conId', 'ibapi': 'position[0].contract.conId'}),
        'symbol': ('BTC', {'ib_insync': 'position[0].contract.symbol', 'ib_async': 'position[0].contract.symbol', 'ibapi': 'position[0].contract.symbol'}),
        'secType': ('CRYPTO', {'ib_insync': 'position[0].contract.secType', 'ib_async': 'position[0].contract.secType', 'ibapi': 'position[0].contract.secType'}),
        'lastTradeDateOrContractMonth': ('', {'ib_insync': 'position[0].contract.lastTradeDateOrContractMonth', 'ib_async': 'position[0].contract.lastTradeDateOrContractMonth', 'ibapi': 'position[0].contract.lastTradeDateOrContractMonth'}),
        'strike': (0.0, {'ib_insync': 'position[0].contract.strike', 'ib_async': 'position[0].contract.strike', 'ibapi': 'position[0].contract.strike'}),
        'right': ('', {'ib_insync': 'position[0].contract.right', 'ib_async': 'position[0].contract.right', 'ibapi': 'position[0].contract.right'}),
        'multiplier': ('', {'ib_insync': 'position[0].contract.multiplier', 'ib_async': 'position[0].contract.multiplier', 'ibapi': 'position[0].contract.multiplier'}),
        'exchange': ('', {'ib_insync': 'position[0].contract.exchange', 'ib_async': 'position[0].contract.exchange', 'ibapi': 'position[0].contract.exchange'}),
        'currency': ('USD', {'ib_insync': 'position[0].contract.currency', 'ib_async': 'position[0].contract.currency', 'ibapi': 'position[0].contract.currency'}),
        'localSymbol': ('BTC.USD', {'ib_insync': 'position[0].contract.localSymbol', 'ib_async': 'position[0].contract.localSymbol', 'ibapi': 'position[0].contract.localSymbol'}),
        'tradingClass': ('BTC', {'ib_insync': 'position[0].contract.tradingClass', 'ib_async': 'position[0].contract.tradingClass', 'ibapi': 'position[0].contract.tradingClass'}),
        'position': (1.24115341, {'ib_insync': 'position[0].posSize', 'ib_async': 'position[0].posSize', 'ibapi': 'position[0].position'}),  # check
        'avgCost': (37950.0114333, {'ib_insync': 'position[0].avgCost', 'ib_async': 'position[0].avgCost', 'ibapi': 'position[0].avgCost'}),
    }, capture='nautilus:open_positions#0'),
    case('position', 176, {
        'version': ('3', {}),  # read by no client
        'account': ('account-2', {'ib_insync': 'position[0].account', 'ib_async': 'position[0].account', 'ibapi': 'position[0].account'}),
        'conId': (1003, {'ib_insync': 'position[0].contract.conId', 'ib_async': 'position[0].contract.conId', 'ibapi': 'position[0].contract.conId'}),
        'symbol': ('symbol-4', {'ib_insync': 'position[0].contract.symbol', 'ib_async': 'position[0].contract.symbol', 'ibapi': 'position[0].contract.symbol'}),
        'secType': ('secType-5', {'ib_insync': 'position[0].contract.secType', 'ib_async': 'position[0].contract.secType', 'ibapi': 'position[0].contract.secType'}),
        'lastTradeDateOrContractMonth': ('lastTradeDateOrContractMonth-6', {'ib_insync': 'position[0].contract.lastTradeDateOrContractMonth', 'ib_async': 'position[0].contract.lastTradeDateOrContractMonth', 'ibapi': 'position[0].contract.lastTradeDateOrContractMonth'}),
        'strike': (107.25, {'ib_insync': 'position[0].contract.strike', 'ib_async': 'position[0].contract.strike', 'ibapi': 'position[0].contract.strike'}),
        'right': ('right-8', {'ib_insync': 'position[0].contract.right', 'ib_async': 'position[0].contract.right', 'ibapi': 'position[0].contract.right'}),
        'multiplier': ('multiplier-9', {'ib_insync': 'position[0].contract.multiplier', 'ib_async': 'position[0].contract.multiplier', 'ibapi': 'position[0].contract.multiplier'}),
        'exchange': ('exchange-10', {'ib_insync': 'position[0].contract.exchange', 'ib_async': 'position[0].contract.exchange', 'ibapi': 'position[0].contract.exchange'}),
        'currency': ('currency-11', {'ib_insync': 'position[0].contract.currency', 'ib_async': 'position[0].contract.currency', 'ibapi': 'position[0].contract.currency'}),
        'localSymbol': ('localSymbol-12', {'ib_insync': 'position[0].contract.localSymbol', 'ib_async': 'position[0].contract.localSymbol', 'ibapi': 'position[0].contract.localSymbol'}),
        'tradingClass': ('tradingClass-13', {'ib_insync': 'position[0].contract.tradingClass', 'ib_async': 'position[0].contract.tradingClass', 'ibapi': 'position[0].contract.tradingClass'}),
        'position': (514, {'ib_insync': 'position[0].posSize', 'ib_async': 'position[0].posSize', 'ibapi': 'position[0].position'}),  # check
        'avgCost': (115.25, {'ib_insync': 'position[0].avgCost', 'ib_async': 'position[0].avgCost', 'ibapi': 'position[0].avgCost'}),
    }),
    case('positionEnd', 176, {
        'version': ('1', {}),  # read by no client
    }, capture='encertai[2]#0'),
    case('positionEnd', 176, {
        'version': ('1', {}),  # read by no client
    }),
    case('accountSummary', 176, {
        'version': ('1', {}),  # read by no client
        'reqId': (188, {'ib_insync': 'accountSummary[0]._reqId', 'ib_async': 'accountSummary[0]._reqId', 'ibapi': 'accountSummary[0].reqId'}),  # check
        'account': ('DU0000001', {'ib_insync': 'accountSummary[0].account', 'ib_async': 'accountSummary[0].account', 'ibapi': 'accountSummary[0].account'}),
        'tag': ('AccountType', {'ib_insync': 'accountSummary[0].tag', 'ib_async': 'accountSummary[0].tag', 'ibapi': 'accountSummary[0].tag'}),
        'value': ('PARTNERSHIP', {'ib_insync': 'accountSummary[0].value', 'ib_async': 'accountSummary[0].value', 'ibapi': 'accountSummary[0].value'}),
        'currency': ('', {'ib_insync': 'accountSummary[0].currency', 'ib_async': 'accountSummary[0].currency', 'ibapi': 'accountSummary[0].currency'}),
    }, capture='encertai[6]#3'),
    case('accountSummary', 176, {
        'version': ('1', {}),  # read by no client
        'reqId': (1002, {'ib_insync': 'accountSummary[0]._reqId', 'ib_async': 'accountSummary[0]._reqId', 'ibapi': 'accountSummary[0].reqId'}),  # check
        'account': ('account-3', {'ib_insync': 'accountSummary[0].account', 'ib_async': 'accountSummary[0].account', 'ibapi': 'accountSummary[0].account'}),
        'tag': ('tag-4', {'ib_insync': 'accountSummary[0].tag', 'ib_async': 'accountSummary[0].tag', 'ibapi': 'accountSummary[0].tag'}),
        'value': ('value-5', {'ib_insync': 'accountSummary[0].value', 'ib_async': 'accountSummary[0].value', 'ibapi': 'accountSummary[0].value'}),
        'currency': ('currency-6', {'ib_insync': 'accountSummary[0].currency', 'ib_async': 'accountSummary[0].currency', 'ibapi': 'accountSummary[0].currency'}),
    }),
    case('accountSummaryEnd', 176, {
        'version': ('1', {}),  # read by no client
        'reqId': (188, {'ib_insync': 'accountSummaryEnd[0].reqId', 'ib_async': 'accountSummaryEnd[0].reqId', 'ibapi': 'accountSummaryEnd[0].reqId'}),
    }, capture='encertai[6]#170'),
    case('accountSummaryEnd', 176, {
        'version': ('1', {}),  # read by no client
        'reqId': (1002, {'ib_insync': 'accountSummaryEnd[0].reqId', 'ib_async': 'accountSummaryEnd[0].reqId', 'ibapi': 'accountSummaryEnd[0].reqId'}),
    }),
    case('positionMulti', 176, {
        'version': ('1', {}),  # read by no client
        'reqId': (1002, {'ib_insync': 'positionMulti[0].reqId', 'ib_async': 'positionMulti[0].reqId', 'ibapi': 'positionMulti[0].reqId'}),
        'account': ('account-3', {'ib_insync': 'positionMulti[0].account', 'ib_async': 'positionMulti[0].account', 'ibapi': 'positionMulti[0].account'}),
        'conId': (1004, {'ib_insync': 'positionMulti[0].contract.conId', 'ib_async': 'positionMulti[0].contract.conId', 'ibapi': 'positionMulti[0].contract.conId'}),
        'symbol': ('symbol-5', {'ib_insync': 'positionMulti[0].contract.symbol', 'ib_async': 'positionMulti[0].contract.symbol', 'ibapi': 'positionMulti[0].contract.symbol'}),
        'secType': ('secType-6', {'ib_insync': 'positionMulti[0].contract.secType', 'ib_async': 'positionMulti[0].contract.secType', 'ibapi': 'positionMulti[0].contract.secType'}),
        'lastTradeDateOrContractMonth': ('lastTradeDateOrContractMonth-7', {'ib_insync': 'positionMulti[0].contract.lastTradeDateOrContractMonth', 'ib_async': 'positionMulti[0].contract.lastTradeDateOrContractMonth', 'ibapi': 'positionMulti[0].contract.lastTradeDateOrContractMonth'}),
        'strike': (108.25, {'ib_insync': 'positionMulti[0].contract.strike', 'ib_async': 'positionMulti[0].contract.strike', 'ibapi': 'positionMulti[0].contract.strike'}),
        'right': ('right-9', {'ib_insync': 'positionMulti[0].contract.right', 'ib_async': 'positionMulti[0].contract.right', 'ibapi': 'positionMulti[0].contract.right'}),
        'multiplier': ('multiplier-10', {'ib_insync': 'positionMulti[0].contract.multiplier', 'ib_async': 'positionMulti[0].contract.multiplier', 'ibapi': 'positionMulti[0].contract.multiplier'}),
        'exchange': ('exchange-11', {'ib_insync': 'positionMulti[0].contract.exchange', 'ib_async': 'positionMulti[0].contract.exchange', 'ibapi': 'positionMulti[0].contract.exchange'}),
        'currency': ('currency-12', {'ib_insync': 'positionMulti[0].contract.currency', 'ib_async': 'positionMulti[0].contract.currency', 'ibapi': 'positionMulti[0].contract.currency'}),
        'localSymbol': ('localSymbol-13', {'ib_insync': 'positionMulti[0].contract.localSymbol', 'ib_async': 'positionMulti[0].contract.localSymbol', 'ibapi': 'positionMulti[0].contract.localSymbol'}),
        'tradingClass': ('tradingClass-14', {'ib_insync': 'positionMulti[0].contract.tradingClass', 'ib_async': 'positionMulti[0].contract.tradingClass', 'ibapi': 'positionMulti[0].contract.tradingClass'}),
        'position': (515, {'ib_insync': 'positionMulti[0].pos', 'ib_async': 'positionMulti[0].pos', 'ibapi': 'positionMulti[0].pos'}),  # check
        'avgCost': (116.25, {'ib_insync': 'positionMulti[0].avgCost', 'ib_async': 'positionMulti[0].avgCost', 'ibapi': 'positionMulti[0].avgCost'}),
        'modelCode': ('modelCode-17', {'ib_insync': 'positionMulti[0].modelCode', 'ib_async': 'positionMulti[0].modelCode', 'ibapi': 'positionMulti[0].modelCode'}),
    }),
    case('positionMultiEnd', 176, {
        'version': ('1', {}),  # read by no client
        'reqId': (1002, {'ib_insync': 'positionMultiEnd[0].reqId', 'ib_async': 'positionMultiEnd[0].reqId', 'ibapi': 'positionMultiEnd[0].reqId'}),
    }),
    case('accountUpdateMulti', 176, {
        'version': ('1', {}),  # read by no client
        'reqId': (184, {'ib_insync': 'accountUpdateMulti[0].reqId', 'ib_async': 'accountUpdateMulti[0].reqId', 'ibapi': 'accountUpdateMulti[0].reqId'}),
        'account': ('DU0000001', {'ib_insync': 'accountUpdateMulti[0].account', 'ib_async': 'accountUpdateMulti[0].account', 'ibapi': 'accountUpdateMulti[0].account'}),
        'modelCode': ('', {'ib_insync': 'accountUpdateMulti[0].modelCode', 'ib_async': 'accountUpdateMulti[0].modelCode', 'ibapi': 'accountUpdateMulti[0].modelCode'}),
        'key': ('AccountCode', {'ib_insync': 'accountUpdateMulti[0].tag', 'ib_async': 'accountUpdateMulti[0].tag', 'ibapi': 'accountUpdateMulti[0].key'}),  # check
        'value': ('DU0000001', {'ibapi': 'accountUpdateMulti[0].value'}),
        'currency': ('', {'ib_insync': 'accountUpdateMulti[0].currency', 'ib_async': 'accountUpdateMulti[0].currency', 'ibapi': 'accountUpdateMulti[0].currency'}),
    }, capture='encertai[2]#158'),
    case('accountUpdateMulti', 176, {
        'version': ('1', {}),  # read by no client
        'reqId': (1002, {'ib_insync': 'accountUpdateMulti[0].reqId', 'ib_async': 'accountUpdateMulti[0].reqId', 'ibapi': 'accountUpdateMulti[0].reqId'}),
        'account': ('account-3', {'ib_insync': 'accountUpdateMulti[0].account', 'ib_async': 'accountUpdateMulti[0].account', 'ibapi': 'accountUpdateMulti[0].account'}),
        'modelCode': ('modelCode-4', {'ib_insync': 'accountUpdateMulti[0].modelCode', 'ib_async': 'accountUpdateMulti[0].modelCode', 'ibapi': 'accountUpdateMulti[0].modelCode'}),
        'key': ('key-5', {'ib_insync': 'accountUpdateMulti[0].tag', 'ib_async': 'accountUpdateMulti[0].tag', 'ibapi': 'accountUpdateMulti[0].key'}),  # check
        'value': ('value-6', {'ib_insync': 'accountUpdateMulti[0].val', 'ib_async': 'accountUpdateMulti[0].val', 'ibapi': 'accountUpdateMulti[0].value'}),  # check
        'currency': ('currency-7', {'ib_insync': 'accountUpdateMulti[0].currency', 'ib_async': 'accountUpdateMulti[0].currency', 'ibapi': 'accountUpdateMulti[0].currency'}),
    }),
    case('accountUpdateMultiEnd', 176, {
        'version': ('1', {}),  # read by no client
        'reqId': (184, {'ib_insync': 'accountUpdateMultiEnd[0].reqId', 'ib_async': 'accountUpdateMultiEnd[0].reqId', 'ibapi': 'accountUpdateMultiEnd[0].reqId'}),
    }, capture='encertai[2]#314'),
    case('accountUpdateMultiEnd', 176, {
        'version': ('1', {}),  # read by no client
        'reqId': (1002, {'ib_insync': 'accountUpdateMultiEnd[0].reqId', 'ib_async': 'accountUpdateMultiEnd[0].reqId', 'ibapi': 'accountUpdateMultiEnd[0].reqId'}),
    }),
]
