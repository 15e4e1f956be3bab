"""Layout cases: orderStatus, openOrderEnd, completedOrdersEnd, orderBound.

Each slot: (value, {client: the field of that client's decoded callback that must hold it}).
Drafted with ``python -m tests.conformance.generate_cases`` and reviewed; see layout_cases.py.
"""

from tests.conformance.layout_cases import case

CASES = [
    case('orderStatus', 176, {
        'orderId': (216, {'ib_insync': 'orderStatus[0].orderId', 'ib_async': 'orderStatus[0].orderId', 'ibapi': 'orderStatus[0].orderId'}),
        'status': ('Filled', {'ib_insync': 'orderStatus[0].status', 'ib_async': 'orderStatus[0].status', 'ibapi': 'orderStatus[0].status'}),
        'filled': (3000.0, {'ib_insync': 'orderStatus[0].filled', 'ib_async': 'orderStatus[0].filled', 'ibapi': 'orderStatus[0].filled'}),
        'remaining': (0.0, {'ib_insync': 'orderStatus[0].remaining', 'ib_async': 'orderStatus[0].remaining', 'ibapi': 'orderStatus[0].remaining'}),
        'avgFillPrice': (1.08725, {'ib_insync': 'orderStatus[0].avgFillPrice', 'ib_async': 'orderStatus[0].avgFillPrice', 'ibapi': 'orderStatus[0].avgFillPrice'}),
        'permId': (1351823369, {'ib_insync': 'orderStatus[0].permId', 'ib_async': 'orderStatus[0].permId', 'ibapi': 'orderStatus[0].permId'}),
        'parentId': (0, {'ib_insync': 'orderStatus[0].parentId', 'ib_async': 'orderStatus[0].parentId', 'ibapi': 'orderStatus[0].parentId'}),
        'lastFillPrice': (1.08725, {'ib_insync': 'orderStatus[0].lastFillPrice', 'ib_async': 'orderStatus[0].lastFillPrice', 'ibapi': 'orderStatus[0].lastFillPrice'}),
        'clientId': (2, {'ib_insync': 'orderStatus[0].clientId', 'ib_async': 'orderStatus[0].clientId', 'ibapi': 'orderStatus[0].clientId'}),
        'whyHeld': ('', {'ib_insync': 'orderStatus[0].whyHeld', 'ib_async': 'orderStatus[0].whyHeld', 'ibapi': 'orderStatus[0].whyHeld'}),
        'mktCapPrice': (0.0, {'ib_insync': 'orderStatus[0].mktCapPrice', 'ib_async': 'orderStatus[0].mktCapPrice', 'ibapi': 'orderStatus[0].mktCapPrice'}),
    }, capture='nautilus:order_status_1#0'),
    case('orderStatus', 176, {
        'orderId': (1001, {'ib_insync': 'orderStatus[0].orderId', 'ib_async': 'orderStatus[0].orderId', 'ibapi': 'orderStatus[0].orderId'}),
        'status': ('status-2', {'ib_insync': 'orderStatus[0].status', 'ib_async': 'orderStatus[0].status', 'ibapi': 'orderStatus[0].status'}),
        'filled': (503, {'ib_insync': 'orderStatus[0].filled', 'ib_async': 'orderStatus[0].filled', 'ibapi': 'orderStatus[0].filled'}),
        'remaining': (504, {'ib_insync': 'orderStatus[0].remaining', 'ib_async': 'orderStatus[0].remaining', 'ibapi': 'orderStatus[0].remaining'}),
        'avgFillPrice': (105.25, {'ib_insync': 'orderStatus[0].avgFillPrice', 'ib_async': 'orderStatus[0].avgFillPrice', 'ibapi': 'orderStatus[0].avgFillPrice'}),
        'permId': (1006, {'ib_insync': 'orderStatus[0].permId', 'ib_async': 'orderStatus[0].permId', 'ibapi': 'orderStatus[0].permId'}),
        'parentId': (1007, {'ib_insync': 'orderStatus[0].parentId', 'ib_async': 'orderStatus[0].parentId', 'ibapi': 'orderStatus[0].parentId'}),
        'lastFillPrice': (108.25, {'ib_insync': 'orderStatus[0].lastFillPrice', 'ib_async': 'orderStatus[0].lastFillPrice', 'ibapi': 'orderStatus[0].lastFillPrice'}),
        'clientId': (1009, {'ib_insync': 'orderStatus[0].clientId', 'ib_async': 'orderStatus[0].clientId', 'ibapi': 'orderStatus[0].clientId'}),
        'whyHeld': ('whyHeld-10', {'ib_insync': 'orderStatus[0].whyHeld', 'ib_async': 'orderStatus[0].whyHeld', 'ibapi': 'orderStatus[0].whyHeld'}),
        'mktCapPrice': (511, {'ib_insync': 'orderStatus[0].mktCapPrice', 'ib_async': 'orderStatus[0].mktCapPrice', 'ibapi': 'orderStatus[0].mktCapPrice'}),
    }),
    case('openOrderEnd', 176, {
        'version': ('1', {}),  # read by no client
    }, capture='encertai[2]#1'),
    case('openOrderEnd', 176, {
        'version': ('1', {}),  # read by no client
    }),
    case('completedOrdersEnd', 176, {
    }, capture='encertai[2]#2'),
    case('completedOrdersEnd', 176, {
    }),
    case('orderBound', 176, {
        'permId': (1001, {'ib_insync': 'orderBound[0].reqId', 'ib_async': 'orderBound[0].reqId', 'ibapi': 'orderBound[0].permId'}),  # check
        'clientId': (1002, {'ib_insync': 'orderBound[0].apiClientId', 'ib_async': 'orderBound[0].apiClientId', 'ibapi': 'orderBound[0].clientId'}),  # check
        'orderId': (1003, {'ib_insync': 'orderBound[0].apiOrderId', 'ib_async': 'orderBound[0].apiOrderId', 'ibapi': 'orderBound[0].orderId'}),  # check
    }),
]
