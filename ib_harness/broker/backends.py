"""The client library a broker runs on: ib_insync (the default) or ib_async, its maintained fork.

One broker instance, one backend: every broker module gets IB, the Watchdog, contracts, orders and
the library's exception classes from the :class:`Backend` of its own ``IB`` (:func:`backend_of`),
never from a module-level import, so brokers on both libraries can run in one process. The
libraries share their API and internals' names (client_adapter.check_internals proves it for the
installed versions); where they behave differently the Backend says so (``warning_codes``,
``startup_fetch``) and the broker follows.
"""

from __future__ import annotations

import importlib
import importlib.metadata
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, get_args

if TYPE_CHECKING:  # the one type both libraries' RequestError is read as
    from ib_insync import RequestError as AnyRequestError

BackendName = Literal["ib_insync", "ib_async"]
BACKENDS: tuple[str, ...] = get_args(BackendName)
DEFAULT_BACKEND: BackendName = "ib_insync"

# The versions this harness is tested with (pyproject pins the same), and the supported range.
TESTED_VERSIONS = {"ib_insync": "0.9.86", "ib_async": "2.1.0"}
SUPPORTED_VERSIONS = {"ib_insync": "==0.9.86 (archived upstream: its last release)",
                      "ib_async": ">=2.1.0,<3 (v3 marks live trades Inactive on disconnect: not supported yet)"}


# IB's codes that refuse a request or an order message: ib_insync fails the request on them,
# ib_async 2.x reads them as warnings (its wrapper.error) and leaves the request waiting
REFUSING_CODES = frozenset({105, 321, 329})


class BackendUnavailable(ImportError):
    """The chosen backend's library is not installed; the message says how to install it."""


@dataclass(frozen=True, eq=False)
class Backend:
    """One client library, as the broker uses it."""

    name: str
    version: str
    module: Any  # the library's top-level module
    IB: type  # SupervisedIB on this library (client_adapter)
    Watchdog: type
    Stock: type
    MarketOrder: type
    LimitOrder: type
    StopOrder: type
    StopLimitOrder: type
    TradeLogEntry: type
    RequestError: type[AnyRequestError]
    # codes this library treats as warnings (a request or order is not failed by them)
    warning_codes: frozenset[int]
    # of those, the codes by which IB refuses a request (ib_insync fails the request on them)
    refusals_as_warnings: frozenset[int]
    # ib_async's StartupFetch flags the broker asks for (None: the library cannot choose; all)
    startup_fetch: Any = None

    def __repr__(self) -> str:
        return f"Backend({self.name} {self.version})"


@cache
def load_backend(name: str = DEFAULT_BACKEND) -> Backend:
    """The backend called ``name`` (imported on first use, then shared)."""
    if name not in BACKENDS:
        raise ValueError(f"unknown backend {name!r}: expected one of {', '.join(BACKENDS)}")
    try:
        module = importlib.import_module(name)
        importlib.import_module(f"{name}.wrapper")
    except ImportError as exc:
        raise BackendUnavailable(f"backend {name!r} is not installed ({exc}); install it with "
                                 f"pip install 'ib-harness[{name}]'") from exc
    from .client_adapter import read_warning_codes, supervised_ib_class
    warnings = read_warning_codes(module)
    # Everything, on ib_async too. Leaving completed orders and executions to the live reconcile
    # at connect would ask each once instead of twice, but is not safe: an answer the gateway
    # never sends is then a failed reconcile that nothing retries (in the sync it is a gap that
    # SyncGaps asks for again until verified) and READY comes before the order lists are read.
    # docs/backends.md; tests/broker/test_backends.py shows both.
    startup_fetch = None
    return Backend(
        name=name, version=importlib.metadata.version(name), module=module,
        IB=supervised_ib_class(module), Watchdog=module.Watchdog, Stock=module.Stock,
        MarketOrder=module.MarketOrder, LimitOrder=module.LimitOrder, StopOrder=module.StopOrder,
        StopLimitOrder=module.StopLimitOrder, TradeLogEntry=module.TradeLogEntry,
        RequestError=module.RequestError, warning_codes=warnings, refusals_as_warnings=warnings & REFUSING_CODES,
        startup_fetch=startup_fetch)


def backend_of(ib: Any) -> Backend:
    """The backend an IB instance (of either library, supervised or not) belongs to."""
    for cls in type(ib).__mro__:
        root = cls.__module__.split(".")[0]
        if cls.__name__ == "IB" and root in BACKENDS:
            return load_backend(root)
    raise TypeError(f"{type(ib).__name__} is not an IB of {' or '.join(BACKENDS)}")
