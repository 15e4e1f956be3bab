"""Locust users: HTTP clients of the broker API and a TWS-protocol client of the gateway.

HTTP users point at ``--host`` (the local stack's API or staging). The TWS user connects to
``--gateway-host``/``--gateway-port`` and reads (current time, positions, account summary, open
orders); it places and cancels orders only with ``--allow-orders``. Order ids are one counter per
account at IB (and at the fake), so a second client placing orders next to the API's broker would
make the two collide (error 103): the mixed run keeps the TWS user read-only, the TWS benchmark
runs it alone with orders, each user in its own block of ids.
"""

from __future__ import annotations

import itertools
import os
import random
import time
import uuid
from typing import Any, Callable

from locust import User, between, constant_throughput, task
from locust.contrib.fasthttp import FastHttpUser

from .tws_client import CLIENT_ID_IN_USE, ORDER_CANCELLED, TwsConnection, TwsError

SYMBOL = "AAPL"
READ_SYMBOLS = ("AAPL", "MSFT", "IBM", "SPY")


def bearer() -> dict[str, str]:
    """The API token from $IB_API_TOKEN (never an option: ps shows every argument)."""
    return {"Authorization": f"Bearer {os.environ.get('IB_API_TOKEN', '')}"}


class ApiUser(FastHttpUser):
    """Every request carries the token: the read routes that reach IB need it as well."""

    abstract = True

    def __init__(self, environment: Any) -> None:
        self.default_headers = bearer()
        super().__init__(environment)

    def auth(self, **more: str) -> dict[str, str]:
        return {**bearer(), **more}


class Trader(ApiUser):
    """Places orders (mostly limits away from the market, some marketable), checks and cancels them.
    A placement that got no answer (503/504/connection error) is retried with the same key later,
    as a careful client would: the API must never turn that retry into a second order."""

    weight = 2
    wait_time = between(0.1, 0.4)

    def on_start(self) -> None:
        self.reference: float | None = None
        self.resting: list[str] = []
        self.retry: list[tuple[str, dict[str, Any]]] = []

    def refresh_reference(self) -> float | None:
        with self.client.get(f"/prices/{SYMBOL}", name="/prices/[symbol]", catch_response=True) as response:
            if response.status_code == 200:
                self.reference = float(response.json()["price"])
        return self.reference

    def place(self, body: dict[str, Any], key: str | None = None, resting: bool = False) -> None:
        key = key or f"lt-{uuid.uuid4().hex[:24]}"
        with self.client.post("/orders", json=body, headers=self.auth(**{"Idempotency-Key": key}), name="/orders",
                              context={"key": key}, catch_response=True) as response:
            if response.status_code in (200, 201):
                if resting:
                    self.resting.append(key)
                response.success()
            elif response.status_code in (0, 503, 504):
                self.retry.append((key, body))
                response.failure(f"{response.status_code}: placement unanswered; will retry the same key")
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(5)
    def place_resting_limit(self) -> None:
        if self.retry:
            key, body = self.retry.pop(0)
            self.place(body, key, resting=body.get("order_type") == "LIMIT")
            return
        price = self.reference or self.refresh_reference()
        if price is None:
            return
        body = {"symbol": SYMBOL, "side": "BUY", "quantity": random.randint(1, 5), "order_type": "LIMIT",
                "limit_price": round(price * 0.8, 2)}
        self.place(body, resting=True)

    @task(1)
    def place_marketable(self) -> None:
        side = random.choice(("BUY", "SELL"))
        self.place({"symbol": SYMBOL, "side": side, "quantity": 1, "order_type": "MARKET"})

    @task(3)
    def check_status(self) -> None:
        if self.resting:
            self.client.get(f"/orders/{random.choice(self.resting)}", name="/orders/[ref]")

    @task(2)
    def cancel_oldest(self) -> None:
        if len(self.resting) < 2:
            return
        key = self.resting.pop(0)
        with self.client.delete(f"/orders/{key}", headers=self.auth(), name="/orders/[ref]",
                                catch_response=True) as response:
            if response.status_code != 200:
                self.resting.append(key)  # cancel it again later
                response.failure(f"{response.status_code}: {response.text[:200]}")


class DashboardReader(ApiUser):
    """A dashboard polling positions, the account and prices."""

    weight = 3
    wait_time = between(0.1, 0.3)

    @task(3)
    def positions(self) -> None:
        self.client.get("/positions")

    @task(2)
    def account(self) -> None:
        self.client.get("/account")

    @task(3)
    def price(self) -> None:
        self.client.get(f"/prices/{random.choice(READ_SYMBOLS)}", name="/prices/[symbol]")


def paced(user: User) -> float:
    """One request per ``--pace`` seconds per user, whatever the latency (Locust's constant_throughput)."""
    return float(constant_throughput(1.0 / user.environment.parsed_options.pace)(user))


class PositionsReader(ApiUser):
    """Only GET /positions, at a fixed rate per user (the benchmark's measured route)."""

    def wait_time(self) -> float:  # type: ignore[override]
        return paced(self)

    @task
    def positions(self) -> None:
        self.client.get("/positions")


class BareReader(FastHttpUser):
    """The reference: a bare FastAPI endpoint served the same way, hit at the same rate."""

    def wait_time(self) -> float:  # type: ignore[override]
        return paced(self)

    @task
    def bare(self) -> None:
        self.client.get(self.environment.parsed_options.bare_url, name="/bare")


# Client ids unique across worker processes (a block of 1000 per process); each user's order ids
# start at client_id * ORDER_ID_BLOCK, below 2**31 - 1.
_client_ids = itertools.count(random.Random(os.getpid()).randrange(1000, 200_000, 1000))
ORDER_ID_BLOCK = 10_000


class TwsUser(User):
    """A TWS API client on a plain socket: each request/response pair is one Locust sample."""

    weight = 1

    def wait_time(self) -> float:  # type: ignore[override]
        """Think time around ``--tws-think`` seconds (0: back to back, to find what a worker sustains)."""
        think = self.environment.parsed_options.tws_think
        return random.uniform(0.5 * think, 1.5 * think)

    def on_start(self) -> None:
        self.connection: TwsConnection | None = None
        self.req_ids = itertools.count(1)
        options = self.environment.parsed_options
        self.orders_allowed = bool(options.allow_orders)
        self.order_ids: Any = None

    def on_stop(self) -> None:
        if self.connection is not None:
            self.connection.close()

    def connected(self) -> TwsConnection:
        if self.connection is None:
            options = self.environment.parsed_options
            for _ in range(5):
                try:
                    self.connection = TwsConnection(options.gateway_host, options.gateway_port, next(_client_ids))
                    if self.order_ids is None:
                        self.order_ids = itertools.count(self.connection.client_id * ORDER_ID_BLOCK)
                    break
                except TwsError as exc:
                    if exc.code != CLIENT_ID_IN_USE:
                        raise
            else:
                raise TwsError("five client ids in a row were in use (326)")
        return self.connection

    def sample(self, name: str, exchange: Callable[[TwsConnection], Any]) -> None:
        """Run one request/response exchange and report it to Locust's stats."""
        started, clock = time.time(), time.perf_counter()
        exception: Exception | None = None
        length = 0
        try:
            connection = self.connected()
            before = connection.bytes_in
            exchange(connection)
            length = connection.bytes_in - before
        except (TwsError, OSError) as exc:
            exception = exc
            if self.connection is not None:
                self.connection.close()
                self.connection = None
        self.environment.events.request.fire(
            request_type="TWS", name=name, response_time=(time.perf_counter() - clock) * 1000,
            response_length=length, exception=exception, context={}, start_time=started, response=None, url=None)

    @task(4)
    def current_time(self) -> None:
        self.sample("reqCurrentTime", lambda c: c.request("reqCurrentTime", {"version": 1}, "currentTime"))

    @task(2)
    def positions(self) -> None:
        self.sample("reqPositions", lambda c: c.request("reqPositions", {"version": 1}, "positionEnd"))

    @task(1)
    def account_summary(self) -> None:
        req_id = next(self.req_ids)

        def exchange(c: TwsConnection) -> None:
            c.request("reqAccountSummary", {"version": 1, "reqId": req_id, "groupName": "All",
                                            "tags": "NetLiquidation,BuyingPower"}, "accountSummaryEnd", req_id=req_id)
            c.send("cancelAccountSummary", {"version": 1, "reqId": req_id})
        self.sample("reqAccountSummary", exchange)

    @task(1)
    def open_orders(self) -> None:
        self.sample("reqOpenOrders", lambda c: c.request("reqOpenOrders", {"version": 1}, "openOrderEnd"))

    @task(2)
    def order_round_trip(self) -> None:
        """placeOrder (a limit far below the market) until Submitted, then cancelOrder until Cancelled."""
        if not self.orders_allowed:
            return

        def place(c: TwsConnection) -> None:
            order_id = next(self.order_ids)
            c.request("placeOrder", {"orderId": order_id, "symbol": SYMBOL, "secType": "STK", "exchange": "SMART",
                                     "currency": "USD", "action": "BUY", "totalQuantity": "1", "orderType": "LMT",
                                     "lmtPrice": "1", "tif": "DAY", "orderRef": f"tws-{uuid.uuid4().hex[:16]}",
                                     "transmit": True},
                      "orderStatus", req_id=order_id, where=lambda s: s["orderId"] == order_id)
            self._last_order = order_id

        self.sample("placeOrder", place)
        order_id = getattr(self, "_last_order", None)
        if order_id is None:
            return
        self._last_order = None
        self.sample("cancelOrder", lambda c: c.request(
            "cancelOrder", {"version": 1, "orderId": order_id}, "orderStatus", req_id=order_id,
            where=lambda s: s["orderId"] == order_id and s["status"] == "Cancelled",
            expected_codes=frozenset({ORDER_CANCELLED})))
