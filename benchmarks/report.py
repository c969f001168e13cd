"""Report speed and memory at estate scale: N sites x 3 WAN links (issue 6: 500 sites, 1,500 links).

A synthetic estate (one IOS router per site: MPLS, DIA and broadband circuits, measured
baselines drawn per link, the shipped profiles mixed per site) goes through the product's own
model, assessment and output writer (report.pdf, report.html, results.json, summary.md, CSVs,
configs); no device is contacted, so the figure is the report path's. Each case runs in a fresh
child process; wall time per stage and peak RSS are reported, medians over rounds.

    .venv/bin/python benchmarks/report.py [--sites 500] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from _rounds import medians, run_rounds  # benchmarks/_rounds.py, beside this script

ROOT = Path(__file__).resolve().parents[1]


def estate(n_sites: int, tmp: Path):  # type: ignore[no-untyped-def]
    """A loaded inventory of ``n_sites`` sites and measured utilisation for its links."""
    import numpy as np
    import yaml

    from assess.collect.models import DeviceCollection, DirectionUtilisation, LinkUtilisation
    from assess.inventory import load_inventory

    rng = np.random.default_rng(2026)
    sites, devices, links, util, collections = [], [], [], [], []
    for i in range(n_sites):
        s, r = f"site-{i:04d}", f"rtr-{i:04d}"
        sites.append(
            {
                "name": s,
                "region": "eu-west",
                "sdwan_site_id": 1000 + i,
                "workloads": [
                    {"profile": "copilot-chat", "count": int(rng.integers(50, 500))},
                    {"profile": "support-agent", "count": int(rng.integers(5, 60))},
                    {"profile": "coding-agent", "count": int(rng.integers(1, 40))},
                ],
            }
        )
        devices.append(
            {"name": r, "site": s, "driver": "ios", "host": "192.0.2.1", "username": "u", "password": "env:BENCH_PW"}
        )
        for k, (transport, rate) in enumerate((("mpls", 100e6), ("dia", 500e6), ("broadband", 50e6))):
            name = f"{s}-{transport}"
            links.append(
                {
                    "name": name,
                    "device": r,
                    "interface": f"GigabitEthernet0/0/{k}",
                    "transport": transport,
                    "circuit_down_bps": int(rate),
                    "circuit_up_bps": int(rate),
                    "ai_share_percent": (60, 30, 10)[k],
                }
            )
            share = float(rng.uniform(0.1, 0.7))
            d = DirectionUtilisation(
                circuit_bps=int(rate),
                mean_bps=share * rate,
                percent=100 * share,
                interval_status=["ok"],
                interval_bps=[],
            )
            util.append(
                LinkUtilisation(
                    link=name,
                    site=s,
                    device=r,
                    interface=f"GigabitEthernet0/0/{k}",
                    collected=True,
                    down=d,
                    up=d,
                    window_s=8,
                )
            )
        collections.append(DeviceCollection(device=r, site=s, driver="ios", status="ok", log=[f"{r}: synthetic"]))
    inv = {
        "name": f"Benchmark estate ({n_sites} sites)",
        "profiles": str(ROOT / "inventories" / "profiles.yaml"),
        "sdwan": {"service_vpn": 10, "probe_server": "192.0.2.254"},
        "sites": sites,
        "devices": devices,
        "links": links,
    }
    path = tmp / "estate.yaml"
    path.write_text(yaml.safe_dump(inv, sort_keys=False))
    import os

    os.environ["BENCH_PW"] = "not-used"
    return load_inventory(path), util, collections


def run_case(case: str, n_sites: int) -> dict[str, float]:
    from assess.assessment import assess
    from assess.model.profiles import load_profiles
    from assess.pipeline import _write_outputs, model_sites  # the product's own output writer
    from assess.report.settings import ReportSettings

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        loaded, util, collections = estate(n_sites, tmp)
        ps = load_profiles(loaded.profiles_path)
        t0 = time.perf_counter()
        demand = model_sites(loaded, ps)
        t1 = time.perf_counter()
        a = assess(loaded.inventory, util, demand, None, ps)
        t2 = time.perf_counter()
        stage = tmp / "out"
        stage.mkdir()
        _write_outputs(stage, loaded, ps, collections, util, demand, a, datetime.now(UTC), 3, 4.0, ReportSettings())
        t3 = time.perf_counter()
        from pypdf import PdfReader

        pages = len(PdfReader(stage / "report.pdf").pages)
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"model_s": t1 - t0, "assess_s": t2 - t1, "outputs_s": t3 - t2, "pages": pages, "rss_mib": rss_mib}


def _line(m: dict[str, float]) -> str:
    return (
        f"model {m['model_s']:.1f} s, assess {m['assess_s']:.1f} s, outputs (PDF, HTML, data, configs) "
        f"{m['outputs_s']:.1f} s, {m['pages']:.0f} pages, peak RSS {m['rss_mib']:.0f} MiB"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--sites", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--case", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, int(args.case.split("-")[1]))))
        return
    cases = tuple(f"sites-{n}" for n in sorted({50, args.sites}))
    results = run_rounds(__file__, cases, args.repeat, [], _line)
    print(f"\nmedians of {args.repeat}:")
    keys = ("model_s", "assess_s", "outputs_s", "pages", "rss_mib")
    table = {k: medians(results, k) for k in keys}
    for c in cases:
        print(f"  {c:<10} " + _line({k: table[k][c] for k in keys}))


if __name__ == "__main__":
    main()
