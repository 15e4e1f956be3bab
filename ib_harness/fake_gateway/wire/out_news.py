"""Layouts of news replies: providers, historical headlines, articles and news ticks (no version
fields; ibapi 10.46 / ib_insync 0.9.86 ``decoder.py``)."""

from __future__ import annotations

from .fields import B, I, S
from .spec import MessageSpec, Repeat

NEWS_PROVIDERS = MessageSpec(85, "newsProviders", (Repeat("providers", (S("code"), S("name"))),))
HISTORICAL_NEWS = MessageSpec(86, "historicalNews", (
    I("reqId"), S("time"), S("providerCode"), S("articleId"), S("headline"),
))
HISTORICAL_NEWS_END = MessageSpec(87, "historicalNewsEnd", (I("reqId"), B("hasMore")))
NEWS_ARTICLE = MessageSpec(83, "newsArticle", (I("reqId"), I("articleType"), S("articleText")))
TICK_NEWS = MessageSpec(84, "tickNews", (
    I("tickerId"), I("timeStamp"), S("providerCode"), S("articleId"), S("headline"), S("extraData"),
))

SPECS = (NEWS_PROVIDERS, HISTORICAL_NEWS, HISTORICAL_NEWS_END, NEWS_ARTICLE, TICK_NEWS)
