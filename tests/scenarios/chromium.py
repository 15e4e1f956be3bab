"""Open a page in real headless Chromium (Debian's package) and return its DOM after JS ran."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Page:
    dom: str
    console: list[str]


def chromium_binary() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise AssertionError("chromium is not installed: run `make chromium` (Debian package 'chromium')")
    return found


def _flags(profile: str) -> list[str]:
    return [chromium_binary(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
            "--virtual-time-budget=5000"]


def open_page(path: Path, timeout: float = 60.0, query: str = "") -> Page:
    """--dump-dom after the page's scripts ran; console lines come from Chromium's stderr log."""
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([*_flags(profile), "--dump-dom", path.resolve().as_uri() + query],
                              capture_output=True, text=True, timeout=timeout)
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    return Page(dom=done.stdout, console=console)


def screenshot(path: Path, out: Path, size: str = "1200,1400", timeout: float = 60.0) -> Path:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([*_flags(profile), f"--screenshot={out}", f"--window-size={size}", path.resolve().as_uri()],
                       capture_output=True, text=True, timeout=timeout, check=True)
    return out
