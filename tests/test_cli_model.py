"""`assess model`: the contrast and task latency in the terminal, without touching a device."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from assess.cli import app

LAB = Path(__file__).resolve().parents[1] / "inventories" / "lab.yaml"


def test_model_prints_the_ladder_contrast_and_latency_without_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSESS_LAB_PASSWORD", raising=False)
    r = CliRunner().invoke(app, ["model", str(LAB), "--site", "br-lyon"], env={"COLUMNS": "160"})
    assert r.exit_code == 0, r.output
    assert "br-lyon: modelled AI load, 10:00-11:00 local" in r.output
    rows = [line for line in r.output.splitlines() if line.startswith("│ 1 s ") or line.startswith("│ 300 s")]
    agentic_up = {
        line.split("│")[1].strip(): float(line.split("│")[8]) for line in rows if "agentic" in line and " up " in line
    }
    # The timescale contrast: spiky at 1 s, smooth at 300 s (p99/mean).
    assert agentic_up["1 s"] > 2.5 and agentic_up["300 s"] < 1.2
    assert "research-multi-agent" in r.output and "TLS 1.2, no keep-alive" in r.output
    assert "hq-london" not in r.output


def test_model_rejects_an_unknown_site(monkeypatch: pytest.MonkeyPatch) -> None:
    r = CliRunner().invoke(app, ["model", str(LAB), "--site", "nowhere"])
    assert r.exit_code == 2 and "no site 'nowhere'" in r.output and "br-lyon" in r.output


def test_profiles_lists_the_bundled_set_with_bytes_per_task() -> None:
    r = CliRunner().invoke(app, ["profiles"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "5 profiles, valid" in r.output
    row = next(line for line in r.output.splitlines() if line.startswith("│ support-agent "))
    # S ~ U{8..17}: E[S] = 12.5, E[S(S-1)/2] = 76. Upload per task (1 KB overhead per request):
    # kb-search 2.5 KB + reason 12.5 x 7.2 KB + 700 B x 76 + crm-lookup 0.40 x 12.5 x 1.1 KB
    # + ticket-update 0.07 x 12.5 x 1.4 KB = 2.5 + 90 + 53.2 + 5.5 + 1.2 = 152 KB (tau-bench: ~154 KB).
    assert "152 KB" in row and "60 s" in row and "24x7" in row
    night = next(line for line in r.output.splitlines() if line.startswith("│ nightly-batch "))
    assert "01:00-05:00" in night
    # The dependency map: each call with its destination, class, timeout/retries and data rules.
    ticket = next(line for line in r.output.splitlines() if "ticket-update" in line)
    assert "crm-api (eu-west, private)" in ticket and "not idempotent" in ticket and "no-internet-breakout" in ticket
    upsert = next(line for line in r.output.splitlines() if "index-upsert" in line)
    assert "BULK-SYNC" in upsert and "task-end" in upsert


def test_model_hour_shows_the_nightly_batch_only_in_its_window(tmp_path: Path) -> None:
    inv = tmp_path / "lab.yaml"
    text = LAB.read_text().replace(
        "      - {profile: research-multi-agent, count: 6}\n",
        "      - {profile: research-multi-agent, count: 6}\n      - {profile: nightly-batch, count: 20}\n",
    )
    inv.write_text(text)
    (tmp_path / "profiles.yaml").write_text((LAB.parent / "profiles.yaml").read_text())
    day = CliRunner().invoke(app, ["model", str(inv), "--site", "br-lyon"], env={"COLUMNS": "200"})
    night = CliRunner().invoke(app, ["model", str(inv), "--site", "br-lyon", "--hour", "2"], env={"COLUMNS": "200"})
    assert day.exit_code == 0 and night.exit_code == 0, day.output + night.output
    assert "20 x nightly-batch (idle at this hour)" in day.output
    assert "02:00-03:00 local" in night.output and "(idle at this hour)" not in night.output

    def agentic_down_mean(out: str) -> float:
        line = next(x for x in out.splitlines() if x.startswith("│ 300 s") and "agentic" in x and " down " in x)
        return float(line.split("│")[4])

    # 20 agents fetching 400 KB documents all night: the downstream agentic mean jumps at 02:00,
    # while chat falls to 2 % of its busy-hour rate.
    assert agentic_down_mean(night.output) > agentic_down_mean(day.output) + 2.0
    bad = CliRunner().invoke(app, ["model", str(inv), "--hour", "24"])
    assert bad.exit_code == 2 and "less than or equal to 23" in bad.output


def test_profiles_names_field_and_line_of_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("profiles:\n  x:\n    kind: agentic\n    steps_per_task_min: 0\n")
    r = CliRunner().invoke(app, ["profiles", str(bad)])
    assert r.exit_code == 2
    assert "profiles.x.steps_per_task_min (line 4): Input should be greater than or equal to 1" in r.output


def test_fail_on_rejects_an_unknown_severity_before_anything_runs(tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["run", str(LAB), "--out", str(tmp_path / "o"), "--fail-on", "severe"])
    assert r.exit_code == 2 and "--fail-on: expected one of critical, high, medium, low, info, got 'severe'" in r.output
    assert not (tmp_path / "o").exists()


def test_schema_prints_the_json_schema_of_results_and_intent() -> None:
    import json

    r = CliRunner().invoke(app, ["schema", "results"])
    assert r.exit_code == 0
    doc = json.loads(r.output)
    assert doc["properties"]["schema_version"]["const"] == "3" and "LinkAssessment" in doc["$defs"]
    assert "flows" in doc["required"]
    r = CliRunner().invoke(app, ["schema", "intent"])
    assert r.exit_code == 0 and "FlowPolicy" in json.loads(r.output)["$defs"]
    assert CliRunner().invoke(app, ["schema", "report"]).exit_code == 2
