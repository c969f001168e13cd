"""QoS queue drops: the TextFSM template on IOS-XE text, and drops per class over a window."""

from __future__ import annotations

from pathlib import Path

import textfsm

from assess.collect.collector import queue_drops
from assess.collect.models import DeviceCollection, QueueClassCounters, QueuePoll
from assess.resources import templates_dir

FIXTURE = Path(__file__).parent / "fixtures" / "policy_map" / "isr4331_two_policies.txt"
TEMPLATE = templates_dir() / "textfsm" / "cisco_ios_show_policy-map_interface.textfsm"


def _parse(text: str) -> list[dict[str, str]]:
    with TEMPLATE.open() as f:
        return textfsm.TextFSM(f).ParseTextToDicts(text)  # type: ignore[no-any-return]


def test_template_reads_every_class_of_nested_and_input_policies() -> None:
    rows = _parse(FIXTURE.read_text())
    got = [(r["INTERFACE"], r["DIRECTION"], r["POLICY"], r["CLASS"]) for r in rows]
    assert got == [
        ("GigabitEthernet0/0/0", "output", "SHAPE-50M", "class-default"),
        ("GigabitEthernet0/0/0", "output", "WAN-EDGE", "VOICE"),
        ("GigabitEthernet0/0/0", "output", "WAN-EDGE", "BUSINESS"),
        ("GigabitEthernet0/0/0", "output", "WAN-EDGE", "class-default"),
        ("GigabitEthernet0/0/1.100", "input", "MARK-IN", "AI-AGENT"),
        ("GigabitEthernet0/0/1.100", "input", "MARK-IN", "class-default"),
    ]
    by = {(r["POLICY"], r["CLASS"]): r for r in rows}
    # Parent totals are not mixed into the children, nor the priority block into VOICE.
    assert by[("SHAPE-50M", "class-default")]["TOTAL_DROPS"] == "91384"
    assert by[("WAN-EDGE", "VOICE")]["TOTAL_DROPS"] == "" and by[("WAN-EDGE", "VOICE")]["EXCEED_DROPS"] == "0"
    assert by[("WAN-EDGE", "BUSINESS")]["TOTAL_DROPS"] == "12877"
    assert by[("WAN-EDGE", "class-default")]["TOTAL_DROPS"] == "78507"
    assert by[("WAN-EDGE", "class-default")]["OFFERED_RATE_BPS"] == "9295000"
    assert by[("MARK-IN", "AI-AGENT")]["PACKETS"] == "901223" and by[("MARK-IN", "AI-AGENT")]["DROP_RATE_BPS"] == ""


def _poll(t: float, drops: dict[str, int | None], leaf: bool = True) -> QueuePoll:
    return QueuePoll(
        t_mono_s=t,
        classes=[
            QueueClassCounters(
                interface="GigabitEthernet0/0/0",
                direction="output",
                policy="WAN-EDGE",
                class_name=name,
                leaf=leaf,
                packets=1000 + int(t),
                drops=d,
                offered_rate_bps=None,
            )
            for name, d in drops.items()
        ],
    )


def _col(*polls: QueuePoll) -> DeviceCollection:
    return DeviceCollection(device="r1", site="s", driver="ios", status="ok", queue_polls=list(polls))


def test_drops_over_the_window_per_leaf_class() -> None:
    col = _col(
        _poll(100.0, {"BUSINESS": 10, "class-default": 500, "VOICE": None}),
        _poll(120.0, {"BUSINESS": 14, "class-default": 550, "VOICE": None}),
    )
    got = {c.class_name: (c.drops, c.drops_per_s, c.window_s) for c in queue_drops(col, "GigabitEthernet0/0/0") or []}
    assert got == {"BUSINESS": (4, 0.2, 20.0), "class-default": (50, 2.5, 20.0)}  # no counter: no figure


def test_cleared_counters_and_missing_evidence() -> None:
    cleared = _col(_poll(0.0, {"BUSINESS": 900}), _poll(10.0, {"BUSINESS": 3}))
    assert queue_drops(cleared, "GigabitEthernet0/0/0") == []  # went down: cleared, not negative
    assert queue_drops(_col(_poll(0.0, {"BUSINESS": 1})), "GigabitEthernet0/0/0") is None  # one reading
    assert queue_drops(_col(_poll(0.0, {"X": 1}), _poll(1.0, {"X": 2})), "GigabitEthernet0/0/9") is None
    parents_only = _col(_poll(0.0, {"class-default": 1}, leaf=False), _poll(1.0, {"class-default": 5}, leaf=False))
    assert queue_drops(parents_only, "GigabitEthernet0/0/0") is None
