"""Every route of the HTTP API against the real broker on the fake gateway (real uvicorn, httpx)."""

from __future__ import annotations

import asyncio

from tests.api.conftest import AUTH, Stack


async def test_health_reports_ready_state_and_freshness(stack: Stack) -> None:
    response = await stack.http.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is True and body["state"] == "ready"
    assert body["account_fresh"] is True
    assert body["reconnects"] == 0 and body["uptime_seconds"] >= 0 and body["ready_for_seconds"] >= 0
    assert body["market_data"]["farms_down"] == []


async def test_metrics_is_the_brokers_prometheus_registry(stack: Stack) -> None:
    response = await stack.http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert 'ib_broker_state{state="ready"} 1.0' in response.text


async def test_account_positions_and_price(stack: Stack) -> None:
    account = (await stack.http.get("/account", headers=AUTH)).json()
    assert account["account_id"] == stack.broker.ib.client.getAccounts()[0]
    assert account["net_liquidation"] > 0
    positions = await stack.http.get("/positions", headers=AUTH)
    assert positions.status_code == 200
    expected = {(p.symbol, p.quantity) for p in await stack.broker.get_positions()}
    assert {(p["symbol"], p["quantity"]) for p in positions.json()} == expected
    price = await stack.http.get("/prices/AAPL", headers=AUTH)
    assert price.status_code == 200
    assert 187.9 <= price.json()["price"] <= 188.1 and price.json()["symbol"] == "AAPL"


async def test_unknown_symbol_is_404_and_bad_symbol_names_the_field(stack: Stack) -> None:
    unknown = await stack.http.get("/prices/NOSUCHSYM", headers=AUTH)
    assert unknown.status_code == 404, unknown.text
    bad = await stack.http.get("/prices/aapl!", headers=AUTH)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "path.symbol"


async def test_bars_and_their_query_checks(stack: Stack) -> None:
    response = await stack.http.get("/bars/AAPL", params={"duration": "1 D", "bar_size": "1 hour"}, headers=AUTH)
    assert response.status_code == 200, response.text
    bars = response.json()["bars"]
    assert bars and {"time", "open", "high", "low", "close", "volume"} <= set(bars[0])
    assert all(b["low"] <= b["close"] <= b["high"] for b in bars)
    bad = await stack.http.get("/bars/AAPL", params={"duration": "1 day", "bar_size": "7 mins"}, headers=AUTH)
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"query.duration", "query.bar_size"}


async def test_place_check_and_cancel_a_resting_limit(stack: Stack) -> None:
    body = {"symbol": "AAPL", "side": "BUY", "quantity": 5, "order_type": "LIMIT", "limit_price": 150.0}
    placed = await stack.http.post("/orders", json=body, headers={**AUTH, "Idempotency-Key": "rest-1"})
    assert placed.status_code == 201, placed.text
    assert placed.json()["status"] == "SUBMITTED" and placed.json()["key"] == "rest-1"
    assert placed.headers["location"] == "/orders/rest-1"
    order_id = placed.json()["order_id"]
    by_id = await stack.http.get(f"/orders/{order_id}", headers=AUTH)
    assert by_id.json()["key"] == "rest-1"
    working = await stack.http.get("/orders", params={"status": "SUBMITTED"}, headers=AUTH)
    assert [o["key"] for o in working.json()] == ["rest-1"]
    cancelled = await stack.http.delete("/orders/rest-1", headers=AUTH)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "CANCELLED"
    assert [o.status for o in stack.gateway.brokerage.orders.orders.values()] == ["Cancelled"]
    assert (await stack.http.get("/orders", params={"status": "bogus"}, headers=AUTH)).json()["errors"][0]["field"] == "query.status"


async def test_marketable_order_fills(stack: Stack) -> None:
    body = {"symbol": "AAPL", "side": "BUY", "quantity": 3, "order_type": "MARKET"}
    placed = await stack.http.post("/orders", json=body, headers={**AUTH, "Idempotency-Key": "mkt-1"})
    assert placed.status_code == 201, placed.text
    for _ in range(100):
        current = (await stack.http.get("/orders/mkt-1", headers=AUTH)).json()
        if current["status"] == "FILLED":
            break
        await asyncio.sleep(0.05)
    assert current["status"] == "FILLED" and current["filled"] == 3
    assert len(stack.gateway.brokerage.orders.executions) == 1


async def test_repeated_key_returns_the_same_order_and_never_places_twice(stack: Stack) -> None:
    body = {"symbol": "AAPL", "side": "SELL", "quantity": 2, "order_type": "LIMIT", "limit_price": 250.0}
    headers = {**AUTH, "Idempotency-Key": "same-key"}
    first, second, third = await asyncio.gather(*(stack.http.post("/orders", json=body, headers=headers)
                                                  for _ in range(3)))
    statuses = sorted(r.status_code for r in (first, second, third))
    assert statuses == [200, 200, 201]
    assert len({r.json()["order_id"] for r in (first, second, third)}) == 1
    assert [o.order_ref for o in stack.gateway.brokerage.orders.orders.values()] == ["same-key"]
    replay = [r for r in (first, second, third) if r.status_code == 200][0]
    assert replay.headers["idempotent-replayed"] == "true"
    other = await stack.http.post("/orders", json={**body, "quantity": 9}, headers=headers)
    assert other.status_code == 409 and "quantity 9.0 != 2.0" in other.json()["detail"]
    assert len(stack.gateway.brokerage.orders.orders) == 1


async def test_risk_rejection_is_422_with_every_reason(stack: Stack) -> None:
    stack.broker.risk.settings = stack.broker.settings.model_copy(update={"max_order_quantity": 10,
                                                                           "max_notional": 1000})
    body = {"symbol": "AAPL", "side": "BUY", "quantity": 50, "order_type": "LIMIT", "limit_price": 150.0}
    rejected = await stack.http.post("/orders", json=body, headers={**AUTH, "Idempotency-Key": "too-big"})
    assert rejected.status_code == 422
    reasons = rejected.json()["reasons"]
    assert any("max_order_quantity" in r for r in reasons) and any("max_notional" in r for r in reasons)
    assert not stack.gateway.brokerage.orders.orders


async def test_mutating_routes_need_the_bearer_token(stack: Stack) -> None:
    body = {"symbol": "AAPL", "side": "BUY", "quantity": 1, "order_type": "MARKET"}
    missing = await stack.http.post("/orders", json=body, headers={"Idempotency-Key": "k1"})
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    wrong = await stack.http.post("/orders", json=body,
                                  headers={"Idempotency-Key": "k1", "Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json()["detail"] == "wrong bearer token"
    assert (await stack.http.delete("/orders/1")).status_code == 401
    assert not stack.gateway.brokerage.orders.orders


async def test_bad_order_requests_name_the_field(stack: Stack) -> None:
    no_key = await stack.http.post("/orders", json={"symbol": "AAPL", "side": "BUY", "quantity": 1,
                                                     "order_type": "MARKET"}, headers=AUTH)
    assert no_key.status_code == 422
    assert [e["field"] for e in no_key.json()["errors"]] == ["header.Idempotency-Key"]
    bad = await stack.http.post("/orders", json={"symbol": "AAPL", "side": "HOLD", "quantity": -1, "extra": 1},
                                headers={**AUTH, "Idempotency-Key": "bad-1"})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"body.side", "body.quantity", "body.extra"}
    no_limit = await stack.http.post("/orders", json={"symbol": "AAPL", "side": "BUY", "quantity": 1},
                                     headers={**AUTH, "Idempotency-Key": "bad-2"})
    assert no_limit.status_code == 422 and "limit_price is required" in no_limit.json()["detail"]
    assert (await stack.http.delete("/orders/no-such-order", headers=AUTH)).status_code == 404
    assert not stack.gateway.brokerage.orders.orders


async def test_openapi_document_has_typed_schemas_and_bearer_auth(stack: Stack) -> None:
    doc = (await stack.http.get("/openapi.json")).json()
    schemas = doc["components"]["schemas"]
    assert {"Order", "Position", "Account", "Health", "Price", "Bars", "OrderRequest", "RiskRejection"} <= set(schemas)
    post = doc["paths"]["/orders"]["post"]
    assert post["security"] == [{"HTTPBearer": []}]
    assert any(p["name"] == "Idempotency-Key" and p["required"] for p in post["parameters"])
    assert post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/Order")
    assert doc["paths"]["/positions"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["items"][
        "$ref"].endswith("/Position")


async def test_journal_lists_orders_and_fills_behind_the_token(stack: Stack) -> None:
    body = {"symbol": "AAPL", "side": "BUY", "quantity": 1, "order_type": "MARKET"}
    assert (await stack.http.post("/orders", json=body, headers={**AUTH, "Idempotency-Key": "j-1"})).status_code == 201
    assert (await stack.http.get("/journal")).status_code == 401
    for _ in range(100):
        journal = (await stack.http.get("/journal", headers=AUTH)).json()
        if journal["fills"]:
            break
        await asyncio.sleep(0.05)
    assert [o["key"] for o in journal["orders"]] == ["j-1"]
    [execution] = stack.gateway.brokerage.orders.executions
    assert [(f["exec_id"], f["key"], f["quantity"]) for f in journal["fills"]] == [(execution.exec_id, "j-1", 1.0)]


async def test_the_same_key_with_another_tif_is_a_different_order(stack: Stack) -> None:
    """The comparison left tif out: the same key with GTC replayed the DAY order as if it were the same."""
    body = {"symbol": "AAPL", "side": "BUY", "quantity": 1, "order_type": "LIMIT", "limit_price": 120.0, "tif": "DAY"}
    headers = {**AUTH, "Idempotency-Key": "tif-key"}
    assert (await stack.http.post("/orders", json=body, headers=headers)).status_code == 201
    other = await stack.http.post("/orders", json={**body, "tif": "GTC"}, headers=headers)
    assert other.status_code == 409, other.text
    assert "tif 'GTC' != 'DAY'" in other.json()["detail"]
    assert len(stack.gateway.brokerage.orders.orders) == 1


async def test_a_gtc_order_repeated_with_its_key_is_replayed(stack: Stack) -> None:
    """The journal must keep tif for the comparison: a GTC order repeated as it was is the same order."""
    body = {"symbol": "AAPL", "side": "BUY", "quantity": 1, "order_type": "LIMIT", "limit_price": 121.0, "tif": "GTC"}
    headers = {**AUTH, "Idempotency-Key": "gtc-key"}
    assert (await stack.http.post("/orders", json=body, headers=headers)).status_code == 201
    again = await stack.http.post("/orders", json=body, headers=headers)
    assert again.status_code == 200, again.text
    assert again.json()["tif"] == "GTC"
