"""Orders that act on each other: parent/child brackets and one-cancels-all (OCA) groups.

IB's rules, as the order book applies them:

* A child (``parentId``) waits until its parent has filled, then works; cancelling the parent
  cancels its children. Children of one parent are one-cancels-all among themselves: a fill of
  the take-profit reduces the stop-loss by as much (and cancels it once nothing is left).
* ``transmit=False`` holds an order, unseen by the market and by reqOpenOrders, until an order of
  its group arrives with ``transmit=True`` (ib_insync's bracketOrder sends parent and take-profit
  held, the stop-loss transmitting all three).
* OCA groups (``ocaGroup``): a fill of one order, by ``ocaType`` of that order,
  1 cancels the others, 2 reduces them proportionately before anything else can fill
  (overfill protection, IB's "with block"), 3 reduces them only after the current market update,
  so orders already marketable on it fill as well (IB's "no block": overfills are possible).
  With block (types 1 and 2) an order that joins a group one of whose members has already
  filled is cancelled when it goes live: two marketable orders sent one after the other never
  both fill. Type 3 has no block, so the joining order may fill too.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from .order_model import Order

CANCEL_ALL, REDUCE_WITH_BLOCK, REDUCE_NO_BLOCK = 1, 2, 3


def children(orders: Iterable[Order], parent: Order) -> list[Order]:
    """The children of an order (same client, parentId = its order id), in placement order."""
    return [o for o in orders if o.parent_id and o.parent_id == parent.order_id
            and o.client_id == parent.client_id and o is not parent]


def held_group(held: Mapping[int, Order], order: Order, parent: Order | None) -> list[Order]:
    """What a transmitting order releases: its held parent, the parent's held children, itself."""
    root = parent if parent is not None and parent.order_id in held else order
    group = [root] + [o for o in children(held.values(), root) if o is not order]
    if order is not root:
        group.append(order)
    return group


def peers(orders: Iterable[Order], order: Order) -> tuple[list[Order], int]:
    """The open orders a fill of ``order`` acts on, and how (its ocaType; 2 for bracket siblings)."""
    found: list[Order] = []
    oca_type = order.oca_type if order.oca_group else REDUCE_WITH_BLOCK
    for other in orders:
        if other is order or not other.is_open or other.account != order.account:
            continue
        same_oca = bool(order.oca_group) and other.oca_group == order.oca_group
        sibling = bool(order.parent_id) and other.parent_id == order.parent_id and other.client_id == order.client_id
        if same_oca or sibling:
            found.append(other)
    return found, oca_type


def joins_filled_group(orders: Iterable[Order], order: Order) -> bool:
    """With block (ocaType 1 or 2): another member of ``order``'s OCA group has already filled."""
    if not order.oca_group or order.oca_type not in (CANCEL_ALL, REDUCE_WITH_BLOCK):
        return False
    return any(other is not order and other.oca_group == order.oca_group and other.account == order.account
               and other.filled > 0 for other in orders)


def reduced_quantity(peer: Order, order: Order, filled: float) -> float:
    """A peer's new size after ``order`` filled ``filled``: reduced in proportion to the two sizes."""
    share = filled * peer.group_size / order.group_size if order.group_size else filled
    return max(peer.total_quantity - share, peer.filled)
