"""Factories for the bad-input tests: one returns something that is not a BaseBroker, one raises."""

from typing import Any

NOT_CALLABLE = 42


def returns_a_dict(host: str, port: int, client_id: int, settings: dict[str, Any]) -> Any:
    return {"host": host}


def raises(host: str, port: int, client_id: int, settings: dict[str, Any]) -> Any:
    raise RuntimeError("no credentials configured")
