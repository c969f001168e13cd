"""Retry storms: how client retries amplify AI load on a link that drops (DOMAIN.md 3, issue 4).

When a link overloads, calls time out or fail and agents retry. Each retry is more load on the
same link, so more calls fail: a feedback loop. With each attempt failing with probability
``p`` and at most ``R`` retries, a call makes ``a(p) = (1 - p**(R+1)) / (1 - p)`` attempts on
average. ``p`` itself is the drop share of the link's fluid queue fed with
``baseline + a * ai_load``, so the amplification is the fixed point of ``a -> a(p(a))``,
found by iteration (it is monotone and bounded by ``R + 1``).

A retry budget (retries at most a fixed share of first attempts; gRPC and Envoy retry budgets,
Google SRE book ch. 22 "Addressing Cascading Failures": 10 %) caps ``a`` at ``1 + budget``.
Retries are assumed spread evenly over the series (backoff with jitter); synchronised retries
are burstier, so this is a lower bound on the damage.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

from assess.model.queue import fluid_queue

#: Retries per call when nothing else is known: the AWS SDKs' standard mode makes 3 attempts and
#: OpenAI's Python SDK retries twice; 3 retries (assumption) sits at the top of that range.
DEFAULT_MAX_RETRIES = 3
#: Retry budget: retries at most 10 % of first attempts (Google SRE book, ch. 22).
DEFAULT_RETRY_BUDGET = 0.10


class RetryResult(BaseModel):
    """``amplification``: attempts per call at the fixed point; ``failure``: per-attempt drop
    probability there; ``goodput``: share of calls that eventually succeed."""

    model_config = ConfigDict(frozen=True)
    amplification: float
    failure: float
    goodput: float
    iterations: int


def attempts(p: float, max_retries: int, budget: float | None = None) -> float:
    """Attempts per call with per-attempt failure ``p`` and up to ``max_retries`` retries;
    with a ``budget`` (share of first attempts), at most ``1 + budget``."""
    if not 0 <= p <= 1:
        raise ValueError(f"failure probability must be in [0, 1], got {p}")
    a = float(max_retries + 1) if p >= 1 else (1 - p ** (max_retries + 1)) / (1 - p)
    return min(a, 1 + budget) if budget is not None else a


def retry_amplification(
    baseline_bps: NDArray[np.floating],
    ai_bps: NDArray[np.floating],
    capacity_bps: float,
    buffer_bits: float,
    *,
    max_retries: int = DEFAULT_MAX_RETRIES,
    budget: float | None = None,
    dt_s: float = 1.0,
    tol: float = 1e-4,
    max_iterations: int = 100,
) -> RetryResult:
    """Fixed point of retry amplification of ``ai_bps`` on a link also carrying
    ``baseline_bps`` (both shape ``(n,)`` bits/s): see the module docstring.

    Raises ``ValueError`` for shapes that differ or negative retries/budget.
    """
    base = np.asarray(baseline_bps, dtype=np.float64)
    ai = np.asarray(ai_bps, dtype=np.float64)
    if base.shape != ai.shape:
        raise ValueError(f"baseline {base.shape} and ai {ai.shape} differ in shape")
    if max_retries < 0 or (budget is not None and budget < 0):
        raise ValueError("max_retries and budget must be >= 0")
    a, p, used = 1.0, 0.0, 0
    while used < max_iterations:
        used += 1
        p = fluid_queue(base + a * ai, capacity_bps, buffer_bits, dt_s).drop_share
        nxt = attempts(p, max_retries, budget)
        converged = abs(nxt - a) < tol
        a = nxt
        if converged:
            break
    return RetryResult(amplification=a, failure=p, goodput=1 - p ** (max_retries + 1), iterations=used)
