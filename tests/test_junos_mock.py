"""Junos (NETCONF) through NAPALM's ``mock`` driver: the collector and link join on Junos names.

The lab serves SSH only, so the Junos getters are NAPALM ``mock`` fixtures
(``tests/fixtures/junos/fra-pe2``, see its README for the octets per poll).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from assess.collect import collector
from assess.collect.collector import collect_inventory, link_utilisation
from assess.collect.session import DeviceSession
from assess.inventory import Credentials, Inventory, LoadedInventory

FIXTURES = Path(__file__).parent / "fixtures" / "junos"


def _loaded(host: str = "192.0.2.2") -> LoadedInventory:
    inv = Inventory.model_validate(
        {
            "name": "junos",
            "sites": [{"name": "fra"}],
            "collection": {"polls": 3, "interval_s": 0.5, "timeout_s": 5, "workers": 2},
            "devices": [
                {
                    "name": "fra-pe2",
                    "site": "fra",
                    "driver": "junos",
                    "host": host,
                    "port": 830,
                    "username": "assess",
                    "password": "env:JUNOS_PW",
                }
            ],
            "links": [
                {
                    "name": "fra-ix",
                    "device": "fra-pe2",
                    "interface": "ae0",
                    "transport": "dia",
                    "circuit_down_bps": 10_000_000_000,
                    "circuit_up_bps": 10_000_000_000,
                },
                {
                    "name": "fra-dia",
                    "device": "fra-pe2",
                    "interface": "ge-0/0/2",
                    "transport": "dia",
                    "circuit_down_bps": 100_000_000,
                    "circuit_up_bps": 100_000_000,
                },
            ],
        }
    )
    creds = {"fra-pe2": Credentials(username="assess", password=SecretStr("unused-by-mock"))}
    return LoadedInventory(path=Path("junos.yaml"), inventory=inv, credentials=creds)


@pytest.fixture
def junos_mock(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace the driver choice (only that) with NAPALM's mock driver on the fixture folder."""
    from napalm.base.mock import MockDriver

    made: list[str] = []

    def make_driver(self: DeviceSession) -> Any:
        made.append(self.dev.driver)
        return MockDriver(self.dev.host, "assess", "x", optional_args={"path": str(FIXTURES / self.dev.name)})

    monkeypatch.setattr(DeviceSession, "make_driver", make_driver)
    return made


def test_junos_collection_joins_lag_and_sub_rate_links(junos_mock: list[str]) -> None:
    loaded = _loaded()
    [col] = collect_inventory(loaded)
    assert junos_mock == ["junos"]
    assert col.status == "ok", col.error
    assert col.facts is not None and (col.facts.vendor, col.facts.model) == ("Juniper", "MX204")
    assert len(col.polls) == 3 and all(p.uptime_s for p in col.polls)
    links = {lu.link: lu for lu in link_utilisation(loaded.inventory, [col])}

    ix = links["fra-ix"]
    assert ix.interface == "ae0" and ix.port_speed_mbps == 20000.0
    # ae0's own counters: 400 Mb/s in, 128 Mb/s out over 0.5 s polls (members not added again).
    # The collector times polls on its own clock, so a late poll reads a little lower.
    assert ix.down.mean_bps == pytest.approx(400e6, rel=0.12)
    assert ix.up.mean_bps == pytest.approx(128e6, rel=0.12)
    assert ix.down.mean_bps < 440e6

    dia = links["fra-dia"]
    assert dia.port_speed_mbps == 1000.0
    # 50 Mb/s on a 100 Mb/s circuit: utilisation against the circuit, not the 1 G port.
    assert 100 * dia.down.mean_bps / dia.down.circuit_bps == pytest.approx(50, rel=0.12)


def test_junos_device_failure_is_reported_not_raised(junos_mock: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A getter file missing for a call (a device that stops answering) fails that poll only."""
    loaded = _loaded()
    real = collector.DeviceSession.counters
    calls = {"n": 0}

    def flaky(self: DeviceSession, uptime_s: float | None) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise collector.CollectionError(self.dev.name, "RPCTimeoutError: get-interface-information")
        return real(self, uptime_s)

    monkeypatch.setattr(collector.DeviceSession, "counters", flaky)
    [col] = collect_inventory(loaded)
    assert col.status == "partial" and len(col.polls) == 2
    assert col.error is not None and "poll 2" in col.error and "fra-pe2" in col.error


def test_lab_refuses_a_junos_device_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """The SSH lab has no NETCONF: a junos device is an inventory error naming the field."""
    from assess.errors import InventoryError
    from assess.lab import Lab
    from assess.lab.server import LabTraffic

    traffic = LabTraffic.model_validate(
        {"diurnal": [1.0] * 24, "devices": {"fra-pe2": {"serial": "X", "interfaces": {}}}}
    )
    loaded = _loaded(host="127.0.0.1")
    with pytest.raises(InventoryError) as err:
        Lab(loaded, traffic)
    assert "devices[0].driver: the lab serves ios, eos, nxos_ssh, iosxr over SSH, not junos" in str(err.value)


def test_lab_lag_members_must_exist() -> None:
    from pydantic import ValidationError

    from assess.lab.server import LabDevice

    with pytest.raises(ValidationError, match=r"interfaces.ae0.members: not interfaces of this device: xe-9/9/9"):
        LabDevice.model_validate(
            {
                "serial": "X",
                "interfaces": {
                    "ae0": {"description": "", "ip": "0.0.0.0", "down_bps": 0, "up_bps": 0, "members": ["xe-9/9/9"]}
                },
            }
        )


def test_device_returning_garbage_fails_that_poll_naming_device_and_getter(monkeypatch: pytest.MonkeyPatch) -> None:
    from napalm.base.mock import MockDriver

    monkeypatch.setattr(
        DeviceSession,
        "make_driver",
        lambda self: MockDriver(self.dev.host, "u", "p", optional_args={"path": str(FIXTURES / "fra-pe2-garbage")}),
    )
    [col] = collect_inventory(_loaded())
    assert col.status == "partial" and len(col.polls) == 2
    assert col.error is not None
    assert "device fra-pe2" in col.error
    assert 'poll 2: get_interfaces_counters returned unusable data (str: "% Invalid input' in col.error
    assert any("unusable data" in line for line in col.log)
    # The two good polls still give the links their figures.
    links = {lu.link: lu for lu in link_utilisation(_loaded().inventory, [col])}
    assert links["fra-ix"].collected


def test_a_crashing_device_thread_does_not_cost_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_a: Any, **_k: Any) -> Any:
        raise RuntimeError("bug in a driver")

    monkeypatch.setattr(collector, "_collect_device", boom)
    [col] = collect_inventory(_loaded())
    assert col.status == "failed" and col.error == "device fra-pe2: collection stopped by RuntimeError: bug in a driver"


@pytest.mark.parametrize(("enabled", "calls"), [(True, 2), (False, 0)])
def test_queue_drops_read_at_both_ends_unless_turned_off(
    junos_mock: list[str], monkeypatch: pytest.MonkeyPatch, enabled: bool, calls: int
) -> None:
    seen: list[float] = []
    monkeypatch.setattr(DeviceSession, "queue_counters", lambda self: seen.append(1.0))
    loaded = _loaded()
    inv = loaded.inventory.model_copy(
        update={"collection": loaded.inventory.collection.model_copy(update={"queue_drops": enabled})}
    )
    [col] = collect_inventory(loaded.model_copy(update={"inventory": inv}))
    assert col.status == "ok" and len(seen) == calls
