"""The API's door, in front of FastAPI: the bearer token is checked from the headers before the
body is read, and the body is read only up to ``max_body`` bytes (413 beyond).

Every route that reaches IB or the journal needs a token; GET routes also take the read token
(a dashboard can read without being able to trade). Open: /health and /metrics (load balancers,
Prometheus) and the OpenAPI document.
"""

from __future__ import annotations

import secrets

from ib_harness.http_guard import App, Receive, Scope, Send, body_or_413, header, refusal, replay, send_json

OPEN_PATHS = frozenset({"/health", "/metrics", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"})
READ_METHODS = frozenset({"GET", "HEAD"})


def _same(given: str, expected: str | None) -> bool:
    return expected is not None and secrets.compare_digest(given.encode(), expected.encode())


class ApiGuard:
    """Pure ASGI middleware: ``ApiGuard(app, token, read_token, max_body)``."""

    def __init__(self, app: App, token: str | None, read_token: str | None, max_body: int) -> None:
        self.app = app
        self.token = token
        self.read_token = read_token
        self.max_body = max_body

    def auth_problem(self, scope: Scope) -> str | None:
        """Why the request may not go on (None: it may)."""
        if self.token is None and self.read_token is None:
            return "no bearer token is configured on the server (IB_API_TOKEN or --token-file)"
        given = header(scope, "authorization")
        scheme, _, credentials = (given or "").partition(" ")
        if given is None or scheme.lower() != "bearer" or not credentials.strip():
            return "missing bearer token (send Authorization: Bearer <token>)"
        credentials = credentials.strip()
        if _same(credentials, self.token):
            return None
        if _same(credentials, self.read_token):
            return None if scope["method"] in READ_METHODS else f"the read token cannot {scope['method']}"
        return "wrong bearer token"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] not in OPEN_PATHS:
            problem = self.auth_problem(scope)
            if problem is not None:
                await send_json(send, 401, refusal(problem, "header.Authorization"), {"WWW-Authenticate": "Bearer"})
                return
        body = await body_or_413(scope, receive, send, self.max_body)
        if body is None:
            return
        await self.app(scope, replay(body, receive), send)
