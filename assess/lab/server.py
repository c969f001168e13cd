"""Start and stop the simulated lab routers (FakeNOS, one SSH server per inventory device)."""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import threading
import time
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assess.errors import InventoryError
from assess.inventory import LoadedInventory
from assess.lab import ios
from assess.lab.iosconfig import IosConfig
from assess.lab.traffic import CounterTrack
from assess.yamlio import describe_location, load_yaml_with_lines


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LabInterface(_Strict):
    """An interface of a lab router: busy-hour mean rates in bits/s, port bandwidth in kbit/s.

    ``members``: for a port-channel/bundle, its member ports; the bundle's counters are then the
    sum of theirs (as on a router), and its own ``down_bps``/``up_bps`` are ignored.
    """

    description: str
    ip: str
    down_bps: float = Field(ge=0)
    up_bps: float = Field(ge=0)
    bw_kbit: int = Field(1_000_000, gt=0)
    hardware: str = "ISR4451-X-4x1GE"
    loopback: bool = False
    members: list[str] = Field(default_factory=list)
    qos: LabQos | None = None


class LabQosClass(_Strict):
    """A class of the lab router's child QoS policy: its share of the interface's output traffic
    and the rate at which its queue drops packets (what ``show policy-map interface`` reports)."""

    name: str
    match: str
    action: Literal["priority", "bandwidth remaining"] = "bandwidth remaining"
    percent: int = Field(ge=1, le=100)
    share: float = Field(ge=0, le=1)
    drops_per_s: float = Field(0.0, ge=0)


class LabQos(_Strict):
    """A hierarchical output policy on a lab interface: parent shaper at ``shaper_bps``."""

    shaper_bps: int = Field(gt=0)
    classes: list[LabQosClass] = Field(min_length=1)


class LabDevice(_Strict):
    """A lab router: hardware model, serial number and interfaces (canonical names of its OS).

    Its platform (IOS-XE or EOS output) follows the inventory device's NAPALM driver.
    """

    model: str = "ISR4451-X/K9"
    serial: str
    uptime_s: float = Field(2_000_000, ge=0)
    interfaces: dict[str, LabInterface]
    #: IOS routers keep a running configuration (``assess.lab.iosconfig``); for tests of change
    #: pipelines: configuration lines matching these regular expressions are refused with
    #: ``% Invalid input``, and the session is dropped after this many configuration lines (once)
    config_reject: list[str] = Field(default_factory=list)
    config_drop_after_lines: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _members_exist(self) -> LabDevice:
        for name, itf in self.interfaces.items():
            unknown = [m for m in itf.members if m not in self.interfaces or m == name]
            if unknown:
                raise ValueError(f"interfaces.{name}.members: not interfaces of this device: {', '.join(unknown)}")
        return self


class LabTraffic(_Strict):
    """What the lab routers carry.

    ``clock_start_h``: lab local time (hours) at start; the default 10.5 puts the lab in the
    morning busy hour. ``diurnal``: 24 hourly factors (1.0 = busy hour). ``noise_cov``: the
    coefficient of variation of per-second noise (assumption: 0.25). ``input_pacing_s``: the
    delay after each byte a router receives (FakeNOS 1.2.1 sleeps 10 ms per byte, the default
    here; 0 answers as fast as the CPU allows, nearer a real router, where SSH setup and
    authentication cost far more than typing a command).
    """

    seed: int = 7
    domain: str = "lab.example"
    clock_start_h: float = Field(10.5, ge=0, lt=24)
    noise_cov: float = Field(0.25, ge=0, le=2)
    diurnal: list[float] = Field(min_length=24, max_length=24)
    input_pacing_s: float = Field(0.01, ge=0, le=1)
    devices: dict[str, LabDevice]


def load_lab_traffic(path: Path) -> LabTraffic:
    """Read and validate a lab traffic file. Raises ``InventoryError`` naming field and line."""
    data, lines = load_yaml_with_lines(path)
    try:
        return LabTraffic.model_validate(data)
    except ValidationError as exc:
        raise InventoryError(
            str(path),
            [f"{describe_location(tuple(e['loc']), lines)}: {e['msg']}" for e in exc.errors()],
        ) from None


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


class _Router:
    """Live state of one lab router: its counters and the command callables FakeNOS calls."""

    def __init__(self, name: str, dev: LabDevice, traffic: LabTraffic, t0: float) -> None:
        self.name = name
        self.dev = dev
        self.t0 = t0
        self.bootup_wall = time.time() - dev.uptime_s
        self.tracks: dict[str, tuple[CounterTrack, CounterTrack]] = {}
        for i, (ifname, itf) in enumerate(dev.interfaces.items()):
            common: dict[str, Any] = {
                "seed": traffic.seed,
                "clock_start_h": traffic.clock_start_h,
                "curve": traffic.diurnal,
                "noise_cov": traffic.noise_cov,
            }
            base = 10_000_000_000 * (i + 1)
            self.tracks[ifname] = (
                CounterTrack(itf.down_bps, f"{name}/{ifname}/rx", initial_octets=base, **common),
                CounterTrack(itf.up_bps, f"{name}/{ifname}/tx", initial_octets=base // 3, **common),
            )
        self.domain = traffic.domain

    def states(self) -> list[ios.IfState]:
        t = time.monotonic() - self.t0
        out = []
        for n, (ifname, itf) in enumerate(self.dev.interfaces.items()):
            ports = [self.tracks[m] for m in itf.members] or [self.tracks[ifname]]
            rx_octets = sum(rx.octets_at(t) for rx, _ in ports)
            tx_octets = sum(tx.octets_at(t) for _, tx in ports)
            out.append(
                ios.IfState(
                    name=ifname,
                    description=itf.description,
                    ip=itf.ip,
                    bw_kbit=itf.bw_kbit,
                    hardware=itf.hardware,
                    mac=f"0c1e.5b2a.{n:04x}",
                    rx_octets=0 if itf.loopback else rx_octets,
                    tx_octets=0 if itf.loopback else tx_octets,
                    rx_bps=sum(rx.rate_at(t) for rx, _ in ports),
                    tx_bps=sum(tx.rate_at(t) for _, tx in ports),
                    is_loopback=itf.loopback,
                )
            )
        return out

    def queue_states(self) -> list[tuple[str, int, list[ios.QueueClassState]]]:
        """Per shaped interface: its classes' counters now (octets from the interface's output)."""
        t = time.monotonic() - self.t0
        out = []
        for ifname, itf in self.dev.interfaces.items():
            if itf.qos is None:
                continue
            _, tx = self.tracks[ifname]
            classes = []
            for c in itf.qos.classes:
                octets = int(c.share * tx.octets_at(t))
                classes.append(
                    ios.QueueClassState(
                        name=c.name,
                        match=c.match,
                        action=c.action,
                        percent=c.percent,
                        offered_bps=c.share * tx.rate_at(t),
                        packets=octets // 700,
                        octets=octets,
                        drops=int(c.drops_per_s * self.uptime_s()),
                    )
                )
            out.append((ifname, itf.qos.shaper_bps, classes))
        return out

    def uptime_s(self) -> float:
        return self.dev.uptime_s + time.monotonic() - self.t0

    def eos_commands(self) -> dict[str, dict[str, Any]]:
        """``<command> | json`` as NAPALM's eos driver sends them over SSH."""
        from assess.lab import eos

        def version(*_a: Any, **_k: Any) -> str:
            return eos.show_version(self.dev.model, self.dev.serial, self.bootup_wall, self.uptime_s())

        def hostname(*_a: Any, **_k: Any) -> str:
            return eos.show_hostname(self.name, self.domain)

        def interfaces(*_a: Any, **_k: Any) -> str:
            return eos.show_interfaces(self.states(), self.bootup_wall)

        table = {"show version | json": version, "show hostname | json": hostname, "show interfaces | json": interfaces}
        return {cmd: {"output": fn, "help": f"lab: {cmd}"} for cmd, fn in table.items()}

    def nxos_commands(self) -> dict[str, dict[str, Any]]:
        """NX-OS text and ``| json`` output for the commands NAPALM's nxos_ssh driver sends."""
        from assess.lab import nxos

        def version(*_a: Any, **_k: Any) -> str:
            return nxos.show_version(self.name, self.dev.model, self.dev.serial, self.uptime_s())

        table = {
            "show version": version,
            "show version | include uptime": lambda *_a, **_k: "\n".join(
                line for line in version().splitlines() if "uptime" in line
            ),
            "show hosts": lambda *_a, **_k: nxos.show_hosts(self.domain),
            "show hostname": lambda *_a, **_k: nxos.show_hostname(self.name),
            "show inventory | json": lambda *_a, **_k: nxos.show_inventory_json(self.dev.model, self.dev.serial),
            "show interface status": lambda *_a, **_k: nxos.show_interface_status(self.states()),
            "show interface": lambda *_a, **_k: nxos.show_interface(self.states()),
            "show interface | json": lambda *_a, **_k: nxos.show_interface_json(self.states()),
            "show interface counters detailed | json": lambda *_a, **_k: nxos.show_interface_counters_detailed_json(
                self.states()
            ),
        }
        return {cmd: {"output": fn, "help": f"lab: {cmd}"} for cmd, fn in table.items()}

    def iosxr_commands(self) -> dict[str, dict[str, Any]]:
        """IOS-XR: ``xml`` starts the XML agent; every request line goes to the router's agent."""
        from assess.lab import iosxr

        def answer(document: str) -> str:
            if "<PlatformInventory>" in document:
                return iosxr.facts_reply(self.name, self.dev.model, self.dev.serial, self.uptime_s())
            if "<Interfaces/>" in document or "<InterfaceTable>" in document:
                return iosxr.interfaces_reply(self.states())
            return iosxr.XmlAgent.unsupported(document)

        agent = iosxr.XmlAgent(answer)

        def line(*a: Any, **k: Any) -> dict[str, Any]:  # a closure: FakeNOS deep-copies bound methods
            return agent.line(*a, **k)

        table: dict[str, dict[str, Any]] = {
            "xml": {"output": None, "new_prompt": iosxr.PROMPT, "help": "lab: start the XML agent"}
        }
        for request_line in iosxr.request_lines():
            table[request_line] = {"output": line, "help": "lab: XML agent request line"}
        return table

    def commands(self) -> dict[str, dict[str, Any]]:
        """IOS-XE text for the commands NAPALM's ios driver sends."""

        # FakeNOS calls output(device, base_prompt=..., current_prompt=..., command=...).
        # Plain closures: FakeNOS deep-copies its command table, and functions copy by reference.
        def version(*_a: Any, **_k: Any) -> str:
            return ios.show_version(
                self.name,
                self.dev.model,
                self.dev.serial,
                self.dev.uptime_s + time.monotonic() - self.t0,
            )

        def hosts(*_a: Any, **_k: Any) -> str:
            return ios.show_hosts(self.domain)

        def brief(*_a: Any, **_k: Any) -> str:
            return ios.show_ip_interface_brief(self.states())

        def interfaces(*_a: Any, **_k: Any) -> str:
            return ios.show_interfaces(self.states())

        def summary(*_a: Any, **_k: Any) -> str:
            return ios.show_interface_summary(self.states())

        def policy_map(*_a: Any, **_k: Any) -> str:
            return ios.show_policy_map_interface(self.queue_states())

        def uptime_line(*_a: Any, **_k: Any) -> str:
            return "\n".join(line for line in version().splitlines() if "uptime is" in line)

        table = {
            "show version": version,
            "show version | include uptime is": uptime_line,
            "show hosts": hosts,
            "show ip interface brief": brief,
            "show interfaces": interfaces,
            "show interface summary": summary,
            "show policy-map interface": policy_map,
        }
        return {cmd: {"output": fn, "help": f"lab: {cmd}"} for cmd, fn in table.items()}


#: NAPALM driver -> (FakeNOS platform, the router's command table).
LAB_PLATFORMS: dict[str, tuple[str, Any]] = {
    "ios": ("cisco_ios", _Router.commands),
    "eos": ("arista_eos", _Router.eos_commands),
    "nxos_ssh": ("cisco_nxos", _Router.nxos_commands),
    "iosxr": ("cisco_xr", _Router.iosxr_commands),
}

#: Running configuration of each lab IOS router, by hostname (FakeNOS's base prompt), served by
#: the shell hook ``_install_config_hook``; cleared when the lab stops.
_CONFIG_HANDLERS: dict[str, IosConfig] = {}


def _startup_qos(dev: LabDevice) -> list[str]:
    """The hand-made QoS a lab router already runs (its interfaces' ``qos``), as configuration
    lines: class-maps, the child ``WAN-QOS`` and parent ``WAN-SHAPE`` policies (the names
    ``show policy-map interface`` reports), attached as ``service-policy output``."""
    lines: list[str] = []
    for ifname, itf in dev.interfaces.items():
        if itf.qos is None:
            continue
        for c in itf.qos.classes:
            if c.name != "class-default":
                lines += [f"class-map match-any {c.name}", f" match {re.sub(r' [(][0-9]+[)]', '', c.match)}"]
        lines.append("policy-map WAN-QOS")
        for c in itf.qos.classes:
            verb = "priority percent" if c.action == "priority" else "bandwidth remaining percent"
            lines += [f" class {c.name}", f"  {verb} {c.percent}"]
        lines += [
            "policy-map WAN-SHAPE",
            " class class-default",
            f"  shape average {itf.qos.shaper_bps}",
            "  service-policy WAN-QOS",
            f"interface {ifname}",
            " service-policy output WAN-SHAPE",
        ]
    return lines


def _install_config_hook() -> None:
    """Route configuration mode and ``show running-config`` of lab IOS routers to their
    ``IosConfig`` before FakeNOS's fixed command table (FakeNOS 1.2.1 ``CMDShell.default``)."""
    from fakenos.plugins.shell import cmd_shell

    shell = cmd_shell.CMDShell
    if getattr(shell, "_assess_config_hook", False):
        return
    original = shell.default

    def default(self: Any, line: str) -> bool:
        handler = _CONFIG_HANDLERS.get(self.base_prompt)
        result = handler.handle(line, self.prompt) if handler is not None else None
        if result is None:
            return bool(original(self, line))
        output, new_prompt, close = result
        if close:
            return True  # ends the shell: the SSH session drops
        if new_prompt:
            self.prompt = new_prompt
        if output:
            self.writeline(output)
        return False

    shell.default = default
    shell._assess_config_hook = True


#: Per server port of a running lab router: (has an IOS-XR XML agent, seconds to wait after each
#: byte received, ``LabTraffic.input_pacing_s``), read by ``_channel_to_shell_tap``.
_PORT_BEHAVIOUR: dict[int, tuple[bool, float]] = {}


def _channel_to_shell_tap(channel_stdio: Any, shell_stdin: Any, shell_replied_event: Any, run_srv: Any) -> None:
    """FakeNOS 1.2.1's ``channel_to_shell_tap`` (bytes from the SSH channel to the shell), with
    the one behaviour an IOS-XR XML agent needs: once ``xml`` is typed on a router whose port is
    marked in ``_PORT_BEHAVIOUR``, input is no longer echoed (the real agent does not echo, and
    pyIOSXR parses everything it reads as the reply) until ``exit``. Everything else, including
    the pacing per byte (FakeNOS: 10 ms; ``LabTraffic.input_pacing_s`` per router), is as
    FakeNOS does it.
    """
    try:
        port = channel_stdio.channel.get_transport().sock.getsockname()[1]
    except Exception:  # noqa: BLE001 - no port, no XML agent
        port = None
    xml_capable, pacing_s = _PORT_BEHAVIOUR.get(port, (False, 0.01)) if port is not None else (False, 0.01)
    xml_mode = False
    buffer = bytearray()
    while run_srv.is_set():
        byte: bytes = channel_stdio.read(1)
        shell_replied_event.wait(10)
        if not channel_stdio.channel.active:
            break
        try:
            if byte in (b"\r", b"\n"):
                if not xml_mode:
                    channel_stdio.write(b"\r\n")
                line = (bytes(buffer) + byte).decode("utf-8")
                buffer.clear()
                if xml_capable:
                    typed = line.strip()
                    if typed == "xml":
                        xml_mode = True
                    elif typed == "exit":
                        xml_mode = False
                shell_stdin.write(line)
                shell_replied_event.clear()
            else:
                if not xml_mode:
                    channel_stdio.write(byte)
                if byte not in (b"\x00", b""):
                    buffer += byte
            if not byte:  # channel closing: do not spin
                time.sleep(0.01)
            elif pacing_s and not xml_mode:
                time.sleep(pacing_s)
        except (OSError, EOFError):
            break


def _install_tap() -> None:
    from fakenos.plugins.servers import ssh_server_paramiko

    ssh_server_paramiko.channel_to_shell_tap = _channel_to_shell_tap


class Lab:
    """The simulated lab for an inventory: one FakeNOS SSH server per device.

    Use as a context manager (``with Lab(loaded, traffic) as lab: ...``) or ``start()``/``stop()``.
    ``stop_device(name)`` stops one router (to simulate an unreachable device).

    Raises:
        InventoryError: a device of the inventory has no entry in the traffic file, is not on
            localhost, or its port is already taken.
    """

    def __init__(self, loaded: LoadedInventory, traffic: LabTraffic, *, quiet: bool = True) -> None:
        inv = loaded.inventory
        problems = []
        for i, dev in enumerate(inv.devices):
            if dev.name not in traffic.devices:
                problems.append(f"devices[{i}]: {dev.name} has no entry in the lab traffic file")
            if dev.driver not in LAB_PLATFORMS:
                problems.append(
                    f"devices[{i}].driver: the lab serves {', '.join(LAB_PLATFORMS)} over SSH, not {dev.driver}"
                )
            if dev.host not in ("127.0.0.1", "localhost"):
                problems.append(f"devices[{i}].host: the lab serves 127.0.0.1 only, got {dev.host}")
        if problems:
            raise InventoryError(str(loaded.path), problems)
        self.loaded = loaded
        self.traffic = traffic
        self.quiet = quiet
        self._net: Any = None

    def start(self) -> Lab:
        from fakenos import FakeNOS

        if self.quiet:
            logging.getLogger("fakenos").setLevel(logging.CRITICAL)
        inv = self.loaded.inventory
        busy = [f"{d.name} ({d.host}:{d.port})" for d in inv.devices if not _port_free("127.0.0.1", d.port)]
        if busy:
            raise InventoryError(
                str(self.loaded.path),
                [f"lab port already in use: {', '.join(busy)} (is another lab running?)"],
            )
        t0 = time.monotonic()
        hosts: dict[str, Any] = {}
        _install_tap()
        _install_config_hook()
        for dev in inv.devices:
            _PORT_BEHAVIOUR[dev.port] = (dev.driver == "iosxr", self.traffic.input_pacing_s)
            router = _Router(dev.name, self.traffic.devices[dev.name], self.traffic, t0)
            if dev.driver == "ios":
                lab_dev = self.traffic.devices[dev.name]
                _CONFIG_HANDLERS[dev.name] = IosConfig(
                    dev.name,
                    {
                        name: [f"description {itf.description}", f"ip address {itf.ip}"]
                        for name, itf in lab_dev.interfaces.items()
                        if not itf.loopback
                    },
                    reject=lab_dev.config_reject,
                    drop_after_lines=lab_dev.config_drop_after_lines,
                )
                _CONFIG_HANDLERS[dev.name].load(_startup_qos(lab_dev))
            cred = self.loaded.credentials[dev.name]
            platform, commands = LAB_PLATFORMS[dev.driver]
            hosts[dev.name] = {
                "username": cred.username,
                "password": cred.password.get_secret_value(),
                "port": dev.port,
                "platform": platform,
                "server": {
                    "plugin": "ParamikoSshServer",
                    "configuration": {"address": "127.0.0.1", "timeout": 1},
                },
                "nos": {"plugin": platform, "configuration": {"commands": commands(router)}},
            }
        self._net = FakeNOS(inventory={"hosts": hosts})
        self._net.start()
        return self

    def _wake_stuck_sessions(self, hosts: list[str]) -> None:
        """Release FakeNOS 1.2.1 connection threads stuck in ``Transport.accept()``.

        A client that fails authentication (or drops before opening a channel) leaves its
        server thread waiting in ``paramiko.Transport.accept()`` with no timeout; closing the
        transport does not wake it, so the process could never exit. Closing each session and
        notifying its accept condition lets the thread finish (private attributes of the pinned
        FakeNOS 1.2.1 server plugin).
        """
        self._install_quiet_hook()
        for name in hosts:
            server = getattr(self._net.hosts[name], "server", None)
            for session in list(getattr(server, "_active_sessions", ())):
                with contextlib.suppress(Exception):
                    session.close()
                with contextlib.suppress(Exception), session.lock:
                    session.server_accept_cv.notify_all()

    def _install_quiet_hook(self) -> None:
        """The released threads then fail on the missing channel; that is expected, not news."""
        previous = threading.excepthook

        def hook(args: threading.ExceptHookArgs) -> None:
            name = args.thread.name if args.thread else ""
            if name.endswith("(connection_function)") and args.exc_type is AttributeError:
                return
            previous(args)

        threading.excepthook = hook

    def stop_device(self, name: str) -> None:
        """Stop one router's SSH server (its port then refuses connections)."""
        if self._net is not None:
            self._wake_stuck_sessions([name])
            self._net.stop(hosts=[name])

    def stop(self) -> None:
        """Stop every router and release their connection threads."""
        if self._net is not None:
            self._wake_stuck_sessions(list(self._net.hosts))
            self._net.stop()
            self._net = None
            for dev in self.loaded.inventory.devices:
                _PORT_BEHAVIOUR.pop(dev.port, None)
                _CONFIG_HANDLERS.pop(dev.name, None)

    def running_config(self, name: str) -> IosConfig:
        """The running configuration of lab IOS router ``name`` (KeyError: not an IOS router)."""
        return _CONFIG_HANDLERS[name]

    def __enter__(self) -> Lab:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
