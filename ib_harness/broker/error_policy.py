"""What the broker does for each IB error code: one table, read by the supervisor.

The codes and their meaning are IB's (see README "Supervision"): connectivity 1100/1101/1102,
account 2100, farms 2103..2158, bars 10182, market data 10197, lines full 101, client id 326, pacing 100,
not connected 504. Codes not in the table are published and otherwise left to the caller.
"""

from __future__ import annotations

from enum import Enum


class Action(str, Enum):
    CONNECTIVITY_LOST = "connectivity_lost"            # 1100: degrade, wait for 1101/1102, then reconnect
    RESTORED_DATA_LOST = "restored_data_lost"          # 1101: request every subscription again
    RESTORED_DATA_KEPT = "restored_data_kept"          # 1102: keep subscriptions, verify they flow
    ACCOUNT_UNSUBSCRIBED = "account_unsubscribed"      # 2100: re-request account updates, mark stale
    FARM_DOWN = "farm_down"                            # 2103/2105/2157: degrade that data only
    FARM_OK = "farm_ok"                                # 2104/2106/2158: revive dead streams of the farm
    FARM_INACTIVE = "farm_inactive"                    # 2108: lines may go silent: request silent ones again
    BARS_FAILED = "bars_failed"                        # 10182: request the bar subscription again
    MARKET_DATA_UNAVAILABLE = "market_data_unavailable"  # 10197 (and 354): report unavailable
    MARKET_DATA_LINES_FULL = "market_data_lines_full"  # 101: refuse that line at once, free another
    CLIENT_ID_IN_USE = "client_id_in_use"              # 326: back off, retry (maybe another id)
    PACING = "pacing"                                  # 100: slow down, never restart
    RECONNECT = "reconnect"                            # 504: the socket is gone
    NONE = "none"


ERROR_ACTIONS: dict[int, Action] = {
    1100: Action.CONNECTIVITY_LOST,
    1101: Action.RESTORED_DATA_LOST,
    1102: Action.RESTORED_DATA_KEPT,
    2100: Action.ACCOUNT_UNSUBSCRIBED,
    2103: Action.FARM_DOWN,
    2105: Action.FARM_DOWN,
    2157: Action.FARM_DOWN,
    2104: Action.FARM_OK,
    2106: Action.FARM_OK,
    2158: Action.FARM_OK,
    2108: Action.FARM_INACTIVE,
    10182: Action.BARS_FAILED,
    10197: Action.MARKET_DATA_UNAVAILABLE,
    354: Action.MARKET_DATA_UNAVAILABLE,
    101: Action.MARKET_DATA_LINES_FULL,
    326: Action.CLIENT_ID_IN_USE,
    100: Action.PACING,
    504: Action.RECONNECT,
}

# Which farm a farm notice concerns: market data (ticks), HMDS (historical bars), sec-def.
FARM_OF_CODE: dict[int, str] = {2103: "market", 2104: "market", 2105: "hmds", 2106: "hmds",
                                2157: "secdef", 2158: "secdef"}


def action_for(code: int) -> Action:
    return ERROR_ACTIONS.get(code, Action.NONE)
