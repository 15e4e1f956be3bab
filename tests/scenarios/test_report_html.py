"""The HTML report renders its timelines in real headless Chromium with no console errors."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

from ib_harness.scenarios.reports import write_reports
from tests.scenarios.chromium import open_page
from tests.scenarios.sample_results import sample_run


def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    written = write_reports(sample_run(), tmp_path)
    page_text = written["html"].read_text()
    assert "http://" not in page_text.replace("http://www.w3.org/2000/svg", "")  # nothing fetched
    assert "https://" not in page_text and "<link" not in page_text and "src=" not in page_text

    page = open_page(written["html"])

    assert page.console == []
    assert re.search(r'<body[^>]*data-rendered="2"', page.dom), "both timelines drawn by the page's JS"
    assert '<div id="js-errors"></div>' in page.dom
    for supervisor in ("builtin", "watchdog"):
        svg = re.search(rf'<svg class="timeline"[^>]*data-supervisor="{supervisor}".*?</svg>', page.dom, re.S)
        assert svg is not None
        drawn = svg.group(0)
        assert drawn.count('class="state-segment"') == 5   # connecting, ready, degraded, backing_off, ready
        assert drawn.count('class="fault-window"') == 1
        assert drawn.count('class="latency-point"') == 3
        assert drawn.count('class="error-mark"') == 2 and ">1100<" in drawn and ">1102<" in drawn
    assert "a silent stall &lt;/script&gt;" in page.dom  # text from the data, escaped, not markup


def test_comparison_table_lists_both_supervisors(tmp_path: Path) -> None:
    page = open_page(write_reports(sample_run(), tmp_path)["html"])
    table = re.search(r'<table id="comparison">.*?</table>', page.dom, re.S)
    assert table is not None
    assert "builtin: verdict" in table.group(0) and "watchdog: verdict" in table.group(0)
    assert '<span class="badge pass">pass</span>' in table.group(0)
    assert '<span class="badge fail">fail</span>' in table.group(0)


def test_junit_and_json(tmp_path: Path) -> None:
    written = write_reports(sample_run(), tmp_path)
    suites = ElementTree.parse(written["junit"]).getroot()
    watchdog = suites.find("testsuite[@name='scenarios[watchdog]']")
    assert watchdog is not None and watchdog.get("failures") == "1"
    failure = watchdog.find("testcase/failure")
    assert failure is not None and "left ready 0.60 s" in (failure.get("message") or "")
    assert '"verdict": "pass"' in written["json"].read_text().replace('":"', '": "')


def test_user_text_with_comment_and_script_openers_does_not_blank_the_page(tmp_path: Path) -> None:
    """Inside <script>, "<!--" followed later by "<script" puts the HTML parser in the double-escaped
    state: the real </script> no longer closes the element and the whole page stays blank."""
    run = sample_run()
    run.results[0].description = "note <!-- do not remove"
    run.results[0].error = "then <script> appeared"
    written = write_reports(run, tmp_path)
    assert "<!--" not in written["html"].read_text().split('id="report-data"')[1].split("</script>")[0]
    page = open_page(written["html"])
    assert page.console == []
    assert re.search(r'<body[^>]*data-rendered="2"', page.dom), "the page's JS ran and drew both timelines"
    assert "note &lt;!-- do not remove" in page.dom and "then &lt;script&gt; appeared" in page.dom


def test_summary_rows_link_to_their_sections(tmp_path: Path) -> None:
    page = open_page(write_reports(sample_run(), tmp_path)["html"])
    table = re.search(r'<table id="comparison">.*?</table>', page.dom, re.S)
    assert table is not None
    for supervisor in ("builtin", "watchdog"):
        anchor = f"scenario-stall-sample-{supervisor}"
        assert f'href="#{anchor}"' in table.group(0)
        assert f'id="{anchor}"' in page.dom


def test_failures_only_filter_hides_what_passed(tmp_path: Path) -> None:
    html = write_reports(sample_run(), tmp_path)["html"]
    everything = open_page(html)
    assert re.search(r'<input[^>]*id="failures-only"', everything.dom), "the filter is on the page"
    assert not re.search(r'<div class="scenario passed"[^>]*hidden', everything.dom)
    failures = open_page(html, query="?failures-only")   # what ticking the box does, as a link
    assert failures.console == []
    assert re.search(r'<input[^>]*id="failures-only"[^>]*checked', failures.dom) or \
        'data-failures-only="true"' in failures.dom
    passed = re.search(r'<div class="scenario passed"[^>]*>', failures.dom)
    failed = re.search(r'<div class="scenario failed"[^>]*>', failures.dom)
    assert passed is not None and "hidden" in passed.group(0)
    assert failed is not None and "hidden" not in failed.group(0)


def test_known_gaps_are_marked_as_such(tmp_path: Path) -> None:
    gaps = {"watchdog": {"stall-sample": "Watchdog only notices through its idle timeout"}}
    written = write_reports(sample_run(), tmp_path, known_gaps=gaps)
    page = open_page(written["html"])
    box = re.search(r'<div class="scenario known-gap[^"]*"[^>]*id="scenario-stall-sample-watchdog".*?</h2>', page.dom, re.S)
    assert box is not None, "the watchdog failure is shown as a known gap"
    assert "known gap" in box.group(0)
    assert "Watchdog only notices through its idle timeout" in page.dom
    table = re.search(r'<table id="comparison">.*?</table>', page.dom, re.S)
    assert table is not None and '<span class="badge known-gap"' in table.group(0)
    assert re.search(r"1 failed[^<]*1 known gap", page.dom)
    builtin = re.search(r'<div class="scenario passed"[^>]*id="scenario-stall-sample-builtin"', page.dom)
    assert builtin is not None  # a pass is a pass


def test_legend_explains_every_mark(tmp_path: Path) -> None:
    page = open_page(write_reports(sample_run(), tmp_path, known_gaps={"watchdog": {"stall-sample": "x"}})["html"])
    legend = re.search(r'<div class="legend" id="legend">(.*?)</div>\s*<', page.dom, re.S)
    assert legend is not None
    text = legend.group(1)
    for mark in ("ready", "degraded", "backing_off", "circuit_open", "fault window", "call answered", "call failed",
                 "IB error code", "pass", "fail", "error", "known gap", "✔", "✘", "–", "detection", "recovery"):
        assert mark in text, mark
