"""The per-process request log of a load run: one JSON line per request (start time, name,
latency, outcome, status, idempotency key, whether a 503 was fail-fast, and why it failed), from
which the runner computes error windows, recovery and the accepted orders the audit checks.

Kept apart from the locustfile so that it can be tested without importing Locust (gevent patches
the process that imports it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Any


def failure_detail(exception: Any, response: Any) -> str | None:
    """Why a request failed (the answer's body, else the exception), cut short: a failure outside
    a fault window must say what it was without a rerun."""
    if exception is None:
        return None
    text = getattr(response, "text", None) if response is not None else None
    return str(text or exception)[:300]


class RequestLog:
    def __init__(self, directory: str) -> None:
        self.path = Path(directory) / f"requests-{os.getpid()}.jsonl"
        self._file: IO[str] | None = None

    def write(self, request_type: str, name: str, response_time: float, exception: Any = None,
              response: Any = None, context: Any = None, start_time: float | None = None, **_: Any) -> None:
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(self.path, "a", buffering=1)
        status = getattr(response, "status_code", None)
        key = (context or {}).get("key")
        headers = getattr(response, "headers", None) or {}
        fail_fast = headers.get("X-Fail-Fast") == "1" if status == 503 else None
        self._file.write(json.dumps({"t": start_time, "type": request_type, "name": name, "ms": response_time,
                                     "ok": exception is None, "status": status, "key": key,
                                     "fail_fast": fail_fast, "detail": failure_detail(exception, response)}) + "\n")

    def close(self, **_: Any) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
