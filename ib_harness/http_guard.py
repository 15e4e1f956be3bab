"""Pure-ASGI pieces both HTTP servers (the broker's API, the gateway's control API) put in front of
their routes: answer from the headers alone, and read a request body only up to a bound.

A framework parses a body before any route or dependency runs, so a check done there comes after
the whole body is in memory: a 120 MiB POST without a token held the API for 17 s and 3.5 GB
before its 401. Here a refusal is sent before a byte of the body is read (uvicorn then stops
reading from that socket), and an accepted body is read into memory only up to ``limit``.
Lives outside ``broker`` and ``fake_gateway`` because both use it and neither may import the other.
"""

from __future__ import annotations

import json
from typing import Any, Awaitable, Callable, MutableMapping

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

DEFAULT_MAX_BODY = 64 * 1024  # both APIs take small JSON documents


class BodyTooLarge(Exception):
    """The declared or received body is over the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"request body over {limit} bytes; send at most {limit} bytes")
        self.limit = limit


def header(scope: Scope, name: str) -> str | None:
    """The first value of header ``name`` (lower case), decoded as latin-1, or None."""
    wanted = name.encode("latin-1")
    for key, value in scope.get("headers", ()):
        if key == wanted:
            return bytes(value).decode("latin-1")
    return None


async def send_json(send: Send, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
    """A complete JSON answer, sent without the app (nothing of the request body is read)."""
    payload = json.dumps(body).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})


def refusal(detail: str, field: str) -> dict[str, Any]:
    """The body both APIs answer with: what was wrong, and where (the field a client must fix)."""
    return {"detail": detail, "errors": [{"field": field, "message": detail}]}


async def read_body(scope: Scope, receive: Receive, limit: int) -> bytes:
    """The whole body, or BodyTooLarge as soon as Content-Length or the bytes so far exceed ``limit``."""
    declared = header(scope, "content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise BodyTooLarge(limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away: the app sees the same
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def body_or_413(scope: Scope, receive: Receive, send: Send, limit: int) -> bytes | None:
    """The body, read up to ``limit``; None when it was over it and 413 (naming the body) was sent."""
    try:
        return await read_body(scope, receive, limit)
    except BodyTooLarge as exc:
        await send_json(send, 413, refusal(str(exc), "body"))
        return None


def replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the app the body already read, then waits on the real one
    (for the client's disconnect)."""
    sent = False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again
