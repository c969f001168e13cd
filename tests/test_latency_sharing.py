"""Task latency is simulated once per workflow and distinct path: an estate of many similar
sites costs little more than one (what makes hundreds of sites feasible)."""

from __future__ import annotations

from pathlib import Path

import pytest

import assess.assessment as assessment
from assess.assessment import assess
from assess.collect.models import DirectionUtilisation, LinkUtilisation
from assess.inventory import Inventory
from assess.model.generate import generate_sites
from assess.model.profiles import load_profiles

ROOT = Path(__file__).resolve().parents[1]


def _estate(n_sites: int) -> tuple[Inventory, list[LinkUtilisation]]:
    sites, devices, links, util = [], [], [], []
    for i in range(n_sites):
        s = f"s{i}"
        sites.append({"name": s, "region": "eu-west", "workloads": [{"profile": "support-agent", "count": 20}]})
        devices.append(
            {"name": f"r{i}", "site": s, "driver": "ios", "host": "192.0.2.1", "username": "u", "password": "env:X"}
        )
        for k, transport in enumerate(("mpls", "dia")):
            name = f"{s}-{transport}"
            links.append(
                {"name": name, "device": f"r{i}", "interface": f"Gi0/0/{k}", "transport": transport,
                 "circuit_down_bps": 100_000_000, "circuit_up_bps": 100_000_000}
            )  # fmt: skip
            d = DirectionUtilisation(
                circuit_bps=100_000_000, mean_bps=20e6, percent=20.0, interval_status=["ok"], interval_bps=[20e6]
            )
            util.append(
                LinkUtilisation(
                    link=name, site=s, device=f"r{i}", interface=f"Gi0/0/{k}", collected=True, down=d, up=d, window_s=8
                )
            )
    inv = Inventory.model_validate({"name": "t", "sites": sites, "devices": devices, "links": links})
    return inv, util


def test_similar_sites_share_one_monte_carlo(monkeypatch: pytest.MonkeyPatch) -> None:
    ps = load_profiles(ROOT / "inventories" / "profiles.yaml")
    calls = []
    real = assessment.task_latency

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(assessment, "task_latency", counting)
    inv, util = _estate(6)
    demand = generate_sites([(s.name, [(w.profile, w.count) for w in s.workloads]) for s in inv.sites], ps, seed=1)
    a = assess(inv, util, demand, None, ps)
    assert len(a.latency) == 6 and all(len(sl.scenarios) == 5 for sl in a.latency)
    # 6 sites x 5 scenarios, but the paths are the same after rounding: one run per distinct path
    assert len(calls) == len(set(calls)) < 6 * 5
    assert len(calls) <= 6  # "now", RTT 120, 1 % loss, TLS 1.2, link down (+ at most one near-duplicate)
    first = a.latency[0].get("RTT 120 ms").stats
    assert all(sl.get("RTT 120 ms").stats == first for sl in a.latency)
