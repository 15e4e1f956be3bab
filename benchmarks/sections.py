"""BENCHMARKS.md is written by several commands, each owning some ``## `` sections.

`make bench` owns the connect, ticks, fault-layer, broker and API sections; `make soak`,
`make compare-legacy`, the scenario and fuzz runs own theirs. Each command replaces only its own
sections (or appends them), so no run erases figures another command measured.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any, Callable, Coroutine


def split_sections(document: str) -> tuple[str, list[tuple[str, str]]]:
    """(text before the first ``## `` heading, [(heading line, whole section text), ...])."""
    head, current = "", None
    sections: list[tuple[str, str]] = []
    lines: list[str] = []
    for line in document.splitlines(keepends=True):
        if line.startswith("## "):
            if current is None:
                head = "".join(lines)
            else:
                sections.append((current, "".join(lines)))
            current, lines = line.rstrip("\n"), []
        lines.append(line)
    if current is None:
        return "".join(lines), []
    sections.append((current, "".join(lines)))
    return head, sections


def merge_sections(document: str, update: str, replace_head: bool = False) -> str:
    """``document`` with every section of ``update`` replaced in place (new ones appended)."""
    old_head, old = split_sections(document)
    new_head, new = split_sections(update)
    replacements = dict(new)
    merged = [replacements.pop(heading, text) for heading, text in old]
    merged += [text for heading, text in new if heading in replacements]
    pieces = [new_head if replace_head or not old_head.strip() else old_head] + merged
    return "".join(piece if piece.endswith("\n") else piece + "\n" for piece in pieces if piece)


def update_file(path: str | Path, lines: list[str]) -> None:
    """Replace the sections in ``lines`` inside the file at ``path`` (created when missing)."""
    target = Path(path)
    target.write_text(merge_sections(target.read_text() if target.exists() else "", "\n".join(lines) + "\n"))


def measure_and_update(description: str, heading: str, collect: Callable[[], Coroutine[Any, Any, list[str]]],
                       argv: list[str] | None = None) -> int:
    """The command line of a benchmark module: measure, print, and with ``--update FILE`` replace
    only its own section(s) of that file."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--update", metavar="FILE", help=f"replace the '{heading}' section of FILE (BENCHMARKS.md)")
    args = parser.parse_args(argv)
    lines = asyncio.run(collect())
    print("\n".join(lines))
    if args.update:
        update_file(args.update, lines)
    return 0
