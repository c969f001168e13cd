"""apply through NAPALM with commit confirmed (Junos, EOS): the call sequence of a confirmed
commit, the post-check that rolls back, the no-op re-run and drift, on an in-memory stand-in for
a NAPALM driver (unit tests: no Junos or EOS router with candidate configs runs in this lab)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assess.apply import REVERT_IN_S, Audit, NapalmSession, commit, dry_run
from assess.inventory import Device, LoadedInventory, load_inventory

GOLDEN = Path(__file__).parent / "fixtures" / "render" / "lab-junos" / "hq-rtr1.junos.conf"


class FakeDriver:
    """Candidate/running configuration like a Junos or EOS NAPALM driver; records its calls."""

    def __init__(self, running: str, *, post_check_fails: bool = False, refuse_commit: bool = False) -> None:
        self.running = running
        self.previous: str | None = None
        self.candidate: str | None = None
        self.pending_revert: int | None = None
        self.post_check_fails = post_check_fails
        self.refuse_commit = refuse_commit
        self.calls: list[str] = []

    def get_config(self, retrieve: str = "all") -> dict[str, str]:
        return {"running": self.running, "candidate": "", "startup": ""}

    def load_merge_candidate(self, config: str | None = None, filename: str | None = None) -> None:
        self.calls.append("load_merge_candidate")
        self.candidate = config

    def compare_config(self) -> str:
        self.calls.append("compare_config")
        assert self.candidate is not None
        missing = [ln for ln in self.candidate.splitlines() if ln.strip() and ln not in self.running.splitlines()]
        return "\n".join(f"+ {ln}" for ln in missing)

    def discard_config(self) -> None:
        self.calls.append("discard_config")
        self.candidate = None

    def commit_config(self, message: str = "", revert_in: int | None = None) -> None:
        self.calls.append(f"commit_config(revert_in={revert_in})")
        if self.refuse_commit:
            raise RuntimeError("error: configuration check-out failed")
        assert self.candidate is not None
        self.previous, self.pending_revert = self.running, revert_in
        lines = self.candidate.splitlines()
        if self.post_check_fails:  # the commit lands only in part
            lines = lines[: len(lines) // 2]
        self.running = self.running + "\n" + "\n".join(lines)
        self.candidate = None

    def confirm_commit(self) -> None:
        self.calls.append("confirm_commit")
        self.pending_revert = None

    def rollback(self) -> None:
        self.calls.append("rollback")
        assert self.previous is not None
        self.running, self.pending_revert = self.previous, None

    def is_alive(self) -> dict[str, bool]:
        return {"is_alive": True}

    def close(self) -> None:
        pass


@pytest.fixture()
def estate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[LoadedInventory, Path]:
    monkeypatch.setenv("NAPALM_TEST_PW", "not-used-by-the-fake")
    inv = tmp_path / "inv.yaml"
    inv.write_text(
        "name: t\nsites: [{name: s1}]\n"
        "devices:\n"
        "  - {name: j1, site: s1, driver: junos, host: 192.0.2.1, username: u, password: env:NAPALM_TEST_PW}\n"
        "  - {name: j2, site: s1, driver: junos, host: 192.0.2.2, username: u, password: env:NAPALM_TEST_PW}\n"
        "links:\n"
        "  - {name: l1, device: j1, interface: ge-0/0/0, transport: mpls,"
        " circuit_down_bps: 1000000, circuit_up_bps: 1000000}\n"
    )
    (tmp_path / "profiles.yaml").write_text((Path(__file__).parents[1] / "inventories" / "profiles.yaml").read_text())
    configs = tmp_path / "configs"
    configs.mkdir()
    for d in ("j1", "j2"):
        (configs / f"{d}.junos.conf").write_text(GOLDEN.read_text())
    return load_inventory(inv), configs


def _connector(drivers: dict[str, FakeDriver]) -> Any:
    def connect(dev: Device) -> NapalmSession:
        return NapalmSession(drivers[dev.name])

    return connect


def test_commit_confirmed_sequence_noop_rerun(estate: tuple[LoadedInventory, Path], tmp_path: Path) -> None:
    loaded, configs = estate
    drivers = {d: FakeDriver(f"system {{ host-name {d}; }}") for d in ("j1", "j2")}
    plan = dry_run(loaded, configs, _connector(drivers))
    assert [len(d.commands) > 0 for d in plan.devices] == [True, True]
    assert "+ class-of-service {" in plan.devices[0].diff
    assert all(d.running == f"system {{ host-name {n}; }}" for n, d in drivers.items())  # nothing committed
    assert drivers["j1"].calls == ["load_merge_candidate", "compare_config", "discard_config"]

    audit = Audit(tmp_path / "audit.jsonl")
    for d in drivers.values():
        d.calls.clear()
    outcomes, stopped = commit(loaded, plan, _connector(drivers), audit)
    assert not stopped and [o.result for o in outcomes] == ["applied", "applied"]
    # merge + commit with a timer, post-check (a fresh merge shows no difference), then confirm
    assert drivers["j1"].calls[-6:] == [
        "load_merge_candidate",
        f"commit_config(revert_in={REVERT_IN_S})",
        "load_merge_candidate",
        "compare_config",
        "discard_config",
        "confirm_commit",
    ]
    assert drivers["j1"].pending_revert is None
    again, _ = commit(loaded, plan, _connector(drivers), audit)
    assert [o.result for o in again] == ["no-op", "no-op"]


def test_failed_post_check_rolls_back_and_refused_commit_changes_nothing(
    estate: tuple[LoadedInventory, Path], tmp_path: Path
) -> None:
    loaded, configs = estate
    drivers = {
        "j1": FakeDriver("system { host-name j1; }", post_check_fails=True),
        "j2": FakeDriver("system { host-name j2; }", refuse_commit=True),
    }
    plan = dry_run(loaded, configs, _connector(drivers))
    outcomes, stopped = commit(loaded, plan, _connector(drivers), Audit(tmp_path / "a.jsonl"), max_failures=5)
    by = {o.device: o for o in outcomes}
    assert by["j1"].result == "failed, rolled back" and "post-check" in by["j1"].detail
    assert "rollback" in drivers["j1"].calls and "confirm_commit" not in drivers["j1"].calls
    assert drivers["j1"].running == "system { host-name j1; }"
    assert by["j2"].result == "failed, rolled back" and "commit refused" in by["j2"].detail
    assert drivers["j2"].running == "system { host-name j2; }"
    # drift: the device changed after the plan
    drivers = {d: FakeDriver(f"system {{ host-name {d}; }}") for d in ("j1", "j2")}
    plan = dry_run(loaded, configs, _connector(drivers))
    drivers["j1"].running += "\nsnmp { community x; }"
    outcomes, stopped = commit(loaded, plan, _connector(drivers), Audit(tmp_path / "b.jsonl"))
    assert outcomes[0].result == "drifted" and stopped
