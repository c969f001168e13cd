"""One device behind NAPALM: open once, run getters, keep the session for every poll.

``DeviceSession`` is the only place that calls a NAPALM driver. Each getter runs on its own and
its outcome is logged with its duration; failures become ``CollectionError`` subclasses that
name the device and ``host:port`` and never contain the password (DOMAIN.md 3b).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from assess.collect.models import DeviceFacts, InterfaceCounters, InterfaceInfo, Poll, QueueClassCounters, QueuePoll
from assess.errors import CollectionError, DeviceAuthError, DeviceTimeoutError
from assess.inventory import Credentials, Device
from assess.resources import templates_dir

Note = Callable[[str], None]

#: Driver arguments that differ from NAPALM's defaults: EOS is reached over SSH (netmiko, with
#: ``| json`` commands) rather than eAPI, so one set of SSH credentials serves every platform.
DRIVER_OPTIONAL_ARGS: dict[str, dict[str, Any]] = {"eos": {"transport": "ssh"}}

#: One short command that prints the uptime line, per driver whose NAPALM class has a
#: ``parse_uptime`` for it: per poll this replaces ``get_facts`` (3 commands on IOS).
UPTIME_COMMANDS: dict[str, str] = {
    "ios": "show version | include uptime is",
    "nxos_ssh": "show version | include uptime",
}

#: Drivers whose QoS queue drops are read with netmiko + TextFSM, and the template for each.
QUEUE_TEMPLATES: dict[str, str] = {"ios": "cisco_ios_show_policy-map_interface.textfsm"}


def canonical_name(name: str) -> str:
    """Canonical interface name (``Gi0/0/0`` -> ``GigabitEthernet0/0/0``), so getters and the
    inventory join on the same key (DOMAIN.md 3b: drivers name one port several ways)."""
    from napalm.base.helpers import canonical_interface_name

    return str(canonical_interface_name(name))


def missing_if_negative(v: Any) -> int | None:
    """NAPALM reports unsupported counters as -1 (or -100.0): store them as missing."""
    if v is None or not isinstance(v, int | float) or v < 0:
        return None
    return int(v)


def _scrub(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret else text


def classify(exc: BaseException, device: str, secret: str, where: str = "") -> CollectionError:
    """Map a driver exception to ``DeviceAuthError``/``DeviceTimeoutError``/``CollectionError``.

    The message keeps the outermost error (what failed) and the innermost (why), with the
    password scrubbed, and ``where`` (e.g. ``SSH to 10.0.0.1:22``) appended.
    """
    from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException

    chain: list[BaseException] = [exc]
    while chain[-1].__cause__ or chain[-1].__context__:
        nxt = chain[-1].__cause__ or chain[-1].__context__
        assert nxt is not None
        chain.append(nxt)
    parts = [f"{type(exc).__name__}: {exc}"]
    root = chain[-1]
    if root is not exc and str(root).strip():
        parts.append(f"{type(root).__name__}: {root}")
    reason = _scrub(" <- ".join(p.strip().splitlines()[0] for p in parts if p.strip()), secret)[:300]
    if where:
        reason += f" ({where})"
    if any(isinstance(e, NetmikoAuthenticationException) for e in chain):
        return DeviceAuthError(device, "authentication failed: " + reason)
    if any(isinstance(e, NetmikoTimeoutException | TimeoutError | ConnectionError | OSError) for e in chain):
        return DeviceTimeoutError(device, "unreachable: " + reason)
    return CollectionError(device, reason)


class DeviceSession:
    """A NAPALM session to one device, kept open across polls.

    Args:
        dev, creds: the inventory device and its resolved credentials.
        timeout_s: connect, auth and command timeout.
        note: receives one human-readable line per step (for the collection log).
    """

    def __init__(self, dev: Device, creds: Credentials, timeout_s: float, note: Note) -> None:
        self.dev = dev
        self._creds = creds
        self.timeout_s = timeout_s
        self.note = note
        self._driver: Any = None

    @property
    def is_open(self) -> bool:
        return self._driver is not None

    def _err(self, exc: BaseException) -> CollectionError:
        return classify(
            exc, self.dev.name, self._creds.password.get_secret_value(), f"SSH to {self.dev.host}:{self.dev.port}"
        )

    def make_driver(self) -> Any:
        """The NAPALM driver object for the device (not yet open): the one place a driver class
        is chosen, so a test can substitute NAPALM's ``mock`` driver here."""
        from napalm import get_network_driver

        return get_network_driver(self.dev.driver)(
            self.dev.host,
            self._creds.username,
            self._creds.password.get_secret_value(),
            timeout=int(self.timeout_s),
            optional_args={
                "port": self.dev.port,
                "conn_timeout": self.timeout_s,
                "auth_timeout": self.timeout_s,
                **DRIVER_OPTIONAL_ARGS.get(self.dev.driver, {}),
            },
        )

    def open(self) -> None:
        """Open the session. Raises ``CollectionError`` (auth, timeout, other)."""
        driver = self.make_driver()
        t0 = time.monotonic()
        try:
            driver.open()
        except Exception as exc:  # noqa: BLE001 - every driver failure is reported as ours
            err = self._err(exc)
            self.note(f"open failed after {time.monotonic() - t0:.1f} s: {err.reason}")
            raise err from None
        self._driver = driver
        self.note(f"session open ({self.dev.driver}, {self.dev.host}:{self.dev.port}) in {time.monotonic() - t0:.2f} s")

    def _run(self, what: str, call: Callable[[Any], Any]) -> Any:
        """``call(driver)`` timed and noted as ``what``; any failure becomes ``CollectionError``
        (the session stays usable)."""
        if self._driver is None:
            raise CollectionError(self.dev.name, "session is not open")
        t = time.monotonic()
        try:
            result = call(self._driver)
        except Exception as exc:  # noqa: BLE001
            err = self._err(exc)
            self.note(f"{what} failed: {err.reason}")
            raise err from None
        self.note(f"{what} ok in {time.monotonic() - t:.2f} s")
        return result

    def get(self, getter: str) -> Any:
        """Run one NAPALM getter. Raises ``CollectionError`` (the session stays usable)."""
        return self._run(getter, lambda driver: getattr(driver, getter)())

    def command(self, cmd: str, what: str | None = None, **netmiko_args: Any) -> Any:
        """Send one CLI command through the netmiko connection the NAPALM driver holds (for what
        NAPALM has no getter). Raises ``CollectionError``."""
        return self._run(
            what or cmd,
            lambda driver: driver.device.send_command(cmd, read_timeout=self.timeout_s, **netmiko_args),
        )

    def _mapping(self, getter: str, raw: Any, nested: bool = False) -> dict[str, Any]:
        """The getter's result if it has NAPALM's shape (a dict, of dicts when ``nested``);
        otherwise ``CollectionError`` naming the device and getter (a device returning garbage)."""
        ok = isinstance(raw, dict) and (not nested or all(isinstance(v, dict) for v in raw.values()))
        if not ok:
            sample = repr(raw)[:80]
            reason = f"{getter} returned unusable data ({type(raw).__name__}: {sample})"
            self.note(reason)
            raise CollectionError(self.dev.name, reason)
        return raw  # type: ignore[no-any-return]

    def facts(self) -> tuple[DeviceFacts, float | None]:
        """``get_facts`` as ``(DeviceFacts, uptime_s or None)``."""
        raw = self._mapping("get_facts", self.get("get_facts"))
        uptime = raw.get("uptime", -1)
        return (
            DeviceFacts(
                hostname=str(raw.get("hostname", "")),
                vendor=str(raw.get("vendor", "")),
                model=str(raw.get("model", "")),
                os_version=str(raw.get("os_version", "")),
                serial_number=str(raw.get("serial_number", "")),
            ),
            float(uptime) if isinstance(uptime, int | float) and uptime >= 0 else None,
        )

    def uptime(self) -> float | None:
        """Device uptime in seconds for reboot detection between polls: one ``UPTIME_COMMANDS``
        command through the driver's netmiko session, parsed with the NAPALM driver's own
        ``parse_uptime``; ``get_facts`` for other drivers. Raises ``CollectionError``."""
        cmd = UPTIME_COMMANDS.get(self.dev.driver)
        if cmd is None or self._driver is None or not hasattr(self._driver, "device"):
            return self.facts()[1]
        out = str(self.command(cmd, what="uptime"))
        for line in out.splitlines():
            if " uptime is " in line:
                return float(type(self._driver).parse_uptime(line.split(" uptime is ", 1)[1]))
        reason = f"'{cmd}' returned no uptime line ({out.strip()[:80]!r})"
        self.note(reason)
        raise CollectionError(self.dev.name, reason)

    def interfaces(self) -> dict[str, InterfaceInfo]:
        """``get_interfaces`` keyed by canonical name; speed 0 or less becomes ``None``."""
        out = {}
        for name, info in self._mapping("get_interfaces", self.get("get_interfaces"), nested=True).items():
            speed = info.get("speed")
            out[canonical_name(name)] = InterfaceInfo(
                description=str(info.get("description", "")),
                is_up=bool(info.get("is_up", False)),
                speed_mbps=float(speed) if isinstance(speed, int | float) and speed > 0 else None,
            )
        return out

    def counters(self, uptime_s: float | None) -> Poll:
        """``get_interfaces_counters``, timestamped on the monotonic clock when it returned."""
        raw = self._mapping("get_interfaces_counters", self.get("get_interfaces_counters"), nested=True)
        return Poll(
            t_mono_s=time.monotonic(),
            wall_time=datetime.now(UTC).isoformat(timespec="milliseconds"),
            uptime_s=uptime_s,
            counters={
                canonical_name(n): InterfaceCounters(
                    rx_octets=missing_if_negative(c.get("rx_octets")),
                    tx_octets=missing_if_negative(c.get("tx_octets")),
                )
                for n, c in raw.items()
            },
        )

    def queue_counters(self) -> QueuePoll | None:
        """QoS queue counters per class from ``show policy-map interface``, sent through the
        netmiko connection the NAPALM ``ios`` driver already holds (NAPALM has no getter for
        it) and parsed with TextFSM (``templates/textfsm``). ``None`` for other drivers.

        Raises ``CollectionError`` when the command fails; an interface without a policy is
        simply absent.
        """
        if self.dev.driver not in QUEUE_TEMPLATES or self._driver is None:
            return None
        template = templates_dir() / "textfsm" / QUEUE_TEMPLATES[self.dev.driver]
        rows = self.command("show policy-map interface", use_textfsm=True, textfsm_template=str(template))
        if isinstance(rows, str):  # netmiko returns the text when the template matched nothing
            rows = []
        innermost: dict[tuple[str, str], str] = {}
        for r in rows:
            innermost[(r["interface"], r["direction"])] = r["policy"]

        def num(v: str) -> int | None:
            return int(v) if v else None

        classes = [
            QueueClassCounters(
                interface=canonical_name(r["interface"]),
                direction=r["direction"] or "output",
                policy=r["policy"],
                class_name=r["class"],
                leaf=innermost[(r["interface"], r["direction"])] == r["policy"],
                packets=num(r["packets"]),
                drops=num(r["total_drops"]) if r["total_drops"] else num(r["exceed_drops"]),
                offered_rate_bps=num(r["offered_rate_bps"]),
            )
            for r in rows
        ]
        self.note(f"show policy-map interface: {len(classes)} classes")
        return QueuePoll(t_mono_s=time.monotonic(), classes=classes)

    def close(self) -> None:
        """Close the session; a dead session closes quietly."""
        driver, self._driver = self._driver, None
        if driver is not None:
            with contextlib.suppress(Exception):
                driver.close()
