"""Task latency of agentic workflows by Monte Carlo over tasks x steps (DOMAIN.md 1, 3).

An agentic task is a chain of sequential network exchanges, so the network's tail compounds:
with ``N`` sequential calls the chance that at least one lands in the per-call p99 tail is
``1 - 0.99**N`` (26 % at 30 calls), and a fan-out of ``N`` parallel calls waits for the slowest
of them. This module draws whole tasks and reports their latency percentiles against the
workflow's budget, for a network path (RTT, loss, TLS version, connection reuse, queueing).

One exchange (request up, response down) on a path takes::

    setup     = 0 with keep-alive, else TCP (1 RTT) + TLS 1.3 (1 RTT, RFC 8446) or TLS 1.2
                (2 RTT, RFC 5246)
    exchange  = RTT + 8 * (request + response bytes) / transfer rate + server time
                + queueing delay (both directions) + loss penalty

Loss (independent per packet, 1448-byte segments): a lost segment that is not the last of its
flight is repaired by fast retransmit after duplicate ACKs (~1 RTT, RFC 5681); a lost last
segment waits for the retransmission timeout ``RTO = max(200 ms, 3 RTT)`` (RFC 6298 with
RTTVAR ~ RTT/2; 200 ms is Linux's minimum RTO, assumption for the endpoints). Everything is
vectorised with numpy and seeded.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from assess.model.profiles import AgenticProfile
from assess.model.stats import nearest_rank

F64 = NDArray[np.float64]

#: TCP payload per segment on a 1500-byte MTU path with timestamps (1500 - 20 - 20 - 12).
MSS_BYTES = 1448
#: Minimum retransmission timeout (Linux TCP_RTO_MIN; RFC 6298 allows 1 s): assumption.
RTO_MIN_S = 0.200
#: Tasks drawn per estimate: p99 from 20,000 tasks has a standard error of about 1 %.
DEFAULT_TASKS = 20_000


class NetworkPath(BaseModel):
    """The path an agent's calls take. ``rtt_ms`` round trip to the endpoints, ``loss`` packet
    loss probability (0-1), ``tls`` version, ``keepalive`` (connections reused), transfer rate of
    one call in bits/s, and ``queue_delay_ms`` added per exchange (both directions together)."""

    model_config = ConfigDict(frozen=True)
    rtt_ms: float = Field(ge=0)
    loss: float = Field(0.0, ge=0, lt=1)
    tls: Literal["1.2", "1.3"] = "1.3"
    keepalive: bool = True
    transfer_rate_bps: float = Field(gt=0)
    queue_delay_ms: float = Field(0.0, ge=0)


class LatencyStats(BaseModel):
    """Task latency percentiles in seconds over ``n_tasks`` simulated tasks; ``over_budget``:
    share of tasks slower than ``budget_s`` (``None`` without a budget)."""

    model_config = ConfigDict(frozen=True)
    n_tasks: int
    mean_s: float
    p50_s: float
    p95_s: float
    p99_s: float
    budget_s: float | None
    over_budget: float | None
    calls_per_task: float


def tail_hit_probability(n_calls: int, quantile: float = 0.99) -> float:
    """Chance that at least one of ``n_calls`` independent calls exceeds its ``quantile``:
    ``1 - quantile**n_calls`` (26 % for 30 calls at p99)."""
    return 1.0 - quantile**n_calls


def _exchanges(
    rng: np.random.Generator, path: NetworkPath, request_bytes: F64, response_bytes: F64, server_s: F64
) -> F64:
    """Latency (s) of exchanges with the given sizes and server times (same shapes)."""
    rtt = path.rtt_ms / 1000.0
    setup = 0.0 if path.keepalive else (1 + (1 if path.tls == "1.3" else 2)) * rtt
    t = setup + rtt + 8.0 * (request_bytes + response_bytes) / path.transfer_rate_bps + server_s
    t = t + path.queue_delay_ms / 1000.0
    if path.loss > 0:
        rto = max(RTO_MIN_S, 3 * rtt)
        up = np.maximum(np.ceil(request_bytes / MSS_BYTES), 1)
        down = np.maximum(np.ceil(response_bytes / MSS_BYTES), 1)
        segments = up + down
        # The last segment of each direction: its loss costs an RTO, not a fast retransmit.
        inner = rng.binomial((segments - 2).astype(np.int64), path.loss)
        tails = rng.binomial(2, path.loss, size=np.shape(segments))
        t = t + inner * rtt + tails * rto
        if not path.keepalive:  # a lost SYN waits for the initial RTO of 1 s (RFC 6298)
            t = t + (rng.random(np.shape(segments)) < path.loss) * 1.0
    return np.asarray(t, dtype=np.float64)


def task_latency(p: AgenticProfile, path: NetworkPath, *, n_tasks: int = DEFAULT_TASKS, seed: int = 0) -> LatencyStats:
    """Latency of ``n_tasks`` tasks of profile ``p`` over ``path``, by Monte Carlo.

    A task: ``retrievals_per_task`` retrieval exchanges, then (if the profile fans out) a burst of
    ``fanout_subtasks * fanout_calls_per_subtask`` parallel calls the task waits for (the slowest
    one), then ``S ~ U{steps_per_task_min..max}`` sequential steps; step ``i`` sends
    ``system_prompt + i * context_growth`` (+ overhead), waits a lognormal model time
    (``model_time_median_s``, ``model_time_sigma``) and, with ``tool_call_probability``, makes
    a tool call (lognormal around ``tool_time_median_s``, sigma 0.5 as in the load model).
    Idle time between tasks is not part of a task's latency.

    Raises ``ValueError`` when ``n_tasks`` < 100 (too few for a p99).
    """
    if n_tasks < 100:
        raise ValueError(f"n_tasks must be at least 100 for a p99, got {n_tasks}")
    rng = np.random.default_rng(np.random.SeedSequence([seed, 4242]))
    ovh = p.request_overhead_bytes
    steps = rng.integers(p.steps_per_task_min, p.steps_per_task_max + 1, n_tasks)
    s_max = int(steps.max())
    i = np.arange(s_max)[None, :]
    live = i < steps[:, None]
    req = np.broadcast_to(ovh + p.system_prompt_bytes + p.context_growth_bytes_per_step * i, (n_tasks, s_max))
    resp = np.full((n_tasks, s_max), ovh + p.model_response_bytes)
    model_s = p.model_time_median_s * np.exp(p.model_time_sigma * rng.standard_normal((n_tasks, s_max)))
    step_t = _exchanges(rng, path, np.asarray(req, dtype=float), resp, model_s)
    tool = rng.random((n_tasks, s_max)) < p.tool_call_probability
    tool_s = p.tool_time_median_s * np.exp(0.5 * rng.standard_normal((n_tasks, s_max)))
    tool_t = _exchanges(
        rng,
        path,
        np.full((n_tasks, s_max), ovh + p.tool_request_bytes),
        np.full((n_tasks, s_max), ovh + p.tool_response_bytes),
        tool_s,
    )
    total = ((step_t + tool * tool_t) * live).sum(axis=1)
    calls = steps + (tool * live).sum(axis=1)
    for _ in range(p.retrievals_per_task):
        total = total + _exchanges(
            rng,
            path,
            np.full(n_tasks, ovh + p.retrieval_request_bytes),
            np.full(n_tasks, ovh + p.retrieval_response_bytes),
            np.zeros(n_tasks),
        )
        calls = calls + 1
    n_fan = p.fanout_subtasks * p.fanout_calls_per_subtask
    if n_fan:
        fan_model = p.model_time_median_s * np.exp(p.model_time_sigma * rng.standard_normal((n_tasks, n_fan)))
        fan = _exchanges(
            rng,
            path,
            np.full((n_tasks, n_fan), ovh + p.fanout_request_bytes),
            np.full((n_tasks, n_fan), ovh + p.model_response_bytes),
            fan_model,
        )
        total = total + fan.max(axis=1)
        calls = calls + n_fan
    budget = p.latency_budget_s
    return LatencyStats(
        n_tasks=n_tasks,
        mean_s=float(total.mean()),
        p50_s=nearest_rank(total, 0.50),
        p95_s=nearest_rank(total, 0.95),
        p99_s=nearest_rank(total, 0.99),
        budget_s=budget,
        over_budget=float(np.mean(total > budget)) if budget is not None else None,
        calls_per_task=float(calls.mean()),
    )
