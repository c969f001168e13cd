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
from assess.model.latency import Leg, NetworkPath
from assess.model.profiles import (
    TLS_HANDSHAKE_DOWN_BYTES,
    TLS_HANDSHAKE_UP_BYTES,
    AgenticProfile,
    Call,
    GenerativeProfile,
    ProfileSet,
)
from assess.model.stats import lognormal

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


def _generative(
    p: GenerativeProfile, users: int, ps: ProfileSet, rng: np.random.Generator, ev: Events, hour: int
) -> None:
    """Poisson prompts at ``users * prompts_per_user_hour`` per hour, scaled by the diurnal curve
    at ``hour``, over the horizon plus one minute of warm-up (streams already running at t = 0)."""
    warm = 60.0
    span = ps.horizon_s + warm
    n = rng.poisson(users * p.prompts_per_user_hour * p.rate_factor(hour) / 3600.0 * span)
    t = rng.uniform(-warm, ps.horizon_s, n)
    rtt = (ps.rtt_ms + ps.destinations[p.destination].added_rtt_ms) / 1000.0
    prompt = rng.uniform(p.prompt_tokens_min, p.prompt_tokens_max, n) * p.bytes_per_token + p.request_overhead_bytes
    up_end = t + 8 * prompt / ps.transfer_rate_bps
    k_up, k_down = series_key(0, p.transport_class, UP), series_key(0, p.transport_class, DOWN)
    ev.add(t, prompt, k_up, ps.transfer_rate_bps)
    answer = rng.uniform(p.answer_tokens_min, p.answer_tokens_max, n)
    speed = rng.uniform(p.stream_tokens_per_s_min, p.stream_tokens_per_s_max, n)
    first = up_end + rtt + p.time_to_first_token_s
    ev.add(first, answer * p.wire_bytes_per_token, k_down, ps.transfer_rate_bps, duration_s=answer / speed)
    ev.add_calls(t, first + answer / speed, 0)
    with_rag = rng.random(n) < p.retrieval_per_prompt
    if np.any(with_rag):
        rag = ps.destinations[p.retrieval_destination or p.destination]
        ev.add(
            up_end[with_rag] + (ps.rtt_ms + rag.added_rtt_ms) / 1000.0,
            np.full(int(with_rag.sum()), p.retrieval_response_bytes),
            k_down,
            ps.transfer_rate_bps,
        )


@dataclass(frozen=True)
class CallPlan:
    """One call of a workflow with its destination resolved: series keys, timing constants (s)
    and sizes (bytes, overhead and TLS handshake included). An exchange started at ``t`` sends
    the request from ``t + setup_s``, receives the response from
    ``t + setup_s + 8*request/rate + rtt_s + server time``, and ends ``8*response/rate`` later."""

    call: Call
    key_up: int
    key_down: int
    rtt_s: float
    setup_s: float
    request_bytes: float
    response_bytes: float

    @staticmethod
    def of(call: Call, p: AgenticProfile, ps: ProfileSet, wan_rtt_ms: float) -> CallPlan:
        # the same leg (round trip, connection set-up) as the task-latency model's
        leg = Leg.to(NetworkPath(rtt_ms=wan_rtt_ms, transfer_rate_bps=ps.transfer_rate_bps), ps.destination_of(call))
        cls = ps.class_of(call)
        new_conn = leg.new_connection
        return CallPlan(
            call=call,
            key_up=series_key(1, cls, UP),
            key_down=series_key(1, cls, DOWN),
            rtt_s=leg.rtt_s,
            setup_s=leg.setup_s,
            request_bytes=p.request_overhead_bytes + call.request_bytes + new_conn * TLS_HANDSHAKE_UP_BYTES,
            response_bytes=p.request_overhead_bytes + call.response_bytes + new_conn * TLS_HANDSHAKE_DOWN_BYTES,
        )

    def mean_duration_s(self, rate_bps: float, step: float = 0.0) -> float:
        c = self.call
        req = self.request_bytes + c.context_growth_bytes_per_step * step
        server = c.server_time_median_s * np.exp(c.server_time_sigma**2 / 2)
        return float(self.setup_s + 8 * (req + self.response_bytes) / rate_bps + self.rtt_s + server)


@dataclass
class _Drawn:
    """Calls of one plan drawn for a set of stage rows: row index, offset in the row (s),
    request bytes, server time (s), duration (s)."""

    plan: CallPlan
    row: I64
    offset: F64
    request: F64
    server: F64
    duration: F64


def _draw_sequence(
    plans: list[CallPlan], rows: I64, step: F64 | None, rate: float, rng: np.random.Generator
) -> tuple[list[_Drawn], F64]:
    """Draw the calls ``plans`` make, in order, in each of ``rows``; return them and each row's
    total time. ``step``: the 0-based step index of each row (context growth), or None."""
    n = rows.shape[0]
    total = np.zeros(n)
    out = []
    for pl in plans:
        c = pl.call
        present = rng.random(n) < c.probability if c.probability < 1 else np.ones(n, dtype=bool)
        req = pl.request_bytes + (c.context_growth_bytes_per_step * step if step is not None else 0.0)
        req = np.broadcast_to(np.asarray(req, dtype=float), (n,))
        server = lognormal(rng, c.server_time_median_s, c.server_time_sigma, n)
        dur = pl.setup_s + 8 * (req + pl.response_bytes) / rate + pl.rtt_s + server
        out.append(_Drawn(pl, rows[present], total[present], req[present], server[present], dur[present]))
        total = total + present * dur
    return out, total


def _agentic(p: AgenticProfile, agents: int, ps: ProfileSet, rng: np.random.Generator, ev: Events, hour: int) -> None:
    """Agents running the workflow ``p`` (a dependency map, see ``assess.model.profiles``).

    Each task is a row sequence: a prelude (``per: task`` calls in order, then the fan-out the
    task waits for), ``S`` step rows (``per: step`` calls in order) and a coda (``per: task-end``
    calls, then the idle time before the next task in a closed loop). Vectorised over every row
    of every task: each row's time is drawn at once and turned into start times by a cumulative
    sum per unit of work. Closed loop: a unit is an agent, starting at a random phase of a task
    so the hour is in steady state. Open loop: a unit is one task, arriving uniformly (Poisson)
    in the warm-up plus the horizon. Nothing is generated when ``hour`` is outside the profile's
    active hours.
    """
    if not p.active_at(hour):
        return
    rate = ps.transfer_rate_bps
    plans = {c.name: CallPlan.of(c, p, ps, ps.rtt_ms) for c in p.calls}
    pre = [plans[c.name] for c in p.calls_per("task")]
    steps = [plans[c.name] for c in p.calls_per("step")]
    coda = [plans[c.name] for c in p.calls_per("task-end")]
    fan_call = p.fanout_call()
    fan = plans[fan_call.name] if fan_call is not None else None
    n_fan = p.fanout.n_calls if p.fanout is not None else 0
    mid = p.mean_steps() / 2
    task_mean = (
        sum(pl.call.probability * pl.mean_duration_s(rate) for pl in pre + coda)
        + p.mean_steps() * sum(pl.call.probability * pl.mean_duration_s(rate, mid) for pl in steps)
        + (fan.mean_duration_s(rate) + (p.fanout.window_s if p.fanout else 0) if fan is not None else 0.0)
        + (p.idle_between_tasks_s if p.arrival == "closed-loop" else 0.0)
    )
    warm = task_mean
    if p.arrival == "open":
        # Tasks that started well before t = 0 can still be running: three mean task times of
        # arrivals before the hour cover all but the longest tails.
        warm = 3 * task_mean
        assert p.tasks_per_agent_hour is not None
        n_units = int(rng.poisson(agents * p.tasks_per_agent_hour / 3600.0 * (ps.horizon_s + warm)))
        if n_units == 0:
            return
        n_tasks = 1
        unit_start = rng.uniform(-warm, ps.horizon_s, n_units)
        unit_agent = rng.integers(0, agents, n_units)
    else:
        n_units = agents
        # 1.25x the expected tasks covers the horizon for almost every agent; else the loop doubles.
        n_tasks = int(np.ceil(1.25 * (ps.horizon_s + warm) / task_mean)) + 3
        unit_start = -rng.uniform(0, warm, n_units)
        unit_agent = np.arange(n_units)
    for _ in range(8):
        S = rng.integers(p.steps_per_task_min, p.steps_per_task_max + 1, size=(n_units, n_tasks)).ravel()
        rows_per_task = S + 2
        n_rows = int(rows_per_task.sum())
        task_first = np.cumsum(rows_per_task) - rows_per_task  # the prelude row of each task
        row_in_task = np.arange(n_rows) - np.repeat(task_first, rows_per_task)
        coda_rows = task_first + rows_per_task - 1
        is_step = np.ones(n_rows, dtype=bool)
        is_step[task_first] = False
        is_step[coda_rows] = False
        step_rows = np.nonzero(is_step)[0]
        drawn_pre, t_pre = _draw_sequence(pre, task_first, None, rate, rng)
        drawn_steps, t_steps = _draw_sequence(steps, step_rows, (row_in_task[step_rows] - 1).astype(float), rate, rng)
        drawn_coda, t_coda = _draw_sequence(coda, coda_rows, None, rate, rng)
        dur = np.zeros(n_rows)
        dur[step_rows] = t_steps
        dur[coda_rows] = t_coda
        if p.arrival == "closed-loop":
            dur[coda_rows] += rng.exponential(p.idle_between_tasks_s, S.shape[0]) if p.idle_between_tasks_s else 0.0
        fan_rows = fan_start = fan_server = fan_dur = None
        if fan is not None and p.fanout is not None:
            fan_rows = np.repeat(task_first, n_fan)
            fan_start = np.repeat(t_pre, n_fan) + rng.uniform(0, p.fanout.window_s, fan_rows.shape[0])
            fan_server = lognormal(rng, fan.call.server_time_median_s, fan.call.server_time_sigma, fan_rows.shape[0])
            fan_dur = fan.setup_s + 8 * (fan.request_bytes + fan.response_bytes) / rate + fan.rtt_s + fan_server
            # the task waits for the slowest fan-out call
            t_pre = np.maximum(t_pre, (fan_start + fan_dur).reshape(-1, n_fan).max(axis=1))
        dur[task_first] = t_pre
        rows_per_unit = rows_per_task.reshape(n_units, n_tasks).sum(axis=1)
        cum = np.cumsum(dur) - dur
        unit_first = np.cumsum(rows_per_unit) - rows_per_unit
        t_row = cum - np.repeat(cum[unit_first], rows_per_unit) + np.repeat(unit_start, rows_per_unit)
        last = unit_first + rows_per_unit - 1
        if p.arrival == "open" or np.all(t_row[last] + dur[last] >= ps.horizon_s):
            break
        n_tasks *= 2
    else:  # pragma: no cover - eight doublings always cover the horizon
        raise ModelError(f"agentic profile could not fill {ps.horizon_s} s")

    row_unit = np.repeat(np.arange(n_units), rows_per_unit)
    span_t: list[F64] = []
    span_unit: list[I64] = []
    horizon = float(ps.horizon_s)
    drawn = drawn_pre + drawn_steps + drawn_coda
    if fan is not None and fan_rows is not None:
        assert fan_start is not None and fan_server is not None and fan_dur is not None
        drawn.append(
            _Drawn(fan, fan_rows, fan_start, np.full(fan_rows.shape[0], fan.request_bytes), fan_server, fan_dur)
        )
    for d in drawn:
        t = t_row[d.row] + d.offset
        keep = (t < horizon) & (t + d.duration > 0)
        if not np.any(keep):
            continue
        t, req, server, dur_c, unit = t[keep], d.request[keep], d.server[keep], d.duration[keep], row_unit[d.row[keep]]
        pl = d.plan
        t_up = t + pl.setup_s
        ev.add(t_up, req, pl.key_up, rate)
        ev.add(t_up + 8 * req / rate + pl.rtt_s + server, np.full(t.shape[0], pl.response_bytes), pl.key_down, rate)
        ev.add_calls(t, t + dur_c, 1)
        span_t.append(t)
        span_unit.append(unit)
    if p.telemetry is not None and span_t:
        _telemetry(p, ps, rng, ev, np.concatenate(span_t), unit_agent[np.concatenate(span_unit)], agents)


def _telemetry(
    p: AgenticProfile, ps: ProfileSet, rng: np.random.Generator, ev: Events, calls_t: F64, calls_agent: I64, agents: int
) -> None:
    """Spans and audit records of every call leave in batches every ``export_interval_s`` per
    agent (OTel BatchSpanProcessor), each batch one request to the telemetry destination."""
    tel = p.telemetry
    assert tel is not None
    iv = tel.export_interval_s
    offset = rng.uniform(0, iv, agents)
    batch = np.floor((calls_t + offset[calls_agent]) / iv).astype(np.int64)
    bmin = int(batch.min())
    n_b = int(batch.max()) - bmin + 1
    idx = calls_agent * n_b + (batch - bmin)
    sizes = np.bincount(idx, weights=None, minlength=agents * n_b) * (tel.span_bytes + tel.audit_bytes_per_call)
    nz = np.nonzero(sizes)[0]
    a_idx, b_idx = nz // n_b, nz % n_b + bmin
    t_export = (b_idx + 1) * iv - offset[a_idx]
    cls = ps.destinations[tel.destination].transport_class
    ev.add(
        t_export,
        np.asarray(sizes[nz] + p.request_overhead_bytes, dtype=float),
        series_key(1, cls, UP),
        ps.transfer_rate_bps,
    )


def generate_site(
    site: str,
    workloads: list[tuple[str, int]],
    ps: ProfileSet,
    seed: int,
    site_index: int,
    *,
    count_offered: bool = False,
    hour: int | None = None,
) -> SiteDemand:
    """Model the AI load of one site over ``ps.horizon_s`` at ``ps.bin_s`` bins.

    Args:
        workloads: ``(profile name, count)`` pairs; count = users (generative) or agents.
        seed, site_index: seed the generator with ``SeedSequence([seed, site_index, j])`` per
            workload ``j``, so adding a site does not change the others.
        hour: the local hour modelled (default ``ps.hour_of_day``): workflows outside their
            ``active_hours`` add nothing, generative rates follow their diurnal curve.
        count_offered: also sum the events' bits inside the horizon independently of the
            binning (``offered_bits``, for conservation checks; NaN otherwise, to save the pass).

    Raises:
        ModelError: a workload names a profile the profile set does not have.
    """
    ev = Events()
    at = ps.hour_of_day if hour is None else hour
    for j, (name, count) in enumerate(workloads):
        prof = ps.profiles.get(name)
        if prof is None:
            raise ModelError(
                f"site {site}: workload profile {name!r} is not defined (known: {', '.join(sorted(ps.profiles))})"
            )
        rng = np.random.default_rng(np.random.SeedSequence([seed, site_index, j]))
        if isinstance(prof, GenerativeProfile):
            _generative(prof, count, ps, rng, ev, at)
        else:
            _agentic(prof, count, ps, rng, ev, at)
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
