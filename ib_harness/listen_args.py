"""Command-line values that decide who can reach a server: checked so that an empty one fails closed.

``--host ""`` made the OS bind every interface (while the gateway printed 0.0.0.0), and
``--trusted-ips ""`` became "no list": every peer admitted. Both are usage errors now (exit 2).
Shared by the gateway's and the API's commands (neither package may import the other).
"""

from __future__ import annotations

import argparse
import ipaddress


def host_address(text: str) -> str:
    """An address to bind; empty is refused (say 0.0.0.0 or :: to listen on every interface)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty address (an empty host binds every interface); give 127.0.0.1, "
                                         "or 0.0.0.0 to listen everywhere on purpose")
    return text.strip()


def ip_list(text: str) -> list[str]:
    """Comma-separated IPs or networks; an empty list or an empty entry is refused (it would admit everyone)."""
    entries = [entry.strip() for entry in text.split(",")]
    if not any(entries):
        raise argparse.ArgumentTypeError("empty list (it would admit every peer); leave the flag out to admit all")
    for entry in entries:
        if not entry:
            raise argparse.ArgumentTypeError(f"empty entry in {text!r}")
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an IP address or network: {entry!r}") from None
    return entries
