"""Retry storms: the fixed point of retries on a dropping link, and what a retry budget does."""

from __future__ import annotations

import numpy as np
import pytest

from assess.model.queue import fluid_queue
from assess.model.retry import attempts, retry_amplification


def test_attempts_per_call() -> None:
    assert attempts(0.0, 3) == 1.0
    assert attempts(0.5, 3) == pytest.approx(1 + 0.5 + 0.25 + 0.125)
    assert attempts(1.0, 3) == 4.0
    assert attempts(0.5, 3, budget=0.1) == pytest.approx(1.1)


def test_no_overload_no_amplification() -> None:
    base, ai = np.full(600, 30e6), np.full(600, 10e6)
    r = retry_amplification(base, ai, 50e6, 5e6)
    assert (r.amplification, r.failure, r.goodput) == (1.0, 0.0, 1.0)


def test_overload_settles_at_the_fixed_point_and_a_budget_caps_it() -> None:
    rng = np.random.default_rng(2)
    base = np.full(3600, 35e6)
    ai = rng.gamma(2.0, 9e6, 3600)  # mean 18 Mb/s, bursty: 53 Mb/s offered on 50 Mb/s
    C, B = 50e6, 5e6
    r = retry_amplification(base, ai, C, B)
    assert r.amplification > 1.05
    # At the fixed point the drop share of the amplified load gives back the same attempts.
    p = fluid_queue(base + r.amplification * ai, C, B).drop_share
    assert r.failure == pytest.approx(p, rel=1e-3)
    assert r.amplification == pytest.approx(attempts(p, 3), rel=1e-3)
    capped = retry_amplification(base, ai, C, B, budget=0.10)
    assert capped.amplification <= 1.10 + 1e-9 and capped.failure < r.failure
