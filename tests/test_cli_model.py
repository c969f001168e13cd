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
    assert "br-lyon: modelled AI load over the busy hour" in r.output
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
    r = CliRunner().invoke(app, ["profiles"], env={"COLUMNS": "160"})
    assert r.exit_code == 0, r.output
    assert "4 profiles, valid" in r.output
    row = next(line for line in r.output.splitlines() if "support-agent" in line)
    # S = 12.5 steps: 12.5 x 7,200 B + 700 B x 12.5 x 11.5 / 2 = 140 KB up per task (DOMAIN.md 1).
    assert "140 KB" in row and "60 s" in row


def test_profiles_names_field_and_line_of_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("profiles:\n  x:\n    kind: agentic\n    steps_per_task_min: 0\n")
    r = CliRunner().invoke(app, ["profiles", str(bad)])
    assert r.exit_code == 2
    assert "profiles.x.steps_per_task_min (line 4): Input should be greater than or equal to 1" in r.output
