"""The main job: inventory -> collection -> model -> assessment -> configs -> report.

``run(inventory_path, out_dir)`` is what ``assess run`` calls. Everything is written to a
staging folder beside ``out_dir`` first and then moved in file by file with ``os.replace``, so a
failed run never leaves a half-written report or config, and bad input writes nothing at all.

Exit codes (the CLI returns them): 0 all devices collected; 3 some devices were not collected
(the others are assessed and the report lists the gaps). Bad input raises ``InventoryError``.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assess import __version__
from assess.assessment import FINDING_IMPACT, SEVERITY_ORDER, Assessment, Baseline, LinkAssessment, assess
from assess.collect.models import DeviceCollection, LinkUtilisation
from assess.errors import InventoryError
from assess.inventory import Inventory, LoadedInventory, load_inventory
from assess.model.generate import SiteDemand, generate_sites
from assess.model.latency import DEFAULT_TASKS
from assess.model.profiles import ProfileSet, load_profiles
from assess.model.queue import QueueResult
from assess.model.runout import DAYS_PER_MONTH
from assess.report.context import detailed_findings, findings_by_kind, findings_table, forecast_rows, recommendations
from assess.report.settings import ReportSettings, load_report_settings
from assess.results import RESULTS_SCHEMA_VERSION, DeviceStatus, ResultsDocument

EXIT_OK = 0
EXIT_PARTIAL = 3


Progress = Callable[[str], None]


@dataclass(frozen=True)
class RunResult:
    """What a run produced: its exit code, the output folder, the files and the assessment."""

    exit_code: int
    out_dir: Path
    files: list[Path]
    assessment: Assessment


def model_sites(loaded: LoadedInventory, ps: ProfileSet) -> dict[str, SiteDemand]:
    """Modelled AI demand of every site of the inventory (seeded by the inventory's ``seed``)."""
    inv = loaded.inventory
    return generate_sites(
        [(site.name, [(w.profile, w.count) for w in site.workloads]) for site in inv.sites], ps, inv.seed
    )


def check_workloads(loaded: LoadedInventory, ps: ProfileSet) -> None:
    """Every workload names a profile of the profile file.

    Raises:
        InventoryError: naming ``sites[i].workloads[j].profile`` and the known profiles.
    """
    from assess.errors import InventoryError

    problems = [
        f"sites[{i}].workloads[{j}].profile: unknown profile {w.profile!r} "
        f"(defined in {loaded.profiles_path.name}: {', '.join(sorted(ps.profiles))})"
        for i, s in enumerate(loaded.inventory.sites)
        for j, w in enumerate(s.workloads)
        if w.profile not in ps.profiles
    ]
    if problems:
        raise InventoryError(str(loaded.path), problems)


def history_baselines(loaded: LoadedInventory, history_dir: Path) -> dict[str, Baseline]:
    """Per link: the p95 of 5-minute means from a history dataset folder.

    Reads ``history_dir/history`` (CSV imports) and ``history_dir/samples`` (``assess collect``).

    Raises:
        InventoryError: the folder has neither.
    """
    import pandas as pd

    from assess.collect.history import five_minute_p95, read_history, samples_to_rates
    from assess.collect.longrun import read_dataset
    from assess.collect.session import canonical_name
    from assess.errors import InventoryError

    frames = []
    if (history_dir / "history").is_dir():
        frames.append(read_history(history_dir))
    if (history_dir / "samples").is_dir():
        frames.append(samples_to_rates(read_dataset(history_dir)))
    if not frames:
        raise InventoryError(
            str(history_dir), ["no history/ or samples/ dataset here (see assess collect, assess import csv)"]
        )
    stats = five_minute_p95(pd.concat(frames, ignore_index=True))
    out: dict[str, Baseline] = {}
    for link in loaded.inventory.links:
        st = stats.get((link.device, canonical_name(link.interface)))
        if not st or (st["in_bps"] is None and st["out_bps"] is None):
            continue
        first = datetime.fromtimestamp(st["first_ns"] / 1e9, UTC).strftime("%Y-%m-%d")
        last = datetime.fromtimestamp(st["last_ns"] / 1e9, UTC).strftime("%Y-%m-%d")
        out[link.name] = Baseline(
            down_bps=st["in_bps"],
            up_bps=st["out_bps"],
            source=f"history p95 of {st.get('windows', 0)} five-minute means, {first} to {last}",
            daily={"down": st.get("daily_in_bps", []), "up": st.get("daily_out_bps", [])},
        )
    return out


def run(
    inventory_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    polls: int | None = None,
    interval_s: float | None = None,
    progress: Progress | None = None,
    loaded: LoadedInventory | None = None,
    history_dir: str | os.PathLike[str] | None = None,
    hour: int | None = None,
    report_settings: str | os.PathLike[str] | None = None,
) -> RunResult:
    """Assess the estate of an inventory and write report, configs and data to ``out_dir``.

    ``history_dir``: a dataset folder of ``assess collect`` and/or ``assess import csv``; links
    with history there are assessed on the p95 of their 5-minute means instead of the short
    measured window. ``hour``: the local hour the AI load is modelled for (default: the profile
    file's ``hour_of_day``); e.g. 2 to assess a nightly batch window against today's baseline.
    ``report_settings``: a consultant's branding file (``assess.report.settings``).

    Raises:
        InventoryError: bad inventory or profile file (nothing is written).
        ReportError / RenderError: the outputs could not be produced (nothing is moved in).
    """
    from assess.collect import collect_inventory, link_utilisation

    say = progress or (lambda _m: None)
    loaded = loaded or load_inventory(inventory_path)
    ps = load_profiles(loaded.profiles_path)
    brand = load_report_settings(Path(report_settings)) if report_settings is not None else ReportSettings()
    if hour is not None:
        if not 0 <= hour <= 23:
            raise InventoryError("--hour", [f"expected a local hour 0-23, got {hour}"])
        ps = ps.model_copy(update={"hour_of_day": hour})
    check_workloads(loaded, ps)
    out = Path(out_dir).absolute()  # the PDF renderer needs absolute file URLs
    t0 = time.monotonic()
    started = datetime.now(UTC)
    report_time(started)  # a bad SOURCE_DATE_EPOCH fails now, before any device is contacted
    say(f"collecting from {len(loaded.inventory.devices)} devices")
    collections = collect_inventory(loaded, polls=polls, interval_s=interval_s, progress=None)
    for c in collections:
        say(f"  {c.device}: {c.status}" + (f" ({c.error})" if c.error else ""))
    util = link_utilisation(loaded.inventory, collections)
    say("modelling AI demand per site")
    demand = model_sites(loaded, ps)
    baselines = history_baselines(loaded, Path(history_dir)) if history_dir is not None else None
    if baselines is not None:
        say(f"history: baselines for {len(baselines)} of {len(loaded.inventory.links)} links")
    assessment = assess(loaded.inventory, util, demand, baselines, ps)
    say(f"verdict: {assessment.verdict}; rendering configs and report")
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    try:
        _write_outputs(stage, loaded, ps, collections, util, demand, assessment, started, polls, interval_s, brand)
        files = promote(stage, out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    say(f"done in {time.monotonic() - t0:.1f} s")
    partial = any(c.status != "ok" for c in collections)
    return RunResult(EXIT_PARTIAL if partial else EXIT_OK, out, files, assessment)


def promote(stage: Path, out: Path) -> list[Path]:
    """Move every staged file into ``out`` (atomic per file: ``os.replace`` on one filesystem)."""
    moved = []
    for src in sorted(p for p in stage.rglob("*") if p.is_file() and p.parent.name != "_assets"):
        dest = out / src.relative_to(stage)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dest)
        moved.append(dest)
    return moved


def report_time(started: datetime) -> datetime:
    """The time the outputs are stamped with: ``SOURCE_DATE_EPOCH`` (seconds, UTC) when set, as
    reproducible builds do (reproducible-builds.org), else the run's start. Nothing in a report
    reads the clock otherwise, so the same inputs give a byte-identical PDF.

    Raises ``InventoryError`` when ``SOURCE_DATE_EPOCH`` is not an integer."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return started
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except ValueError:
        raise InventoryError("SOURCE_DATE_EPOCH", [f"expected whole seconds since 1970, got {epoch!r}"]) from None


def _fmt_mbps(bps: float | None) -> str:
    return "-" if bps is None else f"{bps / 1e6:,.1f}"


def _pair(a: Any, b: Any, f: Callable[[Any], str]) -> str:
    return f"{f(a)} / {f(b)}"


def _num(v: float | tuple[float, ...]) -> str:
    if isinstance(v, tuple):
        return ", ".join(_num(x) for x in v)
    return f"{v:,.0f}" if abs(v) >= 1e5 else f"{v:g}"


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.0f} %"


def _write_outputs(
    stage: Path,
    loaded: LoadedInventory,
    ps: ProfileSet,
    collections: list[DeviceCollection],
    util: list[LinkUtilisation],
    demand: dict[str, SiteDemand],
    assessment: Assessment,
    started: datetime,
    polls: int | None,
    interval_s: float | None,
    brand: ReportSettings,
) -> None:
    import pandas as pd

    from assess.intent import build_intent, write_intent
    from assess.render import RENDERERS, render_device
    from assess.report.charts import contrast_chart, forecast_chart, links_chart
    from assess.report.markdown import markdown_summary
    from assess.report.pdf import render_pdf

    inv = loaded.inventory
    stamp = report_time(started)  # every stamp in the outputs (SOURCE_DATE_EPOCH when set)
    # Configs: the vendor-neutral intent, then one file per device, every WAN link in it.
    (stage / "configs").mkdir()
    intent = build_intent(inv, assessment, ps)
    write_intent(intent, stage / "configs")
    config_files = ["intent.yaml", "intent.json"]
    unrendered: list[str] = []
    for dev in inv.devices:
        links = intent.links_of(dev.name)
        if not links:
            continue
        if dev.driver not in RENDERERS:  # the intent is still in configs/, the report and results.json
            unrendered.append(f"{dev.name} ({dev.driver})")
            continue
        name = dev.name + RENDERERS[dev.driver].suffix
        (stage / "configs" / name).write_text(render_device(dev.driver, dev.name, links, inv.name), encoding="utf-8")
        config_files.append(name)

    # Data for pipelines.
    rows = []
    for la in assessment.links:
        for d in (la.down, la.up):
            row: dict[str, Any] = {
                "site": la.site,
                "link": la.link,
                "device": la.device,
                "interface": la.interface,
                "transport": la.transport,
                "direction": d.direction,
                "circuit_bps": d.circuit_bps,
                "collected": la.collected,
                "ai_share": round(la.ai_share, 4),
                "baseline_bps": d.baseline_bps,
                "p95_300s_pct": d.p95_300s_pct,
                "p99_1s_pct": d.p99_1s_pct,
                "headroom_bps": d.headroom_bps,
                "gaussian_capacity_1s_bps": d.gaussian_capacity_bps,
                "verdict": la.verdict,
            }
            for s in d.combined:
                row[f"combined_p95_{s.timescale_s}s_bps"] = s.p95_bps
                row[f"combined_p99_{s.timescale_s}s_bps"] = s.p99_bps
            for s in d.ai:
                row[f"ai_mean_{s.timescale_s}s_bps"] = s.mean_bps
                row[f"ai_p99_{s.timescale_s}s_bps"] = s.p99_bps
            rows.append(row)
    pd.DataFrame(rows).to_csv(stage / "links.csv", index=False)
    samples = [
        {
            "device": c.device,
            "interface": name,
            "wall_time": p.wall_time,
            "t_mono_s": p.t_mono_s,
            "uptime_s": p.uptime_s,
            "rx_octets": ctr.rx_octets,
            "tx_octets": ctr.tx_octets,
        }
        for c in collections
        for p in c.polls
        for name, ctr in p.counters.items()
    ]
    pd.DataFrame(
        samples,
        columns=[
            "device",
            "interface",
            "wall_time",
            "t_mono_s",
            "uptime_s",
            "rx_octets",
            "tx_octets",
        ],
    ).to_csv(stage / "samples.csv", index=False)
    frames = []
    for site, sd in demand.items():
        n = sd.bps.shape[-1]
        frames.append(
            pd.DataFrame(
                {
                    "site": site,
                    "t_s": [i * sd.bin_s for i in range(n)],
                    "generative_down_bps": sd.total(direction=0, kind=0),
                    "generative_up_bps": sd.total(direction=1, kind=0),
                    "agentic_down_bps": sd.total(direction=0, kind=1),
                    "agentic_up_bps": sd.total(direction=1, kind=1),
                }
            )
        )
    pd.concat(frames).to_csv(stage / "demand_1s.csv", index=False)
    log_lines = [line for c in collections for line in c.log]
    (stage / "collection.log").write_text("\n".join(log_lines) + "\n", encoding="utf-8")
    pd.DataFrame(
        [f.model_dump() for f in assessment.findings],
        columns=["id", "severity", "kind", "site", "link", "title", "evidence", "recommendation"],
    ).to_csv(stage / "findings.csv", index=False)
    results = ResultsDocument(
        schema_version=RESULTS_SCHEMA_VERSION,
        tool_version=__version__,
        inventory=inv.name,
        generated=stamp.isoformat(timespec="seconds"),
        verdict=assessment.verdict,
        not_collected=assessment.not_collected,
        devices=[DeviceStatus(device=c.device, status=c.status, error=c.error) for c in collections],
        findings=assessment.findings,
        links=assessment.links,
        contrasts=assessment.contrasts,
        latency=assessment.latency,
        flows=assessment.flows,
    ).model_dump(mode="json")
    (stage / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    (stage / "summary.md").write_text(markdown_summary(assessment, inv.name, config_files), encoding="utf-8")

    # Report.
    assets = stage / "_assets"
    assets.mkdir()
    busiest = max(demand.values(), key=lambda d: float(d.bps.sum()))
    contrast_chart(busiest, assets / "contrast.svg")
    links_chart(detail_links(assessment), assets / "links.svg")
    context = _report_context(
        unrendered,
        loaded,
        ps,
        collections,
        assessment,
        busiest,
        started,
        config_files,
        polls,
        interval_s,
        log_lines,
    )
    context.update(_brand_context(brand, assets))
    context.update(_config_context(inv, assessment, stage / "configs", config_files))
    context["detailed_findings"] = detailed_findings(assessment, inv, demand, context["finding_configs"], assets)
    context["recommendations"], context["recommendations_more"] = recommendations(
        assessment, context["finding_configs"]
    )
    context["forecast_rows"], forecast_links = forecast_rows(assessment)
    if forecast_links:
        forecast_chart(forecast_links, assets / "forecast.svg")
    render_pdf(
        context,
        stage / "report.pdf",
        assets,
        [stage / "links.csv", stage / "findings.csv", stage / "samples.csv", stage / "collection.log"],
        stamp,
        brand.templates_dir,
    )


def _runout_rows(a: Assessment) -> list[dict[str, Any]]:
    def days(d: float | None) -> str:
        if d is None:
            return "no runout"
        return "now" if d <= 0 else f"{d:.0f} d"

    rows = []
    for la in a.links:
        for direction, ro in la.runout.items():
            circuit = la.down.circuit_bps if direction == "down" else la.up.circuit_bps
            early, late = ro.linear_days_band
            rows.append(
                {
                    "link": la.link,
                    "dir": direction,
                    "days": f"{ro.days_of_history} d",
                    "now": f"{100 * ro.y_now_bps / circuit:.0f} %",
                    "trend": f"{ro.slope_bps_per_day * DAYS_PER_MONTH / 1e6:+.2f} Mb/s",
                    "linear": f"{days(ro.linear_days)} ({days(early)} - {days(late)})",
                    "compound": days(ro.compound_days),
                    "with_ai": days(ro.linear_days_with_ai),
                    "proj": " / ".join(f"{p.with_ai_pct:.0f} %" for p in ro.projections),
                    "note": ro.seasonality or "",
                }
            )
    return rows


def idle_workloads(inv: Inventory, ps: ProfileSet) -> list[str]:
    """Agentic workloads that do not run in the modelled hour, as ``"hq-london: 30 x
    nightly-batch (01:00-05:00)"``: the report says how to assess their window (``--hour``)."""
    out = []
    for site in inv.sites:
        for w in site.workloads:
            p = ps.profiles.get(w.profile)
            if p is not None and p.kind == "agentic" and not p.active_at(ps.hour_of_day):
                a, b = p.active_hours
                out.append(f"{site.name}: {w.count} x {w.profile} ({a:02d}:00-{b:02d}:00)")
    return out


#: Above this many links the report is summary-level: the links most at risk in detail, the
#: rest in the attached CSV (issue 6: a 1,500-link estate must still give a readable report).
DETAIL_MAX_LINKS = 60


_RISK_ORDER = {"not ready": 0, "at risk": 1, "not assessed": 2, "ready": 3}


def _risk(la: LinkAssessment) -> tuple[int, float]:
    """Sort key, most at risk first: the verdict, then the highest projected p95 of 300 s."""
    return (_RISK_ORDER[la.verdict], -max(la.down.p95_300s_pct or 0, la.up.p95_300s_pct or 0))


def detail_links(a: Assessment) -> list[LinkAssessment]:
    """The links the report shows in detail: all of them up to ``DETAIL_MAX_LINKS``, else the
    ones most at risk (verdict, then the highest projected p95 of 300 s), in report order."""
    if len(a.links) <= DETAIL_MAX_LINKS:
        return list(a.links)
    keep = {la.link for la in sorted(a.links, key=_risk)[:DETAIL_MAX_LINKS]}
    return [la for la in a.links if la.link in keep]


#: Above ``DETAIL_MAX_LINKS`` links, the sites whose latency, dependency map, calls in flight and
#: class plans the report shows: those of the links most at risk, up to this many.
DETAIL_MAX_SITES = 12
#: Collection log lines printed in the report's appendix (the whole log is attached).
LOG_MAX_LINES = 80


def detail_sites(a: Assessment) -> list[str]:
    """The sites the report shows per-site tables for: every site up to ``DETAIL_MAX_LINKS``
    links, else the sites of the links most at risk, up to ``DETAIL_MAX_SITES``."""
    sites = list(dict.fromkeys(la.site for la in a.links))
    if len(a.links) <= DETAIL_MAX_LINKS:
        return sites
    keep = list(dict.fromkeys(la.site for la in sorted(detail_links(a), key=_risk)))[:DETAIL_MAX_SITES]
    return [s for s in sites if s in keep]


def _names(names: list[str], limit: int = 10) -> str:
    return ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _window(ps: ProfileSet, profile: str) -> str:
    """``", runs 01:00-05:00"`` for a workflow with active hours, else empty."""
    p = ps.profiles.get(profile)
    a, b = getattr(p, "active_hours", (0, 24))
    return "" if (a, b) == (0, 24) else f", runs {a:02d}:00-{b:02d}:00"


def _latency_rows(a: Assessment, ps: ProfileSet) -> list[dict[str, Any]]:
    rows = []
    for sl in a.latency:
        for sc in sl.scenarios:
            st, path = sc.stats, sc.path
            rows.append(
                {
                    "first": sc is sl.scenarios[0],
                    "span": len(sl.scenarios),
                    "site": sl.site,
                    "profile": sl.profile,
                    "link": sl.via_link,
                    "budget": (f"{sl.budget_s:.0f} s" if sl.budget_s else "none") + _window(ps, sl.profile),
                    "scenario": sc.scenario,
                    "p50": f"{st.p50_s:.1f}" if st else "-",
                    "p95": f"{st.p95_s:.1f}" if st else "-",
                    "p99": f"{st.p99_s:.1f}" if st else "-",
                    "over": f"{100 * st.over_budget:.1f} %" if st and st.over_budget is not None else "-",
                    "failed": f"{100 * st.failed:.2f} %" if st else "-",
                    "over_class": "bad" if st and sl.budget_s and st.p95_s > sl.budget_s else "",
                    "retries": (
                        f"x{sc.retry_amplification:.2f} (budget x{sc.retry_amplification_budget or 1:.2f})"
                        if sc.retry_amplification is not None
                        else "-"
                    ),
                    "path": (
                        f"RTT {path.rtt_ms:.0f} ms, loss {100 * path.loss:.2g} %, queue {path.queue_delay_ms:.0f} ms, "
                        f"{path.transfer_rate_bps / 1e6:.3g} Mb/s per call, "
                        + (
                            "TLS and connection reuse per destination"
                            if path.tls is None and path.keepalive is None
                            else f"TLS {path.tls or 'per destination'}"
                            + ("" if path.keepalive is not False else ", new connection per call")
                        )
                        + (f"; {sc.note}" if sc.note else "")
                        if st
                        else sc.note
                    ),
                }
            )
    return rows


def _flow_rows(a: Assessment, ps: ProfileSet) -> list[dict[str, Any]]:
    """The dependency map per site for the report: one row per workflow call, its destination
    and rules, and whether the site's links give it a compliant path."""
    rows = []
    for f in a.flows:
        prof = ps.profiles[f.profile]
        call = next(c for c in getattr(prof, "calls", ()) if c.name == f.call)
        rows.append(
            {
                "site": f"{f.site} ({f.site_region or 'region?'})",
                "workflow": f.profile,
                "call": f.call if call.probability == 1 else f"{f.call} (p={call.probability:g})",
                "per": call.per,
                "destination": f"{f.destination} ({f.destination_region or '?'}, {f.reach})",
                "cls": f.transport_class,
                "retry": f"{call.timeout_s:g} s, {call.retries} retries"
                + ("" if call.idempotent else ", not idempotent"),
                "rules": ", ".join(f.rules) or "-",
                "paths": ", ".join(f.compliant_links) or "none",
                "status": f.status,
                "bad": f.status in ("out of region", "internet destination", "no compliant path"),
                "warn": f.status in ("pin to private", "no private backup"),
            }
        )
    return rows


def _queue_text(q: QueueResult | None) -> str:
    if q is None:
        return "-"
    if q.dropped_bytes <= 0 and q.peak_delay_ms < 1:
        return "no drops, no queue"
    return f"{q.dropped_bytes / 1e6:.2f} MB ({100 * q.drop_share:.2f} %), peak {q.peak_delay_ms:.0f} ms"


def _measured_drops_text(la: LinkAssessment) -> str:
    if la.measured_queue_drops is None:
        return "no evidence (no QoS policy seen, or no parser for the platform)"
    if not la.measured_queue_drops:
        return "policy present, no class counters"
    w = la.measured_queue_drops[0].window_s
    parts = [f"{c.class_name} {c.drops} ({c.drops_per_s:.1f}/s)" for c in la.measured_queue_drops]
    return f"over {w:.0f} s: " + ", ".join(parts)


#: Config excerpts in the report's appendix: at most this many devices, this many lines each
#: (the files themselves are in configs/).
EXCERPT_DEVICES = 12
EXCERPT_LINES = 60


def _config_context(inv: Inventory, a: Assessment, folder: Path, config_files: list[str]) -> dict[str, Any]:
    """Per finding, the generated config that acts on it (its link's device; for site-level
    findings, the site's devices), and the appendix's config excerpts."""
    by_device = {name.split(".")[0]: name for name in config_files if not name.startswith("intent.")}
    link_device = {lk.name: lk.device for lk in inv.links}
    site_devices: dict[str, list[str]] = {}
    for d in inv.devices:
        site_devices.setdefault(d.site, []).append(d.name)
    finding_configs: dict[str, list[str]] = {}
    for f in a.findings:
        devices = [link_device[f.link]] if f.link in link_device else site_devices.get(f.site, [])
        finding_configs[f.id] = [by_device[d] for d in devices if d in by_device]
    excerpts = []
    for name in list(by_device.values())[:EXCERPT_DEVICES]:
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        excerpts.append({"file": name, "lines": lines[:EXCERPT_LINES], "more": max(0, len(lines) - EXCERPT_LINES)})
    return {
        "finding_configs": finding_configs,
        "config_excerpts": excerpts,
        "excerpts_more": max(0, len(by_device) - EXCERPT_DEVICES),
    }


def _brand_context(brand: ReportSettings, assets: Path) -> dict[str, Any]:
    """What the branding settings change in the report context; the logo is copied beside the
    charts (the renderer fetches local files only)."""
    ctx: dict[str, Any] = {
        "classification": brand.classification,
        "report_version": brand.report_version,
        "author": brand.author,
        "primary_colour": brand.primary_colour,
        "accent_colour": brand.accent_colour,
        "logo": None,
    }
    if brand.client:
        ctx["client"] = brand.client
    if brand.title:
        ctx["title"] = brand.title
    if brand.logo is not None:
        name = "logo" + brand.logo.suffix.lower()
        shutil.copyfile(brand.logo, assets / name)
        ctx["logo"] = name
    return ctx


def _report_context(
    unrendered: list[str],
    loaded: LoadedInventory,
    ps: ProfileSet,
    collections: list[DeviceCollection],
    a: Assessment,
    busiest: SiteDemand,
    started: datetime,
    config_files: list[str],
    polls: int | None,
    interval_s: float | None,
    log_lines: list[str],
) -> dict[str, Any]:
    inv = loaded.inventory
    stamp = report_time(started)
    n_polls = polls or inv.collection.polls
    interval = interval_s or inv.collection.interval_s
    counts = {s: sum(1 for f in a.findings if f.severity == s) for s in SEVERITY_ORDER}
    assessed = [la for la in a.links if la.collected]
    by_verdict = {
        v: [la.link for la in a.links if la.verdict == v] for v in ("not ready", "at risk", "ready", "not assessed")
    }
    sentence = {
        "not ready": "The WAN is not ready for the planned AI workloads: ",
        "at risk": "The WAN is at risk under the planned AI workloads: ",
        "ready": "The WAN is ready for the planned AI workloads: ",
        "not assessed": "The WAN could not be assessed: ",
    }[a.verdict]
    parts = []
    if by_verdict["not ready"]:
        parts.append(
            f"{len(by_verdict['not ready'])} link(s) will not carry the projected load "
            f"({_names(by_verdict['not ready'])})"
        )
    if by_verdict["at risk"]:
        parts.append(f"{len(by_verdict['at risk'])} at risk ({_names(by_verdict['at risk'])})")
    if by_verdict["ready"]:
        parts.append(f"{len(by_verdict['ready'])} ready")
    if a.not_collected:
        parts.append(f"{len(a.not_collected)} not assessed for lack of data ({_names(a.not_collected)})")
    detail = detail_links(a)
    sites_shown = set(detail_sites(a))
    shown_findings, findings_left_out = findings_table(a.findings)
    link_rows = []
    drops_rows: list[dict[str, Any]] = []
    for la in detail:
        d, u = la.down, la.up
        link_rows.append(
            {
                "site": la.site,
                "link": la.link,
                "transport": la.transport,
                "circuit": _pair(d.circuit_bps, u.circuit_bps, lambda x: f"{x / 1e6:g}"),
                "ai_share": f"{100 * la.ai_share:.0f} %",
                "baseline": _pair(
                    d.baseline_bps and 100 * d.baseline_bps / d.circuit_bps,
                    u.baseline_bps and 100 * u.baseline_bps / u.circuit_bps,
                    _pct,
                ),
                "p95": _pair(d.p95_300s_pct, u.p95_300s_pct, _pct),
                "p99": _pair(d.p99_1s_pct, u.p99_1s_pct, _pct),
                "headroom": _pair(d.headroom_bps, u.headroom_bps, _fmt_mbps),
                "verdict": la.verdict,
                "verdict_class": la.verdict.replace(" ", "-"),
                "baseline_note": "history: p95 of 5-min means" if la.baseline_source.startswith("history") else "",
            }
        )
        drops_rows.append(
            {
                "link": la.link,
                "predicted": [_queue_text(x.queue) for x in (d, u)],
                "measured": _measured_drops_text(la),
            }
        )
    contrast = next(c for c in a.contrasts if c.site == busiest.site)
    crow = []
    for g, ag in zip(contrast.generative, contrast.agentic, strict=True):
        for kind, s in (("burst-generative", g), ("sustained-agentic", ag)):
            crow.append(
                {
                    "t": f"{s.timescale_s} s",
                    "kind": kind,
                    "mean": _fmt_mbps(s.mean_bps),
                    "p95": _fmt_mbps(s.p95_bps),
                    "p99": _fmt_mbps(s.p99_bps),
                    "ptm": f"{s.peak_to_mean:.2f}",
                    "p99m": f"{s.p99_to_mean:.2f}",
                    "cov": f"{s.cov:.2f}",
                    "duty": f"{100 * s.duty_cycle:.0f} %",
                }
            )
    plans = []
    for la in detail:
        if la.site not in sites_shown:
            continue
        p = la.plan
        gauss = la.class_gaussian_up_bps
        plans.append(
            {
                "link": p.link,
                "device": p.device,
                "interface": p.interface,
                "shaper": f"{p.shaper_bps / 1e6:g} Mb/s",
                "rows": [
                    {
                        "name": c.name,
                        "dscp": " ".join(c.dscp).upper() if c.name != "SCAVENGER" else "LE (1)",
                        "queue": c.queue,
                        "percent": c.percent,
                        "guarantee": _fmt_mbps(c.guarantee_bps),
                        "demand": _fmt_mbps(c.demand_bps),
                        "gaussian": _fmt_mbps(gauss.get(c.name)),
                        "basis": c.basis,
                    }
                    for c in p.classes
                ],
            }
        )
    assumptions = [
        {"profile": owner, "param": param, "value": _num(value), "source": source}
        for owner, param, value, source in ps.sourced_parameters()
    ]
    if len(inv.sites) <= DETAIL_MAX_SITES:
        workloads = "; ".join(
            f"{s.name}: " + ", ".join(f"{w.count} x {w.profile}" for w in s.workloads) for s in inv.sites
        )
    else:  # a large estate: per profile, not per site
        per_profile: dict[str, tuple[int, int]] = {}
        for site in inv.sites:
            for w in site.workloads:
                n, k = per_profile.get(w.profile, (0, 0))
                per_profile[w.profile] = (n + w.count, k + 1)
        workloads = "; ".join(f"{p}: {n:,} at {k} sites" for p, (n, k) in per_profile.items())
    positives = [
        f"{la.link}: projected p95(300 s) {max(la.down.p95_300s_pct or 0, la.up.p95_300s_pct or 0):.0f} % at most, "
        "ready for the modelled AI load"
        for la in a.links
        if la.verdict == "ready"
    ]
    if len(positives) > 8:  # a large estate: say how many, not every one
        positives = [f"{len(positives)} of {len(a.links)} links ready for the modelled AI load"]
    ok_devices = sum(1 for c in collections if c.status == "ok")
    if ok_devices:
        positives.append(f"{ok_devices} of {len(collections)} devices answered every poll over SSH")
    return {
        "title": "AI-readiness capacity assessment",
        "client": inv.client or inv.name,
        "inventory_name": inv.name,
        "version": __version__,
        "generated": stamp.strftime("%d %B %Y %H:%M UTC"),
        "created_iso": stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "window": (
            f"{started.strftime('%Y-%m-%d %H:%M UTC')}, {n_polls} polls {interval:g} s apart; "
            f"AI load modelled for {ps.hour_of_day:02d}:00-{(ps.hour_of_day + 1) % 24:02d}:00 local"
        ),
        "idle_workloads": idle_workloads(inv, ps),
        "window_hour": f"{ps.hour_of_day:02d}:00-{(ps.hour_of_day + 1) % 24:02d}:00 local",
        "classification": "Confidential",
        "verdict": a.verdict,
        "verdict_class": a.verdict.replace(" ", "-"),
        "verdict_sentence": sentence + "; ".join(parts) + ".",
        "kpis": [
            {"label": "WAN links assessed", "value": f"{len(assessed)} / {len(a.links)}"},
            {"label": "links not ready", "value": len(by_verdict["not ready"])},
            {"label": "links at risk", "value": len(by_verdict["at risk"])},
            {"label": "critical + high findings", "value": counts["critical"] + counts["high"]},
        ],
        "severity_counts": [(s, n) for s, n in counts.items() if n],
        "top_findings": a.findings[:3],
        "impact": FINDING_IMPACT,
        "positives": positives,
        "link_rows": link_rows,
        "drops_rows": drops_rows,
        "latency_rows": [r for r in _latency_rows(a, ps) if r["site"] in sites_shown],
        "flow_rows": [r for r in _flow_rows(a, ps) if r["site"].split(" (")[0] in sites_shown],
        "sites_note": (
            ""
            if len(sites_shown) == len(inv.sites)
            else f"Summary level: the {len(sites_shown)} sites of the links most at risk, of {len(inv.sites)}; "
            "every site's figures are in results.json."
        ),
        "detail_note": (
            ""
            if len(detail) == len(a.links)
            else f"Summary level: the {len(detail)} links most at risk of {len(a.links)} (and their sites) are shown "
            "in detail; every link is in links.csv, attached to this PDF and written beside it."
        ),
        "runout_rows": _runout_rows(a),
        "sessions_rows": [
            {
                "site": c.site,
                "kinds": [
                    f"{k}: mean {v['mean']:.0f}, p99 {v['p99']:.0f}, max {v['max']:.0f}"
                    for k, v in c.calls_in_flight.items()
                ],
            }
            for c in a.contrasts
            if c.calls_in_flight and c.site in sites_shown
        ],
        "latency_tasks": f"{DEFAULT_TASKS:,}",
        "links_chart": "links.svg",
        "contrast": {"site": busiest.site, "chart": "contrast.svg", "rows": crow},
        "findings": shown_findings,
        "findings_more": findings_left_out,
        "findings_by_kind": findings_by_kind(a),
        "severity_order": SEVERITY_ORDER,
        "scope": {
            "sites": len(inv.sites),
            "links": len(a.links),
            "devices": len(inv.devices),
            "devices_ok": ok_devices,
            "polls": n_polls,
            "interval": f"{interval:g} s",
            "window_s": f"{(n_polls - 1) * interval:g} s",
            "profiles": len(ps.profiles),
            "hour": f"{ps.hour_of_day:02d}:00-{(ps.hour_of_day + 1) % 24:02d}:00 local",
        },
        "key_assumptions": [r for r in assumptions if r["profile"] in ("(all)", "forecast")],
        "forecast_scenarios": [
            {
                "name": name,
                "baseline": f"{100 * sc.baseline_growth_per_year:.0f} %",
                "agents": f"{100 * sc.ai_agents_growth_per_year:.0f} %",
                "bytes": f"{100 * sc.ai_bytes_per_task_growth_per_year:.0f} %",
            }
            for name, sc in ps.forecast.scenarios.items()
        ],
        "forecast_months": list(ps.forecast.months),
        "not_collected": [
            {
                "link": u,
                "device": next(la.device for la in a.links if la.link == u),
                "reason": next(
                    (f.evidence for f in a.findings if f.link == u and "not collected" in f.title),
                    "",
                ),
            }
            for u in a.not_collected
        ],
        "plans": plans,
        "config_files": config_files,
        "unrendered": unrendered,
        "method": [
            f"Collection: NAPALM getters get_facts, get_interfaces and get_interfaces_counters over SSH, {n_polls} "
            "polls "
            f"{interval:g} s apart on one session per device; each sample is timestamped when its getter returns.",
            "Utilisation: bps = 8 x delta(octets) / delta(t); 32-bit wraps accepted only when plausible at the port "
            "rate, "
            "resets and reboots (uptime) discard the interval, rates above the port rate are discarded.",
            "Capacity is the circuit rate from the inventory, never the port speed the device reports.",
            f"AI demand: workloads per site ({workloads}) modelled as event lists over a {ps.horizon_s} s busy hour "
            f"at {ps.bin_s:g} s bins, binned exactly, seeded (seed {inv.seed}).",
            "Statistics on the timescale ladder 1 s / 10 s / 60 s / 300 s; percentiles by nearest rank (k = ceil(q "
            "n)).",
            "Verdict: p95 of 300 s means >= 60 % of the circuit is at risk (R. Bush, Kentik), >= 80 % not ready "
            "(NANOG 2009); "
            "1 s p99 above the circuit is at risk; AI classes must keep p99(1 s) <= 90 % of their guarantee.",
            "Burst capacity: Gaussian dimensioning C(T, eps) = mu + sqrt(-2 ln eps) sigma_T, eps = 1 % (van de "
            "Meent, Mandjes & Pras 2009).",
        ],
        "assumptions": assumptions,
        "limitations": [
            f"Without --history the baseline is the mean of a {n_polls}-poll window, held constant over the busy "
            "hour: its own variance and its p95 over weeks are not seen. Give 5-minute history (--history) for the "
            "p95 baseline and a trend.",
            "AI demand is modelled from the profiles (Appendix A), not measured: replace assumptions with measured "
            "figures where possible, and re-run after the pilot.",
            "The forecast grows today's figures by assumed yearly rates; it is a planning range, not a prediction. "
            "Where history exists, the runout from its trend takes precedence.",
            "The generated policies shape egress (upstream); downstream queuing happens at the provider edge and "
            "needs a matching provider QoS profile.",
            "Flow policies are per class: where any AI-AGENT call at a site is private-only, the whole class is held "
            "on private links; separating calls needs application or prefix matches the inventory does not carry.",
        ],
        "collection_log": log_lines[:LOG_MAX_LINES],
        "log_more": max(0, len(log_lines) - LOG_MAX_LINES),
    }
