"""An independent discrete-event simulation of the traffic profiles, written with SimPy.

Reference only (tests and benchmarks): the product's model (``assess.model.generate``) builds
the same load as vectorised numpy event lists. Here every person prompt, agent, task, step, tool
call, fan-out call and telemetry exporter is a SimPy process that *waits* through the profile's
timings, and every transfer is binned with a plain per-event loop, so a mistake in the
vectorised bookkeeping (cumulative sums, phases, masks, batching, binning) shows up as a
difference. Same semantics as ``assess.model.generate`` (see its docstrings), separate random
streams: results agree statistically, not bit for bit.

    sim = simulate_site([("support-agent", 200)], profile_set, seed=1)
    sim.series(kind=1, direction=1)   # bits/s per bin, agentic upstream
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import simpy

from assess.model.profiles import (
    TLS_HANDSHAKE_DOWN_BYTES,
    TLS_HANDSHAKE_UP_BYTES,
    AgenticProfile,
    Call,
    GenerativeProfile,
    ProfileSet,
)

DOWN, UP = 0, 1
GENERATIVE, AGENTIC = 0, 1


@dataclass
class Transfers:
    """Transfers as (start s, duration s, bits, kind, direction); binned on demand."""

    rows: list[tuple[float, float, float, int, int]] = field(default_factory=list)

    def add(
        self, start: float, bits: float, kind: int, direction: int, rate_bps: float, dur: float | None = None
    ) -> None:
        self.rows.append((start, bits / rate_bps if dur is None else dur, bits, kind, direction))


@dataclass
class SimResult:
    horizon_s: float
    bin_s: float
    transfers: Transfers

    def series(self, kind: int | None = None, direction: int | None = None) -> np.ndarray:
        """Bits/s per bin over [0, horizon) of the selected transfers: each transfer spreads its
        bits evenly over [start, start + duration), clipped to the horizon (a plain loop)."""
        n = int(round(self.horizon_s / self.bin_s))
        out = np.zeros(n)
        for start, dur, bits, k, d in self.transfers.rows:
            if (kind is not None and k != kind) or (direction is not None and d != direction):
                continue
            end = start + dur
            if dur <= 0:
                if 0 <= start < self.horizon_s:
                    out[int(start // self.bin_s)] += bits
                continue
            rate = bits / dur
            lo, hi = max(start, 0.0), min(end, self.horizon_s)
            if hi <= lo:
                continue
            b = int(lo // self.bin_s)
            while b < n and b * self.bin_s < hi:
                a0, a1 = max(lo, b * self.bin_s), min(hi, (b + 1) * self.bin_s)
                if a1 > a0:
                    out[b] += rate * (a1 - a0)
                b += 1
        return out / self.bin_s


def _generative(
    env: simpy.Environment, p: GenerativeProfile, users: int, ps: ProfileSet, rng: np.random.Generator, tr: Transfers
) -> simpy.events.Process:
    rate = ps.transfer_rate_bps
    rtt = (ps.rtt_ms + ps.destinations[p.destination].added_rtt_ms) / 1000.0
    rag_rtt = (ps.rtt_ms + ps.destinations[p.retrieval_destination or p.destination].added_rtt_ms) / 1000.0
    lam = users * p.prompts_per_user_hour * p.rate_factor(ps.hour_of_day) / 3600.0

    def prompt() -> simpy.events.ProcessGenerator:
        t = env.now
        prompt_b = rng.uniform(p.prompt_tokens_min, p.prompt_tokens_max) * p.bytes_per_token + p.request_overhead_bytes
        tr.add(t, 8 * prompt_b, GENERATIVE, UP, rate)
        yield env.timeout(8 * prompt_b / rate)
        rag = rng.random() < p.retrieval_per_prompt
        if rag:
            tr.add(env.now + rag_rtt, 8 * p.retrieval_response_bytes, GENERATIVE, DOWN, rate)
        yield env.timeout(rtt + p.time_to_first_token_s)
        tokens = rng.uniform(p.answer_tokens_min, p.answer_tokens_max)
        speed = rng.uniform(p.stream_tokens_per_s_min, p.stream_tokens_per_s_max)
        tr.add(env.now, 8 * tokens * p.wire_bytes_per_token, GENERATIVE, DOWN, rate, dur=tokens / speed)

    def arrivals() -> simpy.events.ProcessGenerator:
        while True:
            yield env.timeout(rng.exponential(1 / lam))
            env.process(prompt())

    return env.process(arrivals())


def _agentic(
    env: simpy.Environment, p: AgenticProfile, agents: int, ps: ProfileSet, rng: np.random.Generator, tr: Transfers
) -> None:
    """Agents (closed loop) or arriving tasks (open loop) walking the workflow's dependency map:
    per-task calls, the fan-out they wait for, the steps' calls, the task-end calls, idle."""
    if not p.active_at(ps.hour_of_day):
        return
    rate, ovh = ps.transfer_rate_bps, p.request_overhead_bytes

    def timing(c: Call) -> tuple[float, float, float, float]:
        """(rtt s, set-up s, handshake bytes up, down) of a call to its destination."""
        d = ps.destinations[c.destination]
        rtt = (ps.rtt_ms + d.added_rtt_ms) / 1000.0
        if d.connection_reuse:
            return rtt, 0.0, 0.0, 0.0
        return rtt, (2 if d.tls == "1.3" else 3) * rtt, TLS_HANDSHAKE_UP_BYTES, TLS_HANDSHAKE_DOWN_BYTES

    def server(c: Call) -> float:
        return c.server_time_median_s * (
            math.exp(c.server_time_sigma * rng.standard_normal()) if c.server_time_sigma else 1.0
        )

    def call(c: Call, step: int, batch: list[float]) -> simpy.events.ProcessGenerator:
        rtt, setup, hs_up, hs_down = timing(c)
        if p.telemetry is not None:
            batch.append(p.telemetry.span_bytes + p.telemetry.audit_bytes_per_call)
        req = ovh + c.request_bytes + c.context_growth_bytes_per_step * step + hs_up
        resp = ovh + c.response_bytes + hs_down
        yield env.timeout(setup)
        tr.add(env.now, 8 * req, AGENTIC, UP, rate)
        yield env.timeout(8 * req / rate + rtt + server(c))
        tr.add(env.now, 8 * resp, AGENTIC, DOWN, rate)
        yield env.timeout(8 * resp / rate)

    def fan_call(c: Call, delay: float, batch: list[float]) -> simpy.events.ProcessGenerator:
        yield env.timeout(delay)
        yield env.process(call(c, 0, batch))

    def task(batch: list[float]) -> simpy.events.ProcessGenerator:
        steps = int(rng.integers(p.steps_per_task_min, p.steps_per_task_max + 1))
        for c in p.calls:
            if c.per == "task" and (c.probability >= 1 or rng.random() < c.probability):
                yield env.process(call(c, 0, batch))
        fc = p.fanout_call()
        if fc is not None and p.fanout is not None:
            burst = [
                env.process(fan_call(fc, rng.uniform(0, p.fanout.window_s), batch)) for _ in range(p.fanout.n_calls)
            ]
            yield simpy.AllOf(env, burst)
        for i in range(steps):
            for c in p.calls:
                if c.per == "step" and (c.probability >= 1 or rng.random() < c.probability):
                    yield env.process(call(c, i, batch))
        for c in p.calls:
            if c.per == "task-end" and (c.probability >= 1 or rng.random() < c.probability):
                yield env.process(call(c, 0, batch))

    def exporter(batch: list[float], offset: float, iv: float) -> simpy.events.ProcessGenerator:
        # Spans of calls started in [k*iv - offset, (k+1)*iv - offset) leave at (k+1)*iv - offset.
        first = (math.floor((env.now + offset) / iv) + 1) * iv - offset
        yield env.timeout(first - env.now)
        while True:
            total = sum(batch)
            batch.clear()
            if total > 0:
                tr.add(env.now, 8 * (total + ovh), AGENTIC, UP, rate)
            yield env.timeout(iv)

    batches: list[list[float]] = [[] for _ in range(agents)]
    if p.telemetry is not None:
        iv = p.telemetry.export_interval_s
        for b in batches:
            env.process(exporter(b, rng.uniform(0, iv), iv))

    if p.arrival == "open":
        assert p.tasks_per_agent_hour is not None
        lam = agents * p.tasks_per_agent_hour / 3600.0

        def arrivals() -> simpy.events.ProcessGenerator:
            while True:
                yield env.timeout(rng.exponential(1 / lam))
                env.process(task(batches[int(rng.integers(0, agents))]))

        env.process(arrivals())
        return

    def agent(phase: float, batch: list[float]) -> simpy.events.ProcessGenerator:
        yield env.timeout(-phase - env.now)  # the first task starts at -phase, as in the model
        while True:
            yield env.process(task(batch))
            if p.idle_between_tasks_s:
                yield env.timeout(rng.exponential(p.idle_between_tasks_s))

    # Mean task time, written out here independently of the model: the agents' phases spread
    # over one task, so the hour starts in steady state.
    def mean_call(c: Call, step: float) -> float:
        rtt, setup, hs_up, hs_down = timing(c)
        size = 2 * ovh + c.request_bytes + c.context_growth_bytes_per_step * step + c.response_bytes + hs_up + hs_down
        return setup + 8 * size / rate + rtt + c.server_time_median_s * math.exp(c.server_time_sigma**2 / 2)

    s_mean = (p.steps_per_task_min + p.steps_per_task_max) / 2
    warm = p.idle_between_tasks_s + sum(
        c.probability * (s_mean * mean_call(c, s_mean / 2) if c.per == "step" else mean_call(c, 0))
        for c in p.calls
        if c.per != "fanout"
    )
    fc = p.fanout_call()
    if fc is not None and p.fanout is not None:
        warm += p.fanout.window_s + mean_call(fc, 0)
    assert warm < 1200.0, f"{warm:.0f} s tasks: raise the warm-up of simulate_site"
    for b in batches:
        env.process(agent(rng.uniform(0, warm), b))


def simulate_site(workloads: list[tuple[str, int]], ps: ProfileSet, seed: int) -> SimResult:
    """Simulate one site's workloads over ``ps.horizon_s`` (plus warm-up before 0)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 777]))
    warm = 1200.0  # longer than any profile's mean task, so every agent's phase fits
    env = simpy.Environment(initial_time=-warm)
    tr = Transfers()
    for name, count in workloads:
        prof = ps.profiles[name]
        if isinstance(prof, GenerativeProfile):
            _generative(env, prof, count, ps, rng, tr)
        else:
            _agentic(env, prof, count, ps, rng, tr)
    env.run(until=ps.horizon_s)
    return SimResult(horizon_s=float(ps.horizon_s), bin_s=ps.bin_s, transfers=tr)
