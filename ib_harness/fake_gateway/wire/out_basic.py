"""Layouts of the connection-level messages: errors, ids, accounts list, server time."""

from __future__ import annotations

from .fields import C, I, S
from .spec import MessageSpec

ERROR = MessageSpec(4, "errMsg", (
    C("version", "2", until=194),
    I("id", -1),
    I("errorCode"),
    S("errorString"),
    S("advancedOrderRejectJson", since=166),
    I("errorTime", 0, since=194),
))
NEXT_VALID_ID = MessageSpec(9, "nextValidId", (C("version", "1"), I("orderId")))
MANAGED_ACCOUNTS = MessageSpec(15, "managedAccounts", (C("version", "1"), S("accountsList")))
CURRENT_TIME = MessageSpec(49, "currentTime", (C("version", "1"), I("time")))

SPECS = (ERROR, NEXT_VALID_ID, MANAGED_ACCOUNTS, CURRENT_TIME)
