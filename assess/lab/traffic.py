"""Octet counters that advance with time at prescribed rates, for the simulated lab.

Each interface direction has a busy-hour mean rate (bits/s). The instantaneous rate is
piecewise constant per second: ``mean * diurnal(hour of lab clock) * max(0, 1 + cov * z)`` with
``z`` standard normal from a seeded generator, so the counter is the exact integral of that rate
and never goes backwards.
"""

from __future__ import annotations

import hashlib

import numpy as np

DAY_S = 86_400


def diurnal_factor(hours: np.ndarray, curve: list[float]) -> np.ndarray:
    """Linear interpolation of a 24-point hourly curve (1.0 = busy hour) at fractional hours."""
    pts = np.asarray(curve + curve[:1], dtype=float)
    h = np.mod(hours, 24.0)
    return np.asarray(np.interp(h, np.arange(25, dtype=float), pts), dtype=float)


class CounterTrack:
    """The octet counter of one interface direction.

    Args:
        mean_bps: busy-hour mean rate in bits/s (>= 0).
        seed_key: a string that selects the random stream (e.g. ``"hq-rtr1/Gi0/0/0/rx"``).
        seed: the lab's seed.
        clock_start_h: lab clock (hours, local) at t = 0.
        curve: 24 hourly factors of the daily shape.
        noise_cov: coefficient of variation of the per-second noise.
        initial_octets: the counter's value at t = 0.
    """

    def __init__(
        self,
        mean_bps: float,
        seed_key: str,
        seed: int,
        clock_start_h: float,
        curve: list[float],
        noise_cov: float,
        initial_octets: int,
    ) -> None:
        digest = hashlib.sha256(f"{seed}/{seed_key}".encode()).digest()
        rng = np.random.default_rng(int.from_bytes(digest[:8], "little"))
        seconds = np.arange(DAY_S, dtype=float)
        shape = diurnal_factor(clock_start_h + seconds / 3600.0, curve)
        noise = np.maximum(0.0, 1.0 + noise_cov * rng.standard_normal(DAY_S))
        self.rate_bps = mean_bps * shape * noise
        self.cum_bits = np.concatenate(([0.0], np.cumsum(self.rate_bps)))
        self.initial_octets = initial_octets

    def octets_at(self, t_s: float) -> int:
        """Counter value ``t_s`` seconds after lab start (wraps around after a day of lab time)."""
        days, rem = divmod(max(t_s, 0.0), DAY_S)
        k = int(rem)
        bits = days * self.cum_bits[-1] + self.cum_bits[k] + (rem - k) * self.rate_bps[k]
        return self.initial_octets + int(bits // 8)

    def rate_at(self, t_s: float) -> float:
        """Instantaneous rate (bits/s) at ``t_s``."""
        return float(self.rate_bps[int(max(t_s, 0.0)) % DAY_S])
