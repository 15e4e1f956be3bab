"""Gateway settings: one validated object, built from keywords, YAML or the command line."""

from __future__ import annotations

import ipaddress

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .wire.framing import DEFAULT_MAX_FRAME

LOWEST_SUPPORTED_VERSION = 157
HIGHEST_SUPPORTED_VERSION = 200


class AccountConfig(BaseModel):
    """One account of the simulated brokerage."""

    model_config = ConfigDict(extra="forbid")

    account_id: str = "DU1234567"
    currency: str = "USD"
    cash: float = 1_000_000.0
    accrued_cash: float = 0.0
    account_type: str = "INDIVIDUAL"
    positions: dict[str, float] = Field(default_factory=dict, description="symbol -> quantity at start")


class GatewayConfig(BaseModel):
    """How the fake gateway listens and which protocol range it speaks."""

    model_config = ConfigDict(extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(0, ge=0, le=65535)
    min_version: int = LOWEST_SUPPORTED_VERSION
    max_version: int = 176
    max_clients: int = Field(32, ge=1)
    trusted_ips: list[str] | None = None
    max_frame: int = Field(DEFAULT_MAX_FRAME, ge=16)
    accounts: list[AccountConfig] = Field(default_factory=lambda: [AccountConfig()])
    catalog: str | None = Field(None, description="path of a contract catalog YAML; None = built-in")
    seed: int = 0
    timezone: str = "US/Eastern"
    next_order_id: int = Field(1, ge=1)
    farm_notices: bool = True

    @field_validator("min_version", "max_version")
    @classmethod
    def _in_supported_range(cls, value: int) -> int:
        if not LOWEST_SUPPORTED_VERSION <= value <= HIGHEST_SUPPORTED_VERSION:
            raise ValueError(
                f"server version {value} is outside the supported range "
                f"{LOWEST_SUPPORTED_VERSION}..{HIGHEST_SUPPORTED_VERSION}"
            )
        return value

    @field_validator("trusted_ips")
    @classmethod
    def _valid_ips(cls, value: list[str] | None) -> list[str] | None:
        for entry in value or []:
            ipaddress.ip_network(entry, strict=False)
        return value

    @model_validator(mode="after")
    def _ordered_range(self) -> "GatewayConfig":
        if self.min_version > self.max_version:
            raise ValueError(f"min_version {self.min_version} is above max_version {self.max_version}")
        if not self.accounts:
            raise ValueError("at least one account is required (managedAccounts may not be empty)")
        return self

    def is_trusted(self, peer_ip: str) -> bool:
        """TWS's 'Trusted IPs': with no list, every peer that reaches the socket is allowed."""
        if self.trusted_ips is None:
            return True
        address = ipaddress.ip_address(peer_ip)
        return any(address in ipaddress.ip_network(net, strict=False) for net in self.trusted_ips)
