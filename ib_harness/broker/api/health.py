"""GET /health's body: the broker's state and whether what it serves is fresh.

Freshness is judged here from the broker's live caches (account values, market lines, farms),
so a load balancer can take the API out of rotation before a client sees stale data.
"""

from __future__ import annotations

import asyncio
import time

from ..ib_broker import IBKRInsyncBroker
from ..supervision import BrokerState
from .schemas import Health, MarketDataHealth


def market_health(broker: IBKRInsyncBroker, fresh_seconds: float) -> MarketDataHealth:
    now = asyncio.get_running_loop().time()
    ages: dict[str, float | None] = {}
    fresh = broker.state == BrokerState.READY and not broker.market.farms_down
    for symbol, line in broker.market.lines.items():
        age = round(now - line.updated_at, 3) if line.updates else None
        ages[symbol] = age
        if line.unavailable or age is None or age > fresh_seconds:
            fresh = False
    return MarketDataHealth(fresh=fresh, farms_down=sorted(broker.market.farms_down), age_seconds=ages)


def health_of(broker: IBKRInsyncBroker, started_at: float, reconnects: int, market_fresh_seconds: float) -> Health:
    state = broker.state
    ready = state == BrokerState.READY
    account_fresh = ready and not broker.account_stale and bool(broker.ib.accountValues())
    return Health(
        ready=ready, state=state, state_cause=broker.machine.cause, state_since=broker.machine.since,
        uptime_seconds=round(time.time() - started_at, 3),
        ready_for_seconds=round(time.time() - broker.machine.since, 3) if ready else None,
        last_error=broker.machine.last_error, reconnects=reconnects, account_fresh=account_fresh,
        market_data=market_health(broker, market_fresh_seconds),
    )
