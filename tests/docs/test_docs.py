"""The documentation site builds strictly, its reference pages are what the code says, its tables
are whole tables, and its examples run."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md")) + [ROOT / "README.md"]


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_reference", DOCS / "gen_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", sorted(generator().PAGES))
def test_generated_reference_pages_are_up_to_date(name: str) -> None:
    assert (DOCS / "reference" / name).read_text() == generator().PAGES[name](), \
        "run `make docs` (python docs/gen_reference.py) and commit docs/reference/"


def test_mkdocs_builds_strictly(tmp_path: Path) -> None:
    """A broken link, an anchor that does not exist or a page missing from the nav fails the build."""
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                           cwd=ROOT, capture_output=True, text=True, timeout=300,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert built.returncode == 0, built.stderr[-4000:]
    assert (tmp_path / "site" / "reference" / "fault-kinds" / "index.html").exists()


def _cells(row: str) -> list[str]:
    inner = row.strip()[1:-1] if row.strip().endswith("|") else row.strip()[1:]
    return [c.strip() for c in re.split(r"(?<!\\)\|", inner)]


def tables(text: str) -> list[tuple[int, list[str]]]:
    """(first line number, rows) of every Markdown table outside code blocks."""
    found: list[tuple[int, list[str]]] = []
    fenced, current, start = False, [], 0
    for number, line in enumerate(text.splitlines() + [""], 1):
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("|"):
            if not current:
                start = number
            current.append(line)
        elif current:
            found.append((start, current))
            current = []
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_tables_are_whole_and_rows_are_not_repeated(page: Path) -> None:
    problems = []
    found = tables(page.read_text())
    for start, rows in found:
        if len(rows) < 2 or not re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", rows[1].strip()):
            problems.append(f"line {start}: rows without a header (a table cut by a blank line?)")
            continue
        width = len(_cells(rows[0]))
        keys = [next((c for c in _cells(row)[:2] if c), "") for row in rows[2:]]
        problems += [f"line {start}: row {i} has {len(_cells(r))} cells, header {width}"
                     for i, r in enumerate(rows[2:], 1) if len(_cells(r)) != width]
        problems += [f"line {start}: row {k!r} repeated" for k in sorted({k for k in keys if k and keys.count(k) > 1})]
    assert problems == []


def test_no_page_names_a_class_that_does_not_exist() -> None:
    text = "".join(page.read_text() for page in PAGES)
    assert "watchdog_controller" not in text and "scenarios/pytest_plugin.py" not in text
    for dotted in sorted(set(re.findall(r"`(ib_harness(?:\.\w+)+)", text))):
        module, _, attr = dotted.rpartition(".")
        try:
            imported = importlib.import_module(dotted)
        except ModuleNotFoundError:
            imported = importlib.import_module(module)
            assert hasattr(imported, attr), dotted
        assert imported is not None


def test_the_how_to_scenario_validates(tmp_path: Path) -> None:
    from ib_harness.scenarios.loader import load_all

    text = (DOCS / "howto" / "your-own-scenario.md").read_text()
    (yaml,) = [block for block in re.findall(r"```yaml\n(.*?)```", text, re.S) if "name: my-stall" in block]
    (tmp_path / "my-stall.yaml").write_text(yaml)
    (loaded,) = load_all([str(tmp_path / "my-stall.yaml")])
    assert loaded.scenario.name == "my-stall"
