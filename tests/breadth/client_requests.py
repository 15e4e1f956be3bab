"""Which request message ids each real client can send, read from the clients' own code.

ib_insync and ib_async send every request through ``self.send(<id>, ...)`` or a ``fields = [<id>,
...]`` list in ``client.py``; ibapi names them in ``message.OUT``. Reading them from the installed
code (with ``ast``, not by hand) means a new request in a client version shows up in the walk.
"""

from __future__ import annotations

import ast
import inspect
from types import ModuleType

from ibapi import server_versions
from ibapi.message import OUT

# ibapi requests that need a server version above the text protocol's 200 (protobuf only), so no
# client can send them to a gateway that negotiates 157..200.
IBAPI_ABOVE_TEXT_PROTOCOL = {
    OUT.REQ_CURRENT_TIME_IN_MILLIS: server_versions.MIN_SERVER_VER_CURRENT_TIME_IN_MILLIS,
    OUT.CANCEL_CONTRACT_DATA: server_versions.MIN_SERVER_VER_CANCEL_CONTRACT_DATA,
    OUT.CANCEL_HISTORICAL_TICKS: server_versions.MIN_SERVER_VER_CANCEL_CONTRACT_DATA,
    OUT.REQ_CONFIG: server_versions.MIN_SERVER_VER_CONFIG,
    OUT.UPDATE_CONFIG: server_versions.MIN_SERVER_VER_UPDATE_CONFIG,
}


def asyncio_client_request_ids(client_module: ModuleType) -> set[int]:
    """Message ids in ``client.py`` of ib_insync / ib_async: first argument of ``self.send`` or
    first element of a ``fields = [...]`` list."""
    tree = ast.parse(inspect.getsource(client_module))
    ids: set[int] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "send"
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, int)):
            ids.add(node.args[0].value)
        if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "fields" for t in node.targets)
                and isinstance(node.value, ast.List) and node.value.elts
                and isinstance(node.value.elts[0], ast.Constant) and isinstance(node.value.elts[0].value, int)):
            ids.add(node.value.elts[0].value)
    return ids


def ibapi_request_ids(max_version: int) -> set[int]:
    """Every OUT id of ibapi that it sends as text at ``max_version`` (startApi included)."""
    names = {name: value for name, value in vars(OUT).items() if name.isupper() and isinstance(value, int)}
    return {value for value in names.values()
            if IBAPI_ABOVE_TEXT_PROTOCOL.get(value, 0) <= max_version}
