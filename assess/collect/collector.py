"""Poll routers with NAPALM over SSH and turn their counters into link utilisation.

Devices are polled concurrently (a bounded thread pool), each over one session kept open for
all its polls. Every getter runs on its own and its outcome is logged; a device that fails does
not stop the others (DOMAIN.md 3b).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, Literal

from assess.collect.counters import (
    CounterSample,
    intervals_from_samples,
    mean_bps,
    physical_capacity_bps,
)
from assess.collect.models import (
    DeviceCollection,
    DeviceFacts,
    DirectionUtilisation,
    InterfaceCounters,
    InterfaceInfo,
    LinkUtilisation,
    Poll,
)
from assess.errors import CollectionError, DeviceAuthError, DeviceTimeoutError
from assess.inventory import Credentials, Device, Inventory, LoadedInventory, WanLink

log = logging.getLogger(__name__)

ProgressFn = Callable[[str], None]


def canonical_name(name: str) -> str:
    """Canonical interface name (``Gi0/0/0`` -> ``GigabitEthernet0/0/0``), so getters and the
    inventory join on the same key (DOMAIN.md 3b: drivers name one port several ways)."""
    from napalm.base.helpers import canonical_interface_name

    return str(canonical_interface_name(name))


def _missing(v: Any) -> int | None:
    """NAPALM reports unsupported counters as -1 (or -100.0): store them as missing."""
    if v is None or not isinstance(v, int | float) or v < 0:
        return None
    return int(v)


def _scrub(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret else text


def _classify(exc: Exception, device: str, secret: str) -> CollectionError:
    from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException

    chain: list[BaseException] = [exc]
    while chain[-1].__cause__ or chain[-1].__context__:
        nxt = chain[-1].__cause__ or chain[-1].__context__
        assert nxt is not None
        chain.append(nxt)
    # The outermost error says what failed, the innermost why (e.g. "Connection refused").
    parts = [f"{type(exc).__name__}: {exc}"]
    root = chain[-1]
    if root is not exc and str(root).strip():
        parts.append(f"{type(root).__name__}: {root}")
    reason = _scrub(" <- ".join(p.strip().splitlines()[0] for p in parts if p.strip()), secret)[:300]
    if any(isinstance(e, NetmikoAuthenticationException) for e in chain):
        return DeviceAuthError(device, "authentication failed: " + reason)
    if any(isinstance(e, NetmikoTimeoutException | TimeoutError | ConnectionError | OSError) for e in chain):
        return DeviceTimeoutError(device, "unreachable: " + reason)
    return CollectionError(device, reason)


def _collect_device(
    dev: Device,
    creds: Credentials,
    polls: int,
    interval_s: float,
    timeout_s: float,
    start_at: float,
    progress: ProgressFn | None,
) -> DeviceCollection:
    from napalm import get_network_driver

    secret = creds.password.get_secret_value()
    lines: list[str] = []

    def note(msg: str) -> None:
        stamp = datetime.now(UTC).strftime("%H:%M:%S.%f")[:-3]
        lines.append(f"{stamp} {dev.name}: {msg}")
        if progress:
            progress(f"{dev.name}: {msg}")

    driver_cls = get_network_driver(dev.driver)
    driver = driver_cls(
        dev.host,
        creds.username,
        secret,
        timeout=int(timeout_s),
        optional_args={"port": dev.port, "conn_timeout": timeout_s, "auth_timeout": timeout_s},
    )
    t0 = time.monotonic()
    try:
        driver.open()
    except Exception as exc:  # noqa: BLE001 - every driver failure is reported, none aborts the run
        err = _classify(exc, dev.name, secret)
        err = type(err)(dev.name, f"{err.reason} (SSH to {dev.host}:{dev.port})")
        note(f"open failed after {time.monotonic() - t0:.1f} s: {err.reason}")
        return DeviceCollection(
            device=dev.name,
            site=dev.site,
            driver=dev.driver,
            status="failed",
            error=str(err),
            log=lines,
        )
    note(f"session open ({dev.driver}, {dev.host}:{dev.port}) in {time.monotonic() - t0:.2f} s")
    facts: DeviceFacts | None = None
    interfaces: dict[str, InterfaceInfo] = {}
    poll_list: list[Poll] = []
    failures: list[str] = []
    try:

        def getter(name: str) -> Any:
            t = time.monotonic()
            try:
                result = getattr(driver, name)()
            except Exception as exc:  # noqa: BLE001
                err = _classify(exc, dev.name, secret)
                failures.append(f"{name}: {err.reason}")
                note(f"{name} failed: {err.reason}")
                return None
            note(f"{name} ok in {time.monotonic() - t:.2f} s")
            return result

        raw_facts = getter("get_facts")
        if raw_facts:
            facts = DeviceFacts(
                hostname=str(raw_facts.get("hostname", "")),
                vendor=str(raw_facts.get("vendor", "")),
                model=str(raw_facts.get("model", "")),
                os_version=str(raw_facts.get("os_version", "")),
                serial_number=str(raw_facts.get("serial_number", "")),
            )
        raw_ifs = getter("get_interfaces") or {}
        for name, info in raw_ifs.items():
            speed = info.get("speed")
            interfaces[canonical_name(name)] = InterfaceInfo(
                description=str(info.get("description", "")),
                is_up=bool(info.get("is_up", False)),
                speed_mbps=float(speed) if isinstance(speed, int | float) and speed > 0 else None,
            )
        for k in range(polls):
            wait = start_at + k * interval_s - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            uptime = None
            if k > 0:
                f = getter("get_facts")
                uptime = float(f["uptime"]) if f and f.get("uptime", -1) >= 0 else None
            elif raw_facts and raw_facts.get("uptime", -1) >= 0:
                uptime = float(raw_facts["uptime"])
            counters = getter("get_interfaces_counters")
            t_done = time.monotonic()
            if counters is None:
                continue
            poll_list.append(
                Poll(
                    t_mono_s=t_done,
                    wall_time=datetime.now(UTC).isoformat(timespec="milliseconds"),
                    uptime_s=uptime,
                    counters={
                        canonical_name(n): InterfaceCounters(
                            rx_octets=_missing(c.get("rx_octets")),
                            tx_octets=_missing(c.get("tx_octets")),
                        )
                        for n, c in counters.items()
                    },
                )
            )
    finally:
        # Closing a dead session must not mask what was collected.
        with contextlib.suppress(Exception):
            driver.close()
    status: Literal["ok", "partial", "failed"] = (
        "ok" if len(poll_list) == polls and not failures else ("partial" if len(poll_list) >= 2 else "failed")
    )
    error = "; ".join(failures) if failures else None
    if status == "failed" and not error:
        error = "fewer than 2 polls succeeded"
    note(f"done: {len(poll_list)}/{polls} polls, status {status}")
    return DeviceCollection(
        device=dev.name,
        site=dev.site,
        driver=dev.driver,
        status=status,
        error=f"device {dev.name}: {error}" if error else None,
        facts=facts,
        interfaces=interfaces,
        polls=poll_list,
        log=lines,
    )


def collect_inventory(
    loaded: LoadedInventory,
    *,
    polls: int | None = None,
    interval_s: float | None = None,
    progress: ProgressFn | None = None,
) -> list[DeviceCollection]:
    """Poll every device of the inventory concurrently; return one ``DeviceCollection`` each.

    Each device gets ``get_facts`` and ``get_interfaces`` once, then ``polls`` rounds of
    ``get_interfaces_counters`` (plus ``get_facts`` for uptime) ``interval_s`` apart on one SSH
    session. Defaults come from the inventory's ``collection`` section. Never raises for a
    device failure: the failed device has ``status == "failed"`` and ``error`` set.
    """
    inv = loaded.inventory
    n_polls = polls if polls is not None else inv.collection.polls
    interval = interval_s if interval_s is not None else inv.collection.interval_s
    # All devices aim at the same poll instants; sessions open first (with slack for the
    # open and the first getters) so the schedule is the same for every device.
    start_at = time.monotonic() + min(inv.collection.timeout_s, 3.0)
    with ThreadPoolExecutor(max_workers=min(inv.collection.workers, len(inv.devices))) as pool:
        futures = [
            pool.submit(
                _collect_device,
                dev,
                loaded.credentials[dev.name],
                n_polls,
                interval,
                inv.collection.timeout_s,
                start_at,
                progress,
            )
            for dev in inv.devices
        ]
        return [f.result() for f in futures]


def _direction(samples: list[CounterSample], circuit_bps: int, physical_bps: float, bits: int) -> DirectionUtilisation:
    ivs = intervals_from_samples(samples, counter_bits=bits, physical_bps=physical_bps)
    m = mean_bps(ivs)
    return DirectionUtilisation(
        circuit_bps=circuit_bps,
        mean_bps=m,
        percent=None if m is None else 100.0 * m / circuit_bps,
        interval_status=[iv.status for iv in ivs],
        interval_bps=[iv.bps for iv in ivs if iv.bps is not None],
    )


def link_utilisation(inv: Inventory, collections: list[DeviceCollection]) -> list[LinkUtilisation]:
    """Per WAN link of the inventory: measured utilisation per direction, or why there is none.

    rx octets are traffic into the site (``down``), tx octets out of it (``up``); percentages
    are of the circuit rate in that direction (DOMAIN.md 3).
    """
    by_device = {c.device: c for c in collections}
    out: list[LinkUtilisation] = []
    for link in inv.links:
        site = inv.site_of_device(link.device)
        col = by_device.get(link.device)
        out.append(_one_link(link, site, col))
    return out


def _one_link(link: WanLink, site: str, col: DeviceCollection | None) -> LinkUtilisation:
    # Canonical name (Gi0/0/0 -> GigabitEthernet0/0/0): configs must name the interface in full.
    name = canonical_name(link.interface)
    base: dict[str, Any] = {"link": link.name, "site": site, "device": link.device, "interface": name}
    if col is None or col.status == "failed":
        reason = col.error if col and col.error else "device not collected"
        return LinkUtilisation(**base, collected=False, reason=reason)
    info = col.interfaces.get(name)
    polls = [p for p in col.polls if name in p.counters]
    if len(polls) < 2:
        return LinkUtilisation(
            **base,
            collected=False,
            reason=f"interface {link.interface} not found in get_interfaces_counters of {link.device}",
        )
    speed = info.speed_mbps if info else None
    rx = [CounterSample(p.t_mono_s, p.counters[name].rx_octets, p.uptime_s) for p in polls]
    tx = [CounterSample(p.t_mono_s, p.counters[name].tx_octets, p.uptime_s) for p in polls]
    return LinkUtilisation(
        **base,
        collected=True,
        port_speed_mbps=speed,
        down=_direction(
            rx,
            link.circuit_down_bps,
            physical_capacity_bps(speed, link.circuit_down_bps),
            link.counter_bits,
        ),
        up=_direction(
            tx,
            link.circuit_up_bps,
            physical_capacity_bps(speed, link.circuit_up_bps),
            link.counter_bits,
        ),
        window_s=polls[-1].t_mono_s - polls[0].t_mono_s,
    )
