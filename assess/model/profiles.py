"""Traffic profiles: how AI work turns into requests on the WAN.

Two kinds (DOMAIN.md section 1):

* ``generative``: people prompting a chat/copilot. Prompts arrive as a Poisson process at the
  busy-hour rate (session arrivals are well modelled as Poisson: Paxson & Floyd 1995); each is
  one upload and one streamed answer.
* ``agentic``: autonomous workflows in a closed loop, 24x7. A task is ``steps`` model calls
  (uniform between min and max) that each re-send the whole history (bytes per task
  ~ S*c0 + g*S*(S-1)/2), some followed by a tool call, plus retrieval, traces exported in
  batches, and optional fan-out bursts.

Every numeric parameter must carry a source in ``sources`` (a citation or ``assumption``): the
report prints them. ``load_profiles(path)`` validates a file; bad values raise ``InventoryError``
naming the file, field and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assess.errors import InventoryError
from assess.yamlio import describe_location, load_yaml_with_lines

Pos = Annotated[float, Field(gt=0)]
NonNeg = Annotated[float, Field(ge=0)]
Prob = Annotated[float, Field(ge=0, le=1)]


class _Profile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = ""
    sources: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _every_number_has_a_source(self) -> _Profile:
        numeric = [n for n in self.model_fields_set if n not in ("description", "sources", "kind")]
        unknown = sorted(set(self.sources) - set(type(self).model_fields))
        if unknown:
            raise ValueError(f"sources names unknown parameters: {', '.join(unknown)}")
        missing = [n for n in numeric if n not in self.sources]
        if missing:
            raise ValueError(
                "every parameter needs a source (a citation or 'assumption'); missing: " + ", ".join(missing)
            )
        return self


class GenerativeProfile(_Profile):
    """People prompting a chat or copilot (burst-generative load).

    Sizes in bytes; rates per second or per hour as named. The request is the prompt
    (``prompt_tokens * bytes_per_token + request_overhead_bytes``), the answer is streamed at
    ``stream_tokens_per_s`` with ``wire_bytes_per_token`` per server-sent event on the wire.
    """

    kind: Literal["generative"]
    prompts_per_user_hour: Pos
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
    retrieval_per_prompt: Prob
    retrieval_response_bytes: NonNeg

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


class AgenticProfile(_Profile):
    """Autonomous multi-step workflows in a closed loop (sustained-agentic load).

    Step ``i`` (0-based) of a task sends ``system_prompt_bytes + i * context_growth_bytes_per_step``
    (+ overhead) up and receives ``model_response_bytes`` after a lognormal model time; with
    probability ``tool_call_probability`` a tool call follows. Spans and audit records are
    exported every ``trace_export_interval_s`` (OpenTelemetry BatchSpanProcessor default 5 s).
    A task may open with a fan-out burst: ``fanout_subtasks * fanout_calls_per_subtask`` requests
    within ``fanout_window_s``.
    """

    kind: Literal["agentic"]
    steps_per_task_min: int = Field(ge=1)
    steps_per_task_max: int = Field(ge=1)
    idle_between_tasks_s: NonNeg
    system_prompt_bytes: NonNeg
    context_growth_bytes_per_step: NonNeg
    model_response_bytes: NonNeg
    model_time_median_s: Pos
    model_time_sigma: NonNeg
    tool_call_probability: Prob
    tool_request_bytes: NonNeg
    tool_response_bytes: NonNeg
    tool_time_median_s: Pos
    retrievals_per_task: int = Field(ge=0)
    retrieval_request_bytes: NonNeg
    retrieval_response_bytes: NonNeg
    request_overhead_bytes: NonNeg
    span_bytes: NonNeg
    audit_bytes_per_call: NonNeg
    trace_export_interval_s: Pos
    fanout_subtasks: int = Field(0, ge=0)
    fanout_calls_per_subtask: int = Field(0, ge=0)
    fanout_window_s: Pos = 1.0
    fanout_request_bytes: NonNeg = 0
    #: end-to-end latency a task should stay within (s); the task-latency model reports the
    #: share of tasks over it
    latency_budget_s: Pos | None = None

    @model_validator(mode="after")
    def _ranges(self) -> AgenticProfile:
        if self.steps_per_task_min > self.steps_per_task_max:
            raise ValueError("steps_per_task_min must not exceed steps_per_task_max")
        return self


Profile = Annotated[GenerativeProfile | AgenticProfile, Field(discriminator="kind")]


class ProfileSet(BaseModel):
    """A profile file: shared network assumptions plus named profiles.

    ``transfer_rate_bps``: the rate one request/response moves at on the WAN (assumption; a
    TCP/QUIC flow limited by its window, not the link). ``rtt_ms``: the round trip used for call
    timing. ``horizon_s``/``bin_s``: the modelled busy hour and its finest bin.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    transfer_rate_bps: Pos = 20e6
    rtt_ms: NonNeg = 30.0
    horizon_s: int = Field(3600, ge=600, le=86_400)
    bin_s: float = Field(1.0, gt=0)
    sources: dict[str, str] = Field(default_factory=dict)
    profiles: dict[str, Profile] = Field(min_length=1)


def load_profiles(path: Path) -> ProfileSet:
    """Read and validate a profile file.

    Raises:
        InventoryError: unreadable, invalid YAML, unknown keys, a negative size, ``steps < 1``,
            a probability above 1, a parameter without a source; each named by field and line.
    """
    data, lines = load_yaml_with_lines(path)
    try:
        return ProfileSet.model_validate(data)
    except ValidationError as exc:
        problems = []
        for e in exc.errors():
            loc = tuple(x for x in e["loc"] if x not in ("generative", "agentic"))
            msg = e["msg"].removeprefix("Value error, ")
            if e["type"] == "extra_forbidden":
                msg = "unknown key (not a parameter of this profile kind)"
            problems.append(f"{describe_location(loc, lines)}: {msg}")
        raise InventoryError(str(path), problems) from None
