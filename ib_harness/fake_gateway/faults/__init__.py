"""Faults: seeded, triggered failures injected into the gateway (see ``base`` for the interface).

``gw.faults.inject({"kind": ..., ...})`` returns a :class:`FaultHandle`; the kinds are registered
by the family modules imported below (one module per family).
"""

from . import connection, ib_status, link_faults, market_line, message, nightly_reset, order_ids, restart  # the family modules register their kinds
from .base import KINDS, Fault, register
from .faultset import FaultSet
from .handle import FaultHandle
from .spec import FaultSpec, FaultSpecError, parse_fault_spec

__all__ = ["connection", "ib_status", "link_faults", "market_line", "message", "nightly_reset", "order_ids", "restart", "KINDS", "Fault", "FaultHandle", "FaultSet", "FaultSpec", "FaultSpecError", "parse_fault_spec",
           "register"]
