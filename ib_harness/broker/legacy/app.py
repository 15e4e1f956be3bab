"""The legacy ibapi app: everything here runs on ibapi's threads, exactly as the old code did.

Flaws kept on purpose (each one a scenario in the library is about):
- the keepalive is a ``threading.Timer`` chain started on every nextValidId and never stopped when
  the connection drops; it sends reqCurrentTime and never checks that an answer came back;
- 2100 (account data unsubscribed) and 504 (not connected) are only logged;
- nextValidId is taken as it comes (no high-water mark across restarts);
- a lost connection spawns a new reconnect thread, which spawns a new ``run()`` thread.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, Protocol

from ibapi.client import EClient
from ibapi.wrapper import EWrapper

log = logging.getLogger("ib_harness.broker.legacy")

KEEPALIVE_SECONDS = 1.0      # reqCurrentTime every second, answer never checked
RECONNECT_DELAY = 1.0        # fixed, no backoff
ONLY_LOGGED = {2100, 504}


class Callbacks(Protocol):
    """What the app hands to the asyncio side (through run_coroutine_threadsafe)."""

    def deliver(self, name: str, *args: Any) -> None: ...


class LegacyApp(EWrapper, EClient):
    def __init__(self, host: str, port: int, client_id: int, sink: Callbacks) -> None:
        EWrapper.__init__(self)
        EClient.__init__(self, wrapper=self)
        # not self.host/port/clientId: EClient.reset() clears those on every disconnect
        self.address = (host, port, client_id)
        self.sink = sink
        self.next_order_id = 0
        self.timers: list[threading.Timer] = []
        self.threads: list[threading.Thread] = []
        self.shutting_down = False
        self.reconnecting = threading.Lock()  # one reconnect thread at a time (a failed connect closes too)

    # ----- lifecycle (called from the asyncio side once, then from reconnect threads) ------------

    def start(self) -> None:
        """Connect (blocking socket + handshake) and run the message loop on a new thread."""
        host, port, client_id = self.address
        self.connect(host, port, client_id)
        if not self.isConnected():
            raise ConnectionError(f"could not connect to {host}:{port}")
        self._spawn(self._run_logged, f"legacy-run-{len(self.threads)}")

    def _run_logged(self) -> None:
        """EClient.run(); two run threads on one EClient race on its reset (a reconnect thread resets
        the connection under the old loop): the old code's thread died with a traceback, this logs it."""
        try:
            self.run()
        except Exception:
            log.exception("legacy run thread died")
            self.sink.deliver("run_thread_died")

    def stop(self) -> None:
        """Shutdown for good: the harness must not leak threads into the next test, so at the very
        end (only) the timers are cancelled and the threads joined."""
        self.shutting_down = True
        self.disconnect()
        for timer in self.timers:
            timer.cancel()
        for thread in self.threads:
            if thread is not threading.current_thread():
                thread.join(timeout=2.0)

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        self.threads.append(thread)
        thread.start()

    def _keepalive(self) -> None:
        if self.shutting_down:
            return
        self.reqCurrentTime()  # when disconnected ibapi reports 504 through error(), which is only logged
        timer = threading.Timer(KEEPALIVE_SECONDS, self._keepalive)
        timer.daemon = True
        self.timers.append(timer)
        timer.start()

    def _reconnect(self) -> None:
        with self.reconnecting:
            self._reconnect_until_connected()

    def _reconnect_until_connected(self) -> None:
        while not self.shutting_down:
            time.sleep(RECONNECT_DELAY)
            if self.shutting_down:
                return
            self.sink.deliver("reconnecting")
            try:
                self.start()
                return
            except Exception as exc:  # refused, reset: try again after the same delay
                log.warning("legacy reconnect failed: %r", exc)
                self.sink.deliver("reconnect_failed", repr(exc))

    # ----- EWrapper ------------------------------------------------------------------------------

    def nextValidId(self, orderId: int) -> None:  # noqa: N802,N803 (ibapi names)
        self.next_order_id = orderId  # as it comes, even when it went backwards
        self.sink.deliver("next_valid_id", orderId)
        self._keepalive()  # a new Timer chain on every connect; the old ones keep running

    def connectionClosed(self) -> None:  # noqa: N802
        self.sink.deliver("connection_closed")
        if not self.shutting_down and not self.reconnecting.locked():
            self._spawn(self._reconnect, f"legacy-reconnect-{len(self.threads)}")

    def error(self, reqId: int, errorTime: int, errorCode: int, errorString: str,  # noqa: N803
              advancedOrderRejectJson: str = "") -> None:
        if errorCode in ONLY_LOGGED:
            log.warning("IB %s (reqId %s): %s", errorCode, reqId, errorString)
        self.sink.deliver("error", reqId, errorCode, errorString)

    def managedAccounts(self, accountsList: str) -> None:  # noqa: N802,N803
        self.sink.deliver("accounts", [a for a in accountsList.split(",") if a])

    def tickPrice(self, reqId: int, tickType: int, price: float, attrib: Any) -> None:  # noqa: N802,N803
        self.sink.deliver("price", reqId, tickType, price)

    def orderStatus(self, orderId: int, status: str, filled: Any, remaining: Any, avgFillPrice: float,  # noqa: N802,N803
                    permId: int, parentId: int, lastFillPrice: float, clientId: int, whyHeld: str,
                    mktCapPrice: float) -> None:
        self.sink.deliver("order_status", orderId, status, float(filled), float(remaining), avgFillPrice, permId)

    def execDetails(self, reqId: int, contract: Any, execution: Any) -> None:  # noqa: N802,N803
        self.sink.deliver("execution", execution.execId, execution.orderRef, execution.orderId,
                          float(execution.shares), execution.price, execution.time)

    def position(self, account: str, contract: Any, position: Any, avgCost: float) -> None:  # noqa: N803
        self.sink.deliver("position", account, contract.symbol, float(position), avgCost)

    def positionEnd(self) -> None:  # noqa: N802
        self.sink.deliver("position_end")

    def updateAccountValue(self, key: str, val: str, currency: str, accountName: str) -> None:  # noqa: N802,N803
        self.sink.deliver("account_value", key, val, currency, accountName)

    def historicalData(self, reqId: int, bar: Any) -> None:  # noqa: N802,N803
        self.sink.deliver("bar", reqId, bar)

    def historicalDataEnd(self, reqId: int, start: str, end: str) -> None:  # noqa: N802,N803
        self.sink.deliver("bars_end", reqId)

    def historicalDataUpdate(self, reqId: int, bar: Any) -> None:  # noqa: N802,N803
        self.sink.deliver("bar_update", reqId, bar)
