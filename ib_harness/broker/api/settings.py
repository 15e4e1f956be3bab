"""Settings of the HTTP API (env IB_API_*, or keywords), apart from the broker's own settings.

The bearer token comes from here and nowhere else; without one, mutating routes refuse every
request (401) rather than run open.
"""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IB_API_", extra="forbid")

    host: str = Field("127.0.0.1", description="address to bind (loopback by default)")
    port: int = Field(8000, ge=0, le=65535, description="port to bind; 0 picks a free one")
    token: SecretStr | None = Field(None, description="bearer token required by POST/DELETE routes")
    retry_after: int = Field(1, ge=1, description="seconds a 503 tells the client to wait (Retry-After)")
    startup_wait: float = Field(10.0, ge=0, description="seconds startup waits for the broker to be ready; "
                                                        "after that the API serves 503 until it is")
    market_fresh_seconds: float = Field(10.0, gt=0, description="a market line older than this is stale in /health")
