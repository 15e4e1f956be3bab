"""The brokerage: everything that lives on IB's servers rather than in one API connection.

Accounts, positions, the contract catalog, order ids, orders and executions live here. Sessions
come and go (disconnects, gateway restarts) and only ever look at or act on this state, so
nothing is lost when a client drops, exactly as with the real IB back end.
"""

from __future__ import annotations

import random
from typing import Any, Callable

from ..config import AccountConfig, GatewayConfig
from .accounts import Account
from .contracts import ContractCatalog, default_catalog
from .events import EventHub
from .history import History
from .ib_side import IbSide
from .market import Market
from .orders import OrderBook
from .quote import Quote


class Brokerage:
    """The shared simulated back end behind every session of a gateway."""

    def __init__(self, config: GatewayConfig | None = None, catalog: ContractCatalog | None = None) -> None:
        self.config = config or GatewayConfig()
        self.random = random.Random(self.config.seed)
        self.catalog = catalog or (
            ContractCatalog.from_yaml(self.config.catalog) if self.config.catalog else default_catalog()
        )
        self.events = EventHub()
        self.ib_side = IbSide()  # connectivity, farms, competing session, token: outlive sessions
        self.accounts: dict[str, Account] = {}
        for account_config in self.config.accounts:
            self.add_account(account_config)
        self._next_order_id = self.config.next_order_id
        self._rolled_back_id: int | None = None
        self._next_perm_id = 1_000_000_000 + self.random.randrange(100_000_000)
        self._quotes: dict[int, Quote] = {}
        self.orders = OrderBook(self)
        self.orders.master_client_id = self.config.master_client_id
        self.orders.fill_ratio = self.config.fill_ratio
        self.orders.max_fill_size = self.config.max_fill_size
        self.market = Market(
            self.catalog, self.price_changed, seed=self.config.seed,
            tick_interval=self.config.market_tick_interval, ticker=self.config.market_ticker,
            volatility=self.config.volatility,
        )
        self.catalog.options.bind(self.market, self.events)  # option quotes follow their underlying
        self.history = History(self.market, self.config.seed, self.config.timezone, self.config.history_files)

    def use_clock(self, clock: Callable[[], float]) -> None:
        """Run the market and the order book on the gateway's clock (tests may fake it)."""
        self.market.clock = clock
        self.orders.clock = clock

    def add_account(self, account_config: AccountConfig) -> Account:
        account = Account(
            account_id=account_config.account_id,
            currency=account_config.currency,
            cash=account_config.cash,
            accrued_cash=account_config.accrued_cash,
            account_type=account_config.account_type,
        )
        for symbol, quantity in account_config.positions.items():
            contract = self.catalog.by_symbol(symbol)
            if contract is None:
                raise ValueError(f"account {account.account_id}: position in unknown symbol {symbol!r}")
            account.apply_fill(contract.contract_fields(), quantity, contract.price, 0.0)
            account.cash += quantity * contract.price * contract.multiplier
        self.accounts[account.account_id] = account
        return account

    @property
    def account_ids(self) -> list[str]:
        return list(self.accounts)

    @property
    def default_account(self) -> Account:
        return next(iter(self.accounts.values()))

    def mark(self, con_id: int) -> float:
        """The current price of a contract: the market model's last trade (midpoint for forex)."""
        if self.catalog.by_con_id(con_id) is None:
            return 0.0
        return self.market.last(con_id)

    def price_changed(self, quote: Quote) -> None:
        """The one path by which a market move reaches orders and account subscribers.

        The market model calls this after every quote update: working orders are matched first,
        then sessions are told so portfolio rows reflect the new mark.
        """
        self._quotes[quote.con_id] = quote
        self.orders.on_quote(quote)
        self.events.emit("price_marked", con_id=quote.con_id, quote=quote)

    def quote(self, con_id: int) -> Quote | None:
        """The current top of book (the last one published, else the market model's).

        The order book matches against this.
        """
        quote = self._quotes.get(con_id)
        if quote is not None:
            return quote
        if self.catalog.by_con_id(con_id) is None:
            return None
        return self.market.quote(con_id)

    def set_quote(self, con_id: int, bid: float, ask: float, last: float | None = None, **sizes: float) -> Quote:
        """Move a contract's market by hand (tests, scenarios): working orders match at once.

        The market model holds the new top of book (pinned) and publishes it via price_changed;
        with no ``last`` a trade prints at the midpoint.
        """
        return self.market.set_quote(con_id, bid, ask, round((bid + ask) / 2, 10) if last is None else last, **sizes)

    def next_order_id(self) -> int:
        """The next order id the gateway hands out via nextValidId."""
        if self._rolled_back_id is not None:
            rolled_back, self._rolled_back_id = self._rolled_back_id, None
            return rolled_back
        return self._next_order_id

    def roll_back_order_ids(self, by: int) -> None:
        """Make the next nextValidId ``by`` below the last id used, once: real gateways have been
        seen to do this after a restart (clients that trust it reuse ids and get error 103)."""
        self._rolled_back_id = max(1, self._next_order_id - 1 - by)

    def reserve_order_ids(self, up_to: int) -> None:
        """An id used by a client moves the shared counter past it, as on IB's servers."""
        if up_to >= self._next_order_id:
            self._next_order_id = up_to + 1

    def new_perm_id(self) -> int:
        self._next_perm_id += 1
        return self._next_perm_id

    def snapshot(self) -> dict[str, Any]:
        """A plain summary of the state, for tests and reports."""
        return {
            account_id: {
                "cash": account.cash,
                "positions": {p.contract["symbol"]: p.quantity for p in account.open_positions()},
            }
            for account_id, account in self.accounts.items()
        }
