"""Counter maths: octet counters polled over time -> utilisation in bits/s.

Formulas and rules (DOMAIN.md section 3 and 3b):

* ``bps = 8 * delta(octets) / delta(t)``, with ``t`` the collector's monotonic time at which the
  getter returned (never the nominal interval).
* A decrease of a 32-bit counter is a wrap (``delta += 2**32``) only if one wrap is plausible at
  the link's physical capacity; otherwise, and always for 64-bit counters, it is a reset (reboot or
  ``clear counters``): the interval is discarded, never counted as traffic.
* Device uptime lower than the previous uptime, or lower than the interval, means a reboot: the
  interval is discarded.
* A rate above the physical capacity is discarded (LibreNMS: RRD DERIVE min 0, max; MRTG
  MaxBytes).
* Capacity for percentages is the circuit rate from the inventory, never the port ``speed``
  NAPALM reports (NAPALM ``ios`` returns the configured ``bandwidth``; LibreNMS #4318).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

WRAP_32 = 2**32
WRAP_64 = 2**64

IntervalStatus = Literal["ok", "wrap", "reset", "reboot", "over_capacity", "missing", "bad_time"]


@dataclass(frozen=True)
class CounterSample:
    """One read of one interface direction.

    ``t_s``: collector monotonic time when the getter returned (seconds).
    ``octets``: the counter value, or ``None`` when the device did not report it (NAPALM's -1).
    ``uptime_s``: device uptime from ``get_facts`` at that poll, or ``None`` if unknown.
    """

    t_s: float
    octets: int | None
    uptime_s: float | None = None


@dataclass(frozen=True)
class Interval:
    """Traffic between two successive samples.

    ``bits`` and ``bps`` are ``None`` when the interval was discarded; ``status`` says why.
    """

    t0_s: float
    t1_s: float
    status: IntervalStatus
    bits: float | None
    bps: float | None


def intervals_from_samples(
    samples: list[CounterSample],
    *,
    counter_bits: int = 64,
    physical_bps: float,
) -> list[Interval]:
    """Turn successive samples into per-interval rates.

    Args:
        samples: in poll order (at least 2 for any interval).
        counter_bits: 32 or 64, the width of the octet counter.
        physical_bps: the highest rate the interface can carry (max of port speed and circuit
            rate, in bits/s); bounds wrap plausibility and discards impossible rates. Must be > 0.

    Returns:
        ``len(samples) - 1`` intervals.

    Raises:
        ValueError: ``counter_bits`` not 32/64, or ``physical_bps`` <= 0.
    """
    if counter_bits not in (32, 64):
        raise ValueError(f"counter_bits must be 32 or 64, got {counter_bits}")
    if physical_bps <= 0:
        raise ValueError(f"physical_bps must be > 0, got {physical_bps}")
    out: list[Interval] = []
    for prev, cur in zip(samples, samples[1:], strict=False):
        dt = cur.t_s - prev.t_s
        if dt <= 0:
            out.append(Interval(prev.t_s, cur.t_s, "bad_time", None, None))
            continue
        if prev.octets is None or cur.octets is None:
            out.append(Interval(prev.t_s, cur.t_s, "missing", None, None))
            continue
        if (
            prev.uptime_s is not None
            and cur.uptime_s is not None
            and (cur.uptime_s < prev.uptime_s or cur.uptime_s < dt)
        ):
            out.append(Interval(prev.t_s, cur.t_s, "reboot", None, None))
            continue
        delta = cur.octets - prev.octets
        status: IntervalStatus = "ok"
        if delta < 0:
            wrapped = delta + WRAP_32
            if counter_bits == 32 and 8 * wrapped / dt <= physical_bps:
                delta, status = wrapped, "wrap"
            else:
                out.append(Interval(prev.t_s, cur.t_s, "reset", None, None))
                continue
        bps = 8 * delta / dt
        if bps > physical_bps:
            out.append(Interval(prev.t_s, cur.t_s, "over_capacity", None, None))
            continue
        out.append(Interval(prev.t_s, cur.t_s, status, 8.0 * delta, bps))
    return out


def mean_bps(intervals: list[Interval]) -> float | None:
    """Time-weighted mean rate over the valid intervals (bits/s), ``None`` if none is valid."""
    valid = [iv for iv in intervals if iv.bits is not None]
    if not valid:
        return None
    seconds = sum(iv.t1_s - iv.t0_s for iv in valid)
    return sum(iv.bits for iv in valid if iv.bits is not None) / seconds


def physical_capacity_bps(port_speed_mbps: float | None, circuit_bps: int) -> float:
    """Upper bound of what an interface can carry, in bits/s.

    ``port_speed_mbps`` is NAPALM's ``speed`` (Mb/s; 0, negative or ``None`` when unknown, in
    which case the circuit rate is used). Never returns 0.
    """
    port_bps = (port_speed_mbps or 0) * 1e6
    return max(port_bps, float(circuit_bps))
