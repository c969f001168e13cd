"""AI demand forecast at 6/12/24 months without history (issue 6; DOMAIN.md 7).

Where there is history, ``runout`` fits its trend. Without it (the usual case before an AI
roll-out) the forecast grows today's figures by scenario (``ForecastAssumptions`` in the profile
file: low / expected / high yearly rates with their sources). For one link direction at month
``m`` (``y = m / 12`` years), with today's baseline ``b`` and the modelled AI load's mean ``mu``
and p95 ``q`` of 300 s means:

* baseline: ``b(m) = b * (1 + g_b)^y`` (compound growth, the form of Cisco VNI's CAGR);
* AI: agents grow by ``a = (1 + g_a)^y`` and bytes per task by ``v = (1 + g_v)^y``.
  More agents are more independent sources: the mean adds (``a * mu``) and the variance adds,
  so the spread above the mean grows with ``sqrt(a)`` (the superposition behind Gaussian link
  dimensioning, van de Meent, Mandjes & Pras 2009). Larger tasks scale every byte: ``v``.
  ``ai(m) = v * (a * mu + sqrt(a) * (q - mu))``;
* p95 of 300 s means at month m: ``b(m) + ai(m)``. The baseline is constant over the modelled
  hour, so at ``m = 0`` this is exactly the assessment's p95 (the p95 of a constant plus a
  series is the constant plus the series' p95).

Months to a threshold are found by bisection (the p95 only grows when every rate is >= 0).
"""

from __future__ import annotations

import math

from assess.model.profiles import GrowthScenario

#: Months beyond which "months to threshold" is reported as None (not within the forecast).
SEARCH_HORIZON_MONTHS = 60.0


def factors(scenario: GrowthScenario, months: float) -> tuple[float, float, float]:
    """Growth factors ``(baseline, agents, bytes per task)`` after ``months`` (>= 0)."""
    y = months / 12.0
    return (
        (1.0 + scenario.baseline_growth_per_year) ** y,
        (1.0 + scenario.ai_agents_growth_per_year) ** y,
        (1.0 + scenario.ai_bytes_per_task_growth_per_year) ** y,
    )


def p95_at(
    baseline_bps: float, ai_mean_bps: float, ai_p95_bps: float, scenario: GrowthScenario, months: float
) -> float:
    """Forecast p95 of 300 s means (bits/s) after ``months`` under ``scenario``.

    ``baseline_bps``: today's baseline (constant over the hour); ``ai_mean_bps``/``ai_p95_bps``:
    the link's modelled AI load at 300 s today. Formula in the module docstring."""
    fb, fa, fv = factors(scenario, months)
    spread = max(0.0, ai_p95_bps - ai_mean_bps)
    return baseline_bps * fb + fv * (fa * ai_mean_bps + math.sqrt(fa) * spread)


def months_to(
    threshold_bps: float,
    baseline_bps: float,
    ai_mean_bps: float,
    ai_p95_bps: float,
    scenario: GrowthScenario,
    horizon_months: float = SEARCH_HORIZON_MONTHS,
) -> float | None:
    """Months until the forecast p95 reaches ``threshold_bps``: 0.0 when it already does,
    ``None`` when it does not within ``horizon_months``. Bisection to 0.01 month."""

    def f(m: float) -> float:
        return p95_at(baseline_bps, ai_mean_bps, ai_p95_bps, scenario, m)

    if f(0.0) >= threshold_bps:
        return 0.0
    if f(horizon_months) < threshold_bps:
        return None
    lo, hi = 0.0, horizon_months
    while hi - lo > 0.01:
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if f(mid) >= threshold_bps else (mid, hi)
    return hi
