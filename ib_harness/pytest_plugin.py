"""The ib-harness pytest plugin (entry point ``pytest11``): fixtures, a marker and options.

Any project that installs ib-harness gets:

- ``fake_gateway``: an in-process FakeGateway on 127.0.0.1 port 0, its world set by
  ``@pytest.mark.ib_world(prices={...}, accounts=[...], settings={...})`` or by overriding the
  ``ib_world`` fixture (a dict with the keys of a scenario's ``gateway:`` section);
- ``ib_broker``: an ``IBKRInsyncBroker`` connected to it, journal in a temp directory, supervisor
  from ``--supervisor`` (settings overridable through the ``ib_broker_settings`` fixture);
- ``ib_client``: a raw ``IB`` of the ``ib_backend`` fixture's library (``--ib-backend``, default
  ib_insync; override or parametrize ``ib_backend`` for ib_async) connected to it;
- ``scenario_runner``: replays scenario files (``await scenario_runner.run("x.yaml")``);
- ``@pytest.mark.scenario("path.yaml", supervisor=None, seed=None)``: replays the file before the
  test body and fails the test with the runner's explanation (the body gets the result through the
  ``scenario_result`` fixture);
- ``@pytest.mark.virtual_clock(start=None)``: an async test (and its async fixtures: the gateway,
  the broker) runs on the virtual clock, so a bot that sleeps 30 s runs in milliseconds;
- options ``--scenario-seed N``, ``--scenario-report DIR``, ``--supervisor builtin|watchdog``,
  ``--scenario-clock virtual|real``, ``--scenario-broker module:factory`` (replay against your own
  broker; also the marker's ``broker=`` argument and ``scenario_runner.run(..., broker=...)``),
  ``--ib-backend ib_insync|ib_async`` (the client library; the marker's ``backend=`` too).

The ``scenario`` marker replays on the virtual clock unless told otherwise, on its own thread
with its own event loop, so it behaves the same under
pytest-asyncio's auto and strict modes, for sync and async tests, and under pytest-xdist (every
replay has its own gateway on port 0 and its own temp journal).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import itertools
import time
from pathlib import Path
from typing import Any, AsyncIterator, Callable

import pytest

try:
    import pytest_asyncio
except ModuleNotFoundError:  # the plugin loads in every pytest run of the venv: never break one that lacks it
    pytest_asyncio = None  # type: ignore[assignment]

SUPERVISORS = ("builtin", "watchdog")
BACKENDS = ("ib_insync", "ib_async")  # ib_harness.broker.backends.BACKENDS (not imported at plugin load)
CLOCKS = ("virtual", "real")  # ib_harness.scenarios.clocks.CLOCKS, not imported here: the plugin loads light
SCENARIO_RESULT = pytest.StashKey[Any]()
REPLAY_TIMEOUT_MARGIN = 60.0  # seconds beyond a scenario's own duration before a replay counts as hung


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ib-harness", "ib-harness fake gateway and scenario replay")
    group.addoption("--scenario-seed", type=int, default=None,
                    help="override the seed of every replayed scenario")
    group.addoption("--scenario-report", type=Path, default=None, metavar="DIR",
                    help="write report.html, report.json and junit.xml of every replay under DIR")
    group.addoption("--supervisor", choices=SUPERVISORS, default=None,
                    help="who supervises the broker: builtin (default) or ib_insync's Watchdog")
    group.addoption("--scenario-clock", choices=CLOCKS, default=None,
                    help="clock of every replay: virtual (simulated time, in-memory network) or real; "
                         "default: each file's clock:, else the runner's default")
    group.addoption("--scenario-broker", default=None, metavar="MODULE:FACTORY",
                    help="replay scenarios against this broker factory instead of the library's broker")
    group.addoption("--ib-backend", choices=BACKENDS, default=None,
                    help="the client library of ib_broker, ib_client and replays: ib_insync (default) or ib_async")
    group.addoption("--scenario-time-scale", type=float, default=1.0, metavar="FACTOR",
                    help="real clock only: run every replay's time FACTOR times as fast (0.05 = 20x)")


def _default_loop() -> asyncio.AbstractEventLoop:
    return asyncio.get_event_loop_policy().new_event_loop()


@pytest.hookimpl(optionalhook=True)
def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Any]:
    """``@pytest.mark.virtual_clock``: the test (and its async fixtures) run on the virtual clock."""
    marker = item.get_closest_marker("virtual_clock")
    if marker is None:
        return {"real": _default_loop}
    from .sim import VirtualClockLoop

    unknown = set(marker.kwargs) - {"start"}
    if marker.args or unknown:
        raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.virtual_clock takes only start=<datetime with "
                                f"a zone or epoch seconds>, got {marker.args!r} {sorted(unknown)}")
    start = marker.kwargs.get("start")
    return {"virtual": lambda: VirtualClockLoop(start)}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "scenario(path, supervisor=None, seed=None, clock=None, broker=None, backend=None): replay "
                                       "this scenario "
                                       "file against the real broker and a fake gateway; fail with the explanation")
    config.addinivalue_line("markers", "virtual_clock(start=None): run this async test and its async fixtures on "
                                       "the virtual clock (simulated time, in-memory network; sleeps cost nothing)")
    config.addinivalue_line("markers", "ib_world(**gateway): the fake_gateway fixture's world (prices, accounts, "
                                       "paths, server_version, settings), as a scenario's gateway: section")


def async_fixture(func: Callable[..., Any]) -> Any:
    """A pytest-asyncio fixture; without pytest-asyncio, a fixture of that name that says what to install."""
    if pytest_asyncio is not None:
        return pytest_asyncio.fixture(func)

    def needs_pytest_asyncio() -> None:
        pytest.fail(f"ib-harness's {func.__name__} fixture needs pytest-asyncio: pip install 'ib-harness[pytest]'",
                    pytrace=False)

    return pytest.fixture(name=func.__name__)(needs_pytest_asyncio)


# ----- the scenario runner ----------------------------------------------------------------------


class ScenarioFailed(AssertionError):
    """A replay missed an expectation (or broke); the message is the runner's explanation."""


class ScenarioRunner:
    """Replays scenario files with the session's seed, supervisor and report options."""

    def __init__(self, seed: int | None = None, supervisor: str | None = None, report_dir: Path | None = None,
                 base: Path | None = None, clock: str | None = None, time_scale: float = 1.0,
                 broker: Any = None, backend: str | None = None) -> None:
        self.broker = broker  # a ``module:factory`` name or a factory; None: the library's broker
        self.backend = backend  # ib_insync | ib_async; None: each file's own
        self.seed = seed
        self.clock = clock
        self.time_scale = time_scale
        self.supervisor = supervisor
        self.report_dir = report_dir
        self.base = base or Path.cwd()
        self.results: list[Any] = []

    def resolve(self, path: str | Path) -> Path:
        """A path as given, else relative to the test's directory, else a library scenario's name."""
        from .scenarios.loader import LIBRARY

        candidates = [Path(path), self.base / path, LIBRARY / path, LIBRARY / f"{path}.yaml"]
        for candidate in candidates:
            if candidate.is_file():
                return candidate
        raise FileNotFoundError(f"scenario file {str(path)!r} not found (tried {', '.join(map(str, candidates))})")

    async def run(self, path: str | Path, *, seed: int | None = None, supervisor: str | None = None,
                  check: bool = False, clock: str | None = None, time_scale: float | None = None,
                  broker: Any = None, backend: str | None = None) -> Any:
        """Replay one file on the running loop; with ``check`` raise ScenarioFailed unless it passed."""
        from .scenarios.loader import load_scenario
        from .scenarios.runner import replay

        item = load_scenario(self.resolve(path))
        result = await replay(item, seed=self.seed if seed is None else seed,
                              supervisor=supervisor or self.supervisor, clock=clock or self.clock,
                              time_scale=self.time_scale if time_scale is None else time_scale,
                              broker=broker or self.broker, backend=backend or self.backend)
        self.results.append(result)
        self.write_report(result)
        if check:
            self.check(result)
        return result

    def run_in_thread(self, path: str | Path, *, seed: int | None = None, supervisor: str | None = None,
                      clock: str | None = None, time_scale: float | None = None, broker: Any = None,
                      backend: str | None = None) -> Any:
        """Replay on a fresh loop (virtual or real) in a worker thread: safe whatever loop the caller has."""
        from .scenarios import clocks
        from .scenarios.loader import load_scenario

        scenario = load_scenario(self.resolve(path)).scenario
        chosen = clocks.resolve(clock or self.clock, scenario.clock)
        scale = clocks.check_time_scale(self.time_scale if time_scale is None else time_scale, chosen)
        main = self.run(path, seed=seed, supervisor=supervisor, clock=chosen, time_scale=scale, broker=broker,
                        backend=backend)
        with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="ib-harness-replay") as pool:
            future = pool.submit(clocks.run_on, chosen, main, scenario.gateway.start_time,
                                 next(s for s in (seed, self.seed, scenario.seed) if s is not None), scale)
            return future.result(timeout=scenario.duration + REPLAY_TIMEOUT_MARGIN)

    def write_report(self, result: Any) -> Path | None:
        if self.report_dir is None:
            return None
        from .scenarios.reports import write_reports
        from .scenarios.trace import RunResult

        target = self.report_dir / f"{result.name}-{result.variant.replace(' ', '-')}-seed{result.seed}"
        write_reports(RunResult(started=time.time() - result.wall, wall=result.wall, results=[result]), target)
        return target

    @staticmethod
    def explain(result: Any) -> str:
        """What failed, as the runner says it: the summary, then the timeline."""
        from .scenarios.console import render_result

        lines = [f"scenario {result.name} [{result.variant}, seed {result.seed}]: {result.verdict.upper()}"]
        if result.error:
            lines.append(f"  error: {result.error}")
        for missed in (e for e in result.expectations if not e.ok):
            lines.append(f"  {missed.expectation}: {missed.detail}")
        lines.append("")
        lines.append(render_result(result))
        return "\n".join(lines)

    def check(self, result: Any) -> None:
        if not result.ok:
            raise ScenarioFailed(self.explain(result))


def _runner_for(config: pytest.Config, base: Path) -> ScenarioRunner:
    return ScenarioRunner(seed=config.getoption("--scenario-seed"), supervisor=config.getoption("--supervisor"),
                          report_dir=config.getoption("--scenario-report"), base=base,
                          clock=config.getoption("--scenario-clock"),
                          time_scale=config.getoption("--scenario-time-scale"),
                          broker=config.getoption("--scenario-broker"), backend=config.getoption("--ib-backend"))


@pytest.fixture
def scenario_runner(request: pytest.FixtureRequest) -> ScenarioRunner:
    """Replays files relative to the test's directory with the session's options."""
    return _runner_for(request.config, Path(str(request.node.path)).parent)


@pytest.fixture(autouse=True)
def _ib_harness_scenario_marker(request: pytest.FixtureRequest) -> None:
    """Replay a ``scenario``-marked test's file during setup; the verdict is judged in the call phase."""
    marker = request.node.get_closest_marker("scenario")
    if marker is None:
        return
    if len(marker.args) != 1:
        raise pytest.UsageError(f"{request.node.nodeid}: @pytest.mark.scenario takes one path, got {marker.args!r}")
    unknown = set(marker.kwargs) - {"supervisor", "seed", "clock", "broker", "backend"}
    if unknown:
        raise pytest.UsageError(f"{request.node.nodeid}: @pytest.mark.scenario: unknown argument(s) {sorted(unknown)}")
    supervisor = marker.kwargs.get("supervisor")
    if supervisor is not None and supervisor not in SUPERVISORS:
        raise pytest.UsageError(f"{request.node.nodeid}: @pytest.mark.scenario: supervisor must be one of "
                                f"{SUPERVISORS}, got {supervisor!r}")
    clock = marker.kwargs.get("clock")
    if clock is not None and clock not in CLOCKS:
        raise pytest.UsageError(f"{request.node.nodeid}: @pytest.mark.scenario: clock must be one of "
                                f"{CLOCKS}, got {clock!r}")
    backend = marker.kwargs.get("backend")
    if backend is not None and backend not in BACKENDS:
        raise pytest.UsageError(f"{request.node.nodeid}: @pytest.mark.scenario: backend must be one of "
                                f"{BACKENDS}, got {backend!r}")
    runner = _runner_for(request.config, Path(str(request.node.path)).parent)
    request.node.stash[SCENARIO_RESULT] = runner.run_in_thread(
        marker.args[0], seed=marker.kwargs.get("seed"), supervisor=supervisor, clock=clock,
        broker=marker.kwargs.get("broker"), backend=backend)


@pytest.fixture
def scenario_result(request: pytest.FixtureRequest, _ib_harness_scenario_marker: None) -> Any:
    """The ``scenario`` marker's ScenarioResult (verdict, expectations, events), for extra asserts."""
    if SCENARIO_RESULT not in request.node.stash:
        raise pytest.UsageError(f"{request.node.nodeid}: scenario_result needs @pytest.mark.scenario(path)")
    return request.node.stash[SCENARIO_RESULT]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    result = item.stash.get(SCENARIO_RESULT, None)
    if result is not None and not result.ok:
        pytest.fail(ScenarioRunner.explain(result), pytrace=False)


# ----- the world, the gateway, the broker, the raw client ----------------------------------------


@pytest.fixture
def ib_world(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The gateway's world: the ``ib_world`` marker's keywords (override this fixture to share one)."""
    marker = request.node.get_closest_marker("ib_world")
    if marker is None:
        return {}
    if marker.args:
        raise pytest.UsageError(f"{request.node.nodeid}: @pytest.mark.ib_world takes keywords only "
                                f"(prices=, accounts=, paths=, server_version=, settings=)")
    return dict(marker.kwargs)


@pytest.fixture
def ib_seed(request: pytest.FixtureRequest) -> int:
    """The gateway's seed: --scenario-seed, else 0."""
    seed = request.config.getoption("--scenario-seed")
    return 0 if seed is None else int(seed)


@async_fixture
async def fake_gateway(ib_world: dict[str, Any], ib_seed: int, request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    """A started FakeGateway on 127.0.0.1 port 0 with the test's world; closed after the test."""
    from pydantic import ValidationError

    from ib_harness.fake_gateway import FakeGateway

    from .scenarios.model import GatewaySection
    from .scenarios.world import apply_world

    try:
        section = GatewaySection.model_validate(ib_world)
    except ValidationError as exc:
        raise pytest.UsageError(f"{request.node.nodeid}: bad ib_world: {exc}") from None
    gateway = FakeGateway(section.config(ib_seed), clock=_gateway_clock(section.start_time.timestamp()))
    await gateway.start()
    try:
        apply_world(gateway, section)
        yield gateway
    finally:
        await gateway.close()


def _gateway_clock(start: float) -> Callable[[], float]:
    """The gateway lives at the world's start_time (default a fixed Tuesday mid-session), as in a
    replay, so its market hours do not depend on the day the suite runs; on the virtual clock it
    follows the loop's wall clock (the marker's start)."""
    wall = getattr(asyncio.get_running_loop(), "wall", None)
    if wall is not None:
        return wall.now  # type: ignore[no-any-return]
    offset = start - time.time()
    return lambda: time.time() + offset


@pytest.fixture
def ib_broker_settings() -> dict[str, Any]:
    """BrokerSettings fields for ``ib_broker`` (override to tune timeouts, risk limits...)."""
    return {}


_client_ids = itertools.count(1)


@pytest.fixture
def ib_backend(request: pytest.FixtureRequest) -> str:
    """The client library of ``ib_client`` and ``ib_broker``: ``--ib-backend``, else ib_insync
    (parametrize or override this fixture to run a test on both)."""
    return str(getattr(request, "param", None) or request.config.getoption("--ib-backend") or BACKENDS[0])


@async_fixture
async def ib_broker(fake_gateway: Any, ib_broker_settings: dict[str, Any], request: pytest.FixtureRequest,
                    tmp_path: Path, ib_backend: str) -> AsyncIterator[Any]:
    """The real broker connected to ``fake_gateway`` (temp journal); disconnected after the test."""
    from ib_harness.broker import IBKRInsyncBroker

    from .scenarios.runner import CONNECT_TIMEOUT
    from .scenarios.gateway_controller import InProcessGatewayController

    supervisor = request.config.getoption("--supervisor") or ib_broker_settings.get("supervisor", "builtin")
    settings: dict[str, Any] = {"journal_path": tmp_path / "journal.sqlite3", "backend": ib_backend,
                                **ib_broker_settings, "supervisor": supervisor}
    if supervisor == "watchdog":
        settings["controller"] = InProcessGatewayController(fake_gateway)
    broker = IBKRInsyncBroker(fake_gateway.host, fake_gateway.port, settings.pop("client_id", 1), **settings)
    try:
        await asyncio.wait_for(broker.connect(timeout=CONNECT_TIMEOUT), CONNECT_TIMEOUT + 1)
        yield broker
    finally:
        await broker.disconnect()


@async_fixture
async def ib_client(fake_gateway: Any, ib_backend: str) -> AsyncIterator[Any]:
    """A raw IB of ``ib_backend``'s library (ib_insync or ib_async) connected to ``fake_gateway``
    (client ids 101, 102, ... never clash with ib_broker)."""
    import importlib

    ib = importlib.import_module(ib_backend).IB()
    await ib.connectAsync(fake_gateway.host, fake_gateway.port, clientId=100 + next(_client_ids), timeout=10)
    try:
        yield ib
    finally:
        ib.disconnect()

