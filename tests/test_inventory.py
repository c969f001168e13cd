"""Inventory validation and the CLI's handling of bad input: exit 2, nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assess.cli import app
from assess.errors import InventoryError
from assess.inventory import load_inventory
from assess.model.profiles import load_profiles

ROOT = Path(__file__).resolve().parents[1]
LAB = ROOT / "inventories" / "lab.yaml"


@pytest.fixture()
def inv_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ASSESS_LAB_PASSWORD", "not-a-real-secret-1")
    for name in ("lab.yaml", "profiles.yaml", "lab-traffic.yaml"):
        shutil.copy(ROOT / "inventories" / name, tmp_path / name)
    return tmp_path


def test_lab_inventory_loads_and_resolves_secret(inv_dir: Path) -> None:
    loaded = load_inventory(inv_dir / "lab.yaml")
    inv = loaded.inventory
    assert len(inv.sites) >= 3 and len(inv.devices) >= 5
    cred = loaded.credentials["hq-rtr1"]
    assert cred.password.get_secret_value() == "not-a-real-secret-1"
    assert "not-a-real-secret-1" not in repr(loaded)
    # The sub-rate circuit and the asymmetric broadband circuit the lab promises.
    br = {lk.name: lk for lk in inv.links}
    assert br["br1-mpls"].circuit_down_bps == 50_000_000
    assert br["br1-broadband"].circuit_down_bps > br["br1-broadband"].circuit_up_bps
    assert inv.ai_share(br["hq-mpls"]) == pytest.approx(0.6)


def test_unknown_key_names_field_and_line(inv_dir: Path) -> None:
    p = inv_dir / "lab.yaml"
    text = p.read_text().replace("    transport: mpls\n", "    transport: mpls\n    circuit_mbps: 50\n", 1)
    p.write_text(text)
    with pytest.raises(InventoryError) as e:
        load_inventory(p)
    msg = str(e.value)
    assert str(p) in msg
    assert "links[0].circuit_mbps" in msg and "unknown key" in msg
    line = text.splitlines().index("    circuit_mbps: 50") + 1
    assert f"line {line}" in msg


def test_missing_env_variable_names_field(inv_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSESS_LAB_PASSWORD")
    with pytest.raises(InventoryError) as e:
        load_inventory(inv_dir / "lab.yaml")
    assert "devices[0].password" in str(e.value)
    assert "ASSESS_LAB_PASSWORD is not set" in str(e.value)


def test_plaintext_password_rejected(inv_dir: Path) -> None:
    p = inv_dir / "lab.yaml"
    p.write_text(p.read_text().replace("password: env:ASSESS_LAB_PASSWORD}", "password: hunter22}", 1))
    with pytest.raises(InventoryError) as e:
        load_inventory(p)
    assert "devices[0].password" in str(e.value)
    assert "hunter22" not in str(e.value)


def test_broken_reference(inv_dir: Path) -> None:
    p = inv_dir / "lab.yaml"
    p.write_text(p.read_text().replace("    device: hq-rtr2\n", "    device: hq-rtr9\n", 1))
    with pytest.raises(InventoryError, match=r"links\[1\]\.device .*unknown device 'hq-rtr9'"):
        load_inventory(p)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (
            "        request_bytes: 6200\n",
            "        request_bytes: -5\n",
            "profiles.support-agent.calls[1].request_bytes (line",
        ),
        (
            "    steps_per_task_min: 8\n",
            "    steps_per_task_min: 0\n",
            "profiles.support-agent.steps_per_task_min",
        ),
        (
            "    retrieval_per_prompt: 0.3\n",
            "    retrieval_per_prompt: 1.5\n",
            "profiles.copilot-chat.retrieval_per_prompt",
        ),
        (
            "    diurnal_percent: [2, 2, 2,",
            "    diurnal_percent: [200, 2, 2,",
            "profiles.copilot-chat.diurnal_percent (line 77): needs 24 values",
        ),
        (
            "    transport_class: BULK-SYNC\n",
            "    transport_class: GOLD\n",
            "destinations.doc-store.transport_class (line",
        ),
        (
            "        transport_class: BULK-SYNC\n",
            "        transport_class: REALTIME\n",
            "profiles.nightly-batch.calls[2].transport_class (line",
        ),
        (
            "        destination: crm-api\n",
            "        destination: crm-apj\n",
            "profiles.support-agent.calls[2].destination (line",
        ),
        (
            "        probability: 0.40\n",
            "        probability: 40\n",
            "profiles.support-agent.calls[2].probability (line",
        ),
        (
            "        per: task-end\n",
            "        per: afterwards\n",
            "profiles.nightly-batch.calls[2].per (line",
        ),
    ],
)
def test_bad_profiles_name_the_field(inv_dir: Path, old: str, new: str, field: str) -> None:
    p = inv_dir / "profiles.yaml"
    p.write_text(p.read_text().replace(old, new, 1))
    with pytest.raises(InventoryError) as e:
        load_profiles(p)
    assert field in str(e.value) and str(p) in str(e.value)


def test_cli_bad_inventory_exits_2_and_writes_nothing(inv_dir: Path, tmp_path: Path) -> None:
    p = inv_dir / "lab.yaml"
    p.write_text(p.read_text().replace("seed: 1\n", "seed: 1\ncolour: blue\n"))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(p), "--out", str(out)])
    assert result.exit_code == 2
    assert "colour" in result.output and "unknown key" in result.output
    assert not out.exists()
    assert not [x for x in tmp_path.iterdir() if x.name.startswith(".out.staging")]


def test_cli_missing_env_exits_2(inv_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSESS_LAB_PASSWORD")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(inv_dir / "lab.yaml"), "--out", str(out)])
    assert result.exit_code == 2
    assert "ASSESS_LAB_PASSWORD" in result.output and "devices[0].password" in result.output
    assert not out.exists()
