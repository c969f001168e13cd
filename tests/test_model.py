"""Traffic model: exact binning, seeded generation, the generative/agentic contrast, statistics."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assess.classes import CLASS_INDEX
from assess.model.binning import bin_transfers
from assess.model.generate import generate_site
from assess.model.profiles import load_profiles
from assess.model.stats import aggregate, ladder, nearest_rank

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def profiles():  # type: ignore[no-untyped-def]
    return load_profiles(ROOT / "inventories" / "profiles.yaml")


def test_binning_exact_partial_bins() -> None:
    # 10 bits over [0.5, 3.0): rate 4 bit/s -> bins 2, 4, 4.
    out = bin_transfers(np.array([0.5]), np.array([3.0]), np.array([10.0]), np.array([0]), 1, 5, 1.0)
    assert out[0].tolist() == pytest.approx([2.0, 4.0, 4.0, 0.0, 0.0])


def test_binning_conserves_bits_and_cuts_at_horizon() -> None:
    rng = np.random.default_rng(3)
    m = 20_000
    start = rng.uniform(-5, 100, m)
    end = start + rng.exponential(2.0, m) * (rng.random(m) > 0.1)  # 10 % instantaneous
    bits = rng.uniform(0, 1e6, m)
    key = rng.integers(0, 4, m)
    out = bin_transfers(start, end, bits, key, 4, 100, 1.0)
    dur = np.where(end > start, end - start, 1.0)
    inside = np.where(
        end > start,
        bits * (np.clip(end, 0, 100) - np.clip(start, 0, 100)) / dur,
        bits * ((start >= 0) & (start < 100)),
    )
    assert out.sum() == pytest.approx(inside.sum(), rel=1e-9)
    for k in range(4):
        assert out[k].sum() == pytest.approx(inside[key == k].sum(), rel=1e-9)
    assert (out >= -1e-6).all()


def test_binning_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        bin_transfers(np.array([2.0]), np.array([1.0]), np.array([1.0]), np.array([0]), 1, 5, 1.0)


def test_generation_is_seeded_and_conserves_bits(profiles) -> None:  # type: ignore[no-untyped-def]
    w = [("copilot-chat", 50), ("support-agent", 10)]
    a = generate_site("s", w, profiles, seed=5, site_index=0, count_offered=True)
    b = generate_site("s", w, profiles, seed=5, site_index=0)
    c = generate_site("s", w, profiles, seed=6, site_index=0)
    assert np.array_equal(a.bps, b.bps)
    assert not np.array_equal(a.bps, c.bps)
    assert a.bps.sum() * a.bin_s == pytest.approx(a.offered_bits, rel=1e-9)


def test_generative_burstier_agentic_heavier_and_more_sustained(profiles) -> None:  # type: ignore[no-untyped-def]
    """Same population, same site: 20 people chatting vs 20 support agents."""
    gen = generate_site("s", [("copilot-chat", 20)], profiles, seed=1, site_index=0)
    agt = generate_site("s", [("support-agent", 20)], profiles, seed=1, site_index=0)
    g1 = ladder(gen.total(kind=0), 1.0)[0]
    a1 = ladder(agt.total(kind=1), 1.0)[0]
    assert g1.timescale_s == 1
    assert g1.peak_to_mean > a1.peak_to_mean
    assert a1.mean_bps > g1.mean_bps
    assert a1.duty_cycle > g1.duty_cycle
    # Agentic is upload-heavy (history re-sent every call), generative download-heavy.
    assert agt.total(direction=1).sum() > agt.total(direction=0).sum()
    assert gen.total(direction=0).sum() > gen.total(direction=1).sum()
    # Classes: agent calls in AI-AGENT, traces in OAM-TELEMETRY, chat in AI-INTERACTIVE.
    assert agt.bps[1, CLASS_INDEX["OAM-TELEMETRY"], 1].sum() > 0
    assert agt.bps[1, CLASS_INDEX["AI-INTERACTIVE"]].sum() == 0
    assert gen.bps[0, CLASS_INDEX["AI-INTERACTIVE"]].sum() == pytest.approx(gen.bps.sum())


def test_generative_mean_matches_analytic(profiles) -> None:  # type: ignore[no-untyped-def]
    """Mean download = users * prompts/h / 3600 * (mean answer bytes + retrieval share) * 8."""
    p = profiles.profiles["copilot-chat"]
    users = 400
    d = generate_site("s", [("copilot-chat", users)], profiles, seed=2, site_index=0)
    per_prompt = (
        p.answer_tokens_min + p.answer_tokens_max
    ) / 2 * p.wire_bytes_per_token + p.retrieval_per_prompt * p.retrieval_response_bytes
    expected = users * p.prompts_per_user_hour / 3600 * per_prompt * 8
    assert d.total(direction=0).mean() == pytest.approx(expected, rel=0.05)


def test_fanout_burst_shows_at_one_second_only(profiles) -> None:  # type: ignore[no-untyped-def]
    d = generate_site("s", [("research-multi-agent", 3)], profiles, seed=1, site_index=0)
    up = d.total(direction=1)
    s1, s300 = ladder(up, 1.0, (1, 300))
    # 150 x 21 KB within ~1 s: at least ~20 Mb/s in some second, smoothed away at 300 s.
    assert s1.max_bps > 20e6
    assert s1.peak_to_mean > 5 * s300.peak_to_mean


def test_nearest_rank() -> None:
    x = np.arange(1, 101, dtype=float)
    assert nearest_rank(x, 0.95) == 95
    assert nearest_rank(x, 0.99) == 99
    assert nearest_rank(np.array([5.0]), 0.5) == 5
    with pytest.raises(ValueError):
        nearest_rank(np.array([]), 0.5)


def test_aggregate_and_ladder() -> None:
    x = np.array([0, 10, 0, 10, 0, 10], dtype=float)
    assert aggregate(x, 1.0, 2).tolist() == [5, 5, 5]
    with pytest.raises(ValueError):
        aggregate(x, 1.0, 1.5)
    st = {s.timescale_s: s for s in ladder(np.tile(x, 100), 1.0)}
    assert st[1].peak_to_mean == pytest.approx(2.0)
    assert st[10].peak_to_mean == pytest.approx(1.0)
    assert st[1].duty_cycle == pytest.approx(0.5)
