"""Settings of the HTTP API (env IB_API_*, or keywords), apart from the broker's own settings.

The bearer tokens come from here and nowhere else; without one, every route that reaches IB
refuses every request (401) rather than run open.
"""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ib_harness.http_guard import DEFAULT_MAX_BODY


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IB_API_", extra="forbid")

    host: str = Field("127.0.0.1", description="address to bind (loopback by default)")
    port: int = Field(8000, ge=0, le=65535, description="port to bind; 0 picks a free one")
    token: SecretStr | None = Field(None, description="bearer token required by every route that reaches IB")
    read_token: SecretStr | None = Field(None, description="bearer token that only GET routes accept (dashboards)")
    max_body: int = Field(DEFAULT_MAX_BODY, ge=1024, le=16 * 2**20,
                          description="largest request body in bytes; larger ones get 413 before they are read")
    retry_after: int = Field(1, ge=1, description="seconds a 503 tells the client to wait (Retry-After)")
    startup_wait: float = Field(10.0, ge=0, description="seconds startup waits for the broker to be ready; "
                                                        "after that the API serves 503 until it is")
    market_fresh_seconds: float = Field(10.0, gt=0, description="a market line older than this is stale in /health")

    @field_validator("host")
    @classmethod
    def _host_named(cls, value: str) -> str:
        """An empty host binds every interface; say 0.0.0.0 (or ::) if that is what you mean."""
        if not value.strip():
            raise ValueError("host is empty (an empty host binds every interface; give 127.0.0.1, or 0.0.0.0 "
                             "to listen everywhere)")
        return value

    @field_validator("token", "read_token")
    @classmethod
    def _token_not_blank(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().strip():
            raise ValueError("token is empty; unset it or give a token")
        return value
