"""Layout cases: news providers, historical headlines and their end, articles, news ticks.

Each slot: (value, {client: the field of that client's decoded callback that must hold it}).
Values have the shapes IB sends; every meaning was read off the decoders of ib_insync 0.9.86,
ib_async 2.1.0 and ibapi 10.46 (``decoder.py``), starting from a ``generate_cases`` draft. The
captures hold no frame with these message ids, so the cases are checked against the decoders only.
"""

from tests.conformance.layout_cases import case

CASES = [
    case('newsProviders', 176, {
        'providers[0].code': ('BRFG', {'ib_insync': 'newsProviders[0].newsProviders[0].code', 'ib_async': 'newsProviders[0].newsProviders[0].code', 'ibapi': 'newsProviders[0].newsProviders[0].code'}),
        'providers[0].name': ('Briefing.com General Market Columns', {'ib_insync': 'newsProviders[0].newsProviders[0].name', 'ib_async': 'newsProviders[0].newsProviders[0].name', 'ibapi': 'newsProviders[0].newsProviders[0].name'}),
        'providers[1].code': ('BRFUPDN', {'ib_insync': 'newsProviders[0].newsProviders[1].code', 'ib_async': 'newsProviders[0].newsProviders[1].code', 'ibapi': 'newsProviders[0].newsProviders[1].code'}),
        'providers[1].name': ('Briefing.com Analyst Actions', {'ib_insync': 'newsProviders[0].newsProviders[1].name', 'ib_async': 'newsProviders[0].newsProviders[1].name', 'ibapi': 'newsProviders[0].newsProviders[1].name'}),
        'providers[2].code': ('DJNL', {'ib_insync': 'newsProviders[0].newsProviders[2].code', 'ib_async': 'newsProviders[0].newsProviders[2].code', 'ibapi': 'newsProviders[0].newsProviders[2].code'}),
        'providers[2].name': ('Dow Jones Newsletters', {'ib_insync': 'newsProviders[0].newsProviders[2].name', 'ib_async': 'newsProviders[0].newsProviders[2].name', 'ibapi': 'newsProviders[0].newsProviders[2].name'}),
    }),
    case('historicalNews', 176, {
        'reqId': (12, {'ib_insync': 'historicalNews[0].reqId', 'ib_async': 'historicalNews[0].reqId', 'ibapi': 'historicalNews[0].requestId'}),
        'time': ('2026-11-27 14:30:00.0', {'ib_insync': 'historicalNews[0].time', 'ib_async': 'historicalNews[0].time', 'ibapi': 'historicalNews[0].time'}),
        'providerCode': ('BRFG', {'ib_insync': 'historicalNews[0].providerCode', 'ib_async': 'historicalNews[0].providerCode', 'ibapi': 'historicalNews[0].providerCode'}),
        'articleId': ('BRFG$1c4e7a21', {'ib_insync': 'historicalNews[0].articleId', 'ib_async': 'historicalNews[0].articleId', 'ibapi': 'historicalNews[0].articleId'}),
        'headline': ('{A:800015:L:en:K:n/a:C:0.9}Apple shares rise after holiday sales estimates', {'ib_insync': 'historicalNews[0].headline', 'ib_async': 'historicalNews[0].headline', 'ibapi': 'historicalNews[0].headline'}),
    }),
    case('historicalNewsEnd', 176, {
        'reqId': (12, {'ib_insync': 'historicalNewsEnd[0].reqId', 'ib_async': 'historicalNewsEnd[0].reqId', 'ibapi': 'historicalNewsEnd[0].requestId'}),
        'hasMore': (0, {'ib_insync': 'historicalNewsEnd[0]._hasMore', 'ib_async': 'historicalNewsEnd[0]._hasMore', 'ibapi': 'historicalNewsEnd[0].hasMore'}),
    }),
    case('historicalNewsEnd', 176, {
        'reqId': (12, {'ib_insync': 'historicalNewsEnd[0].reqId', 'ib_async': 'historicalNewsEnd[0].reqId', 'ibapi': 'historicalNewsEnd[0].requestId'}),
        'hasMore': (1, {'ib_insync': 'historicalNewsEnd[0]._hasMore', 'ib_async': 'historicalNewsEnd[0]._hasMore', 'ibapi': 'historicalNewsEnd[0].hasMore'}),
    }),
    case('newsArticle', 176, {
        'reqId': (13, {'ib_insync': 'newsArticle[0].reqId', 'ib_async': 'newsArticle[0].reqId', 'ibapi': 'newsArticle[0].requestId'}),
        'articleType': (0, {'ib_insync': 'newsArticle[0].articleType', 'ib_async': 'newsArticle[0].articleType', 'ibapi': 'newsArticle[0].articleType'}),
        'articleText': ('<html><body><p>Apple shares rose 1.2% in early trading.</p></body></html>', {'ib_insync': 'newsArticle[0].articleText', 'ib_async': 'newsArticle[0].articleText', 'ibapi': 'newsArticle[0].articleText'}),
    }),
    case('tickNews', 176, {
        'tickerId': (5, {'ib_insync': 'tickNews[0]._reqId', 'ib_async': 'tickNews[0]._reqId', 'ibapi': 'tickNews[0].tickerId'}),
        'timeStamp': (1764253800000, {'ib_insync': 'tickNews[0].timeStamp', 'ib_async': 'tickNews[0].timeStamp', 'ibapi': 'tickNews[0].timeStamp'}),
        'providerCode': ('BRFG', {'ib_insync': 'tickNews[0].providerCode', 'ib_async': 'tickNews[0].providerCode', 'ibapi': 'tickNews[0].providerCode'}),
        'articleId': ('BRFG$1c4e7a21', {'ib_insync': 'tickNews[0].articleId', 'ib_async': 'tickNews[0].articleId', 'ibapi': 'tickNews[0].articleId'}),
        'headline': ('Apple shares rise after holiday sales estimates', {'ib_insync': 'tickNews[0].headline', 'ib_async': 'tickNews[0].headline', 'ibapi': 'tickNews[0].headline'}),
        'extraData': ('A:800015:L:en:K:n/a:C:0.9', {'ib_insync': 'tickNews[0].extraData', 'ib_async': 'tickNews[0].extraData', 'ibapi': 'tickNews[0].extraData'}),
    }),
]
