"""``ib-harness explore``: generated fault schedules and workloads against any broker, invariants
checked on every run, a violation shrunk to an ordinary library-format YAML scenario.

- :mod:`.fault_params`: how each fault kind of the gateway's registry is drawn (weights, params);
- :mod:`.generate`: one seed -> one scenario (fault schedule + workload + invariant expectations);
- :mod:`.run`: run one generated scenario (the one place the clock is chosen);
- :mod:`.shrink`: delta debugging of a failing scenario's steps;
- :mod:`.cli`: the command.
"""
