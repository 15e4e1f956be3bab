"""An example of a user's own broker, outside ib_harness: replayed and explored by ib-harness.

``ib-harness replay --broker my_broker:make_broker`` (with ``examples/`` on PYTHONPATH) builds it
through :func:`make_broker`.
"""

from .broker import SimpleBroker, make_broker

__all__ = ["SimpleBroker", "make_broker"]
