"""The long collection as shards on a Dask LocalCluster, all writing to the one Parquet dataset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assess.cli import app
from assess.collect.dask_executor import shard_devices
from assess.collect.longrun import read_dataset
from assess.inventory import load_inventory
from assess.lab import Lab, load_lab_traffic

ROOT = Path(__file__).resolve().parents[1]
LAB = ROOT / "inventories" / "lab.yaml"
SECRET = "dask-Lab-pw-1b2c"

pytestmark = pytest.mark.lab


def test_shards_are_even_and_cover_every_device() -> None:
    names = [f"r{i}" for i in range(7)]
    groups = shard_devices(names, 3)
    assert sorted(sum(groups, [])) == sorted(names) and [len(g) for g in groups] == [3, 2, 2]
    assert shard_devices(names[:2], 8) == [["r0"], ["r1"]]  # never an empty shard


def test_collect_on_a_local_dask_cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from distributed import LocalCluster

    # Workers are separate processes: they read the password from their own environment.
    monkeypatch.setenv("ASSESS_LAB_PASSWORD", SECRET)
    loaded = load_inventory(LAB)
    traffic = load_lab_traffic(ROOT / "inventories" / "lab-traffic.yaml")
    out = tmp_path / "ds"
    cluster: Any = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        with Lab(loaded, traffic):
            result = CliRunner().invoke(
                app,
                [
                    "collect", str(LAB), "--out", str(out), "--duration", "7s", "--interval", "2s",
                    "--executor", "dask", "--scheduler", cluster.scheduler_address, "--shards", "3",
                ],
            )  # fmt: skip
    finally:
        cluster.close()
    assert result.exit_code == 0, result.output
    df = read_dataset(out)
    # Three shards, three run ids, one dataset; every device in exactly one shard.
    assert df["run_id"].nunique() == 3
    assert (df.groupby("device")["run_id"].nunique() == 1).all()
    assert set(df["device"]) == {d.name for d in loaded.inventory.devices}
    per_poll = {name: len(dev.interfaces) for name, dev in traffic.devices.items()}
    for (device, _t), n in df.groupby(["device", "t_mono_s"]).size().items():
        assert n == per_poll[device]  # whole polls only
    assert (df.groupby("device")["t_mono_s"].nunique() >= 3).all()
    assert not df.duplicated(["run_id", "device", "interface", "t_mono_s"]).any()
    assert len(list((out / "samples").glob("part-*.parquet"))) == df.groupby(["run_id", "seq"]).ngroups
    assert SECRET not in result.output


def test_dask_executor_needs_a_scheduler_and_a_reachable_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSESS_LAB_PASSWORD", SECRET)
    r = CliRunner().invoke(app, ["collect", str(LAB), "--out", str(tmp_path / "x"), "--executor", "dask"])
    assert r.exit_code == 2 and "--executor dask needs --scheduler ADDRESS" in r.output
    r = CliRunner().invoke(
        app,
        ["collect", str(LAB), "--out", str(tmp_path / "x"), "--executor", "dask", "--scheduler", "tcp://127.0.0.1:1"],
    )
    assert r.exit_code == 3 and "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in r.output
    assert not (tmp_path / "x" / "samples").exists() or not any((tmp_path / "x" / "samples").iterdir())
