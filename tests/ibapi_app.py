"""The official ibapi client (EClient + EWrapper) run the only way it runs: on its own thread.

Tests wait on the recorded callbacks with timeouts; the client is always disconnected and its
thread joined, so no thread outlives a test.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from typing import Any, Callable

from ibapi.client import EClient
from ibapi.contract import Contract
from ibapi.wrapper import EWrapper


class RecordingApp(EWrapper, EClient):
    """Records every callback it receives as (name, args) and lets tests wait for one."""

    def __init__(self) -> None:
        EWrapper.__init__(self)
        EClient.__init__(self, wrapper=self)
        self.calls: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def _record(self, name: str, *args: Any) -> None:
        with self._changed:
            self.calls[name].append(args)
            self._changed.notify_all()

    def __getattribute__(self, name: str) -> Any:
        attribute = object.__getattribute__(self, name)
        if name in EWRAPPER_CALLBACKS:
            def recorder(*args: Any) -> None:
                object.__getattribute__(self, "_record")(name, *args)
            return recorder
        return attribute

    def wait_for(self, name: str, count: int = 1, timeout: float = 5.0,
                 where: Callable[[tuple[Any, ...]], bool] | None = None) -> list[tuple[Any, ...]]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self.calls[name] if where is None or where(c)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"ibapi: {name} x{count} not received; got {dict(self.calls)}")
                self._changed.wait(remaining)

    def start(self, host: str, port: int, client_id: int) -> "RecordingApp":
        self.connect(host, port, client_id)
        self._thread = threading.Thread(target=self.run, name=f"ibapi-{client_id}", daemon=True)
        self._thread.start()
        self.wait_for("nextValidId")
        return self

    def stop(self) -> None:
        self.disconnect()
        if self._thread is not None:
            self._thread.join(timeout=5)
            assert not self._thread.is_alive(), "ibapi reader thread did not stop"


EWRAPPER_CALLBACKS = frozenset(
    name for name, member in vars(EWrapper).items()
    if callable(member) and not name.startswith("_") and name != "logAnswer"
)


def ibapi_contract(symbol: str = "", secType: str = "STK", exchange: str = "SMART", currency: str = "USD",
                   **fields: Any) -> Contract:
    """An ibapi Contract; extra keywords set any other attribute by its IB name."""
    contract = Contract()
    contract.symbol, contract.secType, contract.exchange, contract.currency = symbol, secType, exchange, currency
    for key, value in fields.items():
        setattr(contract, key, value)
    return contract
