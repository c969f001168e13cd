"""Summary-level report for large estates: which links are shown in detail."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from assess.pipeline import DETAIL_MAX_LINKS, detail_links


def _link(i: int, verdict: str, p95: float) -> Any:
    d = SimpleNamespace(p95_300s_pct=p95)
    return SimpleNamespace(link=f"l{i}", verdict=verdict, down=d, up=SimpleNamespace(p95_300s_pct=p95 / 2))


def test_small_estates_show_every_link_large_ones_the_most_at_risk() -> None:
    small = SimpleNamespace(links=[_link(i, "ready", 10.0) for i in range(DETAIL_MAX_LINKS)])
    assert detail_links(small) == small.links  # type: ignore[arg-type]
    links = [_link(i, "ready", float(i % 50)) for i in range(1500)]
    links[700] = _link(700, "not ready", 85.0)
    links[1400] = _link(1400, "at risk", 65.0)
    shown = detail_links(SimpleNamespace(links=links))  # type: ignore[arg-type]
    assert len(shown) == DETAIL_MAX_LINKS
    names = [la.link for la in shown]
    assert "l700" in names and "l1400" in names  # every link not ready or at risk is shown
    assert all(la.down.p95_300s_pct >= 48 for la in shown if la.verdict == "ready")  # then the busiest
    assert names == sorted(names, key=lambda n: int(n[1:]))  # in report order


def _site_link(i: int, site: str, verdict: str, p95: float) -> Any:
    la = _link(i, verdict, p95)
    la.site = site
    return la


def test_large_estates_show_the_sites_of_the_worst_links_up_to_the_cap() -> None:
    from assess.pipeline import DETAIL_MAX_SITES, detail_sites

    small = SimpleNamespace(links=[_site_link(i, f"s{i // 3}", "ready", 10.0) for i in range(30)])
    assert detail_sites(small) == [f"s{i}" for i in range(10)]  # type: ignore[arg-type]
    links = [_site_link(i, f"s{i // 3}", "ready", float(i % 40)) for i in range(1500)]
    links[900] = _site_link(900, "s300", "not ready", 90.0)
    shown = detail_sites(SimpleNamespace(links=links))  # type: ignore[arg-type]
    assert len(shown) == DETAIL_MAX_SITES
    assert "s300" in shown  # the site of the one link not ready comes first
    assert shown == sorted(shown, key=lambda s: int(s[1:]))  # in report order


def _finding(i: int, sev: str, kind: str, link: str | None = None) -> Any:
    from assess.assessment import Finding

    return Finding(id=f"F{i:03d}", severity=sev, kind=kind, site=f"s{i}", link=link,  # type: ignore[arg-type]
                   title=f"t{i}", evidence="e", recommendation=f"do {i % 7}")  # fmt: skip


def test_findings_table_caps_and_detailed_findings_cover_each_kind(tmp_path: Any) -> None:
    from assess.report.context import (
        DETAILED_FINDINGS_MAX,
        FINDINGS_TABLE_MAX,
        detailed_findings,
        findings_by_kind,
        findings_table,
        recommendations,
    )

    fs = [_finding(i, "high", "capacity") for i in range(1, 200)]
    fs += [_finding(200, "medium", "data-boundary"), _finding(201, "low", "forecast")]
    shown, more = findings_table(fs)
    assert len(shown) == FINDINGS_TABLE_MAX and more == len(fs) - FINDINGS_TABLE_MAX and shown == fs[:60]
    a = SimpleNamespace(findings=fs, links=[], latency=[])
    counts = {r["kind"]: r["counts"] for r in findings_by_kind(a)}  # type: ignore[arg-type]
    assert counts["capacity"][1] == 199 and counts["forecast"][3] == 1 and sum(counts["data-boundary"]) == 1
    detail = detailed_findings(a, None, {}, {}, tmp_path)  # type: ignore[arg-type]
    kinds = [d["f"].kind for d in detail]
    assert len(detail) == DETAILED_FINDINGS_MAX
    assert {"capacity", "data-boundary", "forecast"} <= set(kinds)  # the worst of every kind, not 6 x capacity
    assert [d["f"].id for d in detail] == sorted(d["f"].id for d in detail)  # in report order
    assert all(d["chart"] is None for d in detail)  # no link assessment here: no chart, still described
    rows, left = recommendations(a, {"F001": ["r1.ios-xe.cfg"]})  # type: ignore[arg-type]
    assert left == 0 and len(rows) == 7  # seven distinct actions ("do 0".."do 6"): identical ones merged
    first = rows[0]
    assert first["ids"][:2] == ["F001", "F008"] and first["configs"] == ["r1.ios-xe.cfg"]
