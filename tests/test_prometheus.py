"""Prometheus import against a real Prometheus server on loopback, fed by promtool."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from typer.testing import CliRunner

from assess.cli import app
from assess.collect.history import read_history

STEP = 60
IN_BPS, OUT_BPS = 80e6, 12e6


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    for tool in ("prometheus", "promtool"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} not found: install the Debian package prometheus (bash .ci/setup --test does)")
    tmp = tmp_path_factory.mktemp("prom")
    # Two hours of counters, one sample a minute, ending three hours ago (outside the head block).
    end = (int(time.time()) // 3600 - 3) * 3600
    start = end - 7200
    lines = ["# TYPE ifHCInOctets gauge", "# TYPE ifHCOutOctets gauge"]
    body_in, body_out = [], []
    for k, t in enumerate(range(start, end + 1, STEP)):
        # A counter reset half way: Prometheus' rate() must absorb it.
        base = 0 if k >= 60 else 5_000_000_000
        n = k - 60 if k >= 60 else k
        body_in.append(f'ifHCInOctets{{instance="br2-rtr1",ifName="Gi0/0/0"}} {base + int(n * STEP * IN_BPS / 8)} {t}')
        body_out.append(f'ifHCOutOctets{{instance="br2-rtr1",ifName="Gi0/0/0"}} {int(k * STEP * OUT_BPS / 8)} {t}')
    om = tmp / "data.om"
    om.write_text("\n".join([lines[0], *body_in, lines[1], *body_out, "# EOF"]) + "\n")
    data = tmp / "tsdb"
    subprocess.run(
        ["promtool", "tsdb", "create-blocks-from", "openmetrics", str(om), str(data)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    cfg = tmp / "prometheus.yml"
    cfg.write_text("global:\n  scrape_interval: 1h\nscrape_configs: []\n")
    port = _free_port()
    proc = subprocess.Popen(
        [
            "prometheus",
            f"--config.file={cfg}",
            f"--storage.tsdb.path={data}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--storage.tsdb.retention.time=30d",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if requests.get(url + "/-/ready", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.2)
        else:
            pytest.fail("prometheus did not become ready")
        yield url, start, end
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _iso(t: int) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat()


def test_import_from_prometheus(prometheus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, start, end = prometheus
    res = CliRunner().invoke(
        app,
        [
            "import",
            "prometheus",
            url,
            "--out",
            str(tmp_path),
            "--start",
            _iso(start + 600),
            "--end",
            _iso(end),
            "--step",
            "5m",
        ],
    )
    assert res.exit_code == 0, res.output
    df = read_history(tmp_path)
    assert set(df["interface"]) == {"GigabitEthernet0/0/0"} and set(df["device"]) == {"br2-rtr1"}
    assert len(df) >= 20
    assert df["in_bps"].median() == pytest.approx(IN_BPS, rel=0.02)
    assert df["out_bps"].median() == pytest.approx(OUT_BPS, rel=0.02)
    assert (df["interval_s"] == 300).all()
    assert df["source"].iloc[0] == f"prometheus:{url}"


def test_prometheus_errors_are_named(prometheus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, start, end = prometheus
    args = ["--out", str(tmp_path), "--start", _iso(start), "--end", _iso(end)]
    bad_label = CliRunner().invoke(app, ["import", "prometheus", url, *args, "--interface-label", "ifDescr"])
    assert bad_label.exit_code == 2 and "ifDescr" in bad_label.output
    dead = CliRunner().invoke(app, ["import", "prometheus", f"http://127.0.0.1:{_free_port()}", *args])
    assert dead.exit_code == 2 and "not reachable" in dead.output
    naive = CliRunner().invoke(
        app, ["import", "prometheus", url, "--out", str(tmp_path), "--start", "2026-11-01T00:00", "--end", _iso(end)]
    )
    assert naive.exit_code == 2 and "--start" in naive.output and "no UTC offset" in naive.output
    assert not (tmp_path / "history").exists() or not list((tmp_path / "history").glob("part-*"))
