"""nextValidId rolled back on its own, without a restart.

Real gateways have handed out a nextValidId below ids already used ("updating nextValidId from
38103 to 38099", Lean.Brokerages.IB#242); a client that trusts it reuses ids and gets 103
"Duplicate order id", or worse cross-attributes callbacks. The daily restart can do this as part
of a restart; this fault does it alone: the next nextValidId the gateway hands out (a client's
connect or reqIds) is ``by`` below the last id used. IB-side state: no session is touched.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Fault, register
from .spec import FaultSpec


class OrderIdRollbackSpec(FaultSpec):
    kind: Literal["order_id_rollback"]
    by: int = Field(4, ge=0, description="the next nextValidId is this far below the last id used")


class OrderIdRollback(Fault):
    """One-shot: arms the rollback of the brokerage's next nextValidId, then ends."""

    per_session = False
    spec: OrderIdRollbackSpec

    def start(self) -> None:
        self.gateway.brokerage.roll_back_order_ids(self.spec.by)
        self.gateway.events.record("order_id_rollback", by=self.spec.by)
        self.finish()


register("order_id_rollback", OrderIdRollbackSpec, OrderIdRollback)
