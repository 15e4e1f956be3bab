"""``python -m ib_harness``: the same as the ``ib-harness`` command."""

import sys

from ib_harness.cli import main

sys.exit(main())
