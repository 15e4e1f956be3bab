"""Black-Scholes prices, greeks and implied volatility: the option model behind option quotes,
tickOptionComputation, calculateOptionPrice and calculateImpliedVolatility.

European exercise on a non-dividend-paying underlying at a flat rate: the shape a client sees
(price rising with volatility and moneyness, delta between 0 and +-1, theta negative) is IB's,
the numbers are a model's. Greeks are in IB's units: vega per 1 volatility point (0.01), theta
per calendar day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

RATE = 0.05
MIN_TIME = 1.0 / (365 * 24)  # an hour: at expiry the model keeps a sliver of time value
MIN_VOL, MAX_VOL = 0.01, 5.0


@dataclass(frozen=True)
class Greeks:
    """One option computation, in the order tickOptionComputation sends it."""

    implied_vol: float
    delta: float
    price: float
    pv_dividend: float
    gamma: float
    vega: float
    theta: float
    und_price: float


def _norm_cdf(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _norm_pdf(x: float) -> float:
    return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def price_and_greeks(right: str, spot: float, strike: float, years: float, vol: float, rate: float = RATE) -> Greeks:
    """The model value and greeks of one call ("C") or put ("P")."""
    if spot <= 0 or strike <= 0:
        raise ValueError(f"spot and strike must be positive, got spot={spot} strike={strike}")
    t = max(years, MIN_TIME)
    sigma = min(max(vol, MIN_VOL), MAX_VOL)
    root_t = math.sqrt(t)
    d1 = (math.log(spot / strike) + (rate + 0.5 * sigma * sigma) * t) / (sigma * root_t)
    d2 = d1 - sigma * root_t
    discount = math.exp(-rate * t)
    if right.upper().startswith("C"):
        price = spot * _norm_cdf(d1) - strike * discount * _norm_cdf(d2)
        delta = _norm_cdf(d1)
        theta_year = -spot * _norm_pdf(d1) * sigma / (2 * root_t) - rate * strike * discount * _norm_cdf(d2)
    else:
        price = strike * discount * _norm_cdf(-d2) - spot * _norm_cdf(-d1)
        delta = _norm_cdf(d1) - 1.0
        theta_year = -spot * _norm_pdf(d1) * sigma / (2 * root_t) + rate * strike * discount * _norm_cdf(-d2)
    gamma = _norm_pdf(d1) / (spot * sigma * root_t)
    vega = spot * _norm_pdf(d1) * root_t / 100.0
    return Greeks(sigma, delta, max(price, 0.0), 0.0, gamma, vega, theta_year / 365.0, spot)


def implied_volatility(right: str, option_price: float, spot: float, strike: float, years: float,
                       rate: float = RATE) -> float | None:
    """The volatility at which the model prices the option at ``option_price`` (bisection);
    None when no volatility can (a price below intrinsic value or above the underlying)."""
    low, high = MIN_VOL, MAX_VOL
    if not price_and_greeks(right, spot, strike, years, low, rate).price <= option_price <= \
            price_and_greeks(right, spot, strike, years, high, rate).price:
        return None
    for _ in range(100):
        mid = 0.5 * (low + high)
        if price_and_greeks(right, spot, strike, years, mid, rate).price < option_price:
            low = mid
        else:
            high = mid
        if high - low < 1e-7:
            break
    return 0.5 * (low + high)


def smile(base_vol: float, spot: float, strike: float, years: float) -> float:
    """A skewed smile: puts (low strikes) richer than calls, curvature shrinking with time."""
    moneyness = math.log(strike / spot) / math.sqrt(max(years, 1 / 365))
    return max(MIN_VOL, base_vol * (1.0 - 0.08 * moneyness + 0.04 * moneyness * moneyness))
