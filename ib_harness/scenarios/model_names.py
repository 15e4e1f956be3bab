"""Every name a scenario uses, checked against its vocabulary at validate time, not found by a replay.

Order statuses are the broker's (``OrderStatus``), symbols are the gateway's contract catalog (the
one the replay will load: ``gateway.settings.catalog`` or the built-in), gateway events are the
gateway's event-log kinds. A name outside its vocabulary is an error at its line with the closest
known name offered.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, Iterator

from pydantic import AfterValidator, Field

from ib_harness.broker.models import OrderStatus
from ib_harness.broker.events import EVENT_KINDS as BROKER_EVENTS
from ib_harness.fake_gateway.event_log import EVENT_KINDS
from ib_harness.fake_gateway.state.contracts import CatalogError, ContractCatalog, default_catalog

from .model_messages import unknown_name

ORDER_STATUSES: tuple[str, ...] = tuple(status.value for status in OrderStatus)

# kinds the fault families and IB-status effects add to the gateway's event log (``Fault.record``,
# ``status.record``); message faults add message_<action>. tests/scenarios/test_names.py keeps this
# in step with every ``record("...")`` in ib_harness/fake_gateway.
FAULT_EVENT_KINDS = ("garbage_sent", "frame_truncated", "frames_dropped", "half_closed", "nightly_reset",
                     "md_line_inactive", "md_line_revived", "order_id_rollback",
                     "request_held", "held_requests_answered", "order_events_released", "subscriptions_dropped")
MESSAGE_EVENT_PREFIX = "message_"
GATEWAY_EVENT_KINDS: tuple[str, ...] = (*EVENT_KINDS, *FAULT_EVENT_KINDS)

# the kinds the broker publishes on its event bus (tests/scenarios/test_names.py keeps this in step
# with every ``events.publish("...")`` in ib_harness/broker)
BROKER_EVENT_KINDS = BROKER_EVENTS  # the broker's own list (broker.events)


def _order_status(value: str) -> str:
    if value not in ORDER_STATUSES:
        raise ValueError(unknown_name("order status", value, ORDER_STATUSES))
    return value


def _gateway_event(value: str) -> str:
    if value not in GATEWAY_EVENT_KINDS and not value.startswith(MESSAGE_EVENT_PREFIX):
        raise ValueError(unknown_name("gateway event", value, (*GATEWAY_EVENT_KINDS, "message_<action>")))
    return value


def _broker_event(value: str) -> str:
    if value not in BROKER_EVENT_KINDS:
        raise ValueError(unknown_name("broker event", value, BROKER_EVENT_KINDS))
    return value


BrokerEventName = Annotated[str, AfterValidator(_broker_event)]
OrderStatusName = Annotated[str, AfterValidator(_order_status), Field(json_schema_extra={"enum": list(ORDER_STATUSES)})]
GatewayEventName = Annotated[str, AfterValidator(_gateway_event)]


@lru_cache(maxsize=8)
def _catalog(path: str | None) -> ContractCatalog:
    return ContractCatalog.from_yaml(path) if path else default_catalog()


def catalog_for(settings: dict[str, Any]) -> ContractCatalog:
    """The catalog a replay with these gateway settings loads; ValueError naming the file if it cannot."""
    path = settings.get("catalog")
    try:
        return _catalog(str(path) if path else None)
    except (OSError, CatalogError, ValueError) as exc:
        raise ValueError(f"catalog {path!r} cannot be loaded: {exc}") from None


def stock_symbols(catalog: ContractCatalog) -> set[str]:
    """Symbols the broker can trade and quote: it asks for ``Stock(symbol, 'SMART', 'USD')``."""
    return {contract.symbol for contract in catalog.contracts
            if contract.sec_type == "STK" and contract.details.get("currency") == "USD"}


def symbol_uses(data: Any) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(location, symbol) of every symbol a validated scenario names."""
    for index, step in enumerate(data.steps):
        argument = step.argument
        symbol = argument.get("symbol") if isinstance(argument, dict) else getattr(argument, "symbol", None)
        if isinstance(symbol, str):  # a client call, a market move, or a fault narrowed to one symbol
            yield ("steps", index, step.action, "symbol"), symbol
    for section in ("prices", "paths"):
        for symbol in getattr(data.gateway, section):
            yield ("gateway", section, symbol), symbol
    for index, account in enumerate(data.gateway.accounts):
        for symbol in account.positions:
            yield ("gateway", "accounts", index, "positions", symbol), symbol
    for index, expectation in enumerate(data.expect):
        symbol = getattr(expectation.body, "symbol", None)
        if isinstance(symbol, str):
            yield ("expect", index, expectation.kind, "symbol"), symbol
