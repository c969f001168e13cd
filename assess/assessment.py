"""Assessment: measured baseline plus modelled AI demand, per link and direction.

Thresholds (DOMAIN.md section 3): p95 of 300 s means >= 60 % of the circuit is a warning
(R. Bush "s/80/60/"; Kentik warns at 70 %), >= 80 % critical (NANOG 2009 "plan the upgrade at
p95 80 %"); AI classes must keep p99(1 s) <= 90 % of their guarantee. Burst capacity by Gaussian
dimensioning (van de Meent, Mandjes & Pras, IEEE Network 2009): C(T, eps) = mu + sqrt(-2 ln eps)
* sigma_T with eps = 1 %.

The baseline is the mean measured over the collection window, held constant over the modelled
busy hour (a short window cannot show its own variance: the report says so).
"""

from __future__ import annotations

import math
from typing import Literal, NamedTuple

import numpy as np
from pydantic import BaseModel, ConfigDict

from assess.classes import AI_CLASSES, CLASSES, DIRECTIONS
from assess.collect.models import ClassDrops, LinkUtilisation
from assess.inventory import Inventory, WanLink
from assess.model.forecast import months_to, p95_at
from assess.model.generate import SiteDemand
from assess.model.latency import LatencyStats, NetworkPath, task_latency
from assess.model.profiles import AgenticProfile, ForecastAssumptions, GrowthScenario, ProfileSet
from assess.model.queue import DEFAULT_BUFFER_S, QueueResult, fluid_queue
from assess.model.retry import DEFAULT_MAX_RETRIES, DEFAULT_RETRY_BUDGET, retry_amplification
from assess.model.runout import DAYS_PER_MONTH, MIN_DAYS, Runout, runout
from assess.model.stats import LadderStats, ladder, nearest_rank
from assess.qos import ClassPlan, size_classes

Severity = Literal["critical", "high", "medium", "low", "info"]
Verdict = Literal["ready", "at risk", "not ready", "not assessed"]
SEVERITY_ORDER: tuple[Severity, ...] = ("critical", "high", "medium", "low", "info")
FindingKind = Literal[
    "capacity",
    "burst",
    "classes",
    "drops",
    "runout",
    "forecast",
    "latency",
    "retries",
    "resilience",
    "data-boundary",
    "collection",
]

#: What each kind of finding means for the business, for the executive summary (one sentence
#: a budget holder reads; the evidence and the action are in the finding itself).
FINDING_IMPACT: dict[str, str] = {
    "capacity": "AI workflows and everything else on this link slow down together at busy times; "
    "calls time out and users see stalled agents.",
    "burst": "Fan-out and trace bursts fill the queue for a second at a time: agent steps stall and "
    "retries add load exactly when the link is full.",
    "classes": "The QoS policy cannot give every class its guarantee, so some business traffic loses "
    "its protection once AI load arrives.",
    "drops": "Traffic is already being dropped today, before any AI load is added: users are already affected.",
    "runout": "The link runs out of capacity within the budget cycle: the upgrade needs ordering before the lead time.",
    "forecast": "As AI adoption grows the link crosses its planning threshold: budget the upgrade "
    "now to avoid an emergency order.",
    "latency": "Agent tasks take longer than the business process allows, or fail: the automation's "
    "promised savings are not delivered.",
    "retries": "Under congestion, retries multiply the load and turn a slowdown into an outage of the AI service.",
    "resilience": "A single circuit failure stops or degrades the site's AI workflows.",
    "data-boundary": "Data could leave its permitted region or path: a compliance exposure, or "
    "calls that the policy must block.",
    "collection": "This part of the estate is unassessed: its readiness is unknown.",
}

WARN_P95_300_PCT = 60.0
CRIT_P95_300_PCT = 80.0
AI_CLASS_P99_1S_OF_GUARANTEE = 0.90
GAUSSIAN_EPS = 0.01


class Finding(BaseModel):
    """One finding: severity, where, what was seen (evidence, with numbers) and what to do."""

    model_config = ConfigDict(frozen=True)
    id: str
    severity: Severity
    kind: FindingKind
    site: str
    link: str | None
    title: str
    evidence: str
    recommendation: str


def _numbered(
    n: list[int],
    kind: FindingKind,
    severity: Severity,
    site: str,
    link: str | None,
    title: str,
    evidence: str,
    recommendation: str,
) -> Finding:
    """The next finding, numbered ``F001``, ``F002``... from the shared counter ``n[0]``."""
    n[0] += 1
    return Finding(
        id=f"F{n[0]:03d}",
        severity=severity,
        kind=kind,
        site=site,
        link=link,
        title=title,
        evidence=evidence,
        recommendation=recommendation,
    )


class DirectionAssessment(BaseModel):
    """One direction of one link. Rates in bits/s, percents of ``circuit_bps``.

    ``baseline_bps``: measured mean (``None`` if not collected). ``ai``: the link's share of the
    site's modelled AI load on the ladder; ``combined``: baseline + AI on the ladder.
    ``gaussian_capacity_bps``: C(1 s, 1 %) of the combined load. ``queue``: the combined
    series through a fluid queue at the circuit rate with a 100 ms buffer (``model.queue``):
    predicted drops and peak queueing delay over the modelled busy hour.
    """

    model_config = ConfigDict(frozen=True)
    direction: str
    circuit_bps: int
    baseline_bps: float | None
    ai: list[LadderStats]
    combined: list[LadderStats]
    p95_300s_pct: float | None
    p99_1s_pct: float | None
    headroom_bps: float | None
    gaussian_capacity_bps: float | None
    queue: QueueResult | None = None

    def at(self, which: str, timescale_s: int) -> LadderStats:
        """The ``ai`` or ``combined`` statistics at one timescale."""
        for s in getattr(self, which):
            if s.timescale_s == timescale_s:
                return s  # type: ignore[no-any-return]
        raise KeyError(timescale_s)


class Baseline(BaseModel):
    """A link's baseline per direction (bits/s) from history, and where it comes from.
    ``daily``: per direction (``down``/``up``) the daily p95 series ``(day, p95 bits/s,
    weekday)`` the runout is computed from."""

    model_config = ConfigDict(frozen=True)
    down_bps: float | None
    up_bps: float | None
    source: str
    daily: dict[str, list[tuple[float, float, int]]] = {}


class ForecastPoint(BaseModel):
    """Forecast p95 of 300 s means at one horizon, % of the circuit per direction (None when
    the direction has no baseline)."""

    model_config = ConfigDict(frozen=True)
    months: int
    down_p95_300s_pct: float | None
    up_p95_300s_pct: float | None

    def worst_pct(self) -> float:
        return max(x for x in (self.down_p95_300s_pct, self.up_p95_300s_pct, 0.0) if x is not None)


class ScenarioForecast(BaseModel):
    """One scenario's forecast for a link: points at month 0 and each horizon; months until
    the worse direction's p95 reaches 60 % (warn) and 80 % (critical), None beyond 60 months."""

    model_config = ConfigDict(frozen=True)
    scenario: str
    points: list[ForecastPoint]
    months_to_warn: float | None
    months_to_critical: float | None


class LinkForecast(BaseModel):
    """The AI demand forecast of one link (``assess.model.forecast``). ``needed_*_bps``: the
    circuit that keeps the expected scenario's p95 below 60 % at the last horizon (rounded up to
    10 Mb/s; the current circuit when it already does)."""

    model_config = ConfigDict(frozen=True)
    scenarios: list[ScenarioForecast]
    needed_down_bps: int
    needed_up_bps: int

    def get(self, name: str) -> ScenarioForecast:
        return next(s for s in self.scenarios if s.scenario == name)


class LinkAssessment(BaseModel):
    """Everything assessed about one WAN link, and its QoS plan."""

    model_config = ConfigDict(frozen=True)
    link: str
    site: str
    device: str
    interface: str
    transport: str
    provider: str
    ai_share: float
    collected: bool
    port_speed_mbps: float | None
    verdict: Verdict
    #: where the baseline comes from (measured window, or history p95 of 5-minute means)
    baseline_source: str
    down: DirectionAssessment
    up: DirectionAssessment
    plan: ClassPlan
    #: upstream p99 at 1 s of each modelled AI class on this link (bits/s)
    class_p99_1s_up_bps: dict[str, float]
    #: QoS queue drops the router reported per class over the collection window (``show
    #: policy-map interface``); ``None`` where there is no such evidence
    measured_queue_drops: list[ClassDrops] | None = None
    #: runout per direction (``down``/``up``) from daily p95 history, where there are 7+ days
    runout: dict[str, Runout] = {}
    #: per AI class, upstream: Gaussian capacity C(T, 1 %) of the class's modelled load at its SLA
    #: timescale T (van de Meent, Mandjes & Pras 2009), bits/s; beside the p95 the plan sizes on
    class_gaussian_up_bps: dict[str, float] = {}
    #: growth of today's figures at the forecast horizons (None when not collected)
    forecast: LinkForecast | None = None


class SiteContrast(BaseModel):
    """Burst-generative vs sustained-agentic load of one site on the ladder (both directions).

    ``calls_in_flight``: AI calls open at once (each holds a NAT/firewall session), per kind
    (``generative``/``agentic``): ``mean`` (Little's law L = lambda W), ``p99`` and ``max`` of the
    counts sampled at the start of every second.
    """

    model_config = ConfigDict(frozen=True)
    site: str
    generative: list[LadderStats]
    agentic: list[LadderStats]
    calls_in_flight: dict[str, dict[str, float]] = {}


class ScenarioLatency(BaseModel):
    """Task latency of one workflow at one site under one network scenario (seconds)."""

    model_config = ConfigDict(frozen=True)
    scenario: str
    path: NetworkPath
    stats: LatencyStats | None
    note: str = ""
    #: mean offered load / circuit of the path's busiest direction when above 1 (overload)
    overload_factor: float = 1.0
    #: attempts per AI call at the retry fixed point on this path's link (``max_retries``, no budget)
    #: and with a 10 % retry budget (``model.retry``); ``None`` where not computed
    retry_amplification: float | None = None
    retry_amplification_budget: float | None = None
    #: retries per call behind the amplification: the largest of the site's workflows
    max_retries: int = DEFAULT_MAX_RETRIES


class SiteLatency(BaseModel):
    """Task latency of one agentic workflow at one site: now and under the what-ifs."""

    model_config = ConfigDict(frozen=True)
    site: str
    profile: str
    via_link: str
    budget_s: float | None
    scenarios: list[ScenarioLatency]

    def get(self, scenario: str) -> ScenarioLatency:
        """The named scenario (``KeyError`` if absent)."""
        for s in self.scenarios:
            if s.scenario == scenario:
                return s
        raise KeyError(scenario)


class Assessment(BaseModel):
    """The whole assessment: per-link results, findings (worst first) and the overall verdict."""

    model_config = ConfigDict(frozen=True)
    verdict: Verdict
    links: list[LinkAssessment]
    findings: list[Finding]
    contrasts: list[SiteContrast]
    not_collected: list[str]
    latency: list[SiteLatency] = []
    flows: list[DataFlow] = []


#: Transports that reach the endpoints privately; the rest break out to the internet.
PRIVATE_TRANSPORTS = frozenset({"mpls", "p2p"})
#: Data rules that keep a flow on private links: ``no-internet-breakout`` by definition, and
#: ``in-region`` because an internet path gives no control over where the traffic goes (the
#: destination's region is checked as well).
PRIVATE_PATH_RULES = frozenset({"no-internet-breakout", "in-region"})


class DataFlow(BaseModel):
    """One dependency of one workflow at one site, checked against its data rules.

    ``rules``: the call's ``data_classification``. ``compliant_links``: the site's links the
    flow may use (the private ones under ``PRIVATE_PATH_RULES``, else all of them).
    ``status``: ``ok``; ``out of region`` (``in-region`` data to a destination in another
    region); ``internet destination`` (``no-internet-breakout`` data to an endpoint reached via
    the internet: no compliant path); ``no compliant path`` (no private link at the site: the
    flow must be dropped, never leaked); ``pin to private`` (the site also plans AI load on
    internet links: the class needs a policy keeping these calls on ``compliant_links``);
    ``no private backup`` (one private link and only internet links besides: if it fails, the
    calls have no compliant path).
    """

    model_config = ConfigDict(frozen=True)
    site: str
    site_region: str
    profile: str
    call: str
    destination: str
    destination_region: str
    reach: str
    transport_class: str
    rules: list[str]
    compliant_links: list[str]
    status: Literal[
        "ok", "out of region", "internet destination", "no compliant path", "pin to private", "no private backup"
    ]


def data_flows(inv: Inventory, ps: ProfileSet) -> list[DataFlow]:
    """Every call of every agentic workload at every site, with its data rules checked against
    the destination (region, reach) and the site's links (private transports: ``mpls``, ``p2p``;
    MEF 70: a flow with no compliant path is dropped, never sent over a forbidden path)."""
    out = []
    for site in inv.sites:
        links = inv.links_of_site(site.name)
        private = [lk.name for lk in links if lk.transport in PRIVATE_TRANSPORTS]
        internet_ai = [lk.name for lk in links if lk.transport not in PRIVATE_TRANSPORTS and inv.ai_share(lk) > 0]
        for w in site.workloads:
            prof = ps.profiles.get(w.profile)
            if not isinstance(prof, AgenticProfile):
                continue
            for c in prof.calls:
                dest = ps.destination_of(c)
                rules = list(c.data_classification)
                status: str = "ok"
                compliant = [lk.name for lk in links]
                if PRIVATE_PATH_RULES & set(rules):
                    compliant = private
                    if "no-internet-breakout" in rules and dest.reach == "internet":
                        status, compliant = "internet destination", []
                    elif not private:
                        status = "no compliant path"
                    elif internet_ai:
                        status = "pin to private"
                    elif len(private) == 1 and len(links) > 1:
                        status = "no private backup"
                if "in-region" in rules and site.region and dest.region and dest.region != site.region:
                    status = "out of region"
                out.append(
                    DataFlow(
                        site=site.name,
                        site_region=site.region,
                        profile=w.profile,
                        call=c.name,
                        destination=c.destination,
                        destination_region=dest.region,
                        reach=dest.reach,
                        transport_class=ps.class_of(c),
                        rules=rules,
                        compliant_links=compliant,
                        status=status,
                    )
                )
    return out


def _flow_findings(flows: list[DataFlow], inv: Inventory, n: list[int]) -> list[Finding]:
    """One finding per site and problem kind, naming the calls (``profile/call``)."""
    out: list[Finding] = []

    def add(kind: FindingKind, sev: Severity, site: str, link: str | None, title: str, evidence: str, rec: str) -> None:
        out.append(_numbered(n, kind, sev, site, link, title, evidence, rec))

    by: dict[tuple[str, str], list[DataFlow]] = {}
    for f in flows:
        if f.status != "ok":
            by.setdefault((f.site, f.status), []).append(f)
    for (site, status), fs in sorted(by.items()):
        calls = ", ".join(sorted({f"{f.profile}/{f.call} -> {f.destination}" for f in fs}))
        if status == "out of region":
            regions = ", ".join(sorted({f.destination_region for f in fs}))
            add(
                "data-boundary",
                "high",
                site,
                None,
                f"{site}: in-region data would leave {fs[0].site_region}",
                f"calls classified in-region go to endpoints in {regions}: {calls}",
                f"Serve these calls from an endpoint in {fs[0].site_region} (a regional replica or deployment), "
                "or have the data owner reclassify them; no network policy can make a remote endpoint local.",
            )
        elif status == "internet destination":
            add(
                "data-boundary",
                "high",
                site,
                None,
                f"{site}: no-internet-breakout data to an internet endpoint",
                f"these calls may not break out to the internet, but their endpoints are reached via the "
                f"internet: {calls}. A compliant policy drops them.",
                "Reach the endpoint privately (private interconnect or PrivateLink-style endpoint via the hub), "
                "or reclassify the data; until then the generated policy blocks these calls.",
            )
        elif status == "no compliant path":
            add(
                "data-boundary",
                "high",
                site,
                None,
                f"{site}: no private path for private-only data",
                f"the site has no private (MPLS/point-to-point) link, so these calls have no compliant path "
                f"and are dropped: {calls}",
                "Add a private circuit or an encrypted tunnel to the hub that policy treats as private, "
                "or move the workload to a site with one.",
            )
        elif status == "no private backup":
            others = [lk.name for lk in inv.links_of_site(site) if lk.name not in fs[0].compliant_links]
            add(
                "resilience",
                "medium",
                site,
                fs[0].compliant_links[0],
                f"{site}: no compliant backup for private-only calls",
                f"only {fs[0].compliant_links[0]} is private; if it fails, these calls may not use "
                f"{', '.join(others)} and stop: {calls}",
                "Accept and document the outage for these workflows, or add a private backup (a second MPLS "
                "circuit, or an encrypted tunnel to the hub that the data owner accepts as private).",
            )
        else:  # pin to private
            links = fs[0].compliant_links
            internet = [
                lk.name
                for lk in inv.links_of_site(site)
                if lk.transport not in PRIVATE_TRANSPORTS and inv.ai_share(lk) > 0
            ]
            backup = f"; if {links[0]} fails they have no compliant path" if len(links) == 1 else ""
            add(
                "data-boundary",
                "medium",
                site,
                None,
                f"{site}: keep private-only calls off {', '.join(internet)}",
                f"AI load is planned on internet links ({', '.join(internet)}), but these calls carry "
                f"in-region or no-internet-breakout data and must stay on {', '.join(links)}: {calls}{backup}",
                f"Match these calls' class ({', '.join(sorted({f.transport_class for f in fs}))}) in an SD-WAN "
                f"policy that allows only {', '.join(links)} and drops on no compliant path (generated policy); "
                "mark them by application, not by destination port alone.",
            )
    return out


def _pct(x: float | None, c: int) -> float | None:
    return None if x is None else 100.0 * x / c


def _round_up_mbps(bps: float, step_mbps: int = 10) -> int:
    return int(math.ceil(bps / 1e6 / step_mbps) * step_mbps)


def gaussian_capacity(mean_bps: float, sigma_bps: float, eps: float = GAUSSIAN_EPS) -> float:
    """C = mu + sqrt(-2 ln eps) * sigma (van de Meent, Mandjes & Pras 2009), bits/s.

    Raises:
        ValueError: eps outside (0, 1).
    """
    if not 0 < eps < 1:
        raise ValueError("eps must be in (0, 1)")
    return mean_bps + math.sqrt(-2.0 * math.log(eps)) * sigma_bps


def _direction(
    name: str, circuit: int, baseline: float | None, ai_series: np.ndarray, bin_s: float
) -> DirectionAssessment:
    ai = ladder(ai_series, bin_s)
    combined_series = ai_series + (baseline or 0.0)
    combined = ladder(combined_series, bin_s)
    if baseline is None:
        return DirectionAssessment(
            direction=name,
            circuit_bps=circuit,
            baseline_bps=None,
            ai=ai,
            combined=combined,
            p95_300s_pct=None,
            p99_1s_pct=None,
            headroom_bps=None,
            gaussian_capacity_bps=None,
        )
    s300 = next(s for s in combined if s.timescale_s == 300)
    s1 = next(s for s in combined if s.timescale_s == 1)
    return DirectionAssessment(
        direction=name,
        circuit_bps=circuit,
        baseline_bps=baseline,
        ai=ai,
        combined=combined,
        p95_300s_pct=_pct(s300.p95_bps, circuit),
        p99_1s_pct=_pct(s1.p99_bps, circuit),
        headroom_bps=circuit - s300.p95_bps,
        gaussian_capacity_bps=gaussian_capacity(s1.mean_bps, s1.cov * s1.mean_bps),
        queue=fluid_queue(combined_series, circuit, DEFAULT_BUFFER_S * circuit, bin_s),
    )


def _link_findings(la: LinkAssessment, n: list[int]) -> list[Finding]:
    out: list[Finding] = []

    def add(kind: FindingKind, sev: Severity, title: str, evidence: str, rec: str) -> None:
        out.append(_numbered(n, kind, sev, la.site, la.link, title, evidence, rec))

    for d in (la.down, la.up):
        if d.p95_300s_pct is None:
            continue
        s300 = d.at("combined", 300)
        circuit_mbps = d.circuit_bps / 1e6
        target = _round_up_mbps(s300.p95_bps / (WARN_P95_300_PCT / 100))
        ev = (
            f"{d.direction}stream p95(300 s) {s300.p95_bps / 1e6:.1f} Mb/s = {d.p95_300s_pct:.0f} % of "
            f"{circuit_mbps:.0f} Mb/s (baseline {d.baseline_bps / 1e6 if d.baseline_bps else 0:.1f} Mb/s: "
            f"{la.baseline_source}; plus modelled AI p95 {d.at('ai', 300).p95_bps / 1e6:.1f} Mb/s)"
        )
        if d.p95_300s_pct >= CRIT_P95_300_PCT:
            add(
                "capacity",
                "critical",
                f"{la.link}: {d.direction}stream over {CRIT_P95_300_PCT:.0f} % at p95 with AI load",
                ev,
                f"Upgrade the {d.direction}stream to at least {target} Mb/s (p95 below {WARN_P95_300_PCT:.0f} %) "
                "before the AI roll-out, "
                "or move AI traffic to another path; apply the generated QoS policy so AI-AGENT and OAM keep their "
                "guarantees meanwhile.",
            )
        elif d.p95_300s_pct >= WARN_P95_300_PCT:
            add(
                "capacity",
                "high",
                f"{la.link}: {d.direction}stream above {WARN_P95_300_PCT:.0f} % at p95 with AI load",
                ev,
                f"Plan an upgrade to {target} Mb/s; apply the generated QoS policy now so elastic AI traffic cannot "
                "starve control and real-time classes.",
            )
        if d.p99_1s_pct is not None and d.p99_1s_pct >= 100 and d.gaussian_capacity_bps:
            p99_bps = d.at("combined", 1).p99_bps
            size_mbps = _round_up_mbps(max(p99_bps, d.gaussian_capacity_bps))
            gauss = d.gaussian_capacity_bps / 1e6
            note = (
                f"Gaussian dimensioning C(1 s, 1 %) gives {gauss:.0f} Mb/s, an underestimate here: fan-out bursts are "
                "heavy-tailed, not Gaussian"
                if d.gaussian_capacity_bps < p99_bps
                else f"Gaussian dimensioning C(1 s, 1 %) = {gauss:.0f} Mb/s"
            )
            add(
                "burst",
                "high",
                f"{la.link}: 1 s bursts exceed the {d.direction}stream circuit",
                f"p99(1 s) {p99_bps / 1e6:.1f} Mb/s = {d.p99_1s_pct:.0f} % of {circuit_mbps:.0f} Mb/s: "
                "the queue fills and drops during fan-out and trace-export bursts",
                "Pace agent fan-out (cap concurrent sub-agent calls) and give AI-AGENT its own class (generated "
                f"policy), or size the {d.direction}stream for at least {size_mbps} Mb/s ({note}).",
            )
        elif d.p99_1s_pct is not None and d.p99_1s_pct >= 90:
            add(
                "burst",
                "medium",
                f"{la.link}: {d.direction}stream 1 s peaks near the circuit rate",
                f"p99(1 s) = {d.p99_1s_pct:.0f} % of {circuit_mbps:.0f} Mb/s",
                "Expect burst-scale queueing: apply the generated QoS policy and keep AI traffic out of the "
                "priority queue.",
            )
    for direction, ro in la.runout.items():
        soonest = ro.linear_days_with_ai
        if soonest is None or soonest > 365:
            continue
        months = soonest / DAYS_PER_MONTH
        early, late = ro.linear_days_band
        band = (
            f" (95 % band {early / DAYS_PER_MONTH:.1f} to {late / DAYS_PER_MONTH:.1f} months without AI)"
            if early is not None and late is not None
            else ""
        )
        add(
            "runout",
            "high" if months <= 6 else "medium",
            f"{la.link}: {direction}stream reaches {CRIT_P95_300_PCT:.0f} % in {months:.1f} months with AI",
            f"{ro.days_of_history} days of history: daily p95 now {ro.y_now_bps / 1e6:.1f} Mb/s, trend "
            f"{ro.slope_bps_per_day * DAYS_PER_MONTH / 1e6:+.2f} Mb/s per month (Theil-Sen){band}; plus the "
            "modelled AI p95 as a step" + (f"; note: {ro.seasonality}" if ro.seasonality else ""),
            f"Order the upgrade now (lead times for WAN circuits are often 2-4 months): size for the "
            f"24-month projection, {ro.projections[-1].with_ai_pct:.0f} % of today's circuit with AI.",
        )
    fc = la.forecast
    if fc is not None and not la.runout and la.verdict in ("ready", "at risk"):
        exp = fc.get("expected")
        m = exp.months_to_critical
        if m is not None and m <= 24:
            horizons = [p for p in exp.points if p.months > 0]
            to_crit = {s.scenario: s.months_to_critical for s in fc.scenarios}
            others = ", ".join(
                f"{k}: {'beyond 60' if v is None else f'{v:.0f}'} months" for k, v in to_crit.items() if k != "expected"
            )
            circuits = f"{fc.needed_down_bps / 1e6:.0f}/{fc.needed_up_bps / 1e6:.0f} Mb/s down/up"
            add(
                "forecast",
                "medium" if m <= 12 else "low",
                f"{la.link}: reaches {CRIT_P95_300_PCT:.0f} % in {m:.0f} months as AI use grows"
                if m >= 1
                else f"{la.link}: reaches {CRIT_P95_300_PCT:.0f} % within a month as AI use grows",
                f"p95(300 s) of the worse direction now {exp.points[0].worst_pct():.0f} %, forecast "
                + " / ".join(f"{p.worst_pct():.0f} %" for p in horizons)
                + f" at {' / '.join(str(p.months) for p in horizons)} months (expected scenario; {others})",
                f"Budget the upgrade to {circuits} (p95 below {WARN_P95_300_PCT:.0f} % at "
                f"{horizons[-1].months} months, expected scenario) and order it a circuit lead time (often 2-4 "
                f"months) before month {m:.0f}; re-run with the real roll-out plan in the profile file's forecast.",
            )
    dropping = [c for c in la.measured_queue_drops or [] if c.drops > 0]
    if dropping:
        q = la.up.queue
        if q is None:
            predicted = ""
        elif q.dropped_bytes > 0:
            predicted = (
                f"; the model predicts {q.dropped_bytes / 1e6:.1f} MB dropped upstream over the busy hour with AI "
                f"load (peak queueing delay {q.peak_delay_ms:.0f} ms)"
            )
        else:
            predicted = (
                "; at 1 s resolution the model sees no upstream overload even with AI load, so these drops come "
                "from sub-second bursts or class queues too short for them, not from the average load"
            )
        add(
            "drops",
            "medium",
            f"{la.link}: queues already drop today",
            "router-reported drops over the "
            f"{dropping[0].window_s:.0f} s window: "
            + ", ".join(f"{c.class_name} {c.drops} packets ({c.drops_per_s:.1f}/s)" for c in dropping)
            + predicted,
            "The current policy is already short of capacity for these classes before any AI load: apply the "
            "generated policy (classes sized from the measured and modelled load) and re-measure the drops.",
        )
    if la.collected:
        for cls in AI_CLASSES:
            share = la.plan.share(cls)
            p99 = la.class_p99_1s_up_bps[cls]
            if share.guarantee_bps > 0 and p99 > AI_CLASS_P99_1S_OF_GUARANTEE * share.guarantee_bps:
                add(
                    "burst",
                    "medium",
                    f"{la.link}: {cls} bursts above its guarantee at 1 s",
                    f"{cls} upstream p99(1 s) {p99 / 1e6:.1f} Mb/s > 90 % of its {share.percent} % guarantee "
                    f"({share.guarantee_bps / 1e6:.1f} Mb/s)",
                    "Bursts borrow unused bandwidth from other classes but queue when the link is busy: pace the "
                    "bursts "
                    f"(fan-out concurrency, trace batch size) or raise {cls} to "
                    f"{math.ceil(100 * p99 / AI_CLASS_P99_1S_OF_GUARANTEE / la.plan.shaper_bps)} %.",
                )
        if la.plan.squeezed:
            add(
                "classes",
                "critical",
                f"{la.link}: too small for the modelled AI demand",
                f"the classes need {la.plan.required_percent:.0f} % of the {la.plan.shaper_bps / 1e6:.0f} Mb/s "
                "upstream",
                "The generated policy is scaled to 100 % and cannot honour the demand: upgrade the circuit or move "
                "AI traffic.",
            )
    return out


#: What-if scenarios of the task-latency model (issue 4): (name, what changes).
WHAT_IFS = (
    ("now", "the site's main AI link as measured and modelled"),
    ("RTT 120 ms", "round trip to the AI endpoints 120 ms (e.g. a model hosted on another continent)"),
    ("1 % loss", "1 % packet loss on the path"),
    ("TLS 1.2, no keep-alive", "a new TCP + TLS 1.2 connection for every call"),
    ("main link down", "the site's AI traffic and that link's baseline moved onto the next link"),
)


#: Above this share of offered bits dropped by the fluid queue, a path is in sustained overload:
#: TCP then holds its loss near a few percent by slowing down, so the path gets this loss and a
#: transfer rate cut by the overload factor instead of the (meaningless) drop share (assumption).
OVERLOAD_DROP_SHARE = 0.02
#: Above this many attempts per AI call at the retry fixed point, the report calls it a storm.
RETRY_STORM_AMPLIFICATION = 1.10
OVERLOAD_LOSS = 0.02
#: Share of tasks failing after their retries above which a finding is raised (assumption:
#: one task in a hundred is what an operations team notices)
FAILED_TASKS_SHARE = 0.01


def _in_flight(d: SiteDemand) -> dict[str, dict[str, float]]:
    if d.calls_in_flight is None:
        return {}
    out = {}
    for i, kind in enumerate(("generative", "agentic")):
        x = np.asarray(d.calls_in_flight[i], dtype=np.float64)
        if float(x.sum()) > 0:
            out[kind] = {"mean": float(x.mean()), "p99": nearest_rank(x, 0.99), "max": float(x.max())}
    return out


class _PathEffect(NamedTuple):
    """What a link's projected load does to the calls crossing it (see ``_path_effect``)."""

    delay_ms: float
    loss: float
    overload_factor: float
    retries: float
    retries_budget: float


def _path_effect(
    loads: list[tuple[float, np.ndarray, float]],
    bin_s: float,
    queues: list[QueueResult | None] | None = None,
    max_retries: int = DEFAULT_MAX_RETRIES,
) -> _PathEffect:
    """For (baseline bits/s, AI series bits/s, circuit bits/s) per direction: mean queueing delay
    in ms summed over the directions, the loss to model, the overload factor (mean offered /
    circuit, >= 1), and the worst direction's retry amplification without and with a 10 %
    budget. ``queues``: the fluid-queue results of ``baseline + AI`` where already computed;
    ``max_retries``: retries per call of the workflows on the path."""
    delay, loss, factor, retries, retries_b = 0.0, 0.0, 1.0, 1.0, 1.0
    for k, (baseline, ai, circuit) in enumerate(loads):
        buf = DEFAULT_BUFFER_S * circuit
        q = (queues[k] if queues else None) or fluid_queue(ai + baseline, circuit, buf, bin_s)
        delay += q.mean_delay_ms
        if q.drop_share > OVERLOAD_DROP_SHARE:
            loss = max(loss, OVERLOAD_LOSS)
            factor = max(factor, (baseline + float(np.mean(ai))) / circuit)
        else:
            loss = max(loss, q.drop_share)
        base = np.full(ai.shape, baseline)
        amp = retry_amplification(base, ai, circuit, buf, max_retries=max_retries, dt_s=bin_s)
        retries = max(retries, amp.amplification)
        amp_b = retry_amplification(
            base, ai, circuit, buf, max_retries=max_retries, budget=DEFAULT_RETRY_BUDGET, dt_s=bin_s
        )
        retries_b = max(retries_b, amp_b.amplification)
    return _PathEffect(delay, loss, factor, retries, retries_b)


def _agentic_profile(ps: ProfileSet, name: str) -> AgenticProfile:
    prof = ps.profiles[name]
    if not isinstance(prof, AgenticProfile):
        raise TypeError(f"profile {name!r} is not agentic")
    return prof


def site_latency(
    inv: Inventory, ps: ProfileSet, links: list[LinkAssessment], demand: dict[str, SiteDemand], seed: int = 0
) -> list[SiteLatency]:
    """Task latency per agentic workflow and site, now and under ``WHAT_IFS``.

    The path is the site's main AI link (the largest AI share): RTT from the link's ``rtt_ms``
    (else the profile file's assumed ``rtt_ms``) plus each destination's ``added_rtt_ms``,
    TLS and connection reuse as each destination says, timeouts and retries as each call says;
    the retry fixed point uses the largest ``retries`` of the site's workflows. Queueing delay
    and loss from its projected load (baseline + AI, second by second) through the fluid queue.
    "main link down" puts the main link's baseline and all of the site's AI load on the next link (largest remaining
    circuit) and uses that queue's delay and drop share as queueing delay and loss; in sustained
    overload (``OVERLOAD_DROP_SHARE``) the loss is ``OVERLOAD_LOSS`` and each call's transfer
    rate is divided by the overload factor (TCP sharing the circuit).
    """
    out = []
    by_name = {lk.name: lk for lk in inv.links}
    memo: dict[tuple[str, NetworkPath], LatencyStats] = {}

    def cached(name: str, prof: AgenticProfile, path: NetworkPath) -> LatencyStats:
        """One Monte Carlo per workflow and distinct path: paths equal after rounding (RTT and
        queueing to 1 ms, loss to 0.01 %, rate to 0.1 Mb/s) share it, so an estate of many
        similar sites costs little more than one."""
        key_path = path.model_copy(
            update={
                "rtt_ms": round(path.rtt_ms),
                "queue_delay_ms": round(path.queue_delay_ms),
                "loss": round(path.loss, 4),
                "transfer_rate_bps": round(path.transfer_rate_bps, -5),
            }
        )
        key = (name, key_path)
        if key not in memo:
            memo[key] = task_latency(prof, key_path, ps.destinations, seed=seed)
        return memo[key]

    for site in inv.sites:
        agentic = [
            (w.profile, w.count) for w in site.workloads if isinstance(ps.profiles.get(w.profile), AgenticProfile)
        ]
        site_links = [la for la in links if la.site == site.name and la.down.baseline_bps is not None]
        if not agentic or not site_links or site.name not in demand:
            continue
        d = demand[site.name]
        max_retries = max(
            c.retries if c.idempotent else 0 for name, _ in agentic for c in _agentic_profile(ps, name).calls
        )
        main = max(site_links, key=lambda la: (la.ai_share, la.up.circuit_bps))
        rtt = by_name[main.link].rtt_ms if by_name[main.link].rtt_ms is not None else ps.rtt_ms
        rate = min(ps.transfer_rate_bps, float(main.up.circuit_bps))
        now = _path_effect(
            [
                (
                    getattr(main, n).baseline_bps or 0.0,
                    main.ai_share * d.total(direction=i),
                    getattr(main, n).circuit_bps,
                )
                for i, n in enumerate(DIRECTIONS)
            ],
            d.bin_s,
            queues=[main.down.queue, main.up.queue],  # the same series, already queued by _direction
            max_retries=max_retries,
        )
        now_factor = now.overload_factor
        base = NetworkPath(rtt_ms=rtt, loss=now.loss, transfer_rate_bps=rate / now_factor, queue_delay_ms=now.delay_ms)
        retry: dict[str, tuple[float, float]] = {"now": (now.retries, now.retries_budget)}
        paths: dict[str, tuple[NetworkPath | None, str, float]] = {
            "now": (base, "", now_factor),
            "RTT 120 ms": (base.model_copy(update={"rtt_ms": 120.0}), "", now_factor),
            "1 % loss": (base.model_copy(update={"loss": base.loss + 0.01}), "", now_factor),
            "TLS 1.2, no keep-alive": (base.model_copy(update={"tls": "1.2", "keepalive": False}), "", now_factor),
        }
        others = [la for la in site_links if la.link != main.link]
        if others:
            alt = max(others, key=lambda la: la.up.circuit_bps)
            down = _path_effect(
                [
                    (
                        (getattr(alt, n).baseline_bps or 0.0) + (getattr(main, n).baseline_bps or 0.0),
                        d.total(direction=i),
                        getattr(alt, n).circuit_bps,
                    )
                    for i, n in enumerate(DIRECTIONS)
                ],
                d.bin_s,
                max_retries=max_retries,
            )
            delay, loss, factor = down.delay_ms, down.loss, down.overload_factor
            retry["main link down"] = (down.retries, down.retries_budget)
            alt_rtt = by_name[alt.link].rtt_ms if by_name[alt.link].rtt_ms is not None else ps.rtt_ms
            note = f"{main.link} down: all traffic on {alt.link}"
            if factor > 1:
                note += f", offered {100 * factor:.0f} % of its capacity (sustained overload)"
            paths["main link down"] = (
                NetworkPath(
                    rtt_ms=alt_rtt,
                    loss=loss,
                    transfer_rate_bps=min(ps.transfer_rate_bps, float(alt.up.circuit_bps)) / factor,
                    queue_delay_ms=delay,
                ),
                note,
                factor,
            )
        else:
            paths["main link down"] = (None, f"{site.name} has no second assessed link: it would be offline", 1.0)
        for name, _count in agentic:
            prof = _agentic_profile(ps, name)
            scen = [
                ScenarioLatency(
                    scenario=k,
                    path=path if path is not None else base,
                    stats=cached(name, prof, path) if path is not None else None,
                    note=note,
                    overload_factor=factor,
                    retry_amplification=retry[k][0] if k in retry else None,
                    retry_amplification_budget=retry[k][1] if k in retry else None,
                    max_retries=max_retries,
                )
                for k, (path, note, factor) in paths.items()
            ]
            out.append(
                SiteLatency(
                    site=site.name, profile=name, via_link=main.link, budget_s=prof.latency_budget_s, scenarios=scen
                )
            )
    return out


def _latency_findings(lat: list[SiteLatency], n: list[int]) -> list[Finding]:
    out: list[Finding] = []
    seen_sites: set[str] = set()
    seen_storms: set[str] = set()
    for sl in lat:
        down = sl.get("main link down")
        storm = [
            (sc.scenario, sc.retry_amplification, sc.retry_amplification_budget)
            for sc in sl.scenarios
            if sc.retry_amplification is not None and sc.retry_amplification > RETRY_STORM_AMPLIFICATION
        ]
        if storm and sl.site not in seen_storms:
            seen_storms.add(sl.site)
            what = "; ".join(
                f"{k}: {100 * (a - 1):.0f} % more AI calls (with a 10 % retry budget: {100 * ((b or 1) - 1):.0f} %)"
                for k, a, b in storm
            )
            out.append(
                _numbered(
                    n,
                    "retries",
                    "medium",
                    sl.site,
                    sl.via_link,
                    f"{sl.site}: retries would turn drops into a retry storm",
                    f"with {sl.get('now').max_retries} retries per call and no budget, drops feed back as load: {what}",
                    "Give agent frameworks and SDKs a retry budget (retries at most 10 % of requests) "
                    "with exponential backoff and full jitter, and make tool calls idempotent so a retry is safe.",
                )
            )
        if down.overload_factor > 1 and sl.site not in seen_sites:
            seen_sites.add(sl.site)
            out.append(
                _numbered(
                    n,
                    "resilience",
                    "medium",
                    sl.site,
                    sl.via_link,
                    f"{sl.site}: no resilient path for the AI load",
                    f"if {sl.via_link} fails, {down.note.split(': ', 1)[1]}",
                    "Size the backup circuit for the baseline plus AI load, or on failover police "
                    "BULK-SYNC and trace export and keep AI-AGENT within a guarantee on the backup link (generated "
                    "policy), and state the degraded AI service level for outages.",
                )
            )
        failing = [
            (sc.scenario, sc.stats)
            for sc in sl.scenarios
            if sc.stats is not None and sc.stats.failed > FAILED_TASKS_SHARE
        ]
        if failing:
            k0, st0 = failing[0]
            out.append(
                _numbered(
                    n,
                    "latency",
                    "high" if k0 == "now" else "medium",
                    sl.site,
                    sl.via_link,
                    f"{sl.profile} tasks at {sl.site} fail {'now' if k0 == 'now' else 'if ' + k0}",
                    "; ".join(
                        f"{k}: {100 * st.failed:.1f} % of tasks fail after retries "
                        f"({st.attempts_per_call:.2f} attempts per call)"
                        for k, st in failing
                    ),
                    "Give writes idempotency keys so they can be retried safely, size timeouts above the p99 "
                    "of the call on this path, keep retries within a budget, and keep AI-AGENT out of "
                    "dropping queues (generated policy).",
                )
            )
        if sl.budget_s is None:
            continue
        now = sl.get("now").stats
        if now is None:
            continue
        ev_now = (
            f"now p50/p95/p99 {now.p50_s:.0f}/{now.p95_s:.0f}/{now.p99_s:.0f} s over {now.calls_per_task:.0f} calls"
        )
        if now.p95_s > sl.budget_s:
            out.append(
                _numbered(
                    n,
                    "latency",
                    "high",
                    sl.site,
                    sl.via_link,
                    f"{sl.profile} tasks at {sl.site} miss their {sl.budget_s:.0f} s budget at p95",
                    f"{ev_now}; {100 * (now.over_budget or 0):.0f} % of tasks over budget",
                    "Cut round trips per task (batch tool calls, reuse connections), move the model "
                    "endpoint closer, and keep AI-AGENT out of congested queues (generated policy).",
                )
            )
            continue
        worse = [
            (s.scenario, s.stats)
            for s in sl.scenarios
            if s.scenario != "now" and s.stats is not None and s.stats.p95_s > sl.budget_s
        ]
        if worse:
            what = ", ".join(f"{k} (p95 {st.p95_s:.0f} s)" for k, st in worse)
            out.append(
                _numbered(
                    n,
                    "latency",
                    "medium",
                    sl.site,
                    sl.via_link,
                    f"{sl.profile} at {sl.site}: within budget now, over it if {worse[0][0]}",
                    f"{ev_now} against a {sl.budget_s:.0f} s budget; over budget with: {what}",
                    "Keep sessions alive and reuse connections, keep the model endpoint in region, "
                    "and give the site a second path that can carry its AI load.",
                )
            )
    return out


def assess(
    inv: Inventory,
    utilisation: list[LinkUtilisation],
    demand: dict[str, SiteDemand],
    baselines: dict[str, Baseline] | None = None,
    profiles: ProfileSet | None = None,
) -> Assessment:
    """Assess every WAN link: baseline + the link's share of its site's AI demand.

    Args:
        utilisation: from ``assess.collect.link_utilisation`` (one per inventory link).
        demand: site name -> modelled ``SiteDemand``.
        baselines: link name -> ``Baseline`` from history (p95 of 5-minute means); where given
            it replaces the short measured mean, and lets a link whose device was not reachable
            now still be assessed.
        profiles: the profile set; with it, task latency per agentic workflow and site
            (``site_latency``) and its findings are added.

    Returns:
        An ``Assessment`` with findings sorted by severity, then site and link.
    """
    util = {u.link: u for u in utilisation}
    links: list[LinkAssessment] = []
    findings: list[Finding] = []
    counter = [0]
    for link in inv.links:
        site = inv.site_of_device(link.device)
        hist = (baselines or {}).get(link.name)
        links.append(_assess_link(inv, link, site, util[link.name], demand[site], hist))
    assumptions = profiles.forecast if profiles is not None else ForecastAssumptions()
    links = [la.model_copy(update={"forecast": link_forecast(la, assumptions)}) for la in links]
    for la in links:
        findings += _link_findings(la, counter)
    latency = site_latency(inv, profiles, links, demand) if profiles is not None else []
    findings += _latency_findings(latency, counter)
    flows = data_flows(inv, profiles) if profiles is not None else []
    findings += _flow_findings(flows, inv, counter)
    not_collected = []
    for u in utilisation:
        if not u.collected:
            not_collected.append(u.link)
            findings.append(
                _numbered(
                    counter,
                    "collection",
                    "high",
                    u.site,
                    u.link,
                    f"{u.link}: not collected, not assessed",
                    u.reason or "no data",
                    "Restore access to the device (reachability, credentials) and re-run the assessment; "
                    "until then this link's readiness is unknown.",
                )
            )
    findings.sort(key=lambda f: (SEVERITY_ORDER.index(f.severity), f.site, f.link or "", f.id))
    assessed = [la.verdict for la in links if la.verdict != "not assessed"]
    order: tuple[Verdict, ...] = ("not ready", "at risk", "ready")
    verdict: Verdict = next((v for v in order if v in assessed), "not assessed")
    if verdict == "ready" and not_collected:
        verdict = "at risk"
    contrasts = [
        SiteContrast(
            site=name,
            generative=ladder(d.total(kind=0), d.bin_s),
            agentic=ladder(d.total(kind=1), d.bin_s),
            calls_in_flight=_in_flight(d),
        )
        for name, d in demand.items()
    ]
    return Assessment(
        verdict=verdict,
        links=links,
        findings=findings,
        contrasts=contrasts,
        not_collected=not_collected,
        latency=latency,
        flows=flows,
    )


def link_forecast(la: LinkAssessment, fa: ForecastAssumptions) -> LinkForecast | None:
    """Grow the link's p95 of 300 s means by each scenario of ``fa`` (``assess.model.forecast``):
    points at month 0 (equal to the assessment's p95) and each horizon, months to 60 % and 80 %
    of the circuit for the worse direction, and the circuit the expected scenario needs at the
    last horizon. None when the link has no baseline (not collected)."""
    # per direction with a baseline: (circuit, baseline, AI mean and p95 of 300 s means), bits/s
    today = {
        d.direction: (d.circuit_bps, d.baseline_bps, d.at("ai", 300).mean_bps, d.at("ai", 300).p95_bps)
        for d in (la.down, la.up)
        if d.baseline_bps is not None
    }
    if not today:
        return None

    def first(share_pct: float, sc: GrowthScenario) -> float | None:
        """Months until the first direction reaches ``share_pct`` % of its circuit."""
        hits = [months_to(share_pct / 100 * c, b, mu, q, sc) for c, b, mu, q in today.values()]
        return min((h for h in hits if h is not None), default=None)

    out = []
    last_bps: dict[str, float] = {}  # expected scenario, last horizon
    for name, sc in fa.scenarios.items():
        points = []
        for m in (0, *fa.months):
            bps = {k: p95_at(b, mu, q, sc, m) for k, (_, b, mu, q) in today.items()}
            pct = {k: 100 * v / today[k][0] for k, v in bps.items()}
            points.append(ForecastPoint(months=m, down_p95_300s_pct=pct.get("down"), up_p95_300s_pct=pct.get("up")))
            if name == "expected":
                last_bps = bps
        out.append(
            ScenarioForecast(
                scenario=name,
                points=points,
                months_to_warn=first(WARN_P95_300_PCT, sc),
                months_to_critical=first(CRIT_P95_300_PCT, sc),
            )
        )
    needed = {
        d.direction: max(
            d.circuit_bps,
            _round_up_mbps(last_bps[d.direction] / (WARN_P95_300_PCT / 100)) * 1_000_000
            if d.direction in last_bps
            else 0,
        )
        for d in (la.down, la.up)
    }
    return LinkForecast(scenarios=out, needed_down_bps=needed["down"], needed_up_bps=needed["up"])


def _assess_link(
    inv: Inventory, link: WanLink, site: str, u: LinkUtilisation, d: SiteDemand, hist: Baseline | None
) -> LinkAssessment:
    share = inv.ai_share(link)
    dirs = {}
    used_history = False
    for i, name in enumerate(DIRECTIONS):
        circuit = link.circuit_down_bps if name == "down" else link.circuit_up_bps
        measured = getattr(u, name)
        baseline = measured.mean_bps if (u.collected and measured is not None) else None
        historic = getattr(hist, f"{name}_bps") if hist else None
        if historic is not None:
            baseline, used_history = historic, True
        dirs[name] = _direction(name, circuit, baseline, share * d.total(direction=i), d.bin_s)
    runouts: dict[str, Runout] = {}
    for name in DIRECTIONS:
        daily = hist.daily.get(name, []) if hist else []
        if len(daily) >= MIN_DAYS:
            arr = np.asarray(daily, dtype=np.float64)
            runouts[name] = runout(
                arr[:, 0],
                arr[:, 1],
                dirs[name].circuit_bps,
                threshold_share=CRIT_P95_300_PCT / 100,
                ai_p95_bps=dirs[name].at("ai", 300).p95_bps,
                weekday=arr[:, 2].astype(np.int64),
            )
    if used_history and hist is not None:
        source = hist.source
    elif u.collected:
        source = f"measured mean over a {u.window_s:.0f} s window"
    else:
        source = "none"
    demand_bps: dict[str, float] = {}
    p99_1s: dict[str, float] = {}
    gaussian: dict[str, float] = {}
    for cls in AI_CLASSES:
        series = share * d.total(direction=1, cls=cls)
        T = next(c.sla_timescale_s for c in CLASSES if c.name == cls)
        at_t = ladder(series, d.bin_s, (T,))[0]
        demand_bps[cls] = at_t.p95_bps
        gaussian[cls] = gaussian_capacity(at_t.mean_bps, at_t.cov * at_t.mean_bps)
        p99_1s[cls] = ladder(series, d.bin_s, (1,))[0].p99_bps
    ai_bits = float(d.bps.sum())
    agentic_fraction = float(d.bps[1].sum()) / ai_bits if ai_bits > 0 else 0.5
    plan = size_classes(
        link=link.name,
        device=link.device,
        interface=u.interface,
        circuit_up_bps=link.circuit_up_bps,
        agentic_fraction=agentic_fraction,
        demand_bps=demand_bps,
    )
    verdict: Verdict
    pcts = [x for x in (dirs["down"].p95_300s_pct, dirs["up"].p95_300s_pct) if x is not None]
    p99s = [x for x in (dirs["down"].p99_1s_pct, dirs["up"].p99_1s_pct) if x is not None]
    if not pcts:
        verdict = "not assessed"
    elif max(pcts) >= CRIT_P95_300_PCT or plan.squeezed:
        verdict = "not ready"
    elif max(pcts) >= WARN_P95_300_PCT or max(p99s) >= 100:
        verdict = "at risk"
    else:
        verdict = "ready"
    return LinkAssessment(
        link=link.name,
        site=site,
        device=link.device,
        interface=u.interface,
        transport=link.transport,
        provider=link.provider,
        ai_share=share,
        collected=u.collected,
        port_speed_mbps=u.port_speed_mbps,
        verdict=verdict,
        baseline_source=source,
        down=dirs["down"],
        up=dirs["up"],
        plan=plan,
        class_p99_1s_up_bps=p99_1s,
        measured_queue_drops=u.queue_drops,
        runout=runouts,
        class_gaussian_up_bps=gaussian,
    )
