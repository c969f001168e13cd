"""The `assess` command line: a thin layer over the library (one library call per command).

Exit codes: 0 ok; 2 usage error or bad input (inventory, profiles: nothing is written);
3 partial collection (some devices not collected; the others are assessed and reported);
4 the outputs could not be produced; 5 ``apply --commit``: a device failed or drifted (failed ones
rolled back); 6 ``apply --commit``: the rollout stopped early; 7 ``--fail-on``: a finding at or
above that severity (the outputs are written).
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from assess import __version__
from assess.errors import AssessError, InventoryError

if TYPE_CHECKING:
    from assess.model.profiles import ProfileSet

app = typer.Typer(
    help="Network-readiness assessment and QoS config generation for agentic-AI load.",
    epilog="Exit codes: 0 ok; 2 usage error or bad input (nothing written); 3 partial collection "
    "(some devices not collected, the rest assessed); 4 outputs could not be produced; 5 apply: a device failed "
    "or drifted (failed ones rolled back); 6 apply: the rollout stopped early; 7 --fail-on: a finding at or "
    "above that severity (outputs written).",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # a traceback must never print a password
    add_completion=False,
)

EXIT_BAD_INPUT = 2
EXIT_COLLECTION = 3
EXIT_OUTPUT = 4
EXIT_APPLY_FAILED = 5
EXIT_ROLLOUT_STOPPED = 6
EXIT_FAIL_ON = 7
SEVERITIES = ("critical", "high", "medium", "low", "info")
LAB_PASSWORD_VAR = "ASSESS_LAB_PASSWORD"


def _err(msg: str) -> None:
    typer.echo(msg, err=True)


def _run_and_report(  # type: ignore[no-untyped-def]
    inventory: Path,
    out: Path,
    polls: int | None,
    interval: float | None,
    loaded=None,
    history: Path | None = None,
    hour: int | None = None,
    fail_on: str | None = None,
    report_settings: Path | None = None,
) -> int:
    from assess.pipeline import run

    if fail_on is not None and fail_on not in SEVERITIES:
        _err(f"error: --fail-on: expected one of {', '.join(SEVERITIES)}, got {fail_on!r}")
        return EXIT_BAD_INPUT

    try:
        result = run(
            inventory,
            out,
            polls=polls,
            interval_s=interval,
            progress=_err,
            loaded=loaded,
            history_dir=history,
            hour=hour,
            report_settings=report_settings,
        )
    except InventoryError as exc:
        _err(f"error: {exc}")
        return EXIT_BAD_INPUT
    except AssessError as exc:
        _err(f"error: {exc}")
        return EXIT_OUTPUT
    a = result.assessment
    typer.echo(f"Verdict: {a.verdict.upper()}")
    for la in a.links:
        typer.echo(f"  {la.site:<16} {la.link:<16} {la.verdict}")
    if a.not_collected:
        typer.echo(f"Not collected: {', '.join(a.not_collected)} (see the report's data gaps)")
    typer.echo(f"Report:   {out / 'report.pdf'}")
    typer.echo(f"Configs:  {out / 'configs'}/")
    data = ", ".join(
        str(out / n) for n in ("results.json", "links.csv", "findings.csv", "samples.csv", "demand_1s.csv")
    )
    typer.echo(f"Data:     {data}")
    typer.echo(f"Summary:  {out / 'summary.md'} (for a pull-request comment)")
    if fail_on is not None:
        worst = SEVERITIES.index(fail_on)
        hits = [f for f in a.findings if SEVERITIES.index(f.severity) <= worst]
        if hits:
            _err(f"fail-on {fail_on}: {len(hits)} finding(s) at or above it, e.g. {hits[0].id} {hits[0].title}")
            return EXIT_FAIL_ON
    return result.exit_code


ReportSettingsOpt = Annotated[
    Path | None,
    typer.Option(
        "--report-settings",
        help="Branding YAML for consultants: client, author, classification, logo, colours, templates_dir.",
    ),
]
FailOnOpt = Annotated[
    str | None,
    typer.Option(
        "--fail-on",
        help="Exit 7 when any finding is at or above this severity (critical, high, medium, low, info): a CI gate. "
        "The outputs are written either way.",
    ),
]
PollsOpt = Annotated[
    int | None,
    typer.Option(min=3, help="Counter polls per device (default: the inventory's collection.polls)."),
]
IntervalOpt = Annotated[
    float | None,
    typer.Option(min=0.5, help="Seconds between polls (default: the inventory's collection.interval_s)."),
]


@app.command()
def run(
    inventory: Annotated[Path, typer.Argument(help="Inventory YAML (see inventories/lab.yaml).")],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Output folder for report.pdf, configs/ and data files."),
    ] = Path("reports/latest"),
    polls: PollsOpt = None,
    interval: IntervalOpt = None,
    history: Annotated[
        Path | None,
        typer.Option(help="Dataset folder of `assess collect` / `assess import csv`: baselines from its 5-minute p95."),
    ] = None,
    hour: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=23,
            help="Local hour to model the AI load for, 0-23 (default: the profile file's hour_of_day, the busy "
            "hour); e.g. 2 for a nightly batch window.",
        ),
    ] = None,
    fail_on: FailOnOpt = None,
    report_settings: ReportSettingsOpt = None,
) -> None:
    """Collect, model, assess, and write the PDF report, QoS configs and data files."""
    raise typer.Exit(
        _run_and_report(
            inventory,
            out,
            polls,
            interval,
            history=history,
            hour=hour,
            fail_on=fail_on,
            report_settings=report_settings,
        )
    )


def _lab_setup(inventory: Path | None):  # type: ignore[no-untyped-def]
    from assess.inventory import load_inventory
    from assess.lab import Lab, load_lab_traffic
    from assess.resources import inventories_dir

    inv_path = inventory or inventories_dir() / "lab.yaml"
    if not os.environ.get(LAB_PASSWORD_VAR):
        os.environ[LAB_PASSWORD_VAR] = secrets.token_urlsafe(16)
    loaded = load_inventory(inv_path)
    # lab.yaml -> lab-traffic.yaml, lab-multivendor.yaml -> lab-multivendor-traffic.yaml
    traffic = load_lab_traffic(inv_path.with_name(inv_path.stem + "-traffic.yaml"))
    return inv_path, loaded, Lab(loaded, traffic)


@app.command()
def collect(
    inventory: Annotated[Path, typer.Argument(help="Inventory YAML.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Dataset folder; samples go to OUT/samples/*.parquet.")],
    duration: Annotated[str, typer.Option(help="How long to poll: 90s, 10m, 2h, 1d.")] = "10m",
    interval: Annotated[str, typer.Option(help="Time between polls: 1s, 10s, 5m.")] = "10s",
    executor: Annotated[
        str, typer.Option(help="threads (this machine, collection.workers threads) or dask (a Dask cluster).")
    ] = "threads",
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address for --executor dask, e.g. tcp://10.0.0.5:8786.")
    ] = None,
    shards: Annotated[int | None, typer.Option(min=1, help="Dask shards (default: one per worker thread).")] = None,
) -> None:
    """Poll on a schedule for a long time, appending counter samples to a Parquet dataset.

    Sessions stay open between polls; failed devices reconnect with backoff. Killed at any point,
    at most the polls in flight are lost; rerun with the same --out to resume and append.

    With --executor dask the devices are split into shards run on the Dask cluster's workers, all
    writing to the one dataset: workers need the inventory and --out on a shared path and the
    password variables in their own environment (credentials are never sent to the cluster).
    """
    import signal
    import threading

    from assess.collect.longrun import collect_to_dataset, parse_duration
    from assess.inventory import load_inventory

    if executor not in ("threads", "dask"):
        _err(f"error: --executor: expected threads or dask, got {executor!r}")
        raise typer.Exit(EXIT_BAD_INPUT)
    if executor == "dask" and not scheduler:
        _err("error: --executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        duration_s = parse_duration(duration, "duration")
        interval_s = parse_duration(interval, "interval")
        loaded = load_inventory(inventory)
    except InventoryError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    from rich.console import Console

    console = Console(stderr=True)
    if executor == "dask":
        from assess.collect.dask_executor import collect_on_dask
        from assess.errors import CollectionError

        assert scheduler is not None
        try:
            summary = collect_on_dask(
                inventory,
                loaded,
                out,
                scheduler=scheduler,
                duration_s=duration_s,
                interval_s=interval_s,
                shards=shards,
                progress=_err,
                stop=stop,
            )
        except CollectionError as exc:
            _err(f"error: {exc}")
            raise typer.Exit(EXIT_COLLECTION) from None
    elif console.is_terminal:  # one live status line on a terminal, plain lines in CI logs
        with console.status("connecting") as status:
            summary = collect_to_dataset(
                loaded, out, duration_s=duration_s, interval_s=interval_s, progress=status.update, stop=stop
            )
    else:
        summary = collect_to_dataset(
            loaded, out, duration_s=duration_s, interval_s=interval_s, progress=_err, stop=stop
        )
    typer.echo(f"run {summary.run_id}: {summary.parts_written} parts, {summary.rows_written} rows in {out / 'samples'}")
    failed = [d for d, n in summary.polls_ok.items() if n == 0]
    for d in failed:
        typer.echo(f"  {d}: no poll succeeded ({summary.last_error[d]})")
    raise typer.Exit(EXIT_COLLECTION if failed else 0)


import_app = typer.Typer(help="Import utilisation history teams already have.", no_args_is_help=True)
app.add_typer(import_app, name="import")


@import_app.command("csv")
def import_csv_cmd(
    csv_file: Annotated[
        Path, typer.Argument(help="CSV with timestamp, device, interface, in_bps, out_bps (or in_octets, out_octets).")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Dataset folder; rows go to OUT/history/*.parquet.")],
    counter_bits: Annotated[int, typer.Option(help="Width of octet counters in the CSV: 64 (ifHC*) or 32.")] = 64,
) -> None:
    """Validate a CSV export of interface utilisation and append it to a history dataset.

    Timestamps are ISO 8601 with a UTC offset, or epoch seconds. A bad file is rejected whole,
    with its problems listed by CSV line; nothing already imported is touched.
    """
    from assess.collect.history import import_csv

    if counter_bits not in (32, 64):
        _err("error: --counter-bits must be 32 or 64")
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        part, rows = import_csv(csv_file, out, counter_bits=counter_bits)
    except InventoryError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    typer.echo(f"imported {rows} rows from {csv_file} into {part}")


def _parse_time(text: str, option: str) -> float:
    from datetime import datetime

    try:
        ts = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InventoryError(option, [f"{text!r} is not an ISO 8601 time (e.g. 2026-11-01T00:00:00Z)"]) from None
    if ts.tzinfo is None:
        raise InventoryError(option, [f"{text!r} has no UTC offset (add Z or +hh:mm)"])
    return ts.timestamp()


@import_app.command("prometheus")
def import_prometheus_cmd(
    url: Annotated[str, typer.Argument(help="Prometheus base URL, e.g. http://127.0.0.1:9090")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Dataset folder; rows go to OUT/history/*.parquet.")],
    start: Annotated[str, typer.Option(help="Start, ISO 8601 with offset.")],
    end: Annotated[str, typer.Option(help="End, ISO 8601 with offset.")],
    step: Annotated[str, typer.Option(help="Resolution and rate window: 5m is the industry's p95 basis.")] = "5m",
    in_metric: Annotated[str, typer.Option(help="Inbound octet counter metric.")] = "ifHCInOctets",
    out_metric: Annotated[str, typer.Option(help="Outbound octet counter metric.")] = "ifHCOutOctets",
    device_label: Annotated[str, typer.Option(help="Label holding the inventory device name.")] = "instance",
    interface_label: Annotated[str, typer.Option(help="Label holding the interface name.")] = "ifName",
) -> None:
    """Import interface utilisation from Prometheus (snmp_exporter IF-MIB counters) via its HTTP API."""
    from assess.collect.longrun import parse_duration
    from assess.collect.prometheus import import_prometheus

    try:
        part, rows = import_prometheus(
            url,
            out,
            start_s=_parse_time(start, "--start"),
            end_s=_parse_time(end, "--end"),
            step_s=parse_duration(step, "step"),
            in_metric=in_metric,
            out_metric=out_metric,
            device_label=device_label,
            interface_label=interface_label,
        )
    except InventoryError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    typer.echo(f"imported {rows} rows from {url} into {part}")


@app.command()
def model(
    inventory: Annotated[Path, typer.Argument(help="Inventory YAML: its sites' workloads and profile file.")],
    site: Annotated[str | None, typer.Option(help="Only this site (default: every site with workloads).")] = None,
    hour: Annotated[
        int | None,
        typer.Option(
            min=0, max=23, help="Local hour to model, 0-23 (default: the profile file's hour_of_day, the busy hour)."
        ),
    ] = None,
) -> None:
    """Model a site's AI load and print the burst-generative vs sustained-agentic contrast.

    No device is contacted: the modelled hour of each site at 1 s / 10 s / 60 s / 300 s (workflows
    outside their active hours add nothing; chat follows its diurnal curve), and the task latency
    of its agentic workflows on the profile file's assumed RTT, with the what-ifs (RTT 120 ms,
    1 % loss, TLS 1.2 without keep-alive). Use --hour 2 to see a nightly batch.
    """
    from rich.console import Console
    from rich.table import Table

    from assess.inventory import load_inventory
    from assess.model.latency import NetworkPath, task_latency
    from assess.model.profiles import AgenticProfile, load_profiles
    from assess.model.stats import ladder
    from assess.pipeline import check_workloads, model_sites

    try:
        loaded = load_inventory(inventory, resolve_credentials=False)
        ps = load_profiles(loaded.profiles_path)
        check_workloads(loaded, ps)
    except InventoryError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    sites = [s for s in loaded.inventory.sites if s.workloads and (site is None or s.name == site)]
    if not sites:
        known = ", ".join(s.name for s in loaded.inventory.sites if s.workloads)
        _err(f"error: --site: no site {site!r} with workloads in {inventory} (sites: {known})")
        raise typer.Exit(EXIT_BAD_INPUT)
    if hour is not None:
        ps = ps.model_copy(update={"hour_of_day": hour})
    demand = model_sites(loaded, ps)
    console = Console(width=max(110, Console().width))
    for s in sites:
        d = demand[s.name]
        work = ", ".join(
            f"{w.count} x {w.profile}" + ("" if _active(ps, w.profile) else " (idle at this hour)") for w in s.workloads
        )
        t = Table(
            title=f"{s.name}: modelled AI load, {ps.hour_of_day:02d}:00-{ps.hour_of_day + 1:02d}:00 local ({work})",
            title_justify="left",
        )
        for col in ("timescale", "kind", "dir", "mean Mb/s", "p95 Mb/s", "p99 Mb/s", "peak/mean", "p99/mean", "duty"):
            t.add_column(col, justify="left" if col in ("timescale", "kind", "dir") else "right")
        rows = []
        for kind_i, kind in enumerate(("generative", "agentic")):
            for dir_i, dname in enumerate(("down", "up")):
                series = d.total(direction=dir_i, kind=kind_i)
                if float(series.sum()) == 0:
                    continue
                for st in ladder(series, d.bin_s):
                    rows.append((st.timescale_s, kind, dname, st))
        for ts, kind, dname, st in sorted(rows, key=lambda r: (r[0], r[1], r[2])):
            t.add_row(
                f"{ts} s", kind, dname, f"{st.mean_bps / 1e6:.2f}", f"{st.p95_bps / 1e6:.2f}",
                f"{st.p99_bps / 1e6:.2f}", f"{st.peak_to_mean:.2f}", f"{st.p99_to_mean:.2f}",
                f"{100 * st.duty_cycle:.0f} %",
            )  # fmt: skip
        console.print(t)
        base = NetworkPath(rtt_ms=ps.rtt_ms, transfer_rate_bps=ps.transfer_rate_bps)
        what_ifs = {
            f"RTT {ps.rtt_ms:.0f} ms": base,
            "RTT 120 ms": base.model_copy(update={"rtt_ms": 120.0}),
            "1 % loss": base.model_copy(update={"loss": 0.01}),
            "TLS 1.2, no keep-alive": base.model_copy(update={"tls": "1.2", "keepalive": False}),
        }
        lt = Table(title=f"{s.name}: task latency (s), Monte Carlo", title_justify="left")
        cols = ("workflow", "scenario", "calls/task", "p50", "p95", "p99", "budget", "over budget", "failed", "network")
        for col in cols:
            lt.add_column(col, justify="left" if col in ("workflow", "scenario") else "right")
        for w in s.workloads:
            prof = ps.profiles[w.profile]
            if not isinstance(prof, AgenticProfile):
                continue
            for name, path in what_ifs.items():
                r = task_latency(prof, path, ps.destinations)
                lt.add_row(
                    w.profile, name, f"{r.calls_per_task:.0f}", f"{r.p50_s:.1f}", f"{r.p95_s:.1f}", f"{r.p99_s:.1f}",
                    f"{r.budget_s:.0f}" if r.budget_s else "-",
                    f"{100 * r.over_budget:.1f} %" if r.over_budget is not None else "-",
                    f"{100 * r.failed:.2f} %", f"{100 * r.network_share:.0f} %",
                )  # fmt: skip
        if lt.row_count:
            console.print(lt)


@app.command()
def profiles(
    profile_file: Annotated[
        Path | None, typer.Argument(help="Profile YAML (default: the bundled inventories/profiles.yaml).")
    ] = None,
) -> None:
    """Validate a profile file and list its profiles with their key figures and sources.

    Every parameter must name a source or say "assumption"; a bad file is reported with the
    field and line, exit code 2.
    """
    from rich.console import Console
    from rich.table import Table

    from assess.model.profiles import AgenticProfile, load_profiles
    from assess.resources import inventories_dir

    path = profile_file or inventories_dir() / "profiles.yaml"
    try:
        ps = load_profiles(path)
    except InventoryError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    t = Table(title=f"{path}: {len(ps.profiles)} profiles, valid", title_justify="left")
    for col in ("profile", "kind", "work unit", "active", "upload per unit", "calls per unit", "budget", "sources"):
        t.add_column(col, no_wrap=col == "profile")
    for name, p in ps.profiles.items():
        blocks = [p.sources]
        if isinstance(p, AgenticProfile):
            blocks += [c.sources for c in p.calls] + [b.sources for b in (p.fanout, p.telemetry) if b is not None]
        values = [v for b in blocks for v in b.values()]
        assumed = sum(1 for v in values if v.strip().lower().startswith("assumption"))
        src = f"{len(values)} ({assumed} assumptions)"
        if isinstance(p, AgenticProfile):
            up, _down, calls = p.expected_per_task()
            a, b = p.active_hours
            t.add_row(
                name, "agentic", f"task, {p.steps_per_task_min}-{p.steps_per_task_max} steps, {p.arrival}",
                "24x7" if (a, b) == (0, 24) else f"{a:02d}:00-{b:02d}:00", f"{up / 1e3:.0f} KB",
                f"{calls:.1f}", f"{p.latency_budget_s:.0f} s" if p.latency_budget_s else "-", src,
            )  # fmt: skip
        else:
            up = (p.prompt_tokens_min + p.prompt_tokens_max) / 2 * p.bytes_per_token + p.request_overhead_bytes
            t.add_row(
                name, "generative", f"prompt, {p.prompts_per_user_hour:g} per user-hour",
                "diurnal" if p.diurnal_percent else "flat", f"{up / 1e3:.1f} KB",
                f"{1 + p.retrieval_per_prompt:.1f}", "-", src,
            )  # fmt: skip
    console = Console(width=max(160, Console().width))
    console.print(t)
    m = Table(title="Dependency maps: the calls each task makes, in order", title_justify="left")
    for col in (
        "profile",
        "call",
        "per",
        "destination",
        "class",
        "request / response",
        "timeout, retries",
        "data rules",
    ):
        m.add_column(col, no_wrap=col in ("profile", "call"))
    for name, p in ps.profiles.items():
        if not isinstance(p, AgenticProfile):
            continue
        for c in p.calls:
            d = ps.destination_of(c)
            per = c.per if c.probability == 1 else f"{c.per}, p={c.probability:g}"
            if c.per == "fanout" and p.fanout is not None:
                per = f"fanout x{p.fanout.n_calls} in {p.fanout.window_s:g} s"
            growth = f" +{c.context_growth_bytes_per_step / 1e3:g} KB/step" if c.context_growth_bytes_per_step else ""
            retry = f"{c.timeout_s:g} s, {c.retries}" + ("" if c.idempotent else ", not idempotent")
            m.add_row(
                name, c.name, per, f"{c.destination} ({d.region or '?'}, {d.reach})", ps.class_of(c),
                f"{c.request_bytes / 1e3:g}{growth} / {c.response_bytes / 1e3:g} KB", retry,
                ", ".join(c.data_classification) or "-",
            )  # fmt: skip
    console.print(m)


def _active(ps: ProfileSet, name: str) -> bool:
    from assess.model.profiles import AgenticProfile

    p = ps.profiles.get(name)
    return not isinstance(p, AgenticProfile) or p.active_at(ps.hour_of_day)


@app.command()
def render(
    source: Annotated[
        Path, typer.Argument(help="A run folder (its configs/intent.json is used) or an intent file (YAML or JSON).")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("reports/rendered"),
    fmt: Annotated[
        list[str] | None,
        typer.Option("--format", "-f", help="intent, qos, catalyst-sdwan, fortios (repeat for several; default: all)."),
    ] = None,
    platform: Annotated[
        str | None,
        typer.Option(help="Render every device's QoS for this platform (ios, junos, eos) instead of its own."),
    ] = None,
) -> None:
    """Render the vendor-neutral intent and configs from a run (or an edited intent), no device contacted.

    The intent (classes with DSCP, treatment, guarantee, buffer, AQM; shaper per link; SLA classes;
    per-site flow policies with their allowed links) is written as intent.yaml and intent.json for
    other tools; QoS configs per device from the templates in templates/. Platform limits are checked
    first: a link a platform cannot express fails with the platform and the feature named (exit 4).
    """
    from assess.intent import load_intent
    from assess.pipeline import promote
    from assess.render import FORMATS, check_request, render_files

    path = source / "configs" / "intent.json" if source.is_dir() else source
    if not path.exists():
        _err(f"error: {source}: no intent found (expected a run folder with configs/intent.json, or an intent file)")
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        intent = load_intent(path)
    except InventoryError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    formats = fmt or list(FORMATS)
    try:
        check_request(formats, platform)
    except AssessError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    import shutil
    import tempfile

    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    try:
        names = render_files(intent, stage, formats, platform)
        promote(stage, out)
    except AssessError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_OUTPUT) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    for n in names:
        typer.echo(str(out / n))
        if n.startswith("skipped"):
            for line in (out / n).read_text().splitlines():
                _err(f"warning: not rendered: {line}")


@app.command()
def apply(
    config_dir: Annotated[
        Path, typer.Argument(help="Folder of generated configs (a run's configs/ or assess render's output).")
    ],
    inventory: Annotated[Path, typer.Option("--inventory", "-i", help="Inventory YAML of the devices.")],
    plan: Annotated[
        Path | None,
        typer.Option(
            help="Plan file: written by the dry run (default CONFIG_DIR/../apply-plan.json), required with --commit."
        ),
    ] = None,
    do_commit: Annotated[bool, typer.Option("--commit", help="Apply exactly --plan (default: dry run only).")] = False,
    audit: Annotated[
        Path | None, typer.Option(help="Append-only JSON Lines audit log (default CONFIG_DIR/../apply-audit.jsonl).")
    ] = None,
    wave_size: Annotated[int, typer.Option(min=1, help="Devices per wave after the canary.")] = 5,
    max_failures: Annotated[int, typer.Option(min=1, help="Stop the rollout after this many failed devices.")] = 1,
) -> None:
    """Plan (dry run, the default) or commit generated QoS configs to the devices, as a pipeline would.

    Dry run: per device, the running configuration's touched blocks against the generated ones, a diff,
    and a plan file. --commit --plan PLAN: applies exactly that plan; refuses devices that drifted since
    the plan, skips those already as generated, scans for % error lines, rolls a failed device back,
    canary first then waves, stops after --max-failures, and writes an audit record before and after
    each change. Exit codes: 0 done; 2 bad input; 3 a device could not be read in the dry run;
    5 a device failed (rolled back); 6 the rollout was stopped early.
    """
    from assess.apply import Audit, commit, dry_run, load_plan, netmiko_connector, plan_device, write_plan
    from assess.errors import ApplyError
    from assess.inventory import load_inventory

    plan_path = plan or config_dir.absolute().parent / "apply-plan.json"
    audit_path = audit or config_dir.absolute().parent / "apply-audit.jsonl"
    try:
        loaded = load_inventory(inventory)
    except InventoryError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if not config_dir.is_dir():
        _err(f"error: {config_dir}: not a folder of generated configs")
        raise typer.Exit(EXIT_BAD_INPUT)
    connect = netmiko_connector(loaded, loaded.inventory.collection.timeout_s)
    if not do_commit:
        try:
            p = dry_run(loaded, config_dir, connect)
        except ApplyError as exc:
            _err(f"error: {exc}")
            raise typer.Exit(EXIT_BAD_INPUT) from None
        for dp in p.devices:
            typer.echo(
                f"== {dp.device}: {len(dp.commands)} lines to change" if dp.commands else f"== {dp.device}: no change"
            )
            if dp.diff:
                typer.echo(dp.diff)
        for problem in p.problems:
            _err(f"warning: {problem}")
        write_plan(p, plan_path)
        typer.echo(f"Plan: {plan_path} (sha256 {p.plan_sha256[:12]}); apply it with --commit --plan {plan_path}")
        unreadable = any("could not read" in x for x in p.problems)
        raise typer.Exit(EXIT_COLLECTION if unreadable else 0)
    if plan is None:
        _err("error: --commit needs --plan PLAN (the reviewed dry run); run without --commit first")
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        p = load_plan(plan)
        for dp in p.devices:  # the configs must still be the ones planned
            path = config_dir / dp.config_file
            fresh = (
                plan_device(dp.device, dp.config_file, "", path.read_text(encoding="utf-8")) if path.exists() else None
            )
            if fresh is None or fresh.after != dp.after:
                raise ApplyError(f"{path}: the generated config changed since the plan (or is missing); dry-run again")
        outcomes, stopped = commit(
            loaded, p, connect, Audit(audit_path), wave_size=wave_size, max_failures=max_failures, progress=_err
        )
    except ApplyError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    for o in outcomes:
        typer.echo(f"  {o.device:<16} {o.result}" + (f": {o.detail}" if o.detail else ""))
    typer.echo(f"Audit: {audit_path}")
    if stopped:
        raise typer.Exit(EXIT_ROLLOUT_STOPPED)
    failed = [o for o in outcomes if o.result not in ("applied", "no-op")]
    raise typer.Exit(EXIT_APPLY_FAILED if failed else 0)


@app.command()
def schema(
    document: Annotated[str, typer.Argument(help="results (results.json) or intent (configs/intent.json).")],
) -> None:
    """Print the JSON Schema of results.json or of the intent, for pipelines that consume them."""
    import json

    from pydantic import BaseModel

    from assess.intent import Intent
    from assess.results import ResultsDocument

    models: dict[str, type[BaseModel]] = {"results": ResultsDocument, "intent": Intent}
    if document not in models:
        _err(f"error: expected results or intent, got {document!r}")
        raise typer.Exit(EXIT_BAD_INPUT)
    typer.echo(json.dumps(models[document].model_json_schema(), indent=2))


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("reports/demo"),
    polls: PollsOpt = None,
    interval: IntervalOpt = None,
    fail_on: FailOnOpt = None,
    report_settings: ReportSettingsOpt = None,
) -> None:
    """Start the bundled lab routers, run the whole assessment on inventories/lab.yaml, stop the lab.

    The lab's routers take the password from ASSESS_LAB_PASSWORD; demo sets a random one if it is unset.
    """
    try:
        inv_path, loaded, lab = _lab_setup(None)
        _err(f"starting the lab: {len(loaded.inventory.devices)} simulated IOS-XE routers on 127.0.0.1")
        lab.start()
    except InventoryError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    try:
        code = _run_and_report(
            inv_path, out, polls, interval, loaded=loaded, fail_on=fail_on, report_settings=report_settings
        )
    finally:
        lab.stop()
    raise typer.Exit(code)


@app.command()
def lab(
    inventory: Annotated[
        Path | None,
        typer.Argument(help="Lab inventory (default: the bundled inventories/lab.yaml)."),
    ] = None,
) -> None:
    """Serve the simulated lab routers until Ctrl-C, for `assess run` or your own SSH client.

    Set ASSESS_LAB_PASSWORD first (the same value for `assess run`); usernames are in the inventory.
    """
    if not os.environ.get(LAB_PASSWORD_VAR):
        _err(f"error: set {LAB_PASSWORD_VAR} to the password the lab routers should accept")
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        inv_path, loaded, lab_ = _lab_setup(inventory)
        lab_.start()
    except InventoryError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    for d in loaded.inventory.devices:
        typer.echo(f"{d.name:<10} ssh -p {d.port} {d.username}@127.0.0.1")
    typer.echo(f"lab up ({inv_path}); Ctrl-C to stop")
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        lab_.stop()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"assess {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """assess: is the WAN ready for agentic AI, where will it break, and what to change."""


def main() -> None:
    """Console entry point."""
    sys.exit(app())  # typer returns via SystemExit
