"""Exact binning of transfers into a bits-per-bin series (DOMAIN.md section 2).

A transfer moves ``bits`` at a constant rate ``r = bits / (end - start)``. Its contribution to
the cumulative-bits curve has slope ``+r`` from ``start`` and ``-r`` from ``end``. At a bin edge
``T`` the curve is ``C(T) = T * R(T) - S(T)``, where ``R`` sums the rates of the transfers that
have started by ``T`` (minus those that have ended) and ``S`` sums ``r * start`` (minus
``r * end``); both are bincounts at the first edge after each start and end, then cumulative
sums. Bits per bin are ``C(T_{j+1}) - C(T_j)``: exact, and conserved (up to floating point) for
the part of each transfer inside ``[0, n*dt)``, with no per-bin loop. Transfers that start and
end in the same bin (most requests) skip this and add their bits to the bin directly.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]


def bin_transfers(
    start_s: F64,
    end_s: F64,
    bits: F64,
    key: NDArray[np.int64],
    n_keys: int,
    n_bins: int,
    dt_s: float,
) -> F64:
    """Bits per bin for each key.

    Args:
        start_s, end_s: transfer start and end times (s), shape ``(m,)``; ``end >= start``. A
            transfer with ``end == start`` is placed whole in the bin of ``start``.
        bits: bits moved by each transfer, shape ``(m,)``, >= 0.
        key: the series each transfer belongs to, ints in ``[0, n_keys)``, shape ``(m,)``.
        n_keys, n_bins, dt_s: output shape ``(n_keys, n_bins)`` of bins ``dt_s`` wide from t = 0.

    Returns:
        bits per bin, shape ``(n_keys, n_bins)``. Parts of transfers outside ``[0, n_bins*dt_s)``
        are cut off (their bits pro rata).

    Raises:
        ValueError: shapes differ, ``end < start``, or a key is out of range.
    """
    m = start_s.shape[0]
    if not (end_s.shape == bits.shape == key.shape == (m,)):
        raise ValueError("start_s, end_s, bits and key must have the same shape (m,)")
    if m and (np.any(end_s < start_s) or key.min() < 0 or key.max() >= n_keys):
        raise ValueError("transfers need end >= start and keys in [0, n_keys)")
    n_edges = n_bins + 1
    stride = n_edges + 1  # one spare column collects transfers entering after the last edge
    size = n_keys * stride
    if m == 0:
        return np.zeros((n_keys, n_bins))
    js = np.floor(start_s / dt_s).astype(np.int64) + 1  # the first bin edge after the start
    je = np.floor(end_s / dt_s).astype(np.int64) + 1
    # Most transfers (every request of a few KB) start and end inside one bin, or take no time:
    # all their bits go to that bin in one bincount.
    one = js == je
    jb = js[one]
    ok = (jb >= 1) & (jb <= n_bins)
    direct = np.bincount((key[one] * stride + jb - 1)[ok], weights=bits[one][ok], minlength=size)
    # The rest: cumulative bits at the bin edges T_j = j*dt (j = 0..n_bins), C(T) = T*R(T) - S(T),
    # with R(T) the summed rate of transfers under way at T and S(T) the sum of r*start (minus
    # r*end for those already ended). A transfer enters R and S at the first edge after its start
    # and leaves at the first edge after its end: four bincounts and two cumulative sums.
    span = ~one
    s, e, b = start_s[span], end_s[span], bits[span]
    rate = b / (e - s)
    base = key[span] * stride
    i_in = base + np.clip(js[span], 0, n_edges)
    i_out = base + np.clip(je[span], 0, n_edges)
    r_in = np.bincount(i_in, weights=rate, minlength=size)
    r_out = np.bincount(i_out, weights=rate, minlength=size)
    s_in = np.bincount(i_in, weights=rate * s, minlength=size)
    s_out = np.bincount(i_out, weights=rate * e, minlength=size)
    active = np.cumsum((r_in - r_out).reshape(n_keys, stride)[:, :n_edges], axis=1)
    offset = np.cumsum((s_in - s_out).reshape(n_keys, stride)[:, :n_edges], axis=1)
    cumulative = (np.arange(n_edges) * dt_s) * active - offset
    result = direct.reshape(n_keys, stride)[:, :n_bins] + np.diff(cumulative, axis=1)
    return np.asarray(result, dtype=np.float64)
