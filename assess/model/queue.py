"""Burst-scale queueing: a rate series through a fluid queue with a finite buffer (DOMAIN.md 3).

At packet scale queueing delays are tiny; what hurts AI traffic is burst-scale queueing, when a
fan-out burst or a retry storm pushes the offered rate above the circuit for a second or more.
The link is modelled as a fluid queue fed by the offered rate series ``a_k`` (bits/s, one value
per ``dt_s`` bin) and drained at the circuit rate ``C``, with a buffer of ``B`` bits. Lindley's
recursion with a ceiling (DOMAIN.md 3, "Series form"):

    W_k = Q_{k-1} + (a_k - C) * dt          (work in the queue before the buffer limit)
    Q_k = min(B, max(0, W_k))               (queue after bin k, bits)
    D_k = max(0, W_k - B)                   (bits dropped in bin k)

Extra delay is ``Q_k / C``. For a single burst of width ``w`` this reduces to the closed form
``Q_peak = min(B, max(0, (R + b - C) * w))``, dropped ``max(0, (R + b - C) * w - B)``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

#: Default buffer, as time at the circuit rate: 100 ms (assumption; the DOMAIN.md 3 example and a
#: common WAN edge default; the bandwidth-delay product RTT*C is the classical rule).
DEFAULT_BUFFER_S = 0.100
#: "Busy" threshold for ``seconds_above_90pct`` (share of the circuit).
BUSY_SHARE = 0.90


class QueueResult(BaseModel):
    """A series through the fluid queue.

    ``dropped_bytes``: total over the series; ``drop_share``: dropped / offered bytes;
    ``peak_delay_ms``: the largest queueing delay (queue / circuit), ``mean_delay_ms`` its
    average over the series; ``seconds_above_90pct``:
    time the offered rate was at or above 90 % of the circuit; ``buffer_bytes`` as used.
    """

    model_config = ConfigDict(frozen=True)
    buffer_bytes: float
    dropped_bytes: float
    drop_share: float
    peak_delay_ms: float
    seconds_above_90pct: float
    mean_delay_ms: float = 0.0


def fluid_queue(
    offered_bps: NDArray[np.floating], capacity_bps: float, buffer_bits: float, dt_s: float = 1.0
) -> QueueResult:
    """Run ``offered_bps`` (shape ``(n,)``, bits/s per bin of ``dt_s`` seconds) through a fluid
    queue drained at ``capacity_bps`` with ``buffer_bits`` of buffer (Lindley recursion above).

    Raises:
        ValueError: capacity not positive, buffer or bin width negative, or a negative rate.
    """
    if capacity_bps <= 0:
        raise ValueError(f"capacity_bps must be > 0, got {capacity_bps}")
    if buffer_bits < 0 or dt_s <= 0:
        raise ValueError(f"buffer_bits must be >= 0 and dt_s > 0, got {buffer_bits}, {dt_s}")
    a = np.asarray(offered_bps, dtype=np.float64)
    if a.size and float(a.min()) < 0:
        raise ValueError("offered_bps has a negative rate")
    net = (a - capacity_bps) * dt_s  # bits added to the queue per bin (negative: drained)
    q = 0.0
    q_peak = 0.0
    q_sum = 0.0
    dropped = 0.0
    # The recursion is inherently sequential; a busy hour at 1 s is 3,600 steps, a few ms.
    for x in net.tolist():
        w = q + x
        if w > buffer_bits:
            dropped += w - buffer_bits
            q = buffer_bits
        else:
            q = w if w > 0.0 else 0.0
        q_sum += q
        if q > q_peak:
            q_peak = q
    offered_bits = float(a.sum()) * dt_s
    return QueueResult(
        buffer_bytes=buffer_bits / 8,
        dropped_bytes=dropped / 8,
        drop_share=dropped / offered_bits if offered_bits > 0 else 0.0,
        peak_delay_ms=1000.0 * q_peak / capacity_bps,
        seconds_above_90pct=float(np.count_nonzero(a >= BUSY_SHARE * capacity_bps)) * dt_s,
        mean_delay_ms=1000.0 * q_sum / max(a.size, 1) / capacity_bps,
    )


def mm1_wait_s(arrival_rate_per_s: float, mean_service_s: float) -> float:
    """M/M/1 mean wait in queue ``Wq = rho * E[S] / (1 - rho)`` (DOMAIN.md 3; Kleinrock 1975).

    Raises ``ValueError`` unless ``0 <= rho < 1``.
    """
    rho = arrival_rate_per_s * mean_service_s
    if not 0 <= rho < 1:
        raise ValueError(f"utilisation rho = {rho:.3f} must be in [0, 1)")
    return rho * mean_service_s / (1 - rho)


def md1_wait_s(arrival_rate_per_s: float, service_s: float) -> float:
    """M/D/1 mean wait in queue: half the M/M/1 wait (Pollaczek-Khinchine with cs = 0)."""
    return mm1_wait_s(arrival_rate_per_s, service_s) / 2


def kingman_wait_s(rho: float, ca2: float, cs2: float, mean_service_s: float) -> float:
    """Kingman's G/G/1 approximation ``Wq ~ rho/(1-rho) * (ca^2 + cs^2)/2 * E[S]`` (Kingman 1961).

    ``ca2``, ``cs2``: squared coefficients of variation of inter-arrival and service times.
    Raises ``ValueError`` unless ``0 <= rho < 1``.
    """
    if not 0 <= rho < 1:
        raise ValueError(f"utilisation rho = {rho:.3f} must be in [0, 1)")
    return rho / (1 - rho) * (ca2 + cs2) / 2 * mean_service_s


def lindley_waits_s(interarrival_s: NDArray[np.floating], service_s: NDArray[np.floating]) -> NDArray[np.float64]:
    """Waiting times of successive customers of a FIFO single-server queue by Lindley's
    recursion ``W_{k+1} = max(0, W_k + S_k - A_{k+1})`` (Lindley 1952); shapes ``(n,)`` in
    seconds, ``interarrival_s[k]`` being the gap before customer ``k`` (the first is ignored)."""
    a = np.asarray(interarrival_s, dtype=np.float64)
    s = np.asarray(service_s, dtype=np.float64)
    if a.shape != s.shape:
        raise ValueError(f"interarrival_s {a.shape} and service_s {s.shape} differ in shape")
    w = np.zeros(a.shape[0])
    wk = 0.0
    for k in range(1, a.shape[0]):
        wk = max(0.0, wk + float(s[k - 1]) - float(a[k]))
        w[k] = wk
    return w
