"""The market model: one seeded random walk per contract, the source of every quote.

Each contract's book draws from its own ``random.Random`` seeded with (gateway seed, conId), so
the n-th step of a contract is the same in every run whatever else happens. A test takes over a
price with :meth:`Market.pin`, :meth:`Market.set_path` or :meth:`Market.set_quote`, and moves time
with :meth:`Market.step` / :meth:`Market.advance`; a background ticker steps the contracts that
someone is subscribed to. Every change leaves through one callback, ``Brokerage.price_changed``,
so working orders and every subscriber see the same quote in the same order.

``volatility`` (catalog or config) is the standard deviation of the log return per second; a step
covers ``tick_interval`` seconds. Forex (CASH) has no trades: its last price is the midpoint.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Hashable, Iterable, Sequence, Union

from .contracts import ContractCatalog, ContractDef
from .quote import Quote

log = logging.getLogger("ib_harness.fake_gateway.market")

PathPoint = Union[float, tuple[float, float]]
ContractKey = Union[int, str, ContractDef]

_LOTS = {"STK": 100.0, "CASH": 100_000.0, "FUT": 1.0}
_new_tuple = tuple.__new__


@dataclass
class Book:
    """The top of book and day statistics of one contract."""

    contract: ContractDef
    rng: random.Random
    volatility: float
    tick: float
    decimals: int
    lot: float
    mid: float
    bid: float = 0.0
    ask: float = 0.0
    last: float = 0.0
    bid_size: float = 0.0
    ask_size: float = 0.0
    last_size: float = 0.0
    volume: float = 0.0
    close: float = 0.0
    open: float = 0.0
    high: float = 0.0
    low: float = 0.0
    last_time: float = 0.0
    halted: bool = False
    steps: int = 0
    pinned: bool = False
    spread: float = 0.0
    path: deque[PathPoint] = field(default_factory=deque)
    timed_path: list[tuple[float, float]] = field(default_factory=list)
    path_start: float = 0.0
    quote: Quote | None = None
    con_id: int = field(init=False)
    trades: bool = field(init=False)  # IDEALPRO forex has no trades: no last, last size or volume ticks

    def __post_init__(self) -> None:
        # Read on every step: kept as plain attributes rather than derived from the contract each time.
        self.con_id = self.contract.con_id
        self.trades = self.contract.sec_type != "CASH"

    def round(self, price: float) -> float:
        """Snap to the contract's minimum tick, printed without float noise."""
        return round(round(price / self.tick) * self.tick, self.decimals)


class Market:
    """All books of a brokerage, stepped by a gateway-driven clock."""

    def __init__(
        self,
        catalog: ContractCatalog,
        on_quote: Callable[[Quote], None],
        seed: int = 0,
        clock: Callable[[], float] = time.time,
        tick_interval: float = 0.25,
        ticker: bool = True,
        volatility: dict[str, float] | None = None,
    ) -> None:
        self.catalog = catalog
        self.on_quote = on_quote
        self.seed = seed
        self.clock = clock
        self.tick_interval = tick_interval
        self.ticker_enabled = ticker
        self.volatility_overrides = dict(volatility or {})
        self.books: dict[int, Book] = {}
        self._watchers: dict[int, set[Hashable]] = {}
        self._ticker: asyncio.Task[None] | None = None

    # ----- lookup --------------------------------------------------------------------------

    def contract(self, key: ContractKey) -> ContractDef:
        """A contract by conId, symbol/localSymbol or definition; KeyError names what was asked."""
        if isinstance(key, ContractDef):
            return key
        found = self.catalog.by_con_id(key) if isinstance(key, int) else self.catalog.by_symbol(key)
        if found is None:
            raise KeyError(f"no contract {key!r} in the catalog")
        return found

    def book(self, key: ContractKey) -> Book:
        """The book of a contract, created on first use from its own seeded generator."""
        if type(key) is int:  # by conId: the per-quote path of every subscriber
            known = self.books.get(key)
            if known is not None:
                return known
        contract = self.contract(key)
        book = self.books.get(contract.con_id)
        if book is None:
            book = self._new_book(contract)
            self.books[contract.con_id] = book
        return book

    def _new_book(self, contract: ContractDef) -> Book:
        tick = contract.min_tick
        decimals = max(0, -int(Decimal(str(tick)).normalize().as_tuple().exponent))
        volatility = self.volatility_overrides.get(contract.symbol, contract.volatility)
        rng = random.Random(f"{self.seed}:{contract.con_id}")
        book = Book(contract=contract, rng=rng, volatility=volatility, tick=tick, decimals=decimals,
                    lot=_LOTS.get(contract.sec_type, 1.0), mid=contract.price)
        price = book.round(contract.price)
        book.close = book.open = book.high = book.low = book.last = price
        if book.trades:
            book.volume = book.lot * rng.randint(1_000, 20_000)
            book.last_size = book.lot * rng.randint(1, 10)
        book.last_time = self.clock()
        self._quote_walk(book, move=False)
        book.quote = self._make_quote(book)
        return book

    def quote(self, key: ContractKey) -> Quote:
        """The current top of book of a contract."""
        book = self.book(key)
        assert book.quote is not None
        return book.quote

    def last(self, key: ContractKey) -> float:
        """The mark: last trade price (the midpoint for forex, which has no trades)."""
        return self.quote(key).last

    # ----- driving the model ---------------------------------------------------------------

    def step(self, key: ContractKey, count: int = 1) -> Quote:
        """Advance one contract by ``count`` ticks; each changed quote goes to the brokerage."""
        book = self.book(key)
        for _ in range(count):
            self._step(book)
        assert book.quote is not None
        return book.quote

    def advance(self, steps: int = 1, keys: Iterable[ContractKey] | None = None) -> None:
        """Step the given contracts, or every watched one, ``steps`` times in turn."""
        books = [self.book(k) for k in keys] if keys is not None else [self.book(c) for c in list(self._watchers)]
        for _ in range(steps):
            for book in books:
                self._step(book)

    def pin(self, key: ContractKey, price: float, spread: float = 0.0) -> Quote:
        """Hold a contract at ``price`` (bid/ask ``spread`` apart around it) until unpinned."""
        book = self.book(key)
        book.path.clear()
        book.timed_path = []
        book.pinned, book.spread = True, spread
        self._set_price(book, price, trade=True)
        return self._publish(book)

    def unpin(self, key: ContractKey) -> None:
        """Let the random walk take over again from the current price."""
        book = self.book(key)
        book.pinned = False
        book.path.clear()
        book.timed_path = []
        book.mid = book.quote.mid if book.quote else book.mid

    def set_path(self, key: ContractKey, points: Sequence[PathPoint], spread: float = 0.0) -> None:
        """Script the next prices: plain prices are taken one per step; (seconds, price) points
        apply once that many seconds of the market clock have passed since this call. The
        contract stays pinned at the final price when the path runs out."""
        book = self.book(key)
        book.pinned, book.spread = True, spread
        book.path.clear()
        book.timed_path = []
        if points and isinstance(points[0], (tuple, list)):
            book.timed_path = sorted((float(t), float(p)) for t, p in points)  # type: ignore[misc]
            book.path_start = self.clock()
        else:
            book.path.extend(float(p) for p in points)  # type: ignore[arg-type]

    def set_quote(
        self,
        key: ContractKey,
        bid: float,
        ask: float,
        last: float | None = None,
        bid_size: float | None = None,
        ask_size: float | None = None,
        last_size: float | None = None,
        volume: float | None = None,
    ) -> Quote:
        """Set the whole top of book by hand (pinned); a new last counts as a trade."""
        book = self.book(key)
        book.pinned = True
        book.path.clear()
        book.timed_path = []
        book.bid, book.ask = bid, ask
        book.mid = (bid + ask) / 2
        book.bid_size = book.bid_size if bid_size is None else bid_size
        book.ask_size = book.ask_size if ask_size is None else ask_size
        if last is not None and book.trades:
            self._trade(book, last, book.last_size if last_size is None else last_size)
        elif not book.trades:
            book.last = round((book.bid + book.ask) / 2, book.decimals + 1)
        if volume is not None:
            book.volume = volume
        return self._publish(book)

    def halt(self, key: ContractKey, halted: bool = True) -> None:
        """A halted contract stops moving; subscribers see generic tick 49 change."""
        book = self.book(key)
        book.halted = halted
        self._publish(book, force=True)

    # ----- subscribers and the background ticker -------------------------------------------

    def watch(self, key: ContractKey, owner: Hashable) -> None:
        """Someone streams this contract: keep the ticker stepping it."""
        self._watchers.setdefault(self.contract(key).con_id, set()).add(owner)
        self._ensure_ticker()

    def unwatch(self, key: ContractKey, owner: Hashable) -> None:
        con_id = self.contract(key).con_id
        owners = self._watchers.get(con_id)
        if owners is not None:
            owners.discard(owner)
            if not owners:
                del self._watchers[con_id]
        self._maybe_stop_ticker()

    def release(self, owner: Hashable) -> None:
        """Drop every watch of one owner (a session that went away)."""
        for con_id in list(self._watchers):
            self._watchers[con_id].discard(owner)
            if not self._watchers[con_id]:
                del self._watchers[con_id]
        self._maybe_stop_ticker()

    @property
    def watched(self) -> list[int]:
        return list(self._watchers)

    @property
    def ticking(self) -> bool:
        return self._ticker is not None and not self._ticker.done()

    def _ensure_ticker(self) -> None:
        if not self.ticker_enabled or self.ticking or not self._watchers:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._ticker = loop.create_task(self._run_ticker(), name="fake-gateway-market-ticker")

    def _maybe_stop_ticker(self) -> None:
        if not self._watchers and self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None

    async def _run_ticker(self) -> None:
        """Step every watched contract once per tick interval while anyone is watching."""
        while self._watchers:
            await asyncio.sleep(self.tick_interval)
            try:
                self.advance()
            except Exception:  # a failing subscriber must not stop the market for everyone
                log.exception("market ticker step failed")

    # ----- the walk ------------------------------------------------------------------------

    def _step(self, book: Book) -> None:
        book.steps += 1
        if book.halted:
            return
        if book.path:
            self._set_price(book, float(book.path.popleft()), trade=True)  # type: ignore[arg-type]
        elif book.timed_path:
            elapsed = self.clock() - book.path_start
            due = [p for t, p in book.timed_path if t <= elapsed]
            book.timed_path = [(t, p) for t, p in book.timed_path if t > elapsed]
            if due:
                self._set_price(book, due[-1], trade=True)
        elif not book.pinned:
            self._quote_walk(book, move=True)
            if book.trades and book.rng.random() < 0.5:
                price = book.ask if book.rng.random() < 0.5 else book.bid
                self._trade(book, price, book.lot * (1 + book.rng._randbelow(10)))  # type: ignore[attr-defined]  # randint(1, 10), see _quote_walk
            elif not book.trades:
                book.last = round((book.bid + book.ask) / 2, book.decimals + 1)
        self._publish(book)

    def _quote_walk(self, book: Book, move: bool) -> None:
        """One random-walk step of the midpoint and a fresh bid/ask around it."""
        rng = book.rng
        random_ = rng.random
        tick, decimals = book.tick, book.decimals
        if move:
            book.mid *= math.exp(rng.gauss(0.0, book.volatility * math.sqrt(self.tick_interval)))
        spread_ticks = 1 if random_() < 0.75 else 2
        raw_bid = math.floor((book.mid - (spread_ticks - 1) * tick / 2) / tick) * tick
        bid = round(round(raw_bid / tick) * tick, decimals)  # Book.round, inlined on the hot path
        book.bid = bid = max(bid, tick)
        book.ask = round(round((bid + spread_ticks * tick) / tick) * tick, decimals)
        # rng.randint(1, 30) is 1 + rng._randbelow(30) (random.randrange with step 1): the same
        # draw from the same generator, without two layers of argument checks per step.
        below = rng._randbelow  # type: ignore[attr-defined]
        if not move or random_() < 0.5:
            book.bid_size = book.lot * (1 + below(30))
        if not move or random_() < 0.5:
            book.ask_size = book.lot * (1 + below(30))
        if not book.trades:
            book.last = round((book.bid + book.ask) / 2, decimals + 1)

    def _set_price(self, book: Book, price: float, trade: bool) -> None:
        """Put a pinned/path price in place: bid and ask ``spread`` apart around it."""
        book.mid = price
        book.bid = round(price - book.spread / 2, book.decimals + 2)
        book.ask = round(price + book.spread / 2, book.decimals + 2)
        if book.trades and trade:
            self._trade(book, price, book.last_size or book.lot)
        elif not book.trades:
            book.last = price

    def _trade(self, book: Book, price: float, size: float) -> None:
        book.last, book.last_size = price, size
        book.volume += size
        book.high = max(book.high, price)
        book.low = min(book.low, price)
        book.last_time = self.clock()

    def _make_quote(self, book: Book) -> Quote:
        # tuple.__new__ rather than Quote(...): the named tuple's generated __new__ is one more
        # Python call per step for the same object.
        return _new_tuple(Quote, (book.con_id, book.bid, book.ask, book.last, book.bid_size, book.ask_size,
                                  book.last_size, book.volume, self.clock()))

    def _publish(self, book: Book, force: bool = False) -> Quote:
        """Send the book's quote to the brokerage when anything but its time stamp changed."""
        quote = self._make_quote(book)
        old = book.quote
        if force or old is None or quote[1:8] != old[1:8]:  # Quote.same_market, inlined on the hot path
            book.quote = quote
            self.on_quote(quote)
            return quote
        return old

