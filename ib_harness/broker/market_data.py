"""Market data on ib_insync's tickers: one shared subscription per symbol, restored after every
reconnect or 1101, checked after 1102 and farm-OK notices, and degraded per farm on a blip.

A price is only answered from a stream that is live: a farm that is down, an IB refusal (10197,
354), a stream that never ticked or one silent for longer than the freshness bound (requested again
first) raise MarketDataUnavailable instead of a stale number.

IB never says when a pause such as 10197 (a competing live session) ends. What a client can see is
ticks arriving again, so a line marked unavailable becomes available with its first tick decoded
after the mark; meanwhile it is requested again every stream_check_timeout (IB answers 10197 again
while the pause lasts, or streams the current quote once it is over).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from typing import TYPE_CHECKING, Any, Awaitable, Callable


from .backends import backend_of
from .client_adapter import ClientAdapter
from .errors import MarketDataUnavailable
from .events import EventBus
from .market_lines import BarStream, MarketLine

if TYPE_CHECKING:  # types only: the objects come from the broker's backend (backends.py)
    from ib_insync import IB, BarDataList, Contract, Ticker

__all__ = ["BarStream", "MarketData", "MarketLine"]

log = logging.getLogger("ib_harness.broker.market_data")
CLOCK_RESOLUTION = time.get_clock_info("monotonic").resolution  # what the event loop can tell apart

PAUSE_CODES = frozenset({10197})  # unavailable for a while, ended by IB without a notice


class MarketData:
    def __init__(self, ib: IB, events: EventBus, stream_check_timeout: float, max_lines: int = 90,
                 line_ttl: float = 300.0) -> None:
        self.ib = ib
        self.backend = backend_of(ib)
        self.client = ClientAdapter(ib)
        self.events = events
        self.stream_check_timeout = stream_check_timeout
        self.max_lines = max_lines
        self.line_ttl = line_ttl
        self._sweeper: asyncio.Task[None] | None = None
        self.contracts: dict[str, Contract] = {}
        self.lines: dict[str, MarketLine] = {}
        self.bar_streams: list[BarStream] = []
        self.farms_down: set[str] = set()
        self._pending: dict[str, asyncio.Future[Any]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        ib.pendingTickersEvent += self._on_tickers

    # ----- contracts and lines --------------------------------------------------------------------

    async def contract(self, symbol: str, timeout: float) -> Contract:
        """The qualified stock contract; concurrent callers share one lookup."""
        if symbol in self.contracts:
            return self.contracts[symbol]
        return await self._shared(f"contract:{symbol}", lambda: self._qualify(symbol, timeout))

    async def _qualify(self, symbol: str, timeout: float) -> Contract:
        contract = self.backend.Stock(symbol, "SMART", "USD")
        qualified = await asyncio.wait_for(self.ib.qualifyContractsAsync(contract), timeout)
        if not qualified:
            raise MarketDataUnavailable(symbol, "no security definition (IB 200)")
        self.contracts[symbol] = qualified[0]
        return qualified[0]

    async def _shared(self, key: str, make: Callable[[], Awaitable[Any]]) -> Any:
        future = self._pending.get(key)
        if future is None:
            future = asyncio.ensure_future(make())
            self._pending[key] = future
            future.add_done_callback(lambda _f: self._pending.pop(key, None))
        return await asyncio.shield(future)

    async def line(self, symbol: str, timeout: float) -> MarketLine:
        if symbol not in self.lines:
            contract = await self.contract(symbol, timeout)
            if symbol not in self.lines:  # another caller may have subscribed meanwhile
                self._make_room(f"at most {self.max_lines} lines (market_data_max_lines)")
                self._subscribe(symbol, contract)
                self._sweep_idle_lines()
        return self._used(self.lines[symbol])

    def _used(self, line: MarketLine) -> MarketLine:
        line.last_used = asyncio.get_running_loop().time()
        return line

    def _make_room(self, cause: str) -> None:
        """Release least recently used lines until one more fits under the bound."""
        while self.lines and len(self.lines) >= self.max_lines:
            lru = min(self.lines.values(), key=lambda line: line.last_used)
            self.release(lru.symbol, f"least recently used; {cause}")

    def release(self, symbol: str, cause: str) -> None:
        """Cancel the line at IB and forget it (a later call subscribes again)."""
        line = self.lines.pop(symbol, None)
        if line is None:
            return
        if self.ib.isConnected() and self.client.market_data_subscribed(line.ticker):
            self.ib.cancelMktData(line.contract)
        line.changed.set()
        self.events.publish("market_line_released", symbol=symbol, cause=cause)

    def _sweep_idle_lines(self) -> None:
        if self._sweeper is None or self._sweeper.done():
            self._sweeper = asyncio.get_running_loop().create_task(self._release_idle(), name="broker-line-ttl")
            self._tasks.add(self._sweeper)
            self._sweeper.add_done_callback(self._tasks.discard)

    async def _release_idle(self) -> None:
        """Lines nobody read for line_ttl seconds are released; ends when no line is left."""
        loop = asyncio.get_running_loop()
        while self.lines:
            await asyncio.sleep(self.line_ttl / 2)
            now = loop.time()
            for line in list(self.lines.values()):
                if now - line.last_used >= self.line_ttl:
                    self.release(line.symbol, f"idle for {self.line_ttl} s (market_data_line_ttl)")

    def lines_full(self, req_id: int, code: int, message: str) -> None:
        """IB 101: the line was refused (IB holds nothing for it): fail its callers now and free
        the least recently used other line so that the next request fits."""
        refused = next((line for line in self.lines.values() if line.req_id == req_id), None)
        if refused is None:
            return
        del self.lines[refused.symbol]
        self.client.forget_market_line(refused.ticker)
        refused.unavailable = f"IB {code}: {message}"
        refused.changed.set()
        self.events.publish("market_line_refused", symbol=refused.symbol, code=code, message=message)
        if self.lines:  # IB's limit is below ours (other clients share the account's allowance)
            lru = min(self.lines.values(), key=lambda line: line.last_used)
            self.release(lru.symbol, f"least recently used; IB {code}: {message}")

    def _subscribe(self, symbol: str, contract: Contract) -> None:
        ticker = self.ib.reqMktData(contract)
        req_id = self.client.market_data_req_id(ticker)
        old = self.lines.get(symbol)
        line = MarketLine(symbol, contract, ticker, req_id, requested_at=asyncio.get_running_loop().time())
        if old is not None:
            line.changed, line.last_used = old.changed, old.last_used
        self.lines[symbol] = line

    async def price(self, symbol: str, timeout: float, max_age: float) -> float:
        """The current market price from the shared live stream: a tick at most ``max_age``
        seconds old. A line silent for longer is requested again (once per call); without a fresh
        tick within ``timeout`` the call fails: a frozen price is never returned as current."""
        line = await self.line(symbol, timeout)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        requested_again = False
        while True:
            line = self.lines.get(symbol, line)  # a re-request replaces it; a refused one is gone
            if "market" in self.farms_down:
                raise MarketDataUnavailable(symbol, "market data farm is down (IB 2103)")
            if line.unavailable:
                raise MarketDataUnavailable(symbol, line.unavailable)
            value = line.ticker.marketPrice()
            known = value is not None and not math.isnan(value) and value > 0
            age = line.age(loop.time())
            if known and line.updates and age <= max_age:
                return float(value)
            if age > max_age and not requested_again and symbol in self.lines and self.ib.isConnected():
                requested_again = True
                self._resubscribe(symbol, line, f"stale: no tick for {age:.2f} s (max age {max_age} s)")
                continue
            remaining = deadline - loop.time()
            if remaining <= CLOCK_RESOLUTION:  # asyncio fires a timer due within it at once: time would not pass
                if known:
                    raise MarketDataUnavailable(symbol, f"no fresh price within {timeout} s (the last tick is "
                                                        f"{age:.2f} s old, the bound {max_age} s)")
                raise MarketDataUnavailable(symbol, f"no price arrived within {timeout} s")
            if not requested_again:  # wake when the line turns stale, to request it again
                remaining = min(remaining, max(max_age - age, 0.01))
            line.changed.clear()
            try:
                await asyncio.wait_for(line.changed.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    def live_price(self, symbol: str, max_age: float) -> float | None:
        """The price of a healthy live stream ticked within ``max_age`` seconds, or None when it has
        to be waited for, requested again or refused."""
        line = self.lines.get(symbol)
        if line is None or line.unavailable or "market" in self.farms_down or not line.updates:
            return None
        self._used(line)
        if line.age(asyncio.get_running_loop().time()) > max_age:
            return None
        value = line.ticker.marketPrice()
        return float(value) if value == value and value > 0 else None  # NaN != NaN

    def last_price(self, symbol: str) -> float | None:
        line = self.lines.get(symbol)
        if line is None:
            return None
        value = line.ticker.marketPrice()
        return None if value is None or math.isnan(value) else float(value)

    def _on_tickers(self, tickers: set[Ticker]) -> None:
        now = asyncio.get_running_loop().time()
        for line in self.lines.values():
            if line.ticker in tickers:
                if line.unavailable and self._ticked_since_mark(line):
                    self._available_again(line)
                line.updates += 1
                line.updated_at = now
                line.changed.set()

    def _ticked_since_mark(self, line: MarketLine) -> bool:
        if self.client.current_chunk() is not line.marked_in:
            return True  # a later chunk: every tick of it came after the mark
        return len(line.ticker.ticks) > line.ticks_at_mark

    def _available_again(self, line: MarketLine) -> None:
        log.info("market data for %s flows again after %s", line.symbol, line.unavailable)
        self.events.publish("market_data_available", symbol=line.symbol, after=line.unavailable)
        line.unavailable = None
        line.marked_in = None

    # ----- bars -----------------------------------------------------------------------------------

    async def stream_bars(self, symbol: str, duration: str, bar_size: str, what_to_show: str,
                          timeout: float) -> BarStream:
        contract = await self.contract(symbol, timeout)
        params: dict[str, Any] = dict(endDateTime="", durationStr=duration, barSizeSetting=bar_size,
                      whatToShow=what_to_show, useRTH=False, keepUpToDate=True)
        bars = await asyncio.wait_for(self.ib.reqHistoricalDataAsync(contract, **params), timeout)
        stream = BarStream(symbol, contract, params, bars, closer=self._end_bars)
        self._watch_bars(stream)
        self.bar_streams.append(stream)
        return stream

    def _end_bars(self, stream: BarStream) -> None:
        if stream in self.bar_streams:
            self.bar_streams.remove(stream)
        if self.ib.isConnected() and self.client.bars_subscribed(stream.bars):
            self.ib.cancelHistoricalData(stream.bars)
        self.events.publish("bars_closed", symbol=stream.symbol)

    def _watch_bars(self, stream: BarStream) -> None:
        def on_update(bars: BarDataList, has_new_bar: bool) -> None:
            stream.updates += 1
            for listener in stream.listeners:
                listener(bars, has_new_bar)
        stream.bars.updateEvent += on_update

    def _rerequest_bars(self, stream: BarStream, cause: str) -> None:
        if self.client.bars_subscribed(stream.bars):
            self.ib.cancelHistoricalData(stream.bars)
        self._spawn(self._restart_bars(stream, cause))

    async def _restart_bars(self, stream: BarStream, cause: str) -> None:
        try:
            bars = await asyncio.wait_for(self.ib.reqHistoricalDataAsync(stream.contract, **stream.params),
                                          self.stream_check_timeout * 5)
        except (asyncio.TimeoutError, ConnectionError, self.backend.RequestError) as exc:
            self.events.publish("resubscribe_failed", symbol=stream.symbol, stream="bars", error=repr(exc))
            return
        if stream.closed:  # its consumer closed it meanwhile
            self.ib.cancelHistoricalData(bars)
            return
        stream.bars = bars
        self._watch_bars(stream)
        self.events.publish("resubscribed", symbol=stream.symbol, stream="bars", cause=cause)

    def bars_failed(self, req_id: int) -> None:
        """IB 10182: the keepUpToDate request died; ask again for exactly that stream."""
        for stream in self.bar_streams:
            if stream.bars.reqId == req_id:
                self._rerequest_bars(stream, "IB 10182")

    # ----- recovery -------------------------------------------------------------------------------

    def resubscribe_all(self, cause: str) -> None:
        """Request every stream again (after a reconnect, IB's subscriptions are gone)."""
        for symbol, line in list(self.lines.items()):
            self._resubscribe(symbol, line, cause)
        for stream in self.bar_streams:
            self._rerequest_bars(stream, cause)

    def _resubscribe(self, symbol: str, line: MarketLine, cause: str, still_unavailable: bool = False) -> None:
        """Cancel and request the line again. ``still_unavailable`` keeps the old mark (the ticker
        object is the same, with its last values) until a tick of the new request arrives."""
        if self.ib.isConnected() and self.client.market_data_subscribed(line.ticker):
            self.ib.cancelMktData(line.contract)
        self._subscribe(symbol, line.contract)
        if still_unavailable:
            self._mark(self.lines[symbol], line.unavailable or "requested again")
        self.events.publish("resubscribed", symbol=symbol, stream="market", cause=cause)

    def _mark(self, line: MarketLine, reason: str) -> None:
        ticker = line.ticker
        line.unavailable = reason
        line.marked_in = self.client.current_chunk()
        line.ticks_at_mark = len(ticker.ticks) if self.client.ticked_in_current_chunk(ticker) else 0
        line.changed.set()

    def mark_unavailable(self, req_id: int, code: int, message: str) -> None:
        for line in self.lines.values():
            if line.req_id == req_id:
                paused = line.unavailable is not None
                self._mark(line, f"IB {code}: {message}")
                self.events.publish("market_data_unavailable", symbol=line.symbol, code=code, message=message)
                if code in PAUSE_CODES and not paused:
                    self._spawn(self._rerequest_while_unavailable(line.symbol, f"IB {code}"))

    async def _rerequest_while_unavailable(self, symbol: str, cause: str) -> None:
        """Bounded by the pause: ends when the data flows again, the line goes or the socket does."""
        while True:
            await asyncio.sleep(self.stream_check_timeout)
            line = self.lines.get(symbol)
            if line is None or not line.unavailable or not self.ib.isConnected():
                return
            self._resubscribe(symbol, line, f"{cause}: still unavailable after {self.stream_check_timeout} s",
                              still_unavailable=True)

    def farm_down(self, farm: str) -> None:
        self.farms_down.add(farm)
        for line in self.lines.values():
            line.changed.set()

    def farm_ok(self, farm: str, cause: str) -> None:
        """Farm back: keep the subscriptions, but request again each stream that stays silent."""
        self.farms_down.discard(farm)
        if farm == "market":
            self.verify_streams(cause)
        elif farm == "hmds":
            self._spawn(self._verify_bars(cause))

    def verify_streams(self, cause: str) -> None:
        self._spawn(self._verify_lines(cause))

    async def _verify_lines(self, cause: str) -> None:
        before = {symbol: line.updates for symbol, line in self.lines.items()}
        await asyncio.sleep(self.stream_check_timeout)
        for symbol, count in before.items():
            line = self.lines.get(symbol)
            if line is not None and line.updates == count and self.ib.isConnected():
                self._resubscribe(symbol, line, f"{cause}: silent for {self.stream_check_timeout} s")

    async def _verify_bars(self, cause: str) -> None:
        before = {id(s): s.updates for s in self.bar_streams}
        await asyncio.sleep(self.stream_check_timeout)
        for stream in self.bar_streams:
            if before.get(id(stream)) == stream.updates and self.ib.isConnected():
                self._rerequest_bars(stream, f"{cause}: silent for {self.stream_check_timeout} s")

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for future in list(self._pending.values()):
            future.cancel()
        self.ib.pendingTickersEvent -= self._on_tickers
