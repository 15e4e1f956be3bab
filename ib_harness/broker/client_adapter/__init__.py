"""Every use of the client library's internals, in this one package (no other broker module touches them).

The broker needs a few things ib_insync has no public API for: the count of decoded messages (the
keepalive judges progress in messages, not bytes), the bytes of the frame still being read and the
decoder's logger (the stream guard), failing the request futures a dead socket leaves pending, the
request id of a market-data line and whether a subscription is still registered (market data), and
a startup sync that survives an unanswered request (ib_insync#638, ib_async#82).

- :mod:`.adapter`: :class:`ClientAdapter`, the broker's door to them at run time;
- :mod:`.startup_sync`: SupervisedIB, either library's IB with that startup sync;
- :mod:`.internals`: INTERNALS, each internal used with why, and :func:`check_internals`, which
  names every one a new ib_insync, or ib_async (its fork, which keeps the same names), no longer
  has; tests/broker/test_client_adapter.py runs it against the installed versions so an upgrade
  fails loudly instead of the broker degrading quietly.

Both backends (ib_insync, ib_async: see backends.py) go through here: the same ClientAdapter
serves both (their internals carry the same names; check_internals proves it).
"""

from .adapter import ClientAdapter
from .internals import INTERNALS, Internal, check_internals, read_warning_codes
from .startup_sync import SupervisedSync, supervised_ib_class

__all__ = ["INTERNALS", "ClientAdapter", "Internal", "SupervisedSync", "check_internals", "read_warning_codes",
           "supervised_ib_class"]
