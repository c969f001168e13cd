"""assess apply: plans, diffs and commits against lab routers that keep a running configuration,
including a router that rejects a line, one that drops the session mid-change, drift, the
idempotent re-run, waves with a stop, and the audit log."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assess.apply import Plan, parse_blocks, plan_commands, plan_device, waves
from assess.cli import app
from assess.inventory import load_inventory
from assess.lab import Lab, load_lab_traffic

ROOT = Path(__file__).resolve().parents[1]
LAB = ROOT / "inventories" / "lab.yaml"
CONFIGS = ROOT / "tests" / "fixtures" / "render" / "lab-ios-xe"
SECRET = "apply-Lab-pw-4e1b"


# -- planning, no device -------------------------------------------------------------------------

RUNNING = """Building configuration...
!
hostname r1
!
class-map match-any AI-AGENT
 match dscp af21
!
policy-map AI-QOS-L1
 class AI-AGENT
  bandwidth percent 30
 class AI-INTERACTIVE
  bandwidth percent 10
!
policy-map OLD
 class class-default
  shape average 1000
!
interface Gi0/0/0
 description WAN
 service-policy output OLD
!
end
"""

CANDIDATE = """class-map match-any AI-AGENT
 match dscp af21 af22 af23
policy-map AI-QOS-L1
 class AI-AGENT
  bandwidth percent 20
 class AI-INTERACTIVE
  bandwidth percent 20
policy-map WAN-SHAPE-L1
 class class-default
  shape average 50000000
  service-policy AI-QOS-L1
interface Gi0/0/0
 service-policy output WAN-SHAPE-L1
"""


def test_plan_touches_only_its_blocks_and_orders_safely() -> None:
    dp = plan_device("r1", "r1.ios-xe.cfg", RUNNING, CANDIDATE)
    cmds = dp.commands
    # other blocks (policy-map OLD, the description) are never touched
    assert not any("OLD" in c and c.startswith("no") for c in cmds) and not any("description" in c for c in cmds)
    # a changed setting replaces the old value without a "no"; a new match line is added
    assert " match dscp af21 af22 af23" in cmds and " no match dscp af21" in cmds
    # decreases before increases: the child total never passes 100 % mid-change
    assert cmds.index("  bandwidth percent 20") < len(cmds)
    i_agent, i_inter = cmds.index(" class AI-AGENT"), cmds.index(" class AI-INTERACTIVE")
    assert i_agent < i_inter  # AI-AGENT goes 30 -> 20 (shrinks) before AI-INTERACTIVE 10 -> 20
    # the shaper is swapped in one command, never removed first; and attached after it exists
    assert " service-policy output WAN-SHAPE-L1" in cmds and " no service-policy output OLD" not in cmds
    assert cmds.index("policy-map WAN-SHAPE-L1") < cmds.index("interface Gi0/0/0")
    # the rollback restores exactly the blocks as they were
    before = parse_blocks("\n".join(dp.before))
    assert " service-policy output OLD" in dp.rollback and "no policy-map WAN-SHAPE-L1" in dp.rollback
    assert dp.rollback.index(" service-policy output OLD") < dp.rollback.index("no policy-map WAN-SHAPE-L1")
    assert plan_commands(before, before) == [] and plan_commands(parse_blocks(CANDIDATE), parse_blocks(CANDIDATE)) == []
    assert "+ service-policy output WAN-SHAPE-L1" in dp.diff and "- service-policy output OLD" in dp.diff


def test_drift_digest_ignores_lines_the_router_rewrites_by_itself() -> None:
    from assess.apply import running_digest

    later = RUNNING.replace(
        "Building configuration...", "Building configuration...\n! Last configuration change at 16:05"
    )
    later += "ntp clock-period 17179869\n"
    assert running_digest(later) == running_digest(RUNNING)
    assert running_digest(RUNNING.replace("bandwidth percent 30", "bandwidth percent 31")) != running_digest(RUNNING)


def test_waves_canary_first() -> None:
    assert waves(["a", "b", "c", "d", "e", "f"], 2) == [["a"], ["b", "c"], ["d", "e"], ["f"]]
    assert waves([], 3) == []


# -- against lab routers -------------------------------------------------------------------------


@pytest.fixture()
def lab(monkeypatch: pytest.MonkeyPatch) -> Iterator[Lab]:
    monkeypatch.setenv("ASSESS_LAB_PASSWORD", SECRET)
    monkeypatch.setenv("ASSESS_CHANGE_USER", "ci-pipeline")
    loaded = load_inventory(LAB)
    traffic = load_lab_traffic(ROOT / "inventories" / "lab-traffic.yaml").model_copy(update={"input_pacing_s": 0.0})
    with Lab(loaded, traffic) as running:
        yield running


def _configs(tmp_path: Path) -> Path:
    d = tmp_path / "configs"
    shutil.copytree(CONFIGS, d)
    return d


def _summary(out: str, result: str) -> int:
    """Devices with ``result`` in the final summary (not the progress lines on stderr)."""
    return len(re.findall(rf"^  \S+\s{{2,}}{re.escape(result)}", out, flags=re.M))


def _apply(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(app, ["apply", *args, "--inventory", str(LAB)])
    return r.exit_code, r.output


@pytest.mark.lab
def test_dry_run_commit_and_idempotent_rerun(lab: Lab, tmp_path: Path) -> None:
    configs = _configs(tmp_path)
    plan = tmp_path / "plan.json"
    before = lab.running_config("br1-rtr1").running_config()
    code, out = _apply(str(configs), "--plan", str(plan))
    assert code == 0, out
    assert lab.running_config("br1-rtr1").running_config() == before  # a dry run changes nothing
    assert "== br1-rtr1:" in out and "+policy-map AI-QOS-BR1-MPLS" in out
    # br1-rtr1 already runs a hand-made shaper: swapped in one command, never removed first
    assert "- service-policy output WAN-SHAPE" in out and "+ service-policy output WAN-SHAPE-BR1-MPLS" in out
    doc = json.loads(plan.read_text())
    assert (
        len(doc["devices"]) == 5
        and doc["plan_sha256"] == Plan.model_validate({k: v for k, v in doc.items() if k != "plan_sha256"}).plan_sha256
    )
    assert SECRET not in plan.read_text() and SECRET not in out

    code, out = _apply(str(configs), "--commit", "--plan", str(plan), "--audit", str(tmp_path / "audit.jsonl"))
    assert code == 0, out
    assert _summary(out, "applied") == 5
    cfg = lab.running_config("br1-rtr1").running_config()
    assert "interface GigabitEthernet0/0/0\n description" in cfg
    assert " service-policy output WAN-SHAPE-BR1-MPLS" in cfg and " service-policy output WAN-SHAPE\n" not in cfg
    assert "policy-map WAN-QOS" in cfg  # the old policy is left alone (not ours to remove)
    records = [json.loads(x) for x in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert [r["phase"] for r in records] == ["start", "end"] * 5
    assert {r["who"] for r in records} == {"ci-pipeline"} and all(
        r["plan_sha256"] == doc["plan_sha256"] for r in records
    )
    assert all(r["result"] == "applied" for r in records if r["phase"] == "end")

    # the same plan again: every device already as generated, nothing sent
    code, out = _apply(str(configs), "--commit", "--plan", str(plan), "--audit", str(tmp_path / "audit.jsonl"))
    assert code == 0 and _summary(out, "no-op") == 5, out
    # and a fresh dry run finds nothing to change
    code, out = _apply(str(configs), "--plan", str(tmp_path / "plan2.json"))
    assert code == 0 and out.count("no change") == 5


@pytest.mark.lab
def test_rejected_line_and_dropped_session_roll_back_others_go_on(lab: Lab, tmp_path: Path) -> None:
    configs = _configs(tmp_path)
    plan = tmp_path / "plan.json"
    assert _apply(str(configs), "--plan", str(plan))[0] == 0
    originals = {d: lab.running_config(d).running_config() for d in ("hq-rtr2", "br2-rtr1")}
    lab.running_config("hq-rtr2").reject = [re.compile(r"^random-detect")]  # this router refuses WRED
    lab.running_config("br2-rtr1").drop_after_lines = 12  # the session drops mid-change
    code, out = _apply(
        str(configs), "--commit", "--plan", str(plan), "--max-failures", "5", "--audit", str(tmp_path / "a.jsonl")
    )
    assert code == 5, out
    assert re.search(r"hq-rtr2\s+failed, rolled back: random-detect dscp-based: % Invalid input", out)
    assert re.search(r"br2-rtr1\s+failed, rolled back: session lost mid-change", out)
    for d, text in originals.items():  # exactly as before the change
        assert parse_blocks(lab.running_config(d).running_config()) == parse_blocks(text)
    assert _summary(out, "applied") == 3  # the others were changed
    ends = [json.loads(x) for x in (tmp_path / "a.jsonl").read_text().splitlines() if '"end"' in x]
    assert sorted(r["result"] for r in ends).count("failed, rolled back") == 2


@pytest.mark.lab
def test_drift_refused_canary_failure_stops_the_rollout(lab: Lab, tmp_path: Path) -> None:
    configs = _configs(tmp_path)
    plan = tmp_path / "plan.json"
    assert _apply(str(configs), "--plan", str(plan))[0] == 0
    first = json.loads(plan.read_text())["devices"][0]["device"]
    # someone changes the canary by hand after the plan was reviewed
    lab.running_config(first).load(["interface GigabitEthernet0/0/0", " description changed by hand"])
    code, out = _apply(str(configs), "--commit", "--plan", str(plan), "--audit", str(tmp_path / "a.jsonl"))
    assert code == 6, out
    assert re.search(rf"{first}\s+drifted", out) and _summary(out, "skipped: rollout stopped after failures") == 4
    # a plan edited after review is refused outright
    doc = json.loads(plan.read_text())
    doc["devices"][1]["commands"].append("no ip routing")
    plan.write_text(json.dumps(doc))
    code, out = _apply(str(configs), "--commit", "--plan", str(plan))
    assert code == 2 and "altered after it was made" in out
    # --commit without a plan is refused
    code, out = _apply(str(configs), "--commit")
    assert code == 2 and "--commit needs --plan" in out
