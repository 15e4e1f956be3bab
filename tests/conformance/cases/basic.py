"""Layout cases: errMsg, nextValidId, managedAccounts, currentTime.

Each slot: (value, {client: the field of that client's decoded callback that must hold it}).
Drafted with ``python -m tests.conformance.generate_cases`` and reviewed; see layout_cases.py.
"""

from tests.conformance.layout_cases import case

CASES = [
    case('errMsg', 176, {
        'version': ('2', {}),  # read by no client
        'id': (-1, {'ib_insync': 'error[0].reqId', 'ib_async': 'error[0].reqId', 'ibapi': 'error[0].reqId'}),  # check
        'errorCode': (2104, {'ib_insync': 'error[0].errorCode', 'ib_async': 'error[0].errorCode', 'ibapi': 'error[0].errorCode'}),
        'errorString': ('Market data farm connection is OK:usfarm.nj', {'ib_insync': 'error[0].errorString', 'ib_async': 'error[0].errorString', 'ibapi': 'error[0].errorString'}),
        'advancedOrderRejectJson': ('', {'ib_insync': 'error[0].advancedOrderRejectJson', 'ib_async': 'error[0].advancedOrderRejectJson', 'ibapi': 'error[0].advancedOrderRejectJson'}),
    }, capture='encertai[1]#2'),
    case('errMsg', 176, {
        'version': ('2', {}),  # read by no client
        'id': (1002, {'ib_insync': 'error[0].reqId', 'ib_async': 'error[0].reqId', 'ibapi': 'error[0].reqId'}),  # check
        'errorCode': (1003, {'ib_insync': 'error[0].errorCode', 'ib_async': 'error[0].errorCode', 'ibapi': 'error[0].errorCode'}),
        'errorString': ('errorString-4', {'ib_insync': 'error[0].errorString', 'ib_async': 'error[0].errorString', 'ibapi': 'error[0].errorString'}),
        'advancedOrderRejectJson': ('advancedOrderRejectJson-5', {'ib_insync': 'error[0].advancedOrderRejectJson', 'ib_async': 'error[0].advancedOrderRejectJson', 'ibapi': 'error[0].advancedOrderRejectJson'}),
    }),
    case('nextValidId', 176, {
        'version': ('1', {}),  # read by no client
        'orderId': (184, {'ib_insync': 'nextValidId[0].reqId', 'ib_async': 'nextValidId[0].reqId', 'ibapi': 'nextValidId[0].orderId'}),  # check
    }, capture='encertai[1]#1'),
    case('nextValidId', 176, {
        'version': ('1', {}),  # read by no client
        'orderId': (1002, {'ib_insync': 'nextValidId[0].reqId', 'ib_async': 'nextValidId[0].reqId', 'ibapi': 'nextValidId[0].orderId'}),  # check
    }),
    case('managedAccounts', 176, {
        'version': ('1', {}),  # read by no client
        'accountsList': ('DU0000001', {'ib_insync': 'managedAccounts[0].accountsList', 'ib_async': 'managedAccounts[0].accountsList', 'ibapi': 'managedAccounts[0].accountsList'}),
    }, capture='encertai[1]#0'),
    case('managedAccounts', 176, {
        'version': ('1', {}),  # read by no client
        'accountsList': ('accountsList-2', {'ib_insync': 'managedAccounts[0].accountsList', 'ib_async': 'managedAccounts[0].accountsList', 'ibapi': 'managedAccounts[0].accountsList'}),
    }),
    case('currentTime', 176, {
        'version': ('1', {}),  # read by no client
        'time': (1002, {'ib_insync': 'currentTime[0].time', 'ib_async': 'currentTime[0].time', 'ibapi': 'currentTime[0].time'}),
    }),
]
