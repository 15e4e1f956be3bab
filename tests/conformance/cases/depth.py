"""Layout cases: market depth (updateMktDepth, updateMktDepthL2) and the depth venues list.

Each slot: (value, {client: the field of that client's decoded callback that must hold it}).
Values have the shapes IB sends; every meaning was read off the decoders of ib_insync 0.9.86,
ib_async 2.1.0 and ibapi 10.46 (``decoder.py``), starting from a ``generate_cases`` draft. The
captures hold no frame with these message ids, so the cases are checked against the decoders only.
"""

from tests.conformance.layout_cases import case

CASES = [
    case('updateMktDepth', 176, {
        'version': ('1', {}),  # the message version: read by no client
        'reqId': (7, {'ib_insync': 'updateMktDepth[0].reqId', 'ib_async': 'updateMktDepth[0].reqId', 'ibapi': 'updateMktDepth[0].reqId'}),
        'position': (2, {'ib_insync': 'updateMktDepth[0].position', 'ib_async': 'updateMktDepth[0].position', 'ibapi': 'updateMktDepth[0].position'}),
        'operation': (1, {'ib_insync': 'updateMktDepth[0].operation', 'ib_async': 'updateMktDepth[0].operation', 'ibapi': 'updateMktDepth[0].operation'}),
        'side': (0, {'ib_insync': 'updateMktDepth[0].side', 'ib_async': 'updateMktDepth[0].side', 'ibapi': 'updateMktDepth[0].side'}),
        'price': (190.26, {'ib_insync': 'updateMktDepth[0].price', 'ib_async': 'updateMktDepth[0].price', 'ibapi': 'updateMktDepth[0].price'}),
        'size': (300, {'ib_insync': 'updateMktDepth[0].size', 'ib_async': 'updateMktDepth[0].size', 'ibapi': 'updateMktDepth[0].size'}),
    }),
    case('updateMktDepthL2', 176, {
        'version': ('1', {}),  # the message version: read by no client
        'reqId': (8, {'ib_insync': 'updateMktDepthL2[0].reqId', 'ib_async': 'updateMktDepthL2[0].reqId', 'ibapi': 'updateMktDepthL2[0].reqId'}),
        'position': (1, {'ib_insync': 'updateMktDepthL2[0].position', 'ib_async': 'updateMktDepthL2[0].position', 'ibapi': 'updateMktDepthL2[0].position'}),
        'marketMaker': ('ARCA', {'ib_insync': 'updateMktDepthL2[0].marketMaker', 'ib_async': 'updateMktDepthL2[0].marketMaker', 'ibapi': 'updateMktDepthL2[0].marketMaker'}),
        'operation': (0, {'ib_insync': 'updateMktDepthL2[0].operation', 'ib_async': 'updateMktDepthL2[0].operation', 'ibapi': 'updateMktDepthL2[0].operation'}),
        'side': (1, {'ib_insync': 'updateMktDepthL2[0].side', 'ib_async': 'updateMktDepthL2[0].side', 'ibapi': 'updateMktDepthL2[0].side'}),
        'price': (190.25, {'ib_insync': 'updateMktDepthL2[0].price', 'ib_async': 'updateMktDepthL2[0].price', 'ibapi': 'updateMktDepthL2[0].price'}),
        'size': (200, {'ib_insync': 'updateMktDepthL2[0].size', 'ib_async': 'updateMktDepthL2[0].size', 'ibapi': 'updateMktDepthL2[0].size'}),
        'isSmartDepth': (1, {'ib_insync': 'updateMktDepthL2[0].isSmartDepth', 'ib_async': 'updateMktDepthL2[0].isSmartDepth', 'ibapi': 'updateMktDepthL2[0].isSmartDepth'}),
    }),
    case('mktDepthExchanges', 176, {
        'descriptions[0].exchange': ('NASDAQ', {'ib_insync': 'mktDepthExchanges[0].depthMktDataDescriptions[0].exchange', 'ib_async': 'mktDepthExchanges[0].depthMktDataDescriptions[0].exchange', 'ibapi': 'mktDepthExchanges[0].depthMktDataDescriptions[0].exchange'}),
        'descriptions[0].secType': ('STK', {'ib_insync': 'mktDepthExchanges[0].depthMktDataDescriptions[0].secType', 'ib_async': 'mktDepthExchanges[0].depthMktDataDescriptions[0].secType', 'ibapi': 'mktDepthExchanges[0].depthMktDataDescriptions[0].secType'}),
        'descriptions[0].listingExch': ('', {'ib_insync': 'mktDepthExchanges[0].depthMktDataDescriptions[0].listingExch', 'ib_async': 'mktDepthExchanges[0].depthMktDataDescriptions[0].listingExch', 'ibapi': 'mktDepthExchanges[0].depthMktDataDescriptions[0].listingExch'}),
        'descriptions[0].serviceDataType': ('Deep2', {'ib_insync': 'mktDepthExchanges[0].depthMktDataDescriptions[0].serviceDataType', 'ib_async': 'mktDepthExchanges[0].depthMktDataDescriptions[0].serviceDataType', 'ibapi': 'mktDepthExchanges[0].depthMktDataDescriptions[0].serviceDataType'}),
        'descriptions[0].aggGroup': (2147483647, {'ib_insync': 'mktDepthExchanges[0].depthMktDataDescriptions[0].aggGroup', 'ib_async': 'mktDepthExchanges[0].depthMktDataDescriptions[0].aggGroup', 'ibapi': 'mktDepthExchanges[0].depthMktDataDescriptions[0].aggGroup'}),
        'descriptions[1].exchange': ('IDEALPRO', {'ib_insync': 'mktDepthExchanges[0].depthMktDataDescriptions[1].exchange', 'ib_async': 'mktDepthExchanges[0].depthMktDataDescriptions[1].exchange', 'ibapi': 'mktDepthExchanges[0].depthMktDataDescriptions[1].exchange'}),
        'descriptions[1].secType': ('CASH', {'ib_insync': 'mktDepthExchanges[0].depthMktDataDescriptions[1].secType', 'ib_async': 'mktDepthExchanges[0].depthMktDataDescriptions[1].secType', 'ibapi': 'mktDepthExchanges[0].depthMktDataDescriptions[1].secType'}),
        'descriptions[1].listingExch': ('', {'ib_insync': 'mktDepthExchanges[0].depthMktDataDescriptions[1].listingExch', 'ib_async': 'mktDepthExchanges[0].depthMktDataDescriptions[1].listingExch', 'ibapi': 'mktDepthExchanges[0].depthMktDataDescriptions[1].listingExch'}),
        'descriptions[1].serviceDataType': ('Deep', {'ib_insync': 'mktDepthExchanges[0].depthMktDataDescriptions[1].serviceDataType', 'ib_async': 'mktDepthExchanges[0].depthMktDataDescriptions[1].serviceDataType', 'ibapi': 'mktDepthExchanges[0].depthMktDataDescriptions[1].serviceDataType'}),
        'descriptions[1].aggGroup': (4, {'ib_insync': 'mktDepthExchanges[0].depthMktDataDescriptions[1].aggGroup', 'ib_async': 'mktDepthExchanges[0].depthMktDataDescriptions[1].aggGroup', 'ibapi': 'mktDepthExchanges[0].depthMktDataDescriptions[1].aggGroup'}),
    }),
]
