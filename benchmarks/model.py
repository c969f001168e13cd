"""Traffic-model speed and memory: 1,000 sites x 1 busy hour at 1 s bins, mixed profiles.

Each site gets a seeded mix of the shipped profiles (people on copilot-chat, support, coding and
research agents, sizes varying site to site). A case runs in a fresh child process and reports
wall time and peak RSS; cases repeat and medians are quoted, interleaved.

Cases:
  model-1000   assess.model.generate_sites for 1,000 sites (the processes the machine allows),
               plus the timescale ladder of every site's four series (what the assessment uses)
  model-10     the same for the first 10 sites, in one process
  simpy-10     the SimPy discrete-event reference (benchmarks/simpy_reference.py) on those
               10 sites, binned to the same 1 s series, with the same ladder

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/model.py [--sites 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from _rounds import medians, run_rounds  # benchmarks/_rounds.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
CASES = ("model-1000", "model-10", "simpy-10")


def site_mix(n: int, seed: int = 2026) -> list[tuple[str, list[tuple[str, int]]]]:
    """``n`` sites with varied, seeded workloads of the shipped profiles."""
    import numpy as np

    rng = np.random.default_rng(seed)
    sites = []
    for i in range(n):
        wl = [
            ("copilot-chat", int(rng.integers(50, 500))),
            ("support-agent", int(rng.integers(5, 60))),
            ("coding-agent", int(rng.integers(0, 40))),
            ("research-multi-agent", int(rng.integers(0, 5))),
        ]
        sites.append((f"site-{i:04d}", [(p, c) for p, c in wl if c > 0]))
    return sites


def run_case(case: str, n_sites: int) -> dict[str, float]:
    import numpy as np

    from assess.model.generate import generate_sites
    from assess.model.profiles import load_profiles
    from assess.model.stats import ladder

    ps = load_profiles(ROOT / "inventories" / "profiles.yaml")
    sites = site_mix(n_sites if case == "model-1000" else 10)
    t0 = time.perf_counter()
    bits = 0.0
    if case.startswith("model"):
        demand = generate_sites(sites, ps, seed=7, workers=None if case == "model-1000" else 1)
        for d in demand.values():
            for kind in (0, 1):
                for direction in (0, 1):
                    s = d.total(direction=direction, kind=kind)
                    ladder(s, d.bin_s)
                    bits += float(s.sum())
    else:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from simpy_reference import simulate_site

        for i, (_name, wl) in enumerate(sites):
            sim = simulate_site(wl, ps, seed=i)
            for kind in (0, 1):
                for direction in (0, 1):
                    s = sim.series(kind=kind, direction=direction)
                    ladder(np.asarray(s), ps.bin_s)
                    bits += float(s.sum())
    seconds = time.perf_counter() - t0
    self_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest pool worker
    return {"seconds": seconds, "peak_rss_mib": self_kib / 1024, "worker_rss_mib": child_kib / 1024, "mbit": bits / 1e6}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--case")  # internal: run one case in this (child) process
    a = ap.parse_args()
    if a.case:
        print(json.dumps(run_case(a.case, a.sites)))
        return
    results = run_rounds(
        __file__,
        CASES,
        a.repeat,
        ["--sites", str(a.sites)],
        lambda m: f"{m['seconds']:7.2f} s  {m['peak_rss_mib']:7.0f} MiB (+ workers {m['worker_rss_mib']:.0f} MiB each)",
    )
    med = medians(results, "seconds")
    mem = medians(results, "peak_rss_mib")
    wmem = medians(results, "worker_rss_mib")
    print(f"\nmedians of {a.repeat}:")
    for c in CASES:
        n = a.sites if c == "model-1000" else 10
        print(
            f"  {c:<11} {med[c]:7.2f} s  {n / med[c]:8.1f} sites/s  {mem[c]:7.0f} MiB peak RSS"
            f" (largest worker {wmem[c]:.0f} MiB)"
        )
    print(f"  SimPy / model on the same 10 sites: {med['simpy-10'] / med['model-10']:.0f}x")


if __name__ == "__main__":
    main()
