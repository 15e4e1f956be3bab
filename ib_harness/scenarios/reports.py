"""Write a run's results: JSON (everything), JUnit XML (for CI), one self-contained HTML page.

The HTML page embeds the results as JSON and draws the timelines with inline JS into SVG: no
network, no CDN, so it opens anywhere, offline, years later.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

from .known_gaps import gap_reasons
from .trace import RunResult

KnownGaps = dict[str, dict[str, str]]  # supervisor -> scenario name -> why it is known to fail

TEMPLATE = Path(__file__).parent / "report_template.html"


def write_json(run: RunResult, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(run.model_dump_json(indent=1))
    return path


def write_junit(run: RunResult, path: Path) -> Path:
    """One testsuite per supervisor, one testcase per scenario, a failure per missed expectation."""
    root = ElementTree.Element("testsuites", name="ib-harness replay", time=f"{run.wall:.3f}")
    for supervisor in sorted({r.variant for r in run.results}):
        results = [r for r in run.results if r.variant == supervisor]
        suite = ElementTree.SubElement(
            root, "testsuite", name=f"scenarios[{supervisor}]", tests=str(len(results)),
            failures=str(sum(r.verdict == "fail" for r in results)),
            errors=str(sum(r.verdict == "error" for r in results)),
            time=f"{sum(r.wall for r in results):.3f}")
        for result in results:
            case = ElementTree.SubElement(suite, "testcase", classname=f"scenarios.{supervisor}",
                                          name=result.name, file=result.file, time=f"{result.wall:.3f}")
            if result.verdict == "error":
                ElementTree.SubElement(case, "error", message=result.error or "error").text = result.error
            for missed in (e for e in result.expectations if not e.ok):
                ElementTree.SubElement(case, "failure", message=f"{missed.expectation}: {missed.detail}").text = \
                    missed.detail
    path.parent.mkdir(parents=True, exist_ok=True)
    ElementTree.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path


def embeddable_json(data: object) -> str:
    """JSON safe inside <script>: every "<" as \\u003c, so user text can neither close the element
    ("</script>") nor switch the parser into its double-escaped state ("<!--" then "<script"), which
    blanks the page. JSON.parse reads the escape back as "<"."""
    return json.dumps(data, separators=(",", ":")).replace("<", "\\u003c")


def write_html(run: RunResult, path: Path, known_gaps: KnownGaps | None = None) -> Path:
    """The page; a result listed in ``known_gaps`` (default: the suite's table) is marked as a known gap."""
    data = json.loads(run.model_dump_json())
    gaps = gap_reasons() if known_gaps is None else known_gaps
    data["known_gaps"] = {supervisor: {name: why for name, why in gaps.get(supervisor, {}).items()
                                       if any(r.name == name and r.supervisor == supervisor for r in run.results)}
                          for supervisor in {r.supervisor for r in run.results}}
    payload = embeddable_json(data)
    page = TEMPLATE.read_text().replace("__REPORT_DATA__", payload)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page)
    return path


def write_reports(run: RunResult, directory: Path, known_gaps: KnownGaps | None = None) -> dict[str, Path]:
    return {
        "html": write_html(run, directory / "report.html", known_gaps),
        "json": write_json(run, directory / "report.json"),
        "junit": write_junit(run, directory / "junit.xml"),
    }
