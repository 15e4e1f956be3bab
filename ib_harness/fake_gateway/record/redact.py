"""``record --redact``: account ids and money values masked before a frame is recorded.

A recording of a real (paper) account holds its number and its balances verbatim. Account ids
are learned from managedAccounts and also recognised by IB's shapes (DU1234567, U1234567, ...),
and replaced everywhere, in both directions, by stable aliases (DU0000001, DU0000002, ...), so a
redacted session still reads as one account. Money values are found by the gateway's own layouts
(which field of which message is a balance, a cost or a P&L) and written as ``0.0``. Prices and
quantities of orders and executions are kept: they are the protocol being recorded.
"""

from __future__ import annotations

import re

from ..wire.spec import MessageSpec
from ..wire.table import OUTGOING

ACCOUNT_SHAPE = re.compile(r"^(?:DU|DF|DI|U|F|I)\d{5,9}$")
MASKED_MONEY = "0.0"
# layout name -> fields that hold money (the value fields only when they read as a number)
MONEY_FIELDS: dict[str, tuple[str, ...]] = {
    "acctValue": ("value",), "accountSummary": ("value",), "accountUpdateMulti": ("value",),
    "portfolioValue": ("marketValue", "averageCost", "unrealizedPNL", "realizedPNL"),
    "position": ("avgCost",), "positionMulti": ("avgCost",),
    "commissionReport": ("commission", "realizedPNL"),
    "pnl": ("dailyPnL", "unrealizedPnL", "realizedPnL"),
    "pnlSingle": ("dailyPnL", "unrealizedPnL", "realizedPnL", "value"),
}
_SPECS: dict[int, MessageSpec] = {spec.msg_id: spec for spec in OUTGOING.values() if spec.name in MONEY_FIELDS}


def money_positions(spec: MessageSpec, version: int) -> list[int]:
    """Indexes (message id = 0) of the money fields, up to the first repeat group."""
    positions: list[int] = []
    for index, (name, _default, _formatter, sub) in enumerate(spec.compiled(version), start=1):
        if sub is not None:
            break
        if name in MONEY_FIELDS[spec.name]:
            positions.append(index)
    return positions


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class Redactor:
    """One per recording: the same account gets the same alias in every session."""

    def __init__(self) -> None:
        self.aliases: dict[str, str] = {}

    def alias(self, account: str) -> str:
        if account not in self.aliases:
            self.aliases[account] = f"DU{len(self.aliases) + 1:07d}"
        return self.aliases[account]

    def _account_field(self, text: str) -> str:
        parts = text.split(",")
        if any(p in self.aliases or ACCOUNT_SHAPE.match(p) for p in parts if p):
            return ",".join(self.alias(p) if p and (p in self.aliases or ACCOUNT_SHAPE.match(p)) else p for p in parts)
        return text

    def redact(self, sender: str, fields: list[str], version: int) -> list[str]:
        """The frame with its account ids and (server frames) money values masked."""
        if sender == "server" and fields[:1] == ["15"] and len(fields) > 2:  # managedAccounts: learn them
            for account in fields[2].split(","):
                if account:
                    self.alias(account)
        out = [self._account_field(field) for field in fields]
        spec = _SPECS.get(int(fields[0])) if sender == "server" and fields and fields[0].isdigit() else None
        if spec is not None:
            for index in money_positions(spec, version):
                if index < len(out) and _is_number(out[index]) and float(out[index]) < 1e300:  # keep UNSET_DOUBLE
                    out[index] = MASKED_MONEY
        return out
