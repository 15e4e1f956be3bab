"""Detects an inbound stream that is out of sync, so the supervisor drops the socket at once.

A real gateway never sends garbage, but a misbehaving proxy, a port shared with another service
or a corrupted buffer can. ib_insync then reads a bogus 4-byte length: above IB's frame limit it
waits for ever for bytes that are not a frame (bytes keep arriving, nothing decodes, the cached
prices freeze); a plausible one swallows real frames and the following fields fail to decode.
Nothing resynchronises a length-prefixed stream, so both end the session. Two signs, both
checked after ib_insync has processed each chunk of data:

- the pending frame declares a length above MAX_FRAME (the official client's cap, 0xFFFFFF);
- ib_insync's decoder logged an exception for a frame of this connection (an unparseable frame).
"""

from __future__ import annotations

import itertools
import logging
import struct
from typing import Callable

from .client_adapter import ClientAdapter

log = logging.getLogger("ib_harness.broker.stream_guard")

MAX_FRAME = 0xFFFFFF
_instances = itertools.count(1)


class _DecodeErrors(logging.Handler):
    """Counts the decoder's exception records (it logs them and carries on)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.last = ""

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        self.last = record.getMessage()[:200]


class StreamGuard:
    def __init__(self, client: ClientAdapter, on_out_of_sync: Callable[[str], None]) -> None:
        self.client = client
        self.on_out_of_sync = on_out_of_sync
        self._errors = _DecodeErrors()
        self._seen = 0
        self._tripped = False
        # a child logger of ib_insync's own: its records still reach every handler configured for
        # ib_insync, and the ones counted here are this connection's alone
        self._logger = logging.getLogger(f"{client.decoder_logger().name}.broker{next(_instances)}")
        self._logger.addHandler(self._errors)
        client.set_decoder_logger(self._logger)
        client.on_data(self._after_chunk)

    def reset(self) -> None:
        """A new connection: report its first problem again (one report per connection)."""
        self._tripped = False
        self._seen = self._errors.count

    def close(self) -> None:
        self.client.off_data(self._after_chunk)
        self._logger.removeHandler(self._errors)

    def _after_chunk(self, _data: bytes) -> None:
        """Runs after ib_insync's own handler of the same chunk (connected to hasData after it)."""
        problem = self.problem()
        if problem is not None and not self._tripped:
            self._tripped = True
            log.error("inbound stream out of sync: %s", problem)
            self.on_out_of_sync(problem)

    def problem(self) -> str | None:
        if self._errors.count != self._seen:
            self._seen = self._errors.count
            return f"a frame did not decode ({self._errors.last})"
        pending = self.client.pending_input()
        if len(pending) >= 4:
            (length,) = struct.unpack(">I", pending[:4])
            if length > MAX_FRAME:
                return f"a frame length of {length} bytes (IB's limit is {MAX_FRAME})"
        return None
