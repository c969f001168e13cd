"""Task latency Monte Carlo against exact sums, the compounding tail, and the loss penalty."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from assess.model.latency import (
    MSS_BYTES,
    RTO_MIN_S,
    Leg,
    NetworkPath,
    _exchanges,
    tail_hit_probability,
    task_latency,
)
from assess.model.profiles import TLS_HANDSHAKE_DOWN_BYTES, TLS_HANDSHAKE_UP_BYTES, AgenticProfile, Destination


def _call(**over: Any) -> dict[str, Any]:
    c: dict[str, Any] = {
        "name": "reason",
        "per": "step",
        "destination": "llm",
        "request_bytes": 6000,
        "context_growth_bytes_per_step": 1000,
        "response_bytes": 500,
        "server_time_median_s": 1.0,
        "server_time_sigma": 0.0,
        **over,
    }
    c["sources"] = {k: "test" for k, v in c.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    return c


def _profile(
    calls: list[dict[str, Any]] | None = None, fanout: dict[str, Any] | None = None, **over: Any
) -> AgenticProfile:
    base: dict[str, Any] = {
        "kind": "agentic",
        "steps_per_task_min": 10,
        "steps_per_task_max": 10,
        "latency_budget_s": 12.0,
        **over,
    }
    src = {k: "test" for k in base if k != "kind"}
    extra: dict[str, Any] = {"calls": calls or [_call()]}
    if fanout:
        extra["fanout"] = {**fanout, "sources": {k: "test" for k, v in fanout.items() if k != "call"}}
    return AgenticProfile.model_validate({**base, **extra, "sources": src})


def _dest(**over: Any) -> Destination:
    return Destination.model_validate(
        {"role": "model", **over, "sources": {k: "test" for k, v in over.items() if type(v) in (int, float)}}
    )


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
    handshake = 8 * (TLS_HANDSHAKE_UP_BYTES + TLS_HANDSHAKE_DOWN_BYTES) / 8e6  # its bytes at 8 Mb/s
    assert tls13 - warm == pytest.approx(10 * (2 * 0.050 + handshake))  # TCP 1 RTT + TLS 1.3 1 RTT, 10 calls
    assert tls12 - warm == pytest.approx(10 * (3 * 0.050 + handshake))  # TCP 1 RTT + TLS 1.2 2 RTT
    # The same from the destination's own settings, and its added round trip on every call.
    per_dest = task_latency(
        p, NetworkPath(rtt_ms=50, transfer_rate_bps=8e6), {"llm": _dest(tls="1.2", connection_reuse=False)}, n_tasks=200
    ).p50_s
    assert per_dest == pytest.approx(tls12)
    far = task_latency(
        p, NetworkPath(rtt_ms=50, transfer_rate_bps=8e6), {"llm": _dest(added_rtt_ms=80)}, n_tasks=200
    ).p50_s
    assert far - warm == pytest.approx(10 * 0.080)


def test_tail_compounds_over_sequential_calls() -> None:
    assert tail_hit_probability(30) == pytest.approx(1 - 0.99**30) == pytest.approx(0.2603, abs=1e-4)
    rng = np.random.default_rng(5)
    path = NetworkPath(rtt_ms=30, transfer_rate_bps=20e6)
    n_tasks, n_calls = 40_000, 30
    server = np.exp(0.6 * rng.standard_normal((n_tasks, n_calls)))
    calls = _exchanges(
        rng, Leg.to(path), np.full((n_tasks, n_calls), 8000.0), np.full((n_tasks, n_calls), 600.0), server
    )
    p99_call = np.quantile(calls, 0.99)
    share = float(np.mean((calls > p99_call).any(axis=1)))
    assert share == pytest.approx(tail_hit_probability(n_calls), abs=0.01)


def test_loss_penalty_matches_its_expectation() -> None:
    rng = np.random.default_rng(9)
    rtt, loss, n = 0.080, 0.02, 400_000
    req, resp = 20 * MSS_BYTES, 4 * MSS_BYTES  # 24 segments, 2 of them last of their flight
    args = (np.full(n, float(req)), np.full(n, float(resp)), np.zeros(n))
    clean = _exchanges(rng, Leg.to(NetworkPath(rtt_ms=80, transfer_rate_bps=1e9)), *args)
    lossy = _exchanges(rng, Leg.to(NetworkPath(rtt_ms=80, loss=loss, transfer_rate_bps=1e9)), *args)
    rto = max(RTO_MIN_S, 3 * rtt)
    # E[lost] = 24 p; E[tail losses] ~ 2 p (capped by lost): penalty ~ (24p - 2p) RTT + 2p RTO.
    expected = (24 * loss - 2 * loss) * rtt + 2 * loss * rto
    assert float(lossy.mean() - clean.mean()) == pytest.approx(expected, rel=0.05)


def test_fan_out_waits_for_the_slowest_call() -> None:
    step = _call(server_time_sigma=0.5)
    fan = _call(name="sub", per="fanout", request_bytes=20_000, context_growth_bytes_per_step=0, server_time_sigma=0.5)
    p = _profile([step, fan], {"call": "sub", "subtasks": 10, "calls_per_subtask": 15, "window_s": 1.0},
                 steps_per_task_min=1, steps_per_task_max=1)  # fmt: skip
    path = NetworkPath(rtt_ms=30, transfer_rate_bps=20e6)
    with_fan = task_latency(p, path, n_tasks=4000)
    solo = task_latency(_profile([step], steps_per_task_min=1, steps_per_task_max=1), path, n_tasks=4000)
    # The max of 150 lognormal(0, 0.5) model times has a median near exp(0.5 * 2.5) = 3.5 s.
    assert 2.8 < with_fan.p50_s - solo.p50_s < 4.2
    assert with_fan.calls_per_task == 151


def _one_call_task(**call: Any) -> AgenticProfile:
    c = _call(request_bytes=100, context_growth_bytes_per_step=0, response_bytes=100, **call)
    return _profile([c], steps_per_task_min=1, steps_per_task_max=1)


FAST = NetworkPath(rtt_ms=0, transfer_rate_bps=1e12)  # no network time: server and timeouts only


def test_timeouts_are_retried_up_to_the_limit() -> None:
    # Server time lognormal(median 1 s, sigma 1) against a 2 s timeout: an attempt times out with
    # p = P(exp(N) > 2) = 1 - Phi(ln 2) = 0.2441. With 2 retries a call makes 1 + p + p^2
    # attempts and still fails with p^3 (independent attempts).
    p_fail = 0.5 * math.erfc(math.log(2) / math.sqrt(2))
    r = task_latency(_one_call_task(server_time_sigma=1.0, timeout_s=2.0, retries=2), FAST, n_tasks=200_000)
    assert r.attempts_per_call == pytest.approx(1 + p_fail + p_fail**2, rel=0.01)
    assert r.failed == pytest.approx(p_fail**3, rel=0.08)
    # Not idempotent: never retried, so every timeout fails the task.
    once = task_latency(
        _one_call_task(server_time_sigma=1.0, timeout_s=2.0, retries=2, idempotent=False), FAST, n_tasks=200_000
    )
    assert once.attempts_per_call == 1.0 and once.failed == pytest.approx(p_fail, rel=0.02)


def test_endpoint_errors_and_full_jitter_backoff_add_their_expected_time() -> None:
    # 1 s server time, half the attempts fail at the endpoint, 3 retries, backoff U(0, min(8, 1 * 2^k)):
    # E[time] = E[attempts] * 1 s + sum_k p^(k+1) * min(8, 2^k) / 2
    #         = (1 + .5 + .25 + .125) + (.5 * .5 + .25 * 1 + .125 * 2) = 1.875 + 0.75 = 2.625 s.
    p = _one_call_task(retries=3, backoff_base_s=1.0, backoff_cap_s=8.0)
    r = task_latency(p, FAST, {"llm": _dest(error_rate=0.5)}, n_tasks=100_000)
    assert r.mean_s == pytest.approx(2.625, rel=0.02)
    assert r.attempts_per_call == pytest.approx(1.875, rel=0.01)
    assert r.failed == pytest.approx(0.5**4, rel=0.1)


def test_too_few_tasks_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 100"):
        task_latency(_profile(), NetworkPath(rtt_ms=1, transfer_rate_bps=1e6), n_tasks=10)


def test_failing_tasks_become_a_finding() -> None:
    from assess.assessment import ScenarioLatency, SiteLatency, _latency_findings

    flaky = _one_call_task(server_time_sigma=1.0, timeout_s=2.0, retries=0, idempotent=False)
    ok = _one_call_task(server_time_sigma=1.0, timeout_s=60.0)
    scen = [
        ScenarioLatency(scenario=k, path=FAST, stats=task_latency(p, FAST, n_tasks=2000))
        for k, p in (("now", ok), ("1 % loss", flaky))
    ] + [ScenarioLatency(scenario="main link down", path=FAST, stats=None, note="s has no second link")]
    (f,) = _latency_findings([SiteLatency(site="s", profile="w", via_link="l", budget_s=None, scenarios=scen)], [0])
    assert f.severity == "medium" and f.title == "w tasks at s fail if 1 % loss"
    assert "24." in f.evidence and "idempotency keys" in f.recommendation  # P(exp(N) > 2) = 24.4 %
