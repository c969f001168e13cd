"""Class sizing: turn modelled demand into per-link class shares that sum to exactly 100.

Method (DOMAIN.md section 5):

1. Start from the DOMAIN.md starting shares, blended between the agentic and the generative
   column by the agentic share of the link's AI bits.
2. Each modelled AI class (AI-INTERACTIVE, AI-AGENT, OAM-TELEMETRY) gets at least its demand: the
   p95 of its egress (``up``) series at the class's SLA timescale, as a percent of the circuit.
3. If the total exceeds 100, compressible classes give way down to a floor (BEST-EFFORT 5,
   BULK-SYNC 2); if it still exceeds 100 the link is too small for the demand: the plan is marked
   ``squeezed`` (scaled to 100) and the assessment raises a critical finding.
4. Shares are rounded by largest remainder (Hamilton's method) so they sum to exactly 100, each
   at least 1; priority classes together stay <= 33 % (Cisco QoS baseline).

The policy shapes egress at the circuit's upstream rate: percentages of a sub-rate circuit need
a parent shaper at the circuit rate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from assess.classes import AI_CLASSES, CLASSES, PRIORITY_MAX_PERCENT
from assess.errors import RenderError

#: Floors (percent) compressible classes may be reduced to when AI demand needs the room.
COMPRESS_FLOORS: dict[str, float] = {"BEST-EFFORT": 5.0, "BULK-SYNC": 2.0}


class ClassShare(BaseModel):
    """One class on one link: ``percent`` of the shaped rate and what it is based on.

    ``demand_bps``: modelled p95 at ``sla_timescale_s`` (egress), or ``None`` for classes the
    model does not produce. ``basis``: ``modelled demand`` or ``starting share``.
    """

    model_config = ConfigDict(frozen=True)
    name: str
    dscp: tuple[str, ...]
    queue: str
    wred: bool
    percent: int
    guarantee_bps: int
    demand_bps: float | None
    sla_timescale_s: int
    basis: str


class ClassPlan(BaseModel):
    """The QoS plan of one WAN link: shaper and class shares.

    ``shaper_bps`` equals the circuit's upstream rate. ``required_percent`` is what the classes
    needed before any squeeze; ``squeezed`` is True when that exceeded 100.
    """

    model_config = ConfigDict(frozen=True)
    link: str
    device: str
    interface: str
    shaper_bps: int
    classes: list[ClassShare]
    required_percent: float
    squeezed: bool

    def share(self, name: str) -> ClassShare:
        """The class named ``name`` (KeyError if absent)."""
        for c in self.classes:
            if c.name == name:
                return c
        raise KeyError(name)


def largest_remainder(values: Sequence[float], total: int = 100, minimum: int = 1) -> list[int]:
    """Round non-negative ``values`` (summing to ``total``) to integers summing to ``total``.

    Hamilton's method: floor each, then give the remaining units to the largest fractional parts
    (ties: earlier first). Every result is at least ``minimum`` (taken from the largest shares).

    Raises:
        ValueError: negative values, a sum off ``total`` by more than 1e-6, or
            ``minimum * len(values) > total``.
    """
    if any(v < 0 for v in values):
        raise ValueError("values must be non-negative")
    if abs(sum(values) - total) > 1e-6:
        raise ValueError(f"values sum to {sum(values)}, expected {total}")
    if minimum * len(values) > total:
        raise ValueError("minimum too large for the total")
    floors = [math.floor(v + 1e-9) for v in values]
    rest = total - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (-(values[i] - floors[i]), i))
    for i in order[:rest]:
        floors[i] += 1
    for i in range(len(floors)):
        while floors[i] < minimum:
            j = max(range(len(floors)), key=lambda k: (floors[k], -k))
            floors[j] -= 1
            floors[i] += 1
    return floors


def size_classes(
    *,
    link: str,
    device: str,
    interface: str,
    circuit_up_bps: int,
    agentic_fraction: float,
    demand_bps: dict[str, float],
) -> ClassPlan:
    """Size the 8 classes of one link from its modelled egress demand.

    Args:
        circuit_up_bps: the circuit's upstream rate (bits/s); the shaper rate.
        agentic_fraction: share (0..1) of the link's AI bits that are agentic.
        demand_bps: class name -> p95 egress demand at the class's SLA timescale (bits/s), for
            the modelled AI classes.

    Raises:
        RenderError: ``circuit_up_bps`` <= 0, an unknown class in ``demand_bps``, or priority
            classes above 33 % (a broken class table).
    """
    if circuit_up_bps <= 0:
        raise RenderError(f"link {link}: circuit_up_bps must be > 0")
    unknown = set(demand_bps) - {c.name for c in CLASSES}
    if unknown:
        raise RenderError(f"link {link}: unknown classes in demand: {sorted(unknown)}")
    w = min(max(agentic_fraction, 0.0), 1.0)
    pct: dict[str, float] = {c.name: w * c.agentic_share + (1 - w) * c.generative_share for c in CLASSES}
    basis = {c.name: "starting share" for c in CLASSES}
    for name in AI_CLASSES:
        need = 100.0 * demand_bps.get(name, 0.0) / circuit_up_bps
        if need > pct[name]:
            pct[name] = need
            basis[name] = "modelled demand"
    required = sum(pct.values())
    excess = required - 100.0
    for name, floor in COMPRESS_FLOORS.items():
        if excess <= 0:
            break
        give = min(excess, max(0.0, pct[name] - floor))
        pct[name] -= give
        excess -= give
    squeezed = excess > 1e-9
    s = sum(pct.values())
    if abs(s - 100) > 1e-9:
        if s < 100:
            pct["BEST-EFFORT"] += 100 - s
        else:
            pct = {k: v * 100.0 / s for k, v in pct.items()}
    ints = largest_remainder([pct[c.name] for c in CLASSES])
    prio = sum(p for c, p in zip(CLASSES, ints, strict=True) if c.queue == "priority")
    if prio > PRIORITY_MAX_PERCENT:
        raise RenderError(f"link {link}: priority classes take {prio} % > {PRIORITY_MAX_PERCENT} %")
    return ClassPlan(
        link=link,
        device=device,
        interface=interface,
        shaper_bps=circuit_up_bps,
        classes=[
            ClassShare(
                name=c.name,
                dscp=c.dscp,
                queue=c.queue,
                wred=c.wred,
                percent=p,
                guarantee_bps=circuit_up_bps * p // 100,
                demand_bps=demand_bps.get(c.name),
                sla_timescale_s=c.sla_timescale_s,
                basis=basis[c.name],
            )
            for c, p in zip(CLASSES, ints, strict=True)
        ],
        required_percent=required,
        squeezed=squeezed,
    )
