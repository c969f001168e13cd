"""Counter maths, one fixture folder per case (tests/fixtures/counters/<case>/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assess.collect.counters import (
    CounterSample,
    intervals_from_samples,
    mean_bps,
    physical_capacity_bps,
)

CASES = sorted(p for p in (Path(__file__).parent / "fixtures" / "counters").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_counter_case(case: Path) -> None:
    given = json.loads((case / "input.json").read_text())
    expected = json.loads((case / "expected_result.json").read_text())
    samples = [CounterSample(t, o, u) for t, o, u in given["samples"]]
    physical = physical_capacity_bps(given["port_speed_mbps"], given["circuit_bps"])
    ivs = intervals_from_samples(samples, counter_bits=given["counter_bits"], physical_bps=physical)
    assert [iv.status for iv in ivs] == expected["status"]
    assert [iv.bps for iv in ivs if iv.bps is not None] == pytest.approx(expected["bps"])
    m = mean_bps(ivs)
    if expected["mean_bps"] is None:
        assert m is None
    else:
        assert m == pytest.approx(expected["mean_bps"])
    if "percent_of_circuit" in expected:
        assert m is not None
        assert 100 * m / given["circuit_bps"] == pytest.approx(expected["percent_of_circuit"])


def test_physical_capacity_never_zero() -> None:
    assert physical_capacity_bps(None, 50_000_000) == 50_000_000
    assert physical_capacity_bps(-1, 50_000_000) == 50_000_000
    assert physical_capacity_bps(1000, 50_000_000) == 1e9


def test_rejects_bad_arguments() -> None:
    s = [CounterSample(0, 0), CounterSample(1, 1)]
    with pytest.raises(ValueError, match="counter_bits"):
        intervals_from_samples(s, counter_bits=16, physical_bps=1e6)
    with pytest.raises(ValueError, match="physical_bps"):
        intervals_from_samples(s, counter_bits=64, physical_bps=0)


def test_mean_is_time_weighted() -> None:
    # 10 s at 8 Mb/s then 30 s at 16 Mb/s: mean 14 Mb/s, not the 12 Mb/s of a plain average.
    s = [CounterSample(0, 0), CounterSample(10, 10_000_000), CounterSample(40, 70_000_000)]
    ivs = intervals_from_samples(s, counter_bits=64, physical_bps=1e9)
    assert mean_bps(ivs) == pytest.approx(14e6)
