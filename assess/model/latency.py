"""Task latency of agentic workflows by Monte Carlo over tasks x steps (DOMAIN.md 1, 3).

An agentic task is a chain of sequential network exchanges, so the network's tail compounds:
with ``N`` sequential calls the chance that at least one lands in the per-call p99 tail is
``1 - 0.99**N`` (26 % at 30 calls), and a fan-out of ``N`` parallel calls waits for the slowest
of them. This module draws whole tasks and reports their latency percentiles against the
workflow's budget, for a network path (RTT, loss, TLS version, connection reuse, queueing).

One exchange (request up, response down) on a path takes::

    setup     = 0 with connection reuse, else TCP (1 RTT) + TLS 1.3 (1 RTT, RFC 8446) or TLS 1.2
                (2 RTT, RFC 5246), plus the handshake's bytes
    exchange  = RTT (WAN + destination's added RTT) + 8 * (request + response bytes) / transfer rate + server time
                + queueing delay (both directions) + loss penalty

Loss (independent per packet, 1448-byte segments): a lost segment that is not the last of its
flight is repaired by fast retransmit after duplicate ACKs (~1 RTT, RFC 5681); a lost last
segment waits for the retransmission timeout ``RTO = max(200 ms, 3 RTT)`` (RFC 6298 with
RTTVAR ~ RTT/2; 200 ms is Linux's minimum RTO, assumption for the endpoints). A call that
takes longer than its timeout, or that its endpoint fails, is retried with full-jitter backoff
if it is idempotent (DOMAIN.md 4; M. Brooker, "Exponential Backoff and Jitter", AWS
Architecture Blog 2015). Everything is vectorised with numpy and seeded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from assess.model.profiles import (
    TLS_HANDSHAKE_DOWN_BYTES,
    TLS_HANDSHAKE_UP_BYTES,
    AgenticProfile,
    Call,
    Destination,
)
from assess.model.stats import lognormal, nearest_rank

F64 = NDArray[np.float64]

#: TCP payload per segment on a 1500-byte MTU path with timestamps (1500 - 20 - 20 - 12).
MSS_BYTES = 1448
#: Minimum retransmission timeout (Linux TCP_RTO_MIN; RFC 6298 allows 1 s): assumption.
RTO_MIN_S = 0.200
#: Tasks drawn per estimate: p99 from 20,000 tasks has a standard error of about 1 %.
DEFAULT_TASKS = 20_000


class NetworkPath(BaseModel):
    """The WAN path an agent's calls take. ``rtt_ms``: round trip to the hub/breakout (each
    destination adds its ``added_rtt_ms``); ``loss``: packet loss probability (0-1);
    ``tls``/``keepalive``: ``None`` = as each destination says, else forced for every call (the
    "TLS 1.2 without keep-alive" what-if); ``transfer_rate_bps``: rate of one call;
    ``queue_delay_ms``: queueing added per exchange (both directions together)."""

    model_config = ConfigDict(frozen=True)
    rtt_ms: float = Field(ge=0)
    loss: float = Field(0.0, ge=0, lt=1)
    tls: Literal["1.2", "1.3"] | None = None
    keepalive: bool | None = None
    transfer_rate_bps: float = Field(gt=0)
    queue_delay_ms: float = Field(0.0, ge=0)


class LatencyStats(BaseModel):
    """Task latency percentiles in seconds over ``n_tasks`` simulated tasks; ``over_budget``:
    share of tasks slower than ``budget_s`` (``None`` without a budget); ``failed``: share of
    tasks in which a call still failed after its retries (or failed once, not being
    idempotent); ``attempts_per_call``: attempts per call including retries;
    ``network_share``: share of the mean task time spent on the network (set-up, round trips,
    transfer, queueing, loss recovery, timeouts and backoff) rather than in servers."""

    model_config = ConfigDict(frozen=True)
    n_tasks: int
    mean_s: float
    p50_s: float
    p95_s: float
    p99_s: float
    budget_s: float | None
    over_budget: float | None
    calls_per_task: float
    failed: float = 0.0
    attempts_per_call: float = 1.0
    network_share: float = 0.0


def tail_hit_probability(n_calls: int, quantile: float = 0.99) -> float:
    """Chance that at least one of ``n_calls`` independent calls exceeds its ``quantile``:
    ``1 - quantile**n_calls`` (26 % for 30 calls at p99)."""
    return 1.0 - quantile**n_calls


@dataclass(frozen=True)
class Leg:
    """A path to one destination: round trip (s), connection set-up (s, 0 with reuse), whether
    each call opens a new connection, loss, rate of one call (bits/s), queueing (s)."""

    rtt_s: float
    setup_s: float
    new_connection: bool
    loss: float
    rate_bps: float
    queue_s: float

    @staticmethod
    def to(path: NetworkPath, dest: Destination | None = None) -> Leg:
        """The leg to ``dest`` over ``path`` (``None``: a destination at the hub with TLS 1.3
        and connection reuse)."""
        rtt = (path.rtt_ms + (dest.added_rtt_ms if dest else 0.0)) / 1000.0
        reuse = path.keepalive if path.keepalive is not None else (dest.connection_reuse if dest else True)
        tls = path.tls or (dest.tls if dest else "1.3")
        return Leg(
            rtt_s=rtt,
            setup_s=0.0 if reuse else (1 + (1 if tls == "1.3" else 2)) * rtt,
            new_connection=not reuse,
            loss=path.loss,
            rate_bps=path.transfer_rate_bps,
            queue_s=path.queue_delay_ms / 1000.0,
        )


def _exchanges(rng: np.random.Generator, leg: Leg, request_bytes: F64, response_bytes: F64, server_s: F64) -> F64:
    """Latency (s) of exchanges with the given sizes and server times (same shapes)."""
    rtt = leg.rtt_s
    t = leg.setup_s + rtt + 8.0 * (request_bytes + response_bytes) / leg.rate_bps + server_s + leg.queue_s
    if leg.loss > 0:
        rto = max(RTO_MIN_S, 3 * rtt)
        up = np.maximum(np.ceil(request_bytes / MSS_BYTES), 1)
        down = np.maximum(np.ceil(response_bytes / MSS_BYTES), 1)
        segments = up + down
        # The last segment of each direction: its loss costs an RTO, not a fast retransmit.
        inner = rng.binomial((segments - 2).astype(np.int64), leg.loss)
        tails = rng.binomial(2, leg.loss, size=np.shape(segments))
        t = t + inner * rtt + tails * rto
        if leg.new_connection:  # a lost SYN waits for the initial RTO of 1 s (RFC 6298)
            t = t + (rng.random(np.shape(segments)) < leg.loss) * 1.0
    return np.asarray(t, dtype=np.float64)


@dataclass
class _Outcome:
    """Calls of one kind in a batch of tasks: time (s), server time (s), failed, attempts."""

    time: F64
    server: F64
    failed: NDArray[np.bool_]
    attempts: F64


def call_outcome(
    rng: np.random.Generator, leg: Leg, call: Call, dest: Destination | None, request_bytes: F64, overhead_bytes: float
) -> _Outcome:
    """Time of calls of ``call`` (request sizes ``request_bytes``, any shape), with timeouts and
    retries: an attempt fails when it takes longer than ``timeout_s`` (it costs the timeout) or
    the endpoint errors (``error_rate``); a failed idempotent call is retried up to ``retries``
    times after a full-jitter backoff ``U(0, min(cap, base * 2**k))`` (Brooker 2015)."""
    shape = np.shape(request_bytes)
    hs_up, hs_down = (TLS_HANDSHAKE_UP_BYTES, TLS_HANDSHAKE_DOWN_BYTES) if leg.new_connection else (0, 0)
    req = np.asarray(request_bytes, dtype=float).ravel() + overhead_bytes + hs_up
    resp = np.full(req.shape[0], overhead_bytes + call.response_bytes + hs_down)
    n = req.shape[0]
    time = np.zeros(n)
    server_total = np.zeros(n)
    attempts = np.zeros(n)
    pending = np.arange(n)
    err = dest.error_rate if dest else 0.0
    max_attempts = 1 + (call.retries if call.idempotent else 0)
    for k in range(max_attempts):
        m = pending.shape[0]
        server = lognormal(rng, call.server_time_median_s, call.server_time_sigma, m)
        lat = _exchanges(rng, leg, req[pending], resp[pending], server)
        timed_out = lat > call.timeout_s
        failed = timed_out | ((rng.random(m) < err) if err > 0 else False)
        time[pending] += np.minimum(lat, call.timeout_s)
        server_total[pending] += np.where(timed_out, 0.0, server)
        attempts[pending] += 1
        pending = pending[failed]
        if pending.shape[0] == 0 or k == max_attempts - 1:
            break
        cap = min(call.backoff_cap_s, call.backoff_base_s * 2**k)
        time[pending] += rng.uniform(0, cap, pending.shape[0])
    failed_mask = np.zeros(n, dtype=bool)
    failed_mask[pending] = True
    return _Outcome(
        time.reshape(shape), server_total.reshape(shape), failed_mask.reshape(shape), attempts.reshape(shape)
    )


def task_latency(
    p: AgenticProfile,
    path: NetworkPath,
    destinations: Mapping[str, Destination] | None = None,
    *,
    n_tasks: int = DEFAULT_TASKS,
    seed: int = 0,
) -> LatencyStats:
    """Latency of ``n_tasks`` tasks of workflow ``p`` over ``path``, by Monte Carlo.

    A task: its ``per: task`` calls in order, then (with a fan-out) the burst of parallel calls
    it waits for (the slowest), then ``S ~ U{steps_per_task_min..max}`` steps of its
    ``per: step`` calls in order (step ``i`` sends ``request + i * context_growth``), then its
    ``per: task-end`` calls. Each call goes to its destination (``destinations``; ``None`` or a
    missing name: at the hub, TLS 1.3, reused connections) with its server time, timeout,
    retries and backoff (``call_outcome``). Idle time between tasks is not part of a task.

    Raises ``ValueError`` when ``n_tasks`` < 100 (too few for a p99).
    """
    if n_tasks < 100:
        raise ValueError(f"n_tasks must be at least 100 for a p99, got {n_tasks}")
    dests = destinations or {}
    rng = np.random.default_rng(np.random.SeedSequence([seed, 4242]))
    ovh = p.request_overhead_bytes
    total = np.zeros(n_tasks)
    server = np.zeros(n_tasks)
    failed = np.zeros(n_tasks, dtype=bool)
    calls = np.zeros(n_tasks)
    attempts = np.zeros(n_tasks)

    def run(call: Call, request: F64, present: NDArray[np.bool_]) -> None:
        """Add calls of ``call`` (one per task, or tasks x steps) made where ``present``."""
        nonlocal total, server, failed, calls, attempts
        dest = dests.get(call.destination)
        o = call_outcome(rng, Leg.to(path, dest), call, dest, request, ovh)
        per_task = tuple(range(1, o.time.ndim))  # () for one call per task: nothing to sum
        total = total + (o.time * present).sum(axis=per_task)
        server = server + (o.server * present).sum(axis=per_task)
        failed = failed | (o.failed & present).any(axis=per_task)
        calls = calls + present.sum(axis=per_task)
        attempts = attempts + (o.attempts * present).sum(axis=per_task)

    for c in p.calls_per("task"):
        run(c, np.full(n_tasks, c.request_bytes), rng.random(n_tasks) < c.probability)
    fc = p.fanout_call()
    if fc is not None and p.fanout is not None:
        n_fan = p.fanout.n_calls
        dest = dests.get(fc.destination)
        o = call_outcome(rng, Leg.to(path, dest), fc, dest, np.full((n_tasks, n_fan), fc.request_bytes), ovh)
        slowest = o.time.argmax(axis=1)
        total = total + o.time.max(axis=1)
        server = server + o.server[np.arange(n_tasks), slowest]
        failed = failed | o.failed.any(axis=1)
        calls = calls + n_fan
        attempts = attempts + o.attempts.sum(axis=1)
    steps = rng.integers(p.steps_per_task_min, p.steps_per_task_max + 1, n_tasks)
    s_max = int(steps.max())
    i = np.arange(s_max)[None, :]
    live = i < steps[:, None]
    for c in p.calls_per("step"):
        present = live & (rng.random((n_tasks, s_max)) < c.probability)
        run(
            c,
            np.asarray(np.broadcast_to(c.request_bytes + c.context_growth_bytes_per_step * i, (n_tasks, s_max))),
            present,
        )
    for c in p.calls_per("task-end"):
        run(c, np.full(n_tasks, c.request_bytes), rng.random(n_tasks) < c.probability)
    budget = p.latency_budget_s
    mean = float(total.mean())
    return LatencyStats(
        n_tasks=n_tasks,
        mean_s=mean,
        p50_s=nearest_rank(total, 0.50),
        p95_s=nearest_rank(total, 0.95),
        p99_s=nearest_rank(total, 0.99),
        budget_s=budget,
        over_budget=float(np.mean(total > budget)) if budget is not None else None,
        calls_per_task=float(calls.mean()),
        failed=float(failed.mean()),
        attempts_per_call=float(attempts.sum() / max(calls.sum(), 1)),
        network_share=float(1 - server.mean() / mean) if mean > 0 else 0.0,
    )
