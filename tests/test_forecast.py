"""The AI demand forecast without history (issue 6): growth formula against simulation and
closed forms, the forecast on an assessed link, its finding, and bad forecast settings."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from assess.errors import InventoryError
from assess.model.forecast import months_to, p95_at
from assess.model.profiles import ForecastAssumptions, GrowthScenario, load_profiles
from assess.model.stats import nearest_rank

ROOT = Path(__file__).resolve().parents[1]


def _sc(b: float = 0.0, a: float = 0.0, v: float = 0.0) -> GrowthScenario:
    return GrowthScenario(
        baseline_growth_per_year=b,
        ai_agents_growth_per_year=a,
        ai_bytes_per_task_growth_per_year=v,
        sources={
            "baseline_growth_per_year": "t",
            "ai_agents_growth_per_year": "t",
            "ai_bytes_per_task_growth_per_year": "t",
        },
    )


def test_month_zero_is_todays_p95_and_bytes_scale_everything() -> None:
    assert p95_at(10e6, 4e6, 7e6, _sc(0.3, 2.0, 1.0), 0) == pytest.approx(17e6)
    # bytes per task doubling in a year doubles the AI part, mean and spread alike
    assert p95_at(10e6, 4e6, 7e6, _sc(v=1.0), 12) == pytest.approx(10e6 + 14e6)
    # baseline compound growth: 26 % a year for two years
    assert p95_at(10e6, 0, 0, _sc(b=0.26), 24) == pytest.approx(10e6 * 1.26**2)


def test_more_agents_add_mean_and_variance_like_independent_sources() -> None:
    """Summing k independent copies of a load: the p95 equals k*mu + sqrt(k)*(q - mu) for a
    Gaussian load, which is what the forecast applies when agents grow k-fold."""
    rng = np.random.default_rng(7)
    one = rng.normal(5e6, 1e6, size=(8, 200_000)).clip(min=0)
    mu, q = float(one[0].mean()), nearest_rank(one[0], 0.95)
    for k in (2, 4, 8):
        simulated = nearest_rank(one[:k].sum(axis=0), 0.95)
        forecast = p95_at(0.0, mu, q, _sc(a=k - 1.0), 12)  # (1 + (k - 1))^1 = k agents
        assert forecast == pytest.approx(simulated, rel=0.01)
        assert forecast < k * q  # scaling the p95 itself would overstate it


def test_months_to_threshold_matches_the_closed_form() -> None:
    # baseline only: b (1+g)^(m/12) = T  ->  m = 12 ln(T/b) / ln(1+g)
    m = months_to(80e6, 50e6, 0, 0, _sc(b=0.26))
    assert m == pytest.approx(12 * math.log(80 / 50) / math.log(1.26), abs=0.02)
    assert months_to(40e6, 50e6, 0, 0, _sc(b=0.26)) == 0.0
    assert months_to(80e6, 50e6, 0, 0, _sc()) is None  # no growth: never


def _assessed(baseline_bps: float, count: int, profiles_path: Path | None = None):  # type: ignore[no-untyped-def]
    from assess.assessment import Baseline, assess
    from assess.collect.models import LinkUtilisation
    from assess.inventory import Inventory
    from assess.model.generate import generate_site

    ps = load_profiles(profiles_path or ROOT / "inventories" / "profiles.yaml")
    inv = Inventory.model_validate(
        {
            "name": "t",
            "sites": [{"name": "s", "workloads": [{"profile": "support-agent", "count": count}]}],
            "devices": [{"name": "r", "site": "s", "driver": "ios", "host": "192.0.2.1", "username": "u",
                         "password": "env:X"}],
            "links": [{"name": "l", "device": "r", "interface": "Gi0/0/0", "transport": "mpls",
                       "circuit_down_bps": 100_000_000, "circuit_up_bps": 100_000_000}],
        }
    )  # fmt: skip
    d = generate_site("s", [("support-agent", count)], ps, seed=1, site_index=0)
    util = [LinkUtilisation(link="l", site="s", device="r", interface="Gi0/0/0", collected=False)]
    hist = {"l": Baseline(down_bps=baseline_bps, up_bps=baseline_bps, source="test baseline")}
    return assess(inv, util, {"s": d}, hist, ps), ps


def test_link_forecast_starts_at_the_assessment_and_sizes_the_circuit() -> None:
    a, ps = _assessed(30e6, 40)
    [la] = a.links
    fc = la.forecast
    assert fc is not None
    assert [s.scenario for s in fc.scenarios] == ["low", "expected", "high"]
    exp = fc.get("expected")
    assert [p.months for p in exp.points] == [0, 6, 12, 24]
    assert exp.points[0].down_p95_300s_pct == pytest.approx(la.down.p95_300s_pct)
    assert exp.points[0].up_p95_300s_pct == pytest.approx(la.up.p95_300s_pct)
    # every scenario grows; low <= expected <= high at every horizon
    for i in range(1, 4):
        lo, ex, hi = (fc.get(n).points[i].worst_pct() for n in ("low", "expected", "high"))
        assert exp.points[0].worst_pct() < lo <= ex <= hi
    # the sized circuit keeps the expected p95 at 24 months below 60 %
    up = la.up.at("ai", 300)
    p24 = p95_at(30e6, up.mean_bps, up.p95_bps, ps.forecast.scenarios["expected"], 24)
    assert p24 / fc.needed_up_bps < 0.60 <= p24 / (fc.needed_up_bps - 10e6)


def test_a_link_that_runs_out_within_a_year_gets_a_forecast_finding() -> None:
    a, _ = _assessed(40e6, 300)  # ready today; AI adoption takes it past 80 % within a year
    [la] = a.links
    assert la.verdict == "ready"
    m = la.forecast.get("expected").months_to_critical  # type: ignore[union-attr]
    assert m is not None and m <= 12
    [f] = [f for f in a.findings if f.kind == "forecast"]
    assert f.severity == "medium" and f.link == "l"
    assert f"in {m:.0f} months" in f.title
    assert f"{la.forecast.needed_down_bps / 1e6:.0f}/" in f.recommendation  # type: ignore[union-attr]
    # a quiet link: no forecast finding
    quiet, _ = _assessed(2e6, 2)
    assert not [f for f in quiet.findings if f.kind == "forecast"]


def test_bad_forecast_settings_name_the_field_and_line(tmp_path: Path) -> None:
    text = (ROOT / "inventories" / "profiles.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "p.yaml"
    bad.write_text(text.replace("    expected:\n      baseline_growth", "    likely:\n      baseline_growth"))
    with pytest.raises(InventoryError) as e:
        load_profiles(bad)
    assert "forecast" in str(e.value) and "expected" in str(e.value) and "line" in str(e.value)
    bad.write_text(text.replace("  months: [6, 12, 24]", "  months: [6, 72]"))
    with pytest.raises(InventoryError, match="between 1 and 60"):
        load_profiles(bad)
    bad.write_text(text.replace("      ai_agents_growth_per_year: 1.4", "      ai_agents_growth_per_year: -1"))
    with pytest.raises(InventoryError, match=r"forecast\.scenarios\.expected\.ai_agents_growth_per_year"):
        load_profiles(bad)
    assert ForecastAssumptions().scenarios["expected"].baseline_growth_per_year == 0.26
