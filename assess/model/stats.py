"""Statistics of a rate series on the timescale ladder (DOMAIN.md section 2).

At 5-minute granularity burst-generative and sustained-agentic load both look smooth; at 1 s
they do not. So every statistic is computed at T in {1, 10, 60, 300} s, by averaging the finest
bins into windows of T seconds (partial windows at the end are dropped).

Percentiles use the nearest-rank method, ``k = ceil(q * n)``, as billing tools do.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

TIMESCALES_S: tuple[int, ...] = (1, 10, 60, 300)
#: Duty cycle counts windows at or above this fraction of the series' mean at that timescale
#: (assumption: a window carrying less than a tenth of the average is "quiet").
DUTY_FLOOR_OF_MEAN = 0.10


class LadderStats(BaseModel):
    """Statistics of one series at one timescale. Rates in bits/s; ratios dimensionless.

    ``peak_to_mean`` = max/mean, ``p99_to_mean`` = p99/mean, ``cov`` = sigma_T/mean,
    ``duty_cycle`` = share of windows >= 10 % of the mean. Ratios are 0 for an all-zero series.
    """

    model_config = ConfigDict(frozen=True)
    timescale_s: int
    n: int
    mean_bps: float
    p50_bps: float
    p95_bps: float
    p99_bps: float
    max_bps: float
    peak_to_mean: float
    p99_to_mean: float
    cov: float
    duty_cycle: float


def lognormal(
    rng: np.random.Generator, median: float, sigma: float, size: int | tuple[int, ...]
) -> NDArray[np.float64]:
    """Lognormal draws with the given ``median`` and log-space ``sigma``: ``median * exp(sigma * N(0, 1))``
    (mean ``median * exp(sigma**2 / 2)``); server and model times in the traffic and latency models."""
    if sigma == 0:
        return np.full(size, float(median))
    return np.asarray(median * np.exp(sigma * rng.standard_normal(size)), dtype=np.float64)


def nearest_rank(values: NDArray[np.float64], q: float) -> float:
    """The nearest-rank ``q``-quantile (0 < q <= 1): the ``ceil(q*n)``-th smallest value.

    Raises:
        ValueError: empty input or q outside (0, 1].
    """
    if values.size == 0:
        raise ValueError("percentile of an empty series")
    if not 0 < q <= 1:
        raise ValueError(f"q must be in (0, 1], got {q}")
    k = math.ceil(q * values.size)
    return float(np.partition(values, k - 1)[k - 1])


def aggregate(series_bps: NDArray[np.float64], bin_s: float, timescale_s: float) -> NDArray[np.float64]:
    """Mean rate over consecutive windows of ``timescale_s`` (a multiple of ``bin_s``).

    Raises:
        ValueError: the timescale is not a whole multiple of the bin, or longer than the series.
    """
    k = timescale_s / bin_s
    if abs(k - round(k)) > 1e-9 or k < 1:
        raise ValueError(f"timescale {timescale_s} s is not a multiple of the {bin_s} s bin")
    k = int(round(k))
    m = series_bps.size // k
    if m == 0:
        raise ValueError(f"series of {series_bps.size * bin_s} s is shorter than {timescale_s} s")
    return np.asarray(series_bps[: m * k].reshape(m, k).mean(axis=1), dtype=float)


def ladder(
    series_bps: NDArray[np.float64], bin_s: float, timescales_s: tuple[int, ...] = TIMESCALES_S
) -> list[LadderStats]:
    """``LadderStats`` of a bits/s series at each timescale it is long enough for."""
    out = []
    for T in timescales_s:
        if bin_s > T or series_bps.size * bin_s < T:
            continue
        x = aggregate(series_bps, bin_s, T)
        mean = float(x.mean())
        peak = float(x.max())
        # The three nearest ranks from one partial sort (same values as ``nearest_rank``).
        ks = [math.ceil(q * x.size) - 1 for q in (0.50, 0.95, 0.99)]
        part = np.partition(x, ks)
        p50, p95, p99 = (float(part[k]) for k in ks)
        out.append(
            LadderStats(
                timescale_s=T,
                n=int(x.size),
                mean_bps=mean,
                p50_bps=p50,
                p95_bps=p95,
                p99_bps=p99,
                max_bps=peak,
                peak_to_mean=peak / mean if mean > 0 else 0.0,
                p99_to_mean=p99 / mean if mean > 0 else 0.0,
                cov=float(x.std()) / mean if mean > 0 else 0.0,
                duty_cycle=float(np.mean(x >= DUTY_FLOOR_OF_MEAN * mean)) if mean > 0 else 0.0,
            )
        )
    return out


def index_of_dispersion(event_times_s: NDArray[np.float64], horizon_s: float, window_s: float) -> float:
    """IDC(T) = Var/mean of the number of events per window of ``window_s`` over
    ``[0, horizon_s)`` (DOMAIN.md 2): 1 for a Poisson process, ``E[B^2]/E[B]`` for batches of
    size ``B`` arriving as Poisson (compound Poisson). Raises ``ValueError`` on fewer than two
    windows or no events."""
    n = int(horizon_s // window_s)
    if n < 2:
        raise ValueError(f"need at least two {window_s} s windows in {horizon_s} s")
    t = np.asarray(event_times_s, dtype=np.float64)
    t = t[(t >= 0) & (t < n * window_s)]
    counts = np.bincount((t // window_s).astype(np.int64), minlength=n)
    mean = float(counts.mean())
    if mean == 0:
        raise ValueError("no events in the horizon")
    return float(counts.var()) / mean
