"""The account-value template: which keys IB reports for an account, and where each value comes from.

Transcribed from a real paper account's reqAccountUpdates reply (see the conformance captures):
the same keys in the same order, so clients see the ~150 values they expect. ``both`` keys are
sent twice, for ``BASE`` and the account currency; ``ccy`` once in the account currency; ``none``
with no currency. A source is either a computed figure (see ``Account.figures``) or ``=literal``.
"""

from __future__ import annotations

TEMPLATE = """
AccountCode none account
AccountOrGroup both account
AccountReady none =true
AccountType none =INDIVIDUAL
AccruedCash both accrued
AccruedCash-C ccy zero
AccruedCash-S ccy accrued
AccruedDividend ccy zero
AccruedDividend-C ccy zero
AccruedDividend-S ccy zero
AvailableFunds ccy available
AvailableFunds-C ccy zero
AvailableFunds-S ccy available
Billable ccy zero
Billable-C ccy zero
Billable-S ccy zero
BuyingPower ccy buying_power
CashBalance both cash
ColumnPrio-C none =2
ColumnPrio-S none =1
CorporateBondValue both zero
Currency both currency
Cushion none =1
DayTradesRemaining none =-1
DayTradesRemainingT+1 none =-1
DayTradesRemainingT+2 none =-1
DayTradesRemainingT+3 none =-1
DayTradesRemainingT+4 none =-1
DayTradingStatus-S none =::false:0.00:
EquityWithLoanValue ccy equity
EquityWithLoanValue-C ccy zero
EquityWithLoanValue-S ccy equity
ExcessLiquidity ccy excess
ExcessLiquidity-C ccy zero
ExcessLiquidity-S ccy excess
ExchangeRate both =1.00
FullAvailableFunds ccy available
FullAvailableFunds-C ccy zero
FullAvailableFunds-S ccy available
FullExcessLiquidity ccy excess
FullExcessLiquidity-C ccy zero
FullExcessLiquidity-S ccy excess
FullInitMarginReq ccy init_margin
FullInitMarginReq-C ccy zero
FullInitMarginReq-S ccy init_margin
FullMaintMarginReq ccy maint_margin
FullMaintMarginReq-C ccy zero
FullMaintMarginReq-S ccy maint_margin
FundValue both zero
FutureOptionValue both zero
FuturesPNL both zero
FxCashBalance both zero
GrossPositionValue ccy gross
GrossPositionValue-S ccy gross
Guarantee ccy zero
Guarantee-C ccy zero
Guarantee-S ccy zero
IndianStockHaircut ccy zero
IndianStockHaircut-C ccy zero
IndianStockHaircut-S ccy zero
InitMarginReq ccy init_margin
InitMarginReq-C ccy zero
InitMarginReq-S ccy init_margin
IssuerOptionValue both zero
Leverage-S none zero
LookAheadAvailableFunds ccy available
LookAheadAvailableFunds-C ccy zero
LookAheadAvailableFunds-S ccy available
LookAheadExcessLiquidity ccy excess
LookAheadExcessLiquidity-C ccy zero
LookAheadExcessLiquidity-S ccy excess
LookAheadInitMarginReq ccy init_margin
LookAheadInitMarginReq-C ccy zero
LookAheadInitMarginReq-S ccy init_margin
LookAheadMaintMarginReq ccy maint_margin
LookAheadMaintMarginReq-C ccy zero
LookAheadMaintMarginReq-S ccy maint_margin
LookAheadNextChange none =0
MaintMarginReq ccy maint_margin
MaintMarginReq-C ccy zero
MaintMarginReq-S ccy maint_margin
MoneyMarketFundValue both zero
MutualFundValue both zero
NLVAndMarginInReview none =false
NetDividend both zero
NetLiquidation ccy netliq
NetLiquidation-C ccy zero
NetLiquidation-S ccy netliq
NetLiquidationByCurrency both netliq
NetLiquidationUncertainty ccy zero
OptionMarketValue both zero
PASharesValue ccy zero
PASharesValue-C ccy zero
PASharesValue-S ccy zero
PhysicalCertificateValue ccy zero
PhysicalCertificateValue-C ccy zero
PhysicalCertificateValue-S ccy zero
PostExpirationExcess ccy zero
PostExpirationExcess-C ccy zero
PostExpirationExcess-S ccy zero
PostExpirationMargin ccy zero
PostExpirationMargin-C ccy zero
PostExpirationMargin-S ccy zero
PreviousDayEquityWithLoanValue ccy previous_equity
PreviousDayEquityWithLoanValue-S ccy previous_equity
RealCurrency both currency
RealizedPnL both realized
RegTEquity ccy netliq
RegTEquity-S ccy netliq
RegTMargin ccy init_margin
RegTMargin-S ccy init_margin
SMA ccy netliq
SMA-S ccy netliq
SegmentTitle-C none =US Commodities
SegmentTitle-S none =US Securities
StockMarketValue both stock_value
TBillValue both zero
TBondValue both zero
TotalCashBalance both cash
TotalCashValue ccy cash
TotalCashValue-C ccy zero
TotalCashValue-S ccy cash
TotalDebitCardPendingCharges ccy zero
TotalDebitCardPendingCharges-C ccy zero
TotalDebitCardPendingCharges-S ccy zero
TradingType-S none =STKNOPT
UnrealizedPnL both unrealized
WarrantValue both zero
WhatIfPMEnabled none =true
"""

# Rows that accountUpdateMulti carries beyond reqAccountUpdates (seen in the capture).
MULTI_EXTRA = """
Cryptocurrency both =
"""

SUMMARY_LEDGER_KEYS = (
    "Currency", "CashBalance", "TotalCashBalance", "AccruedCash", "StockMarketValue",
    "OptionMarketValue", "FutureOptionValue", "FuturesPNL", "NetLiquidationByCurrency",
    "UnrealizedPnL", "RealizedPnL", "ExchangeRate", "FundValue", "NetDividend", "MutualFundValue",
    "MoneyMarketFundValue", "CorporateBondValue", "TBondValue", "TBillValue", "WarrantValue",
    "FxCashBalance", "AccountOrGroup", "RealCurrency", "IssuerOptionValue", "Cryptocurrency",
)


def parse_template(text: str) -> list[tuple[str, str, str]]:
    """Split the template into (key, mode, source) rows."""
    rows = []
    for line in text.strip().splitlines():
        key, mode, source = line.split(" ", 2)
        rows.append((key, mode, source))
    return rows


ROWS = parse_template(TEMPLATE)
MULTI_ROWS = parse_template(MULTI_EXTRA)
