"""Traffic profiles: how AI work turns into requests on the WAN (DOMAIN.md sections 1 and 4).

A profile file holds shared network assumptions, the **destinations** the workflows depend on
(model endpoints, tool APIs, retrieval indexes, trace/audit stores: region, how they are
reached, transport class, TLS and connection reuse) and the **profiles**:

* ``generative``: people prompting a chat/copilot. Prompts arrive as a Poisson process at
  ``prompts_per_user_hour`` scaled by the diurnal curve for the modelled hour (session arrivals
  are well modelled as Poisson: Paxson & Floyd 1995); each is one upload and one streamed answer.
* ``agentic``: a workflow written down as a **dependency map**: the calls a task makes, in
  order, each naming its destination, sizes (with context growth per step), server time,
  timeout, retries with backoff, idempotency and data classification. A task runs its
  ``per: task`` calls, then an optional fan-out of ``per: fanout`` calls it waits for, then
  ``S`` steps (uniform between min and max) of its ``per: step`` calls. Agents run tasks in a
  closed loop, or tasks arrive at ``tasks_per_agent_hour`` (open loop), within ``active_hours``.

Every number a user writes must carry a source in the ``sources`` of the block it sits in (a
citation or ``assumption``): the report prints them. Defaults of optional fields cite their
source in the field docs below. ``load_profiles(path)`` validates a file; bad values and
dangling references raise ``InventoryError`` naming the file, field and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assess.classes import CLASS_NAMES
from assess.errors import InventoryError
from assess.yamlio import Location, describe_location, load_yaml_with_lines

Pos = Annotated[float, Field(gt=0)]
NonNeg = Annotated[float, Field(ge=0)]
Prob = Annotated[float, Field(ge=0, le=1)]
RefName = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]

#: AI traffic is elastic TCP/QUIC and never goes in the priority queue (DOMAIN.md 5, RFC 4594);
#: network control is for the network's own protocols.
AI_CLASSES = tuple(c for c in CLASS_NAMES if c not in ("REALTIME", "NET-CONTROL"))
#: Data-boundary rules a call's payload can carry (MEF 70 application-flow criteria; DOMAIN.md 5).
DataRule = Literal["in-region", "no-internet-breakout"]
#: TLS handshake bytes on a new connection when a destination does not reuse connections:
#: ClientHello ~0.5 KB up; ServerHello + certificate chain ~4 KB down (assumption: a 2-3
#: certificate RSA chain; RFC 8446 leaves the size to the deployment).
TLS_HANDSHAKE_UP_BYTES = 600
TLS_HANDSHAKE_DOWN_BYTES = 4000


def _numeric(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, (list, tuple)) and any(_numeric(v) for v in value)


class _Sourced(BaseModel):
    """A block of parameters with ``sources``: every number the user set names its source."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    sources: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _every_number_has_a_source(self) -> _Sourced:
        unknown = sorted(set(self.sources) - set(type(self).model_fields))
        if unknown:
            raise ValueError(f"sources names unknown parameters: {', '.join(unknown)}")
        missing = sorted(n for n in self.model_fields_set if _numeric(getattr(self, n)) and n not in self.sources)
        if missing:
            raise ValueError(
                "every parameter needs a source (a citation or 'assumption'); missing: " + ", ".join(missing)
            )
        return self


def _check_class(value: str | None) -> str | None:
    if value is not None and value not in AI_CLASSES:
        raise ValueError(
            f"unknown or non-AI class {value!r}; expected one of {', '.join(AI_CLASSES)} "
            "(AI traffic is elastic: never REALTIME or NET-CONTROL)"
        )
    return value


class Destination(_Sourced):
    """An endpoint workflows depend on.

    ``role``: model, tool, retrieval or telemetry. ``region``: where it runs (compared with a
    site's region for ``in-region`` data). ``reach``: ``private`` (over the private WAN, a
    hub/DC or a private interconnect) or ``internet`` (via internet breakout).
    ``transport_class``: the DSCP class its traffic is marked with (DOMAIN.md 5).
    ``added_rtt_ms``: round trip beyond the WAN path to reach it (e.g. another continent; default
    0, assumption). ``tls``: 1.3 (1 RTT set-up, RFC 8446) or 1.2 (2 RTT, RFC 5246).
    ``connection_reuse``: keep-alive/HTTP/2 connection pools (default true: the OpenAI Python
    SDK keeps up to 100 keep-alive connections). ``error_rate``: share of calls the endpoint
    fails (HTTP 429/5xx) that clients retry (default 0, assumption).
    """

    role: Literal["model", "tool", "retrieval", "telemetry"]
    region: str = ""
    reach: Literal["private", "internet"] = "internet"
    transport_class: str = "AI-AGENT"
    added_rtt_ms: NonNeg = 0.0
    tls: Literal["1.2", "1.3"] = "1.3"
    connection_reuse: bool = True
    error_rate: Annotated[float, Field(ge=0, lt=1)] = 0.0

    @field_validator("transport_class")
    @classmethod
    def _ai_class(cls, value: str) -> str:
        return _check_class(value) or value


class Call(_Sourced):
    """One dependency of a workflow: a request to ``destination`` and its response.

    ``per``: ``task`` (once at the start of each task, in order), ``step`` (in every step, in
    order), ``task-end`` (once after the last step, e.g. writing results back) or ``fanout``
    (the call a fan-out burst is made of). ``probability``: chance the call
    is made in a given task/step. Sizes in bytes, before the profile's ``request_overhead_bytes``;
    step ``i`` (0-based) sends ``request_bytes + i * context_growth_bytes_per_step`` (agents
    re-send the history: bytes per task ~ S*c0 + g*S(S-1)/2, DOMAIN.md 1). ``server_time`` is
    lognormal with the given median and sigma (0: fixed). ``timeout_s``, ``retries``,
    ``backoff_base_s``, ``backoff_cap_s``: a failed attempt (timed out, or an endpoint error)
    waits ``U(0, min(cap, base * 2**k))`` before retry ``k + 1`` (full jitter: M. Brooker, AWS
    Architecture Blog 2015); defaults are the OpenAI Python SDK's (timeout 600 s, 2 retries,
    0.5 s initial, 8 s maximum delay; ``openai/_constants.py``). A call that is not
    ``idempotent`` is never retried (a retry could repeat its side effect): its failure fails
    the task. ``data_classification``: rules for the data it carries: ``in-region`` (the
    destination must be in the site's region), ``no-internet-breakout`` (private paths only).
    ``transport_class`` overrides the destination's class for this call.
    """

    name: RefName
    destination: RefName
    per: Literal["task", "step", "fanout", "task-end"] = "step"
    probability: Prob = 1.0
    request_bytes: NonNeg
    context_growth_bytes_per_step: NonNeg = 0.0
    response_bytes: NonNeg
    server_time_median_s: NonNeg = 0.0
    server_time_sigma: NonNeg = 0.0
    timeout_s: Pos = 600.0
    retries: int = Field(2, ge=0, le=10)
    backoff_base_s: NonNeg = 0.5
    backoff_cap_s: NonNeg = 8.0
    idempotent: bool = True
    data_classification: tuple[DataRule, ...] = ()
    transport_class: str | None = None

    @field_validator("transport_class")
    @classmethod
    def _ai_class(cls, value: str | None) -> str | None:
        return _check_class(value)

    @model_validator(mode="after")
    def _growth_only_per_step(self) -> Call:
        if self.context_growth_bytes_per_step and self.per != "step":
            raise ValueError("context_growth_bytes_per_step applies to per: step calls only")
        return self


class FanOut(_Sourced):
    """A burst at the start of each task: ``subtasks * calls_per_subtask`` calls of ``call`` (a
    ``per: fanout`` call), started uniformly within ``window_s``; the task waits for the slowest
    (DOMAIN.md 1: 10 sub-tasks x 15 calls = 150 requests within ~1 s)."""

    call: RefName
    subtasks: int = Field(ge=1)
    calls_per_subtask: int = Field(ge=1)
    window_s: Pos = 1.0

    @property
    def n_calls(self) -> int:
        return self.subtasks * self.calls_per_subtask


class Telemetry(_Sourced):
    """Traces and audit records of every call, exported in batches to ``destination`` every
    ``export_interval_s`` per agent (OpenTelemetry BatchSpanProcessor default 5000 ms)."""

    destination: RefName
    span_bytes: NonNeg
    audit_bytes_per_call: NonNeg = 0.0
    export_interval_s: Pos = 5.0


class GenerativeProfile(_Sourced):
    """People prompting a chat or copilot (burst-generative load).

    Sizes in bytes; rates per second or per hour as named. The request is the prompt
    (``prompt_tokens * bytes_per_token + request_overhead_bytes``) to ``destination``, the answer
    is streamed at ``stream_tokens_per_s`` with ``wire_bytes_per_token`` per server-sent event.
    ``transport_class``: AI-INTERACTIVE by default (DOMAIN.md 5: streamed model output to people and
    retrieval on their query path), whatever the destination's class for agents.
    ``diurnal_percent``: 24 values, the prompt rate in each local hour as a percent (0-100) of
    ``prompts_per_user_hour``, the busy-hour rate (default: 100 in every hour: busy all day).
    """

    kind: Literal["generative"]
    description: str = ""
    destination: RefName
    transport_class: str = "AI-INTERACTIVE"
    retrieval_destination: RefName | None = None
    prompts_per_user_hour: Pos
    diurnal_percent: tuple[float, ...] | None = None
    prompt_tokens_min: Pos
    prompt_tokens_max: Pos
    bytes_per_token: Pos
    request_overhead_bytes: NonNeg
    time_to_first_token_s: NonNeg
    answer_tokens_min: Pos
    answer_tokens_max: Pos
    stream_tokens_per_s_min: Pos
    stream_tokens_per_s_max: Pos
    wire_bytes_per_token: Pos
    retrieval_per_prompt: Prob = 0.0
    retrieval_response_bytes: NonNeg = 0.0

    @field_validator("transport_class")
    @classmethod
    def _ai_class(cls, value: str) -> str:
        return _check_class(value) or value

    @field_validator("diurnal_percent")
    @classmethod
    def _diurnal(cls, d: tuple[float, ...] | None) -> tuple[float, ...] | None:
        if d is not None and (len(d) != 24 or min(d) < 0 or max(d) > 100):
            raise ValueError(
                f"needs 24 values (local hours 0-23), each 0-100 % of the busy-hour rate; got {len(d)} values, "
                f"{min(d):g} to {max(d):g}"
            )
        return d

    @model_validator(mode="after")
    def _ranges(self) -> GenerativeProfile:
        for lo, hi in (
            ("prompt_tokens_min", "prompt_tokens_max"),
            ("answer_tokens_min", "answer_tokens_max"),
            ("stream_tokens_per_s_min", "stream_tokens_per_s_max"),
        ):
            if getattr(self, lo) > getattr(self, hi):
                raise ValueError(f"{lo} must not exceed {hi}")
        return self

    def rate_factor(self, hour: int) -> float:
        """The prompt rate at local ``hour`` as a fraction of ``prompts_per_user_hour``."""
        return 1.0 if self.diurnal_percent is None else self.diurnal_percent[hour % 24] / 100.0


class AgenticProfile(_Sourced):
    """An agentic workflow as a dependency map (sustained-agentic load). See the module docs.

    ``arrival``: ``closed-loop`` (each agent starts its next task ``idle_between_tasks_s``
    (exponential mean) after the last) or ``open`` (tasks arrive as a Poisson process at
    ``tasks_per_agent_hour`` per agent, e.g. event-driven work). ``active_hours``: local hours
    ``[start, end)`` the workflow runs (default ``[0, 24]``: 24x7; ``[22, 6]`` wraps midnight).
    ``latency_budget_s``: end-to-end latency a task should stay within.
    """

    kind: Literal["agentic"]
    description: str = ""
    arrival: Literal["closed-loop", "open"] = "closed-loop"
    tasks_per_agent_hour: Pos | None = None
    idle_between_tasks_s: NonNeg = 0.0
    active_hours: tuple[int, int] = (0, 24)
    steps_per_task_min: int = Field(ge=1)
    steps_per_task_max: int = Field(ge=1)
    request_overhead_bytes: NonNeg = 0.0
    latency_budget_s: Pos | None = None
    calls: tuple[Call, ...] = Field(min_length=1)
    fanout: FanOut | None = None
    telemetry: Telemetry | None = None

    @model_validator(mode="after")
    def _consistent(self) -> AgenticProfile:
        if self.steps_per_task_min > self.steps_per_task_max:
            raise ValueError("steps_per_task_min must not exceed steps_per_task_max")
        if self.arrival == "open" and self.tasks_per_agent_hour is None:
            raise ValueError("arrival: open needs tasks_per_agent_hour")
        a, b = self.active_hours
        if not (0 <= a <= 23 and 1 <= b <= 24 and a != b):
            raise ValueError("active_hours must be [start, end) with start 0-23, end 1-24, start != end")
        names = [c.name for c in self.calls]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"calls: duplicate name {', '.join(dup)}")
        if not any(c.per == "step" for c in self.calls):
            raise ValueError("calls: a workflow needs at least one per: step call")
        fan_calls = [c.name for c in self.calls if c.per == "fanout"]
        if self.fanout is not None and self.fanout.call not in fan_calls:
            raise ValueError(f"fanout.call {self.fanout.call!r} is not a per: fanout call ({fan_calls or 'none'})")
        if fan_calls and self.fanout is None:
            raise ValueError(f"per: fanout call {fan_calls[0]!r} needs a fanout block")
        return self

    def active_at(self, hour: int) -> bool:
        """True when the workflow runs in local ``hour`` (0-23)."""
        a, b = self.active_hours
        return a <= hour % 24 < b if a < b else (hour % 24 >= a or hour % 24 < b)

    def calls_per(self, per: str) -> list[Call]:
        return [c for c in self.calls if c.per == per]

    def fanout_call(self) -> Call | None:
        if self.fanout is None:
            return None
        return next(c for c in self.calls if c.name == self.fanout.call)

    def mean_steps(self) -> float:
        return (self.steps_per_task_min + self.steps_per_task_max) / 2

    def expected_per_task(self) -> tuple[float, float, float]:
        """Mean ``(request bytes, response bytes, calls)`` per task, with overhead, without
        retries or TLS handshakes (closed form: sum over steps of the context growth)."""
        ovh, s = self.request_overhead_bytes, self.mean_steps()
        lo, hi = self.steps_per_task_min, self.steps_per_task_max
        # E[sum_{i<S} i] = E[S(S-1)/2] for S uniform on lo..hi
        e_tri = sum(k * (k - 1) / 2 for k in range(lo, hi + 1)) / (hi - lo + 1)
        up = down = calls = 0.0
        for c in self.calls:
            n = {"task": 1.0, "task-end": 1.0, "step": s, "fanout": float(self.fanout.n_calls if self.fanout else 0)}[
                c.per
            ]
            n *= c.probability
            up += n * (ovh + c.request_bytes) + c.probability * c.context_growth_bytes_per_step * e_tri
            down += n * (ovh + c.response_bytes)
            calls += n
        return up, down, calls


Profile = Annotated[GenerativeProfile | AgenticProfile, Field(discriminator="kind")]


class GrowthScenario(_Sourced):
    """Yearly growth rates for one forecast scenario, as fractions (``0.26`` = 26 % a year).

    ``baseline_growth_per_year``: the non-AI traffic already on the links;
    ``ai_agents_growth_per_year``: how many agents and users run the modelled workloads (more of
    the same, independent sources); ``ai_bytes_per_task_growth_per_year``: how much each task
    moves (longer tasks, more steps, larger contexts)."""

    baseline_growth_per_year: NonNeg
    ai_agents_growth_per_year: NonNeg
    ai_bytes_per_task_growth_per_year: NonNeg


def _default_scenarios() -> dict[str, GrowthScenario]:
    cisco = "Cisco VNI 2017-2022: global IP traffic CAGR 26 %"
    return {
        "low": GrowthScenario(
            baseline_growth_per_year=0.13,
            ai_agents_growth_per_year=0.5,
            ai_bytes_per_task_growth_per_year=0.0,
            sources={
                "baseline_growth_per_year": "assumption: half the Cisco VNI 2017-2022 CAGR of 26 %",
                "ai_agents_growth_per_year": "Gartner Jun 2025: over 40 % of agentic AI projects cancelled by "
                "2027; assumption: adoption grows 1.5x a year",
                "ai_bytes_per_task_growth_per_year": "assumption: tasks stay as profiled",
            },
        ),
        "expected": GrowthScenario(
            baseline_growth_per_year=0.26,
            ai_agents_growth_per_year=1.4,
            ai_bytes_per_task_growth_per_year=0.25,
            sources={
                "baseline_growth_per_year": cisco,
                "ai_agents_growth_per_year": "Gartner Oct 2024: agentic AI in 33 % of enterprise applications by "
                "2028, from under 1 % in 2024 (about 2.4x a year)",
                "ai_bytes_per_task_growth_per_year": "assumption: tasks grow by a quarter a year (more steps, "
                "larger contexts)",
            },
        ),
        "high": GrowthScenario(
            baseline_growth_per_year=0.36,
            ai_agents_growth_per_year=3.0,
            ai_bytes_per_task_growth_per_year=1.0,
            sources={
                "baseline_growth_per_year": "Cisco VNI 2018: traffic grew 56-fold 2005-2017, a 36 % CAGR",
                "ai_agents_growth_per_year": "Gartner Aug 2025: task-specific agents in 40 % of enterprise apps by "
                "end of 2026, from under 5 % in 2025 (8x in ~18 months, about 4x a year)",
                "ai_bytes_per_task_growth_per_year": "METR 2025 (Kwa et al.): the length of tasks agents complete "
                "doubles every ~7 months; assumption: deployed tasks double yearly",
            },
        ),
    }


class ForecastAssumptions(_Sourced):
    """How the AI demand forecast grows today's figures without history (issue 6).

    ``months``: the horizons reported (default 6, 12, 24: a budget cycle and the typical
    circuit contract). ``scenarios``: named ``GrowthScenario``s; ``expected`` drives findings
    and the circuit sizes, ``low``/``high`` give the band. Defaults and their sources are in
    ``_default_scenarios`` (Cisco VNI for the baseline, Gartner's agentic-AI adoption forecasts
    for agents, METR's task-length trend for the high case); every rate is an assumption to be
    replaced by the client's own roll-out plan.

    Raises ``ValidationError`` without an ``expected`` scenario or with a horizon outside
    1-60 months.
    """

    months: tuple[int, ...] = (6, 12, 24)
    scenarios: dict[RefName, GrowthScenario] = Field(default_factory=_default_scenarios)

    @field_validator("months")
    @classmethod
    def _horizons(cls, months: tuple[int, ...]) -> tuple[int, ...]:
        if not months or any(not 1 <= m <= 60 for m in months):
            raise ValueError("months must be horizons between 1 and 60")
        if list(months) != sorted(set(months)):
            raise ValueError("months must be increasing, without repeats")
        return months

    @field_validator("scenarios")
    @classmethod
    def _expected(cls, scenarios: dict[str, GrowthScenario]) -> dict[str, GrowthScenario]:
        if "expected" not in scenarios:
            raise ValueError(f"needs one scenario named 'expected' (have: {', '.join(scenarios) or 'none'})")
        return scenarios


class _References(ValueError):
    """Dangling names in a profile set, each with its location in the file."""

    def __init__(self, problems: list[tuple[Location, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{'.'.join(map(str, loc))}: {msg}" for loc, msg in problems))


class ProfileSet(_Sourced):
    """A profile file: shared network assumptions, destinations and named profiles.

    ``transfer_rate_bps``: the rate one request/response moves at on the WAN (assumption; a
    TCP/QUIC flow limited by its window, not the link). ``rtt_ms``: the WAN round trip to the
    hub/breakout when a link has no measured ``rtt_ms``. ``horizon_s``/``bin_s``: the modelled
    hour and its finest bin. ``hour_of_day``: the local hour modelled (default 10, the business
    busy hour: assumption); profiles not active then add nothing, diurnal curves scale the rest.
    ``forecast``: the growth scenarios of the 6/12/24-month AI demand forecast
    (``ForecastAssumptions``; sourced defaults when the file has none).

    Raises ``ValidationError`` for a call, fan-out, telemetry block or generative profile naming
    a destination that is not defined.
    """

    transfer_rate_bps: Pos = 20e6
    rtt_ms: NonNeg = 30.0
    horizon_s: int = Field(3600, ge=600, le=86_400)
    bin_s: float = Field(1.0, gt=0)
    hour_of_day: int = Field(10, ge=0, le=23)
    destinations: dict[RefName, Destination] = Field(default_factory=dict)
    profiles: dict[RefName, Profile] = Field(min_length=1)
    forecast: ForecastAssumptions = Field(default_factory=ForecastAssumptions)

    @model_validator(mode="after")
    def _references(self) -> ProfileSet:
        known = sorted(self.destinations)
        problems: list[tuple[Location, str]] = []

        def check(loc: Location, name: str | None) -> None:
            if name is not None and name not in self.destinations:
                problems.append(
                    (loc, f"destination {name!r} is not defined (destinations: {', '.join(known) or 'none'})")
                )

        for pname, p in self.profiles.items():
            base: Location = ("profiles", pname)
            if isinstance(p, GenerativeProfile):
                check((*base, "destination"), p.destination)
                check((*base, "retrieval_destination"), p.retrieval_destination)
                continue
            for i, c in enumerate(p.calls):
                check((*base, "calls", i, "destination"), c.destination)
            if p.telemetry is not None:
                check((*base, "telemetry", "destination"), p.telemetry.destination)
        if problems:
            raise _References(problems)
        return self

    def sourced_parameters(self) -> list[tuple[str, str, Any, str]]:
        """Every number set in the file with its source, as ``(owner, parameter, value, source)``:
        owner ``(all)``, a destination ``dest:NAME`` or a profile; nested parameters are dotted
        (``calls.reason.request_bytes``, ``fanout.subtasks``). For the report's assumptions table."""

        def walk(owner: str, prefix: str, block: _Sourced) -> list[tuple[str, str, Any, str]]:
            rows = [
                (owner, prefix + n, getattr(block, n), block.sources.get(n, ""))
                for n in sorted(block.model_fields_set)
                if _numeric(getattr(block, n))
            ]
            return rows

        out = walk("(all)", "", self)
        for name, d in self.destinations.items():
            out += walk(f"dest:{name}", "", d)
        for name, p in self.profiles.items():
            out += walk(name, "", p)
            if isinstance(p, AgenticProfile):
                for c in p.calls:
                    out += walk(name, f"calls.{c.name}.", c)
                for label, b in (("fanout.", p.fanout), ("telemetry.", p.telemetry)):
                    if b is not None:
                        out += walk(name, label, b)
        out += walk("forecast", "", self.forecast)
        for name, sc in self.forecast.scenarios.items():
            out += [
                ("forecast", f"{name}.{n}", getattr(sc, n), sc.sources.get(n, ""))
                for n in type(sc).model_fields
                if n != "sources"
            ]
        return out

    def destination_of(self, call: Call) -> Destination:
        return self.destinations[call.destination]

    def class_of(self, call: Call) -> str:
        """The DSCP class a call's traffic is marked with: its own, else its destination's."""
        return call.transport_class or self.destinations[call.destination].transport_class


def load_profiles(path: Path) -> ProfileSet:
    """Read and validate a profile file.

    Raises:
        InventoryError: unreadable, invalid YAML, unknown keys, a negative size, ``steps < 1``,
            a probability above 1, an unknown or non-AI class, a parameter without a source, a
            call naming an undefined destination; each named by field and line.
    """
    data, lines = load_yaml_with_lines(path)
    try:
        return ProfileSet.model_validate(data)
    except ValidationError as exc:
        problems = []
        for e in exc.errors():
            err = (e.get("ctx") or {}).get("error")
            if isinstance(err, _References):
                problems += [f"{describe_location(loc, lines)}: {msg}" for loc, msg in err.problems]
                continue
            loc = tuple(x for x in e["loc"] if x not in ("generative", "agentic"))
            msg = e["msg"].removeprefix("Value error, ")
            if e["type"] == "extra_forbidden":
                msg = "unknown key (not a parameter of this block)"
            problems.append(f"{describe_location(loc, lines)}: {msg}")
        raise InventoryError(str(path), problems) from None
