"""ib-harness: a fake IB Gateway on the real TWS wire protocol, fault scenarios and a supervised broker.

Everything ships under this one namespace (``ib_harness.fake_gateway``, ``ib_harness.broker``,
``ib_harness.scenarios``, ``ib_harness.load``) so installing it never shadows a user's own packages.
"""

__version__ = "0.1.0"
