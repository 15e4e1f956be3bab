"""Field-level fuzzing of every request layout the gateway reads (issue 23 item 5).

The wire table (``INCOMING``) is the source of truth: each layout is traced once with a reader
that records the fields it asks for (so the custom decoders, placeOrder included, are covered
the same way as the slot tables), and each example sends one request of one layout with every
field drawn anew: plausible values, real templates, IB's sentinels, extremes (``1e308``,
``999999 Y``, ``-2**63``, ``nan``, ``inf``), garbage text. The request goes out on one long-lived
session, followed by reqCurrentTime: the session must answer it (no request can kill a session)
and the gateway must never log an internal error.

``HYPOTHESIS_PROFILE=full`` runs 10,000 examples (reported in docs/fake-gateway-fidelity.md);
the default ``layout-ci`` profile is small enough for ``make test``.
"""

from __future__ import annotations

import itertools
import logging
import os
from typing import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ib_harness.fake_gateway.wire.reading import FieldReader
from ib_harness.fake_gateway.wire.table import INCOMING

from .gateway_thread import BlockingClient, GatewayThread

VERSION = 176
START_API = 71
settings.register_profile("layout-ci", max_examples=300, deadline=None, derandomize=True,
                          suppress_health_check=list(HealthCheck))
settings.register_profile("full", max_examples=10_000, deadline=None, derandomize=True,
                          suppress_health_check=list(HealthCheck))
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "layout-ci")
if PROFILE not in ("layout-ci", "full"):
    PROFILE = "layout-ci"


class _Tracer(FieldReader):
    """A reader that answers every read with a neutral value and records (name, kind)."""

    def __init__(self, request: str) -> None:
        super().__init__([], request)
        self.layout: list[tuple[str, str]] = []

    def str(self, name: str = "") -> str:
        self.layout.append((name, "str"))
        return ""

    def int(self, name: str = "", default: int = 0) -> int:
        self.layout.append((name, "int"))
        return 0

    def float(self, name: str = "", default: float = 0.0) -> float:
        self.layout.append((name, "float"))
        return 0.0


def traced_layout(msg_id: int) -> list[tuple[str, str]]:
    """The fields a request of ``msg_id`` consists of at VERSION (the default path of its decoder)."""
    spec = INCOMING[msg_id]
    tracer = _Tracer(spec.name)
    if spec.custom is not None:
        spec.custom(tracer, VERSION)
    else:
        spec._read_slots(tracer, VERSION)
    return tracer.layout


LAYOUTS = {msg_id: traced_layout(msg_id) for msg_id in sorted(INCOMING) if msg_id != START_API}

TOKENS = ["", "0", "1", "-1", "2", "3", "AAPL", "EUR", "ES", "STK", "CASH", "FUT", "OPT", "BAG", "IND",
          "SMART", "IDEALPRO", "CME", "USD", "BUY", "SELL", "SSHORT", "LMT", "MKT", "STP", "TRAIL",
          "DAY", "GTC", "GTD", "IOC", "OPG", "TRADES", "MIDPOINT", "BID_ASK", "1 D", "30 S", "999999 Y",
          "1 secs", "1 hour", "4 hours", "1 day", "1 week", "20261127 10:00:00 US/Eastern", "20261127-15:00:00",
          "265598", "12087792", "DU1234567", "All", "NetLiquidation", "$LEDGER", "C", "P", "100",
          "202612", "20261218", "None", "IB", "Last", "AllLast", "BidAsk", "1,2,3", "233,236"]
EXTREMES = ["1e308", "-1e308", "1.7976931348623157E308", "nan", "inf", "-inf", "Infinity", "1e-320", "-0",
            "9" * 400, str(2**31 - 1), str(2**31), str(-2**31), str(2**63), str(-2**63 - 1), "0x10",
            "1_000", " 1", "1.5", "-5", "99999999999999999999", "1e9", "1e10",
            "999999 Y", "2147483648 D", "0 D", "-1 S", "1e308 S", "10000 W", "1 Y Y", "86400 S", "1 month",
            "99999 secs", "0 mins", "19700101 00:00:00", "99991231 23:59:59", "20261127 25:61:61 Mars/Base"]
VALUE = st.one_of(
    st.sampled_from(TOKENS),
    st.sampled_from(EXTREMES),
    st.integers(-2**70, 2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(alphabet=st.characters(blacklist_characters="\0", blacklist_categories=("Cs",)), max_size=20),
)


# A plausible value per field name, so that a request with one field spoiled reaches deep into
# its handler (the contract resolves, the order validates) instead of stopping at the first check.
PLAUSIBLE = {
    "conId": "265598", "symbol": "AAPL", "secType": "STK", "exchange": "SMART", "currency": "USD",
    "durationStr": "1 D", "barSizeSetting": "1 hour", "whatToShow": "TRADES", "useRTH": "1", "formatDate": "1",
    "action": "BUY", "totalQuantity": "10", "orderType": "LMT", "lmtPrice": "150", "auxPrice": "", "tif": "DAY",
    "account": "DU1234567", "acctCode": "DU1234567", "transmit": "1", "version": "1", "groupName": "All",
    "tags": "NetLiquidation", "numRows": "5", "numIds": "1", "subscribe": "1", "marketDataType": "1",
    "genericTickList": "", "tickType": "Last", "numberOfTicks": "10", "startDateTime": "20261127 10:00:00",
    "endDateTime": "", "strike": "0", "right": "", "ticks": "10", "barSize": "5", "modelCode": "",
}


_IDS = itertools.count(1000)


def plausible(name: str, kind: str) -> str:
    if name in PLAUSIBLE:
        return PLAUSIBLE[name]
    if name.lower().endswith("reqid") or name in ("tickerId", "orderId", "id"):
        return str(next(_IDS))  # fresh: a reused id would stop the request at "duplicate id"
    return "0" if kind in ("int", "float") else ""


# Every (layout, field) pair: an example picks one uniformly, so each field of each layout gets
# its share of the examples (placeOrder's 114 fields are not drowned by the small layouts).
FIELD_SLOTS = [(msg_id, index) for msg_id, layout in LAYOUTS.items() for index in range(1, len(layout) + 1)]
EMPTY_LAYOUTS = [msg_id for msg_id, layout in LAYOUTS.items() if not layout]
SPOILED = st.one_of(st.sampled_from(EXTREMES), VALUE)


def plausible_request(msg_id: int) -> list[str]:
    return [str(msg_id)] + [plausible(name, kind) for name, kind in LAYOUTS[msg_id]]


@st.composite
def request(draw: st.DrawFn) -> list[str]:
    """A plausible request of one layout with one field spoiled (sometimes more, sometimes all,
    sometimes cut short or lengthened)."""
    if draw(st.integers(0, 19), label="empty layout") == 0:
        fields = [str(draw(st.sampled_from(EMPTY_LAYOUTS), label="message"))]
    else:
        msg_id, index = draw(st.sampled_from(FIELD_SLOTS), label="field")
        layout = LAYOUTS[msg_id]
        fields = plausible_request(msg_id)
        fields[index] = draw(SPOILED, label=layout[index - 1][0] or "value")
        shape = draw(st.integers(0, 9), label="shape")
        if shape == 0:  # every field random
            fields = [str(msg_id)] + [draw(VALUE, label=name or kind) for name, kind in layout]
        elif shape == 1:  # a second field spoiled
            other = draw(st.integers(1, len(layout)), label="second field")
            fields[other] = draw(SPOILED, label=layout[other - 1][0] or "value")
        elif shape == 2:  # too short or too long
            fields = fields[:draw(st.integers(1, len(fields)), label="keep")] + draw(st.lists(VALUE, max_size=5), label="extra")
    return fields


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            frame = exc.__traceback__
            while frame is not None and frame.tb_next is not None:
                frame = frame.tb_next
            where = f"{frame.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{frame.tb_lineno}" if frame else "?"
            message += f": {type(exc).__name__}: {exc} at {where}"
        self.messages.append(message)


class Session:
    """One long-lived client; after a failing example (a killed session) the next one reconnects,
    so Hypothesis can shrink a failure without every later example failing too."""

    def __init__(self, gateway: GatewayThread, errors: _Errors) -> None:
        self.gateway, self.errors = gateway, errors
        self.client: BlockingClient | None = None
        self.client_ids = iter(range(1, 10**6))

    def live(self) -> BlockingClient:
        if self.client is None:
            self.client = BlockingClient(self.gateway.address, timeout=10.0)
            self.client.handshake(next(self.client_ids))
        return self.client

    def drop(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None


@pytest.fixture(scope="module")
def session() -> Iterator[Session]:
    errors = _Errors()
    logger = logging.getLogger("ib_harness.fake_gateway")
    logger.addHandler(errors)
    internal = _InternalErrors(errors)
    logging.getLogger("ib_harness.fake_gateway.session").addHandler(internal)
    try:
        with GatewayThread(market_ticker=False, max_messages_per_second=1_000_000) as gateway:
            holder = Session(gateway, errors)
            yield holder
            holder.drop()
    finally:
        logger.removeHandler(errors)
        logging.getLogger("ib_harness.fake_gateway.session").removeHandler(internal)


class _InternalErrors(logging.Handler):
    """Warnings that say a session was closed (a request killed it) count as failures too."""

    def __init__(self, errors: _Errors) -> None:
        super().__init__(logging.WARNING)
        self.errors = errors

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "closing the connection" in message or "internal error" in message:
            self.errors.messages.append(message)


def test_every_layout_is_traced() -> None:
    assert set(LAYOUTS) == set(INCOMING) - {START_API}
    assert len(LAYOUTS[3]) > 80  # placeOrder's custom decoder is traced field by field


def test_every_field_survives_every_extreme_value(session: Session) -> None:
    """The deterministic floor under the random search: each field of each layout, alone, set to
    each extreme value."""
    failures = []
    for msg_id, index in FIELD_SLOTS:
        batch = []
        for value in EXTREMES:
            fields = plausible_request(msg_id)
            fields[index] = value
            batch.append(fields)
        try:
            check(session, *batch)  # one round trip per field; on a failure, find the value
        except AssertionError:
            for fields in batch:
                try:
                    check(session, fields)
                except AssertionError as exc:
                    failures.append(str(exc)[-400:])
    assert not failures, f"{len(failures)} failures, e.g. " + "\n".join(failures[:10])


@settings(settings.get_profile(PROFILE))
@given(fields=request())
def test_no_field_value_can_kill_the_session(session: Session, fields: list[str]) -> None:
    check(session, fields)


def check(session: Session, *requests: list[str]) -> None:
    """Send the requests then reqCurrentTime on the live session: answered, nothing logged as an error."""
    client, errors = session.live(), session.errors
    before = len(errors.messages)
    fields = requests[-1]
    try:
        for fields in requests:
            client.send(fields)
        client.send(["49", "1"])
        frames = client.read_until("49")
    except (EOFError, ConnectionError, OSError) as exc:
        session.drop()
        raise AssertionError(f"{fields!r}: the session died ({exc!r}); gateway said {errors.messages[before:]}") from None
    assert frames[-1][0] == "49"
    if errors.messages[before:]:
        session.drop()
        raise AssertionError(f"{fields!r} -> {errors.messages[before:]}")
