"""The vendor-neutral QoS and path intent: what every platform renderer renders from.

One ``Intent`` per assessment (DOMAIN.md sections 5 and 6):

* ``links``: per WAN link, the logical classes (DSCP set, queueing treatment, guarantee, buffer,
  AQM, drop precedence) sized from the modelled demand by ``assess.qos.size_classes`` (each AI
  class's guarantee covers its p95 at its SLA timescale; priority classes together at most 33 %;
  shares by largest remainder summing to exactly 100), and the parent shaper at the circuit's
  upstream rate.
* ``sla_classes``: latency / loss / jitter targets for path selection (DOMAIN.md 5 defaults:
  interactive AI 150 ms / 1 % / 30 ms, agent tool calls 250 ms / 2 % / 50 ms, telemetry
  500 ms / 5 % / 100 ms; voice the Prisma SD-WAN media default 150 ms / 2 % / 75 ms).
* ``flows``: application-flow policies in the spirit of MEF 70: per site and AI class, the match
  (DSCP), the SLA class, and the links the flow may use. A class that carries
  ``no-internet-breakout`` or ``in-region`` data at a site may use only that site's private
  links (MPLS, point-to-point; an internet path gives no control over where data goes); with
  none, its action is ``drop``: never leaked to another path.

``build_intent(inventory, assessment)`` makes it; ``check_platform`` holds it against a
platform's limits before anything is rendered. ``assess render --format intent`` writes it as
YAML or JSON for other tools.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assess.assessment import PRIVATE_PATH_RULES, PRIVATE_TRANSPORTS, Assessment
from assess.classes import CLASSES
from assess.errors import InventoryError, RenderError
from assess.inventory import Inventory, SdwanSettings
from assess.model.profiles import GenerativeProfile, ProfileSet
from assess.qos import ClassPlan
from assess.yamlio import describe_location, load_yaml_with_lines

INTENT_SCHEMA_VERSION = "1"

#: DSCP names (as IOS-XE writes them) to code points (RFC 2474, 2597, 3246, 8622).
DSCP_VALUES: dict[str, int] = {
    "default": 0,
    "1": 1,
    "cs1": 8,
    "af11": 10,
    "af12": 12,
    "af13": 14,
    "cs2": 16,
    "af21": 18,
    "af22": 20,
    "af23": 22,
    "cs3": 24,
    "af31": 26,
    "af32": 28,
    "af33": 30,
    "cs4": 32,
    "af41": 34,
    "af42": 36,
    "af43": 38,
    "cs5": 40,
    "ef": 46,
    "cs6": 48,
    "cs7": 56,
}

Treatment = Literal["priority", "rate", "fair", "minimal"]

#: SD-WAN colour per transport when a link names none (Cisco Catalyst SD-WAN TLOC colours).
DEFAULT_COLORS: dict[str, str] = {
    "mpls": "mpls",
    "p2p": "private1",
    "dia": "biz-internet",
    "internet": "biz-internet",
    "broadband": "public-internet",
    "lte": "lte",
}


class SlaClass(BaseModel):
    """Path targets for SD-WAN path selection: one-way figures as the SD-WAN probes measure them."""

    model_config = ConfigDict(frozen=True)
    name: str
    latency_ms: int = Field(ge=1, le=1000)
    loss_percent: int = Field(ge=1, le=100)
    jitter_ms: int = Field(ge=1, le=1000)
    source: str


#: class -> SLA class (DOMAIN.md 5)
SLA_CLASSES: dict[str, SlaClass] = {
    "AI-INTERACTIVE": SlaClass(
        name="SLA-AI-INTERACTIVE", latency_ms=150, loss_percent=1, jitter_ms=30, source="DOMAIN.md 5: interactive AI"
    ),
    "AI-AGENT": SlaClass(
        name="SLA-AI-AGENT", latency_ms=250, loss_percent=2, jitter_ms=50, source="DOMAIN.md 5: agent tool calls"
    ),
    "OAM-TELEMETRY": SlaClass(
        name="SLA-TELEMETRY", latency_ms=500, loss_percent=5, jitter_ms=100, source="DOMAIN.md 5: telemetry"
    ),
    "REALTIME": SlaClass(
        name="SLA-REALTIME", latency_ms=150, loss_percent=2, jitter_ms=75, source="Prisma SD-WAN media default"
    ),
}

#: Queue buffer per class: shallow for interactive (latency over throughput), deep for bulk
#: (DOMAIN.md 5 "rate, shallow buffer" / "rate, deep buffer").
BUFFERS: dict[str, Literal["shallow", "normal", "deep"]] = {"AI-INTERACTIVE": "shallow", "BULK-SYNC": "deep"}


class IntentClass(BaseModel):
    """One logical class on one link. ``percent`` of the shaper, ``guarantee_bps`` = that rate;
    ``dscp`` names and ``dscp_values`` code points; ``drop_precedence``: DSCP name -> ``low`` or
    ``high`` (AF x2/x3 are out of contract, RFC 2597); ``aqm``: ``wred`` or ``none`` (never on
    priority or scavenger); ``demand_bps``: the modelled p95 at ``sla_timescale_s``."""

    model_config = ConfigDict(frozen=True)
    name: str
    dscp: list[str]
    dscp_values: list[int]
    treatment: Treatment
    percent: int = Field(ge=0, le=100)
    guarantee_bps: int
    buffer: Literal["shallow", "normal", "deep"]
    aqm: Literal["wred", "none"]
    drop_precedence: dict[str, Literal["low", "high"]]
    sla_class: str | None
    sla_timescale_s: int
    demand_bps: float | None
    basis: str


class LinkIntent(BaseModel):
    """The QoS intent of one WAN link: where (device, interface, platform = the device's NAPALM
    driver), the shaper (bits/s, the circuit's upstream rate) and the classes (sum 100 %).
    ``private``: the transport reaches the enterprise privately (MPLS, point-to-point).
    ``squeezed``: the classes needed more than 100 % (the assessment raised a finding)."""

    model_config = ConfigDict(frozen=True)
    link: str
    site: str
    device: str
    platform: str
    interface: str
    transport: str
    private: bool
    color: str
    shaper_bps: int
    classes: list[IntentClass]
    squeezed: bool

    @staticmethod
    def from_plan(plan: ClassPlan, site: str, platform: str, transport: str, color: str | None = None) -> LinkIntent:
        """The intent of one link from its sized ``ClassPlan`` (``assess.qos.size_classes``):
        treatment, buffer, AQM (only where ``platform`` has it), drop precedence, SLA class;
        ``color`` the SD-WAN colour (default from the transport, ``DEFAULT_COLORS``)."""
        meta = {c.name: c for c in CLASSES}
        aqm = _aqm(platform)
        return LinkIntent(
            link=plan.link,
            site=site,
            device=plan.device,
            platform=platform,
            interface=plan.interface,
            transport=transport,
            private=transport in PRIVATE_TRANSPORTS,
            color=color or DEFAULT_COLORS[transport],
            shaper_bps=plan.shaper_bps,
            classes=[
                IntentClass(
                    name=c.name,
                    dscp=list(c.dscp),
                    dscp_values=[DSCP_VALUES[d] for d in c.dscp],
                    treatment=meta[c.name].queue,
                    percent=c.percent,
                    guarantee_bps=c.guarantee_bps,
                    buffer=BUFFERS.get(c.name, "normal"),
                    aqm="wred" if c.wred and aqm else "none",
                    drop_precedence=_drop_precedence(c.dscp),
                    sla_class=SLA_CLASSES[c.name].name if c.name in SLA_CLASSES else None,
                    sla_timescale_s=c.sla_timescale_s,
                    demand_bps=c.demand_bps,
                    basis=c.basis,
                )
                for c in plan.classes
            ],
            squeezed=plan.squeezed,
        )

    def get(self, name: str) -> IntentClass:
        """The class ``name`` (KeyError if absent)."""
        for c in self.classes:
            if c.name == name:
                return c
        raise KeyError(name)


class FlowPolicy(BaseModel):
    """An application flow bound to a policy (MEF 70): traffic of ``traffic_class`` at ``site``
    (matched on ``match_dscp``), its SLA class, the data rules it carries, and the links it may
    use, preferred first. ``internet_breakout`` False: private links only. ``action`` ``steer``
    (use ``allowed_links``) or ``drop`` (no compliant path: dropped, never leaked).
    ``evidence``: the workflow calls behind the rules (``profile/call -> destination``)."""

    model_config = ConfigDict(frozen=True)
    name: str
    site: str
    site_id: int | None
    traffic_class: str
    match_dscp: list[int]
    sla_class: str | None
    data_rules: list[str]
    internet_breakout: bool
    allowed_links: list[str]
    action: Literal["steer", "drop"]
    evidence: list[str]


class Intent(BaseModel):
    """The whole intent: SLA classes, per-link QoS and per-site flow policies."""

    model_config = ConfigDict(frozen=True)
    schema_version: str = INTENT_SCHEMA_VERSION
    inventory: str
    sdwan: SdwanSettings | None = None
    sla_classes: list[SlaClass]
    links: list[LinkIntent]
    flows: list[FlowPolicy]

    def links_of(self, device: str) -> list[LinkIntent]:
        return [lk for lk in self.links if lk.device == device]

    def for_platform(self, platform: str) -> Intent:
        """The same intent as if every device ran ``platform``: what ``build_intent`` would give
        (AQM dropped where the platform has none; everything else unchanged)."""
        aqm = _aqm(platform)
        links = [
            lk.model_copy(
                update={
                    "platform": platform,
                    "classes": [c if aqm else c.model_copy(update={"aqm": "none"}) for c in lk.classes],
                }
            )
            for lk in self.links
        ]
        return self.model_copy(update={"links": links})


def _aqm(platform: str) -> bool:
    limits = PLATFORM_LIMITS.get(platform)
    return limits is None or limits.aqm


def _drop_precedence(dscp: tuple[str, ...]) -> dict[str, Literal["low", "high"]]:
    return {d: ("high" if d.startswith("af") and d[-1] in "23" else "low") for d in dscp}


class PlatformLimits(BaseModel):
    """What a platform's renderer can express: queues per port, strict-priority classes, AQM
    (WRED) per class, and a parent shaper."""

    model_config = ConfigDict(frozen=True)
    platform: str
    queues: int
    priority_classes: int
    aqm: bool
    shaper: bool


#: What each platform's renderer expresses (DOMAIN.md 5 platform notes). IOS-XE MQC: classes are
#: class-maps (8 here), two priority levels, WRED per class; Junos: 8 queues (forwarding classes),
#: one strict-high scheduler per map here, drop profiles; Arista EOS: 8 tx-queues, strict
#: priority only on the highest queue, no WRED in the renderer's qos profile.
PLATFORM_LIMITS: dict[str, PlatformLimits] = {
    "ios": PlatformLimits(platform="ios", queues=8, priority_classes=2, aqm=True, shaper=True),
    "junos": PlatformLimits(platform="junos", queues=8, priority_classes=1, aqm=True, shaper=True),
    "eos": PlatformLimits(platform="eos", queues=8, priority_classes=1, aqm=False, shaper=True),
}


def build_intent(inv: Inventory, a: Assessment, ps: ProfileSet) -> Intent:
    """The intent of an assessed estate.

    Classes come from each link's ``ClassPlan`` (``assess.qos``); flows from the assessment's
    data flows (``assess.assessment.data_flows``) and the site's links: one flow per site and
    class used there (agentic calls' and trace export's classes, generative profiles' class). Its
    data rules are
    the union of its calls' rules; allowed links are every link of the site, or only the
    private ones when any call in the class carries ``PRIVATE_PATH_RULES`` data, ordered by AI
    share (largest first).
    """
    meta = {c.name: c for c in CLASSES}
    device_platform = {d.name: d.driver for d in inv.devices}
    color = {lk.name: lk.sdwan_color for lk in inv.links}
    links = [
        LinkIntent.from_plan(la.plan, la.site, device_platform[la.device], la.transport, color[la.link])
        for la in a.links
    ]
    flows = []
    for site in inv.sites:
        site_links = sorted(inv.links_of_site(site.name), key=lambda lk: -inv.ai_share(lk))
        private = [lk.name for lk in site_links if lk.transport in PRIVATE_TRANSPORTS]
        site_flows = [f for f in a.flows if f.site == site.name]
        used = {f.transport_class for f in site_flows}
        for w in site.workloads:
            prof = ps.profiles.get(w.profile)
            if isinstance(prof, GenerativeProfile):
                used.add(prof.transport_class)
            elif prof is not None and prof.telemetry is not None:  # trace export
                used.add(ps.destinations[prof.telemetry.destination].transport_class)
        for cls in [c.name for c in CLASSES if c.name in used]:
            mine = [f for f in site_flows if f.transport_class == cls]
            rules = sorted({r for f in mine for r in f.rules})
            no_breakout = bool(PRIVATE_PATH_RULES & set(rules))
            allowed = private if no_breakout else [lk.name for lk in site_links]
            flows.append(
                FlowPolicy(
                    name=f"{site.name}/{cls}",
                    site=site.name,
                    site_id=site.sdwan_site_id,
                    traffic_class=cls,
                    match_dscp=[DSCP_VALUES[d] for d in meta[cls].dscp],
                    sla_class=SLA_CLASSES[cls].name if cls in SLA_CLASSES else None,
                    data_rules=rules,
                    internet_breakout=not no_breakout,
                    allowed_links=allowed,
                    action="steer" if allowed else "drop",
                    evidence=sorted({f"{f.profile}/{f.call} -> {f.destination}" for f in mine if f.rules}),
                )
            )
    used_sla = {f.sla_class for f in flows} | {c.sla_class for lk in links for c in lk.classes}
    return Intent(
        inventory=inv.name,
        sdwan=inv.sdwan,
        sla_classes=[s for s in SLA_CLASSES.values() if s.name in used_sla],
        links=links,
        flows=flows,
    )


def check_platform(limits: PlatformLimits, links: list[LinkIntent]) -> None:
    """Hold ``links`` against ``limits`` before rendering.

    Raises:
        RenderError: more classes than queues, more priority classes than the platform has, AQM
            on a platform without it, or priority classes above 33 %; the message names the
            platform, link and feature.
    """
    problems = []
    for lk in links:
        active = [c for c in lk.classes if c.percent > 0]
        if len(active) > limits.queues:
            problems.append(f"link {lk.link}: {len(active)} classes but {limits.queues} queues per port")
        prio = [c for c in active if c.treatment == "priority"]
        if len(prio) > limits.priority_classes:
            problems.append(
                f"link {lk.link}: {len(prio)} priority classes, the platform supports {limits.priority_classes}"
            )
        if sum(c.percent for c in prio) > 33:
            problems.append(f"link {lk.link}: priority classes take {sum(c.percent for c in prio)} % > 33 %")
        if sum(c.percent for c in lk.classes) != 100:
            problems.append(f"link {lk.link}: class shares sum to {sum(c.percent for c in lk.classes)}, not 100")
        wred = [c.name for c in active if c.aqm == "wred"]
        if wred and not limits.aqm:
            problems.append(f"link {lk.link}: feature 'wred' (classes {', '.join(wred)}) is not supported")
        if any(c.aqm == "wred" and c.treatment in ("priority", "minimal") for c in active):
            problems.append(f"link {lk.link}: WRED on a priority or scavenger class")
    if problems:
        raise RenderError(f"platform {limits.platform}: " + "; ".join(problems))


def write_intent(intent: Intent, folder: Path) -> list[Path]:
    """Write ``intent.yaml`` and ``intent.json`` into ``folder`` (each to a temp file, then
    renamed); return their paths."""
    text_json = intent.model_dump_json(indent=2) + "\n"
    text_yaml = yaml.safe_dump(intent.model_dump(mode="json"), sort_keys=False, width=120)
    out = []
    for name, text in (("intent.yaml", text_yaml), ("intent.json", text_json)):
        path = folder / name
        tmp = path.with_name(f".{name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        out.append(path)
    return out


def load_intent(path: Path) -> Intent:
    """Read an intent file (YAML or JSON; a run folder's ``configs/intent.json`` or an edited copy).

    Raises:
        InventoryError: unreadable, not YAML/JSON, or not a valid intent (field and line named).
    """
    data, lines = load_yaml_with_lines(path)  # JSON is YAML
    try:
        return Intent.model_validate(data)
    except ValidationError as exc:
        raise InventoryError(
            str(path), [f"{describe_location(tuple(e['loc']), lines)}: {e['msg']}" for e in exc.errors()]
        ) from None
