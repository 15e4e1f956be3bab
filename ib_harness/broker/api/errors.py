"""How broker failures become HTTP answers: one mapping, so every route fails the same way.

Not ready -> 503 with Retry-After (never a hang); no answer in time -> 504; an unknown order
-> 404; a refused order -> 422 with its reasons; a malformed request -> 422 naming each field.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import (BrokerError, BrokerTimeout, BrokerUnavailable, MarketDataUnavailable, OrderNotSent,
                      OrderRejected, RequestFailed, UnknownOrder)

NO_SECURITY_DEFINITION = 200  # IB's "No security definition has been found"


def error_json(status: int, detail: str, headers: dict[str, str] | None = None, **more: Any) -> JSONResponse:
    return JSONResponse({"detail": detail, **more}, status_code=status, headers=headers)


class NotReady(BrokerUnavailable):
    """Refused by the readiness gate before any work: the fail-fast 503 (X-Fail-Fast: 1), as
    opposed to a request already in flight when the link died (it waits for the detection)."""


def unavailable(state: str, detail: str, retry_after: int, fail_fast: bool) -> JSONResponse:
    headers = {"Retry-After": str(retry_after), "X-Fail-Fast": "1" if fail_fast else "0"}
    return error_json(503, detail, headers, state=state)


def field_name(location: tuple[Any, ...] | list[Any]) -> str:
    """FastAPI's ('body', 'quantity') as body.quantity; a model-level check names the body."""
    return ".".join(str(part) for part in location) or "request"


# Which part of a request a risk reason is about (the first word of the reason), for errors[].field.
REASON_FIELDS = {"symbol": "body.symbol", "quantity": "body.quantity", "notional": "body.quantity",
                 "limit_price": "body.limit_price", "stop_price": "body.stop_price"}
# Starlette's own refusals (a body it cannot parse, no such route or method), named the same way.
HTTP_FIELDS = {400: "body", 404: "path", 405: "method"}


def reason_errors(reasons: list[str] | tuple[str, ...]) -> list[dict[str, str]]:
    """Each refusal reason with the field it is about (``body`` when no single field is)."""
    return [{"field": REASON_FIELDS.get(reason.split(" ", 1)[0], "body"), "message": reason} for reason in reasons]


def install_error_handlers(app: FastAPI, retry_after: int) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = str(exc.detail)
        errors = [{"field": HTTP_FIELDS.get(exc.status_code, "request"), "message": detail}]
        return error_json(exc.status_code, detail, dict(exc.headers or {}), errors=errors)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": field_name(err.get("loc", ())), "message": err.get("msg", "invalid")}
                  for err in exc.errors()]
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return error_json(422, f"invalid request: {summary}", errors=errors)

    @app.exception_handler(BrokerError)
    async def broker_error(_request: Request, exc: BrokerError) -> JSONResponse:
        if isinstance(exc, BrokerUnavailable):
            return unavailable(exc.state, str(exc), retry_after, isinstance(exc, NotReady))
        if isinstance(exc, BrokerTimeout):
            return error_json(504, str(exc), {"Retry-After": str(retry_after)})
        if isinstance(exc, UnknownOrder):
            return error_json(404, str(exc))
        if isinstance(exc, OrderRejected):
            return error_json(422, f"order rejected: {exc}", reasons=[exc.reason], code=exc.code,
                              errors=reason_errors([exc.reason]))
        if isinstance(exc, OrderNotSent):
            return error_json(502, str(exc), key=exc.key)
        if isinstance(exc, MarketDataUnavailable):
            if "IB 200" in exc.reason:
                return error_json(404, str(exc))
            return error_json(503, str(exc), {"Retry-After": str(retry_after)})
        if isinstance(exc, RequestFailed):
            return error_json(404 if exc.code == NO_SECURITY_DEFINITION else 502, str(exc), code=exc.code)
        return error_json(500, f"broker error: {exc}")
