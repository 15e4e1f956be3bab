"""BENCHMARKS.md is shared by several commands: each replaces only its own sections."""

from __future__ import annotations

from pathlib import Path

from benchmarks.sections import merge_sections, split_sections, update_file

DOCUMENT = "# Benchmarks\n\n- Date: old\n\n## Ticks\n\nold ticks\n\n## Soak\n\nsoak figures\n\n## Broker\n\nold broker\n"


def test_split_keeps_every_line() -> None:
    head, sections = split_sections(DOCUMENT)
    assert head == "# Benchmarks\n\n- Date: old\n\n"
    assert [heading for heading, _ in sections] == ["## Ticks", "## Soak", "## Broker"]
    assert head + "".join(text for _, text in sections) == DOCUMENT


def test_a_run_replaces_its_sections_and_keeps_the_others() -> None:
    update = "# Benchmarks\n\n- Date: new\n\n## Ticks\n\nnew ticks\n\n## Broker\n\nnew broker\n\n## Fault layer\n\nfaults\n"
    merged = merge_sections(DOCUMENT, update, replace_head=True)
    assert merged == ("# Benchmarks\n\n- Date: new\n\n## Ticks\n\nnew ticks\n\n## Soak\n\nsoak figures\n\n"
                      "## Broker\n\nnew broker\n\n## Fault layer\n\nfaults\n")


def test_update_file_keeps_the_head_and_creates_a_missing_file(tmp_path: Path) -> None:
    target = tmp_path / "BENCHMARKS.md"
    update_file(target, ["## Broker", "", "first"])
    assert target.read_text() == "## Broker\n\nfirst\n"
    target.write_text(DOCUMENT)
    update_file(target, ["## Broker", "", "second"])
    assert target.read_text() == DOCUMENT.replace("old broker", "second")


def test_the_files_benchmarks_read_exist() -> None:
    """`make bench` reads them at the end of a long run: a path left behind by a move fails here."""
    from benchmarks import api_load
    assert api_load.CHAOS_FILE.is_file(), api_load.CHAOS_FILE
