"""The logical QoS class model (DOMAIN.md section 5).

Based on RFC 4594 (service classes; only telephony is priority-queued), RFC 8622 (LE = DSCP 1
replaces CS1 for scavenger) and Cisco's QoS baseline (all priority queues together <= 33 % of the
link; no WRED on priority or scavenger). AI traffic is elastic TCP/QUIC and never priority.

``agentic_share`` / ``generative_share`` are the DOMAIN.md starting points (percent of the
link); the sizing in ``assess.qos`` replaces them with modelled demand. ``sla_timescale_s`` is
the timescale at which a class's demand must fit its guarantee (assumption: seconds matter to
interactive and control traffic, minutes to bulk).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Queue = Literal["priority", "rate", "fair", "minimal"]


@dataclass(frozen=True)
class TrafficClass:
    """One logical class: DSCP names (as IOS-XE writes them), queueing and starting shares."""

    name: str
    carries: str
    dscp: tuple[str, ...]
    queue: Queue
    wred: bool
    agentic_share: int
    generative_share: int
    sla_timescale_s: int


CLASSES: tuple[TrafficClass, ...] = (
    TrafficClass(
        "NET-CONTROL",
        "routing, BFD, SD-WAN control, signalling",
        ("cs6", "cs3"),
        "rate",
        False,
        4,
        4,
        1,
    ),
    TrafficClass("REALTIME", "voice and voice-agent media", ("ef", "cs4"), "priority", False, 15, 15, 1),
    TrafficClass(
        "AI-INTERACTIVE",
        "streamed model output to people, retrieval on their query path",
        ("af31", "af32", "af33"),
        "rate",
        True,
        15,
        25,
        1,
    ),
    TrafficClass(
        "AI-AGENT",
        "autonomous tool calls, agent model requests",
        ("af21", "af22", "af23"),
        "rate",
        True,
        25,
        10,
        10,
    ),
    TrafficClass("OAM-TELEMETRY", "traces, audit logs, evals", ("cs2",), "rate", False, 6, 4, 60),
    TrafficClass(
        "BULK-SYNC",
        "embedding/index sync, artifacts",
        ("af11", "af12", "af13"),
        "rate",
        True,
        8,
        8,
        300,
    ),
    TrafficClass("BEST-EFFORT", "unclassified", ("default",), "fair", False, 26, 33, 300),
    # LE has no IOS keyword: it is matched as the number 1 (RFC 8622).
    TrafficClass("SCAVENGER", "prefetch, non-business", ("1",), "minimal", False, 1, 1, 300),
)

CLASS_NAMES: tuple[str, ...] = tuple(c.name for c in CLASSES)
CLASS_INDEX: dict[str, int] = {c.name: i for i, c in enumerate(CLASSES)}
AI_CLASSES: tuple[str, ...] = ("AI-INTERACTIVE", "AI-AGENT", "OAM-TELEMETRY")
#: Priority queues together may take at most this percent of the link (Cisco QoS baseline).
PRIORITY_MAX_PERCENT = 33

DIRECTIONS: tuple[str, str] = ("down", "up")
KINDS: tuple[str, str] = ("generative", "agentic")
