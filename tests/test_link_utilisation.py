"""Joining collected counters to inventory links: LAGs, sub-interfaces, names, sub-rate circuits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assess.collect.collector import link_utilisation
from assess.collect.models import DeviceCollection, InterfaceCounters, InterfaceInfo, Poll
from assess.inventory import Inventory


def _inv(interface: str, circuit_bps: int = 50_000_000) -> Inventory:
    return Inventory.model_validate(
        {
            "name": "t",
            "sites": [{"name": "s1"}],
            "devices": [
                {"name": "r1", "site": "s1", "driver": "ios", "host": "192.0.2.1", "username": "u", "password": "env:X"}
            ],
            "links": [
                {
                    "name": "l1",
                    "device": "r1",
                    "interface": interface,
                    "transport": "mpls",
                    "circuit_down_bps": circuit_bps,
                    "circuit_up_bps": circuit_bps,
                }
            ],
        }
    )


def _collection(rates_bps: dict[str, float], speeds: dict[str, float | None]) -> DeviceCollection:
    polls = []
    for k, t in enumerate((0.0, 10.0, 20.0)):
        polls.append(
            Poll(
                t_mono_s=t,
                wall_time="2026-11-23T10:00:00+00:00",
                uptime_s=1000 + t,
                counters={
                    name: InterfaceCounters(rx_octets=int(k * 10 * r / 8), tx_octets=int(k * 10 * r / 16))
                    for name, r in rates_bps.items()
                },
            )
        )
    return DeviceCollection(
        device="r1",
        site="s1",
        driver="ios",
        status="ok",
        polls=polls,
        interfaces={n: InterfaceInfo(is_up=True, speed_mbps=s) for n, s in speeds.items()},
    )


def test_lag_counts_the_bundle_not_the_members_twice() -> None:
    col = _collection(
        {"Port-channel1": 30e6, "GigabitEthernet0/0/1": 15e6, "GigabitEthernet0/0/2": 15e6},
        {"Port-channel1": 2000.0, "GigabitEthernet0/0/1": 1000.0, "GigabitEthernet0/0/2": 1000.0},
    )
    (u,) = link_utilisation(_inv("Po1"), [col])
    assert u.interface == "Port-channel1"
    assert u.down is not None and u.down.mean_bps == pytest.approx(30e6)
    assert u.down.percent == pytest.approx(60.0)


def test_subinterface_has_its_own_counters() -> None:
    col = _collection(
        {"GigabitEthernet0/0/0": 45e6, "GigabitEthernet0/0/0.100": 20e6},
        {"GigabitEthernet0/0/0": 1000.0, "GigabitEthernet0/0/0.100": 1000.0},
    )
    (u,) = link_utilisation(_inv("Gi0/0/0.100"), [col])
    assert u.down is not None and u.down.mean_bps == pytest.approx(20e6)
    assert u.up is not None and u.up.mean_bps == pytest.approx(10e6)


def test_tunnel_with_unknown_speed_uses_the_circuit() -> None:
    col = _collection({"Tunnel10": 8e6}, {"Tunnel10": None})
    (u,) = link_utilisation(_inv("Tu10", circuit_bps=10_000_000), [col])
    assert u.port_speed_mbps is None
    assert u.down is not None and u.down.percent == pytest.approx(80.0)


def test_missing_interface_is_reported_not_guessed() -> None:
    col = _collection({"GigabitEthernet0/0/0": 1e6}, {"GigabitEthernet0/0/0": 1000.0})
    (u,) = link_utilisation(_inv("Gi0/0/9"), [col])
    assert not u.collected
    assert u.reason and "Gi0/0/9" in u.reason


LINK_CASES = sorted(p for p in (Path(__file__).parent / "fixtures" / "links").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", LINK_CASES, ids=[c.name for c in LINK_CASES])
def test_link_case(case: Path) -> None:
    """One folder per link-join case (tests/fixtures/links/<case>/): polled counters of several
    interfaces in, the link's interface, port speed and mean rates out."""
    given = json.loads((case / "input.json").read_text())
    expected = json.loads((case / "expected_result.json").read_text())
    col = DeviceCollection(
        device="r1",
        site="s1",
        driver="ios",
        status="ok",
        interfaces={n: InterfaceInfo(is_up=True, speed_mbps=s) for n, s in given["interfaces"].items()},
        polls=[
            Poll(
                t_mono_s=p["t"],
                wall_time="2026-11-23T10:00:00+00:00",
                uptime_s=p["uptime"],
                counters={n: InterfaceCounters(rx_octets=rx, tx_octets=tx) for n, (rx, tx) in p["counters"].items()},
            )
            for p in given["polls"]
        ],
    )
    [lu] = link_utilisation(_inv(given["link_interface"], given["circuit_bps"]), [col])
    assert lu.collected and lu.interface == expected["interface"]
    assert lu.port_speed_mbps == expected["port_speed_mbps"]
    assert lu.down is not None and lu.up is not None
    assert lu.down.mean_bps == pytest.approx(expected["down_mean_bps"])
    assert lu.up.mean_bps == pytest.approx(expected["up_mean_bps"])
