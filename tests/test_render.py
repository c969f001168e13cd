"""QoS renderers from the intent: golden files per platform, and semantic checks a golden file
cannot fool, made on configs parsed by a maintained parser (ciscoconfparse2)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from ciscoconfparse2 import CiscoConfParse
from typer.testing import CliRunner

from assess.cli import app
from assess.errors import RenderError
from assess.intent import Intent, LinkIntent, load_intent
from assess.render import RENDERERS, render_device, render_files
from assess.sdwan import render_catalyst_cli, render_catalyst_json, render_fortios

FIXTURES = Path(__file__).parent / "fixtures" / "render"
#: case -> forced platform (None: each device's own)
CASES = {"lab-ios-xe": None, "lab-junos": "junos", "lab-eos": "eos"}
UPDATE = os.environ.get("ASSESS_UPDATE_GOLDENS") == "1"


@pytest.fixture(scope="module")
def intent() -> Intent:
    return load_intent(FIXTURES / "lab-intent.json")


def _rendered(intent: Intent, platform: str | None, tmp_path: Path) -> dict[str, str]:
    names = render_files(intent, tmp_path, ["qos"], platform)
    return {n: (tmp_path / n).read_text() for n in names}


@pytest.mark.parametrize("case", list(CASES))
def test_golden_files(case: str, intent: Intent, tmp_path: Path) -> None:
    got = _rendered(intent, CASES[case], tmp_path)
    folder = FIXTURES / case
    if UPDATE:
        folder.mkdir(exist_ok=True)
        for name, text in got.items():
            (folder / name).write_text(text)
    expected = {p.name: p.read_text() for p in folder.iterdir()}
    assert sorted(got) == sorted(expected)
    for name in got:
        assert got[name] == expected[name], f"{case}/{name} differs from the golden file"


def _link(intent: Intent, device: str, interface: str) -> LinkIntent:
    return next(lk for lk in intent.links if lk.device == device and lk.interface == interface)


def _children(obj: Any, pattern: str) -> list[Any]:
    return [c for c in obj.children if re.search(pattern, c.text)]


def test_ios_xe_semantics(intent: Intent, tmp_path: Path) -> None:
    for name, text in _rendered(intent, None, tmp_path).items():
        device = name.split(".")[0]
        cfg = CiscoConfParse(text.splitlines(), syntax="ios")
        class_maps = {o.text.split()[-1] for o in cfg.find_objects(r"^class-map ")}
        policies = {o.text.split()[-1]: o for o in cfg.find_objects(r"^policy-map ")}
        assert "SCAVENGER" in class_maps
        le = cfg.find_child_objects(r"^class-map match-any SCAVENGER$", r"match dscp")
        assert [o.text.strip() for o in le] == ["match dscp 1"]  # LE has no keyword (RFC 8622)
        for iface in cfg.find_objects(r"^interface "):
            (sp,) = _children(iface, r"service-policy output")
            parent = policies[sp.text.split()[-1]]  # the referenced parent policy exists
            (default,) = _children(parent, r"class class-default")
            (shape,) = _children(default, r"shape average")
            link = _link(intent, device, iface.text.split(maxsplit=1)[1])
            assert int(shape.text.split()[-1]) == link.shaper_bps  # the shaper is the circuit
            (child_ref,) = _children(default, r"service-policy")
            child = policies[child_ref.text.split()[-1]]
            total = 0
            for cls in _children(child, r"^ class "):
                cname = cls.text.split()[-1]
                assert cname == "class-default" or cname in class_maps  # every class referenced exists
                pct = [int(c.text.split()[-1]) for c in _children(cls, r"bandwidth percent|police cir percent")]
                assert len(pct) == 1
                total += pct[0]
                if _children(cls, r"priority"):
                    assert not _children(cls, r"random-detect"), f"{name}: WRED on priority"
                if cname == "SCAVENGER":
                    assert not _children(cls, r"random-detect"), f"{name}: WRED on scavenger"
                assert not _children(cls, r"bandwidth remaining")  # never mixed with bandwidth percent
            assert total == 100, f"{name} {child.text}: shares sum to {total}"


def test_junos_semantics(intent: Intent, tmp_path: Path) -> None:
    for name, text in _rendered(intent, "junos", tmp_path).items():
        device = name.split(".")[0]
        cfg = CiscoConfParse(text.splitlines(), syntax="junos")

        def section(path: str, cfg: Any = cfg) -> Any:
            (obj,) = [o for o in cfg.find_objects(rf"^\s*{path}$") if o.children]  # the block, not a reference
            return obj

        classes = {c.text.split()[1]: int(c.text.split()[-1]) for c in section("forwarding-classes").children}
        assert len(set(classes.values())) == len(classes) <= 8  # one queue per class
        schedulers = {c.text.strip(): c for c in section("schedulers").children}
        maps = {m.text.strip(): m for m in section("scheduler-maps").children}
        classifier = section("dscp AI-DSCP")
        for fc in classifier.children:
            assert fc.text.split()[-1] in classes
        (le,) = [fc for fc in classifier.children if fc.text.split()[-1] == "SCAVENGER"]
        assert "code-points [ 000001 ]" in le.children[0].text
        for iface in section("interfaces").children:
            if iface.text.strip().startswith("/*"):
                continue
            link = _link(intent, device, iface.text.strip())
            (smap_ref,) = _children(iface, r"scheduler-map")
            (shaping,) = _children(iface, r"shaping-rate")
            assert int(shaping.text.split()[-1]) == link.shaper_bps
            smap = maps[smap_ref.text.split()[-1]]
            total = 0
            for entry in smap.children:
                _, fc, _, sched = entry.text.split()
                assert fc in classes and sched in schedulers  # every reference exists
                s = schedulers[sched]
                rate = [c for c in s.children if c.text.strip().startswith("transmit-rate")][0]
                pct = re.search(r"percent (\d+)", " ".join([rate.text] + [c.text for c in rate.children]))
                assert pct is not None
                total += int(pct.group(1))
                if fc in ("REALTIME", "SCAVENGER"):
                    assert not _children(s, r"drop-profile-map"), f"{name}: WRED on {fc}"
                if fc == "REALTIME":
                    assert _children(s, r"priority strict-high") and _children(rate, r"rate-limit")
            assert total == 100


def test_eos_semantics(intent: Intent, tmp_path: Path) -> None:
    queues = RENDERERS["eos"].queues
    for name, text in _rendered(intent, "eos", tmp_path).items():
        device = name.split(".")[0]
        cfg = CiscoConfParse(text.splitlines(), syntax="ios")
        profiles = {o.text.split()[-1]: o for o in cfg.find_objects(r"^qos profile ")}
        mapped = {}
        for m in cfg.find_objects(r"^qos map dscp "):
            points, tc = m.text.removeprefix("qos map dscp ").split(" to traffic-class ")
            for p in points.split():
                mapped[int(p)] = int(tc)
        assert mapped[46] == queues["REALTIME"] == 7 and mapped[1] == queues["SCAVENGER"]
        for iface in cfg.find_objects(r"^interface "):
            link = _link(intent, device, iface.text.split(maxsplit=1)[1])
            (shape,) = _children(iface, r"shape rate")
            assert int(shape.text.split()[-1]) * 1000 == link.shaper_bps
            (ref,) = _children(iface, r"service-profile")
            prof = profiles[ref.text.split()[-1]]
            txq = [(int(q.text.split()[-1]), q) for q in _children(prof, r"tx-queue")]
            strict = [n for n, q in txq if _children(q, r"^\s+priority strict")]
            assert strict == [max(n for n, _ in txq)]  # strict priority only on the highest queue
            total = sum(int(re.findall(r"\d+", c.text)[0]) for _, q in txq for c in _children(q, r"percent"))
            assert total == 100


def _modified(intent: Intent, **changes: Any) -> list[LinkIntent]:
    lk = intent.links[0]
    return [lk.model_copy(update=changes)]


def test_platform_limits_name_platform_and_feature(intent: Intent) -> None:
    lk = intent.links[0]
    wred = [c for c in lk.classes if c.aqm == "wred"]
    assert wred  # the IOS-XE intent asks for WRED on the AF classes
    with pytest.raises(RenderError, match=r"device d: platform eos: link hq-mpls: feature 'wred' \(classes AI-"):
        render_device("eos", "d", [lk], "inv")
    nine = lk.classes + [lk.classes[2].model_copy(update={"name": "EXTRA", "percent": 0})]
    nine[-1] = nine[-1].model_copy(update={"percent": 1})
    nine[0] = nine[0].model_copy(update={"percent": nine[0].percent - 1})
    with pytest.raises(RenderError, match="platform junos: link hq-mpls: 9 classes but 8 queues per port"):
        render_device("junos", "d", _modified(intent, classes=nine), "inv")
    two_prio = [c.model_copy(update={"treatment": "priority"}) if c.name == "NET-CONTROL" else c for c in lk.classes]
    with pytest.raises(RenderError, match="platform junos: link hq-mpls: 2 priority classes, the platform supports 1"):
        render_device("junos", "d", _modified(intent, classes=two_prio), "inv")
    off = [c.model_copy(update={"percent": c.percent + 1}) if c.name == "BEST-EFFORT" else c for c in lk.classes]
    with pytest.raises(RenderError, match="shares sum to 101, not 100"):
        render_device("ios", "d", _modified(intent, classes=off), "inv")
    with pytest.raises(RenderError, match="no QoS renderer for platform 'iosxr'"):
        render_device("iosxr", "d", [lk], "inv")


def test_cli_render_writes_intent_and_configs_and_refuses_bad_input(tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["render", str(FIXTURES / "lab-intent.json"), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert {p.name for p in out.iterdir()} >= {"intent.yaml", "intent.json", "hq-rtr1.ios-xe.cfg"}
    assert load_intent(out / "intent.yaml") == load_intent(out / "intent.json")  # the same intent, two formats
    r = CliRunner().invoke(app, ["render", str(FIXTURES / "lab-intent.json"), "--out", str(out), "-f", "pdf"])
    assert r.exit_code == 2 and "unknown format pdf" in r.output
    bad = tmp_path / "bad.yaml"
    bad.write_text((out / "intent.yaml").read_text().replace("shaper_bps: 500000000", "shaper_bps: fast", 1))
    r = CliRunner().invoke(app, ["render", str(bad), "--out", str(tmp_path / "x")])
    assert r.exit_code == 2 and "links[0].shaper_bps (line" in r.output
    assert not (tmp_path / "x").exists()  # nothing written


def test_sdwan_golden_files(intent: Intent, tmp_path: Path) -> None:
    got = {n: (tmp_path / n).read_text() for n in render_files(intent, tmp_path, ["catalyst-sdwan", "fortios"])}
    folder = FIXTURES / "lab-sdwan"
    if UPDATE:
        folder.mkdir(exist_ok=True)
        for name, text in got.items():
            (folder / name).write_text(text)
    assert got == {p.name: p.read_text() for p in folder.iterdir()}


def test_catalyst_sdwan_semantics(intent: Intent) -> None:
    cli = render_catalyst_cli(intent)
    cfg = CiscoConfParse(cli.splitlines(), syntax="ios")
    sla = {o.text.split()[-1]: o for o in cfg.find_objects(r"^ sla-class ")}
    for name, obj in sla.items():
        ref = next(s for s in intent.sla_classes if s.name == name)
        assert {c.text.split()[0]: int(c.text.split()[1]) for c in obj.children} == {
            "latency": ref.latency_ms,
            "loss": ref.loss_percent,
            "jitter": ref.jitter_ms,
        }
    defined = {o.text.split()[-1] for o in cfg.find_objects(r"^ (app-route-policy|data-policy) ")}
    site_lists = {o.text.split()[-1]: int(o.children[0].text.split()[-1]) for o in cfg.find_objects(r"^  site-list ")}
    assert site_lists == {"SITE-HQ-LONDON": 100, "SITE-BR-MANCHESTER": 200, "SITE-BR-LYON": 300}
    for applied in cfg.find_objects(r"^ site-list "):
        assert applied.text.split()[-1] in site_lists
        for ref in applied.children:
            assert ref.text.split()[1] in defined  # every applied policy exists
    for action in cfg.find_objects(r"sla-class \S+ preferred-color"):
        assert action.text.split()[1] in sla  # every SLA class used is defined
    # no-internet-breakout classes (AI-AGENT 18/20/22 carries CRM calls) stay on private colours
    restricted = [o for o in cfg.find_objects(r"^ data-policy ")]
    assert restricted
    colours = {lk.color for lk in intent.links if lk.private}
    for o in cfg.find_objects(r"^\s+color "):
        assert set(o.text.split()[1:]) <= colours
    text = " ".join(cli.split())
    assert "match dscp 18 20 22 ! action accept set local-tloc-list color mpls restrict" in text
    doc = json.loads(render_catalyst_json(intent))
    names = {s["name"] for s in doc["slaClassLists"]}
    for d in doc["appRouteDefinitions"]:
        for q in d["sequences"]:
            assert q["actions"][0]["parameter"][0]["ref"] in names


def test_no_private_link_means_drop_and_missing_settings_are_named(intent: Intent) -> None:
    # br-manchester's no-breakout class with no private link left: dropped, never steered elsewhere
    flows = [
        f.model_copy(update={"allowed_links": [], "action": "drop"})
        if f.site == "br-manchester" and not f.internet_breakout
        else f
        for f in intent.flows
    ]
    no_private = intent.model_copy(update={"flows": flows})
    text = " ".join(render_catalyst_cli(no_private).split())
    branch = text.split("data-policy AI-DATA-BR-MANCHESTER")[1].split("default-action")[0]
    assert "action drop" in branch and "local-tloc-list" not in branch
    app = text.split("app-route-policy AI-APP-ROUTE-BR-MANCHESTER")[1].split("data-policy")[0]
    assert "dscp 18 20 22" not in app  # not steered to any colour either
    with pytest.raises(RenderError, match=r"platform catalyst-sdwan: needs the service VPN \(sdwan.service_vpn"):
        render_catalyst_cli(intent.model_copy(update={"sdwan": None}))
    nosite = intent.model_copy(update={"flows": [f.model_copy(update={"site_id": None}) for f in intent.flows]})
    with pytest.raises(RenderError, match="sites without sdwan_site_id: br-lyon, br-manchester, hq-london"):
        render_catalyst_cli(nosite)
    with pytest.raises(RenderError, match=r"platform fortios: health checks need a probe address"):
        render_fortios(intent.model_copy(update={"sdwan": None}), "br-manchester")
    with pytest.raises(RenderError, match="links hq-mpls and hq-dia are both on interface GigabitEthernet0/0/0"):
        render_fortios(intent, "hq-london")


def test_fortios_semantics(intent: Intent) -> None:
    text = render_fortios(intent, "br-manchester")
    members = {int(m) for m in re.findall(r"edit (\d+)\n\s+set interface", text)}
    assert members == {1, 2}
    checks = set(re.findall(r'edit "(HC-[^"]+)"\n\s+set server', text))
    rules = re.split(r"\n        edit \d+\n", text.split("config service")[1])[1:]
    assert len(rules) == 7  # one per DSCP: AF31/32/33, AF21/22/23 and CS2 (no BULK-SYNC at this site)
    for rule in rules:
        tos = int(re.search(r"set tos (0x[0-9a-f]+)", rule).group(1), 16)  # type: ignore[union-attr]
        name = re.search(r'set name "(\S+)-(\d+)"', rule)
        assert name and tos == int(name.group(2)) << 2  # ToS byte = DSCP << 2
        assert "set tos-mask 0xfc" in rule
        assert re.search(r'config sla\n\s+edit "(\S+)"', rule).group(1) in checks  # type: ignore[union-attr]
        prio = {int(x) for x in re.search(r"set priority-members ([\d ]+)", rule).group(1).split()}  # type: ignore[union-attr]
        assert prio <= members
        if name.group(1) == "AI-AGENT":  # CRM calls may not break out: MPLS (member 1) only
            assert prio == {1}
