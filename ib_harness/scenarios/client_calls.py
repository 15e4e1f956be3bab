"""The timeline's client actions, run through the real broker and recorded with outcome and latency.

Each call is one BaseBroker method; the trace gets its outcome (ok, or the error's type and
message) and its latency, so "calls that failed fast" and "market data flowing again" are
measured, not assumed. Orders placed by a step are remembered by step id for modify, cancel,
triggers and the order audit.
"""

from __future__ import annotations

import asyncio
import math
from typing import Any, Awaitable, Callable

from ib_harness.broker import BaseBroker, BrokerError, Order, OrderSide, OrderType

from .evidence import call_outcome
from .model import Step
from .observe import state_name
from .trace import Trace

CALL_TIMEOUT = 30.0  # a call that outlives this is recorded as hung: above every broker default timeout
# (request 10 s, order ack 5 s), so at production timings the broker always times out first


class ClientActions:
    """Runs the client steps of one replay against one broker."""

    def __init__(self, broker: BaseBroker, trace: Trace, call_timeout: float = CALL_TIMEOUT) -> None:
        self.call_timeout = call_timeout  # at least the broker's own longest timeout (see runner)
        self.broker = broker
        self.trace = trace
        self.orders: dict[str, Order] = {}  # place_order step id -> the order as placed (key, id)

    async def run(self, step: Step) -> None:
        call = getattr(self, f"_{step.action}")
        await call(step)

    async def _record(self, step: Step, method: str, invoke: Callable[[], Awaitable[Any]],
                      describe: Callable[[Any], dict[str, Any]], **context: Any) -> Any:
        started_at = self.trace.now()
        seq = self.trace.reserve()  # its place in the order is when it was made
        loop = asyncio.get_running_loop()
        started = loop.time()  # the loop's clock: real monotonic time, or the virtual clock's
        data: dict[str, Any] = {"step": step.id, "method": method, **context,
                                "entry_state": state_name(self.broker)}  # None: a broker that shows no state
        result = None
        try:
            result = await asyncio.wait_for(invoke(), self.call_timeout)
            data.update(ok=True, **describe(result))
        except asyncio.TimeoutError:
            data.update(ok=False, error_type="Hung", error=f"no answer within {self.call_timeout:g} s")
        except Exception as exc:  # a failed call is an outcome to record, not a runner failure
            data.update(ok=False, error_type=type(exc).__name__, error=str(exc)[:300],
                        broker_error=isinstance(exc, BrokerError))
        data["latency"] = round(loop.time() - started, 9)
        data["outcome"] = call_outcome(data)
        self.trace.add("client", "call", data, at=started_at, seq=seq)
        return result

    async def _place_order(self, step: Step) -> None:
        spec = step.place_order
        assert spec is not None and step.id is not None
        same_key = {"key": self.orders[spec.key_of].key} if spec.key_of and spec.key_of in self.orders else {}
        order = Order(symbol=spec.symbol, side=OrderSide(spec.side), quantity=spec.quantity,
                      order_type=OrderType(spec.type), limit_price=spec.limit_price, stop_price=spec.stop_price,
                      **same_key)
        if not same_key:  # a retry is judged by its own call; the order stays the first step's
            self.orders[step.id] = order
        placed = await self._record(step, "place_order", lambda: self.broker.place_order(order),
                                    _order_outcome, symbol=spec.symbol, key=order.key)
        if isinstance(placed, Order) and not same_key:
            self.orders[step.id] = placed

    async def _modify_order(self, step: Step) -> None:
        spec = step.modify_order
        assert spec is not None
        changes = spec.model_dump(exclude={"order"}, exclude_none=True)
        await self._on_placed(step, "modify_order", spec.order, lambda key: self.broker.modify_order(key, **changes))

    async def _cancel_order(self, step: Step) -> None:
        spec = step.cancel_order
        assert spec is not None
        await self._on_placed(step, "cancel_order", spec.order, self.broker.cancel_order)

    async def _on_placed(self, step: Step, method: str, name: str,
                         call: Callable[[str], Awaitable[Order]]) -> None:
        """A call on an order an earlier step placed, by its idempotency key."""
        order = self.orders[name]
        result = await self._record(step, method, lambda: call(order.key), _order_outcome, key=order.key, order=name)
        if isinstance(result, Order):
            self.orders[name] = result

    async def _get_market_price(self, step: Step) -> None:
        spec = step.get_market_price
        assert spec is not None
        await self._record(step, "get_market_price", lambda: self.broker.get_market_price(spec.symbol),
                           _price_outcome, symbol=spec.symbol)

    async def _get_historical_bars(self, step: Step) -> None:
        spec = step.get_historical_bars
        assert spec is not None
        await self._record(step, "get_historical_bars", lambda: self.broker.get_historical_bars(
            spec.symbol, spec.duration, spec.bar_size, spec.what_to_show),
            lambda bars: {"bars": len(bars)}, symbol=spec.symbol)

    async def _stream_bars(self, step: Step) -> None:
        """Subscribe; every later update of the stream lands in the trace as a bar_update."""
        spec = step.stream_bars
        assert spec is not None
        if not hasattr(self.broker, "stream_bars"):  # not part of BaseBroker: a user broker may lack it
            self.trace.add("client", "call", {"step": step.id, "method": "stream_bars", "ok": False,
                                              "error_type": "NotSupported", "broker_error": True, "latency": 0.0,
                                              "error": f"{type(self.broker).__name__} has no stream_bars"})
            return
        stream = await self._record(step, "stream_bars", lambda: self.broker.stream_bars(  # type: ignore[attr-defined]
            spec.symbol, spec.duration, spec.bar_size, spec.what_to_show),
            lambda bars: {"bars": len(bars.bars)}, symbol=spec.symbol)
        if stream is not None:
            def on_update(bars: Any, has_new_bar: bool) -> None:
                self.trace.add("client", "bar_update", {"method": "stream_bars", "symbol": spec.symbol, "ok": True,
                                                        "bars": len(bars), "new_bar": has_new_bar})
            stream.listeners.append(on_update)

    async def _get_positions(self, step: Step) -> None:
        await self._record(step, "get_positions", self.broker.get_positions,
                           lambda rows: {"positions": {p.symbol: p.quantity for p in rows}})

    async def _get_account(self, step: Step) -> None:
        await self._record(step, "get_account", self.broker.get_account,
                           lambda account: {"net_liquidation": account.net_liquidation, "stale": account.stale})

    async def _get_orders(self, step: Step) -> None:
        await self._record(step, "get_orders", lambda: self.broker.get_orders(None),
                           lambda orders: {"orders": len(orders)})


def _order_outcome(order: Any) -> dict[str, Any]:
    if not isinstance(order, Order):
        return {"result": str(order)}
    return {"order_id": order.order_id, "status": order.status.value}


def _price_outcome(price: Any) -> dict[str, Any]:
    if price is None or (isinstance(price, float) and not math.isfinite(price)):
        raise ValueError(f"no price: {price!r}")
    return {"price": float(price)}
