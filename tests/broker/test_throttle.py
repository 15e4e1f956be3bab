"""The broker's request rate is spread over tenths of a second, so a late first burst can never
put two seconds' worth of requests into one of IB's sliding windows."""

from __future__ import annotations

from ib_insync import IB

from ib_harness.broker.throttle import apply_throttle


def test_the_rate_is_spread_over_tenths_and_never_rounds_up() -> None:
    client = IB().client
    assert apply_throttle(client, 45) == 40
    assert (client.MaxRequests, client.RequestsInterval) == (4, 0.1)
    assert apply_throttle(client, 50) == 50 and client.MaxRequests == 5


def test_a_rate_below_ten_per_second_sends_one_at_a_time() -> None:
    client = IB().client
    assert apply_throttle(client, 4) == 4
    assert (client.MaxRequests, client.RequestsInterval) == (1, 0.25)
