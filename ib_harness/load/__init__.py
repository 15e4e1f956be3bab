"""Load tests: Locust users against the broker API and the gateway (``ib-harness load``)."""
