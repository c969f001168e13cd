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
    ClassDrops,
    DeviceCollection,
    DeviceFacts,
    DirectionUtilisation,
    InterfaceInfo,
    LinkUtilisation,
    Poll,
    QueueClassCounters,
    QueuePoll,
)
from assess.collect.session import DeviceSession, canonical_name
from assess.errors import CollectionError
from assess.inventory import Credentials, Device, Inventory, LoadedInventory, WanLink

log = logging.getLogger(__name__)

ProgressFn = Callable[[str], None]


def _collect_device(
    dev: Device,
    creds: Credentials,
    polls: int,
    interval_s: float,
    timeout_s: float,
    progress: ProgressFn | None,
    read_queue_drops: bool = True,
    uptime_via: str = "command",
) -> DeviceCollection:
    lines: list[str] = []

    def note(msg: str) -> None:
        stamp = datetime.now(UTC).strftime("%H:%M:%S.%f")[:-3]
        lines.append(f"{stamp} {dev.name}: {msg}")
        if progress:
            progress(f"{dev.name}: {msg}")

    session = DeviceSession(dev, creds, timeout_s, note)
    try:
        session.open()
    except CollectionError as err:
        return DeviceCollection(
            device=dev.name, site=dev.site, driver=dev.driver, status="failed", error=str(err), log=lines
        )
    facts: DeviceFacts | None = None
    interfaces: dict[str, InterfaceInfo] = {}
    poll_list: list[Poll] = []
    queue_polls: list[QueuePoll] = []
    failures: list[str] = []
    try:
        uptime: float | None = None
        try:
            facts, uptime = session.facts()
        except CollectionError as err:
            failures.append(f"get_facts: {err.reason}")
        try:
            interfaces = session.interfaces()
        except CollectionError as err:
            failures.append(f"get_interfaces: {err.reason}")
        # Each device keeps its own schedule from its first poll: with more devices than workers
        # a shared start instant would bunch the late devices' polls together.
        start_at = time.monotonic()
        for k in range(polls):
            wait = start_at + k * interval_s - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                if k > 0:  # uptime at every poll: a reboot between polls voids the interval
                    uptime = session.facts()[1] if uptime_via == "get_facts" else session.uptime()
                poll_list.append(session.counters(uptime))
            except CollectionError as err:
                failures.append(f"poll {k + 1}: {err.reason}")
            if read_queue_drops and k in (0, polls - 1):  # optional evidence at both ends of the window
                with contextlib.suppress(CollectionError):
                    qp = session.queue_counters()
                    if qp is not None:
                        queue_polls.append(qp)
    finally:
        session.close()
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
        queue_polls=queue_polls,
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
    with ThreadPoolExecutor(max_workers=min(inv.collection.workers, len(inv.devices))) as pool:
        futures = [
            pool.submit(
                _collect_device,
                dev,
                loaded.credentials[dev.name],
                n_polls,
                interval,
                inv.collection.timeout_s,
                progress,
                inv.collection.queue_drops,
                inv.collection.uptime_via,
            )
            for dev in inv.devices
        ]
        out = []
        for dev, f in zip(inv.devices, futures, strict=True):
            try:
                out.append(f.result())
            except Exception as exc:  # noqa: BLE001 - one device's bug must not cost the others
                reason = f"device {dev.name}: collection stopped by {type(exc).__name__}: {str(exc)[:200]}"
                out.append(
                    DeviceCollection(device=dev.name, site=dev.site, driver=dev.driver, status="failed", error=reason)
                )
        return out


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
        queue_drops=queue_drops(col, name),
    )


def queue_drops(col: DeviceCollection, interface: str) -> list[ClassDrops] | None:
    """Per leaf class of ``interface``'s QoS policies: queue drops between the device's first and
    last ``show policy-map interface`` (packets, and per second). ``None`` without two readings
    of that interface; a class whose counter went down (cleared) is left out."""
    if len(col.queue_polls) < 2:
        return None
    first, last = col.queue_polls[0], col.queue_polls[-1]

    def key(c: QueueClassCounters) -> tuple[str, str, str]:
        return (c.direction, c.policy, c.class_name)

    before = {key(c): c for c in first.classes if c.interface == interface and c.leaf}
    after = [c for c in last.classes if c.interface == interface and c.leaf]
    if not before or not after:
        return None
    window = last.t_mono_s - first.t_mono_s
    out = []
    for c in after:
        b = before.get(key(c))
        if b is None or b.drops is None or c.drops is None or c.drops < b.drops or window <= 0:
            continue
        delta = c.drops - b.drops
        out.append(
            ClassDrops(
                policy=c.policy,
                class_name=c.class_name,
                direction=c.direction,
                drops=delta,
                window_s=window,
                drops_per_s=delta / window,
                packets=(c.packets - b.packets) if c.packets is not None and b.packets is not None else None,
            )
        )
    return out
