"""Bring your own broker: ``--broker module:factory`` names a callable that builds the broker under test.

The runner calls ``factory(host=..., port=..., client_id=..., settings={...})`` with the fake
gateway's address, the scenario's client id and the scenario's ``broker.settings`` (plus the
runner's own ``journal_path``, a fresh temp file per replay, and ``backoff_seed``). It must return
a :class:`~ib_harness.broker.BaseBroker`. Anything else (a name that does not import, an attribute
that is not callable, a call that raises or returns something else) is a :class:`BrokerFactoryError`
whose message names the factory and what was wrong; the CLI turns it into exit code 2.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

from ib_harness.broker import BaseBroker, IBKRInsyncBroker

BrokerFactory = Callable[..., BaseBroker]
DEFAULT = "ib_harness.scenarios.broker_factory:default_factory"


class BrokerFactoryError(ValueError):
    """A ``--broker`` factory that cannot be used; the message names it and the problem."""


def default_factory(host: str, port: int, client_id: int, settings: dict[str, Any]) -> IBKRInsyncBroker:
    """The library's own broker (what runs when no ``--broker`` is given)."""
    return IBKRInsyncBroker(host, port, client_id, **settings)


def load_factory(spec: str) -> BrokerFactory:
    """Import ``module:attribute`` (the attribute may be dotted) and check that it is callable."""
    module_name, sep, attribute = spec.partition(":")
    if not sep or not module_name or not attribute:
        raise BrokerFactoryError(f"--broker {spec!r}: expected module:factory, e.g. my_broker.factory:make_broker")
    try:
        target: Any = importlib.import_module(module_name)
    except Exception as exc:  # ImportError, or the module itself failing on import
        raise BrokerFactoryError(f"--broker {spec!r}: cannot import module {module_name!r}: "
                                 f"{type(exc).__name__}: {exc}") from None
    for part in attribute.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise BrokerFactoryError(f"--broker {spec!r}: module {module_name!r} has no attribute {attribute!r}") \
                from None
    if not callable(target):
        raise BrokerFactoryError(f"--broker {spec!r}: {attribute!r} is a {type(target).__name__}, not a callable")
    return target  # type: ignore[no-any-return]


def build_broker(factory: BrokerFactory, host: str, port: int, client_id: int,
                 settings: dict[str, Any], name: str = "") -> BaseBroker:
    """Call the factory; its result must be a BaseBroker."""
    label = name or getattr(factory, "__qualname__", repr(factory))
    try:
        broker = factory(host=host, port=port, client_id=client_id, settings=dict(settings))
    except BrokerFactoryError:
        raise
    except Exception as exc:
        raise BrokerFactoryError(f"broker factory {label} raised {type(exc).__name__}: {exc}") from exc
    if not isinstance(broker, BaseBroker):
        raise BrokerFactoryError(f"broker factory {label} returned {type(broker).__name__}, "
                                 f"not an ib_harness.broker.BaseBroker")
    return broker


def check_factory(spec: str) -> BrokerFactory:
    """Load ``spec`` up front (before anything runs), so bad input fails fast with exit 2."""
    return load_factory(spec)
