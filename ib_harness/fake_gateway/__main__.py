"""``python -m ib_harness.fake_gateway``: the same as ``ib-harness gateway``."""

import sys

from .cli import main

sys.exit(main())
