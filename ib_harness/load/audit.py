"""Orders lost or duplicated over a load run: the API's journal against the gateway's book.

The comparison itself is the scenario runner's (``scenarios.order_audit``); this module only
fetches both sides over HTTP (the API's GET /journal, the control API's GET /orders) and lets
in-flight orders settle before it judges.
"""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import httpx

from ib_harness.scenarios.order_audit import audit_orders

from .chaos import control_headers


def wait_ready(api_url: str, timeout: float) -> bool:
    """Poll GET /health until 200 (the broker reconnected) or ``timeout``."""
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=api_url, timeout=5) as http:
        while time.monotonic() < deadline:
            try:
                if http.get("/health").status_code == 200:
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(0.1)  # polling a remote condition: there is no event to await across processes
    return False


def book_from_json(body: dict[str, Any]) -> tuple[list[SimpleNamespace], list[SimpleNamespace]]:
    """The control API's GET /orders as the objects ``audit_orders`` reads (attributes, as the
    gateway's own book has them)."""
    orders = [SimpleNamespace(**o) for o in body["orders"]]
    executions = [SimpleNamespace(exec_id=e["exec_id"], shares=e["shares"], price=e["price"],
                                  order=SimpleNamespace(order_ref=e["order_ref"])) for e in body["executions"]]
    return orders, executions


def fetch_audit(api_url: str, token: str, control_url: str, accepted: set[str]) -> dict[str, Any]:
    with httpx.Client(timeout=10) as http:
        journal = http.get(f"{api_url}/journal", headers={"Authorization": f"Bearer {token}"})
        journal.raise_for_status()
        book = http.get(f"{control_url}/orders", headers=control_headers())
        book.raise_for_status()
    orders, executions = book_from_json(book.json())
    body = journal.json()
    result = audit_orders(body["orders"], body["fills"], orders, executions, {}, accepted)
    result["journal_orders"] = len(body["orders"])
    result["gateway_orders"] = sum(1 for o in orders if o.order_ref in {r["key"] for r in body["orders"]})
    return result


def audit(api_url: str, token: str, control_url: str, accepted: set[str], settle: float = 10.0) -> dict[str, Any]:
    """Audit, again while anything looks lost (a fill still on its way to the journal), up to ``settle`` s."""
    deadline = time.monotonic() + settle
    wait_ready(api_url, settle)
    while True:
        result = fetch_audit(api_url, token, control_url, accepted)
        if (result["lost"] == 0 and result["duplicated"] == 0) or time.monotonic() >= deadline:
            return result
        time.sleep(0.25)  # polling: the other processes' state converges, nothing here can be awaited
