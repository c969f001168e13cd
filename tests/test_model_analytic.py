"""The traffic model's building blocks against analytic results (issue 4, DOMAIN.md 1-3)."""

from __future__ import annotations

import numpy as np
import pytest

from assess.model.binning import bin_transfers
from assess.model.stats import index_of_dispersion, ladder


def test_poisson_counts_have_idc_one() -> None:
    rng = np.random.default_rng(1)
    horizon, lam = 36_000.0, 20.0
    t = rng.uniform(0, horizon, rng.poisson(lam * horizon))
    assert index_of_dispersion(t, horizon, 1.0) == pytest.approx(1.0, abs=0.03)
    assert index_of_dispersion(t, horizon, 10.0) == pytest.approx(1.0, abs=0.06)


def test_compound_poisson_idc_is_second_over_first_moment_of_the_batch() -> None:
    # Fan-out: batches of 1..30 requests (uniform) arriving as Poisson, all in the same instant.
    rng = np.random.default_rng(2)
    horizon, lam = 72_000.0, 0.5
    starts = rng.uniform(0, horizon, rng.poisson(lam * horizon))
    sizes = rng.integers(1, 31, starts.size)
    t = np.repeat(starts, sizes)
    b = np.arange(1, 31)
    expected = float((b**2).mean() / b.mean())  # E[B^2]/E[B] = 20.67
    assert index_of_dispersion(t, horizon, 1.0) == pytest.approx(expected, rel=0.05)


def test_on_off_source_mean_rate_and_duty_cycle() -> None:
    # ON (mean 5 s) at 10 Mb/s, OFF (mean 15 s): mean rate 2.5 Mb/s, duty cycle 25 %.
    rng = np.random.default_rng(3)
    n = 6000
    on, off = rng.exponential(5.0, n), rng.exponential(15.0, n)
    start = np.cumsum(on + off) - (on + off)
    rate = 10e6
    horizon = int(start[-1])
    bits = bin_transfers(start, start + on, rate * on, np.zeros(n, dtype=np.int64), 1, horizon, 1.0)[0]
    s1 = ladder(bits / 1.0, 1.0, (1,))[0]
    assert s1.mean_bps == pytest.approx(rate * 5 / 20, rel=0.04)
    # At 1 s a window is "on" if any part of it is: slightly above 25 % (partial seconds).
    assert 0.25 <= s1.duty_cycle <= 0.25 * (1 + 1 / 5) + 0.02


def test_idc_refuses_a_horizon_without_windows() -> None:
    with pytest.raises(ValueError, match="two"):
        index_of_dispersion(np.array([0.5]), 1.0, 1.0)


def test_binning_equals_a_plain_per_bin_loop() -> None:
    """Exact binning (cumulative-bits form) against the obvious loop, including transfers that
    cross t = 0 or the horizon, sit inside one bin, start on an edge, or take no time."""
    rng = np.random.default_rng(8)
    n, n_bins, dt, keys = 3000, 50, 0.5, 3
    start = rng.uniform(-3, 27, n)
    start[:50] = np.round(start[:50] * 2) / 2  # on bin edges
    dur = rng.exponential(1.5, n)
    dur[50:80] = 0.0  # instantaneous
    end = start + dur
    bits = rng.uniform(1e3, 1e6, n)
    key = rng.integers(0, keys, n)
    got = bin_transfers(start, end, bits, key, keys, n_bins, dt)
    want = np.zeros((keys, n_bins))
    horizon = n_bins * dt
    for s, e, b, k in zip(start, end, bits, key, strict=True):
        if e == s:
            if 0 <= s < horizon:
                want[k, int(s // dt)] += b
            continue
        r = b / (e - s)
        for j in range(n_bins):
            lo, hi = max(s, j * dt), min(e, (j + 1) * dt)
            if hi > lo:
                want[k, j] += r * (hi - lo)
    assert np.allclose(got, want, rtol=1e-9, atol=1e-3)


def test_calls_in_flight_obey_littles_law() -> None:
    """L = lambda * W for people prompting: 1,000 users x 10 prompts/h, each call lasting the
    upload + RTT + time to first token + the streamed answer (E[tokens] * E[1/speed])."""
    from pathlib import Path

    from assess.model.generate import generate_site
    from assess.model.profiles import GenerativeProfile, load_profiles

    ps = load_profiles(Path(__file__).resolve().parents[1] / "inventories" / "profiles.yaml")
    p = ps.profiles["copilot-chat"]
    assert isinstance(p, GenerativeProfile)
    d = generate_site("s", [("copilot-chat", 1000)], ps, seed=3, site_index=0)
    assert d.calls_in_flight is not None
    lam = 1000 * p.prompts_per_user_hour / 3600
    e_inv_speed = np.log(p.stream_tokens_per_s_max / p.stream_tokens_per_s_min) / (
        p.stream_tokens_per_s_max - p.stream_tokens_per_s_min
    )
    prompt = (p.prompt_tokens_min + p.prompt_tokens_max) / 2 * p.bytes_per_token + p.request_overhead_bytes
    w = (
        8 * prompt / ps.transfer_rate_bps
        + ps.rtt_ms / 1000
        + p.time_to_first_token_s
        + (p.answer_tokens_min + p.answer_tokens_max) / 2 * e_inv_speed
    )
    assert float(d.calls_in_flight[0].mean()) == pytest.approx(lam * w, rel=0.03)


def test_fan_out_drives_session_peaks() -> None:
    from pathlib import Path

    from assess.model.generate import generate_site
    from assess.model.profiles import load_profiles

    ps = load_profiles(Path(__file__).resolve().parents[1] / "inventories" / "profiles.yaml")
    d = generate_site("s", [("research-multi-agent", 10)], ps, seed=4, site_index=0)
    assert d.calls_in_flight is not None
    agentic = d.calls_in_flight[1]
    # Closed loop: about one call per agent between bursts; a burst adds 150 calls at once.
    assert 5 < float(np.median(agentic)) < 40
    assert float(agentic.max()) > 100


def test_gaussian_capacity_formula_and_class_sizing_on_a_link() -> None:
    """C(T, eps) = mu + sqrt(-2 ln eps) sigma_T (van de Meent et al. 2009), and a link's AI
    classes get it at their SLA timescale from the same series the plan's p95 comes from."""
    from pathlib import Path

    from assess.assessment import assess, gaussian_capacity
    from assess.classes import CLASSES
    from assess.collect.models import LinkUtilisation
    from assess.inventory import Inventory
    from assess.model.generate import generate_site
    from assess.model.profiles import load_profiles

    assert gaussian_capacity(10e6, 2e6, 0.01) == pytest.approx(10e6 + 3.0349 * 2e6, rel=1e-4)
    with pytest.raises(ValueError, match="eps"):
        gaussian_capacity(1, 1, 1.5)
    ps = load_profiles(Path(__file__).resolve().parents[1] / "inventories" / "profiles.yaml")
    inv = Inventory.model_validate(
        {
            "name": "t",
            "sites": [{"name": "s", "workloads": [{"profile": "support-agent", "count": 40}]}],
            "devices": [{"name": "r", "site": "s", "driver": "ios", "host": "192.0.2.1", "username": "u",
                         "password": "env:X"}],
            "links": [{"name": "l", "device": "r", "interface": "Gi0/0/0", "transport": "mpls",
                       "circuit_down_bps": 100_000_000, "circuit_up_bps": 100_000_000}],
        }
    )  # fmt: skip
    d = generate_site("s", [("support-agent", 40)], ps, seed=1, site_index=0)
    util = [LinkUtilisation(link="l", site="s", device="r", interface="GigabitEthernet0/0/0", collected=False)]
    [la] = assess(inv, util, {"s": d}).links
    T = next(c.sla_timescale_s for c in CLASSES if c.name == "AI-AGENT")
    st = ladder(d.total(direction=1, cls="AI-AGENT"), d.bin_s, (T,))[0]
    assert la.class_gaussian_up_bps["AI-AGENT"] == pytest.approx(st.mean_bps + 3.0349 * st.cov * st.mean_bps, rel=1e-4)
    assert la.class_gaussian_up_bps["AI-AGENT"] > st.mean_bps
