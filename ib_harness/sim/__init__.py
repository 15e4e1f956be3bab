"""Deterministic simulation: a virtual-time asyncio loop, an in-memory network, a tied wall clock.

Harness machinery only: ``ib_harness.fake_gateway`` and ``ib_harness.broker`` never import it
(they run on whatever loop and clock they are given). See docs/virtual-clock.md.
"""

from .clock import DEFAULT_EPOCH, VirtualClockLoop, VirtualLoopPolicy, WallClock, is_virtual, run
from .loop import VirtualDeadlock, VirtualEventLoop
from .network import MemoryNetwork, MemoryServer, MemoryTransport

__all__ = ["DEFAULT_EPOCH", "MemoryNetwork", "MemoryServer", "MemoryTransport", "VirtualClockLoop",
           "VirtualDeadlock", "VirtualEventLoop", "VirtualLoopPolicy", "WallClock", "is_virtual", "run"]
