"""Exact binning of transfers into a bits-per-bin series (DOMAIN.md section 2).

A transfer moves ``bits`` at a constant rate ``r = bits / (end - start)``. Its contribution to
the cumulative-bits curve has slope ``+r`` from ``start`` and ``-r`` from ``end``, so the bits in
each bin are: the partial first bin, the partial last bin, and ``r * dt`` for every full bin in
between. Partials go in with one ``bincount``; full bins as a difference array (``+r*dt`` at the
first full bin, ``-r*dt`` after the last) with a second ``bincount`` and a ``cumsum``. The total is
conserved exactly (up to floating point) for the part of each transfer inside ``[0, n*dt)``.
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
    horizon = n_bins * dt_s
    width = n_bins + 1  # one spare column so that an end exactly at the horizon stays in range
    out = np.zeros(n_keys * width)
    if m == 0:
        return out.reshape(n_keys, width)[:, :n_bins]

    instant = end_s <= start_s
    # Instantaneous transfers: all bits in one bin.
    if np.any(instant):
        t = start_s[instant]
        inside = (t >= 0) & (t < horizon)
        idx = key[instant][inside] * width + np.floor(t[inside] / dt_s).astype(np.int64)
        out += np.bincount(idx, weights=bits[instant][inside], minlength=out.size)

    s, e, b, k = start_s[~instant], end_s[~instant], bits[~instant], key[~instant]
    rate = b / (e - s)
    sc = np.clip(s, 0.0, horizon)
    ec = np.clip(e, 0.0, horizon)
    keep = ec > sc
    sc, ec, rate, k = sc[keep], ec[keep], rate[keep], k[keep]
    b0 = np.floor(sc / dt_s).astype(np.int64)
    b1 = np.floor(ec / dt_s).astype(np.int64)
    same = b0 == b1
    base = k * width
    # Pass 1: partial bins (and transfers that sit inside one bin).
    idx = np.concatenate([base[same] + b0[same], base[~same] + b0[~same], base[~same] + b1[~same]])
    w = np.concatenate(
        [
            rate[same] * (ec[same] - sc[same]),
            rate[~same] * ((b0[~same] + 1) * dt_s - sc[~same]),
            rate[~same] * (ec[~same] - b1[~same] * dt_s),
        ]
    )
    out += np.bincount(idx, weights=w, minlength=out.size)
    # Pass 2: full bins b0+1 .. b1-1 as a difference array, then a cumulative sum per key.
    full = ~same & (b1 > b0 + 1)
    diff = np.bincount(
        np.concatenate([base[full] + b0[full] + 1, base[full] + b1[full]]),
        weights=np.concatenate([rate[full] * dt_s, -rate[full] * dt_s]),
        minlength=out.size,
    ).reshape(n_keys, width)
    result = out.reshape(n_keys, width) + np.cumsum(diff, axis=1)
    return result[:, :n_bins]
