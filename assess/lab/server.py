"""Start and stop the simulated lab routers (FakeNOS, one SSH server per inventory device)."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assess.errors import InventoryError
from assess.inventory import LoadedInventory
from assess.lab import ios
from assess.lab.traffic import CounterTrack
from assess.yamlio import describe_location, load_yaml_with_lines


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LabInterface(_Strict):
    """An interface of a lab router: busy-hour mean rates in bits/s, port bandwidth in kbit/s."""

    description: str
    ip: str
    down_bps: float = Field(ge=0)
    up_bps: float = Field(ge=0)
    bw_kbit: int = Field(1_000_000, gt=0)
    hardware: str = "ISR4451-X-4x1GE"
    loopback: bool = False


class LabDevice(_Strict):
    """A lab router: hardware model, serial number and interfaces (canonical names of its OS).

    Its platform (IOS-XE or EOS output) follows the inventory device's NAPALM driver.
    """

    model: str = "ISR4451-X/K9"
    serial: str
    uptime_s: float = Field(2_000_000, ge=0)
    interfaces: dict[str, LabInterface]


class LabTraffic(_Strict):
    """What the lab routers carry.

    ``clock_start_h``: lab local time (hours) at start; the default 10.5 puts the lab in the
    morning busy hour. ``diurnal``: 24 hourly factors (1.0 = busy hour). ``noise_cov``: the
    coefficient of variation of per-second noise (assumption: 0.25).
    """

    seed: int = 7
    domain: str = "lab.example"
    clock_start_h: float = Field(10.5, ge=0, lt=24)
    noise_cov: float = Field(0.25, ge=0, le=2)
    diurnal: list[float] = Field(min_length=24, max_length=24)
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
            rx, tx = self.tracks[ifname]
            out.append(
                ios.IfState(
                    name=ifname,
                    description=itf.description,
                    ip=itf.ip,
                    bw_kbit=itf.bw_kbit,
                    hardware=itf.hardware,
                    mac=f"0c1e.5b2a.{n:04x}",
                    rx_octets=0 if itf.loopback else rx.octets_at(t),
                    tx_octets=0 if itf.loopback else tx.octets_at(t),
                    rx_bps=rx.rate_at(t),
                    tx_bps=tx.rate_at(t),
                    is_loopback=itf.loopback,
                )
            )
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

        table = {
            "show version": version,
            "show hosts": hosts,
            "show ip interface brief": brief,
            "show interfaces": interfaces,
            "show interface summary": summary,
        }
        return {cmd: {"output": fn, "help": f"lab: {cmd}"} for cmd, fn in table.items()}


#: NAPALM driver -> (FakeNOS platform, the router's command table).
LAB_PLATFORMS: dict[str, tuple[str, Any]] = {
    "ios": ("cisco_ios", _Router.commands),
    "eos": ("arista_eos", _Router.eos_commands),
}


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
        for dev in inv.devices:
            router = _Router(dev.name, self.traffic.devices[dev.name], self.traffic, t0)
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

    def __enter__(self) -> Lab:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
