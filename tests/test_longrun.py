"""Long collection runs: Parquet parts written atomically, kill -9 and resume, backoff."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assess.collect.longrun import (
    backoff_delay_s,
    next_seq,
    parse_duration,
    read_dataset,
    write_part,
)
from assess.errors import InventoryError
from assess.inventory import load_inventory
from assess.lab import Lab, load_lab_traffic

ROOT = Path(__file__).resolve().parents[1]
LAB = ROOT / "inventories" / "lab.yaml"
ASSESS = Path(sys.executable).with_name("assess")


@pytest.mark.parametrize(("text", "seconds"), [("90", 90), ("90s", 90), ("5m", 300), ("2h", 7200), ("1.5h", 5400)])
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "0s", "-5s", "10x", "h"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(InventoryError, match="--duration"):
        parse_duration(text)


def test_full_jitter_backoff_bounds() -> None:
    rng = random.Random(1)
    for attempt in range(12):
        ceiling = min(300.0, 1.0 * 2**attempt)
        draws = [backoff_delay_s(attempt, rng) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in draws)
        assert max(draws) > 0.8 * ceiling  # spread over the whole window, not clustered at the top
        assert min(draws) < 0.2 * ceiling


def _row(device: str, i: int) -> dict[str, object]:
    return {
        "device": device,
        "interface": "Gi0",
        "wall_time_ns": i,
        "t_mono_s": float(i),
        "uptime_s": None,
        "rx_octets": i * 10,
        "tx_octets": None,
    }


def test_parts_are_atomic_and_sequence_resumes(tmp_path: Path) -> None:
    samples = tmp_path / "samples"
    samples.mkdir()
    assert next_seq(samples) == 0
    write_part(samples, 0, "aaaaaaaa", [_row("r1", 1), _row("r2", 1)])
    write_part(samples, 1, "aaaaaaaa", [_row("r1", 2)])
    (samples / ".part-00000002-aaaaaaaa.parquet.tmp").write_bytes(b"half a file")  # a kill mid-write
    assert next_seq(samples) == 2
    df = read_dataset(tmp_path)
    assert len(df) == 3  # the half-written hidden temp file is not part of the dataset
    assert df["tx_octets"].isna().all() and df["rx_octets"].tolist() == [10, 10, 20]


@pytest.mark.lab
def test_kill_and_resume_loses_only_the_poll_in_flight(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSESS_LAB_PASSWORD", "lr-Secret-4455")
    loaded = load_inventory(LAB)
    per_poll = {}  # device -> interfaces per poll, from the lab's own definition
    traffic = load_lab_traffic(ROOT / "inventories" / "lab-traffic.yaml")
    for name, dev in traffic.devices.items():
        per_poll[name] = len(dev.interfaces)
    out = tmp_path / "ds"
    interval = 2.0
    cmd = [str(ASSESS), "collect", str(LAB), "--out", str(out), "--interval", "2s"]
    with Lab(loaded, traffic):
        proc = subprocess.Popen([*cmd, "--duration", "120s"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(11)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed_ns = time.time_ns()
        first = read_dataset(out)
        resumed = subprocess.run([*cmd, "--duration", "6s"], capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    both = read_dataset(out)

    # Run 1: every part complete (whole polls only), and nothing older than the poll in flight lost.
    assert first["run_id"].nunique() == 1
    polls = first.groupby(["device", "t_mono_s"]).size()
    for (device, _t), n in polls.items():
        assert n == per_poll[device]
    for _device, g in first.groupby("device"):
        assert g["t_mono_s"].nunique() >= 3
        assert killed_ns - g["wall_time_ns"].max() < (2 * interval + 3) * 1e9

    # Run 2 appended: a new run id, parts numbered on, no row duplicated, run 1 untouched.
    runs = both.groupby("run_id")["seq"].agg(["min", "max"]).sort_values("min")
    assert len(runs) == 2
    assert runs.iloc[1]["min"] == runs.iloc[0]["max"] + 1
    assert len(both) > len(first)
    assert not both.duplicated(["run_id", "device", "interface", "t_mono_s"]).any()
    assert both[both["run_id"] == first["run_id"].iloc[0]].reset_index(drop=True).equals(first.reset_index(drop=True))
    assert "lr-Secret-4455" not in resumed.stdout + resumed.stderr
