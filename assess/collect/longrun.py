"""Long collection runs: poll on a schedule for hours, append samples to a Parquet dataset.

``collect_to_dataset(loaded, out_dir, duration_s=..., interval_s=...)``:

* Every ``interval_s`` the scheduler submits one poll per device to a bounded thread pool
  (``collection.workers``); each device keeps its SSH session open between polls. A device whose
  previous poll is still running skips the tick (a gap, never a zero), so one slow or dead
  device never holds up the rest.
* A device whose session fails is reconnected with exponential backoff and full jitter:
  wait ``U(0, min(cap, base * 2**attempt))`` (M. Brooker, "Exponential Backoff and Jitter",
  AWS Architecture Blog 2015).
* At each tick the samples finished since the previous tick are written as one Parquet file,
  ``samples/part-<seq>-<run>.parquet``, to a hidden temp name then renamed: a reader never sees a
  partial file, and a kill -9 loses at most the polls in flight. A rerun on the same folder
  continues the sequence and appends; nothing is rewritten.

Rows: ``run_id``, ``seq`` (the part), ``device``, ``interface``, ``wall_time_ns`` (UTC epoch ns),
``t_mono_s`` (the collector's monotonic clock, comparable within one ``run_id`` and device),
``uptime_s``, ``rx_octets``, ``tx_octets`` (null when the device did not report them).
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from assess.collect.session import DeviceSession
from assess.errors import CollectionError, InventoryError
from assess.inventory import Device, LoadedInventory

BACKOFF_BASE_S = 1.0
BACKOFF_CAP_S = 300.0
PART_RE = re.compile(r"^part-(\d{8})-[0-9a-f]{8}\.parquet$")

Progress = Callable[[str], None]


def parse_duration(text: str, field_name: str = "duration") -> float:
    """``"90"``, ``"90s"``, ``"5m"``, ``"2h"``, ``"1d"`` -> seconds.

    Raises:
        InventoryError: anything else, naming the option and what is expected.
    """
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text)
    if not m or float(m.group(1)) <= 0:
        raise InventoryError(f"--{field_name}", [f"{text!r} is not a duration: use e.g. 30s, 10m, 2h"])
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


def backoff_delay_s(
    attempt: int, rng: random.Random, base_s: float = BACKOFF_BASE_S, cap_s: float = BACKOFF_CAP_S
) -> float:
    """Full-jitter backoff: ``U(0, min(cap, base * 2**attempt))`` seconds (Brooker 2015)."""
    return rng.uniform(0.0, min(cap_s, base_s * 2.0 ** max(attempt, 0)))


def _schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            ("run_id", pa.string()),
            ("seq", pa.int64()),
            ("device", pa.string()),
            ("interface", pa.string()),
            ("wall_time_ns", pa.int64()),
            ("t_mono_s", pa.float64()),
            ("uptime_s", pa.float64()),
            ("rx_octets", pa.int64()),
            ("tx_octets", pa.int64()),
        ]
    )


def next_seq(samples_dir: Path) -> int:
    """The sequence number after the highest complete part in ``samples_dir`` (0 when empty)."""
    seqs = [int(m.group(1)) for p in samples_dir.glob("part-*.parquet") if (m := PART_RE.match(p.name))]
    return max(seqs, default=-1) + 1


def write_parquet_atomic(table: Any, final: Path) -> Path:
    """Write a pyarrow table to ``final`` via a hidden temp file, fsync and rename.

    Dataset readers skip names starting with ``.``, so a crash mid-write leaves no partial part.
    """
    import pyarrow.parquet as pq

    tmp = final.with_name(f".{final.name}.tmp")
    pq.write_table(table, tmp)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, final)
    return final


def write_part(samples_dir: Path, seq: int, run_id: str, rows: list[dict[str, Any]]) -> Path:
    """Write one part of samples atomically (``write_parquet_atomic``). Returns its path."""
    import pyarrow as pa

    table = pa.Table.from_pylist([{**r, "seq": seq, "run_id": run_id} for r in rows], schema=_schema())
    return write_parquet_atomic(table, samples_dir / f"part-{seq:08d}-{run_id}.parquet")


def read_dataset(out_dir: Path) -> Any:
    """All complete parts of ``out_dir/samples`` as one pandas DataFrame (hidden temp files ignored)."""
    import pyarrow.dataset as ds

    return ds.dataset(out_dir / "samples", format="parquet", schema=_schema()).to_table().to_pandas()


@dataclass
class _DeviceState:
    dev: Device
    session: DeviceSession
    uptime_via: str = "command"
    attempt: int = 0
    next_try: float = 0.0
    uptime_s: float | None = None
    future: Future[list[dict[str, Any]]] | None = None
    polls_ok: int = 0
    failures: int = 0
    last_error: str | None = None
    log: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LongRunSummary:
    """What a long run did: parts and rows written, polls per device, last error per device."""

    run_id: str
    parts_written: int
    rows_written: int
    polls_ok: dict[str, int]
    failures: dict[str, int]
    last_error: dict[str, str | None]


def _poll_device(st: _DeviceState, rng: random.Random) -> list[dict[str, Any]]:
    """One tick for one device: (re)connect if due, then facts + counters. Never raises."""
    now = time.monotonic()
    try:
        if not st.session.is_open:
            if now < st.next_try:
                return []
            st.session.open()
            st.attempt = 0
        st.uptime_s = st.session.facts()[1] if st.uptime_via == "get_facts" else st.session.uptime()
        poll = st.session.counters(st.uptime_s)
    except CollectionError as err:
        st.session.close()
        st.failures += 1
        st.last_error = str(err)
        st.next_try = time.monotonic() + backoff_delay_s(st.attempt, rng)
        st.attempt += 1
        return []
    st.polls_ok += 1
    wall_ns = int(datetime.fromisoformat(poll.wall_time).timestamp() * 1e9)
    return [
        {
            "device": st.dev.name,
            "interface": name,
            "wall_time_ns": wall_ns,
            "t_mono_s": poll.t_mono_s,
            "uptime_s": poll.uptime_s,
            "rx_octets": c.rx_octets,
            "tx_octets": c.tx_octets,
        }
        for name, c in poll.counters.items()
    ]


def collect_to_dataset(
    loaded: LoadedInventory,
    out_dir: Path,
    *,
    duration_s: float,
    interval_s: float,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
    seed: int | None = None,
) -> LongRunSummary:
    """Poll every device every ``interval_s`` for ``duration_s`` and append to ``out_dir/samples``.

    ``stop`` ends the run early (after writing what is done). ``seed`` seeds the backoff jitter.
    Never raises for a device failure; ``LongRunSummary`` counts them.
    """
    inv = loaded.inventory
    samples_dir = out_dir / "samples"
    samples_dir.mkdir(parents=True, exist_ok=True)
    run_id = uuid.uuid4().hex[:8]
    seq = next_seq(samples_dir)
    rng = random.Random(seed)
    stop = stop or threading.Event()
    states = [
        _DeviceState(
            dev,
            DeviceSession(dev, loaded.credentials[dev.name], inv.collection.timeout_s, lambda _m: None),
            inv.collection.uptime_via,
        )
        for dev in inv.devices
    ]
    parts = rows_written = 0
    start = time.monotonic()
    end = start + duration_s
    tick = 0
    with ThreadPoolExecutor(max_workers=min(inv.collection.workers, len(states))) as pool:
        try:
            while True:
                # Gather what finished since the last tick and write it as one part.
                done: list[dict[str, Any]] = []
                for st in states:
                    if st.future is not None and st.future.done():
                        done += st.future.result()
                        st.future = None
                if done:
                    write_part(samples_dir, seq, run_id, done)
                    seq += 1
                    parts += 1
                    rows_written += len(done)
                now = time.monotonic()
                if now >= end or stop.is_set():
                    break
                for st in states:
                    if st.future is None:  # a device still busy with its last poll skips this tick
                        st.future = pool.submit(_poll_device, st, rng)
                if progress:
                    ok = sum(1 for s in states if s.session.is_open)
                    failing = sum(1 for s in states if not s.session.is_open and s.failures)
                    left = max(0.0, end - time.monotonic())
                    progress(
                        f"poll {tick + 1}: {ok}/{len(states)} devices connected, {failing} failing, "
                        f"{rows_written} rows in {parts} parts; next poll in {interval_s:g} s, {left:.0f} s left"
                    )
                tick += 1
                next_tick = start + tick * interval_s
                stop.wait(max(0.0, min(next_tick, end) - time.monotonic()))
            # Final flush: wait for polls in flight (bounded by the timeout), then write them.
            deadline = time.monotonic() + inv.collection.timeout_s
            last: list[dict[str, Any]] = []
            for st in states:
                # A poll stuck past the deadline is dropped, not waited for forever.
                if st.future is not None:
                    with contextlib.suppress(Exception):
                        last += st.future.result(timeout=max(0.0, deadline - time.monotonic()))
            if last:
                write_part(samples_dir, seq, run_id, last)
                parts += 1
                rows_written += len(last)
        finally:
            for st in states:
                st.session.close()
    return LongRunSummary(
        run_id=run_id,
        parts_written=parts,
        rows_written=rows_written,
        polls_ok={s.dev.name: s.polls_ok for s in states},
        failures={s.dev.name: s.failures for s in states},
        last_error={s.dev.name: s.last_error for s in states},
    )
