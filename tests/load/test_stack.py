"""The local stack `ib-harness load` drives: the gateway and the API in subprocesses."""

from __future__ import annotations

from pathlib import Path

import httpx

from ib_harness.load.stack import LocalStack


def test_a_token_that_starts_with_a_dash_still_starts_the_api(tmp_path: Path) -> None:
    """About one generated token in 64 starts with "-"; passed as a separate argument, argparse took
    it for an option and the API exited with a usage error (seen as a rare failed load run)."""
    token = "-starts-with-a-dash"
    with LocalStack(tmp_path, token=token) as stack:
        assert stack.token == token
        headers = {"Authorization": f"Bearer {token}"}
        assert httpx.get(f"{stack.api_url}/positions", headers=headers, timeout=10).status_code == 200
        refused = httpx.post(f"{stack.api_url}/orders", json={}, headers={"Authorization": "Bearer x"}, timeout=10)
        assert refused.status_code == 401
    stack.close()  # closing twice is safe
