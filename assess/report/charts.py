"""Report charts as matplotlib SVG files (sharp and searchable in the PDF; DOMAIN.md 7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from assess.assessment import CRIT_P95_300_PCT, WARN_P95_300_PCT, Assessment
from assess.model.generate import SiteDemand
from assess.model.stats import aggregate

GEN_COLOUR = "#d9822b"
AGENT_COLOUR = "#1f5f8b"


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


def links_chart(assessment: Assessment, path: Path) -> Path:
    """Per link and direction: measured baseline vs projected p95(300 s), percent of circuit."""
    plt = _plt()
    rows = [(la.link, d) for la in assessment.links if la.collected for d in (la.down, la.up)]
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
