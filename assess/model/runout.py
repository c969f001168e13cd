"""Runout: when a link reaches its threshold, from daily p95 history (DOMAIN.md 3).

Input is one value per day: the p95 of that day's 5-minute means (bits/s). Two growth models,
each with a band:

* linear, Theil-Sen slope ``b`` (the median of all pairwise slopes; Theil 1950, Sen 1968),
  robust to outliers and to a few missing days: ``t = (u*C - y_now) / b``;
* compound growth ``g`` per day from the Theil-Sen slope of ``ln y``:
  ``t = ln(u*C / y_now) / ln(1 + g)``.

``y_now`` is the Theil-Sen line at the last day. The band comes from Sen's 95 % confidence
interval of the slope (the pairwise slopes ranked ``(N -/+ z*sqrt(n(n-1)(2n+5)/18)) / 2``, the
same rule as ``scipy.stats.theilslopes``). A slope <= 0 means "no runout". The AI roll-out is a
step: the link's modelled AI p95 is added to ``y_now`` (and grows with the same trend). At
least 7 days are required (SolarWinds requires 7 as well); a weekday/weekend difference above
20 % is flagged, since a linear trend then depends on which days the window starts and ends.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

MIN_DAYS = 7
#: 95 % two-sided normal quantile for Sen's slope interval.
Z_95 = 1.959964
DAYS_PER_MONTH = 30.4375
HORIZONS_MONTHS = (6, 12, 24)
SEASONALITY_RATIO = 0.20


class Projection(BaseModel):
    """Projected daily p95 at a horizon (bits/s and % of circuit), linear trend, with AI."""

    model_config = ConfigDict(frozen=True)
    months: int
    bps: float
    pct: float
    with_ai_pct: float


class Runout(BaseModel):
    """Runout of one link direction. Days from the last day of history; ``None`` = no runout
    within the trend (slope <= 0). ``band`` pairs are (early, late) from Sen's 95 % interval."""

    model_config = ConfigDict(frozen=True)
    days_of_history: int
    y_now_bps: float
    threshold_bps: float
    slope_bps_per_day: float
    slope_band_bps_per_day: tuple[float, float]
    linear_days: float | None
    linear_days_band: tuple[float | None, float | None]
    compound_growth_per_month: float | None
    compound_days: float | None
    linear_days_with_ai: float | None
    projections: list[Projection]
    seasonality: str | None


def theil_sen(x: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[float, float, float, float]:
    """Theil-Sen ``(slope, intercept, slope_low, slope_high)`` with Sen's 95 % interval.

    Raises ``ValueError`` with fewer than 3 points or all ``x`` equal."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.size < 3:
        raise ValueError("Theil-Sen needs at least 3 points")
    i, j = np.triu_indices(x.size, k=1)
    dx = x[j] - x[i]
    ok = dx != 0
    if not ok.any():
        raise ValueError("Theil-Sen needs at least two distinct x")
    slopes = np.sort((y[j] - y[i])[ok] / dx[ok])
    slope = float(np.median(slopes))
    intercept = float(np.median(y - slope * x))
    n, m = x.size, slopes.size
    c = Z_95 * math.sqrt(n * (n - 1) * (2 * n + 5) / 18)
    lo = int(np.clip(round((m - c) / 2), 0, m - 1))
    hi = int(np.clip(round((m + c) / 2), 0, m - 1))
    return slope, intercept, float(slopes[lo]), float(slopes[hi])


def _days_to(threshold: float, now: float, slope: float) -> float | None:
    if now >= threshold:
        return 0.0
    return (threshold - now) / slope if slope > 0 else None


def runout(
    day: NDArray[np.float64],
    p95_bps: NDArray[np.float64],
    circuit_bps: float,
    *,
    threshold_share: float = 0.80,
    ai_p95_bps: float = 0.0,
    weekday: NDArray[np.int64] | None = None,
) -> Runout:
    """Runout of a daily p95 series: ``day`` (day numbers, shape ``(n,)``) and ``p95_bps``.

    ``threshold_share``: the share of ``circuit_bps`` that counts as full (0.80: the critical
    threshold of DOMAIN.md 3). ``ai_p95_bps``: the modelled AI p95 added as a step now.
    ``weekday``: 0-6 per day (Monday = 0), for the seasonality check.

    Raises:
        ValueError: fewer than ``MIN_DAYS`` days, or a negative rate.
    """
    x = np.asarray(day, dtype=np.float64)
    y = np.asarray(p95_bps, dtype=np.float64)
    if x.size < MIN_DAYS:
        raise ValueError(f"runout needs at least {MIN_DAYS} days of history, got {x.size}")
    if float(y.min()) < 0:
        raise ValueError("p95_bps has a negative rate")
    b, a, b_lo, b_hi = theil_sen(x, y)
    last = float(x.max())
    y_now = max(a + b * last, 0.0)
    thr = threshold_share * circuit_bps
    linear = _days_to(thr, y_now, b)
    band = (_days_to(thr, y_now, b_hi), _days_to(thr, y_now, b_lo))
    growth: float | None = None
    compound: float | None = None
    if float(y.min()) > 0:
        gb, ga, _, _ = theil_sen(x, np.log(y))
        g = math.expm1(gb)
        growth = math.expm1(gb * DAYS_PER_MONTH)
        now_c = math.exp(ga + gb * last)
        compound = 0.0 if now_c >= thr else (math.log(thr / now_c) / math.log1p(g) if g > 0 else None)
    with_ai = _days_to(thr, y_now + ai_p95_bps, b)
    projections = []
    for months in HORIZONS_MONTHS:
        v = max(y_now + b * months * DAYS_PER_MONTH, 0.0)
        projections.append(
            Projection(
                months=months,
                bps=v,
                pct=100 * v / circuit_bps,
                with_ai_pct=100 * (v + ai_p95_bps) / circuit_bps,
            )
        )
    seasonality = None
    if weekday is not None:
        wd = np.asarray(weekday)
        week, end = y[wd < 5], y[wd >= 5]
        if week.size and end.size:
            mw, me = float(np.median(week)), float(np.median(end))
            if mw > 0 and abs(mw - me) / mw > SEASONALITY_RATIO:
                seasonality = (
                    f"weekend p95 {100 * (me / mw - 1):+.0f} % against weekdays: the trend depends on which "
                    "days the history starts and ends; use whole weeks"
                )
    return Runout(
        days_of_history=int(x.size),
        y_now_bps=y_now,
        threshold_bps=thr,
        slope_bps_per_day=b,
        slope_band_bps_per_day=(b_lo, b_hi),
        linear_days=linear,
        linear_days_band=band,
        compound_growth_per_month=growth,
        compound_days=compound,
        linear_days_with_ai=with_ai,
        projections=projections,
        seasonality=seasonality,
    )
