"""The control API's door (pure ASGI, in front of FastAPI): what a web page could send is refused.

Any page a developer opens could restart the gateway with a bodyless ``text/plain`` POST (a
"simple" request: no CORS preflight). So, as Toxiproxy does: a request with an ``Origin`` header or
a browser's ``User-Agent`` is 403; every mutating request must say ``Content-Type:
application/json`` (415 otherwise: a browser cannot send that cross-site without a preflight
this API never answers); bodies are bounded (413); ``Infinity``/``NaN`` (which Python's JSON
reader takes) are 422; and with a token configured every route needs ``Authorization: Bearer``.
"""

from __future__ import annotations

import json
import secrets

from ib_harness.http_guard import (DEFAULT_MAX_BODY, App, Receive, Scope, Send, body_or_413, header, refusal, replay,
                                   send_json)

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BROWSER_AGENTS = ("mozilla/",)  # every browser's User-Agent starts so (Toxiproxy's check)
SEND_JSON = "send the body as JSON with the header Content-Type: application/json (e.g. curl -H 'Content-Type: application/json' -d '{}')"


class NonFiniteNumber(ValueError):
    pass


def _refuse_constant(name: str) -> float:
    raise NonFiniteNumber(name)


def non_finite_in(body: bytes) -> str | None:
    """``Infinity``, ``-Infinity`` or ``NaN`` if the JSON holds one (None: it holds none, or is not JSON)."""
    try:
        json.loads(body, parse_constant=_refuse_constant)
    except NonFiniteNumber as exc:
        return str(exc)
    except ValueError:  # not JSON at all: FastAPI answers that with its own 422
        return None
    return None


class ControlGuard:
    """``ControlGuard(app, token)``: pure ASGI middleware for the control API."""

    def __init__(self, app: App, token: str | None, max_body: int = DEFAULT_MAX_BODY) -> None:
        self.app = app
        self.token = token
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        agent = (header(scope, "user-agent") or "").lower()
        if header(scope, "origin") is not None or agent.startswith(BROWSER_AGENTS):
            await send_json(send, 403, refusal("browser requests are refused (an Origin header or a browser "
                                               "User-Agent): use curl, httpx or another HTTP client", "header.Origin"))
            return
        if self.token is not None:
            given = header(scope, "authorization") or ""
            scheme, _, credentials = given.partition(" ")
            if scheme.lower() != "bearer" or not secrets.compare_digest(credentials.strip().encode(), self.token.encode()):
                problem = "wrong bearer token" if given else "missing bearer token (send Authorization: Bearer <token>)"
                await send_json(send, 401, refusal(problem, "header.Authorization"), {"WWW-Authenticate": "Bearer"})
                return
        body = await body_or_413(scope, receive, send, self.max_body)
        if body is None:
            return
        content_type = (header(scope, "content-type") or "").split(";")[0].strip().lower()
        if method in MUTATING and (method != "DELETE" or body) and content_type != "application/json":
            got = f"Content-Type {content_type!r}" if content_type else "no Content-Type"
            await send_json(send, 415, refusal(f"{method} {scope['path']} got {got}: {SEND_JSON}", "header.Content-Type"))
            return
        constant = non_finite_in(body) if body else None
        if constant is not None:
            await send_json(send, 422, refusal(f"{constant} is not a number this API accepts (finite numbers only)",
                                               "body"))
            return
        await self.app(scope, replay(body, receive), send)
