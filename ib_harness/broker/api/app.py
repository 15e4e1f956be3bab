"""The HTTP API over one IBKRInsyncBroker: FastAPI routes, readiness gate, idempotency; the
token and the body bound are checked in front of FastAPI (``guard.ApiGuard``), before any parsing.

Every route is ``async def``: the broker lives on the server's event loop (ib_insync is not
thread-safe), and FastAPI would run a plain ``def`` route in a thread pool.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from typing import Annotated, Any, AsyncIterator

from fastapi import Depends, FastAPI, Header, Path, Query, Response
from pydantic import AfterValidator
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from prometheus_client import CONTENT_TYPE_LATEST

from ..errors import BrokerUnavailable, UnknownOrder
from ..events import BrokerEvent
from ..ib_broker import IBKRInsyncBroker
from ..models import Account, Bar, Order, OrderStatus, Position
from ..orders import model_of_record
from ..supervision import BrokerState
from .errors import NotReady, error_json, install_error_handlers, reason_errors
from .guard import ApiGuard
from .health import health_of
from .idempotency import KeyLocks
from .outage import OutageGuard
from .schemas import (DURATION_PATTERN, SYMBOL_PATTERN, BarSize, Bars, ErrorBody, Health, Journal, OrderRequest,
                      Price, RiskRejection, within_ib_duration_limits)
from .settings import ApiSettings

log = logging.getLogger("ib_harness.broker.api")

KEY_PATTERN = r"^[A-Za-z0-9._:-]{1,60}$"  # travels to IB as orderRef
NOT_READY: dict[int | str, dict[str, Any]] = {503: {"model": ErrorBody, "description": "the broker is not ready (Retry-After says when to retry)"}}
UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "missing or wrong bearer token (checked before the body is read)"},
    413: {"model": ErrorBody, "description": "request body over the limit (64 KiB by default)"}}


def build_api(broker: IBKRInsyncBroker, settings: ApiSettings | None = None) -> FastAPI:
    """The app; its lifespan connects the broker at startup and disconnects it at shutdown."""
    settings = settings or ApiSettings()
    started_at = time.time()
    counters = {"reconnects": 0}
    locks = KeyLocks()
    guard = OutageGuard(broker)

    def count(event: BrokerEvent) -> None:
        if event.kind == "reconnected":
            counters["reconnects"] += 1
        guard.on_event(event)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        unsubscribe = broker.events.subscribe(count)
        try:
            await broker.connect(timeout=settings.startup_wait)
        except BrokerUnavailable as exc:  # supervision keeps trying; meanwhile routes answer 503
            log.warning("broker not ready at startup (%s); serving 503 until it is", exc)
        try:
            yield
        finally:
            unsubscribe()
            await broker.disconnect()

    app = FastAPI(title="ib-harness broker API", version="1", lifespan=lifespan,
                  description="The broker over HTTP: account, positions, orders, prices and bars.")
    app.state.broker = broker
    install_error_handlers(app, settings.retry_after)
    app.add_middleware(ApiGuard, token=settings.token.get_secret_value() if settings.token else None,  # type: ignore[arg-type]
                       read_token=settings.read_token.get_secret_value() if settings.read_token else None,
                       max_body=settings.max_body)
    # documents the bearer scheme in OpenAPI; ApiGuard enforces it before FastAPI sees the request
    bearer = HTTPBearer(auto_error=False, description="the token from IB_API_TOKEN / --token-file "
                                                      "(GET routes also take IB_API_READ_TOKEN)")

    async def require_ready() -> None:
        """Fail fast: a broker that is not ready answers 503 before any work is done."""
        if broker.state != BrokerState.READY:
            raise NotReady(broker.state.value, broker.machine.last_error or broker.machine.cause)

    ready = [Depends(bearer), Depends(require_ready)]  # the token: ApiGuard, before this runs

    @app.get("/health", response_model=Health, responses={503: {"model": Health}})
    async def health(response: Response) -> Health:
        body = health_of(broker, started_at, counters["reconnects"], settings.market_fresh_seconds)
        if not body.ready:
            response.status_code = 503
            response.headers["Retry-After"] = str(settings.retry_after)
        return body

    @app.get("/metrics", response_class=Response, responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}})
    async def metrics() -> Response:
        return Response(broker.metrics.expose(), media_type=CONTENT_TYPE_LATEST)

    @app.get("/account", response_model=Account, dependencies=ready, responses={**NOT_READY, **UNAUTHORIZED})
    async def account() -> Account:
        return await broker.get_account()

    @app.get("/positions", response_model=list[Position], dependencies=ready, responses={**NOT_READY, **UNAUTHORIZED})
    async def positions() -> list[Position]:
        return await broker.get_positions()

    @app.get("/orders", response_model=list[Order], dependencies=ready, responses={**NOT_READY, **UNAUTHORIZED})
    async def orders(status: OrderStatus | None = None) -> list[Order]:
        return await broker.get_orders(status)

    @app.get("/orders/{ref}", response_model=Order, dependencies=ready,
             responses={**NOT_READY, **UNAUTHORIZED, 404: {"model": ErrorBody}})
    async def order(ref: Annotated[str, Path(pattern=KEY_PATTERN, description="idempotency key or order id")]) -> Order:
        record = broker.journal.order(ref) or (broker.journal.order_by_id(int(ref)) if ref.isdigit() else None)
        if record is None:
            raise UnknownOrder(ref)
        return model_of_record(record)

    @app.post("/orders", response_model=Order, status_code=201, dependencies=ready,
              responses={**NOT_READY, **UNAUTHORIZED, 200: {"model": Order, "description": "a repeat of the key"},
                         409: {"model": ErrorBody}, 422: {"model": RiskRejection}})
    async def place(body: OrderRequest, response: Response,
                    key: Annotated[str, Header(alias="Idempotency-Key", pattern=KEY_PATTERN,
                                               description="one order per key, ever")]) -> Order | JSONResponse:
        async with locks.hold(key):
            existing = broker.journal.order(key)
            if existing is not None:
                first = model_of_record(existing)
                differences = body.differences(first)
                if differences:
                    return error_json(409, "Idempotency-Key was used for a different order: " + "; ".join(differences),
                                      errors=[{"field": "header.Idempotency-Key", "message": d} for d in differences])
                response.status_code = 200
                response.headers["Idempotent-Replayed"] = "true"
                return first
            order = body.to_order(key)
            verdict = await broker.validate_order(order)
            if not verdict.ok:
                return error_json(422, "order rejected by risk checks: " + "; ".join(verdict.reasons),
                                  reasons=list(verdict.reasons), code=None, errors=reason_errors(verdict.reasons))
            placed = await guard.run(broker.place_order(order))
        response.headers["Location"] = f"/orders/{key}"
        return placed

    @app.delete("/orders/{ref}", response_model=Order, dependencies=ready,
                responses={**NOT_READY, **UNAUTHORIZED, 404: {"model": ErrorBody}})
    async def cancel(ref: Annotated[str, Path(pattern=KEY_PATTERN, description="idempotency key or order id")]) -> Order:
        return await guard.run(broker.cancel_order(int(ref) if ref.isdigit() else ref))

    @app.get("/journal", response_model=Journal, dependencies=ready, responses={**NOT_READY, **UNAUTHORIZED})
    async def journal() -> Journal:
        """Every journaled order and fill (token only: it lists every order ever placed)."""
        return Journal(orders=broker.journal.orders(), fills=broker.journal.fills())

    @app.get("/prices/{symbol}", response_model=Price, dependencies=ready, responses={**NOT_READY, **UNAUTHORIZED, 404: {"model": ErrorBody}})
    async def price(symbol: Annotated[str, Path(pattern=SYMBOL_PATTERN)]) -> Price:
        return Price(symbol=symbol, price=await guard.run(broker.get_market_price(symbol)), at=time.time())

    @app.get("/bars/{symbol}", response_model=Bars, dependencies=ready, responses={**NOT_READY, **UNAUTHORIZED, 404: {"model": ErrorBody}})
    async def bars(symbol: Annotated[str, Path(pattern=SYMBOL_PATTERN)],
                   duration: Annotated[str, Query(pattern=DURATION_PATTERN,
                                                  description="e.g. '1 D', '3600 S'; IB's limits: 30..86400 S, "
                                                              "365 D, 52 W, 12 M, then years (at most 50 Y)"),
                                       AfterValidator(within_ib_duration_limits)] = "1 D",
                   bar_size: Annotated[BarSize, Query(description="one of IB's bar sizes")] = "5 mins") -> Bars:
        frame = await guard.run(broker.get_historical_bars(symbol, duration, bar_size))
        rows = [Bar(time=as_datetime(r.time), open=r.open, high=r.high, low=r.low, close=r.close, volume=r.volume)
                for r in frame.itertuples(index=False)]
        return Bars(symbol=symbol, duration=duration, bar_size=bar_size, bars=rows)

    return app


def as_datetime(value: Any) -> dt.datetime:
    """ib_insync gives daily bars a date and intraday bars a datetime; the schema says datetime."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return dt.datetime.fromisoformat(str(value))
