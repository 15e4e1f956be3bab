"""Layout cases: contractData and contractDataEnd.

Each slot: (value, {client: the field of that client's decoded callback that must hold it}).
Drafted with ``python -m tests.conformance.generate_cases`` and reviewed; see layout_cases.py.
"""

from tests.conformance.layout_cases import case

CASES = [
    case('contractData', 176, {
        'reqId': (10000, {'ib_insync': 'contractDetails[0].reqId', 'ib_async': 'contractDetails[0].reqId', 'ibapi': 'contractDetails[0].reqId'}),
        'symbol': ('EUR', {'ib_insync': 'contractDetails[0].contractDetails.contract.symbol', 'ib_async': 'contractDetails[0].contractDetails.contract.symbol', 'ibapi': 'contractDetails[0].contractDetails.contract.symbol'}),
        'secType': ('CASH', {'ib_insync': 'contractDetails[0].contractDetails.contract.secType', 'ib_async': 'contractDetails[0].contractDetails.contract.secType', 'ibapi': 'contractDetails[0].contractDetails.contract.secType'}),
        'lastTradeDateOrContractMonth': ('', {'ib_insync': 'contractDetails[0].contractDetails.contract.lastTradeDateOrContractMonth', 'ib_async': 'contractDetails[0].contractDetails.contract.lastTradeDateOrContractMonth', 'ibapi': 'contractDetails[0].contractDetails.contract.lastTradeDateOrContractMonth'}),
        'strike': (0.0, {'ib_insync': 'contractDetails[0].contractDetails.contract.strike', 'ib_async': 'contractDetails[0].contractDetails.contract.strike', 'ibapi': 'contractDetails[0].contractDetails.contract.strike'}),
        'right': ('', {'ib_insync': 'contractDetails[0].contractDetails.contract.right', 'ib_async': 'contractDetails[0].contractDetails.contract.right', 'ibapi': 'contractDetails[0].contractDetails.contract.right'}),
        'exchange': ('IDEALPRO', {'ib_insync': 'contractDetails[0].contractDetails.contract.exchange', 'ib_async': 'contractDetails[0].contractDetails.contract.exchange', 'ibapi': 'contractDetails[0].contractDetails.contract.exchange'}),
        'currency': ('USD', {'ib_insync': 'contractDetails[0].contractDetails.contract.currency', 'ib_async': 'contractDetails[0].contractDetails.contract.currency', 'ibapi': 'contractDetails[0].contractDetails.contract.currency'}),
        'localSymbol': ('EUR.USD', {'ib_insync': 'contractDetails[0].contractDetails.contract.localSymbol', 'ib_async': 'contractDetails[0].contractDetails.contract.localSymbol', 'ibapi': 'contractDetails[0].contractDetails.contract.localSymbol'}),
        'marketName': ('EUR.USD', {'ib_insync': 'contractDetails[0].contractDetails.marketName', 'ib_async': 'contractDetails[0].contractDetails.marketName', 'ibapi': 'contractDetails[0].contractDetails.marketName'}),
        'tradingClass': ('EUR.USD', {'ib_insync': 'contractDetails[0].contractDetails.contract.tradingClass', 'ib_async': 'contractDetails[0].contractDetails.contract.tradingClass', 'ibapi': 'contractDetails[0].contractDetails.contract.tradingClass'}),
        'conId': (12087792, {'ib_insync': 'contractDetails[0].contractDetails.contract.conId', 'ib_async': 'contractDetails[0].contractDetails.contract.conId', 'ibapi': 'contractDetails[0].contractDetails.contract.conId'}),
        'minTick': (5e-05, {'ib_insync': 'contractDetails[0].contractDetails.minTick', 'ib_async': 'contractDetails[0].contractDetails.minTick', 'ibapi': 'contractDetails[0].contractDetails.minTick'}),
        'multiplier': ('', {'ib_insync': 'contractDetails[0].contractDetails.contract.multiplier', 'ib_async': 'contractDetails[0].contractDetails.contract.multiplier', 'ibapi': 'contractDetails[0].contractDetails.contract.multiplier'}),
        'orderTypes': ('ACTIVETIM,AD,ADJUST,ALERT,ALGO,ALLOC,AVGCOST,BASKET,CASHQTY,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,HID,IOC,LIT,LMT,MIT,MKT,NONALGO,OCA,REL,RELPCTOFS,SCALE,SCALERST,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF', {'ib_insync': 'contractDetails[0].contractDetails.orderTypes', 'ib_async': 'contractDetails[0].contractDetails.orderTypes', 'ibapi': 'contractDetails[0].contractDetails.orderTypes'}),
        'validExchanges': ('IDEALPRO', {'ib_insync': 'contractDetails[0].contractDetails.validExchanges', 'ib_async': 'contractDetails[0].contractDetails.validExchanges', 'ibapi': 'contractDetails[0].contractDetails.validExchanges'}),
        'priceMagnifier': (1, {'ib_insync': 'contractDetails[0].contractDetails.priceMagnifier', 'ib_async': 'contractDetails[0].contractDetails.priceMagnifier', 'ibapi': 'contractDetails[0].contractDetails.priceMagnifier'}),
        'underConId': (0, {'ib_insync': 'contractDetails[0].contractDetails.underConId', 'ib_async': 'contractDetails[0].contractDetails.underConId', 'ibapi': 'contractDetails[0].contractDetails.underConId'}),
        'longName': ('European Monetary Union Euro', {'ib_insync': 'contractDetails[0].contractDetails.longName', 'ib_async': 'contractDetails[0].contractDetails.longName', 'ibapi': 'contractDetails[0].contractDetails.longName'}),
        'primaryExchange': ('', {'ib_insync': 'contractDetails[0].contractDetails.contract.primaryExchange', 'ib_async': 'contractDetails[0].contractDetails.contract.primaryExchange', 'ibapi': 'contractDetails[0].contractDetails.contract.primaryExchange'}),
        'contractMonth': ('', {'ib_insync': 'contractDetails[0].contractDetails.contractMonth', 'ib_async': 'contractDetails[0].contractDetails.contractMonth', 'ibapi': 'contractDetails[0].contractDetails.contractMonth'}),
        'industry': ('', {'ib_insync': 'contractDetails[0].contractDetails.industry', 'ib_async': 'contractDetails[0].contractDetails.industry', 'ibapi': 'contractDetails[0].contractDetails.industry'}),
        'category': ('', {'ib_insync': 'contractDetails[0].contractDetails.category', 'ib_async': 'contractDetails[0].contractDetails.category', 'ibapi': 'contractDetails[0].contractDetails.category'}),
        'subcategory': ('', {'ib_insync': 'contractDetails[0].contractDetails.subcategory', 'ib_async': 'contractDetails[0].contractDetails.subcategory', 'ibapi': 'contractDetails[0].contractDetails.subcategory'}),
        'timeZoneId': ('US/Eastern', {'ib_insync': 'contractDetails[0].contractDetails.timeZoneId', 'ib_async': 'contractDetails[0].contractDetails.timeZoneId', 'ibapi': 'contractDetails[0].contractDetails.timeZoneId'}),
        'tradingHours': (';20231203:1715-20231204:1700;20231204:1715-20231205:1700;20231205:1715-20231206:1700;20231206:1715-20231207:1700;20231207:1715-20231208:1700', {'ib_insync': 'contractDetails[0].contractDetails.tradingHours', 'ib_async': 'contractDetails[0].contractDetails.tradingHours', 'ibapi': 'contractDetails[0].contractDetails.tradingHours'}),
        'liquidHours': (';20231203:1715-20231204:1700;20231204:1715-20231205:1700;20231205:1715-20231206:1700;20231206:1715-20231207:1700;20231207:1715-20231208:1700', {'ib_insync': 'contractDetails[0].contractDetails.liquidHours', 'ib_async': 'contractDetails[0].contractDetails.liquidHours', 'ibapi': 'contractDetails[0].contractDetails.liquidHours'}),
        'evRule': ('', {'ib_insync': 'contractDetails[0].contractDetails.evRule', 'ib_async': 'contractDetails[0].contractDetails.evRule', 'ibapi': 'contractDetails[0].contractDetails.evRule'}),
        'evMultiplier': ('', {}),  # read by no client
        'aggGroup': (4, {'ib_insync': 'contractDetails[0].contractDetails.aggGroup', 'ib_async': 'contractDetails[0].contractDetails.aggGroup', 'ibapi': 'contractDetails[0].contractDetails.aggGroup'}),
        'underSymbol': ('', {'ib_insync': 'contractDetails[0].contractDetails.underSymbol', 'ib_async': 'contractDetails[0].contractDetails.underSymbol', 'ibapi': 'contractDetails[0].contractDetails.underSymbol'}),
        'underSecType': ('', {'ib_insync': 'contractDetails[0].contractDetails.underSecType', 'ib_async': 'contractDetails[0].contractDetails.underSecType', 'ibapi': 'contractDetails[0].contractDetails.underSecType'}),
        'marketRuleIds': ('3188', {'ib_insync': 'contractDetails[0].contractDetails.marketRuleIds', 'ib_async': 'contractDetails[0].contractDetails.marketRuleIds', 'ibapi': 'contractDetails[0].contractDetails.marketRuleIds'}),
        'realExpirationDate': ('', {'ib_insync': 'contractDetails[0].contractDetails.realExpirationDate', 'ib_async': 'contractDetails[0].contractDetails.realExpirationDate', 'ibapi': 'contractDetails[0].contractDetails.realExpirationDate'}),
        'stockType': ('', {'ib_insync': 'contractDetails[0].contractDetails.stockType', 'ib_async': 'contractDetails[0].contractDetails.stockType', 'ibapi': 'contractDetails[0].contractDetails.stockType'}),
        'minSize': (0.01, {'ib_insync': 'contractDetails[0].contractDetails.minSize', 'ib_async': 'contractDetails[0].contractDetails.minSize', 'ibapi': 'contractDetails[0].contractDetails.minSize'}),
        'sizeIncrement': (0.01, {'ib_insync': 'contractDetails[0].contractDetails.sizeIncrement', 'ib_async': 'contractDetails[0].contractDetails.sizeIncrement', 'ibapi': 'contractDetails[0].contractDetails.sizeIncrement'}),
        'suggestedSizeIncrement': (0.01, {'ib_insync': 'contractDetails[0].contractDetails.suggestedSizeIncrement', 'ib_async': 'contractDetails[0].contractDetails.suggestedSizeIncrement', 'ibapi': 'contractDetails[0].contractDetails.suggestedSizeIncrement'}),
    }, capture='nautilus:contract_details_eurusd#0'),
    case('contractData', 176, {
        'reqId': (1001, {'ib_insync': 'contractDetails[0].reqId', 'ib_async': 'contractDetails[0].reqId', 'ibapi': 'contractDetails[0].reqId'}),
        'symbol': ('symbol-2', {'ib_insync': 'contractDetails[0].contractDetails.contract.symbol', 'ib_async': 'contractDetails[0].contractDetails.contract.symbol', 'ibapi': 'contractDetails[0].contractDetails.contract.symbol'}),
        'secType': ('STK', {'ib_insync': 'contractDetails[0].contractDetails.contract.secType', 'ib_async': 'contractDetails[0].contractDetails.contract.secType', 'ibapi': 'contractDetails[0].contractDetails.contract.secType'}),
        'lastTradeDateOrContractMonth': ('lastTradeDateOrContractMonth-4', {}),  # read by no client
        'strike': (505, {'ib_insync': 'contractDetails[0].contractDetails.contract.strike', 'ib_async': 'contractDetails[0].contractDetails.contract.strike', 'ibapi': 'contractDetails[0].contractDetails.contract.strike'}),
        'right': ('right-6', {'ib_insync': 'contractDetails[0].contractDetails.contract.right', 'ib_async': 'contractDetails[0].contractDetails.contract.right', 'ibapi': 'contractDetails[0].contractDetails.contract.right'}),
        'exchange': ('exchange-7', {'ib_insync': 'contractDetails[0].contractDetails.contract.exchange', 'ib_async': 'contractDetails[0].contractDetails.contract.exchange', 'ibapi': 'contractDetails[0].contractDetails.contract.exchange'}),
        'currency': ('currency-8', {'ib_insync': 'contractDetails[0].contractDetails.contract.currency', 'ib_async': 'contractDetails[0].contractDetails.contract.currency', 'ibapi': 'contractDetails[0].contractDetails.contract.currency'}),
        'localSymbol': ('localSymbol-9', {'ib_insync': 'contractDetails[0].contractDetails.contract.localSymbol', 'ib_async': 'contractDetails[0].contractDetails.contract.localSymbol', 'ibapi': 'contractDetails[0].contractDetails.contract.localSymbol'}),
        'marketName': ('marketName-10', {'ib_insync': 'contractDetails[0].contractDetails.marketName', 'ib_async': 'contractDetails[0].contractDetails.marketName', 'ibapi': 'contractDetails[0].contractDetails.marketName'}),
        'tradingClass': ('tradingClass-11', {'ib_insync': 'contractDetails[0].contractDetails.contract.tradingClass', 'ib_async': 'contractDetails[0].contractDetails.contract.tradingClass', 'ibapi': 'contractDetails[0].contractDetails.contract.tradingClass'}),
        'conId': (1012, {'ib_insync': 'contractDetails[0].contractDetails.contract.conId', 'ib_async': 'contractDetails[0].contractDetails.contract.conId', 'ibapi': 'contractDetails[0].contractDetails.contract.conId'}),
        'minTick': (513, {'ib_insync': 'contractDetails[0].contractDetails.minTick', 'ib_async': 'contractDetails[0].contractDetails.minTick', 'ibapi': 'contractDetails[0].contractDetails.minTick'}),
        'multiplier': ('multiplier-14', {'ib_insync': 'contractDetails[0].contractDetails.contract.multiplier', 'ib_async': 'contractDetails[0].contractDetails.contract.multiplier', 'ibapi': 'contractDetails[0].contractDetails.contract.multiplier'}),
        'orderTypes': ('orderTypes-15', {'ib_insync': 'contractDetails[0].contractDetails.orderTypes', 'ib_async': 'contractDetails[0].contractDetails.orderTypes', 'ibapi': 'contractDetails[0].contractDetails.orderTypes'}),
        'validExchanges': ('validExchanges-16', {'ib_insync': 'contractDetails[0].contractDetails.validExchanges', 'ib_async': 'contractDetails[0].contractDetails.validExchanges', 'ibapi': 'contractDetails[0].contractDetails.validExchanges'}),
        'priceMagnifier': (1017, {'ib_insync': 'contractDetails[0].contractDetails.priceMagnifier', 'ib_async': 'contractDetails[0].contractDetails.priceMagnifier', 'ibapi': 'contractDetails[0].contractDetails.priceMagnifier'}),
        'underConId': (1018, {'ib_insync': 'contractDetails[0].contractDetails.underConId', 'ib_async': 'contractDetails[0].contractDetails.underConId', 'ibapi': 'contractDetails[0].contractDetails.underConId'}),
        'longName': ('longName-19', {'ib_insync': 'contractDetails[0].contractDetails.longName', 'ib_async': 'contractDetails[0].contractDetails.longName', 'ibapi': 'contractDetails[0].contractDetails.longName'}),
        'primaryExchange': ('primaryExchange-20', {'ib_insync': 'contractDetails[0].contractDetails.contract.primaryExchange', 'ib_async': 'contractDetails[0].contractDetails.contract.primaryExchange', 'ibapi': 'contractDetails[0].contractDetails.contract.primaryExchange'}),
        'contractMonth': ('contractMonth-21', {'ib_insync': 'contractDetails[0].contractDetails.contractMonth', 'ib_async': 'contractDetails[0].contractDetails.contractMonth', 'ibapi': 'contractDetails[0].contractDetails.contractMonth'}),
        'industry': ('industry-22', {'ib_insync': 'contractDetails[0].contractDetails.industry', 'ib_async': 'contractDetails[0].contractDetails.industry', 'ibapi': 'contractDetails[0].contractDetails.industry'}),
        'category': ('category-23', {'ib_insync': 'contractDetails[0].contractDetails.category', 'ib_async': 'contractDetails[0].contractDetails.category', 'ibapi': 'contractDetails[0].contractDetails.category'}),
        'subcategory': ('subcategory-24', {'ib_insync': 'contractDetails[0].contractDetails.subcategory', 'ib_async': 'contractDetails[0].contractDetails.subcategory', 'ibapi': 'contractDetails[0].contractDetails.subcategory'}),
        'timeZoneId': ('timeZoneId-25', {'ib_insync': 'contractDetails[0].contractDetails.timeZoneId', 'ib_async': 'contractDetails[0].contractDetails.timeZoneId', 'ibapi': 'contractDetails[0].contractDetails.timeZoneId'}),
        'tradingHours': ('tradingHours-26', {'ib_insync': 'contractDetails[0].contractDetails.tradingHours', 'ib_async': 'contractDetails[0].contractDetails.tradingHours', 'ibapi': 'contractDetails[0].contractDetails.tradingHours'}),
        'liquidHours': ('liquidHours-27', {'ib_insync': 'contractDetails[0].contractDetails.liquidHours', 'ib_async': 'contractDetails[0].contractDetails.liquidHours', 'ibapi': 'contractDetails[0].contractDetails.liquidHours'}),
        'evRule': ('evRule-28', {'ib_insync': 'contractDetails[0].contractDetails.evRule', 'ib_async': 'contractDetails[0].contractDetails.evRule', 'ibapi': 'contractDetails[0].contractDetails.evRule'}),
        'evMultiplier': ('3', {'ib_insync': 'contractDetails[0].contractDetails.evMultiplier', 'ib_async': 'contractDetails[0].contractDetails.evMultiplier', 'ibapi': 'contractDetails[0].contractDetails.evMultiplier'}),
        'secIdList[0].tag': ('tag-30', {'ib_insync': 'contractDetails[0].contractDetails.secIdList[0][0]', 'ib_async': 'contractDetails[0].contractDetails.secIdList[0][0]', 'ibapi': 'contractDetails[0].contractDetails.secIdList[0].tag'}),  # check
        'secIdList[0].value': ('value-31', {'ib_insync': 'contractDetails[0].contractDetails.secIdList[0][1]', 'ib_async': 'contractDetails[0].contractDetails.secIdList[0][1]', 'ibapi': 'contractDetails[0].contractDetails.secIdList[0].value'}),  # check
        'secIdList[1].tag': ('tag-32', {'ib_insync': 'contractDetails[0].contractDetails.secIdList[1][0]', 'ib_async': 'contractDetails[0].contractDetails.secIdList[1][0]', 'ibapi': 'contractDetails[0].contractDetails.secIdList[1].tag'}),  # check
        'secIdList[1].value': ('value-33', {'ib_insync': 'contractDetails[0].contractDetails.secIdList[1][1]', 'ib_async': 'contractDetails[0].contractDetails.secIdList[1][1]', 'ibapi': 'contractDetails[0].contractDetails.secIdList[1].value'}),  # check
        'aggGroup': (1034, {'ib_insync': 'contractDetails[0].contractDetails.aggGroup', 'ib_async': 'contractDetails[0].contractDetails.aggGroup', 'ibapi': 'contractDetails[0].contractDetails.aggGroup'}),
        'underSymbol': ('underSymbol-35', {'ib_insync': 'contractDetails[0].contractDetails.underSymbol', 'ib_async': 'contractDetails[0].contractDetails.underSymbol', 'ibapi': 'contractDetails[0].contractDetails.underSymbol'}),
        'underSecType': ('underSecType-36', {'ib_insync': 'contractDetails[0].contractDetails.underSecType', 'ib_async': 'contractDetails[0].contractDetails.underSecType', 'ibapi': 'contractDetails[0].contractDetails.underSecType'}),
        'marketRuleIds': ('marketRuleIds-37', {'ib_insync': 'contractDetails[0].contractDetails.marketRuleIds', 'ib_async': 'contractDetails[0].contractDetails.marketRuleIds', 'ibapi': 'contractDetails[0].contractDetails.marketRuleIds'}),
        'realExpirationDate': ('realExpirationDate-38', {'ib_insync': 'contractDetails[0].contractDetails.realExpirationDate', 'ib_async': 'contractDetails[0].contractDetails.realExpirationDate', 'ibapi': 'contractDetails[0].contractDetails.realExpirationDate'}),
        'stockType': ('stockType-39', {'ib_insync': 'contractDetails[0].contractDetails.stockType', 'ib_async': 'contractDetails[0].contractDetails.stockType', 'ibapi': 'contractDetails[0].contractDetails.stockType'}),
        'minSize': (540, {'ib_insync': 'contractDetails[0].contractDetails.minSize', 'ib_async': 'contractDetails[0].contractDetails.minSize', 'ibapi': 'contractDetails[0].contractDetails.minSize'}),
        'sizeIncrement': (541, {'ib_insync': 'contractDetails[0].contractDetails.sizeIncrement', 'ib_async': 'contractDetails[0].contractDetails.sizeIncrement', 'ibapi': 'contractDetails[0].contractDetails.sizeIncrement'}),
        'suggestedSizeIncrement': (542, {'ib_insync': 'contractDetails[0].contractDetails.suggestedSizeIncrement', 'ib_async': 'contractDetails[0].contractDetails.suggestedSizeIncrement', 'ibapi': 'contractDetails[0].contractDetails.suggestedSizeIncrement'}),
    }),
    case('contractDataEnd', 176, {
        'version': ('1', {}),  # read by no client
        'reqId': (1002, {'ib_insync': 'contractDetailsEnd[0].reqId', 'ib_async': 'contractDetailsEnd[0].reqId', 'ibapi': 'contractDetailsEnd[0].reqId'}),
    }),
]
