"""Layout cases: openOrder (the real v176 frame and a case with a distinct value in every slot).

Each slot: (value, {client: the field of that client's decoded callback that must hold it}).
Drafted with ``python -m tests.conformance.generate_cases`` and reviewed; see layout_cases.py.
"""

from tests.conformance.layout_cases import case

CASES = [
    case('openOrder', 176, {
        'orderId': (186, {}),  # read by no client
        'conId': (12087792, {'ib_insync': 'openOrder[0].contract.conId', 'ib_async': 'openOrder[0].contract.conId', 'ibapi': 'openOrder[0].contract.conId'}),
        'symbol': ('EUR', {'ib_insync': 'openOrder[0].contract.symbol', 'ib_async': 'openOrder[0].contract.symbol', 'ibapi': 'openOrder[0].contract.symbol'}),
        'secType': ('CASH', {'ib_insync': 'openOrder[0].contract.secType', 'ib_async': 'openOrder[0].contract.secType', 'ibapi': 'openOrder[0].contract.secType'}),
        'lastTradeDateOrContractMonth': ('', {'ib_insync': 'openOrder[0].contract.lastTradeDateOrContractMonth', 'ib_async': 'openOrder[0].contract.lastTradeDateOrContractMonth', 'ibapi': 'openOrder[0].contract.lastTradeDateOrContractMonth'}),
        'strike': (0.0, {'ib_insync': 'openOrder[0].contract.strike', 'ib_async': 'openOrder[0].contract.strike', 'ibapi': 'openOrder[0].contract.strike'}),
        'right': ('?', {'ib_insync': 'openOrder[0].contract.right', 'ib_async': 'openOrder[0].contract.right', 'ibapi': 'openOrder[0].contract.right'}),
        'multiplier': ('', {'ib_insync': 'openOrder[0].contract.multiplier', 'ib_async': 'openOrder[0].contract.multiplier', 'ibapi': 'openOrder[0].contract.multiplier'}),
        'exchange': ('IDEALPRO', {'ib_insync': 'openOrder[0].contract.exchange', 'ib_async': 'openOrder[0].contract.exchange', 'ibapi': 'openOrder[0].contract.exchange'}),
        'currency': ('USD', {'ib_insync': 'openOrder[0].contract.currency', 'ib_async': 'openOrder[0].contract.currency', 'ibapi': 'openOrder[0].contract.currency'}),
        'localSymbol': ('EUR.USD', {'ib_insync': 'openOrder[0].contract.localSymbol', 'ib_async': 'openOrder[0].contract.localSymbol', 'ibapi': 'openOrder[0].contract.localSymbol'}),
        'tradingClass': ('EUR.USD', {'ib_insync': 'openOrder[0].contract.tradingClass', 'ib_async': 'openOrder[0].contract.tradingClass', 'ibapi': 'openOrder[0].contract.tradingClass'}),
        'action': ('BUY', {'ib_insync': 'openOrder[0].order.action', 'ib_async': 'openOrder[0].order.action', 'ibapi': 'openOrder[0].order.action'}),
        'totalQuantity': (100.0, {'ib_insync': 'openOrder[0].order.totalQuantity', 'ib_async': 'openOrder[0].order.totalQuantity', 'ibapi': 'openOrder[0].order.totalQuantity'}),
        'orderType': ('MKT', {'ib_insync': 'openOrder[0].order.orderType', 'ib_async': 'openOrder[0].order.orderType', 'ibapi': 'openOrder[0].order.orderType'}),
        'lmtPrice': (1.05955, {'ib_insync': 'openOrder[0].order.lmtPrice', 'ib_async': 'openOrder[0].order.lmtPrice', 'ibapi': 'openOrder[0].order.lmtPrice'}),
        'auxPrice': (0.0, {'ib_insync': 'openOrder[0].order.auxPrice', 'ib_async': 'openOrder[0].order.auxPrice', 'ibapi': 'openOrder[0].order.auxPrice'}),
        'tif': ('DAY', {'ib_insync': 'openOrder[0].order.tif', 'ib_async': 'openOrder[0].order.tif', 'ibapi': 'openOrder[0].order.tif'}),
        'ocaGroup': ('', {'ib_insync': 'openOrder[0].order.ocaGroup', 'ib_async': 'openOrder[0].order.ocaGroup', 'ibapi': 'openOrder[0].order.ocaGroup'}),
        'account': ('DU0000001', {'ib_insync': 'openOrder[0].order.account', 'ib_async': 'openOrder[0].order.account', 'ibapi': 'openOrder[0].order.account'}),
        'openClose': ('', {'ib_insync': 'openOrder[0].order.openClose', 'ib_async': 'openOrder[0].order.openClose', 'ibapi': 'openOrder[0].order.openClose'}),
        'origin': (0, {'ib_insync': 'openOrder[0].order.origin', 'ib_async': 'openOrder[0].order.origin', 'ibapi': 'openOrder[0].order.origin'}),
        'orderRef': ('', {'ib_insync': 'openOrder[0].order.orderRef', 'ib_async': 'openOrder[0].order.orderRef', 'ibapi': 'openOrder[0].order.orderRef'}),
        'clientId': (0, {'ib_insync': 'openOrder[0].order.clientId', 'ib_async': 'openOrder[0].order.clientId', 'ibapi': 'openOrder[0].order.clientId'}),
        'permId': (665616344, {'ib_insync': 'openOrder[0].order.permId', 'ib_async': 'openOrder[0].order.permId', 'ibapi': 'openOrder[0].order.permId'}),
        'outsideRth': (0, {'ib_insync': 'openOrder[0].order.outsideRth', 'ib_async': 'openOrder[0].order.outsideRth', 'ibapi': 'openOrder[0].order.outsideRth'}),
        'hidden': (0, {'ib_insync': 'openOrder[0].order.hidden', 'ib_async': 'openOrder[0].order.hidden', 'ibapi': 'openOrder[0].order.hidden'}),
        'discretionaryAmt': (0.0, {'ib_insync': 'openOrder[0].order.discretionaryAmt', 'ib_async': 'openOrder[0].order.discretionaryAmt', 'ibapi': 'openOrder[0].order.discretionaryAmt'}),
        'goodAfterTime': ('', {'ib_insync': 'openOrder[0].order.goodAfterTime', 'ib_async': 'openOrder[0].order.goodAfterTime', 'ibapi': 'openOrder[0].order.goodAfterTime'}),
        'sharesAllocation': ('665616344.0/DU0000001/100', {}),  # read by no client
        'faGroup': ('', {'ib_insync': 'openOrder[0].order.faGroup', 'ib_async': 'openOrder[0].order.faGroup', 'ibapi': 'openOrder[0].order.faGroup'}),
        'faMethod': ('', {'ib_insync': 'openOrder[0].order.faMethod', 'ib_async': 'openOrder[0].order.faMethod', 'ibapi': 'openOrder[0].order.faMethod'}),
        'faPercentage': ('', {'ib_insync': 'openOrder[0].order.faPercentage', 'ib_async': 'openOrder[0].order.faPercentage', 'ibapi': 'openOrder[0].order.faPercentage'}),
        'faProfile': ('', {'ib_insync': 'openOrder[0].order.faProfile', 'ib_async': 'openOrder[0].order.faProfile'}),
        'modelCode': ('', {'ib_insync': 'openOrder[0].order.modelCode', 'ib_async': 'openOrder[0].order.modelCode', 'ibapi': 'openOrder[0].order.modelCode'}),
        'goodTillDate': ('', {'ib_insync': 'openOrder[0].order.goodTillDate', 'ib_async': 'openOrder[0].order.goodTillDate', 'ibapi': 'openOrder[0].order.goodTillDate'}),
        'rule80A': ('', {'ib_insync': 'openOrder[0].order.rule80A', 'ib_async': 'openOrder[0].order.rule80A', 'ibapi': 'openOrder[0].order.rule80A'}),
        'percentOffset': ('', {}),  # read by no client
        'settlingFirm': ('', {'ib_insync': 'openOrder[0].order.settlingFirm', 'ib_async': 'openOrder[0].order.settlingFirm', 'ibapi': 'openOrder[0].order.settlingFirm'}),
        'shortSaleSlot': (0, {'ib_insync': 'openOrder[0].order.shortSaleSlot', 'ib_async': 'openOrder[0].order.shortSaleSlot', 'ibapi': 'openOrder[0].order.shortSaleSlot'}),
        'designatedLocation': ('', {'ib_insync': 'openOrder[0].order.designatedLocation', 'ib_async': 'openOrder[0].order.designatedLocation', 'ibapi': 'openOrder[0].order.designatedLocation'}),
        'exemptCode': (-1, {'ib_insync': 'openOrder[0].order.exemptCode', 'ib_async': 'openOrder[0].order.exemptCode', 'ibapi': 'openOrder[0].order.exemptCode'}),
        'auctionStrategy': (0, {'ib_insync': 'openOrder[0].order.auctionStrategy', 'ib_async': 'openOrder[0].order.auctionStrategy', 'ibapi': 'openOrder[0].order.auctionStrategy'}),
        'startingPrice': ('', {}),  # read by no client
        'stockRefPrice': ('', {}),  # read by no client
        'delta': ('', {}),  # read by no client
        'stockRangeLower': ('', {}),  # read by no client
        'stockRangeUpper': ('', {}),  # read by no client
        'displaySize': (2147483647, {'ib_insync': 'openOrder[0].order.displaySize', 'ib_async': 'openOrder[0].order.displaySize', 'ibapi': 'openOrder[0].order.displaySize'}),
        'blockOrder': (0, {'ib_insync': 'openOrder[0].order.blockOrder', 'ib_async': 'openOrder[0].order.blockOrder', 'ibapi': 'openOrder[0].order.blockOrder'}),
        'sweepToFill': (0, {'ib_insync': 'openOrder[0].order.sweepToFill', 'ib_async': 'openOrder[0].order.sweepToFill', 'ibapi': 'openOrder[0].order.sweepToFill'}),
        'allOrNone': (0, {'ib_insync': 'openOrder[0].order.allOrNone', 'ib_async': 'openOrder[0].order.allOrNone', 'ibapi': 'openOrder[0].order.allOrNone'}),
        'minQty': ('', {}),  # read by no client
        'ocaType': (3, {'ib_insync': 'openOrder[0].order.ocaType', 'ib_async': 'openOrder[0].order.ocaType', 'ibapi': 'openOrder[0].order.ocaType'}),
        'eTradeOnly': (0, {'ib_insync': 'openOrder[0].order.eTradeOnly', 'ib_async': 'openOrder[0].order.eTradeOnly'}),
        'firmQuoteOnly': (0, {'ib_insync': 'openOrder[0].order.firmQuoteOnly', 'ib_async': 'openOrder[0].order.firmQuoteOnly'}),
        'nbboPriceCap': ('', {}),  # read by no client
        'parentId': (0, {'ib_insync': 'openOrder[0].order.parentId', 'ib_async': 'openOrder[0].order.parentId', 'ibapi': 'openOrder[0].order.parentId'}),
        'triggerMethod': (0, {'ib_insync': 'openOrder[0].order.triggerMethod', 'ib_async': 'openOrder[0].order.triggerMethod', 'ibapi': 'openOrder[0].order.triggerMethod'}),
        'volatility': ('', {}),  # read by no client
        'volatilityType': (0, {'ib_insync': 'openOrder[0].order.volatilityType', 'ib_async': 'openOrder[0].order.volatilityType', 'ibapi': 'openOrder[0].order.volatilityType'}),
        'deltaNeutralOrderType': ('None', {'ib_insync': 'openOrder[0].order.deltaNeutralOrderType', 'ib_async': 'openOrder[0].order.deltaNeutralOrderType', 'ibapi': 'openOrder[0].order.deltaNeutralOrderType'}),
        'deltaNeutralAuxPrice': ('', {}),  # read by no client
        'deltaNeutralConId': (0, {'ib_insync': 'openOrder[0].order.deltaNeutralConId', 'ib_async': 'openOrder[0].order.deltaNeutralConId', 'ibapi': 'openOrder[0].order.deltaNeutralConId'}),
        'deltaNeutralSettlingFirm': ('', {'ib_insync': 'openOrder[0].order.deltaNeutralSettlingFirm', 'ib_async': 'openOrder[0].order.deltaNeutralSettlingFirm', 'ibapi': 'openOrder[0].order.deltaNeutralSettlingFirm'}),
        'deltaNeutralClearingAccount': ('', {'ib_insync': 'openOrder[0].order.deltaNeutralClearingAccount', 'ib_async': 'openOrder[0].order.deltaNeutralClearingAccount', 'ibapi': 'openOrder[0].order.deltaNeutralClearingAccount'}),
        'deltaNeutralClearingIntent': ('', {'ib_insync': 'openOrder[0].order.deltaNeutralClearingIntent', 'ib_async': 'openOrder[0].order.deltaNeutralClearingIntent', 'ibapi': 'openOrder[0].order.deltaNeutralClearingIntent'}),
        'deltaNeutralOpenClose': ('?', {'ib_insync': 'openOrder[0].order.deltaNeutralOpenClose', 'ib_async': 'openOrder[0].order.deltaNeutralOpenClose', 'ibapi': 'openOrder[0].order.deltaNeutralOpenClose'}),
        'deltaNeutralShortSale': (0, {'ib_insync': 'openOrder[0].order.deltaNeutralShortSale', 'ib_async': 'openOrder[0].order.deltaNeutralShortSale', 'ibapi': 'openOrder[0].order.deltaNeutralShortSale'}),
        'deltaNeutralShortSaleSlot': (0, {'ib_insync': 'openOrder[0].order.deltaNeutralShortSaleSlot', 'ib_async': 'openOrder[0].order.deltaNeutralShortSaleSlot', 'ibapi': 'openOrder[0].order.deltaNeutralShortSaleSlot'}),
        'deltaNeutralDesignatedLocation': ('', {'ib_insync': 'openOrder[0].order.deltaNeutralDesignatedLocation', 'ib_async': 'openOrder[0].order.deltaNeutralDesignatedLocation', 'ibapi': 'openOrder[0].order.deltaNeutralDesignatedLocation'}),
        'continuousUpdate': (0, {'ib_insync': 'openOrder[0].order.continuousUpdate', 'ib_async': 'openOrder[0].order.continuousUpdate', 'ibapi': 'openOrder[0].order.continuousUpdate'}),
        'referencePriceType': (0, {'ib_insync': 'openOrder[0].order.referencePriceType', 'ib_async': 'openOrder[0].order.referencePriceType', 'ibapi': 'openOrder[0].order.referencePriceType'}),
        'trailStopPrice': ('', {}),  # read by no client
        'trailingPercent': ('', {}),  # read by no client
        'basisPoints': ('', {}),  # read by no client
        'basisPointsType': ('', {}),  # read by no client
        'comboLegsDescrip': ('', {'ib_insync': 'openOrder[0].contract.comboLegsDescrip', 'ib_async': 'openOrder[0].contract.comboLegsDescrip', 'ibapi': 'openOrder[0].contract.comboLegsDescrip'}),
        'scaleInitLevelSize': (2147483647, {'ib_insync': 'openOrder[0].order.scaleInitLevelSize', 'ib_async': 'openOrder[0].order.scaleInitLevelSize', 'ibapi': 'openOrder[0].order.scaleInitLevelSize'}),
        'scaleSubsLevelSize': (2147483647, {'ib_insync': 'openOrder[0].order.scaleSubsLevelSize', 'ib_async': 'openOrder[0].order.scaleSubsLevelSize', 'ibapi': 'openOrder[0].order.scaleSubsLevelSize'}),
        'scalePriceIncrement': ('', {}),  # read by no client
        'hedgeType': ('', {'ib_insync': 'openOrder[0].order.hedgeType', 'ib_async': 'openOrder[0].order.hedgeType', 'ibapi': 'openOrder[0].order.hedgeType'}),
        'optOutSmartRouting': (0, {'ib_insync': 'openOrder[0].order.optOutSmartRouting', 'ib_async': 'openOrder[0].order.optOutSmartRouting', 'ibapi': 'openOrder[0].order.optOutSmartRouting'}),
        'clearingAccount': ('', {'ib_insync': 'openOrder[0].order.clearingAccount', 'ib_async': 'openOrder[0].order.clearingAccount', 'ibapi': 'openOrder[0].order.clearingAccount'}),
        'clearingIntent': ('IB', {'ib_insync': 'openOrder[0].order.clearingIntent', 'ib_async': 'openOrder[0].order.clearingIntent', 'ibapi': 'openOrder[0].order.clearingIntent'}),
        'notHeld': (0, {'ib_insync': 'openOrder[0].order.notHeld', 'ib_async': 'openOrder[0].order.notHeld', 'ibapi': 'openOrder[0].order.notHeld'}),
        'deltaNeutralContractPresent': (0, {}),  # read by no client
        'algoStrategy': ('', {'ib_insync': 'openOrder[0].order.algoStrategy', 'ib_async': 'openOrder[0].order.algoStrategy', 'ibapi': 'openOrder[0].order.algoStrategy'}),
        'solicited': (0, {'ib_insync': 'openOrder[0].order.solicited', 'ib_async': 'openOrder[0].order.solicited', 'ibapi': 'openOrder[0].order.solicited'}),
        'whatIf': (1, {'ib_insync': 'openOrder[0].order.whatIf', 'ib_async': 'openOrder[0].order.whatIf', 'ibapi': 'openOrder[0].order.whatIf'}),
        'status': ('PreSubmitted', {'ib_insync': 'openOrder[0].orderState.status', 'ib_async': 'openOrder[0].orderState.status', 'ibapi': 'openOrder[0].orderState.status'}),
        'initMarginBefore': (1.7976931348623157e+308, {'ib_insync': 'openOrder[0].orderState.initMarginBefore', 'ib_async': 'openOrder[0].orderState.initMarginBefore', 'ibapi': 'openOrder[0].orderState.initMarginBefore'}),
        'maintMarginBefore': (1.7976931348623157e+308, {'ib_insync': 'openOrder[0].orderState.maintMarginBefore', 'ib_async': 'openOrder[0].orderState.maintMarginBefore', 'ibapi': 'openOrder[0].orderState.maintMarginBefore'}),
        'equityWithLoanBefore': (1.7976931348623157e+308, {'ib_insync': 'openOrder[0].orderState.equityWithLoanBefore', 'ib_async': 'openOrder[0].orderState.equityWithLoanBefore', 'ibapi': 'openOrder[0].orderState.equityWithLoanBefore'}),
        'initMarginChange': (1.7976931348623157e+308, {'ib_insync': 'openOrder[0].orderState.initMarginChange', 'ib_async': 'openOrder[0].orderState.initMarginChange', 'ibapi': 'openOrder[0].orderState.initMarginChange'}),
        'maintMarginChange': (1.7976931348623157e+308, {'ib_insync': 'openOrder[0].orderState.maintMarginChange', 'ib_async': 'openOrder[0].orderState.maintMarginChange', 'ibapi': 'openOrder[0].orderState.maintMarginChange'}),
        'equityWithLoanChange': (1.7976931348623157e+308, {'ib_insync': 'openOrder[0].orderState.equityWithLoanChange', 'ib_async': 'openOrder[0].orderState.equityWithLoanChange', 'ibapi': 'openOrder[0].orderState.equityWithLoanChange'}),
        'initMarginAfter': (1.7976931348623157e+308, {'ib_insync': 'openOrder[0].orderState.initMarginAfter', 'ib_async': 'openOrder[0].orderState.initMarginAfter', 'ibapi': 'openOrder[0].orderState.initMarginAfter'}),
        'maintMarginAfter': (1.7976931348623157e+308, {'ib_insync': 'openOrder[0].orderState.maintMarginAfter', 'ib_async': 'openOrder[0].orderState.maintMarginAfter', 'ibapi': 'openOrder[0].orderState.maintMarginAfter'}),
        'equityWithLoanAfter': (1.7976931348623157e+308, {'ib_insync': 'openOrder[0].orderState.equityWithLoanAfter', 'ib_async': 'openOrder[0].orderState.equityWithLoanAfter', 'ibapi': 'openOrder[0].orderState.equityWithLoanAfter'}),
        'commission': ('', {}),  # read by no client
        'minCommission': ('', {}),  # read by no client
        'maxCommission': ('', {}),  # read by no client
        'commissionCurrency': ('', {'ib_insync': 'openOrder[0].orderState.commissionCurrency', 'ib_async': 'openOrder[0].orderState.commissionCurrency'}),
        'warningText': ('Important Note: Your order size is below the EUR 20000 IdealPro minimum.\nYou may cancel and increase the order size if you wish to route to IdealPro\nor select the Transmit button to route as an odd lot order.\nNote that odd lot orders are not guaranteed executions at the IdealPro displayed quotes.', {'ib_insync': 'openOrder[0].orderState.warningText', 'ib_async': 'openOrder[0].orderState.warningText', 'ibapi': 'openOrder[0].orderState.warningText'}),
        'randomizeSize': (0, {'ib_insync': 'openOrder[0].order.randomizeSize', 'ib_async': 'openOrder[0].order.randomizeSize', 'ibapi': 'openOrder[0].order.randomizeSize'}),
        'randomizePrice': (0, {'ib_insync': 'openOrder[0].order.randomizePrice', 'ib_async': 'openOrder[0].order.randomizePrice', 'ibapi': 'openOrder[0].order.randomizePrice'}),
        'adjustedOrderType': ('None', {'ib_insync': 'openOrder[0].order.adjustedOrderType', 'ib_async': 'openOrder[0].order.adjustedOrderType', 'ibapi': 'openOrder[0].order.adjustedOrderType'}),
        'triggerPrice': (1.7976931348623157e+308, {'ib_insync': 'openOrder[0].order.triggerPrice', 'ib_async': 'openOrder[0].order.triggerPrice', 'ibapi': 'openOrder[0].order.triggerPrice'}),
        'adjustedTrailStopPrice': (2.0595499999999998, {'ib_insync': 'openOrder[0].order.trailStopPrice', 'ib_async': 'openOrder[0].order.trailStopPrice', 'ibapi': 'openOrder[0].order.trailStopPrice'}),  # check
        'lmtPriceOffset': (1.7976931348623157e+308, {'ib_insync': 'openOrder[0].order.lmtPriceOffset', 'ib_async': 'openOrder[0].order.lmtPriceOffset', 'ibapi': 'openOrder[0].order.lmtPriceOffset'}),
        'adjustedStopPrice': (1.7976931348623157e+308, {'ib_insync': 'openOrder[0].order.adjustedStopPrice', 'ib_async': 'openOrder[0].order.adjustedStopPrice', 'ibapi': 'openOrder[0].order.adjustedStopPrice'}),
        'adjustedStopLimitPrice': (1.7976931348623157e+308, {'ib_insync': 'openOrder[0].order.adjustedStopLimitPrice', 'ib_async': 'openOrder[0].order.adjustedStopLimitPrice', 'ibapi': 'openOrder[0].order.adjustedStopLimitPrice'}),
        'adjustedTrailingAmount': (1.7976931348623157e+308, {'ib_insync': 'openOrder[0].order.adjustedTrailingAmount', 'ib_async': 'openOrder[0].order.adjustedTrailingAmount', 'ibapi': 'openOrder[0].order.adjustedTrailingAmount'}),
        'adjustableTrailingUnit': (0, {'ib_insync': 'openOrder[0].order.adjustableTrailingUnit', 'ib_async': 'openOrder[0].order.adjustableTrailingUnit', 'ibapi': 'openOrder[0].order.adjustableTrailingUnit'}),
        'softDollarTierName': ('', {}),  # read by no client
        'softDollarTierValue': ('', {}),  # read by no client
        'softDollarTierDisplayName': ('', {}),  # read by no client
        'cashQty': (0.0, {'ib_insync': 'openOrder[0].order.cashQty', 'ib_async': 'openOrder[0].order.cashQty', 'ibapi': 'openOrder[0].order.cashQty'}),
        'dontUseAutoPriceForHedge': (1, {'ib_insync': 'openOrder[0].order.dontUseAutoPriceForHedge', 'ib_async': 'openOrder[0].order.dontUseAutoPriceForHedge', 'ibapi': 'openOrder[0].order.dontUseAutoPriceForHedge'}),
        'isOmsContainer': (0, {'ib_insync': 'openOrder[0].order.isOmsContainer', 'ib_async': 'openOrder[0].order.isOmsContainer', 'ibapi': 'openOrder[0].order.isOmsContainer'}),
        'discretionaryUpToLimitPrice': (0, {'ib_insync': 'openOrder[0].order.discretionaryUpToLimitPrice', 'ib_async': 'openOrder[0].order.discretionaryUpToLimitPrice', 'ibapi': 'openOrder[0].order.discretionaryUpToLimitPrice'}),
        'usePriceMgmtAlgo': (0, {'ib_insync': 'openOrder[0].order.usePriceMgmtAlgo', 'ib_async': 'openOrder[0].order.usePriceMgmtAlgo', 'ibapi': 'openOrder[0].order.usePriceMgmtAlgo'}),
        'duration': ('', {}),  # read by no client
        'postToAts': ('', {}),  # read by no client
        'autoCancelParent': (0, {'ib_insync': 'openOrder[0].order.autoCancelParent', 'ib_async': 'openOrder[0].order.autoCancelParent', 'ibapi': 'openOrder[0].order.autoCancelParent'}),
        'minTradeQty': ('', {}),  # read by no client
        'minCompeteSize': ('', {}),  # read by no client
        'competeAgainstBestOffset': ('', {}),  # read by no client
        'midOffsetAtWhole': ('', {}),  # read by no client
        'midOffsetAtHalf': ('', {}),  # read by no client
    }, capture='encertai[4]#0'),
    case('openOrder', 176, {
        'orderId': (1001, {}),  # read by no client
        'conId': (1002, {'ib_insync': 'openOrder[0].contract.conId', 'ib_async': 'openOrder[0].contract.conId', 'ibapi': 'openOrder[0].contract.conId'}),
        'symbol': ('symbol-3', {'ib_insync': 'openOrder[0].contract.symbol', 'ib_async': 'openOrder[0].contract.symbol', 'ibapi': 'openOrder[0].contract.symbol'}),
        'secType': ('STK', {'ib_insync': 'openOrder[0].contract.secType', 'ib_async': 'openOrder[0].contract.secType', 'ibapi': 'openOrder[0].contract.secType'}),
        'lastTradeDateOrContractMonth': ('lastTradeDateOrContractMonth-5', {'ib_insync': 'openOrder[0].contract.lastTradeDateOrContractMonth', 'ib_async': 'openOrder[0].contract.lastTradeDateOrContractMonth', 'ibapi': 'openOrder[0].contract.lastTradeDateOrContractMonth'}),
        'strike': (506, {'ib_insync': 'openOrder[0].contract.strike', 'ib_async': 'openOrder[0].contract.strike', 'ibapi': 'openOrder[0].contract.strike'}),
        'right': ('right-7', {'ib_insync': 'openOrder[0].contract.right', 'ib_async': 'openOrder[0].contract.right', 'ibapi': 'openOrder[0].contract.right'}),
        'multiplier': ('multiplier-8', {'ib_insync': 'openOrder[0].contract.multiplier', 'ib_async': 'openOrder[0].contract.multiplier', 'ibapi': 'openOrder[0].contract.multiplier'}),
        'exchange': ('exchange-9', {'ib_insync': 'openOrder[0].contract.exchange', 'ib_async': 'openOrder[0].contract.exchange', 'ibapi': 'openOrder[0].contract.exchange'}),
        'currency': ('currency-10', {'ib_insync': 'openOrder[0].contract.currency', 'ib_async': 'openOrder[0].contract.currency', 'ibapi': 'openOrder[0].contract.currency'}),
        'localSymbol': ('localSymbol-11', {'ib_insync': 'openOrder[0].contract.localSymbol', 'ib_async': 'openOrder[0].contract.localSymbol', 'ibapi': 'openOrder[0].contract.localSymbol'}),
        'tradingClass': ('tradingClass-12', {'ib_insync': 'openOrder[0].contract.tradingClass', 'ib_async': 'openOrder[0].contract.tradingClass', 'ibapi': 'openOrder[0].contract.tradingClass'}),
        'action': ('action-13', {'ib_insync': 'openOrder[0].order.action', 'ib_async': 'openOrder[0].order.action', 'ibapi': 'openOrder[0].order.action'}),
        'totalQuantity': (514, {'ib_insync': 'openOrder[0].order.totalQuantity', 'ib_async': 'openOrder[0].order.totalQuantity', 'ibapi': 'openOrder[0].order.totalQuantity'}),
        'orderType': ('LMT', {'ib_insync': 'openOrder[0].order.orderType', 'ib_async': 'openOrder[0].order.orderType', 'ibapi': 'openOrder[0].order.orderType'}),
        'lmtPrice': (116.25, {'ib_insync': 'openOrder[0].order.lmtPrice', 'ib_async': 'openOrder[0].order.lmtPrice', 'ibapi': 'openOrder[0].order.lmtPrice'}),
        'auxPrice': (117.25, {'ib_insync': 'openOrder[0].order.auxPrice', 'ib_async': 'openOrder[0].order.auxPrice', 'ibapi': 'openOrder[0].order.auxPrice'}),
        'tif': ('tif-18', {'ib_insync': 'openOrder[0].order.tif', 'ib_async': 'openOrder[0].order.tif', 'ibapi': 'openOrder[0].order.tif'}),
        'ocaGroup': ('ocaGroup-19', {'ib_insync': 'openOrder[0].order.ocaGroup', 'ib_async': 'openOrder[0].order.ocaGroup', 'ibapi': 'openOrder[0].order.ocaGroup'}),
        'account': ('account-20', {'ib_insync': 'openOrder[0].order.account', 'ib_async': 'openOrder[0].order.account', 'ibapi': 'openOrder[0].order.account'}),
        'openClose': ('openClose-21', {'ib_insync': 'openOrder[0].order.openClose', 'ib_async': 'openOrder[0].order.openClose', 'ibapi': 'openOrder[0].order.openClose'}),
        'origin': (1022, {'ib_insync': 'openOrder[0].order.origin', 'ib_async': 'openOrder[0].order.origin', 'ibapi': 'openOrder[0].order.origin'}),
        'orderRef': ('orderRef-23', {'ib_insync': 'openOrder[0].order.orderRef', 'ib_async': 'openOrder[0].order.orderRef', 'ibapi': 'openOrder[0].order.orderRef'}),
        'clientId': (1024, {'ib_insync': 'openOrder[0].order.clientId', 'ib_async': 'openOrder[0].order.clientId', 'ibapi': 'openOrder[0].order.clientId'}),
        'permId': (1025, {'ib_insync': 'openOrder[0].order.permId', 'ib_async': 'openOrder[0].order.permId', 'ibapi': 'openOrder[0].order.permId'}),
        'outsideRth': (0, {'ib_insync': 'openOrder[0].order.outsideRth', 'ib_async': 'openOrder[0].order.outsideRth', 'ibapi': 'openOrder[0].order.outsideRth'}),
        'hidden': (1, {'ib_insync': 'openOrder[0].order.hidden', 'ib_async': 'openOrder[0].order.hidden', 'ibapi': 'openOrder[0].order.hidden'}),
        'discretionaryAmt': (528, {'ib_insync': 'openOrder[0].order.discretionaryAmt', 'ib_async': 'openOrder[0].order.discretionaryAmt', 'ibapi': 'openOrder[0].order.discretionaryAmt'}),
        'goodAfterTime': ('goodAfterTime-29', {'ib_insync': 'openOrder[0].order.goodAfterTime', 'ib_async': 'openOrder[0].order.goodAfterTime', 'ibapi': 'openOrder[0].order.goodAfterTime'}),
        'sharesAllocation': ('sharesAllocation-30', {}),  # read by no client
        'faGroup': ('faGroup-31', {'ib_insync': 'openOrder[0].order.faGroup', 'ib_async': 'openOrder[0].order.faGroup', 'ibapi': 'openOrder[0].order.faGroup'}),
        'faMethod': ('faMethod-32', {'ib_insync': 'openOrder[0].order.faMethod', 'ib_async': 'openOrder[0].order.faMethod', 'ibapi': 'openOrder[0].order.faMethod'}),
        'faPercentage': ('faPercentage-33', {'ib_insync': 'openOrder[0].order.faPercentage', 'ib_async': 'openOrder[0].order.faPercentage', 'ibapi': 'openOrder[0].order.faPercentage'}),
        'faProfile': ('faProfile-34', {'ib_insync': 'openOrder[0].order.faProfile', 'ib_async': 'openOrder[0].order.faProfile'}),
        'modelCode': ('modelCode-35', {'ib_insync': 'openOrder[0].order.modelCode', 'ib_async': 'openOrder[0].order.modelCode', 'ibapi': 'openOrder[0].order.modelCode'}),
        'goodTillDate': ('goodTillDate-36', {'ib_insync': 'openOrder[0].order.goodTillDate', 'ib_async': 'openOrder[0].order.goodTillDate', 'ibapi': 'openOrder[0].order.goodTillDate'}),
        'rule80A': ('rule80A-37', {'ib_insync': 'openOrder[0].order.rule80A', 'ib_async': 'openOrder[0].order.rule80A', 'ibapi': 'openOrder[0].order.rule80A'}),
        'percentOffset': (138.25, {'ib_insync': 'openOrder[0].order.percentOffset', 'ib_async': 'openOrder[0].order.percentOffset', 'ibapi': 'openOrder[0].order.percentOffset'}),
        'settlingFirm': ('settlingFirm-39', {'ib_insync': 'openOrder[0].order.settlingFirm', 'ib_async': 'openOrder[0].order.settlingFirm', 'ibapi': 'openOrder[0].order.settlingFirm'}),
        'shortSaleSlot': (1040, {'ib_insync': 'openOrder[0].order.shortSaleSlot', 'ib_async': 'openOrder[0].order.shortSaleSlot', 'ibapi': 'openOrder[0].order.shortSaleSlot'}),
        'designatedLocation': ('designatedLocation-41', {'ib_insync': 'openOrder[0].order.designatedLocation', 'ib_async': 'openOrder[0].order.designatedLocation', 'ibapi': 'openOrder[0].order.designatedLocation'}),
        'exemptCode': (1042, {'ib_insync': 'openOrder[0].order.exemptCode', 'ib_async': 'openOrder[0].order.exemptCode', 'ibapi': 'openOrder[0].order.exemptCode'}),
        'auctionStrategy': (1043, {'ib_insync': 'openOrder[0].order.auctionStrategy', 'ib_async': 'openOrder[0].order.auctionStrategy', 'ibapi': 'openOrder[0].order.auctionStrategy'}),
        'startingPrice': (144.25, {'ib_insync': 'openOrder[0].order.startingPrice', 'ib_async': 'openOrder[0].order.startingPrice', 'ibapi': 'openOrder[0].order.startingPrice'}),
        'stockRefPrice': (145.25, {'ib_insync': 'openOrder[0].order.stockRefPrice', 'ib_async': 'openOrder[0].order.stockRefPrice', 'ibapi': 'openOrder[0].order.stockRefPrice'}),
        'delta': (146.25, {'ib_insync': 'openOrder[0].order.delta', 'ib_async': 'openOrder[0].order.delta', 'ibapi': 'openOrder[0].order.delta'}),
        'stockRangeLower': (147.25, {'ib_insync': 'openOrder[0].order.stockRangeLower', 'ib_async': 'openOrder[0].order.stockRangeLower', 'ibapi': 'openOrder[0].order.stockRangeLower'}),
        'stockRangeUpper': (148.25, {'ib_insync': 'openOrder[0].order.stockRangeUpper', 'ib_async': 'openOrder[0].order.stockRangeUpper', 'ibapi': 'openOrder[0].order.stockRangeUpper'}),
        'displaySize': (1049, {'ib_insync': 'openOrder[0].order.displaySize', 'ib_async': 'openOrder[0].order.displaySize', 'ibapi': 'openOrder[0].order.displaySize'}),
        'blockOrder': (0, {'ib_insync': 'openOrder[0].order.blockOrder', 'ib_async': 'openOrder[0].order.blockOrder', 'ibapi': 'openOrder[0].order.blockOrder'}),
        'sweepToFill': (1, {'ib_insync': 'openOrder[0].order.sweepToFill', 'ib_async': 'openOrder[0].order.sweepToFill', 'ibapi': 'openOrder[0].order.sweepToFill'}),
        'allOrNone': (0, {'ib_insync': 'openOrder[0].order.allOrNone', 'ib_async': 'openOrder[0].order.allOrNone', 'ibapi': 'openOrder[0].order.allOrNone'}),
        'minQty': (1053, {'ib_insync': 'openOrder[0].order.minQty', 'ib_async': 'openOrder[0].order.minQty', 'ibapi': 'openOrder[0].order.minQty'}),
        'ocaType': (1054, {'ib_insync': 'openOrder[0].order.ocaType', 'ib_async': 'openOrder[0].order.ocaType', 'ibapi': 'openOrder[0].order.ocaType'}),
        'eTradeOnly': (1, {'ib_insync': 'openOrder[0].order.eTradeOnly', 'ib_async': 'openOrder[0].order.eTradeOnly'}),
        'firmQuoteOnly': (0, {'ib_insync': 'openOrder[0].order.firmQuoteOnly', 'ib_async': 'openOrder[0].order.firmQuoteOnly'}),
        'nbboPriceCap': (157.25, {'ib_insync': 'openOrder[0].order.nbboPriceCap', 'ib_async': 'openOrder[0].order.nbboPriceCap'}),
        'parentId': (1058, {'ib_insync': 'openOrder[0].order.parentId', 'ib_async': 'openOrder[0].order.parentId', 'ibapi': 'openOrder[0].order.parentId'}),
        'triggerMethod': (1059, {'ib_insync': 'openOrder[0].order.triggerMethod', 'ib_async': 'openOrder[0].order.triggerMethod', 'ibapi': 'openOrder[0].order.triggerMethod'}),
        'volatility': (160.25, {'ib_insync': 'openOrder[0].order.volatility', 'ib_async': 'openOrder[0].order.volatility', 'ibapi': 'openOrder[0].order.volatility'}),
        'volatilityType': (1061, {'ib_insync': 'openOrder[0].order.volatilityType', 'ib_async': 'openOrder[0].order.volatilityType', 'ibapi': 'openOrder[0].order.volatilityType'}),
        'deltaNeutralOrderType': ('None', {'ib_insync': 'openOrder[0].order.deltaNeutralOrderType', 'ib_async': 'openOrder[0].order.deltaNeutralOrderType', 'ibapi': 'openOrder[0].order.deltaNeutralOrderType'}),
        'deltaNeutralAuxPrice': (163.25, {'ib_insync': 'openOrder[0].order.deltaNeutralAuxPrice', 'ib_async': 'openOrder[0].order.deltaNeutralAuxPrice', 'ibapi': 'openOrder[0].order.deltaNeutralAuxPrice'}),
        'deltaNeutralConId': (1064, {'ib_insync': 'openOrder[0].order.deltaNeutralConId', 'ib_async': 'openOrder[0].order.deltaNeutralConId', 'ibapi': 'openOrder[0].order.deltaNeutralConId'}),
        'deltaNeutralSettlingFirm': ('deltaNeutralSettlingFirm-65', {'ib_insync': 'openOrder[0].order.deltaNeutralSettlingFirm', 'ib_async': 'openOrder[0].order.deltaNeutralSettlingFirm', 'ibapi': 'openOrder[0].order.deltaNeutralSettlingFirm'}),
        'deltaNeutralClearingAccount': ('deltaNeutralClearingAccount-66', {'ib_insync': 'openOrder[0].order.deltaNeutralClearingAccount', 'ib_async': 'openOrder[0].order.deltaNeutralClearingAccount', 'ibapi': 'openOrder[0].order.deltaNeutralClearingAccount'}),
        'deltaNeutralClearingIntent': ('deltaNeutralClearingIntent-67', {'ib_insync': 'openOrder[0].order.deltaNeutralClearingIntent', 'ib_async': 'openOrder[0].order.deltaNeutralClearingIntent', 'ibapi': 'openOrder[0].order.deltaNeutralClearingIntent'}),
        'deltaNeutralOpenClose': ('deltaNeutralOpenClose-68', {'ib_insync': 'openOrder[0].order.deltaNeutralOpenClose', 'ib_async': 'openOrder[0].order.deltaNeutralOpenClose', 'ibapi': 'openOrder[0].order.deltaNeutralOpenClose'}),
        'deltaNeutralShortSale': (1, {'ib_insync': 'openOrder[0].order.deltaNeutralShortSale', 'ib_async': 'openOrder[0].order.deltaNeutralShortSale', 'ibapi': 'openOrder[0].order.deltaNeutralShortSale'}),
        'deltaNeutralShortSaleSlot': (1070, {'ib_insync': 'openOrder[0].order.deltaNeutralShortSaleSlot', 'ib_async': 'openOrder[0].order.deltaNeutralShortSaleSlot', 'ibapi': 'openOrder[0].order.deltaNeutralShortSaleSlot'}),
        'deltaNeutralDesignatedLocation': ('deltaNeutralDesignatedLocation-71', {'ib_insync': 'openOrder[0].order.deltaNeutralDesignatedLocation', 'ib_async': 'openOrder[0].order.deltaNeutralDesignatedLocation', 'ibapi': 'openOrder[0].order.deltaNeutralDesignatedLocation'}),
        'continuousUpdate': (0, {'ib_insync': 'openOrder[0].order.continuousUpdate', 'ib_async': 'openOrder[0].order.continuousUpdate', 'ibapi': 'openOrder[0].order.continuousUpdate'}),
        'referencePriceType': (1073, {'ib_insync': 'openOrder[0].order.referencePriceType', 'ib_async': 'openOrder[0].order.referencePriceType', 'ibapi': 'openOrder[0].order.referencePriceType'}),
        'trailStopPrice': (174.25, {}),  # read by no client
        'trailingPercent': (175.25, {'ib_insync': 'openOrder[0].order.trailingPercent', 'ib_async': 'openOrder[0].order.trailingPercent', 'ibapi': 'openOrder[0].order.trailingPercent'}),
        'basisPoints': (176.25, {'ib_insync': 'openOrder[0].order.basisPoints', 'ib_async': 'openOrder[0].order.basisPoints', 'ibapi': 'openOrder[0].order.basisPoints'}),
        'basisPointsType': (1077, {'ib_insync': 'openOrder[0].order.basisPointsType', 'ib_async': 'openOrder[0].order.basisPointsType', 'ibapi': 'openOrder[0].order.basisPointsType'}),
        'comboLegsDescrip': ('comboLegsDescrip-78', {'ib_insync': 'openOrder[0].contract.comboLegsDescrip', 'ib_async': 'openOrder[0].contract.comboLegsDescrip', 'ibapi': 'openOrder[0].contract.comboLegsDescrip'}),
        'comboLegs[0].conId': (1079, {'ib_insync': 'openOrder[0].contract.comboLegs[0].conId', 'ib_async': 'openOrder[0].contract.comboLegs[0].conId', 'ibapi': 'openOrder[0].contract.comboLegs[0].conId'}),
        'comboLegs[0].ratio': (1080, {'ib_insync': 'openOrder[0].contract.comboLegs[0].ratio', 'ib_async': 'openOrder[0].contract.comboLegs[0].ratio', 'ibapi': 'openOrder[0].contract.comboLegs[0].ratio'}),
        'comboLegs[0].action': ('action-81', {'ib_insync': 'openOrder[0].contract.comboLegs[0].action', 'ib_async': 'openOrder[0].contract.comboLegs[0].action', 'ibapi': 'openOrder[0].contract.comboLegs[0].action'}),
        'comboLegs[0].exchange': ('exchange-82', {'ib_insync': 'openOrder[0].contract.comboLegs[0].exchange', 'ib_async': 'openOrder[0].contract.comboLegs[0].exchange', 'ibapi': 'openOrder[0].contract.comboLegs[0].exchange'}),
        'comboLegs[0].openClose': (1083, {'ib_insync': 'openOrder[0].contract.comboLegs[0].openClose', 'ib_async': 'openOrder[0].contract.comboLegs[0].openClose', 'ibapi': 'openOrder[0].contract.comboLegs[0].openClose'}),
        'comboLegs[0].shortSaleSlot': (1084, {'ib_insync': 'openOrder[0].contract.comboLegs[0].shortSaleSlot', 'ib_async': 'openOrder[0].contract.comboLegs[0].shortSaleSlot', 'ibapi': 'openOrder[0].contract.comboLegs[0].shortSaleSlot'}),
        'comboLegs[0].designatedLocation': ('designatedLocation-85', {'ib_insync': 'openOrder[0].contract.comboLegs[0].designatedLocation', 'ib_async': 'openOrder[0].contract.comboLegs[0].designatedLocation', 'ibapi': 'openOrder[0].contract.comboLegs[0].designatedLocation'}),
        'comboLegs[0].exemptCode': (1086, {'ib_insync': 'openOrder[0].contract.comboLegs[0].exemptCode', 'ib_async': 'openOrder[0].contract.comboLegs[0].exemptCode', 'ibapi': 'openOrder[0].contract.comboLegs[0].exemptCode'}),
        'comboLegs[1].conId': (1087, {'ib_insync': 'openOrder[0].contract.comboLegs[1].conId', 'ib_async': 'openOrder[0].contract.comboLegs[1].conId', 'ibapi': 'openOrder[0].contract.comboLegs[1].conId'}),
        'comboLegs[1].ratio': (1088, {'ib_insync': 'openOrder[0].contract.comboLegs[1].ratio', 'ib_async': 'openOrder[0].contract.comboLegs[1].ratio', 'ibapi': 'openOrder[0].contract.comboLegs[1].ratio'}),
        'comboLegs[1].action': ('action-89', {'ib_insync': 'openOrder[0].contract.comboLegs[1].action', 'ib_async': 'openOrder[0].contract.comboLegs[1].action', 'ibapi': 'openOrder[0].contract.comboLegs[1].action'}),
        'comboLegs[1].exchange': ('exchange-90', {'ib_insync': 'openOrder[0].contract.comboLegs[1].exchange', 'ib_async': 'openOrder[0].contract.comboLegs[1].exchange', 'ibapi': 'openOrder[0].contract.comboLegs[1].exchange'}),
        'comboLegs[1].openClose': (1091, {'ib_insync': 'openOrder[0].contract.comboLegs[1].openClose', 'ib_async': 'openOrder[0].contract.comboLegs[1].openClose', 'ibapi': 'openOrder[0].contract.comboLegs[1].openClose'}),
        'comboLegs[1].shortSaleSlot': (1092, {'ib_insync': 'openOrder[0].contract.comboLegs[1].shortSaleSlot', 'ib_async': 'openOrder[0].contract.comboLegs[1].shortSaleSlot', 'ibapi': 'openOrder[0].contract.comboLegs[1].shortSaleSlot'}),
        'comboLegs[1].designatedLocation': ('designatedLocation-93', {'ib_insync': 'openOrder[0].contract.comboLegs[1].designatedLocation', 'ib_async': 'openOrder[0].contract.comboLegs[1].designatedLocation', 'ibapi': 'openOrder[0].contract.comboLegs[1].designatedLocation'}),
        'comboLegs[1].exemptCode': (1094, {'ib_insync': 'openOrder[0].contract.comboLegs[1].exemptCode', 'ib_async': 'openOrder[0].contract.comboLegs[1].exemptCode', 'ibapi': 'openOrder[0].contract.comboLegs[1].exemptCode'}),
        'orderComboLegs[0].price': (195.25, {'ib_insync': 'openOrder[0].order.orderComboLegs[0].price', 'ib_async': 'openOrder[0].order.orderComboLegs[0].price', 'ibapi': 'openOrder[0].order.orderComboLegs[0].price'}),
        'orderComboLegs[1].price': (196.25, {'ib_insync': 'openOrder[0].order.orderComboLegs[1].price', 'ib_async': 'openOrder[0].order.orderComboLegs[1].price', 'ibapi': 'openOrder[0].order.orderComboLegs[1].price'}),
        'smartComboRoutingParams[0].tag': ('tag-97', {'ib_insync': 'openOrder[0].order.smartComboRoutingParams[0][0]', 'ib_async': 'openOrder[0].order.smartComboRoutingParams[0][0]', 'ibapi': 'openOrder[0].order.smartComboRoutingParams[0].tag'}),  # check
        'smartComboRoutingParams[0].value': ('value-98', {'ib_insync': 'openOrder[0].order.smartComboRoutingParams[0][1]', 'ib_async': 'openOrder[0].order.smartComboRoutingParams[0][1]', 'ibapi': 'openOrder[0].order.smartComboRoutingParams[0].value'}),  # check
        'smartComboRoutingParams[1].tag': ('tag-99', {'ib_insync': 'openOrder[0].order.smartComboRoutingParams[1][0]', 'ib_async': 'openOrder[0].order.smartComboRoutingParams[1][0]', 'ibapi': 'openOrder[0].order.smartComboRoutingParams[1].tag'}),  # check
        'smartComboRoutingParams[1].value': ('value-100', {'ib_insync': 'openOrder[0].order.smartComboRoutingParams[1][1]', 'ib_async': 'openOrder[0].order.smartComboRoutingParams[1][1]', 'ibapi': 'openOrder[0].order.smartComboRoutingParams[1].value'}),  # check
        'scaleInitLevelSize': (1101, {'ib_insync': 'openOrder[0].order.scaleInitLevelSize', 'ib_async': 'openOrder[0].order.scaleInitLevelSize', 'ibapi': 'openOrder[0].order.scaleInitLevelSize'}),
        'scaleSubsLevelSize': (1102, {'ib_insync': 'openOrder[0].order.scaleSubsLevelSize', 'ib_async': 'openOrder[0].order.scaleSubsLevelSize', 'ibapi': 'openOrder[0].order.scaleSubsLevelSize'}),
        'scalePriceIncrement': (0.0, {'ibapi': 'openOrder[0].order.scalePriceIncrement'}),
        'hedgeType': ('', {'ib_insync': 'openOrder[0].order.hedgeType', 'ib_async': 'openOrder[0].order.hedgeType', 'ibapi': 'openOrder[0].order.hedgeType'}),
        'optOutSmartRouting': (1, {'ib_insync': 'openOrder[0].order.optOutSmartRouting', 'ib_async': 'openOrder[0].order.optOutSmartRouting', 'ibapi': 'openOrder[0].order.optOutSmartRouting'}),
        'clearingAccount': ('clearingAccount-106', {'ib_insync': 'openOrder[0].order.clearingAccount', 'ib_async': 'openOrder[0].order.clearingAccount', 'ibapi': 'openOrder[0].order.clearingAccount'}),
        'clearingIntent': ('clearingIntent-107', {'ib_insync': 'openOrder[0].order.clearingIntent', 'ib_async': 'openOrder[0].order.clearingIntent', 'ibapi': 'openOrder[0].order.clearingIntent'}),
        'notHeld': (1, {'ib_insync': 'openOrder[0].order.notHeld', 'ib_async': 'openOrder[0].order.notHeld', 'ibapi': 'openOrder[0].order.notHeld'}),
        'deltaNeutralContractPresent': (0, {}),  # read by no client
        'algoStrategy': ('', {'ib_insync': 'openOrder[0].order.algoStrategy', 'ib_async': 'openOrder[0].order.algoStrategy', 'ibapi': 'openOrder[0].order.algoStrategy'}),
        'solicited': (1, {'ib_insync': 'openOrder[0].order.solicited', 'ib_async': 'openOrder[0].order.solicited', 'ibapi': 'openOrder[0].order.solicited'}),
        'whatIf': (0, {'ib_insync': 'openOrder[0].order.whatIf', 'ib_async': 'openOrder[0].order.whatIf', 'ibapi': 'openOrder[0].order.whatIf'}),
        'status': ('status-113', {'ib_insync': 'openOrder[0].orderState.status', 'ib_async': 'openOrder[0].orderState.status', 'ibapi': 'openOrder[0].orderState.status'}),
        'initMarginBefore': (214.25, {'ib_insync': 'openOrder[0].orderState.initMarginBefore', 'ib_async': 'openOrder[0].orderState.initMarginBefore', 'ibapi': 'openOrder[0].orderState.initMarginBefore'}),
        'maintMarginBefore': (215.25, {'ib_insync': 'openOrder[0].orderState.maintMarginBefore', 'ib_async': 'openOrder[0].orderState.maintMarginBefore', 'ibapi': 'openOrder[0].orderState.maintMarginBefore'}),
        'equityWithLoanBefore': (216.25, {'ib_insync': 'openOrder[0].orderState.equityWithLoanBefore', 'ib_async': 'openOrder[0].orderState.equityWithLoanBefore', 'ibapi': 'openOrder[0].orderState.equityWithLoanBefore'}),
        'initMarginChange': (217.25, {'ib_insync': 'openOrder[0].orderState.initMarginChange', 'ib_async': 'openOrder[0].orderState.initMarginChange', 'ibapi': 'openOrder[0].orderState.initMarginChange'}),
        'maintMarginChange': (218.25, {'ib_insync': 'openOrder[0].orderState.maintMarginChange', 'ib_async': 'openOrder[0].orderState.maintMarginChange', 'ibapi': 'openOrder[0].orderState.maintMarginChange'}),
        'equityWithLoanChange': (219.25, {'ib_insync': 'openOrder[0].orderState.equityWithLoanChange', 'ib_async': 'openOrder[0].orderState.equityWithLoanChange', 'ibapi': 'openOrder[0].orderState.equityWithLoanChange'}),
        'initMarginAfter': (220.25, {'ib_insync': 'openOrder[0].orderState.initMarginAfter', 'ib_async': 'openOrder[0].orderState.initMarginAfter', 'ibapi': 'openOrder[0].orderState.initMarginAfter'}),
        'maintMarginAfter': (221.25, {'ib_insync': 'openOrder[0].orderState.maintMarginAfter', 'ib_async': 'openOrder[0].orderState.maintMarginAfter', 'ibapi': 'openOrder[0].orderState.maintMarginAfter'}),
        'equityWithLoanAfter': (222.25, {'ib_insync': 'openOrder[0].orderState.equityWithLoanAfter', 'ib_async': 'openOrder[0].orderState.equityWithLoanAfter', 'ibapi': 'openOrder[0].orderState.equityWithLoanAfter'}),
        'commission': (223.25, {'ib_insync': 'openOrder[0].orderState.commission', 'ib_async': 'openOrder[0].orderState.commission', 'ibapi': 'openOrder[0].orderState.commissionAndFees'}),  # check
        'minCommission': (224.25, {'ib_insync': 'openOrder[0].orderState.minCommission', 'ib_async': 'openOrder[0].orderState.minCommission', 'ibapi': 'openOrder[0].orderState.minCommissionAndFees'}),  # check
        'maxCommission': (225.25, {'ib_insync': 'openOrder[0].orderState.maxCommission', 'ib_async': 'openOrder[0].orderState.maxCommission', 'ibapi': 'openOrder[0].orderState.maxCommissionAndFees'}),  # check
        'commissionCurrency': ('commissionCurrency-126', {'ib_insync': 'openOrder[0].orderState.commissionCurrency', 'ib_async': 'openOrder[0].orderState.commissionCurrency', 'ibapi': 'openOrder[0].orderState.commissionAndFeesCurrency'}),  # check
        'warningText': ('warningText-127', {'ib_insync': 'openOrder[0].orderState.warningText', 'ib_async': 'openOrder[0].orderState.warningText', 'ibapi': 'openOrder[0].orderState.warningText'}),
        'randomizeSize': (0, {'ib_insync': 'openOrder[0].order.randomizeSize', 'ib_async': 'openOrder[0].order.randomizeSize', 'ibapi': 'openOrder[0].order.randomizeSize'}),
        'randomizePrice': (1, {'ib_insync': 'openOrder[0].order.randomizePrice', 'ib_async': 'openOrder[0].order.randomizePrice', 'ibapi': 'openOrder[0].order.randomizePrice'}),
        'adjustedOrderType': ('adjustedOrderType-130', {'ib_insync': 'openOrder[0].order.adjustedOrderType', 'ib_async': 'openOrder[0].order.adjustedOrderType', 'ibapi': 'openOrder[0].order.adjustedOrderType'}),
        'triggerPrice': (231.25, {'ib_insync': 'openOrder[0].order.triggerPrice', 'ib_async': 'openOrder[0].order.triggerPrice', 'ibapi': 'openOrder[0].order.triggerPrice'}),
        'adjustedTrailStopPrice': (232.25, {'ib_insync': 'openOrder[0].order.trailStopPrice', 'ib_async': 'openOrder[0].order.trailStopPrice', 'ibapi': 'openOrder[0].order.trailStopPrice'}),  # check
        'lmtPriceOffset': (233.25, {'ib_insync': 'openOrder[0].order.lmtPriceOffset', 'ib_async': 'openOrder[0].order.lmtPriceOffset', 'ibapi': 'openOrder[0].order.lmtPriceOffset'}),
        'adjustedStopPrice': (234.25, {'ib_insync': 'openOrder[0].order.adjustedStopPrice', 'ib_async': 'openOrder[0].order.adjustedStopPrice', 'ibapi': 'openOrder[0].order.adjustedStopPrice'}),
        'adjustedStopLimitPrice': (235.25, {'ib_insync': 'openOrder[0].order.adjustedStopLimitPrice', 'ib_async': 'openOrder[0].order.adjustedStopLimitPrice', 'ibapi': 'openOrder[0].order.adjustedStopLimitPrice'}),
        'adjustedTrailingAmount': (236.25, {'ib_insync': 'openOrder[0].order.adjustedTrailingAmount', 'ib_async': 'openOrder[0].order.adjustedTrailingAmount', 'ibapi': 'openOrder[0].order.adjustedTrailingAmount'}),
        'adjustableTrailingUnit': (1137, {'ib_insync': 'openOrder[0].order.adjustableTrailingUnit', 'ib_async': 'openOrder[0].order.adjustableTrailingUnit', 'ibapi': 'openOrder[0].order.adjustableTrailingUnit'}),
        'softDollarTierName': ('softDollarTierName-138', {'ib_insync': 'openOrder[0].order.softDollarTier.name', 'ib_async': 'openOrder[0].order.softDollarTier.name', 'ibapi': 'openOrder[0].order.softDollarTier.name'}),  # check
        'softDollarTierValue': ('softDollarTierValue-139', {'ib_insync': 'openOrder[0].order.softDollarTier.val', 'ib_async': 'openOrder[0].order.softDollarTier.val', 'ibapi': 'openOrder[0].order.softDollarTier.val'}),  # check
        'softDollarTierDisplayName': ('softDollarTierDisplayName-140', {'ib_insync': 'openOrder[0].order.softDollarTier.displayName', 'ib_async': 'openOrder[0].order.softDollarTier.displayName', 'ibapi': 'openOrder[0].order.softDollarTier.displayName'}),  # check
        'cashQty': (641, {'ib_insync': 'openOrder[0].order.cashQty', 'ib_async': 'openOrder[0].order.cashQty', 'ibapi': 'openOrder[0].order.cashQty'}),
        'dontUseAutoPriceForHedge': (0, {'ib_insync': 'openOrder[0].order.dontUseAutoPriceForHedge', 'ib_async': 'openOrder[0].order.dontUseAutoPriceForHedge', 'ibapi': 'openOrder[0].order.dontUseAutoPriceForHedge'}),
        'isOmsContainer': (1, {'ib_insync': 'openOrder[0].order.isOmsContainer', 'ib_async': 'openOrder[0].order.isOmsContainer', 'ibapi': 'openOrder[0].order.isOmsContainer'}),
        'discretionaryUpToLimitPrice': (0, {'ib_insync': 'openOrder[0].order.discretionaryUpToLimitPrice', 'ib_async': 'openOrder[0].order.discretionaryUpToLimitPrice', 'ibapi': 'openOrder[0].order.discretionaryUpToLimitPrice'}),
        'usePriceMgmtAlgo': (1, {'ib_insync': 'openOrder[0].order.usePriceMgmtAlgo', 'ib_async': 'openOrder[0].order.usePriceMgmtAlgo', 'ibapi': 'openOrder[0].order.usePriceMgmtAlgo'}),
        'duration': (1146, {'ib_insync': 'openOrder[0].order.duration', 'ib_async': 'openOrder[0].order.duration', 'ibapi': 'openOrder[0].order.duration'}),
        'postToAts': (1147, {'ib_insync': 'openOrder[0].order.postToAts', 'ib_async': 'openOrder[0].order.postToAts', 'ibapi': 'openOrder[0].order.postToAts'}),
        'autoCancelParent': (0, {'ib_insync': 'openOrder[0].order.autoCancelParent', 'ib_async': 'openOrder[0].order.autoCancelParent', 'ibapi': 'openOrder[0].order.autoCancelParent'}),
        'minTradeQty': (1149, {'ib_insync': 'openOrder[0].order.minTradeQty', 'ib_async': 'openOrder[0].order.minTradeQty', 'ibapi': 'openOrder[0].order.minTradeQty'}),
        'minCompeteSize': (1150, {'ib_insync': 'openOrder[0].order.minCompeteSize', 'ib_async': 'openOrder[0].order.minCompeteSize', 'ibapi': 'openOrder[0].order.minCompeteSize'}),
        'competeAgainstBestOffset': (251.25, {'ib_insync': 'openOrder[0].order.competeAgainstBestOffset', 'ib_async': 'openOrder[0].order.competeAgainstBestOffset', 'ibapi': 'openOrder[0].order.competeAgainstBestOffset'}),
        'midOffsetAtWhole': (252.25, {'ib_insync': 'openOrder[0].order.midOffsetAtWhole', 'ib_async': 'openOrder[0].order.midOffsetAtWhole', 'ibapi': 'openOrder[0].order.midOffsetAtWhole'}),
        'midOffsetAtHalf': (253.25, {'ib_insync': 'openOrder[0].order.midOffsetAtHalf', 'ib_async': 'openOrder[0].order.midOffsetAtHalf', 'ibapi': 'openOrder[0].order.midOffsetAtHalf'}),
    }),
]
