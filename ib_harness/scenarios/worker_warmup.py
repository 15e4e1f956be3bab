"""What the replay workers' fork server imports once, so every worker starts warm.

A worker's first replay used to build the exchange calendar (~0.15 s of CPU, more on a busy
machine) and import its client library inside its own measured wall time: on the virtual clock
that made whichever scenario came first look several times slower than it is. Importing this
module does that work once, in the fork server, before any clock starts.
"""

from __future__ import annotations

from ib_harness.broker.backends import DEFAULT_BACKEND, load_backend
from ib_harness.fake_gateway.state import exchange_days
from ib_harness.scenarios import runner

exchange_days.prepare()
load_backend(DEFAULT_BACKEND)

__all__ = ["runner"]
