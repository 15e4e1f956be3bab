"""The control API's routes: one FastAPI app over one gateway, in the gateway's event loop.

Every route is ``async def`` on purpose: FastAPI runs plain ``def`` routes in a thread pool, and
the gateway (its sessions, faults and brokerage) may only be touched from its own loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import Body, FastAPI, HTTPException, Response
from pydantic import BaseModel, ConfigDict, Field

from ..faults.spec import FaultSpecError
from ..session.client_state import client_state
from .guard import ControlGuard

if TYPE_CHECKING:
    from ..faults.handle import FaultHandle
    from ..server import FakeGateway
    from ..session.session import Session
    from ..state.order_model import Order


class RestartRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    down_seconds: float | None = Field(None, ge=0, le=3600, allow_inf_nan=False,
                                       description="refuse connects this long before listening again")


class PinRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    price: float = Field(gt=0, allow_inf_nan=False, description="the price to hold the contract at")
    spread: float = Field(0.0, ge=0, allow_inf_nan=False, description="bid and ask this far apart around the price")


def describe_session(session: "Session") -> dict[str, Any]:
    """What a session holds, JSON-ready: who it is and what IB status faults did to it."""
    state = client_state(session)
    return {
        "number": session.number, "client_id": session.client_id, "peer": session.peer,
        "phase": session.phase, "version": session.version,
        "subscriptions": {kind: sorted(lines) for kind, lines in session.subscriptions.items() if lines},
        "paused": {stream: sorted(reasons) for stream, reasons in state.pauses.items() if reasons},
        "held_requests": len(state.held_requests),
        "farms_down": sorted(state.farms_down),
    }


def describe_order(order: "Order") -> dict[str, Any]:
    return {"order_id": order.order_id, "perm_id": order.perm_id, "client_id": order.client_id,
            "order_ref": order.order_ref, "symbol": order.contract.symbol, "action": order.action,
            "quantity": order.total_quantity, "order_type": order.order_type, "status": order.status,
            "filled": order.filled, "remaining": order.remaining}


def build_app(gateway: "FakeGateway", token: str | None = None) -> FastAPI:
    """The routes of ``interfaces.md``: health, sessions, faults, restart, market, events; behind
    ``ControlGuard`` (no browsers, JSON only, bounded bodies, the token if one is given)."""
    app = FastAPI(title="fake IB gateway control API", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(ControlGuard, token=token)  # type: ignore[arg-type]

    @app.get("/health")
    async def health() -> dict[str, Any]:
        return {"status": "ok", "listening": gateway.listening, "host": gateway.host, "port": gateway.port,
                "sessions": len(gateway.sessions)}

    @app.get("/sessions")
    async def sessions() -> list[dict[str, Any]]:
        return [describe_session(s) for s in sorted(gateway.sessions, key=lambda s: s.number)]

    @app.get("/faults")
    async def faults() -> list[dict[str, Any]]:
        return [handle.as_dict() for handle in gateway.faults.handles()]

    @app.post("/faults", status_code=201)
    async def inject(spec: Any = Body(...)) -> dict[str, Any]:
        try:
            handle = gateway.faults.inject(spec)
        except FaultSpecError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from None
        return {"id": handle.id, "kind": handle.kind, "active": handle.active}

    def live(fault_id: str) -> "FaultHandle":
        handle = gateway.faults.get(fault_id)
        if handle is None:
            raise HTTPException(status_code=404, detail=f"no live fault {fault_id!r}")
        return handle

    @app.get("/faults/{fault_id}")
    async def fault(fault_id: str) -> dict[str, Any]:
        return live(fault_id).as_dict()

    @app.delete("/faults/{fault_id}", status_code=204)
    async def stop_fault(fault_id: str) -> Response:
        live(fault_id).stop()
        return Response(status_code=204)

    @app.post("/restart")
    async def restart(request: RestartRequest | None = Body(None)) -> dict[str, Any]:
        down = request.down_seconds if request is not None else None
        await gateway.restart(down_seconds=down or 0.0)
        return {"restarted": True, "down_seconds": down, "host": gateway.host, "port": gateway.port}

    @app.post("/market/{symbol}")
    async def pin(symbol: str, request: PinRequest) -> dict[str, Any]:
        market = gateway.brokerage.market
        if gateway.brokerage.catalog.by_symbol(symbol) is None:
            raise HTTPException(status_code=404, detail=f"no contract {symbol!r} in the catalog")
        quote = market.pin(symbol, request.price, request.spread)
        return {"symbol": symbol, "con_id": quote.con_id, "bid": quote.bid, "ask": quote.ask, "last": quote.last}

    @app.get("/orders")
    async def orders() -> dict[str, list[dict[str, Any]]]:
        """The brokerage's order book (every client's orders and executions): the truth an
        external audit compares a client's journal against."""
        book = gateway.brokerage.orders
        return {"orders": [describe_order(order) for order in book.orders.values()],
                "executions": [{"exec_id": e.exec_id, "order_id": e.order.order_id, "order_ref": e.order.order_ref,
                                "side": e.side, "shares": e.shares, "price": e.price, "time": e.time}
                               for e in book.executions]}

    @app.get("/events")
    async def events(since: int = 0) -> list[dict[str, Any]]:
        """The gateway's event log; ``since`` skips the first entries (for polling)."""
        return gateway.events.as_dicts(max(since, 0))

    return app
