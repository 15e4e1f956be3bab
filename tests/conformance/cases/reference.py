"""Layout cases: FA configuration, family codes, soft-dollar tiers, display groups, user info,
API verification, Wall Street Horizon.

Each slot: (value, {client: the field of that client's decoded callback that must hold it}).
Values have the shapes IB sends; every meaning was read off the decoders of ib_insync 0.9.86,
ib_async 2.1.0 and ibapi 10.46 (``decoder.py``), starting from a ``generate_cases`` draft. The
captures hold no frame with these message ids, so the cases are checked against the decoders only.
"""

from tests.conformance.layout_cases import case

CASES = [
    case('receiveFA', 176, {
        'version': ('1', {}),  # the message version: read by no client
        'faDataType': (1, {'ib_insync': 'receiveFA[0]._faDataType', 'ib_async': 'receiveFA[0]._faDataType', 'ibapi': 'receiveFA[0].faData'}),
        'cxml': ('<?xml version="1.0" encoding="UTF-8"?>\n<ListOfGroups><Group><name>All</name><ListOfAccts varName="list"><String>DU0000001</String></ListOfAccts><defaultMethod>NetLiq</defaultMethod></Group></ListOfGroups>', {'ib_insync': 'receiveFA[0].faXmlData', 'ib_async': 'receiveFA[0].faXmlData', 'ibapi': 'receiveFA[0].cxml'}),
    }),
    case('receiveFA', 176, {
        'version': ('1', {}),  # the message version: read by no client
        'faDataType': (3, {'ib_insync': 'receiveFA[0]._faDataType', 'ib_async': 'receiveFA[0]._faDataType', 'ibapi': 'receiveFA[0].faData'}),
        'cxml': ('<?xml version="1.0" encoding="UTF-8"?>\n<ListOfAccountAliases><AccountAlias><account>DU0000001</account><alias>DU0000001</alias></AccountAlias></ListOfAccountAliases>', {'ib_insync': 'receiveFA[0].faXmlData', 'ib_async': 'receiveFA[0].faXmlData', 'ibapi': 'receiveFA[0].cxml'}),
    }),
    case('replaceFAEnd', 176, {
        'reqId': (16, {'ib_insync': 'replaceFAEnd[0].arg0', 'ib_async': 'replaceFAEnd[0].arg0', 'ibapi': 'replaceFAEnd[0].reqId'}),
        'text': ('', {'ib_insync': 'replaceFAEnd[0].arg1', 'ib_async': 'replaceFAEnd[0].arg1', 'ibapi': 'replaceFAEnd[0].text'}),
    }),
    case('familyCodes', 176, {
        'familyCodes[0].accountID': ('DU0000001', {'ib_insync': 'familyCodes[0].familyCodes[0][0]', 'ib_async': 'familyCodes[0].familyCodes[0].accountID', 'ibapi': 'familyCodes[0].familyCodes[0].accountID'}),
        'familyCodes[0].familyCodeStr': ('F0000001', {'ib_insync': 'familyCodes[0].familyCodes[0][1]', 'ib_async': 'familyCodes[0].familyCodes[0].familyCodeStr', 'ibapi': 'familyCodes[0].familyCodes[0].familyCodeStr'}),
        'familyCodes[1].accountID': ('DU0000002', {'ib_insync': 'familyCodes[0].familyCodes[1][0]', 'ib_async': 'familyCodes[0].familyCodes[1].accountID', 'ibapi': 'familyCodes[0].familyCodes[1].accountID'}),
        'familyCodes[1].familyCodeStr': ('', {'ib_insync': 'familyCodes[0].familyCodes[1][1]', 'ib_async': 'familyCodes[0].familyCodes[1].familyCodeStr', 'ibapi': 'familyCodes[0].familyCodes[1].familyCodeStr'}),
    }),
    case('softDollarTiers', 176, {
        'reqId': (17, {'ib_insync': 'softDollarTiers[0].reqId', 'ib_async': 'softDollarTiers[0].reqId', 'ibapi': 'softDollarTiers[0].reqId'}),
        'tiers[0].name': ('Tier1', {'ib_insync': 'softDollarTiers[0].tiers[0].name', 'ib_async': 'softDollarTiers[0].tiers[0].name', 'ibapi': 'softDollarTiers[0].tiers[0].name'}),
        'tiers[0].val': ('0.002', {'ib_insync': 'softDollarTiers[0].tiers[0].val', 'ib_async': 'softDollarTiers[0].tiers[0].val', 'ibapi': 'softDollarTiers[0].tiers[0].val'}),
        'tiers[0].displayName': ('Tier 1 (0.2%)', {'ib_insync': 'softDollarTiers[0].tiers[0].displayName', 'ib_async': 'softDollarTiers[0].tiers[0].displayName', 'ibapi': 'softDollarTiers[0].tiers[0].displayName'}),
        'tiers[1].name': ('Tier2', {'ib_insync': 'softDollarTiers[0].tiers[1].name', 'ib_async': 'softDollarTiers[0].tiers[1].name', 'ibapi': 'softDollarTiers[0].tiers[1].name'}),
        'tiers[1].val': ('0.001', {'ib_insync': 'softDollarTiers[0].tiers[1].val', 'ib_async': 'softDollarTiers[0].tiers[1].val', 'ibapi': 'softDollarTiers[0].tiers[1].val'}),
        'tiers[1].displayName': ('Tier 2 (0.1%)', {'ib_insync': 'softDollarTiers[0].tiers[1].displayName', 'ib_async': 'softDollarTiers[0].tiers[1].displayName', 'ibapi': 'softDollarTiers[0].tiers[1].displayName'}),
    }),
    case('displayGroupList', 176, {
        'version': ('1', {}),  # the message version: read by no client
        'reqId': (19, {'ib_insync': 'displayGroupList[0].arg0', 'ib_async': 'displayGroupList[0].arg0', 'ibapi': 'displayGroupList[0].reqId'}),
        'groups': ('1|2|3|4|5|6|7', {'ib_insync': 'displayGroupList[0].arg1', 'ib_async': 'displayGroupList[0].arg1', 'ibapi': 'displayGroupList[0].groups'}),
    }),
    case('displayGroupUpdated', 176, {
        'version': ('1', {}),  # the message version: read by no client
        'reqId': (19, {'ib_insync': 'displayGroupUpdated[0].arg0', 'ib_async': 'displayGroupUpdated[0].arg0', 'ibapi': 'displayGroupUpdated[0].reqId'}),
        'contractInfo': ('265598@SMART', {'ib_insync': 'displayGroupUpdated[0].arg1', 'ib_async': 'displayGroupUpdated[0].arg1', 'ibapi': 'displayGroupUpdated[0].contractInfo'}),
    }),
    case('userInfo', 176, {
        'reqId': (23, {'ib_insync': 'userInfo[0].reqId', 'ib_async': 'userInfo[0].reqId', 'ibapi': 'userInfo[0].reqId'}),
        'whiteBrandingId': ('', {'ib_insync': 'userInfo[0].whiteBrandingId', 'ib_async': 'userInfo[0].whiteBrandingId', 'ibapi': 'userInfo[0].whiteBrandingId'}),
    }),
    case('verifyCompleted', 176, {
        'version': ('1', {}),  # the message version: read by no client
        'isSuccessful': (0, {'ib_insync': 'verifyCompleted[0].arg0', 'ib_async': 'verifyCompleted[0].arg0', 'ibapi': 'verifyCompleted[0].isSuccessful'}),
        'errorText': ('API verification was not requested when this client connected', {'ib_insync': 'verifyCompleted[0].arg1', 'ib_async': 'verifyCompleted[0].arg1', 'ibapi': 'verifyCompleted[0].errorText'}),
    }),
    case('verifyCompleted', 176, {
        'version': ('1', {}),  # the message version: read by no client
        'isSuccessful': (1, {'ib_insync': 'verifyCompleted[0].arg0', 'ib_async': 'verifyCompleted[0].arg0', 'ibapi': 'verifyCompleted[0].isSuccessful'}),
        'errorText': ('', {'ib_insync': 'verifyCompleted[0].arg1', 'ib_async': 'verifyCompleted[0].arg1', 'ibapi': 'verifyCompleted[0].errorText'}),
    }),
    case('verifyAndAuthCompleted', 176, {
        'version': ('1', {}),  # the message version: read by no client
        'isSuccessful': (0, {'ib_insync': 'verifyAndAuthCompleted[0].arg0', 'ib_async': 'verifyAndAuthCompleted[0].arg0', 'ibapi': 'verifyAndAuthCompleted[0].isSuccessful'}),
        'errorText': ('API verification was not requested when this client connected', {'ib_insync': 'verifyAndAuthCompleted[0].arg1', 'ib_async': 'verifyAndAuthCompleted[0].arg1', 'ibapi': 'verifyAndAuthCompleted[0].errorText'}),
    }),
    case('verifyAndAuthCompleted', 176, {
        'version': ('1', {}),  # the message version: read by no client
        'isSuccessful': (1, {'ib_insync': 'verifyAndAuthCompleted[0].arg0', 'ib_async': 'verifyAndAuthCompleted[0].arg0', 'ibapi': 'verifyAndAuthCompleted[0].isSuccessful'}),
        'errorText': ('', {'ib_insync': 'verifyAndAuthCompleted[0].arg1', 'ib_async': 'verifyAndAuthCompleted[0].arg1', 'ibapi': 'verifyAndAuthCompleted[0].errorText'}),
    }),
    case('wshMetaData', 176, {
        'reqId': (24, {'ib_insync': 'wshMetaData[0].reqId', 'ib_async': 'wshMetaData[0].reqId', 'ibapi': 'wshMetaData[0].reqId'}),
        'dataJson': ('{"validated":true,"data":{"metadata":{"event_types":[{"tag":"wshe_ed","name":"Earnings Date"}]}}}', {'ib_insync': 'wshMetaData[0].dataJson', 'ib_async': 'wshMetaData[0].dataJson', 'ibapi': 'wshMetaData[0].dataJson'}),
    }),
    case('wshEventData', 176, {
        'reqId': (25, {'ib_insync': 'wshEventData[0].reqId', 'ib_async': 'wshEventData[0].reqId', 'ibapi': 'wshEventData[0].reqId'}),
        'dataJson': ('{"validated":true,"data":[{"conid":265598,"event_type":"wshe_ed","data":{"earnings_date":"20270128"}}]}', {'ib_insync': 'wshEventData[0].dataJson', 'ib_async': 'wshEventData[0].dataJson', 'ibapi': 'wshEventData[0].dataJson'}),
    }),
]

# reqCurrentTimeInMillis is ibapi's (server version 197+); the other clients never ask for it.
CASES.append(case('currentTimeInMillis', 200, {
    'timeInMillis': (1764496800123, {'ibapi': 'currentTimeInMillis[0].timeInMillis'}),
}))
