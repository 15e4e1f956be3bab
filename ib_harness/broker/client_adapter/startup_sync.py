"""SupervisedIB: either library's IB with a startup sync that records an unanswered request
instead of failing the connect (ib_insync#638, ib_async#82)."""

from __future__ import annotations

import asyncio
import importlib
import logging
from functools import cache
from typing import Any

log = logging.getLogger("ib_harness.broker.client_adapter")


class SupervisedSync:
    """The startup sync of ib_insync 0.9.86 (ib_async 2.1's is the same steps), except that a
    request left unanswered (reqExecutions without execDetailsEnd: ib_insync#638, ib_async#82) is
    recorded in ``sync_gaps`` instead of failing the whole connect with TimeoutError. The Watchdog
    calls this connectAsync too, so both supervisors get it. Mixed into either library's IB by
    :func:`supervised_ib_class`.

    On ib_async it takes ib_async's extra parameters: ``fetchFields`` (default ``startup_fetch``,
    which the broker sets from its backend) leaves out what it does not name, as ib_async does
    (``sync_skipped`` names what was left out), except that sub-account updates are still asked
    for when no single account's updates are (they are then the only account values);
    ``raiseSyncErrors`` raises ConnectionError naming the gaps instead of connecting with them."""

    sync_gaps: tuple[str, ...] = ()
    sync_skipped: tuple[str, ...] = ()  # what fetchFields left out of the last startup sync
    sync_account = ""  # the account the startup sync subscribed to
    startup_fetch: Any = None  # ib_async's StartupFetch flags (None: everything)

    async def connectAsync(self: Any, host: str = "127.0.0.1", port: int = 7497, clientId: int = 1,  # noqa: N803
                           timeout: float | None = 4, readonly: bool = False, account: str = "",
                           raiseSyncErrors: bool = False, fetchFields: Any = None) -> Any:  # noqa: N803
        fetch = fetchFields if fetchFields is not None else self.startup_fetch
        flags = getattr(importlib.import_module(type(self)._library), "StartupFetch", None)

        def wanted(flag: str) -> bool:
            return fetch is None or flags is None or bool(fetch & getattr(flags, flag))

        client_id = int(clientId)
        self.wrapper.clientId = client_id
        wait = timeout or None
        self.sync_gaps = ()
        self.sync_skipped = tuple(name for flag, name in (("ORDERS_OPEN", "open orders"),
                                                          ("ORDERS_COMPLETE", "completed orders"),
                                                          ("EXECUTIONS", "executions")) if not wanted(flag))
        try:
            await self.client.connectAsync(host, port, client_id, wait)
            if client_id == 0:
                self.reqAutoOpenOrders(True)  # autobind manual orders
            accounts = self.client.getAccounts()
            if not account and len(accounts) == 1:
                account = accounts[0]
            self.sync_account = account
            requests: dict[str, Any] = {"positions": self.reqPositionsAsync()}
            if not readonly and wanted("ORDERS_OPEN"):
                requests["open orders"] = self.reqOpenOrdersAsync()
            if not readonly and self.client.serverVersion() >= 150 and wanted("ORDERS_COMPLETE"):
                requests["completed orders"] = self.reqCompletedOrdersAsync(False)
            if account and wanted("ACCOUNT_UPDATES"):
                requests["account updates"] = self.reqAccountUpdatesAsync(account)
            if len(accounts) <= self.MaxSyncedSubAccounts and (wanted("SUB_ACCOUNT_UPDATES")
                                                               or "account updates" not in requests):
                for acc in accounts:
                    requests[f"account updates for {acc}"] = self.reqAccountUpdatesMultiAsync(acc)
            answers = await asyncio.gather(*(asyncio.wait_for(r, wait) for r in requests.values()),
                                           return_exceptions=True)
            gaps = [name for name, answer in zip(requests, answers) if _unanswered(answer)]
            if wanted("EXECUTIONS"):
                try:  # after the orders, as ib_insync does: executions need their orders
                    await asyncio.wait_for(self.reqExecutionsAsync(), wait)
                except asyncio.TimeoutError:
                    gaps.append("executions")
            if raiseSyncErrors and gaps:
                raise ConnectionError(f"startup sync incomplete: {', '.join(gaps)} unanswered")
            if not self.client.isReady():
                raise ConnectionError("Socket connection broken while connecting")
            self.sync_gaps = tuple(gaps)
            if gaps:
                log.warning("startup sync incomplete: %s unanswered", ", ".join(gaps))
            self.connectedEvent.emit()
        except BaseException:
            self.disconnect()
            raise
        return self


@cache
def supervised_ib_class(library: Any) -> type:
    """SupervisedIB on ``library``'s IB (the ib_insync or ib_async module): one class per library."""
    return type("SupervisedIB", (SupervisedSync, library.IB),
                {"__module__": __name__, "__doc__": SupervisedSync.__doc__, "_library": library.__name__})


def _unanswered(answer: object) -> bool:
    if isinstance(answer, ConnectionError):
        raise answer
    return isinstance(answer, BaseException)
