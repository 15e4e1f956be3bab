"""Known client behaviours against the real gateway, reproduced by the fake.

A fake that only answers the happy path hides the bugs users hit in production. These tests pin
behaviours reported on the clients' issue trackers, so that the harness shows them as IB would.
"""

from __future__ import annotations

import ib_async
import ib_insync
import pytest

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.wire.fields import UNSET_DOUBLE


async def _what_if(library, gateway: FakeGateway, quantity: float):  # type: ignore[no-untyped-def]
    ib = library.IB()
    await ib.connectAsync(gateway.host, gateway.port, clientId=4, timeout=5)
    try:
        [eurusd] = await ib.qualifyContractsAsync(library.Forex("EURUSD"))
        return await ib.whatIfOrderAsync(eurusd, library.MarketOrder("BUY", quantity))
    finally:
        ib.disconnect()


async def test_ib_insync_takes_the_warning_as_the_what_if_answer() -> None:
    """erdewit/ib_insync#380: with a precaution (an IdealPro odd lot), TWS first sends an openOrder
    with the warning and unset margins; ib_insync 0.9.86 compares initMarginChange with Python's
    spelling of UNSET_DOUBLE, so IB's ``1.7976931348623157E308`` ends the request early."""
    async with FakeGateway(market_ticker=False) as gateway:
        odd_lot = await _what_if(ib_insync, gateway, 100)
        round_lot = await _what_if(ib_insync, gateway, 25_000)
    assert float(odd_lot.initMarginChange) == UNSET_DOUBLE
    assert "below the EUR 20000 IdealPro minimum" in odd_lot.warningText
    assert 0 < float(round_lot.initMarginChange) < UNSET_DOUBLE and round_lot.warningText == ""


@pytest.mark.parametrize("quantity", [100, 25_000])
async def test_ib_async_waits_for_the_figures(quantity: float) -> None:
    """ib-api-reloaded/ib_async#42 compares the parsed float, so it waits for the second openOrder."""
    async with FakeGateway(market_ticker=False) as gateway:
        state = await _what_if(ib_async, gateway, quantity)
    assert 0 < float(state.initMarginChange) < UNSET_DOUBLE
    assert state.warningText == ""


@pytest.mark.parametrize("library", [ib_insync, ib_async], ids=["ib_insync", "ib_async"])
async def test_client_id_in_use_surfaces_as_the_clients_know_it(library, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    """Error 326 then a closed socket: the client logs 326 and 'Peer closed connection', but its
    connect only fails when its own timeout runs out, with no error to catch that names the cause
    (erdewit/ib_insync#76, #339)."""
    async with FakeGateway(market_ticker=False) as gateway:
        first, second = library.IB(), library.IB()
        await first.connectAsync(gateway.host, gateway.port, clientId=7, timeout=5)
        try:
            with pytest.raises(TimeoutError):
                await second.connectAsync(gateway.host, gateway.port, clientId=7, timeout=0.5)
            assert "326" in caplog.text and "already in use" in caplog.text
            assert not second.isConnected() and first.isConnected()
        finally:
            second.disconnect()
            first.disconnect()
