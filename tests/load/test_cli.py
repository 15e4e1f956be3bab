"""``ib-harness load`` refuses bad input before it starts anything, naming what was wrong."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def load(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ib_harness", "load", *args], capture_output=True, text=True,
                          timeout=60)


def test_an_unplayable_chaos_file_exits_2_naming_the_file_and_step(tmp_path: Path) -> None:
    chaos = tmp_path / "bad.yaml"
    chaos.write_text("name: b\ndescription: only client calls, nothing to fire\nduration: 5\n"
                     "steps:\n  - {at: 1, get_positions: {}}\nexpect:\n  - orders: {lost: 0}\n")
    done = load("--chaos", str(chaos), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "bad.yaml" in done.stderr and "no fault or restart step" in done.stderr
    assert not (tmp_path / "out").exists()


def test_chaos_against_a_target_needs_the_control_api(tmp_path: Path) -> None:
    done = load("--target", "http://127.0.0.1:9", "--chaos", "ib_harness/load/chaos/stall.yaml", "--out", str(tmp_path))
    assert done.returncode == 2 and "--control" in done.stderr


def test_a_bad_gateway_option_is_named(tmp_path: Path) -> None:
    done = load("--target", "http://127.0.0.1:9", "--gateway", "4002", "--out", str(tmp_path))
    assert done.returncode == 2 and "--gateway" in done.stderr


def test_a_token_in_argv_is_refused(tmp_path: Path) -> None:
    done = load("--target", "http://127.0.0.1:9", "--token", "s3cret", "--out", str(tmp_path))
    assert done.returncode == 2 and "IB_API_TOKEN" in done.stderr and "--token-file" in done.stderr


def test_trader_against_a_target_needs_allow_orders(tmp_path: Path) -> None:
    done = load("--target", "http://127.0.0.1:9", "--user-classes", "Trader,DashboardReader", "--out", str(tmp_path))
    assert done.returncode == 2 and "Trader" in done.stderr and "--allow-orders" in done.stderr
    assert not (tmp_path / "summary.json").exists()
