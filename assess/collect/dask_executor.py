"""Scale-out: the same long collection run as shards on a Dask distributed cluster.

``collect_on_dask(inventory_path, out_dir, scheduler=..., ...)`` splits the inventory's devices
into shards and submits one Dask task per shard. Each task runs ``collect_to_dataset`` for its
devices on the worker: the same kept SSH sessions, schedule, backoff and atomic Parquet parts,
written into the one ``out_dir/samples`` dataset (every shard has its own ``run_id``, so part
names never collide, and every device is in exactly one shard, so ``t_mono_s`` stays comparable
per device and run).

What crosses the wire is the inventory *path*, device names and options, never credentials: each
worker loads the inventory and resolves ``env:`` references from its own environment, so
passwords are not pickled into task graphs, scheduler logs or the dashboard. Workers therefore
need the inventory and ``out_dir`` on a shared path (same host, NFS, ...) and the password
variables in their environment.

Dask distributed: https://distributed.dask.org/ (``Client.submit``, ``distributed.Event``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assess.collect.longrun import LongRunSummary, collect_to_dataset
from assess.errors import CollectionError
from assess.inventory import LoadedInventory, load_inventory


def shard_devices(names: list[str], shards: int) -> list[list[str]]:
    """Split device names into ``shards`` groups as even as possible (round robin), none empty."""
    n = max(1, min(shards, len(names)))
    return [names[i::n] for i in range(n)]


def _sub_inventory(loaded: LoadedInventory, names: list[str]) -> LoadedInventory:
    keep = set(names)
    inv = loaded.inventory.model_copy(update={"devices": [d for d in loaded.inventory.devices if d.name in keep]})
    creds = {k: v for k, v in loaded.credentials.items() if k in keep}
    return loaded.model_copy(update={"inventory": inv, "credentials": creds})


def run_shard(
    inventory_path: str,
    device_names: list[str],
    out_dir: str,
    duration_s: float,
    interval_s: float,
    stop_event_name: str | None = None,
) -> LongRunSummary:
    """One shard, on a Dask worker: load the inventory (credentials from the worker's own
    environment), keep only ``device_names`` and run ``collect_to_dataset`` into ``out_dir``.

    ``stop_event_name``: a ``distributed.Event`` the client sets to end every shard early.
    Raises ``InventoryError`` (bad inventory or a missing variable on the worker).
    """
    loaded = _sub_inventory(load_inventory(Path(inventory_path)), device_names)
    stop = threading.Event()
    if stop_event_name:
        import distributed

        dist: Any = distributed  # untyped package
        remote = dist.Event(stop_event_name)

        def watch() -> None:
            while not stop.is_set():
                try:
                    if remote.wait(timeout=1.0):
                        stop.set()
                except Exception:  # noqa: BLE001 - scheduler gone: let the run finish on its own
                    return

        threading.Thread(target=watch, name="assess-stop-watch", daemon=True).start()
    try:
        return collect_to_dataset(loaded, Path(out_dir), duration_s=duration_s, interval_s=interval_s, stop=stop)
    finally:
        stop.set()


def collect_on_dask(
    inventory_path: Path,
    loaded: LoadedInventory,
    out_dir: Path,
    *,
    scheduler: str,
    duration_s: float,
    interval_s: float,
    shards: int | None = None,
    progress: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
) -> LongRunSummary:
    """Run the collection as shards on the Dask cluster at ``scheduler`` (``tcp://host:8786``).

    ``shards``: default one per worker thread of the cluster. ``stop``: set it to end all shards
    early (they write what they have). Returns the shards' summaries merged (``run_id`` lists
    the shard run ids, comma-separated).

    Raises:
        CollectionError: the ``distributed`` package is missing, the scheduler cannot be
            reached, or a shard failed (with the shard's devices and error).
    """
    try:
        import distributed
    except ImportError:
        raise CollectionError(
            "dask", "the dask executor needs the 'distributed' package: pip install 'assess[scale]'"
        ) from None
    import uuid

    dist: Any = distributed  # untyped package
    names = [d.name for d in loaded.inventory.devices]
    try:
        client = dist.Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise CollectionError("dask", f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        n = shards or max(1, sum(client.nthreads().values()))
        groups = shard_devices(names, n)
        event_name = f"assess-stop-{uuid.uuid4().hex[:8]}"
        stop_remote = dist.Event(event_name, client=client)
        futures = [
            client.submit(
                run_shard,
                str(inventory_path.resolve()),
                group,
                str(out_dir.resolve()),
                duration_s,
                interval_s,
                event_name,
                key=f"assess-shard-{i}-{event_name[-8:]}",
                pure=False,
            )
            for i, group in enumerate(groups)
        ]
        if progress:
            progress(f"{len(groups)} shards of {len(names)} devices on {len(client.nthreads())} Dask workers")
        summaries: list[LongRunSummary] = []
        failures: list[str] = []
        pending = set(futures)
        while pending:
            if stop is not None and stop.is_set():
                stop_remote.set()
            try:
                done, _ = dist.wait(list(pending), timeout=1.0, return_when="FIRST_COMPLETED")
            except TimeoutError:  # nothing finished this second: check ``stop`` again
                continue
            for f in done:
                pending.discard(f)
                group = groups[futures.index(f)]
                try:
                    summaries.append(f.result())
                except Exception as exc:  # noqa: BLE001 - one shard's failure is reported with its devices
                    failures.append(f"shard of {', '.join(group)}: {type(exc).__name__}: {str(exc)[:200]}")
                if progress:
                    progress(f"{len(summaries)}/{len(groups)} shards done")
    finally:
        client.close()
    if failures and not summaries:
        raise CollectionError("dask", "; ".join(failures))
    merged = _merge(summaries)
    if failures:
        for name in names:
            merged.polls_ok.setdefault(name, 0)
            merged.last_error.setdefault(name, "; ".join(failures))
    return merged


def _merge(summaries: list[LongRunSummary]) -> LongRunSummary:
    polls: dict[str, int] = {}
    fails: dict[str, int] = {}
    last: dict[str, Any] = {}
    for s in summaries:
        polls.update(s.polls_ok)
        fails.update(s.failures)
        last.update(s.last_error)
    return LongRunSummary(
        run_id=",".join(s.run_id for s in summaries),
        parts_written=sum(s.parts_written for s in summaries),
        rows_written=sum(s.rows_written for s in summaries),
        polls_ok=polls,
        failures=fails,
        last_error=last,
    )
