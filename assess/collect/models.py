"""What collection hands back: our own pydantic models, never raw NAPALM dicts (STYLE.md 1)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class _M(BaseModel):
    model_config = ConfigDict(frozen=True)


class InterfaceInfo(_M):
    """``get_interfaces`` for one interface. ``speed_mbps`` is evidence only (NAPALM ``ios`` reports
    the configured bandwidth); ``None`` when the device reported 0 or nothing."""

    description: str = ""
    is_up: bool = False
    speed_mbps: float | None = None


class InterfaceCounters(_M):
    """Octet counters of one interface at one poll; ``None`` = not reported (NAPALM -1)."""

    rx_octets: int | None
    tx_octets: int | None


class Poll(_M):
    """One poll of one device.

    ``t_mono_s``: collector monotonic clock when ``get_interfaces_counters`` returned.
    ``wall_time``: ISO 8601 UTC of the same moment. ``uptime_s``: from ``get_facts`` at that poll.
    ``counters``: canonical interface name -> counters.
    """

    t_mono_s: float
    wall_time: str
    uptime_s: float | None
    counters: dict[str, InterfaceCounters]


class QueueClassCounters(_M):
    """One class of one QoS policy on one interface (``show policy-map interface``), counters
    since the policy was attached. ``drops``: queue tail drops (or, for a priority class, its
    exceed drops), in packets; ``None`` when the class shows no queue statistics.
    ``leaf``: the innermost policy of that interface and direction (the parent of a
    hierarchical policy only sums its children, so it is not counted again)."""

    interface: str
    direction: str
    policy: str
    class_name: str
    leaf: bool
    packets: int | None
    drops: int | None
    offered_rate_bps: int | None


class QueuePoll(_M):
    """QoS queue counters of one device at one moment (collector monotonic clock)."""

    t_mono_s: float
    classes: list[QueueClassCounters]


class ClassDrops(_M):
    """Measured queue drops of one class on a link's interface over the collection window."""

    policy: str
    class_name: str
    direction: str
    drops: int
    window_s: float
    drops_per_s: float
    packets: int | None


class DeviceFacts(_M):
    """``get_facts``, the parts the report shows."""

    hostname: str
    vendor: str
    model: str
    os_version: str
    serial_number: str


class DeviceCollection(_M):
    """Everything collected from one device, or why it failed.

    ``status``: ``ok`` (all polls), ``partial`` (some polls failed), ``failed`` (nothing usable).
    ``log``: human-readable lines, one per step, with timings, for the report's collection log.
    """

    device: str
    site: str
    driver: str
    status: Literal["ok", "partial", "failed"]
    error: str | None = None
    facts: DeviceFacts | None = None
    interfaces: dict[str, InterfaceInfo] = {}
    polls: list[Poll] = []
    #: ``show policy-map interface`` at the first and last poll (IOS/IOS-XE only; empty when the
    #: device has no policy or the command failed; optional evidence, never a failure).
    queue_polls: list[QueuePoll] = []
    log: list[str] = []


class DirectionUtilisation(_M):
    """Measured utilisation of one link direction over the collection window.

    ``mean_bps``: time-weighted over valid intervals; ``None`` when no interval was valid.
    ``percent``: of the circuit rate in that direction. ``interval_status``: one per interval
    (``ok``, ``wrap``, ``reset``, ``reboot``, ``over_capacity``, ``missing``, ``bad_time``).
    ``interval_bps``: the rate of each valid interval (for the CSV and the spread).
    """

    circuit_bps: int
    mean_bps: float | None
    percent: float | None
    interval_status: list[str]
    interval_bps: list[float]


class LinkUtilisation(_M):
    """Measured utilisation of one WAN link, both directions (``down`` = rx, ``up`` = tx)."""

    link: str
    site: str
    device: str
    interface: str
    collected: bool
    reason: str | None = None
    port_speed_mbps: float | None = None
    down: DirectionUtilisation | None = None
    up: DirectionUtilisation | None = None
    window_s: float = 0.0
    #: measured QoS queue drops per class on the interface over the window (``None``: no
    #: evidence, e.g. a platform without the netmiko parser or no policy on the interface)
    queue_drops: list[ClassDrops] | None = None
