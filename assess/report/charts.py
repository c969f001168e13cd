"""Report charts as matplotlib SVG files (sharp and searchable in the PDF; DOMAIN.md 7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from assess.assessment import CRIT_P95_300_PCT, WARN_P95_300_PCT, LinkAssessment, SiteLatency
from assess.model.generate import SiteDemand
from assess.model.stats import aggregate

GEN_COLOUR = "#d9822b"
AGENT_COLOUR = "#1f5f8b"
WARN_COLOUR = "#d9822b"
CRIT_COLOUR = "#b42318"


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.fonttype": "none",  # text stays text: searchable in the PDF
            "svg.hashsalt": "assess",  # stable ids: reproducible output
            "font.family": "DejaVu Sans",
            "font.size": 8,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


def contrast_chart(demand: SiteDemand, path: Path) -> Path:
    """Generative vs agentic load of one site at 1 s (first 10 minutes) and 300 s (busy hour).

    Both directions summed, in Mb/s. Returns ``path``.
    """
    plt = _plt()
    gen = demand.total(kind=0) / 1e6
    agt = demand.total(kind=1) / 1e6
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(7.2, 2.6), gridspec_kw={"width_ratios": [3, 2]})
    n = int(600 / demand.bin_s)
    t = np.arange(n) * demand.bin_s
    a1.plot(t, gen[:n], color=GEN_COLOUR, lw=0.7, label="burst-generative")
    a1.plot(t, agt[:n], color=AGENT_COLOUR, lw=0.7, label="sustained-agentic")
    a1.set_title("1 s bins, first 10 minutes of the busy hour")
    a1.set_xlabel("time (s)")
    a1.set_ylabel("offered load (Mb/s)")
    a1.set_ylim(bottom=0)
    g5 = aggregate(gen, demand.bin_s, 300)
    a5 = aggregate(agt, demand.bin_s, 300)
    x = np.arange(g5.size) * 5
    a2.step(x, g5, where="post", color=GEN_COLOUR, lw=1.2, label="burst-generative")
    a2.step(x, a5, where="post", color=AGENT_COLOUR, lw=1.2, label="sustained-agentic")
    a2.set_title("300 s means, busy hour")
    a2.set_xlabel("time (min)")
    a2.set_ylabel("offered load (Mb/s)")
    a2.set_ylim(0, max(float(gen[:n].max()), float(agt[:n].max()), 1e-3) * 1.05)
    handles, labels = a1.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, frameon=False, bbox_to_anchor=(0.5, -0.02))
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    fig.savefig(path, format="svg", metadata={"Date": None})
    plt.close(fig)
    return path


def links_chart(links: list[LinkAssessment], path: Path) -> Path:
    """Per link and direction (the report's detail links): measured baseline vs projected
    p95(300 s), percent of circuit."""
    plt = _plt()
    rows = [(la.link, d) for la in links if la.collected for d in (la.down, la.up)]
    if not rows:  # nothing collected: say so instead of an empty axis
        fig, ax = plt.subplots(figsize=(7.2, 0.8))
        ax.axis("off")
        ax.text(0.5, 0.5, "No link was collected: no measured baseline to chart.", ha="center", va="center")
        fig.savefig(path, format="svg", metadata={"Date": None})
        plt.close(fig)
        return path
    labels = [f"{name} {d.direction}" for name, d in rows]
    base = [100 * (d.baseline_bps or 0) / d.circuit_bps for _, d in rows]
    proj = [d.p95_300s_pct or 0 for _, d in rows]
    fig, ax = plt.subplots(figsize=(7.2, 0.28 * len(rows) + 1.0))
    y = np.arange(len(rows))
    ax.barh(y + 0.2, base, height=0.38, color="#9aa5b1", label="baseline (measured mean or history p95)")
    ax.barh(y - 0.2, proj, height=0.38, color=AGENT_COLOUR, label="projected p95(300 s) with AI")
    ax.axvline(WARN_P95_300_PCT, color="#d9822b", ls="--", lw=0.8)
    ax.axvline(CRIT_P95_300_PCT, color="#b42318", ls="--", lw=0.8)
    ax.text(WARN_P95_300_PCT, len(rows) - 0.3, " warn 60 %", color="#d9822b", va="bottom", fontsize=7)
    ax.text(
        CRIT_P95_300_PCT,
        len(rows) - 0.3,
        " critical 80 %",
        color="#b42318",
        va="bottom",
        fontsize=7,
    )
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlabel("utilisation (% of circuit rate)")
    ax.set_xlim(0, max(100.0, max(proj + base, default=0) * 1.1))
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12 - 1.2 / (len(rows) + 4)),
        ncol=2,
        frameon=False,
    )
    fig.tight_layout()
    fig.savefig(path, format="svg", metadata={"Date": None})
    plt.close(fig)
    return path


def _thresholds(ax: Any) -> None:
    """The 60 % (warn) and 80 % (critical) lines of DOMAIN.md 3, labelled at the right edge."""
    for pct, colour, label in ((WARN_P95_300_PCT, WARN_COLOUR, "60 %"), (CRIT_P95_300_PCT, CRIT_COLOUR, "80 %")):
        ax.axhline(pct, color=colour, ls="--", lw=0.8)
        ax.annotate(label, (1.0, pct), xycoords=("axes fraction", "data"), color=colour, fontsize=6.5, va="center")


def link_evidence_chart(
    la: LinkAssessment, ai_down: NDArray[Any], ai_up: NDArray[Any], bin_s: float, path: Path
) -> Path:
    """Evidence for a link finding, for its worse direction (higher projected p95 of 300 s).

    Left: baseline plus modelled AI load at 1 s over the first 10 minutes of the busy hour, with
    its 300 s means, as % of the circuit. Right: the forecast p95 of 300 s means over 24 months
    (expected scenario, low-high band). Both with the 60 % / 80 % thresholds. Returns ``path``.
    """
    plt = _plt()
    d, ai = max(((la.down, ai_down), (la.up, ai_up)), key=lambda x: x[0].p95_300s_pct or 0)
    series = 100 * (ai + (d.baseline_bps or 0.0)) / d.circuit_bps
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(7.2, 2.5), gridspec_kw={"width_ratios": [3, 2]})
    n = min(series.size, int(600 / bin_s))
    t = np.arange(n) * bin_s / 60
    a1.plot(t, series[:n], color=AGENT_COLOUR, lw=0.6, label="1 s load (baseline + AI)")
    m300 = aggregate(series, bin_s, 300)[: max(1, int(np.ceil(n * bin_s / 300)))]
    a1.step(np.arange(m300.size + 1) * 5, [*m300, m300[-1]], where="post", color="#344054", lw=1.4, label="300 s means")
    _thresholds(a1)
    a1.set_title(f"{d.direction}stream, first 10 minutes of the busy hour")
    a1.set_xlabel("time (min)")
    a1.set_ylabel("% of circuit rate")
    a1.set_ylim(0, max(100.0, float(series[:n].max()) * 1.08))
    fc = la.forecast
    if fc is not None:
        months = [p.months for p in fc.scenarios[0].points]
        key = "down_p95_300s_pct" if d.direction == "down" else "up_p95_300s_pct"
        sc = {s.scenario: [getattr(p, key) or 0.0 for p in s.points] for s in fc.scenarios}
        if "low" in sc and "high" in sc:
            a2.fill_between(
                months,
                sc["low"],
                sc["high"],
                color=AGENT_COLOUR,
                alpha=0.15,
                lw=0,
                label="forecast, low-high scenarios",
            )
        a2.plot(months, sc["expected"], color=AGENT_COLOUR, marker="o", ms=3, lw=1.2, label="forecast, expected")
        _thresholds(a2)
        a2.set_xticks(months)
        a2.set_ylim(0, max(100.0, max(sc["expected"]) * 1.1))
    a2.set_title("forecast p95 of 300 s means")
    a2.set_xlabel("months from now")
    a2.set_ylabel("% of circuit rate")
    h1, l1 = a1.get_legend_handles_labels()
    h2, l2 = a2.get_legend_handles_labels()
    fig.legend(h1 + h2, l1 + l2, loc="lower center", ncol=4, frameon=False, bbox_to_anchor=(0.5, 0.0))
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    fig.savefig(path, format="svg", metadata={"Date": None})
    plt.close(fig)
    return path


def latency_evidence_chart(sl: SiteLatency, path: Path) -> Path:
    """Evidence for a task-latency finding: p50/p95/p99 task time per what-if scenario (s),
    with the workflow's budget as a line. Returns ``path``."""
    plt = _plt()
    rows = [s for s in sl.scenarios if s.stats is not None]
    fig, ax = plt.subplots(figsize=(7.2, 0.32 * len(rows) + 1.1))
    y = np.arange(len(rows))
    for off, (q, colour) in zip(
        (-0.27, 0.0, 0.27), (("p50", "#9aa5b1"), ("p95", AGENT_COLOUR), ("p99", "#0b3a5b")), strict=True
    ):
        ax.barh(y + off, [getattr(s.stats, f"{q}_s") for s in rows], height=0.26, color=colour, label=q)
    if sl.budget_s is not None:
        ax.axvline(sl.budget_s, color=CRIT_COLOUR, ls="--", lw=0.9)
        ax.annotate(f"budget {sl.budget_s:g} s", (sl.budget_s, 1.0), xycoords=("data", "axes fraction"),
                    color=CRIT_COLOUR, fontsize=6.5, va="bottom", ha="center")  # fmt: skip
    ax.set_yticks(y, [s.scenario for s in rows])
    ax.invert_yaxis()
    ax.set_xlabel("task time (s)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18 - 0.9 / (len(rows) + 3)), ncol=3, frameon=False)
    fig.tight_layout()
    fig.savefig(path, format="svg", metadata={"Date": None})
    plt.close(fig)
    return path


def forecast_chart(links: list[LinkAssessment], path: Path) -> Path:
    """Small multiples, one per link (up to 8): forecast p95 of 300 s means of the worse
    direction, % of circuit, over the horizons; expected line, low-high band, 60/80 % lines."""
    plt = _plt()
    links = [la for la in links if la.forecast is not None][:8]
    cols = 4
    rows = max(1, -(-len(links) // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(7.2, 1.75 * rows + 0.5), squeeze=False, sharex=True)
    for ax in axes.flat[len(links) :]:
        ax.set_visible(False)
    for ax, la in zip(axes.flat, links, strict=False):
        fc = la.forecast
        assert fc is not None
        months = [p.months for p in fc.scenarios[0].points]
        sc = {s.scenario: [p.worst_pct() for p in s.points] for s in fc.scenarios}
        if "low" in sc and "high" in sc:
            ax.fill_between(months, sc["low"], sc["high"], color=AGENT_COLOUR, alpha=0.15, lw=0)
        ax.plot(months, sc["expected"], color=AGENT_COLOUR, marker="o", ms=2.5, lw=1.1)
        _thresholds(ax)
        ax.set_title(la.link, fontsize=7)
        ax.set_xticks(months)
        ax.set_ylim(0, max(100.0, max(sc["expected"]) * 1.1))
        ax.tick_params(labelsize=6.5)
    for ax in axes[:, 0]:
        ax.set_ylabel("% of circuit", fontsize=7)
    for ax in axes[-1, :]:
        ax.set_xlabel("months", fontsize=7)
    from matplotlib.patches import Patch

    handles = [
        plt.Line2D([], [], color=AGENT_COLOUR, marker="o", ms=3, label="expected scenario"),
        Patch(color=AGENT_COLOUR, alpha=0.15, label="low-high scenarios"),
        plt.Line2D([], [], color=WARN_COLOUR, ls="--", label="warn 60 %"),
        plt.Line2D([], [], color=CRIT_COLOUR, ls="--", label="critical 80 %"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False, bbox_to_anchor=(0.5, 0.0))
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    fig.savefig(path, format="svg", metadata={"Date": None})
    plt.close(fig)
    return path
