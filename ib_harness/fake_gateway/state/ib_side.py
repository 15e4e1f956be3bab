"""IB's side of the gateway's link: conditions on IB's servers, not in any one API connection.

Connectivity between the gateway and IB, the data farms, a competing live session and the
auto-restart token are facts about IB's servers: they outlive a client's reconnect and a gateway
restart, so they live in the brokerage next to the accounts and orders. The IB status faults hold
a condition while they are active (each under its own cause, so overlapping incidents lift
independently), and a session's greeting reads them: a client that connects during an outage is
not told the farms are OK. A condition may be scoped to one client id (a fault aimed at one client).
"""

from __future__ import annotations

CONNECTIVITY = "connectivity"
COMPETING_SESSION = "competing_session"
TOKEN_EXPIRED = "token_expired"


def farm(name: str) -> str:
    """The condition of a data farm (market, hmds, secdef) being down."""
    return f"farm:{name}"


class IbSide:
    """The conditions currently holding on IB's side, each with the causes that hold it."""

    def __init__(self) -> None:
        self._held: dict[tuple[str, int | None], set[str]] = {}

    def hold(self, condition: str, cause: str, client_id: int | None = None) -> None:
        """``cause`` (a fault id) holds ``condition``, for every client or for ``client_id`` only."""
        self._held.setdefault((condition, client_id), set()).add(cause)

    def release(self, cause: str, condition: str | None = None) -> None:
        """``cause`` stops holding ``condition`` (every condition it holds when None)."""
        for key in list(self._held):
            if condition is None or key[0] == condition:
                causes = self._held[key]
                causes.discard(cause)
                if not causes:
                    del self._held[key]

    def holds(self, condition: str, client_id: int | None = None) -> bool:
        """Whether ``condition`` holds for everyone, or for ``client_id`` in particular."""
        return (condition, None) in self._held or (client_id is not None and (condition, client_id) in self._held)

    def farms_down(self, client_id: int | None = None) -> set[str]:
        """The data farms down for ``client_id`` (farms down for everyone included)."""
        return {condition.split(":", 1)[1] for condition, scope in self._held
                if condition.startswith("farm:") and (scope is None or scope == client_id)}

    def conditions(self) -> dict[str, list[str]]:
        """condition (``@client`` when scoped) -> its causes, for the event log and tests."""
        return {condition + (f"@{scope}" if scope is not None else ""): sorted(causes)
                for (condition, scope), causes in sorted(self._held.items(), key=lambda item: (item[0][0], item[0][1] or -1))}
