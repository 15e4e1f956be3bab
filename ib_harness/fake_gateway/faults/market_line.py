"""A market-data line that goes silent until it is requested again (2108).

IB sends ``2108 Market data farm connection is inactive but should be available upon demand`` and
the lines it fed stop: no error on them, no tick, the socket fine. They resume only when the client
asks again (cancel and re-request, or a new request); Lean.Brokerages.IB#80 has a line that never
resumed. When this fault fires, every market-data line of a targeted client (of ``symbol``, or all)
goes silent; a line the client cancels or requests again is live, as is every later line. Ending
the fault is the farm waking (2104): the lines still silent resume.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ..session import status
from ..session.streams import MKT_DATA
from ..wire import in_market
from .base import Fault, register
from .message_select import request_id_of
from .spec import FaultSpec

if TYPE_CHECKING:
    from ..session.session import Session

INACTIVE = "Market data farm connection is inactive but should be available upon demand.{}"
FARM_OK = "Market data farm connection is OK:{}"
# the messages that feed a market-data line: tickPrice, tickSize, tickGeneric, tickString, tickEFP,
# tickSnapshotEnd, marketDataType, tickOptionComputation, tickReqParams
LINE_MESSAGES = frozenset({1, 2, 45, 46, 47, 57, 58, 21, 81})
REREQUESTS = frozenset({in_market.REQ_MKT_DATA.msg_id, in_market.CANCEL_MKT_DATA.msg_id})


class MdLineInactiveSpec(FaultSpec):
    kind: Literal["md_line_inactive"]
    symbol: str | None = Field(None, description="only the lines of this symbol; absent: every line")
    farm: str = Field("usfarm", min_length=1, description="the farm IB names in the notice")


class MdLineInactive(Fault):
    """Silences the lines open when it fires; a re-request (or cancel) of a line revives it."""

    spec: MdLineInactiveSpec

    def __init__(self, spec: MdLineInactiveSpec) -> None:
        super().__init__(spec)
        self.silent: dict[int, set[int]] = {}  # session number -> request ids of its silent lines

    def attach(self, session: "Session") -> None:
        lines = [req_id for req_id, line in session.subscribed(MKT_DATA).items() if self._about(session, line)]
        if session.phase != "ready" or not lines:
            return  # a client connecting meanwhile has no line yet: the lines it opens are live
        self.silent[session.number] = set(lines)
        status.send_notice(session, 2108, INACTIVE.format(self.spec.farm))
        self.record("md_line_inactive", session, lines=sorted(lines), symbol=self.spec.symbol)

    def detach(self, session: "Session") -> None:
        if self.silent.pop(session.number, None):
            status.send_notice(session, 2104, FARM_OK.format(self.spec.farm))

    def on_outbound(self, session: "Session", msg_id: int | None, frame: bytes) -> list[bytes]:
        silent = self.silent.get(session.number)
        if silent and msg_id in LINE_MESSAGES and request_id_of(session, msg_id, frame) in silent:
            return []
        return [frame]

    def on_inbound_request(self, session: "Session", fields: list[str]) -> list[list[str]]:
        silent = self.silent.get(session.number)
        if silent and fields and fields[0].isdigit() and int(fields[0]) in REREQUESTS and len(fields) > 2:
            req_id = int(fields[2]) if fields[2].lstrip("-").isdigit() else None
            if req_id in silent:
                silent.discard(req_id)
                self.record("md_line_revived", session, line=req_id)
        return [fields]

    def _about(self, session: "Session", line: object) -> bool:
        if self.spec.symbol is None:
            return True
        contract = session.brokerage.catalog.by_con_id(getattr(line, "con_id", 0))
        return contract is not None and contract.symbol == self.spec.symbol


register("md_line_inactive", MdLineInactiveSpec, MdLineInactive)
