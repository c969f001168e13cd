"""Report sections built from the assessment: findings at summary level, detailed findings with
their evidence charts, the AI demand forecast and the recommendations (issue 6, DOMAIN.md 7).

Each function returns plain dicts and lists for ``templates/report/report.html.j2``; device
strings stay strings (the template autoescapes them). Chart files are written into the report's
asset folder and referred to by file name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assess.assessment import FINDING_IMPACT, SEVERITY_ORDER, Assessment, Finding, LinkAssessment
from assess.inventory import Inventory
from assess.model.generate import SiteDemand

#: Rows of the findings and recommendations tables at summary level (the rest: findings.csv).
FINDINGS_TABLE_MAX = 60
#: Findings described in detail, each with its evidence chart (the worst first).
DETAILED_FINDINGS_MAX = 6
#: Links in the forecast table (the worst 24-month expected figure first).
FORECAST_LINKS_MAX = 24
#: When each severity's recommendation is due (planning convention of this report: critical
#: before the AI roll-out, high within a quarter, medium within six months, low within the
#: budget year).
DUE = {
    "critical": "before the AI roll-out",
    "high": "within 3 months",
    "medium": "within 6 months",
    "low": "within 12 months",
    "info": "when convenient",
}
LINK_KINDS = ("capacity", "burst", "classes", "drops", "runout", "forecast")
SITE_KINDS = ("latency", "retries", "resilience")


def findings_by_kind(a: Assessment) -> list[dict[str, Any]]:
    """Counts per kind and severity, most severe kinds first: ``{"kind", "counts": [n per
    severity in SEVERITY_ORDER], "total"}``."""
    table = []
    for kind in sorted({f.kind for f in a.findings}):
        counts = [sum(1 for f in a.findings if f.kind == kind and f.severity == s) for s in SEVERITY_ORDER]
        table.append((kind, counts))
    table.sort(key=lambda r: [-n for n in r[1]])
    return [{"kind": kind, "counts": counts, "total": sum(counts)} for kind, counts in table]


def _link_series(inv: Inventory, la: LinkAssessment, demand: dict[str, SiteDemand]) -> tuple[Any, Any, float]:
    link = next(lk for lk in inv.links if lk.name == la.link)
    d = demand[la.site]
    share = inv.ai_share(link)
    return share * d.total(direction=0), share * d.total(direction=1), d.bin_s


def detailed_findings(
    a: Assessment,
    inv: Inventory,
    demand: dict[str, SiteDemand],
    finding_configs: dict[str, list[str]],
    assets: Path,
) -> list[dict[str, Any]]:
    """The worst findings (up to ``DETAILED_FINDINGS_MAX``: the worst of each kind first, one per
    link or site and kind) with
    business impact, evidence, action, generated configs and an evidence chart: a link's 1 s load
    and forecast (link kinds), a workflow's task latency per scenario (site kinds), none for data
    boundaries and collection gaps. Writes ``finding-FNNN.svg`` into ``assets``."""
    from assess.report.charts import latency_evidence_chart, link_evidence_chart

    links = {la.link: la for la in a.links}
    # The worst finding of each kind first (so the evidence covers capacity, latency, data
    # boundaries...), then the next worst, one per link or site and kind; in report order.
    chosen: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    order = {f.id: i for i, f in enumerate(a.findings)}
    worst_of_kind = list({f.kind: f for f in reversed(a.findings)}.values())[::-1]
    for f in sorted(worst_of_kind, key=lambda f: order[f.id]) + a.findings:
        key = (f.link or f.site, f.kind)
        if len(chosen) < DETAILED_FINDINGS_MAX and key not in seen:
            seen.add(key)
            chosen.append(f)
    chosen.sort(key=lambda f: order[f.id])
    out: list[dict[str, Any]] = []
    for f in chosen:
        chart, caption = None, ""
        la = links.get(f.link or "")
        if f.kind in LINK_KINDS and la is not None and la.collected:
            down, up, bin_s = _link_series(inv, la, demand)
            chart = link_evidence_chart(la, down, up, bin_s, assets / f"finding-{f.id}.svg").name
            caption = (
                f"{la.link}: offered load at 1 s and its 300 s means (left), and the forecast p95 of 300 s means "
                "(right), as % of the circuit rate."
            )
        elif f.kind in SITE_KINDS:
            sl = next(
                (s for s in a.latency if s.site == f.site and (s.profile in f.title or f.kind != "latency")), None
            )
            if sl is not None:
                chart = latency_evidence_chart(sl, assets / f"finding-{f.id}.svg").name
                caption = f"{sl.profile} at {sl.site}: task time p50/p95/p99 per scenario, seconds."
        out.append(
            {
                "f": f,
                "impact": FINDING_IMPACT[f.kind],
                "configs": finding_configs.get(f.id, []),
                "chart": chart,
                "caption": caption,
            }
        )
    return out


def _fmt_months(m: float | None) -> str:
    if m is None:
        return "beyond 60"
    return "now" if m <= 0 else f"{m:.0f}"


def forecast_rows(a: Assessment) -> tuple[list[dict[str, Any]], list[LinkAssessment]]:
    """Forecast table rows for the links whose expected figure at the last horizon is worst (up to
    ``FORECAST_LINKS_MAX``), and those links in the same order (for the chart)."""
    links = [la for la in a.links if la.forecast is not None]
    links.sort(key=lambda la: -la.forecast.get("expected").points[-1].worst_pct())  # type: ignore[union-attr]
    links = links[:FORECAST_LINKS_MAX]
    rows = []
    for la in links:
        fc = la.forecast
        assert fc is not None
        exp = fc.get("expected")
        lo = fc.get("low") if any(s.scenario == "low" for s in fc.scenarios) else exp
        hi = fc.get("high") if any(s.scenario == "high" for s in fc.scenarios) else exp
        horizons = [
            {
                "expected": f"{p.worst_pct():.0f} %",
                "band": f"{lp.worst_pct():.0f}-{hp.worst_pct():.0f} %",
                "over": p.worst_pct() >= 80,
            }
            for p, lp, hp in zip(exp.points[1:], lo.points[1:], hi.points[1:], strict=True)
        ]
        circuit = (la.down.circuit_bps, la.up.circuit_bps)
        needed = (fc.needed_down_bps, fc.needed_up_bps)
        rows.append(
            {
                "link": la.link,
                "site": la.site,
                "now": f"{exp.points[0].worst_pct():.0f} %",
                "horizons": horizons,
                "to_warn": _fmt_months(exp.months_to_warn),
                "to_crit": _fmt_months(exp.months_to_critical),
                "to_crit_band": f"{_fmt_months(hi.months_to_critical)} to {_fmt_months(lo.months_to_critical)}",
                "circuit": f"{circuit[0] / 1e6:g}/{circuit[1] / 1e6:g}",
                "needed": ("as is" if needed == circuit else f"{needed[0] / 1e6:g}/{needed[1] / 1e6:g}"),
            }
        )
    return rows, links


def recommendations(a: Assessment, finding_configs: dict[str, list[str]]) -> tuple[list[dict[str, Any]], int]:
    """The actions of the findings, worst first, identical actions merged (their finding IDs
    listed), with when each is due and the generated configs that act on it; capped at
    ``FINDINGS_TABLE_MAX`` rows. Returns ``(rows, rows left out)``."""
    merged: dict[str, dict[str, Any]] = {}
    for f in a.findings:
        r = merged.setdefault(
            f.recommendation,
            {"severity": f.severity, "due": DUE[f.severity], "action": f.recommendation, "ids": [], "configs": []},
        )
        r["ids"].append(f.id)
        r["configs"] += [c for c in finding_configs.get(f.id, []) if c not in r["configs"]]
    rows = list(merged.values())
    return rows[:FINDINGS_TABLE_MAX], max(0, len(rows) - FINDINGS_TABLE_MAX)


def findings_table(findings: list[Finding]) -> tuple[list[Finding], int]:
    """The findings shown in the table (worst first, up to ``FINDINGS_TABLE_MAX``) and how many
    are left out (they are all in results.json and findings.csv)."""
    return findings[:FINDINGS_TABLE_MAX], max(0, len(findings) - FINDINGS_TABLE_MAX)
