"""Task latency Monte Carlo against exact sums, the compounding tail, and the loss penalty."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from assess.model.latency import (
    MSS_BYTES,
    RTO_MIN_S,
    NetworkPath,
    _exchanges,
    tail_hit_probability,
    task_latency,
)
from assess.model.profiles import AgenticProfile


def _profile(**over: Any) -> AgenticProfile:
    base: dict[str, Any] = {
        "kind": "agentic",
        "steps_per_task_min": 10,
        "steps_per_task_max": 10,
        "idle_between_tasks_s": 0,
        "system_prompt_bytes": 6000,
        "context_growth_bytes_per_step": 1000,
        "model_response_bytes": 500,
        "model_time_median_s": 1.0,
        "model_time_sigma": 0.0,
        "tool_call_probability": 0.0,
        "tool_request_bytes": 100,
        "tool_response_bytes": 600,
        "tool_time_median_s": 0.3,
        "retrievals_per_task": 0,
        "retrieval_request_bytes": 0,
        "retrieval_response_bytes": 0,
        "request_overhead_bytes": 0,
        "span_bytes": 0,
        "audit_bytes_per_call": 0,
        "trace_export_interval_s": 5,
        "latency_budget_s": 12.0,
        **over,
    }
    return AgenticProfile.model_validate({**base, "sources": {k: "test" for k in base if k != "kind"}})


def test_deterministic_task_is_the_exact_sum_of_its_steps() -> None:
    p = _profile()
    path = NetworkPath(rtt_ms=40, transfer_rate_bps=8e6)
    # step i: RTT + 8 * (6000 + 1000 i + 500) / 8e6 + 1 s model time
    exact = sum(0.040 + (6500 + 1000 * i) / 1e6 + 1.0 for i in range(10))
    r = task_latency(p, path, n_tasks=200)
    assert r.p50_s == pytest.approx(exact) and r.p99_s == pytest.approx(exact)
    assert r.calls_per_task == 10 and r.over_budget == 0.0


def test_connection_setup_costs_tcp_plus_tls_round_trips_per_call() -> None:
    p = _profile()
    warm = task_latency(p, NetworkPath(rtt_ms=50, transfer_rate_bps=8e6), n_tasks=200).p50_s
    tls13 = task_latency(p, NetworkPath(rtt_ms=50, keepalive=False, transfer_rate_bps=8e6), n_tasks=200).p50_s
    tls12 = task_latency(
        p, NetworkPath(rtt_ms=50, tls="1.2", keepalive=False, transfer_rate_bps=8e6), n_tasks=200
    ).p50_s
    assert tls13 - warm == pytest.approx(10 * 2 * 0.050)  # TCP 1 RTT + TLS 1.3 1 RTT, 10 calls
    assert tls12 - warm == pytest.approx(10 * 3 * 0.050)  # TCP 1 RTT + TLS 1.2 2 RTT


def test_tail_compounds_over_sequential_calls() -> None:
    assert tail_hit_probability(30) == pytest.approx(1 - 0.99**30) == pytest.approx(0.2603, abs=1e-4)
    rng = np.random.default_rng(5)
    path = NetworkPath(rtt_ms=30, transfer_rate_bps=20e6)
    n_tasks, n_calls = 40_000, 30
    server = np.exp(0.6 * rng.standard_normal((n_tasks, n_calls)))
    calls = _exchanges(rng, path, np.full((n_tasks, n_calls), 8000.0), np.full((n_tasks, n_calls), 600.0), server)
    p99_call = np.quantile(calls, 0.99)
    share = float(np.mean((calls > p99_call).any(axis=1)))
    assert share == pytest.approx(tail_hit_probability(n_calls), abs=0.01)


def test_loss_penalty_matches_its_expectation() -> None:
    rng = np.random.default_rng(9)
    rtt, loss, n = 0.080, 0.02, 400_000
    req, resp = 20 * MSS_BYTES, 4 * MSS_BYTES  # 24 segments, 2 of them last of their flight
    args = (np.full(n, float(req)), np.full(n, float(resp)), np.zeros(n))
    clean = _exchanges(rng, NetworkPath(rtt_ms=80, transfer_rate_bps=1e9), *args)
    lossy = _exchanges(rng, NetworkPath(rtt_ms=80, loss=loss, transfer_rate_bps=1e9), *args)
    rto = max(RTO_MIN_S, 3 * rtt)
    # E[lost] = 24 p; E[tail losses] ~ 2 p (capped by lost): penalty ~ (24p - 2p) RTT + 2p RTO.
    expected = (24 * loss - 2 * loss) * rtt + 2 * loss * rto
    assert float(lossy.mean() - clean.mean()) == pytest.approx(expected, rel=0.05)


def test_fan_out_waits_for_the_slowest_call() -> None:
    p = _profile(
        steps_per_task_min=1,
        steps_per_task_max=1,
        model_time_sigma=0.5,
        fanout_subtasks=10,
        fanout_calls_per_subtask=15,
        fanout_request_bytes=20_000,
    )
    path = NetworkPath(rtt_ms=30, transfer_rate_bps=20e6)
    with_fan = task_latency(p, path, n_tasks=4000)
    solo = task_latency(_profile(steps_per_task_min=1, steps_per_task_max=1, model_time_sigma=0.5), path, n_tasks=4000)
    # The max of 150 lognormal(0, 0.5) model times has a median near exp(0.5 * 2.5) = 3.5 s.
    assert 2.8 < with_fan.p50_s - solo.p50_s < 4.2
    assert with_fan.calls_per_task == 151


def test_too_few_tasks_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 100"):
        task_latency(_profile(), NetworkPath(rtt_ms=1, transfer_rate_bps=1e6), n_tasks=10)
