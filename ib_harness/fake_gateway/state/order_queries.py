"""What the order book answers (reqOpenOrders, reqCompletedOrders, reqExecutions, who hears of an
order), apart from how orders change (:mod:`.orders`)."""

from __future__ import annotations

from .execution_log import ExecutionLog
from .order_model import Execution, ExecutionFilter, Order


class OrderQueries:
    """The read side of the order book; :class:`.orders.OrderBook` fills these in."""

    orders: dict[int, Order]  # by permId, in placement order (transmitted orders)
    by_order_id: dict[int, Order]  # API orders (and bound manual ones) by orderId
    log: ExecutionLog
    master_client_id: int | None  # IB's "Master API client ID" setting

    def get(self, order_id: int) -> Order | None:
        return self.by_order_id.get(order_id)

    def open_orders(self, client_id: int | None = None) -> list[Order]:
        """Open orders, all or those owned by one client id (held, untransmitted ones are not)."""
        return [o for o in self.orders.values()
                if o.is_open and (client_id is None or o.client_id == client_id)]

    def completed_orders(self, api_only: bool = False) -> list[Order]:
        """Filled and cancelled orders of every client (reqCompletedOrders)."""
        return [o for o in self.orders.values() if o.is_done and not (api_only and o.manual)]

    def find_executions(self, wanted: ExecutionFilter) -> list[Execution]:
        """Executions matching reqExecutions' filter."""
        return self.log.find(wanted)

    def recipients(self, order: Order) -> set[int]:
        """Client ids whose sessions hear about an order: its owner and the master client."""
        ids = {order.client_id}
        if self.master_client_id is not None:
            ids.add(self.master_client_id)
        return ids
