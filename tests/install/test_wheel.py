"""The product as a user gets it: build the sdist and wheel, check the wheel, install it into fresh
venvs (no extras, then each extra) and run the CLI, a library replay and the README's plugin example
there, from a directory outside the repository.

Slow by nature (a venv per extra; pip's cache keeps it to seconds per install); every test here is
independent, so pytest-xdist spreads them over its workers alongside the rest of the suite.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.plugin.test_readme_example import readme_example

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ("gateway", "smoke", "replay", "validate", "compare", "schema", "from-log", "scenario", "api", "load",
            "record")
SHORT_SCENARIO = "gateway-crash-rst"  # a library scenario of a few seconds
EXTRAS = ("api", "load", "data", "legacy", "pytest")
INSTALL_TIMEOUT = 900
EXAMPLE_TESTS = len(re.findall(r"^(?:async )?def test_", readme_example(), re.M))


def run(cmd: list[str], cwd: Path, timeout: float = 300, env: dict[str, str] | None = None) \
        -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": "", **(env or {})})


BUILD_INPUTS = ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sdist, then the wheel built from it (what `python -m build` does); no network: the suite's setuptools.
    From a copy of the sources: xdist workers building at once must not share build/ and *.egg-info."""
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("dist")
    shutil.copytree(ROOT / "ib_harness", source / "ib_harness", ignore=shutil.ignore_patterns("__pycache__"))
    for name in BUILD_INPUTS:
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, source / name)
    built = run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)], cwd=out,
                timeout=600)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    (found,) = dist.glob("ib_harness-*.whl")
    return found


@dataclass
class Venv:
    root: Path
    work: Path

    @property
    def python(self) -> str:
        return str(self.root / "bin" / "python")

    def cli(self, *args: str, timeout: float = 120, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return run([str(self.root / "bin" / "ib-harness"), *args], cwd=cwd or self.work, timeout=timeout)


def fresh_venv(base: Path, wheel: Path, extra: str, *also: str, bytecode: bool = False) -> Venv:
    """A new venv holding wheel[extra] (and ``also``). uv (in [test]) links from its cache: a second per
    venv instead of half a minute of unpacking pandas and numpy again; without uv, this suite's pip."""
    root, work = base / "venv", base / "work"
    work.mkdir()
    target = f"ib-harness[{extra}] @ {wheel.as_uri()}" if extra else str(wheel)
    if importlib.util.find_spec("uv") is not None:
        made = run([sys.executable, "-m", "uv", "venv", "--quiet", "--python", sys.executable, str(root)], cwd=base)
        assert made.returncode == 0, made.stderr
        install = [sys.executable, "-m", "uv", "pip", "install", "--quiet", "--python", str(root / "bin" / "python"),
                   *(["--compile-bytecode"] if bytecode else [])]  # pip compiles by default: count what users get
    else:
        made = run([sys.executable, "-m", "venv", "--without-pip", str(root)], cwd=base)
        assert made.returncode == 0, made.stderr
        install = [sys.executable, "-m", "pip", "--python", str(root / "bin" / "python"), "install", "--quiet"]
    installed = run([*install, target, *also], cwd=base, timeout=INSTALL_TIMEOUT)
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    return Venv(root, work)


HELP_ALL = """
import contextlib, io, json, sys
from ib_harness.cli import main
shown = {}
for command in sys.argv[1:]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            main(command.split() + ["--help"])
            code = 0
        except SystemExit as exc:
            code = exc.code
    shown[command] = [code, out.getvalue()]
print(json.dumps(shown))
"""


def help_of_every_command(venv: Venv) -> dict[str, tuple[int, str]]:
    """Every subcommand's --help in one interpreter (a start of the CLI costs seconds; twelve add up)."""
    done = run([venv.python, "-c", HELP_ALL, *COMMANDS, "scenario from-log"], cwd=venv.work)
    assert done.returncode == 0, done.stderr[-3000:]
    return {command: (code, text) for command, (code, text) in json.loads(done.stdout).items()}


def site_packages(venv: Venv) -> Path:
    (found,) = (venv.root / "lib").glob("python3.*/site-packages")
    return found


# ----- the wheel itself ------------------------------------------------------------------------


def test_wheel_passes_check_wheel_contents(wheel: Path) -> None:
    checked = run([sys.executable, "-m", "check_wheel_contents", str(wheel)], cwd=wheel.parent)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"{wheel}: OK" in checked.stdout


def test_wheel_holds_only_ib_harness_and_its_package_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names} == {"ib_harness", wheel.name.split("-py3")[0] + ".dist-info"}
    for data in ("ib_harness/scenarios/library/silent-stall.yaml", "ib_harness/scenarios/scenario.schema.json",
                 "ib_harness/scenarios/report_template.html", "ib_harness/pytest_plugin.py"):
        assert data in names, data
    assert any(n.startswith("ib_harness/load/chaos/") and n.endswith(".yaml") for n in names)
    assert any(n.startswith("ib_harness/fake_gateway/data/") and n.endswith(".yaml") for n in names)  # catalog
    assert not any("/tests/" in n or n.startswith("tests/") for n in names)
    meta = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "ib_harness = ib_harness.pytest_plugin" in meta and "ib-harness = ib_harness.cli:main" in meta


def test_core_requirements_hold_no_pyarrow_and_no_test_tooling(wheel: Path) -> None:
    meta = zipfile.ZipFile(wheel).read(next(n for n in zipfile.ZipFile(wheel).namelist()
                                            if n.endswith("METADATA"))).decode()
    core = [line.split(":", 1)[1].strip() for line in meta.splitlines()
            if line.startswith("Requires-Dist:") and "extra ==" not in line]
    names = {re.split(r"[<>=!~\[; ]", req, maxsplit=1)[0].lower().replace("_", "-") for req in core}
    assert names, meta
    assert not names & {"pyarrow", "pytest", "pytest-asyncio", "fastapi", "uvicorn", "locust", "httpx",
                        "nautilus-ibapi", "mypy", "hypothesis"}


# ----- the core install -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Venv:
    return fresh_venv(tmp_path_factory.mktemp("core"), wheel, "", bytecode=True)


def test_core_install_puts_nothing_but_ib_harness_in_site_packages(core: Venv) -> None:
    ours = [p.name for p in site_packages(core).iterdir() if p.name.startswith("ib_harness")]
    assert sorted(ours) == ["ib_harness", next(n for n in ours if n.endswith(".dist-info"))]
    record = next(site_packages(core).glob("ib_harness-*.dist-info")) / "RECORD"
    tops = {line.split("/")[0].split(",")[0] for line in record.read_text().splitlines()}
    assert {t for t in tops if not t.endswith(".dist-info") and t != ".."} == {"ib_harness"}


CORE_BUDGET_MB = 200  # issue 24: a gateway user's venv grew by 403 MB before the extras split


def test_core_install_stays_within_its_size_budget(core: Venv) -> None:
    """What `pip install ib-harness` adds: every file under site-packages, bytecode included (pip writes
    it); 184 MB when measured (docs/quickstart.md says how)."""
    files = [f for f in site_packages(core).rglob("*") if f.is_file() and not f.is_symlink()]
    megabytes = sum(f.stat().st_size for f in files) / 2**20
    assert megabytes <= CORE_BUDGET_MB, f"the core install is {megabytes:.0f} MB"
    assert not (site_packages(core) / "pyarrow").exists() and not (site_packages(core) / "pytest").exists()


def test_core_install_runs_every_subcommands_help(core: Venv) -> None:
    top = core.cli("--help")  # the console script itself
    assert top.returncode == 0, top.stderr
    for command in COMMANDS:
        assert re.search(rf"^\s+{re.escape(command)}\s", top.stdout, re.M), command
    for command, (code, text) in help_of_every_command(core).items():
        assert code == 0, f"{command}: exit {code}"
        assert "usage: ib-harness " + command in text, text


@pytest.mark.parametrize(("command", "extra", "module"), [("api", "api", "fastapi"), ("load", "load", "httpx")])
def test_core_install_names_the_missing_extra(core: Venv, command: str, extra: str, module: str) -> None:
    done = core.cli(command)
    assert done.returncode == 2
    assert f"pip install 'ib-harness[{extra}]'" in done.stderr and repr(module) in done.stderr
    assert "Traceback" not in done.stderr


def test_core_install_gateway_control_api_names_the_api_extra(core: Venv) -> None:
    done = core.cli("gateway", "--port", "0", "--control-port", "0", timeout=60)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "pip install 'ib-harness[api]'" in done.stderr and "Traceback" not in done.stderr


def test_core_install_replays_a_library_scenario_with_a_report(core: Venv) -> None:
    done = core.cli("replay", "-k", SHORT_SCENARIO, "--quiet", "--report", "out", timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"PASS  {SHORT_SCENARIO}" in done.stdout
    assert {p.name for p in (core.work / "out").iterdir()} == {"report.html", "report.json", "junit.xml"}


def test_core_install_schema_prints_to_stdout_and_writes_nothing(core: Venv, tmp_path: Path) -> None:
    installed = site_packages(core) / "ib_harness" / "scenarios" / "scenario.schema.json"
    before = installed.stat().st_mtime_ns
    done = core.cli("schema", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("{") and '"Step"' in done.stdout
    assert list(tmp_path.iterdir()) == [] and installed.stat().st_mtime_ns == before
    assert installed.read_text() == done.stdout
    written = core.cli("schema", "--out", "my.schema.json", cwd=tmp_path)
    assert written.returncode == 0 and (tmp_path / "my.schema.json").read_text() == done.stdout


def test_core_install_reads_csv_bars_and_names_the_data_extra_for_parquet(core: Venv, tmp_path: Path) -> None:
    script = ("from zoneinfo import ZoneInfo\n"
              "from ib_harness.fake_gateway.state.bar_files import load_bar_file\n"
              "import sys\n"
              "print(len(load_bar_file(sys.argv[1], ZoneInfo('America/New_York'))))\n"
              "try:\n    load_bar_file(sys.argv[2], ZoneInfo('America/New_York'))\n"
              "except ValueError as exc:\n    print(exc)\n")
    csv = tmp_path / "AAPL.csv"
    csv.write_text("date,open,high,low,close,volume\n20240102,1,2,0.5,1.5,100\n20240103,1,2,0.5,1.5,100\n")
    parquet = tmp_path / "AAPL.parquet"
    parquet.write_bytes(b"PAR1")
    done = run([core.python, "-c", script, str(csv), str(parquet)], cwd=core.work)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "2"
    assert "pip install 'ib-harness[data]'" in done.stdout


def _readme_project(venv: Venv) -> subprocess.CompletedProcess[str]:
    project = venv.work / "my-project"
    (project / "tests").mkdir(parents=True)
    (project / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    (project / "tests" / "test_my_strategy.py").write_text(readme_example())
    return run([venv.python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=project, timeout=300)


def test_core_install_runs_the_readme_plugin_example(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> None:
    """A user's project: the wheel (no extras) next to the project's own pytest and pytest-asyncio."""
    venv = fresh_venv(tmp_path_factory.mktemp("project"), wheel, "", "pytest>=8", "pytest-asyncio>=0.23")
    done = _readme_project(venv)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert re.search(rf"\b{EXAMPLE_TESTS} passed\b", done.stdout), done.stdout[-2000:]


def test_plugin_without_pytest_asyncio_breaks_no_pytest_run(tmp_path_factory: pytest.TempPathFactory,
                                                            wheel: Path) -> None:
    """The plugin loads into every pytest run of the venv: a project without pytest-asyncio still runs,
    and only a test asking for an async fixture learns what to install."""
    venv = fresh_venv(tmp_path_factory.mktemp("no-asyncio"), wheel, "", "pytest>=8")
    project = venv.work / "p"
    project.mkdir()
    (project / "test_x.py").write_text("def test_plain():\n    assert 1 + 1 == 2\n\n"
                                       "def test_wants_gateway(fake_gateway):\n    pass\n")
    done = run([venv.python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=project)
    assert "1 passed, 1 error" in done.stdout, done.stdout[-3000:]
    assert "pip install 'ib-harness[pytest]'" in done.stdout


# ----- each extra, in its own fresh venv ---------------------------------------------------------


EXTRA_CHECKS: dict[str, list[str]] = {
    "api": ["-c", "import ib_harness.broker.api, ib_harness.fake_gateway.control; print('ok')"],
    "load": ["-c", "import ib_harness.load.cli, ib_harness.load.users; print('ok')"],
    "data": ["-c", "import pyarrow, pandas, sys; from ib_harness.fake_gateway.state.bar_files import load_bar_file\n"
                   "from zoneinfo import ZoneInfo\n"
                   "pandas.DataFrame({'date': ['20240102'], 'open': [1.0], 'high': [2.0], 'low': [0.5],"
                   " 'close': [1.5], 'volume': [100]}).to_parquet('b.parquet')\n"
                   "print('ok' if len(load_bar_file('b.parquet', ZoneInfo('America/New_York'))) == 1 else 'bad')"],
    "legacy": ["-c", "import ib_harness.broker.legacy.app, ibapi; print('ok')"],
    "pytest": ["-c", "import ib_harness.pytest_plugin as p; print('ok' if p.pytest_asyncio else 'bad')"],
}


@pytest.mark.parametrize("extra", EXTRAS)
def test_each_extra_in_a_fresh_venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path, extra: str) -> None:
    venv = fresh_venv(tmp_path_factory.mktemp(f"extra-{extra}"), wheel, extra)
    shown = help_of_every_command(venv)
    for command, (code, text) in shown.items():
        assert code == 0 and "usage: ib-harness " + command in text, f"[{extra}] {command}: exit {code}"
    if extra in ("api", "load"):
        real = shown[extra][1]
        assert "needs the [" not in real, real
        assert ("--users" if extra == "load" else "--gateway") in real, real
    checked = run([venv.python, *EXTRA_CHECKS[extra]], cwd=venv.work)
    assert checked.returncode == 0 and checked.stdout.strip() == "ok", checked.stdout + checked.stderr
    replayed = venv.cli("replay", "-k", SHORT_SCENARIO, "--quiet", timeout=300)
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    if extra == "pytest":
        done = _readme_project(venv)
        assert re.search(rf"\b{EXAMPLE_TESTS} passed\b", done.stdout), done.stdout[-4000:] + done.stderr[-2000:]
