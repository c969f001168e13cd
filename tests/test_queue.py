"""The fluid queue against DOMAIN.md 3's worked example and Lindley's recursion."""

from __future__ import annotations

import numpy as np
import pytest

from assess.model.queue import fluid_queue


def test_domain_example_fan_out_burst_drops_about_1_1_mb() -> None:
    # 150 x 20 KB in 1 s onto a 50 Mb/s link at 80 % with a 100 ms buffer.
    burst_bps = 8 * 150 * 20_000 / 1.0
    offered = np.full(10, 0.8 * 50e6)
    offered[3] += burst_bps
    r = fluid_queue(offered, 50e6, buffer_bits=0.100 * 50e6)
    assert r.dropped_bytes == pytest.approx(1_125_000)  # (24 + 40 - 50) Mb - 5 Mb = 9 Mb
    assert r.peak_delay_ms == pytest.approx(100.0)  # queue full: the whole buffer added
    assert r.seconds_above_90pct == 1.0


def test_queue_drains_between_bursts_and_does_not_drop_below_capacity() -> None:
    r = fluid_queue(np.full(3600, 45e6), 50e6, buffer_bits=5e6)
    assert (r.dropped_bytes, r.peak_delay_ms, r.seconds_above_90pct) == (0.0, 0.0, 3600.0)
    # Two 1 s bursts of 54 Mb/s: 4 Mb queued each (under the 5 Mb buffer), drained in between.
    offered = np.full(20, 30e6)
    offered[[2, 10]] = 54e6
    r = fluid_queue(offered, 50e6, buffer_bits=5e6)
    assert r.dropped_bytes == 0.0 and r.peak_delay_ms == pytest.approx(80.0)


def test_matches_a_plain_lindley_loop_on_random_load() -> None:
    rng = np.random.default_rng(3)
    a = rng.gamma(2.0, 25e6, size=5000)  # mean 50 Mb/s, heavy bursts
    C, B = 60e6, 6e6
    q, drop, peak = 0.0, 0.0, 0.0
    for x in a:
        w = q + (x - C)
        drop += max(0.0, w - B)
        q = min(B, max(0.0, w))
        peak = max(peak, q)
    r = fluid_queue(a, C, B)
    assert r.dropped_bytes == pytest.approx(drop / 8) and r.peak_delay_ms == pytest.approx(1000 * peak / C)
    assert 0 < r.drop_share < 1


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="capacity_bps"):
        fluid_queue(np.ones(3), 0, 1)
    with pytest.raises(ValueError, match="negative rate"):
        fluid_queue(np.array([1.0, -1.0]), 10, 1)


@pytest.mark.parametrize("rho", [0.5, 0.8])
def test_mm1_and_md1_waits_match_a_lindley_simulation(rho: float) -> None:
    from assess.model.queue import kingman_wait_s, lindley_waits_s, md1_wait_s, mm1_wait_s

    rng = np.random.default_rng(11)
    n, es = 400_000, 0.010  # 10 ms mean service
    lam = rho / es
    a = rng.exponential(1 / lam, n)
    w_mm1 = lindley_waits_s(a, rng.exponential(es, n))[n // 10 :].mean()
    w_md1 = lindley_waits_s(a, np.full(n, es))[n // 10 :].mean()
    assert w_mm1 == pytest.approx(mm1_wait_s(lam, es), rel=0.06)
    assert w_md1 == pytest.approx(md1_wait_s(lam, es), rel=0.06)
    assert md1_wait_s(lam, es) == pytest.approx(mm1_wait_s(lam, es) / 2)
    # Kingman is exact for M/M/1 (ca2 = cs2 = 1) and for M/D/1 (cs2 = 0).
    assert kingman_wait_s(rho, 1, 1, es) == pytest.approx(mm1_wait_s(lam, es))
    assert kingman_wait_s(rho, 1, 0, es) == pytest.approx(md1_wait_s(lam, es))


def test_queue_formulas_refuse_an_unstable_queue() -> None:
    from assess.model.queue import mm1_wait_s

    with pytest.raises(ValueError, match="rho = 1.000"):
        mm1_wait_s(100, 0.01)
