"""Offered AI load per site as bits/s series by kind, class and direction (DOMAIN.md 1-2).

Each workload is turned into an event list (start, end, bits, series key), vectorised with
numpy over the whole population, then binned exactly (``assess.model.binning``). All draws come
from ``numpy.random.default_rng(seed_sequence)``: the same inventory seed gives the same series.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from assess.classes import CLASS_INDEX, CLASS_NAMES, DIRECTIONS, KINDS
from assess.errors import ModelError
from assess.model.binning import bin_transfers
from assess.model.profiles import AgenticProfile, GenerativeProfile, ProfileSet

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]

N_CLASSES = len(CLASS_NAMES)
N_KEYS = len(KINDS) * N_CLASSES * len(DIRECTIONS)
DOWN, UP = 0, 1


def series_key(kind: int, cls: str, direction: int) -> int:
    """Index of the (kind, class, direction) series in a ``SiteDemand.bps`` array."""
    return (kind * N_CLASSES + CLASS_INDEX[cls]) * 2 + direction


@dataclass
class Events:
    """An event list: parallel arrays, times in s, sizes in bits."""

    start: list[F64] = field(default_factory=list)
    end: list[F64] = field(default_factory=list)
    bits: list[F64] = field(default_factory=list)
    key: list[I64] = field(default_factory=list)
    #: calls (request sent .. response received) per kind, for concurrency: (start, end, kind)
    call_start: list[F64] = field(default_factory=list)
    call_end: list[F64] = field(default_factory=list)
    call_kind: list[I64] = field(default_factory=list)

    def add_calls(self, start: F64, end: F64, kind: int) -> None:
        self.call_start.append(np.asarray(start, dtype=float))
        self.call_end.append(np.asarray(end, dtype=float))
        self.call_kind.append(np.full(np.shape(start)[0], kind, dtype=np.int64))

    def add(self, start: F64, bytes_: F64, key: int, rate_bps: float, duration_s: F64 | None = None) -> None:
        bits = 8.0 * np.asarray(bytes_, dtype=float) * np.ones_like(start)
        dur = bits / rate_bps if duration_s is None else duration_s
        self.start.append(start)
        self.end.append(start + dur)
        self.bits.append(bits)
        self.key.append(np.full(start.shape[0], key, dtype=np.int64))

    def arrays(self) -> tuple[F64, F64, F64, I64]:
        if not self.start:
            z = np.zeros(0)
            return z, z, z, np.zeros(0, dtype=np.int64)
        return (
            np.concatenate(self.start),
            np.concatenate(self.end),
            np.concatenate(self.bits),
            np.concatenate(self.key),
        )


@dataclass(frozen=True)
class SiteDemand:
    """Modelled AI load of one site.

    ``bps``: shape ``(2 kinds, 8 classes, 2 directions, n_bins)``, bits/s per bin (kinds:
    generative, agentic; classes in ``CLASS_NAMES`` order; directions down, up). ``bin_s``: bin
    width. ``offered_bits``: total bits of the events inside the horizon, counted apart from the
    binning when ``generate_site(count_offered=True)`` (for conservation checks), else NaN.
    A call is counted from its request's first byte to its response's last (streamed answers
    included), each generative prompt and each agentic model, tool, retrieval and fan-out call.
    """

    site: str
    bps: F64
    bin_s: float
    offered_bits: float
    #: AI calls in flight at the start of each bin, shape ``(2 kinds, n_bins)``: by Little's law
    #: its mean is (calls per second) x (mean call duration); the sessions a NAT or firewall must
    #: hold
    calls_in_flight: F64 | None = None

    def total(self, direction: int | None = None, kind: int | None = None, cls: str | None = None) -> F64:
        """Sum of the selected series (bits/s per bin); ``None`` selects all."""
        a = self.bps
        a = a[kind : kind + 1] if kind is not None else a
        a = a[:, CLASS_INDEX[cls] : CLASS_INDEX[cls] + 1] if cls is not None else a
        a = a[:, :, direction : direction + 1] if direction is not None else a
        return np.asarray(a.sum(axis=(0, 1, 2)), dtype=float)


def _generative(p: GenerativeProfile, users: int, ps: ProfileSet, rng: np.random.Generator, ev: Events) -> None:
    """Poisson prompts at ``users * prompts_per_user_hour`` per hour over the horizon plus one
    minute of warm-up (streams already running at t = 0)."""
    warm = 60.0
    span = ps.horizon_s + warm
    n = rng.poisson(users * p.prompts_per_user_hour / 3600.0 * span)
    t = rng.uniform(-warm, ps.horizon_s, n)
    rtt = ps.rtt_ms / 1000.0
    prompt = rng.uniform(p.prompt_tokens_min, p.prompt_tokens_max, n) * p.bytes_per_token + p.request_overhead_bytes
    up_end = t + 8 * prompt / ps.transfer_rate_bps
    ev.add(t, prompt, series_key(0, "AI-INTERACTIVE", UP), ps.transfer_rate_bps)
    answer = rng.uniform(p.answer_tokens_min, p.answer_tokens_max, n)
    speed = rng.uniform(p.stream_tokens_per_s_min, p.stream_tokens_per_s_max, n)
    first = up_end + rtt + p.time_to_first_token_s
    ev.add(
        first,
        answer * p.wire_bytes_per_token,
        series_key(0, "AI-INTERACTIVE", DOWN),
        ps.transfer_rate_bps,
        duration_s=answer / speed,
    )
    ev.add_calls(t, first + answer / speed, 0)
    with_rag = rng.random(n) < p.retrieval_per_prompt
    if np.any(with_rag):
        ev.add(
            up_end[with_rag] + rtt,
            np.full(int(with_rag.sum()), p.retrieval_response_bytes),
            series_key(0, "AI-INTERACTIVE", DOWN),
            ps.transfer_rate_bps,
        )


def _agentic(p: AgenticProfile, agents: int, ps: ProfileSet, rng: np.random.Generator, ev: Events) -> None:
    """Closed-loop agents: tasks back to back, each a sequence of model (and tool) calls.

    Vectorised over agents x steps: step durations are drawn for every agent at once and turned
    into start times by a cumulative sum per agent; agents start at a random phase of a task so
    the hour is in steady state.
    """
    rate = ps.transfer_rate_bps
    rtt = ps.rtt_ms / 1000.0
    ovh = p.request_overhead_bytes
    s_mean = (p.steps_per_task_min + p.steps_per_task_max) / 2
    step_mean = (
        2 * rtt
        + p.model_time_median_s * np.exp(p.model_time_sigma**2 / 2)
        + p.tool_call_probability * (rtt + p.tool_time_median_s)
    )
    task_mean = s_mean * step_mean + p.idle_between_tasks_s
    warm = task_mean
    # 1.25x the expected tasks covers the horizon for almost every agent; else the loop doubles.
    n_tasks = int(np.ceil(1.25 * (ps.horizon_s + warm) / task_mean)) + 3
    for _ in range(8):
        S = rng.integers(p.steps_per_task_min, p.steps_per_task_max + 1, size=(agents, n_tasks))
        s_flat = S.ravel()
        total = int(s_flat.sum())
        per_agent = S.sum(axis=1)
        agent = np.repeat(np.arange(agents), per_agent)
        task_first = np.cumsum(s_flat) - s_flat
        i_step = np.arange(total) - np.repeat(task_first, s_flat)
        last_step = i_step == np.repeat(s_flat - 1, s_flat)
        req = ovh + p.system_prompt_bytes + p.context_growth_bytes_per_step * i_step
        model_t = p.model_time_median_s * np.exp(p.model_time_sigma * rng.standard_normal(total))
        tool = rng.random(total) < p.tool_call_probability
        tool_t = p.tool_time_median_s * np.exp(0.5 * rng.standard_normal(total))
        resp = ovh + p.model_response_bytes
        up_s = 8 * req / rate
        down_s = 8 * resp / rate
        dur = up_s + rtt + model_t + down_s + tool * (rtt + tool_t)
        dur = dur + last_step * rng.exponential(p.idle_between_tasks_s or 1e-9, total)
        cum = np.cumsum(dur) - dur
        agent_first = np.cumsum(per_agent) - per_agent
        phase = rng.uniform(0, warm, agents)
        t = cum - np.repeat(cum[agent_first], per_agent) - np.repeat(phase, per_agent)
        t_end = t + dur
        last_of_agent = np.cumsum(per_agent) - 1
        if np.all(t_end[last_of_agent] >= ps.horizon_s):
            break
        n_tasks *= 2
    else:  # pragma: no cover - eight doublings always cover the horizon
        raise ModelError(f"agentic profile could not fill {ps.horizon_s} s")

    live = t < ps.horizon_s
    t, req, model_t, tool, tool_t, i_step, agent = (
        t[live],
        req[live],
        model_t[live],
        tool[live],
        tool_t[live],
        i_step[live],
        agent[live],
    )
    up_s = 8 * req / rate
    k_up, k_down = series_key(1, "AI-AGENT", UP), series_key(1, "AI-AGENT", DOWN)
    ev.add(t, req, k_up, rate)
    t_resp = t + up_s + rtt + model_t
    ev.add(t_resp, np.full(t.shape[0], resp), k_down, rate)
    t_tool = t_resp + 8 * resp / rate
    ev.add_calls(t, t_tool, 1)
    ev.add_calls(t_tool[tool], t_tool[tool] + rtt + tool_t[tool] + 8 * (ovh + p.tool_response_bytes) / rate, 1)
    ev.add(t_tool[tool], np.full(int(tool.sum()), ovh + p.tool_request_bytes), k_up, rate)
    ev.add(
        t_tool[tool] + rtt + tool_t[tool],
        np.full(int(tool.sum()), ovh + p.tool_response_bytes),
        k_down,
        rate,
    )

    first = i_step == 0
    t_task = t[first]
    for _ in range(p.retrievals_per_task):
        ev.add(t_task, np.full(t_task.shape[0], ovh + p.retrieval_request_bytes), k_up, rate)
        ev.add(t_task + rtt, np.full(t_task.shape[0], ovh + p.retrieval_response_bytes), k_down, rate)
        ev.add_calls(t_task, t_task + rtt + 8 * (ovh + p.retrieval_response_bytes) / rate, 1)

    n_fan = p.fanout_subtasks * p.fanout_calls_per_subtask
    if n_fan:
        tf = np.repeat(t_task, n_fan) + rng.uniform(0, p.fanout_window_s, t_task.shape[0] * n_fan)
        ev.add(tf, np.full(tf.shape[0], ovh + p.fanout_request_bytes), k_up, rate)
        tr = tf + rtt + p.model_time_median_s * np.exp(p.model_time_sigma * rng.standard_normal(tf.shape[0]))
        ev.add(tr, np.full(tr.shape[0], resp), k_down, rate)
        ev.add_calls(tf, tr + 8 * resp / rate, 1)
        calls_agent = np.concatenate([agent, np.repeat(agent[first], n_fan)])
        calls_t = np.concatenate([t, tf])
    else:
        calls_agent, calls_t = agent, t
    calls_bytes = p.span_bytes + p.audit_bytes_per_call + tool * (p.span_bytes + p.audit_bytes_per_call)
    calls_bytes = np.concatenate(
        [
            calls_bytes,
            np.full(calls_t.shape[0] - calls_bytes.shape[0], p.span_bytes + p.audit_bytes_per_call),
        ]
    )
    # Telemetry leaves in batches every trace_export_interval_s per agent (OTel BatchSpanProcessor).
    iv = p.trace_export_interval_s
    offset = rng.uniform(0, iv, agents)
    batch = np.floor((calls_t + offset[calls_agent]) / iv).astype(np.int64)
    bmin = int(batch.min()) if batch.size else 0
    n_b = int(batch.max()) - bmin + 1 if batch.size else 0
    idx = calls_agent * n_b + (batch - bmin)
    sizes = np.bincount(idx, weights=calls_bytes, minlength=agents * n_b)
    nz = np.nonzero(sizes)[0]
    a_idx, b_idx = nz // n_b, nz % n_b + bmin
    t_export = (b_idx + 1) * iv - offset[a_idx]
    ev.add(t_export, np.asarray(sizes[nz] + ovh, dtype=float), series_key(1, "OAM-TELEMETRY", UP), rate)


def generate_site(
    site: str,
    workloads: list[tuple[str, int]],
    ps: ProfileSet,
    seed: int,
    site_index: int,
    *,
    count_offered: bool = False,
) -> SiteDemand:
    """Model the AI load of one site over ``ps.horizon_s`` at ``ps.bin_s`` bins.

    Args:
        workloads: ``(profile name, count)`` pairs; count = users (generative) or agents.
        seed, site_index: seed the generator with ``SeedSequence([seed, site_index, j])`` per
            workload ``j``, so adding a site does not change the others.
        count_offered: also sum the events' bits inside the horizon independently of the
            binning (``offered_bits``, for conservation checks; NaN otherwise, to save the pass).

    Raises:
        ModelError: a workload names a profile the profile set does not have.
    """
    ev = Events()
    for j, (name, count) in enumerate(workloads):
        prof = ps.profiles.get(name)
        if prof is None:
            raise ModelError(
                f"site {site}: workload profile {name!r} is not defined (known: {', '.join(sorted(ps.profiles))})"
            )
        rng = np.random.default_rng(np.random.SeedSequence([seed, site_index, j]))
        if isinstance(prof, GenerativeProfile):
            _generative(prof, count, ps, rng, ev)
        else:
            _agentic(prof, count, ps, rng, ev)
    start, end, bits, key = ev.arrays()
    n_bins = int(round(ps.horizon_s / ps.bin_s))
    binned = bin_transfers(start, end, bits, key, N_KEYS, n_bins, ps.bin_s)
    horizon = n_bins * ps.bin_s
    offered = float("nan")
    if count_offered:
        dur = np.maximum(end - start, 1e-300)
        inside = np.where(
            end > start,
            bits * (np.clip(end, 0, horizon) - np.clip(start, 0, horizon)) / dur,
            bits * ((start >= 0) & (start < horizon)),
        )
        offered = float(inside.sum())
    if ev.call_start:
        cs, ce, ck = np.concatenate(ev.call_start), np.concatenate(ev.call_end), np.concatenate(ev.call_kind)
        # Calls open at each bin's start t_j: started at or before t_j, not yet ended (a count at
        # every edge from two bincounts and a cumulative sum; its mean is Little's L).
        width = n_bins + 1
        j_in = np.clip(np.ceil(cs / ps.bin_s).astype(np.int64), 0, n_bins)
        j_out = np.clip(np.ceil(ce / ps.bin_s).astype(np.int64), 0, n_bins)
        opened = np.bincount(ck * width + j_in, minlength=len(KINDS) * width)
        closed = np.bincount(ck * width + j_out, minlength=len(KINDS) * width)
        in_flight = np.cumsum((opened - closed).reshape(len(KINDS), width), axis=1)[:, :n_bins].astype(np.float64)
    else:
        in_flight = np.zeros((len(KINDS), n_bins))
    return SiteDemand(
        site=site,
        bps=(binned / ps.bin_s).reshape(len(KINDS), N_CLASSES, len(DIRECTIONS), n_bins),
        bin_s=ps.bin_s,
        offered_bits=offered,
        calls_in_flight=in_flight,
    )


#: Below this many sites the model runs in this process (a pool costs more than it saves).
PARALLEL_MIN_SITES = 24


def _generate_chunk(args: tuple[list[tuple[str, list[tuple[str, int]], int]], ProfileSet, int]) -> list[SiteDemand]:
    chunk, ps, seed = args
    return [generate_site(name, wl, ps, seed, i) for name, wl, i in chunk]


def generate_sites(
    sites: list[tuple[str, list[tuple[str, int]]]], ps: ProfileSet, seed: int, workers: int | None = None
) -> dict[str, SiteDemand]:
    """``generate_site`` for every ``(site, workloads)``, site ``i`` seeded with index ``i``.

    From ``PARALLEL_MIN_SITES`` sites on, sites are modelled in ``workers`` processes (default:
    the CPUs this process may use); the result is identical to the sequential one, since each
    site has its own seed. Raises ``ModelError`` as ``generate_site``.
    """
    import os

    jobs = [(name, wl, i) for i, (name, wl) in enumerate(sites)]
    n = workers or len(os.sched_getaffinity(0))
    if n <= 1 or len(jobs) < PARALLEL_MIN_SITES:
        return {name: generate_site(name, wl, ps, seed, i) for name, wl, i in jobs}
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, len(jobs) // (4 * n))  # a few chunks per worker keeps them all busy
    chunks = [jobs[k : k + size] for k in range(0, len(jobs), size)]
    with ProcessPoolExecutor(max_workers=n) as pool:
        done = list(pool.map(_generate_chunk, [(c, ps, seed) for c in chunks]))
    return {d.site: d for part in done for d in part}
