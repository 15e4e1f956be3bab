"""Layouts of session, account and contract-lookup requests."""

from __future__ import annotations

from typing import Any

from .fields import B, I, S
from .reading import FieldReader, RequestSpec, read_contract


def _decode_contract_details(reader: FieldReader, version: int) -> dict[str, Any]:
    reader.int("version")
    req_id = reader.int("reqId")
    contract = read_contract(reader)
    contract["includeExpired"] = reader.bool("includeExpired")
    contract["secIdType"] = reader.str("secIdType")
    contract["secId"] = reader.str("secId")
    if version >= 176:
        contract["issuerId"] = reader.str("issuerId")
    return {"reqId": req_id, "contract": contract}


START_API = RequestSpec(71, "startApi", (I("version"), I("clientId"), S("optionalCapabilities")))
REQ_CURRENT_TIME = RequestSpec(49, "reqCurrentTime", (I("version"),))
REQ_POSITIONS = RequestSpec(61, "reqPositions", (I("version"),))
CANCEL_POSITIONS = RequestSpec(64, "cancelPositions", (I("version"),))
REQ_ACCOUNT_UPDATES = RequestSpec(6, "reqAccountUpdates", (I("version"), B("subscribe"), S("acctCode")))
REQ_ACCOUNT_SUMMARY = RequestSpec(62, "reqAccountSummary", (I("version"), I("reqId"), S("groupName"), S("tags")))
CANCEL_ACCOUNT_SUMMARY = RequestSpec(63, "cancelAccountSummary", (I("version"), I("reqId")))
REQ_POSITIONS_MULTI = RequestSpec(74, "reqPositionsMulti", (I("version"), I("reqId"), S("account"), S("modelCode")))
CANCEL_POSITIONS_MULTI = RequestSpec(75, "cancelPositionsMulti", (I("version"), I("reqId")))
REQ_ACCOUNT_UPDATES_MULTI = RequestSpec(76, "reqAccountUpdatesMulti", (
    I("version"), I("reqId"), S("account"), S("modelCode"), B("ledgerAndNLV"),
))
CANCEL_ACCOUNT_UPDATES_MULTI = RequestSpec(77, "cancelAccountUpdatesMulti", (I("version"), I("reqId")))
REQ_CONTRACT_DETAILS = RequestSpec(9, "reqContractDetails", custom=_decode_contract_details)

REQUESTS = (
    START_API, REQ_CURRENT_TIME, REQ_POSITIONS, CANCEL_POSITIONS, REQ_ACCOUNT_UPDATES,
    REQ_ACCOUNT_SUMMARY, CANCEL_ACCOUNT_SUMMARY, REQ_POSITIONS_MULTI, CANCEL_POSITIONS_MULTI,
    REQ_ACCOUNT_UPDATES_MULTI, CANCEL_ACCOUNT_UPDATES_MULTI, REQ_CONTRACT_DETAILS,
)
