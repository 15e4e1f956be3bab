"""The exchange calendar is built before the gateway listens, not inside a session's request.

Building the NYSE calendar (exchange_calendars, 23 years of sessions) takes ~0.2 s of CPU, 0.5 s
on a loaded 2-core box. Built on the first reqContractDetails, it froze the gateway's one event
loop for that long: every session went silent, and a broker's keepalive probe judged a healthy
link overdue (the load smoke's 503s at the start of the run, outside any fault).
"""

from __future__ import annotations

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.state import exchange_days


async def test_the_calendar_is_built_before_the_first_session_can_ask() -> None:
    exchange_days._calendar.cache_clear()
    async with FakeGateway() as gw:
        assert gw.listening
        assert exchange_days._calendar.cache_info().currsize == 1, "built lazily, inside a request"
        await gw.stop_listening()  # listening again (a restart) does not build it again
        await gw.start()
        assert exchange_days._calendar.cache_info().misses == 1
