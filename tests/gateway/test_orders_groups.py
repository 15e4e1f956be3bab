"""Brackets, transmit=False and OCA groups in the order book on its own (no sockets).

Each test moves the market by hand with ``set_quote`` and reads the book, the account and the
brokerage events, the same things the session handlers relay to clients.
"""

from __future__ import annotations

import pytest

from ib_harness.fake_gateway.state.brokerage import Brokerage
from ib_harness.fake_gateway.state.orders import OrderRejected
from tests.gateway.order_requests import AAPL, Recorder, order


@pytest.fixture
def brokerage() -> Brokerage:
    broker = Brokerage()
    broker.set_quote(AAPL, 190.0, 190.02, 190.01)
    return broker


def bracket(book, parent_limit: float = 185.0, take_profit: float = 195.0, stop_loss: float = 180.0,
            client_id: int = 1) -> tuple:
    """ib_insync's bracketOrder: parent and take-profit held, the stop-loss transmits all three."""
    parent = book.place(order(1, order_type="LMT", lmt=parent_limit, transmit=False), client_id=client_id)
    profit = book.place(order(2, "SELL", order_type="LMT", lmt=take_profit, parentId=1, transmit=False),
                        client_id=client_id)
    loss = book.place(order(3, "SELL", order_type="STP", aux=stop_loss, parentId=1, transmit=True),
                      client_id=client_id)
    return parent, profit, loss


def test_held_orders_stay_out_of_the_market_until_the_group_transmits(brokerage: Brokerage) -> None:
    book = brokerage.orders
    events = Recorder(brokerage)
    parent = book.place(order(1, order_type="LMT", lmt=195.0, transmit=False), client_id=1)
    profit = book.place(order(2, "SELL", order_type="LMT", lmt=189.0, parentId=1, transmit=False), client_id=1)
    assert parent.status == profit.status == "PendingSubmit"
    assert events.events == [] and book.open_orders() == [] and not book.executions
    brokerage.set_quote(AAPL, 190.5, 190.52)  # marketable for both, but neither is live
    assert parent.filled == profit.filled == 0
    loss = book.place(order(3, "SELL", order_type="STP", aux=180.0, parentId=1), client_id=1)
    # The parent was marketable: it fills at once; the children then work (take-profit fills too).
    assert parent.status == "Filled" and parent.avg_fill_price == 190.52
    assert profit.status == "Filled" and profit.avg_fill_price == 190.5
    assert loss.status == "Cancelled" and loss.filled == 0
    assert brokerage.default_account.positions[AAPL].quantity == 0


def test_a_held_order_is_transmitted_by_resending_it_with_transmit(brokerage: Brokerage) -> None:
    book = brokerage.orders
    held = book.place(order(1, order_type="LMT", lmt=185.0, transmit=False), client_id=1)
    assert held.status == "PendingSubmit" and not book.open_orders()
    live = book.place(order(1, order_type="LMT", lmt=186.0), client_id=1)
    assert live is held and live.status == "Submitted" and live.lmt_price == 186.0
    assert book.open_orders() == [live]


def test_cancelling_a_held_order_drops_it_without_a_message(brokerage: Brokerage) -> None:
    book = brokerage.orders
    book.place(order(1, order_type="LMT", lmt=185.0, transmit=False), client_id=1)
    events = Recorder(brokerage)
    book.cancel(1, client_id=1)
    assert events.events == [] and book.get(1) is None and not book.orders


def test_children_wait_for_the_parent_fill(brokerage: Brokerage) -> None:
    book = brokerage.orders
    parent, profit, loss = bracket(book)
    assert parent.status == "Submitted"
    assert profit.status == loss.status == "PreSubmitted"
    brokerage.set_quote(AAPL, 196.0, 196.02)  # through the take-profit, but the parent is not filled
    assert profit.filled == 0 and profit.status == "PreSubmitted"
    assert AAPL not in brokerage.default_account.positions
    brokerage.set_quote(AAPL, 184.9, 184.95, 184.95)  # the parent buys ...
    assert parent.status == "Filled" and parent.avg_fill_price == 184.95
    assert profit.status == "Submitted" and loss.status == "PreSubmitted"
    brokerage.set_quote(AAPL, 195.0, 195.02)  # ... and the take-profit sells; the stop is cancelled
    assert profit.status == "Filled" and loss.status == "Cancelled"
    assert brokerage.default_account.positions[AAPL].quantity == 0


def test_a_partial_take_profit_reduces_the_stop_loss(brokerage: Brokerage) -> None:
    book = brokerage.orders
    parent, profit, loss = bracket(book)
    brokerage.set_quote(AAPL, 184.9, 184.95, 184.95)
    book.max_fill_size = 40
    brokerage.set_quote(AAPL, 195.0, 195.02)
    assert profit.filled == 40 and loss.total_quantity == 60 and loss.is_open
    book.max_fill_size = None
    brokerage.set_quote(AAPL, 175.0, 175.02, 175.0)  # the stop takes what is left, no more
    assert loss.status == "Filled" and loss.filled == 60
    assert brokerage.default_account.positions[AAPL].quantity == 0


def test_cancelling_the_parent_cancels_its_children(brokerage: Brokerage) -> None:
    book = brokerage.orders
    parent, profit, loss = bracket(book)
    events = Recorder(brokerage)
    book.cancel(1, client_id=1)
    assert parent.status == profit.status == loss.status == "Cancelled"
    assert [p["order_id"] for name, p in events.events if name == "order_error"] == [1, 2, 3]
    brokerage.set_quote(AAPL, 184.0, 184.02)
    assert not book.executions and not book.open_orders()


def test_a_child_needs_a_live_parent_of_the_same_client(brokerage: Brokerage) -> None:
    book = brokerage.orders
    with pytest.raises(OrderRejected) as caught:
        book.place(order(5, "SELL", order_type="LMT", lmt=195.0, parentId=4), client_id=1)
    assert caught.value.code == 201 and "parent order 4 is not found" in caught.value.message
    book.place(order(6, order_type="LMT", lmt=185.0), client_id=2)
    with pytest.raises(OrderRejected):
        book.place(order(7, "SELL", order_type="LMT", lmt=195.0, parentId=6), client_id=1)
    book.cancel(6, client_id=2)
    with pytest.raises(OrderRejected) as caught:
        book.place(order(8, "SELL", order_type="LMT", lmt=195.0, parentId=6), client_id=2)
    assert "is Cancelled" in caught.value.message


def oca(book, oca_type: int, first: float = 185.0, second: float = 186.0, size: float = 100) -> tuple:
    one = book.place(order(1, order_type="LMT", lmt=first, quantity=size, ocaGroup="G", ocaType=oca_type), client_id=1)
    two = book.place(order(2, order_type="LMT", lmt=second, quantity=size, ocaGroup="G", ocaType=oca_type), client_id=1)
    return one, two


def test_oca_type_1_a_fill_cancels_the_others(brokerage: Brokerage) -> None:
    book = brokerage.orders
    book.max_fill_size = 30
    one, two = oca(book, 1)
    brokerage.set_quote(AAPL, 185.8, 185.9)  # only the second is marketable
    assert two.filled == 30 and one.status == "Cancelled" and one.filled == 0
    assert brokerage.default_account.positions[AAPL].quantity == 30


def test_oca_type_2_reduces_the_others_with_overfill_protection(brokerage: Brokerage) -> None:
    book = brokerage.orders
    one, two = oca(book, 2, first=186.0, second=186.0)
    brokerage.set_quote(AAPL, 185.8, 185.9)  # both marketable on the same quote: only one fills
    assert sorted([one.status, two.status]) == ["Cancelled", "Filled"]
    assert brokerage.default_account.positions[AAPL].quantity == 100


def test_oca_type_2_partial_fills_reduce_proportionately(brokerage: Brokerage) -> None:
    book = brokerage.orders
    book.max_fill_size = 40
    one = book.place(order(1, order_type="LMT", lmt=185.0, quantity=100, ocaGroup="G", ocaType=2), client_id=1)
    two = book.place(order(2, order_type="LMT", lmt=170.0, quantity=200, ocaGroup="G", ocaType=2), client_id=1)
    brokerage.set_quote(AAPL, 184.8, 184.9)
    assert one.filled == 40 and two.total_quantity == 120 and two.is_open


def test_oca_type_3_reduces_without_block_so_both_can_fill(brokerage: Brokerage) -> None:
    book = brokerage.orders
    one, two = oca(book, 3, first=186.0, second=186.0)
    brokerage.set_quote(AAPL, 185.8, 185.9)
    assert one.status == two.status == "Filled"  # IB's documented overfill risk without the block
    assert brokerage.default_account.positions[AAPL].quantity == 200


def test_oca_type_3_reduces_orders_not_marketable_on_the_same_quote(brokerage: Brokerage) -> None:
    book = brokerage.orders
    one, two = oca(book, 3)
    brokerage.set_quote(AAPL, 185.8, 185.9)
    assert two.status == "Filled" and one.status == "Cancelled"


def test_cancelling_one_oca_order_leaves_the_others(brokerage: Brokerage) -> None:
    book = brokerage.orders
    one, two = oca(book, 1)
    book.cancel(1, client_id=1)
    assert one.status == "Cancelled" and two.status == "Submitted"


def test_an_oca_group_needs_a_known_oca_type(brokerage: Brokerage) -> None:
    with pytest.raises(OrderRejected) as caught:
        brokerage.orders.place(order(1, order_type="LMT", lmt=185.0, ocaGroup="G", ocaType=0), client_id=1)
    assert caught.value.code == 201 and "needs ocaType 1, 2 or 3 (got 0)" in caught.value.message


@pytest.mark.parametrize("oca_type", [1, 2])
def test_with_block_an_order_joining_a_group_whose_member_filled_is_cancelled(brokerage: Brokerage, oca_type: int) -> None:
    """Issue 23.4: two marketable orders in one OCA group with block (types 1, 2) never both fill."""
    book = brokerage.orders
    first = book.place(order(1, quantity=5, order_type="LMT", lmt=191.0, ocaGroup="once", ocaType=oca_type), client_id=1)
    assert first.status == "Filled"
    second = book.place(order(2, quantity=5, order_type="LMT", lmt=191.0, ocaGroup="once", ocaType=oca_type), client_id=1)
    assert second.status == "Cancelled" and second.filled == 0
    assert brokerage.default_account.positions[AAPL].quantity == 5  # not +10


def test_without_block_an_order_joining_a_filled_group_may_still_fill(brokerage: Brokerage) -> None:
    book = brokerage.orders
    book.place(order(1, quantity=5, order_type="LMT", lmt=191.0, ocaGroup="free", ocaType=3), client_id=1)
    second = book.place(order(2, quantity=5, order_type="LMT", lmt=191.0, ocaGroup="free", ocaType=3), client_id=1)
    assert second.status == "Filled"
    assert brokerage.default_account.positions[AAPL].quantity == 10  # type 3 may overfill, as at IB


def test_an_order_in_another_group_is_not_blocked(brokerage: Brokerage) -> None:
    book = brokerage.orders
    book.place(order(1, quantity=5, order_type="LMT", lmt=191.0, ocaGroup="g", ocaType=1), client_id=1)
    other = book.place(order(2, quantity=5, order_type="LMT", lmt=150.0, ocaGroup="other", ocaType=1), client_id=1)
    assert other.status == "Submitted"
