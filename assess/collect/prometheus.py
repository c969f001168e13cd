"""Import utilisation history from Prometheus (``snmp_exporter`` IF-MIB counters).

Queries the HTTP API (``/api/v1/query_range``) for ``rate(<metric>[<window>]) * 8`` of the
64-bit octet counters ``ifHCInOctets`` / ``ifHCOutOctets`` (names configurable), so Prometheus
itself handles counter resets, and turns the matrix into rows of the history schema of
``assess.collect.history`` (``device`` from one label, ``interface`` from another).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assess.errors import InventoryError

MAX_POINTS = 11_000  # Prometheus refuses query_range with more than 11,000 points per series


def query_range(
    url: str, query: str, start_s: float, end_s: float, step_s: float, timeout_s: float = 60
) -> list[dict[str, Any]]:
    """Run one range query; return the ``result`` matrix (list of ``{"metric", "values"}``).

    Raises:
        InventoryError: unreachable server, HTTP error or a Prometheus error, naming the URL.
    """
    import requests

    pts = (end_s - start_s) / step_s
    if pts > MAX_POINTS:
        raise InventoryError(
            url, [f"{pts:.0f} points per series exceed Prometheus' limit of {MAX_POINTS}: widen --step"]
        )
    params: dict[str, str | float] = {"query": query, "start": start_s, "end": end_s, "step": step_s}
    try:
        resp = requests.get(
            url.rstrip("/") + "/api/v1/query_range",
            params=params,
            timeout=timeout_s,
        )
    except requests.RequestException as exc:
        raise InventoryError(url, [f"Prometheus not reachable: {type(exc).__name__}: {exc}"]) from None
    try:
        body = resp.json()
    except ValueError:
        raise InventoryError(url, [f"HTTP {resp.status_code}: not a Prometheus API answer"]) from None
    if body.get("status") != "success":
        raise InventoryError(url, [f"query {query!r} failed: {body.get('errorType')}: {body.get('error')}"])
    result = body["data"]["result"]
    assert isinstance(result, list)
    return result


def read_prometheus(
    url: str,
    *,
    start_s: float,
    end_s: float,
    step_s: float = 300.0,
    in_metric: str = "ifHCInOctets",
    out_metric: str = "ifHCOutOctets",
    device_label: str = "instance",
    interface_label: str = "ifName",
) -> Any:
    """Rates per device and interface from Prometheus, as a DataFrame in the history schema.

    Rates are ``rate(metric[step]) * 8`` in bits/s, one row per ``step_s`` (the interval).

    Raises:
        InventoryError: query failures, or series missing the device/interface label.
    """
    import pandas as pd

    from assess.collect.session import canonical_name

    window = f"{int(step_s)}s"
    cols: dict[str, dict[tuple[str, str, int], float]] = {}
    for col, metric in (("in_bps", in_metric), ("out_bps", out_metric)):
        series = query_range(url, f"rate({metric}[{window}]) * 8", start_s, end_s, step_s)
        vals: dict[tuple[str, str, int], float] = {}
        for s in series:
            labels = s["metric"]
            if device_label not in labels or interface_label not in labels:
                raise InventoryError(url, [f"series {labels} lacks label {device_label!r} or {interface_label!r}"])
            key = (labels[device_label], canonical_name(labels[interface_label]))
            for t, v in s["values"]:
                vals[(*key, int(round(float(t) * 1e9)))] = float(v)
        cols[col] = vals
    keys = sorted(set(cols["in_bps"]) | set(cols["out_bps"]))
    return pd.DataFrame(
        {
            "device": [k[0] for k in keys],
            "interface": [k[1] for k in keys],
            "time_ns": [k[2] for k in keys],
            "interval_s": [step_s] * len(keys),
            "in_bps": [cols["in_bps"].get(k) for k in keys],
            "out_bps": [cols["out_bps"].get(k) for k in keys],
            "source": [f"prometheus:{url}"] * len(keys),
        }
    )


def import_prometheus(url: str, out_dir: Path, **kwargs: Any) -> tuple[Path, int]:
    """Query Prometheus and append the rows to ``out_dir/history`` as one Parquet part.

    Keyword arguments are those of ``read_prometheus``. Raises ``InventoryError`` (nothing written).
    """
    from assess.collect.history import write_history_part

    df = read_prometheus(url, **kwargs)
    if df.empty:
        raise InventoryError(url, ["the queries returned no series in that time range"])
    return write_history_part(out_dir, df), len(df)
