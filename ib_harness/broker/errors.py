"""The typed errors a caller can catch: every failure of a broker call is one of these."""

from __future__ import annotations


class BrokerError(Exception):
    """Base of every error the broker raises on purpose."""


class BrokerUnavailable(BrokerError):
    """The broker is not ready (or the connection died under the call); nothing was answered."""

    def __init__(self, state: str, last_error: str | None = None) -> None:
        self.state = state
        self.last_error = last_error
        super().__init__(f"broker unavailable (state={state}, last error: {last_error or 'none'})")


class BrokerTimeout(BrokerError):
    """A request got no answer within its timeout."""

    def __init__(self, method: str, timeout: float) -> None:
        self.method = method
        self.timeout = timeout
        super().__init__(f"{method} got no answer within {timeout} s")


class OrderRejected(BrokerError):
    """Risk checks or IB refused the order; ``reason`` says why."""

    def __init__(self, reason: str, code: int | None = None) -> None:
        self.reason = reason
        self.code = code
        super().__init__(reason if code is None else f"IB error {code}: {reason}")


class OrderUnconfirmed(BrokerTimeout):
    """The order was sent, and IB neither acknowledged it within the ack timeout nor showed it in
    the answer to the look-up that followed. It may be working at IB (its messages were lost): do
    not place it again under another key. Its journal status stays PENDING while reconcile keeps
    asking; it becomes what the gateway shows, or NOT_SENT once its absence is proved."""

    def __init__(self, key: str, timeout: float, why: str) -> None:
        self.method, self.timeout, self.key = "place_order", timeout, key
        BrokerError.__init__(self, f"place_order: order {key} was sent but is unconfirmed ({why}); "
                                   "reconcile keeps asking the gateway; do not place it again")


class OrderNotSent(BrokerError):
    """The gateway provably never received the order: the session was down before the send (no
    byte written), or its absence was proved (docs/guarantees-orders.md)."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(f"order {key} never reached the gateway; it was not sent and will not be resent")


class UnknownOrder(BrokerError):
    def __init__(self, ref: str | int) -> None:
        super().__init__(f"no order with key or id {ref!r}")


class MarketDataUnavailable(BrokerError):
    """No usable price: IB said so (10197, 354, 200) or the farm is down."""

    def __init__(self, symbol: str, reason: str) -> None:
        self.symbol = symbol
        self.reason = reason
        super().__init__(f"market data for {symbol} unavailable: {reason}")


class RequestFailed(BrokerError):
    """IB answered a request with an error (e.g. 162 pacing, 200 no security definition)."""

    def __init__(self, method: str, code: int, message: str) -> None:
        self.method = method
        self.code = code
        super().__init__(f"{method}: IB error {code}: {message}")


class JournalError(BrokerError):
    """The order journal file cannot be used: its directory cannot be made, it is read-only,
    corrupt, or owned by another process. The message names the file."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"order journal {path}: {problem}")
