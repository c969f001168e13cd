"""Import utilisation history teams already have (CSV exports) into a Parquet dataset.

CSV format (one header row; column order free; extra columns ignored):

=============  =====================================================================
column         meaning
=============  =====================================================================
timestamp      ISO 8601 with a UTC offset (``2026-11-01T10:05:00Z``,
               ``2026-11-01 11:05:00+01:00``) or Unix epoch seconds
device         device name as in the inventory
interface      interface name (abbreviations are fine: ``Gi0/0/0``)
in_bps         mean rate into the interface over the interval ending at timestamp, bits/s
out_bps        same, out of the interface
=============  =====================================================================

or, instead of ``in_bps``/``out_bps``, octet counters ``in_octets``/``out_octets`` (as SNMP
``ifHCInOctets``/``ifHCOutOctets``), which are turned into rates with the counter rules of
``assess.collect.counters`` (wraps, resets; ``--counter-bits 32`` for ``ifInOctets``).

Rows become ``DIR/history/part-<seq>-<import>.parquet`` with ``device``, ``interface``,
``time_ns`` (UTC epoch ns, end of interval), ``interval_s``, ``in_bps``, ``out_bps``,
``source``. Errors name the file and CSV line; nothing is written unless the whole file is valid.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from assess.collect.counters import CounterSample, intervals_from_samples
from assess.errors import InventoryError

REQUIRED = ("timestamp", "device", "interface")
RATE_COLS = ("in_bps", "out_bps")
COUNTER_COLS = ("in_octets", "out_octets")
MAX_PROBLEMS = 20


def history_schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            ("device", pa.string()),
            ("interface", pa.string()),
            ("time_ns", pa.int64()),
            ("interval_s", pa.float64()),
            ("in_bps", pa.float64()),
            ("out_bps", pa.float64()),
            ("source", pa.string()),
        ]
    )


def _parse_times(col: Any, path: Path, problems: list[str]) -> Any:
    import pandas as pd

    raw = col.astype(str).str.strip()
    numeric = pd.to_numeric(raw, errors="coerce")
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns, UTC]")
    is_num = numeric.notna()
    out[is_num] = pd.to_datetime(numeric[is_num], unit="s", utc=True)
    for i in raw.index[~is_num]:
        text = raw[i]
        try:
            ts = pd.Timestamp(text)
        except (ValueError, TypeError):
            problems.append(f"{path}: line {i + 2}: timestamp {text!r} is not ISO 8601 or epoch seconds")
            continue
        if ts.tzinfo is None:
            problems.append(f"{path}: line {i + 2}: timestamp {text!r} has no UTC offset (add Z or +hh:mm)")
            continue
        out[i] = ts.tz_convert("UTC")
    return out


def counter_rows(
    device: str,
    interface: str,
    t_s: list[float],
    end_ns: list[int],
    octets: dict[str, list[Any]],
    uptime_s: list[Any] | None,
    *,
    counter_bits: int,
    physical_bps: float,
) -> list[dict[str, Any]]:
    """Successive counter reads of one interface -> one history row per interval.

    ``t_s``: read times (s, one clock); ``end_ns``: the UTC epoch ns each row is stamped with;
    ``octets``: ``{"in_bps": [...], "out_bps": [...]}`` raw octet counters (NaN/None = missing);
    ``uptime_s``: device uptime per read, or ``None``. Rates follow ``assess.collect.counters``
    (wraps, resets, reboots: a discarded interval has no rate, a gap, never a zero).
    """
    import pandas as pd

    rates = {}
    for name, vals in octets.items():
        ups = uptime_s if uptime_s is not None else [None] * len(t_s)
        samples = [
            CounterSample(ti, None if pd.isna(v) else int(v), None if pd.isna(u) else float(u))
            for ti, v, u in zip(t_s, vals, ups, strict=True)
        ]
        rates[name] = [
            iv.bps for iv in intervals_from_samples(samples, counter_bits=counter_bits, physical_bps=physical_bps)
        ]
    return [
        {
            "device": device,
            "interface": interface,
            "time_ns": int(end_ns[k]),
            "interval_s": t_s[k] - t_s[k - 1],
            "in_bps": rates["in_bps"][k - 1],
            "out_bps": rates["out_bps"][k - 1],
        }
        for k in range(1, len(t_s))
    ]


def read_history_csv(path: Path, *, counter_bits: int = 64, circuit_bps: float = 100e9) -> Any:
    """Read and validate one CSV; return a DataFrame in the history schema.

    ``circuit_bps`` bounds plausible rates for counter CSVs (the physical rate; default 100 G).

    Raises:
        InventoryError: unreadable file, missing columns (named), neither rate nor counter
            columns, unparsable timestamps or numbers, negative rates: up to 20 problems, each
            with its CSV line.
    """
    import numpy as np
    import pandas as pd

    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InventoryError(str(path), [f"cannot read as CSV: {exc}"]) from None
    df.columns = [c.strip().lower() for c in df.columns]
    cols = set(df.columns)
    missing = [c for c in REQUIRED if c not in cols]
    has_rates = all(c in cols for c in RATE_COLS)
    has_counters = all(c in cols for c in COUNTER_COLS)
    if not (has_rates or has_counters):
        partial = [c for c in (*RATE_COLS, *COUNTER_COLS) if c in cols]
        if partial:  # half of a pair given: name the other half
            pair = RATE_COLS if partial[0] in RATE_COLS else COUNTER_COLS
            missing += [c for c in pair if c not in cols]
        else:
            missing.append("in_bps and out_bps (rates) or in_octets and out_octets (counters)")
    if missing:
        raise InventoryError(
            str(path), [f"missing column(s): {', '.join(missing)}; the header has: {', '.join(df.columns)}"]
        )
    if has_rates and has_counters:
        raise InventoryError(str(path), ["give rates (in_bps, out_bps) or counters (in_octets, out_octets), not both"])
    problems: list[str] = []
    times = _parse_times(df["timestamp"], path, problems)
    value_cols = RATE_COLS if has_rates else COUNTER_COLS
    values = {}
    for c in value_cols:
        v = pd.to_numeric(df[c].str.strip().replace("", np.nan), errors="coerce")
        bad = v.isna() & (df[c].str.strip() != "")
        for i in df.index[bad][:MAX_PROBLEMS]:
            problems.append(f"{path}: line {i + 2}: {c} {df.at[i, c]!r} is not a number")
        neg = v < 0
        for i in df.index[neg][:MAX_PROBLEMS]:
            problems.append(f"{path}: line {i + 2}: {c} is negative ({df.at[i, c]})")
        values[c] = v
    for c in ("device", "interface"):
        for i in df.index[df[c].str.strip() == ""][:MAX_PROBLEMS]:
            problems.append(f"{path}: line {i + 2}: {c} is empty")
    if problems:
        extra = len(problems) - MAX_PROBLEMS
        shown = problems[:MAX_PROBLEMS] + ([f"... and {extra} more"] if extra > 0 else [])
        raise InventoryError(str(path), shown)
    from assess.collect.session import canonical_name

    base = pd.DataFrame(
        {
            "device": df["device"].str.strip(),
            "interface": df["interface"].str.strip().map(canonical_name),
            "time": times,
            **{c: values[c] for c in value_cols},
        }
    ).sort_values(["device", "interface", "time"], kind="stable")
    base["time_ns"] = base["time"].astype("int64")
    if has_rates:
        base["interval_s"] = base.groupby(["device", "interface"])["time_ns"].diff() / 1e9
        out = base
    else:
        rows = []
        for (dev, itf), g in base.groupby(["device", "interface"], sort=False):
            rows += counter_rows(
                str(dev),
                str(itf),
                (g["time_ns"] / 1e9).tolist(),
                g["time_ns"].tolist(),
                {"in_bps": g["in_octets"].tolist(), "out_bps": g["out_octets"].tolist()},
                None,
                counter_bits=counter_bits,
                physical_bps=circuit_bps,
            )
        out = pd.DataFrame(rows, columns=["device", "interface", "time_ns", "interval_s", "in_bps", "out_bps"])
    out = out.assign(source=f"csv:{path.name}")[
        ["device", "interface", "time_ns", "interval_s", "in_bps", "out_bps", "source"]
    ]
    return out.reset_index(drop=True)


def write_history_part(out_dir: Path, df: Any) -> Path:
    """Append ``df`` (history schema) to ``out_dir/history`` as one part, atomically."""
    import pyarrow as pa

    from assess.collect.longrun import next_seq, write_parquet_atomic

    hist = out_dir / "history"
    hist.mkdir(parents=True, exist_ok=True)
    final = hist / f"part-{next_seq(hist):08d}-{uuid.uuid4().hex[:8]}.parquet"
    return write_parquet_atomic(pa.Table.from_pandas(df, schema=history_schema(), preserve_index=False), final)


def import_csv(path: Path, out_dir: Path, *, counter_bits: int = 64) -> tuple[Path, int]:
    """Validate ``path`` and append it to ``out_dir/history`` as one Parquet part.

    Returns ``(part path, rows)``. Raises ``InventoryError`` (nothing written) on bad input.
    """
    df = read_history_csv(path, counter_bits=counter_bits)
    return write_history_part(out_dir, df), len(df)


def read_history(out_dir: Path) -> Any:
    """Every imported part of ``out_dir/history`` as one DataFrame."""
    import pyarrow.dataset as ds

    return ds.dataset(out_dir / "history", format="parquet", schema=history_schema()).to_table().to_pandas()


def samples_to_rates(samples: Any, *, counter_bits: int = 64, physical_bps: float = 100e9) -> Any:
    """Counter samples of ``assess collect`` (``read_dataset``) -> rows in the history schema.

    Rates are computed per ``run_id``, device and interface (the monotonic clock is only
    comparable within a run), with the counter rules of ``assess.collect.counters``.
    """
    import pandas as pd

    rows = []
    for (_run, dev, itf), g in samples.sort_values("t_mono_s").groupby(["run_id", "device", "interface"], sort=False):
        for row in counter_rows(
            str(dev),
            str(itf),
            g["t_mono_s"].tolist(),
            g["wall_time_ns"].tolist(),
            {"in_bps": g["rx_octets"].tolist(), "out_bps": g["tx_octets"].tolist()},
            g["uptime_s"].tolist(),
            counter_bits=counter_bits,
            physical_bps=physical_bps,
        ):
            rows.append({**row, "source": "collect"})
    return pd.DataFrame(rows, columns=["device", "interface", "time_ns", "interval_s", "in_bps", "out_bps", "source"])


#: A UTC day enters the daily p95 series only with at least half of its 288 five-minute windows.
MIN_WINDOWS_PER_DAY = 144


def five_minute_p95(rates: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """Per (device, interface): the p95 of 5-minute means, per direction (bits/s).

    Rates are averaged into 300 s windows weighted by each row's interval (rows without a rate,
    gaps, are left out, never counted as zero), then the nearest-rank p95 is taken (the industry's
    utilisation figure, DOMAIN.md 3). Returns ``{"in_bps", "out_bps", "windows", "first_ns",
    "last_ns", "daily_in_bps", "daily_out_bps"}`` per key; the daily lists hold ``(UTC day
    number, p95 of that day's 5-minute means, weekday 0 = Monday)`` for days with at least
    ``MIN_WINDOWS_PER_DAY`` windows.
    """
    import numpy as np

    from assess.model.stats import nearest_rank

    out: dict[tuple[str, str], dict[str, Any]] = {}
    if rates is None or len(rates) == 0:
        return out
    r = rates.copy()
    r["interval_s"] = r["interval_s"].fillna(300.0).clip(lower=1e-3)
    r["window"] = r["time_ns"] // int(300e9)
    for (dev, itf), g in r.groupby(["device", "interface"]):
        res: dict[str, Any] = {"first_ns": int(g["time_ns"].min()), "last_ns": int(g["time_ns"].max())}
        for c in ("in_bps", "out_bps"):
            v = g.dropna(subset=[c])
            if v.empty:
                res[c] = None
                continue
            w = v.groupby("window").apply(lambda x, c=c: float(np.average(x[c], weights=x["interval_s"])))
            res[c] = nearest_rank(w.to_numpy(dtype=float), 0.95)
            res["windows"] = int(w.size)
            # Daily p95 of the 5-minute means (UTC days), for runout: (day number, p95, weekday).
            day = (w.index.to_numpy(dtype=np.int64) * 300) // 86_400
            daily = []
            for d in np.unique(day):
                vals = w.to_numpy(dtype=float)[day == d]
                if vals.size < MIN_WINDOWS_PER_DAY:  # a partial day's p95 misses its busy hours
                    continue
                daily.append((float(d), nearest_rank(vals, 0.95), int((d + 3) % 7)))  # 1970-01-01 was a Thursday
            res[f"daily_{c}"] = daily
        out[(str(dev), str(itf))] = res
    return out
