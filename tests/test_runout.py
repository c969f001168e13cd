"""Runout from daily p95: Theil-Sen and compound growth against known series."""

from __future__ import annotations

import numpy as np
import pytest

from assess.model.runout import DAYS_PER_MONTH, runout, theil_sen


def test_theil_sen_recovers_a_line_despite_outliers() -> None:
    x = np.arange(30.0)
    y = 10.0 + 2.0 * x
    y[[3, 17]] = [500.0, -300.0]  # two bad days do not move the median slope
    b, a, lo, hi = theil_sen(x, y)
    assert (b, a) == pytest.approx((2.0, 10.0))
    assert lo <= 2.0 <= hi


def test_linear_runout_and_the_ai_step() -> None:
    # 40 Mb/s growing 0.1 Mb/s a day on 100 Mb/s: 80 % (80 Mb/s) after (80 - 42.9) / 0.1 days.
    days = np.arange(30.0)
    y = 40e6 + 0.1e6 * days
    r = runout(days, y, 100e6, ai_p95_bps=10e6)
    assert r.y_now_bps == pytest.approx(42.9e6)
    assert r.linear_days == pytest.approx(371.0)
    assert r.linear_days_with_ai == pytest.approx(271.0)  # the 10 Mb/s step takes 100 days off
    assert r.linear_days_band[0] == pytest.approx(371.0) and r.linear_days_band[1] == pytest.approx(371.0)
    six = r.projections[0]
    assert six.months == 6 and six.pct == pytest.approx(100 * (42.9e6 + 0.1e6 * 6 * DAYS_PER_MONTH) / 100e6)
    assert six.with_ai_pct == pytest.approx(six.pct + 10.0)


def test_compound_growth_is_read_from_the_log_slope() -> None:
    days = np.arange(60.0)
    g = 0.002  # per day
    y = 20e6 * (1 + g) ** days
    r = runout(days, y, 100e6)
    assert r.compound_growth_per_month == pytest.approx((1 + g) ** DAYS_PER_MONTH - 1, rel=1e-6)
    now = 20e6 * (1 + g) ** 59
    assert r.compound_days == pytest.approx(np.log(80e6 / now) / np.log(1 + g), rel=1e-6)


def test_flat_or_falling_history_has_no_runout_and_noise_gives_a_band() -> None:
    rng = np.random.default_rng(4)
    days = np.arange(28.0)
    r = runout(days, 50e6 - 0.2e6 * days, 100e6)
    assert r.linear_days is None and r.linear_days_band[1] is None
    noisy = 50e6 + 0.3e6 * days + rng.normal(0, 3e6, days.size)
    rn = runout(days, noisy, 100e6)
    early, late = rn.linear_days_band
    assert early is not None and rn.linear_days is not None and early < rn.linear_days
    assert late is None or late > rn.linear_days


def test_needs_a_week_and_flags_weekly_seasonality() -> None:
    with pytest.raises(ValueError, match="at least 7 days"):
        runout(np.arange(6.0), np.ones(6), 1e6)
    days = np.arange(21.0)
    weekday = (days % 7).astype(np.int64)
    y = np.where(weekday >= 5, 10e6, 40e6)
    r = runout(days, y, 100e6, weekday=weekday)
    assert r.seasonality is not None and "weekend p95 -75 %" in r.seasonality
