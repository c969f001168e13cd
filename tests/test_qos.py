"""Class sizing and the IOS-XE renderer: semantic checks that a golden file could not fake."""

from __future__ import annotations

import re

import jinja2
import pytest

from assess.classes import CLASSES, PRIORITY_MAX_PERCENT
from assess.errors import RenderError
from assess.intent import LinkIntent
from assess.qos import largest_remainder, size_classes
from assess.render import environment, render_device


@pytest.mark.parametrize(
    "values",
    [[33.3333, 33.3333, 33.3334], [12.5] * 8, [0.2, 0.3, 99.5], [4, 15, 15.4, 24.6, 6, 8, 26, 1]],
)
def test_largest_remainder_sums_to_100(values: list[float]) -> None:
    out = largest_remainder(values)
    assert sum(out) == 100
    assert min(out) >= 1
    if min(values) >= 1:  # no unit was moved to honour the minimum: each is v rounded down or up
        assert all(abs(o - v) < 1.0 for o, v in zip(out, values, strict=True))
    else:
        assert out == [1, 1, 98]


def test_largest_remainder_gives_units_to_largest_fractions() -> None:
    assert largest_remainder([10.6, 20.3, 69.1]) == [11, 20, 69]
    with pytest.raises(ValueError):
        largest_remainder([50, 49])


def _plan(demand: dict[str, float], up: int = 50_000_000, agentic: float = 1.0):  # type: ignore[no-untyped-def]
    return size_classes(
        link="l1",
        device="r1",
        interface="GigabitEthernet0/0/0",
        circuit_up_bps=up,
        agentic_fraction=agentic,
        demand_bps=demand,
    )


def test_starting_shares_without_demand() -> None:
    p = _plan({})
    assert [c.percent for c in p.classes] == [c.agentic_share for c in CLASSES]
    assert p.shaper_bps == 50_000_000
    assert not p.squeezed


def test_ai_class_grows_to_its_demand_and_best_effort_gives_way() -> None:
    # AI-AGENT needs 20 Mb/s of 50 = 40 %, above its 25 % starting share.
    p = _plan({"AI-AGENT": 20e6})
    assert p.share("AI-AGENT").percent == 40
    assert p.share("AI-AGENT").basis == "modelled demand"
    assert p.share("AI-AGENT").guarantee_bps >= 20e6
    assert sum(c.percent for c in p.classes) == 100
    assert p.share("BEST-EFFORT").percent < 26
    assert not p.squeezed


def test_link_too_small_is_squeezed_not_silent() -> None:
    p = _plan({"AI-AGENT": 45e6, "AI-INTERACTIVE": 10e6})
    assert p.squeezed
    assert p.required_percent > 100
    assert sum(c.percent for c in p.classes) == 100


def test_blend_between_generative_and_agentic_columns() -> None:
    gen = _plan({}, agentic=0.0)
    assert gen.share("AI-INTERACTIVE").percent == 25
    assert gen.share("AI-AGENT").percent == 10


def test_rejects_bad_plans() -> None:
    with pytest.raises(RenderError):
        _plan({"NOPE": 1.0})
    with pytest.raises(RenderError):
        _plan({}, up=0)


def _policy_blocks(cfg: str) -> dict[str, str]:
    blocks = {}
    for m in re.finditer(r"^policy-map (\S+)\n((?: .*\n)+)", cfg, flags=re.M):
        blocks[m.group(1)] = m.group(2)
    return blocks


def test_ios_xe_render_is_consistent() -> None:
    plans = [
        _plan({"AI-AGENT": 20e6}),
        size_classes(
            link="l2",
            device="r1",
            interface="GigabitEthernet0/0/1",
            circuit_up_bps=20_000_000,
            agentic_fraction=0.5,
            demand_bps={},
        ),
    ]
    cfg = render_device("ios", "r1", [LinkIntent.from_plan(p, "s", "ios", "mpls") for p in plans], "test")
    blocks = _policy_blocks(cfg)
    class_maps = set(re.findall(r"^class-map match-any (\S+)$", cfg, flags=re.M))
    assert "match dscp 1" in cfg  # LE has no keyword (RFC 8622)
    for child, circuit in (("AI-QOS-L1", 50_000_000), ("AI-QOS-L2", 20_000_000)):
        body = blocks[child]
        refs = re.findall(r"^ class (\S+)$", body, flags=re.M)
        assert set(refs) - {"class-default"} <= class_maps
        pcts = [int(x) for x in re.findall(r"(?:bandwidth percent|police cir percent) (\d+)", body)]
        assert sum(pcts) == 100
        assert "bandwidth remaining" not in body  # one denominator only
        prio = re.search(r" class REALTIME\n  priority level 1\n  police cir percent (\d+)\n", body)
        assert prio and int(prio.group(1)) <= PRIORITY_MAX_PERCENT
        assert "random-detect" not in body.split(" class REALTIME")[1].split(" class ")[0]
        parent = blocks[child.replace("AI-QOS", "WAN-SHAPE")]
        assert f"shape average {circuit}\n" in parent
        assert f"service-policy {child}" in parent
    assert "interface GigabitEthernet0/0/1\n service-policy output WAN-SHAPE-L2" in cfg


def test_strict_undefined_fails_loudly() -> None:
    tmpl = environment().from_string("bandwidth percent {{ missing }}")
    with pytest.raises(jinja2.UndefinedError):
        tmpl.render()
    with pytest.raises(RenderError, match="no QoS renderer for platform 'nxos_ssh'"):
        render_device("nxos_ssh", "r1", [], "test")
