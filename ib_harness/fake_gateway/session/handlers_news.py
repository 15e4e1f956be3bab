"""Handlers for news: reqNewsProviders, reqHistoricalNews, reqNewsArticle and news ticks (a
reqMktData line with generic tick 292), from the seeded stories of fake_gateway/state/news.py.

A news line gets the newest story at once and then each new one as the clock enters its slot
(checked whenever the line's contract ticks), until its market data line is cancelled.

reqNewsProviders has no request id, so it is always answered. A provider code the account does not
have, an unknown contract or a bad time is IB's error to the request id, which ends it in a client.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ..state import news
from ..state.history import HistoryError, parse_end
from ..wire import in_data
from ..state.contracts import ContractDef
from ..wire.out_news import HISTORICAL_NEWS, HISTORICAL_NEWS_END, NEWS_ARTICLE, NEWS_PROVIDERS, TICK_NEWS
from ..wire.reading import Request
from .session import Session
from .streams import MKT_DATA, lines_on

NEWS_LINES = "news_lines"
NEWS_TICK = "292"


@dataclass
class NewsLine:
    req_id: int
    con_id: int
    providers: list[str]
    slot: int = -1

NOT_ALLOWED = "News feed is not allowed."
_DASHED = re.compile(r"^(\d{4})-(\d{2})-(\d{2}) (\d{2}:\d{2}:\d{2})(?:\.\d+)?$")


def req_news_providers(session: Session, request: Request) -> None:
    session.send(NEWS_PROVIDERS, providers=[{"code": c, "name": n} for c, n in news.PROVIDERS])


def _time(text: str, default: float, timezone: str) -> float:
    """News times: '' (default), 'yyyy-mm-dd hh:mm:ss[.0]' or the historical-data forms."""
    match = _DASHED.match(text.strip())
    if match:
        text = f"{match.group(1)}{match.group(2)}{match.group(3)} {match.group(4)}"
    return parse_end(text, default, timezone) if text.strip() else default


def req_historical_news(session: Session, request: Request) -> None:
    req_id = request["reqId"]
    providers = [p for p in request["providerCodes"].split("+") if p]
    if not providers or any(p not in news.PROVIDER_CODES for p in providers):
        session.send_error(req_id, 10276, NOT_ALLOWED)
        return
    catalog, config, now = session.brokerage.catalog, session.gateway.config, session.gateway.clock()
    if catalog.by_con_id(request["conId"]) is None:
        session.send_error(req_id, 200, "No security definition has been found for the request")
        return
    total = request["totalResults"]
    if not 1 <= total <= news.MAX_RESULTS:
        session.send_error(req_id, 321, f"Error validating request.-'bH' : cause - totalResults must be 1..{news.MAX_RESULTS}")
        return
    try:
        start = _time(request["startDateTime"], 0.0, config.timezone)
        end = _time(request["endDateTime"], now, config.timezone)
    except HistoryError as exc:
        session.send_error(req_id, exc.code, exc.message)
        return
    stories, more = news.history(catalog, config.seed, now, request["conId"], providers, start, end, total)
    zone = ZoneInfo(config.timezone)
    for item in stories:
        stamp = datetime.fromtimestamp(item.time, zone).strftime("%Y-%m-%d %H:%M:%S.0")
        session.send(HISTORICAL_NEWS, reqId=req_id, time=stamp, providerCode=item.provider,
                     articleId=item.article_id, headline=item.headline)
    session.send(HISTORICAL_NEWS_END, reqId=req_id, hasMore=more)


def req_news_article(session: Session, request: Request) -> None:
    req_id, provider = request["reqId"], request["providerCode"]
    if provider not in news.PROVIDER_CODES:
        session.send_error(req_id, 10276, NOT_ALLOWED)
        return
    text = news.article(session.brokerage.catalog, session.gateway.config.seed, provider, request["articleId"])
    if text is None:
        session.send_error(req_id, 10172, f"Failed to request news article: Invalid article id {request['articleId']}")
        return
    session.send(NEWS_ARTICLE, reqId=req_id, articleType=0, articleText=text)


def start_news_ticks(session: Session, req_id: int, contract: ContractDef, generic_ticks: str) -> None:
    """reqMktData asked for news (``292`` or ``292:BRFG+DJNL``): send the newest story now."""
    for part in generic_ticks.split(","):
        name, _, wanted = part.strip().partition(":")
        if name == NEWS_TICK:
            providers = [p for p in wanted.split("+") if p in news.PROVIDER_CODES] or sorted(news.PROVIDER_CODES)
            line = NewsLine(req_id, contract.con_id, providers)
            session.subscribe(NEWS_LINES, req_id, line)
            _send_news(session, line, force=True)
            return


def _send_news(session: Session, line: NewsLine, force: bool = False) -> None:
    """Send the newest story when it is one this line has not seen."""
    item = news.latest(session.brokerage.catalog, session.gateway.config.seed, session.gateway.clock(),
                       line.con_id, line.providers)
    if item is None:
        return
    slot = news.current_slot(item.time)
    if force or slot > line.slot:
        session.send(TICK_NEWS, tickerId=line.req_id, timeStamp=item.time * 1000, providerCode=item.provider,
                     articleId=item.article_id, headline=item.headline, extraData="")
        line.slot = slot


def on_price_marked(session: Session, payload: dict[str, Any]) -> None:
    for line in lines_on(session, NEWS_LINES, payload["con_id"]):
        if line.req_id not in session.subscribed(MKT_DATA):  # its market data line was cancelled
            session.unsubscribe(NEWS_LINES, line.req_id)
            continue
        _send_news(session, line)


HANDLERS = {
    in_data.REQ_NEWS_PROVIDERS.msg_id: req_news_providers,
    in_data.REQ_HISTORICAL_NEWS.msg_id: req_historical_news,
    in_data.REQ_NEWS_ARTICLE.msg_id: req_news_article,
}

EVENT_HANDLERS = {"price_marked": [on_price_marked]}
