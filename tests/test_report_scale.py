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
