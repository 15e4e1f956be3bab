"""BENCHMARKS.md is one file with a section per benchmark: each benchmark module measures, prints
its section and, with ``--update FILE``, replaces only that section (the others stay as they are)."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any, Callable, Coroutine


def replace_section(document: str, heading: str, lines: list[str]) -> str:
    """``document`` with the section under ``heading`` replaced by ``lines`` (or appended)."""
    text = "\n".join(lines)
    if heading not in document:
        return document.rstrip("\n") + "\n\n" + text
    head, rest = document.split(heading, 1)
    following = rest.find("\n## ")
    tail = rest[following + 1:] if following >= 0 else ""
    return head + text + ("\n" + tail if tail else "")


def measure_and_update(description: str, heading: str, collect: Callable[[], Coroutine[Any, Any, list[str]]],
                       argv: list[str] | None = None) -> int:
    """The command line of a benchmark module: measure, print, and optionally update the file."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--update", metavar="FILE", help=f"replace the '{heading}' section of FILE (BENCHMARKS.md)")
    args = parser.parse_args(argv)
    lines = asyncio.run(collect())
    print("\n".join(lines))
    if args.update:
        path = Path(args.update)
        path.write_text(replace_section(path.read_text() if path.exists() else "", heading, lines))
    return 0
