"""Empty values fail closed: ``--trusted-ips ""`` admitted every peer, ``--host ""`` bound every
interface while printing 0.0.0.0. Each is now a usage error (exit 2) naming the flag."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.standalone import run_to_end


@pytest.mark.parametrize("args, flag", [
    (["--trusted-ips", ""], "--trusted-ips"),
    (["--trusted-ips", " , "], "--trusted-ips"),
    (["--trusted-ips", "127.0.0.1,"], "--trusted-ips"),
    (["--host", ""], "--host"),
    (["--host", "  "], "--host"),
    (["--control-port", "0", "--control-host", ""], "--control-host"),
])
async def test_the_gateway_refuses_an_empty_value(args: list[str], flag: str) -> None:
    code, out, err = await run_to_end("--port", "0", *args)
    assert code == 2 and flag in err and "empty" in err, (out, err)
    assert "listening" not in out


def test_the_api_refuses_an_empty_host() -> None:
    done = subprocess.run([sys.executable, "-m", "ib_harness", "api", "--host", ""], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2 and "--host" in done.stderr and "empty" in done.stderr
    assert "listening" not in done.stdout


def test_an_empty_host_from_the_environment_is_a_clear_error() -> None:
    env = {**os.environ, "IB_API_HOST": ""}
    done = subprocess.run([sys.executable, "-m", "ib_harness", "api"], capture_output=True, text=True, timeout=60,
                          env=env)
    assert done.returncode == 2 and "IB_API_" in done.stderr and "host" in done.stderr and "empty" in done.stderr
