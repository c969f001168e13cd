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

from assess.model.profiles import AgenticProfile, GenerativeProfile, ProfileSet

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
    rate, rtt = ps.transfer_rate_bps, ps.rtt_ms / 1000.0
    lam = users * p.prompts_per_user_hour / 3600.0

    def prompt() -> simpy.events.ProcessGenerator:
        t = env.now
        prompt_b = rng.uniform(p.prompt_tokens_min, p.prompt_tokens_max) * p.bytes_per_token + p.request_overhead_bytes
        tr.add(t, 8 * prompt_b, GENERATIVE, UP, rate)
        yield env.timeout(8 * prompt_b / rate)
        rag = rng.random() < p.retrieval_per_prompt
        if rag:
            tr.add(env.now + rtt, 8 * p.retrieval_response_bytes, GENERATIVE, DOWN, rate)
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
    rate, rtt, ovh = ps.transfer_rate_bps, ps.rtt_ms / 1000.0, p.request_overhead_bytes
    resp = ovh + p.model_response_bytes
    step_mean = (
        2 * rtt
        + p.model_time_median_s * math.exp(p.model_time_sigma**2 / 2)
        + p.tool_call_probability * (rtt + p.tool_time_median_s)
    )
    warm = (p.steps_per_task_min + p.steps_per_task_max) / 2 * step_mean + p.idle_between_tasks_s
    n_fan = p.fanout_subtasks * p.fanout_calls_per_subtask
    iv = p.trace_export_interval_s

    def fan_call(delay: float, batch: list[float]) -> simpy.events.ProcessGenerator:
        yield env.timeout(delay)
        batch.append(p.span_bytes + p.audit_bytes_per_call)
        tr.add(env.now, 8 * (ovh + p.fanout_request_bytes), AGENTIC, UP, rate)
        yield env.timeout(rtt + p.model_time_median_s * math.exp(p.model_time_sigma * rng.standard_normal()))
        tr.add(env.now, 8 * resp, AGENTIC, DOWN, rate)

    def exporter(batch: list[float], offset: float) -> simpy.events.ProcessGenerator:
        # Spans of calls started in [k*iv - offset, (k+1)*iv - offset) leave at (k+1)*iv - offset.
        first = (math.floor((env.now + offset) / iv) + 1) * iv - offset
        yield env.timeout(first - env.now)
        while True:
            total = sum(batch)
            batch.clear()
            if total > 0:
                tr.add(env.now, 8 * (total + ovh), AGENTIC, UP, rate)
            yield env.timeout(iv)

    def agent(phase: float) -> simpy.events.ProcessGenerator:
        yield env.timeout(-phase - env.now)  # the first task starts at -phase, as in the model
        batch: list[float] = []
        env.process(exporter(batch, rng.uniform(0, iv)))
        while True:
            steps = int(rng.integers(p.steps_per_task_min, p.steps_per_task_max + 1))
            t_task = env.now
            for _ in range(p.retrievals_per_task):
                tr.add(t_task, 8 * (ovh + p.retrieval_request_bytes), AGENTIC, UP, rate)
                tr.add(t_task + rtt, 8 * (ovh + p.retrieval_response_bytes), AGENTIC, DOWN, rate)
            for _ in range(n_fan):
                env.process(fan_call(rng.uniform(0, p.fanout_window_s), batch))
            for i in range(steps):
                req = ovh + p.system_prompt_bytes + p.context_growth_bytes_per_step * i
                tool = rng.random() < p.tool_call_probability
                batch.append((p.span_bytes + p.audit_bytes_per_call) * (2 if tool else 1))
                tr.add(env.now, 8 * req, AGENTIC, UP, rate)
                yield env.timeout(
                    8 * req / rate + rtt + p.model_time_median_s * math.exp(p.model_time_sigma * rng.standard_normal())
                )
                tr.add(env.now, 8 * resp, AGENTIC, DOWN, rate)
                yield env.timeout(8 * resp / rate)
                if tool:
                    tr.add(env.now, 8 * (ovh + p.tool_request_bytes), AGENTIC, UP, rate)
                    yield env.timeout(rtt + p.tool_time_median_s * math.exp(0.5 * rng.standard_normal()))
                    tr.add(env.now, 8 * (ovh + p.tool_response_bytes), AGENTIC, DOWN, rate)
            yield env.timeout(rng.exponential(p.idle_between_tasks_s or 1e-9))

    assert warm < 1200.0, f"{warm:.0f} s tasks: raise the warm-up of simulate_site"
    for _ in range(agents):
        env.process(agent(rng.uniform(0, warm)))


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
