"""Profiles as dependency maps: per-call destinations and classes, open-loop arrivals, active
hours and diurnal curves in the load model; data-boundary checks against sites and links."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from assess.assessment import data_flows
from assess.inventory import Inventory
from assess.model.generate import UP, generate_site
from assess.model.profiles import TLS_HANDSHAKE_DOWN_BYTES, ProfileSet, load_profiles

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "inventories" / "profiles.yaml"
DOWN = 0


@pytest.fixture(scope="module")
def ps() -> ProfileSet:
    return load_profiles(BUNDLED)


def _with(ps: ProfileSet, name: str, **update: Any) -> ProfileSet:
    """The set with profile ``name`` changed (validated again, so sources must exist)."""
    data = ps.model_dump(exclude_unset=True)
    prof = data["profiles"][name]
    prof.update(update)
    prof["sources"] = {**prof.get("sources", {}), **{k: "test" for k in update if k not in ("arrival", "calls")}}
    return ProfileSet.model_validate(data)


def test_open_loop_load_is_arrival_rate_times_bytes_per_task(ps: ProfileSet) -> None:
    # Open loop: tasks arrive as Poisson at agents x tasks_per_agent_hour, independent of how
    # long they take, so the mean upload is exactly lambda x E[bytes per task] (Campbell's theorem).
    p = _with(ps, "support-agent", arrival="open", tasks_per_agent_hour=60, telemetry=None)
    up_bytes, down_bytes, _calls = p.profiles["support-agent"].expected_per_task()  # type: ignore[union-attr]
    # 400 agents x 60 tasks/h = 24,000 tasks: about 0.8 % standard error on the mean (12 seeds)
    d = generate_site("s", [("support-agent", 400)], p, seed=3, site_index=0)
    lam = 400 * 60 / 3600.0  # tasks per second
    assert float(d.total(direction=UP).mean()) == pytest.approx(lam * 8 * up_bytes, rel=0.03)
    assert float(d.total(direction=DOWN).mean()) == pytest.approx(lam * 8 * down_bytes, rel=0.03)
    # nothing but AI-AGENT without telemetry
    assert float(d.total(cls="OAM-TELEMETRY").sum()) == 0.0


def test_calls_land_in_their_destinations_class_and_telemetry_in_oam(ps: ProfileSet) -> None:
    night = generate_site("s", [("nightly-batch", 20)], ps, seed=1, site_index=0, hour=2)
    upsert = float(night.total(direction=UP, cls="BULK-SYNC").mean())  # index-upsert, 200 KB per task
    fetch = float(night.total(direction=DOWN, cls="BULK-SYNC").mean())  # fetch-document, 400 KB per task
    assert upsert > 0 and fetch > 1.5 * upsert
    assert float(night.total(direction=UP, cls="OAM-TELEMETRY").mean()) > 0
    assert float(night.total(direction=UP, cls="AI-AGENT").mean()) > 0  # extract calls
    assert float(night.total(cls="AI-INTERACTIVE").sum()) == 0.0


def test_active_hours_and_diurnal_curve(ps: ProfileSet) -> None:
    day = generate_site("s", [("nightly-batch", 20), ("copilot-chat", 2000)], ps, seed=1, site_index=0, hour=10)
    night = generate_site("s", [("nightly-batch", 20), ("copilot-chat", 2000)], ps, seed=1, site_index=0, hour=3)
    assert float(day.total(kind=1).sum()) == 0.0  # the batch runs 01:00-05:00 only
    assert float(night.total(kind=1).sum()) > 0.0
    # chat at 03:00 runs at 2 % of its 10:00 rate (diurnal_percent)
    ratio = float(night.total(kind=0).mean()) / float(day.total(kind=0).mean())
    assert ratio == pytest.approx(0.02, rel=0.15)
    # a window that wraps midnight
    p = _with(ps, "nightly-batch", active_hours=[22, 2])
    prof = p.profiles["nightly-batch"]
    assert [h for h in range(24) if prof.active_at(h)] == [0, 1, 22, 23]  # type: ignore[union-attr]


def test_no_connection_reuse_adds_the_tls_handshake_to_every_call(ps: ProfileSet) -> None:
    data = ps.model_dump(exclude_unset=True)
    data["destinations"]["llm-api"]["connection_reuse"] = False
    cold = ProfileSet.model_validate(data)
    kw: dict[str, Any] = {"arrival": "open", "tasks_per_agent_hour": 60, "telemetry": None}
    warm_ps, cold_ps = _with(ps, "support-agent", **kw), _with(cold, "support-agent", **kw)
    a = generate_site("s", [("support-agent", 100)], warm_ps, seed=3, site_index=0)
    b = generate_site("s", [("support-agent", 100)], cold_ps, seed=3, site_index=0)
    steps = cold_ps.profiles["support-agent"].mean_steps()  # type: ignore[union-attr]
    # one reason call per step goes to llm-api: 12.5 handshakes per task, 100 tasks a minute
    extra = 100 / 60 * steps * 8 * TLS_HANDSHAKE_DOWN_BYTES
    assert float(b.total(direction=DOWN).mean() - a.total(direction=DOWN).mean()) == pytest.approx(extra, rel=0.05)


def _inventory(links: list[dict[str, Any]], region: str = "eu-west") -> Inventory:
    lab = yaml.safe_load((ROOT / "inventories" / "lab.yaml").read_text())
    return Inventory.model_validate(
        {
            "name": "t",
            "sites": [{"name": "s1", "region": region, "workloads": [{"profile": "support-agent", "count": 5}]}],
            "devices": [{**lab["devices"][0], "name": "r1", "site": "s1"}],
            "links": [
                {"device": "r1", "interface": f"Gi0/{i}", "circuit_down_bps": 10**8, "circuit_up_bps": 10**8, **lk}
                for i, lk in enumerate(links)
            ],
        }
    )


def _status(flows: list[Any], call: str) -> str:
    return next(f.status for f in flows if f.call == call)


def test_data_rules_against_region_and_links(ps: ProfileSet) -> None:
    mpls = {"name": "mpls", "transport": "mpls"}
    dia = {"name": "dia", "transport": "dia"}
    # private only: compliant, and the reason call (no rules) may use anything
    flows = data_flows(_inventory([mpls]), ps)
    assert _status(flows, "crm-lookup") == "ok" and _status(flows, "reason") == "ok"
    # AI load planned on an internet link too: the no-breakout calls must be pinned to mpls
    flows = data_flows(_inventory([mpls, dia]), ps)
    crm = next(f for f in flows if f.call == "crm-lookup")
    assert crm.status == "pin to private" and crm.compliant_links == ["mpls"]
    # the internet link carries no AI: fine today, but no compliant backup if mpls fails
    flows = data_flows(_inventory([{**mpls, "ai_share_percent": 100}, {**dia, "ai_share_percent": 0}]), ps)
    assert _status(flows, "crm-lookup") == "no private backup"
    # no private link at all: dropped, never leaked
    flows = data_flows(_inventory([dia]), ps)
    assert _status(flows, "crm-lookup") == "no compliant path" and _status(flows, "reason") == "ok"
    # in-region data from another region
    flows = data_flows(_inventory([mpls], region="ap-south"), ps)
    assert _status(flows, "kb-search") == "out of region"
    # a no-breakout call to an endpoint reached via the internet has no compliant path anywhere
    data = ps.model_dump(exclude_unset=True)
    data["destinations"]["crm-api"]["reach"] = "internet"
    flows = data_flows(_inventory([mpls]), ProfileSet.model_validate(data))
    assert _status(flows, "crm-lookup") == "internet destination"
    assert next(f for f in flows if f.call == "crm-lookup").compliant_links == []
