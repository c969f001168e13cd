"""Apply generated configs as a change pipeline would (DOMAIN.md section 6).

Dry run first, always: per device, fetch the running configuration, compare the blocks the
generated config touches (its ``class-map``, ``policy-map`` and ``interface`` blocks; nothing
else on the router is looked at or removed) and write a **plan**: the commands that turn the
running blocks into the generated ones, the commands that turn them back (rollback), a diff for
people, and the SHA-256 of the running configuration it was made from.

``commit`` applies exactly a plan: it refuses a device whose running configuration changed since
the plan (drift), skips one that already matches (a second apply is a no-op), sends the
commands, scans the output for ``%`` error lines (NAPALM misses some IOS errors, napalm #1481),
checks afterwards that nothing is left to change, and on any failure (an error line, a dropped
session) reconnects and puts the touched blocks back as they were. IOS has no commit-confirmed
timer over the CLI, so rollback is by re-planning back to the recorded blocks. Shapers are
modified in place (same policy names) and never removed before their replacement exists;
within a policy, bandwidth decreases are sent before increases, so the total never passes
100 % mid-change. Devices go in waves, the first device alone (canary); the rollout stops after
``max_failures`` failed devices. Each device change appends two JSON Lines audit records (who,
when, device, plan hash, diff hash, result): one before the change, one after.

Platforms: IOS-XE over netmiko (``cisco_ios``; NAPALM's ``load_merge_candidate`` needs SCP to the
router's flash), as above. Junos and Arista EOS through NAPALM, which has candidate
configurations and a commit-confirmed timer there: the dry run is ``load_merge_candidate`` +
``compare_config`` (the device's own diff) + ``discard_config``; the commit is
``commit_config(revert_in=REVERT_IN_S)``, a post-check (the device still answers and a fresh
merge of the same config shows no difference), then ``confirm_commit``; a failed post-check
calls ``rollback`` (and the device would revert by itself when the timer runs out). Other
platforms are refused by name.
"""

from __future__ import annotations

import contextlib
import difflib
import getpass
import hashlib
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from assess.errors import ApplyError
from assess.inventory import Device, LoadedInventory

PLAN_VERSION = "1"
#: A line the router printed that means it refused a command (IOS: ``% Invalid input ...``).
ERROR_LINE = re.compile(r"^\s*%", re.M)
#: Platforms ``apply`` can change: how (netmiko device type, or ``napalm`` with commit confirmed)
#: and the generated config's file suffix.
APPLY_PLATFORMS: dict[str, tuple[str, str]] = {
    "ios": ("cisco_ios", ".ios-xe.cfg"),
    "junos": ("napalm", ".junos.conf"),
    "eos": ("napalm", ".eos.cfg"),
}
#: Seconds a confirmed commit waits for ``confirm_commit`` before the device reverts it
#: (assumption: five minutes covers the post-checks; Junos ``commit confirmed`` counts minutes).
REVERT_IN_S = 300

# -- IOS configuration as blocks --------------------------------------------------------------

Tree = dict[str, "Tree"]


def parse_blocks(text: str) -> Tree:
    """IOS configuration text as a tree of lines by indentation (``!``, ``end`` and the
    ``Building configuration`` preamble dropped). Children keep their order (dicts are ordered)."""
    root: Tree = {}
    stack: list[tuple[int, Tree]] = [(-1, root)]
    for raw in text.splitlines():
        if not raw.strip() or raw.strip().startswith("!") or raw.strip() == "end":
            continue
        if raw.startswith(("Building configuration", "Current configuration")):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        while stack[-1][0] >= indent:
            stack.pop()
        node: Tree = {}
        stack[-1][1][raw.strip()] = node
        stack.append((indent, node))
    return root


def _scope(running: Tree, candidate: Tree) -> Tree:
    """The part of ``running`` the candidate is about: its blocks with the same headers; of an
    interface, only the lines the candidate sets there (``service-policy``)."""
    out: Tree = {}
    for header, children in candidate.items():
        if header not in running:
            continue
        if header.startswith("interface "):
            kinds = {" ".join(c.split()[:2]) for c in children}
            out[header] = {c: v for c, v in running[header].items() if " ".join(c.split()[:2]) in kinds}
        else:
            out[header] = running[header]
    return out


def _merge(a: Tree, b: Tree) -> Tree:
    """The union of two trees (children merged recursively): a scope covering both."""
    out: Tree = {k: dict(v) for k, v in a.items()}
    for k, v in b.items():
        out[k] = _merge(out.get(k, {}), v)
    return out


def _bandwidth(line: str) -> int | None:
    m = re.fullmatch(r"(?:bandwidth percent|police cir percent) (\d+)", line)
    return int(m.group(1)) if m else None


def _stem(line: str) -> str:
    """What a setting sets: ``bandwidth percent 20`` -> ``bandwidth percent``, ``service-policy
    output X`` -> ``service-policy output``: a new value replaces the old without a ``no``, so an
    interface's shaper is swapped in one command and never removed first."""
    words = line.split()
    if words[:1] == ["service-policy"] and len(words) == 3:
        return " ".join(words[:2])  # one policy per direction: attaching another replaces it
    return " ".join(words[:-1]) if len(words) > 1 and words[-1].isdigit() else line


def _child_commands(have: Tree, want: Tree) -> list[str]:
    """Commands inside one block (its mode already entered) turning ``have`` into ``want``."""
    cmds: list[str] = []
    for line, sub in have.items():
        if line not in want and not sub and _stem(line) not in {_stem(w) for w in want}:
            cmds.append(f"no {line}")
        elif line not in want and sub:
            cmds.append(f"no {line}")  # a policy-map class no longer wanted
    # decreases first so a total never passes 100 % mid-change
    nested: list[tuple[int, str, list[str]]] = []
    for line, sub in want.items():
        if sub or line.startswith("class "):
            inner = _child_commands(have.get(line, {}), sub)
            if line not in have or inner:
                grow = sum((_bandwidth(c) or 0) for c in inner) - sum((_bandwidth(c) or 0) for c in have.get(line, {}))
                nested.append((grow, line, inner))
        elif line not in have:
            cmds.append(line)
    for _grow, line, inner in sorted(nested, key=lambda t: t[0]):
        cmds.append(line)
        cmds += [f" {c}" for c in inner]
    return cmds


def plan_commands(running: Tree, target: Tree) -> list[str]:
    """Configuration commands turning the ``running`` blocks into ``target`` (both trees of the
    blocks in scope), in an order a router accepts: first class-maps and policy-maps created or
    changed (in ``target``'s order: classes before the policies using them, child policies
    before parents), then interfaces (attach or detach), then blocks no longer wanted removed,
    policies before class-maps and, among policies, the latest first (a parent before the
    child it references)."""
    cmds: list[str] = []
    blocks = [h for h in target if not h.startswith("interface ")]
    interfaces = [h for h in target if h.startswith("interface ")]
    for header in blocks + interfaces:
        inner = _child_commands(running.get(header, {}), target[header])
        if header not in running or inner:
            cmds.append(header)
            cmds += [f" {c}" for c in inner]
    removed = [h for h in running if h not in target]
    for header in [h for h in removed if h.startswith("interface ")]:
        cmds.append(header)
        cmds += [f" no {c}" for c in running[header]]
    policies = [h for h in removed if h.startswith("policy-map ")]
    others = [h for h in removed if not h.startswith(("interface ", "policy-map "))]
    cmds += [f"no {h}" for h in reversed(policies)] + [f"no {h}" for h in others]
    return cmds


def render_tree(tree: Tree, indent: int = 0) -> list[str]:
    out = []
    for line, sub in tree.items():
        out.append(" " * indent + line)
        out += render_tree(sub, indent + 1)
    return out


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: Lines of a running configuration that change without anyone changing the configuration
#: (IOS: the size and time-stamp comments, ``ntp clock-period`` the router rewrites as it
#: disciplines its clock; Junos: ``## Last changed``): left out of the drift digest.
_VOLATILE = re.compile(r"^\s*(!|#|Building configuration|Current configuration|ntp clock-period)")


def running_digest(text: str) -> str:
    """SHA-256 of a running configuration without its volatile lines (``_VOLATILE``): equal
    digests mean nobody changed the configuration."""
    return sha256("\n".join(ln.rstrip() for ln in text.splitlines() if ln.strip() and not _VOLATILE.match(ln)))


# -- plans ---------------------------------------------------------------------------------------


class DevicePlan(BaseModel):
    """The plan of one device: ``commands`` to send (empty: nothing to change), ``rollback``
    to restore the touched blocks, ``diff`` (unified, of the touched blocks), the hash of the
    running configuration it was made from, and the blocks before and after."""

    model_config = ConfigDict(frozen=True)
    device: str
    config_file: str
    running_sha256: str
    before: list[str]
    after: list[str]
    commands: list[str]
    rollback: list[str]
    diff: str

    @property
    def diff_sha256(self) -> str:
        return sha256(self.diff)


class Plan(BaseModel):
    """A dry run's result for every device; ``plan_sha256`` is over the device plans."""

    model_config = ConfigDict(frozen=True)
    plan_version: str = PLAN_VERSION
    created: str
    inventory: str
    config_dir: str
    devices: list[DevicePlan]
    problems: list[str] = []

    @property
    def plan_sha256(self) -> str:
        return sha256(json.dumps([d.model_dump(mode="json") for d in self.devices], sort_keys=True))


def plan_device(device: str, config_file: str, running_text: str, candidate_text: str) -> DevicePlan:
    """The plan turning the blocks ``candidate_text`` touches on a router with ``running_text``."""
    running = parse_blocks(running_text)
    candidate = parse_blocks(candidate_text)
    before = _scope(running, candidate)
    commands = plan_commands(before, candidate)
    rollback = plan_commands(candidate, before) if commands else []
    b, a = render_tree(before), render_tree(candidate)
    diff = "\n".join(difflib.unified_diff(b, a, f"{device} running", f"{device} generated", lineterm=""))
    return DevicePlan(
        device=device,
        config_file=config_file,
        running_sha256=running_digest(running_text),
        before=b,
        after=a,
        commands=commands,
        rollback=rollback,
        diff=diff,
    )


# -- talking to devices --------------------------------------------------------------------------


class Session:
    """One device's configuration session (netmiko). ``run`` returns ``show`` output; ``configure``
    sends configuration lines and returns the router's echo and messages."""

    def __init__(self, conn: Any, timeout_s: float = 60.0) -> None:
        self.conn = conn
        self.timeout_s = timeout_s

    def running_config(self) -> str:
        return str(self.conn.send_command("show running-config", read_timeout=self.timeout_s))

    def configure(self, commands: Sequence[str]) -> str:
        return str(self.conn.send_config_set(list(commands), read_timeout=self.timeout_s, cmd_verify=True))

    def save(self) -> str:
        return str(self.conn.save_config())

    def close(self) -> None:
        with contextlib.suppress(Exception):  # a dropped session has nothing left to close
            self.conn.disconnect()


class NapalmSession:
    """A NAPALM driver with candidate configurations and commit confirmed (Junos, EOS)."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    def running_config(self) -> str:
        return str(self.driver.get_config(retrieve="running")["running"])

    def merge_diff(self, config: str) -> str:
        """The device's diff for merging ``config`` (nothing is committed)."""
        self.driver.load_merge_candidate(config=config)
        try:
            return str(self.driver.compare_config())
        finally:
            self.driver.discard_config()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.driver.close()


Connector = Callable[[Device], "Session | NapalmSession"]


def netmiko_connector(loaded: LoadedInventory, timeout_s: float = 20.0) -> Connector:
    """Open a netmiko session to a device with the inventory's credentials (never logged)."""

    def connect(dev: Device) -> Session | NapalmSession:
        from netmiko import ConnectHandler

        kind, _ = APPLY_PLATFORMS[dev.driver]
        cred = loaded.credentials[dev.name]
        if kind == "napalm":
            from napalm import get_network_driver

            from assess.collect.session import DRIVER_OPTIONAL_ARGS

            driver = get_network_driver(dev.driver)(
                dev.host,
                cred.username,
                cred.password.get_secret_value(),
                timeout=int(timeout_s),
                optional_args={"port": dev.port, **DRIVER_OPTIONAL_ARGS.get(dev.driver, {})},
            )
            driver.open()
            return NapalmSession(driver)
        conn = ConnectHandler(
            device_type=kind,
            host=dev.host,
            port=dev.port,
            username=cred.username,
            password=cred.password.get_secret_value(),
            timeout=timeout_s,
            auth_timeout=timeout_s,
            conn_timeout=timeout_s,
        )
        return Session(conn, timeout_s)

    return connect


def _devices_with_configs(loaded: LoadedInventory, config_dir: Path) -> tuple[list[tuple[Device, Path]], list[str]]:
    found, problems = [], []
    for dev in loaded.inventory.devices:
        if dev.driver not in APPLY_PLATFORMS:
            problems.append(f"{dev.name}: apply does not support platform {dev.driver} yet (have: ios)")
            continue
        path = config_dir / (dev.name + APPLY_PLATFORMS[dev.driver][1])
        if path.exists():
            found.append((dev, path))
    if not found:
        raise ApplyError(f"{config_dir}: no generated config for any device of {loaded.path.name}")
    return found, problems


def dry_run(loaded: LoadedInventory, config_dir: Path, connect: Connector) -> Plan:
    """Fetch every device's running configuration and plan the change (nothing is changed).

    A device that cannot be reached is listed in ``problems``; the others are planned.
    Raises ``ApplyError`` when ``config_dir`` holds no config for any device."""
    targets, problems = _devices_with_configs(loaded, config_dir)
    plans = []
    for dev, path in targets:
        candidate = path.read_text(encoding="utf-8")
        try:
            s = connect(dev)
            try:
                running = s.running_config()
                device_diff = s.merge_diff(candidate) if isinstance(s, NapalmSession) else None
            finally:
                s.close()
        except Exception as exc:  # noqa: BLE001 - one device's failure never stops the others
            problems.append(f"{dev.name}: could not read the running configuration: {type(exc).__name__}: {exc}")
            continue
        if device_diff is None:
            plans.append(plan_device(dev.name, path.name, running, candidate))
        else:
            plans.append(
                DevicePlan(
                    device=dev.name,
                    config_file=path.name,
                    running_sha256=running_digest(running),
                    before=[],
                    after=candidate.splitlines(),
                    commands=candidate.splitlines() if device_diff.strip() else [],
                    rollback=["(the device's own rollback: NAPALM rollback / commit confirmed timer)"],
                    diff=device_diff.strip(),
                )
            )
    return Plan(
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        inventory=str(loaded.path),
        config_dir=str(config_dir),
        devices=plans,
        problems=problems,
    )


def write_plan(plan: Plan, path: Path) -> None:
    """Write the plan as JSON (temp file, then rename), with its hash."""
    doc = plan.model_dump(mode="json") | {"plan_sha256": plan.plan_sha256}
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def load_plan(path: Path) -> Plan:
    """Read a plan and check its hash. Raises ``ApplyError`` if unreadable or altered."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ApplyError(f"{path}: not a readable plan ({exc})") from None
    stated = doc.pop("plan_sha256", None)
    plan = Plan.model_validate(doc)
    if stated != plan.plan_sha256:
        raise ApplyError(f"{path}: the plan was altered after it was made (hash mismatch); make a new dry run")
    return plan


# -- commit --------------------------------------------------------------------------------------


Result = Literal["applied", "no-op", "drifted", "failed, rolled back", "failed, rollback incomplete", "skipped"]


@dataclass
class DeviceOutcome:
    device: str
    result: Result
    detail: str = ""
    errors: list[str] = field(default_factory=list)


class Audit:
    """Append-only JSON Lines audit log; each record flushed and fsynced before going on."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)

    def record(self, **fields: Any) -> None:
        rec = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "who": os.environ.get("ASSESS_CHANGE_USER") or getpass.getuser(),
            **fields,
        }
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(rec, sort_keys=True) + "\n")
            f.flush()
            os.fsync(f.fileno())


def refused(output: str) -> list[str]:
    """The router's ``%`` error lines in configuration output, each with the command it answered
    (the line echoed before it): ``"random-detect dscp-based: % Invalid input ..."``."""
    out: list[str] = []
    last = ""
    for line in output.splitlines():
        if ERROR_LINE.match(line):
            out.append(f"{last}: {line.strip()}" if last else line.strip())
        elif line.strip() and not line.strip().startswith("^"):
            last = re.sub(r"^\S+\([^)]*\)#", "", line).strip()
    return out


def _restore(dev: Device, dp: DevicePlan, connect: Connector) -> tuple[bool, str]:
    """Reconnect and turn the touched blocks back into ``dp.before``; True if they match it."""
    original = parse_blocks("\n".join(dp.before))
    candidate = parse_blocks("\n".join(dp.after))
    try:
        s = connect(dev)
        if not isinstance(s, Session):
            s.close()
            return False, "not a CLI session"
        try:
            scope = _merge(candidate, original)
            now = _scope(parse_blocks(s.running_config()), scope)
            cmds = plan_commands(now, original)
            if cmds:
                out = s.configure(cmds)
                errs = refused(out)
                if errs:
                    return False, "rollback refused: " + "; ".join(errs)
            after = _scope(parse_blocks(s.running_config()), scope)
        finally:
            s.close()
    except Exception as exc:  # noqa: BLE001
        return False, f"rollback could not reconnect: {type(exc).__name__}"
    left = plan_commands(after, original)
    return (not left), ("" if not left else f"{len(left)} lines differ from the original after rollback")


def _commit_confirmed(
    dev: Device, dp: DevicePlan, s: NapalmSession, audit: Audit, base: dict[str, str], revert_in_s: int
) -> DeviceOutcome:
    """Commit confirmed through NAPALM: merge, commit with a timer, post-check, confirm; roll
    back when the post-check fails."""
    config = "\n".join(dp.after) + "\n"
    running = s.running_config()
    if not s.merge_diff(config).strip():
        audit.record(**base, phase="end", result="no-op")
        return DeviceOutcome(dev.name, "no-op", "already as generated")
    if running_digest(running) != dp.running_sha256:
        audit.record(**base, phase="end", result="drifted")
        return DeviceOutcome(dev.name, "drifted", "the running configuration changed since the plan: dry-run again")
    audit.record(**base, phase="start", result="pending", commands=len(dp.commands), revert_in_s=revert_in_s)
    try:
        s.driver.load_merge_candidate(config=config)
        s.driver.commit_config(revert_in=revert_in_s)
    except Exception as exc:  # noqa: BLE001 - the device refused the candidate or the commit
        with contextlib.suppress(Exception):
            s.driver.discard_config()
        detail = f"commit refused: {type(exc).__name__}: {exc}"
        audit.record(**base, phase="end", result="failed, rolled back", detail=detail)
        return DeviceOutcome(dev.name, "failed, rolled back", detail)
    try:
        alive = bool(s.driver.is_alive().get("is_alive", False))
        left = s.merge_diff(config).strip() if alive else "device not answering"
    except Exception as exc:  # noqa: BLE001
        left = f"post-check failed: {type(exc).__name__}"
    if left:
        try:
            s.driver.rollback()
            result: Result = "failed, rolled back"
        except Exception:  # noqa: BLE001 - the timer reverts it anyway
            result = "failed, rollback incomplete"
        detail = f"post-check: {left.splitlines()[0]}; " + (
            "rolled back" if result == "failed, rolled back" else f"the device reverts within {revert_in_s} s"
        )
        audit.record(**base, phase="end", result=result, detail=detail)
        return DeviceOutcome(dev.name, result, detail)
    s.driver.confirm_commit()
    audit.record(**base, phase="end", result="applied")
    return DeviceOutcome(dev.name, "applied", f"commit confirmed ({revert_in_s} s timer), confirmed after post-check")


def commit_device(
    dev: Device,
    dp: DevicePlan,
    connect: Connector,
    audit: Audit,
    plan_hash: str,
    revert_in_s: int = REVERT_IN_S,
) -> DeviceOutcome:
    """Apply one device's plan; see the module docstring for the checks and the rollback."""
    base = {"device": dev.name, "plan_sha256": plan_hash, "diff_sha256": dp.diff_sha256}
    try:
        conn = connect(dev)
    except Exception as exc:  # noqa: BLE001
        return DeviceOutcome(dev.name, "skipped", f"could not connect: {type(exc).__name__}")
    if isinstance(conn, NapalmSession):
        try:
            return _commit_confirmed(dev, dp, conn, audit, base, revert_in_s)
        finally:
            conn.close()
    s = conn
    try:
        running = s.running_config()
        candidate = parse_blocks("\n".join(dp.after))
        if not plan_commands(_scope(parse_blocks(running), candidate), candidate):
            audit.record(**base, phase="end", result="no-op")
            return DeviceOutcome(dev.name, "no-op", "already as generated")
        if running_digest(running) != dp.running_sha256:
            audit.record(**base, phase="end", result="drifted")
            return DeviceOutcome(dev.name, "drifted", "the running configuration changed since the plan: dry-run again")
        audit.record(**base, phase="start", result="pending", commands=len(dp.commands))
        try:
            output = s.configure(dp.commands)
        except Exception as exc:  # noqa: BLE001 - e.g. the session dropped mid-change
            s.close()
            ok, why = _restore(dev, dp, connect)
            result: Result = "failed, rolled back" if ok else "failed, rollback incomplete"
            detail = f"session lost mid-change ({type(exc).__name__}); " + ("restored" if ok else why)
            audit.record(**base, phase="end", result=result, detail=detail)
            return DeviceOutcome(dev.name, result, detail)
        errors = refused(output)
        left = plan_commands(_scope(parse_blocks(s.running_config()), candidate), candidate)
        if errors or left:
            s.close()
            ok, why = _restore(dev, dp, connect)
            result = "failed, rolled back" if ok else "failed, rollback incomplete"
            detail = "; ".join(errors) or f"{len(left)} lines still differ after the change"
            audit.record(**base, phase="end", result=result, detail=detail + ("" if ok else f"; {why}"))
            return DeviceOutcome(dev.name, result, detail, errors)
        s.save()
        audit.record(**base, phase="end", result="applied")
        return DeviceOutcome(dev.name, "applied", f"{len(dp.commands)} lines")
    finally:
        s.close()


def waves(names: Sequence[str], wave_size: int) -> list[list[str]]:
    """The canary (the first device alone), then waves of ``wave_size``."""
    if not names:
        return []
    rest = list(names[1:])
    return [[names[0]]] + [rest[i : i + wave_size] for i in range(0, len(rest), wave_size)]


def commit(
    loaded: LoadedInventory,
    plan: Plan,
    connect: Connector,
    audit: Audit,
    *,
    wave_size: int = 5,
    max_failures: int = 1,
    progress: Callable[[str], None] | None = None,
) -> tuple[list[DeviceOutcome], bool]:
    """Apply ``plan`` in waves (canary first); stop after ``max_failures`` failed devices.

    Returns the outcomes and whether the rollout was stopped early. Devices in the plan that are
    not in the inventory raise ``ApplyError`` (the plan belongs to another estate)."""
    devices = {d.name: d for d in loaded.inventory.devices}
    unknown = [dp.device for dp in plan.devices if dp.device not in devices]
    if unknown:
        raise ApplyError(f"plan names devices not in {loaded.path.name}: {', '.join(unknown)}")
    say = progress or (lambda _m: None)
    by_name = {dp.device: dp for dp in plan.devices}
    order = [dp.device for dp in plan.devices if dp.commands] + [dp.device for dp in plan.devices if not dp.commands]
    outcomes: list[DeviceOutcome] = []
    failures = 0
    planned = waves(order, wave_size)
    for i, wave in enumerate(planned):
        say(f"wave {i} ({'canary' if i == 0 else f'{len(wave)} devices'}): {', '.join(wave)}")
        for name in wave:
            dp = by_name[name]
            if not dp.commands:
                o = DeviceOutcome(name, "no-op", "nothing to change in the plan")
            else:
                o = commit_device(devices[name], dp, connect, audit, plan.plan_sha256)
            say(f"  {name}: {o.result}" + (f" ({o.detail})" if o.detail else ""))
            outcomes.append(o)
            if o.result.startswith("failed") or o.result in ("drifted", "skipped"):
                failures += 1
        if failures >= max_failures and i + 1 < len(planned):
            done = {o.device for o in outcomes}
            for name in order:
                if name not in done:
                    outcomes.append(DeviceOutcome(name, "skipped", "rollout stopped after failures"))
            return outcomes, True
    return outcomes, False
