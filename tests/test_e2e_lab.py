"""End to end over real SSH: the lab's FakeNOS routers, NAPALM's ios driver, weasyprint's PDF."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from assess.cli import app
from assess.inventory import load_inventory
from assess.lab import Lab, load_lab_traffic

ROOT = Path(__file__).resolve().parents[1]
LAB = ROOT / "inventories" / "lab.yaml"
SECRET = "e2e-Lab-pw-7f3a9c"

pytestmark = pytest.mark.lab


def _pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _flat(outline: list) -> list:  # type: ignore[type-arg]
    out = []
    for item in outline:
        out += _flat(item) if isinstance(item, list) else [item]
    return out


def _all_output_text(out: Path) -> str:
    return "".join(p.read_bytes().decode("latin-1") for p in out.rglob("*") if p.is_file())


def _text_in_right_margin(page: Any, margin_pt: float = 42.5) -> list[str]:
    """Text pieces of a PDF page that start inside its right margin (a cell overflowing the page)."""
    starts: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        if text.strip():
            starts.append((cm[0] * tm[4] + cm[2] * tm[5] + cm[4], text))

    page.extract_text(visitor_text=visit)
    return [t for x, t in starts if x > float(page.mediabox.width) - margin_pt]


def test_demo_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSESS_LAB_PASSWORD", SECRET)
    out = tmp_path / "demo"
    # --fail-on as a CI gate: the lab has a critical finding, so exit 7, with every output written
    result = CliRunner().invoke(app, ["demo", "--out", str(out), "--fail-on", "critical"])
    assert result.exit_code == 7, result.output
    assert "Verdict:" in result.output
    assert re.search(r"fail-on critical: \d+ finding\(s\) at or above it, e\.g\. F\d{3} ", result.output)
    assert (out / "report.pdf").exists() and (out / "results.json").exists()
    # the self-contained HTML report: styles and every chart inlined (links, contrast, forecast and
    # the detailed findings' evidence), nothing fetched from anywhere
    html = (out / "report.html").read_text()
    assert html.count("<svg") >= 4 and not re.search(r'src="[^"]+\.svg"', html)
    assert "<style>" in html and 'src="http' not in html
    assert "Dependency map and data boundaries" in html
    # results.json follows its published, versioned schema
    from assess.results import ResultsDocument

    assert ResultsDocument.model_validate(json.loads((out / "results.json").read_text())).schema_version == "3"
    # the pull-request summary agrees with results.json
    summary = (out / "summary.md").read_text()
    res = json.loads((out / "results.json").read_text())
    assert f"**{res['verdict'].upper()}**" in summary
    assert len(re.findall(r"^\| F\d{3} ", summary, flags=re.M)) == min(15, len(res["findings"]))
    assert len(re.findall(r"^\| (?:hq|br)-", summary, flags=re.M)) == len(res["links"])
    assert "| p95 in 24 months (expected) |" in summary

    # The PDF: sites, verdicts, the contrast chart (its SVG text stays text), the attached CSV.
    pdf = out / "report.pdf"
    reader = PdfReader(pdf)
    text = _pdf_text(pdf)
    results = json.loads((out / "results.json").read_text())
    for site in ("hq-london", "br-manchester", "br-lyon"):
        assert site in text
    for la in results["links"]:
        assert la["link"] in text
    assert f"Overall verdict: {results['verdict'].upper()}" in text
    by_link = {la["link"]: la for la in results["links"]}
    assert by_link["br1-mpls"]["verdict"] == "not ready"  # the lab's link near its limit
    assert "not ready" in text
    assert "1 s bins, first 10 minutes" in text and "300 s means, busy hour" in text
    assert "burst-generative" in text and "sustained-agentic" in text
    assert re.search(r"Page 1 of \d+", text)
    assert "links.csv" in reader.attachments and "samples.csv" in reader.attachments
    assert reader.attachments["links.csv"][0].decode().startswith("site,link,")

    # Structure: A4 pages, "Page X of Y" on every page, an outline, a contents page whose page
    # numbers are where the outline says the sections are, a table header repeated on the pages
    # a long table runs over, and numbers in the PDF that are those of results.json.
    n = len(reader.pages)
    pages = [p.extract_text() or "" for p in reader.pages]
    for i, page in enumerate(reader.pages):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4 in pt
        assert f"Page {i + 1} of {n}" in pages[i]
        # nothing overflows a table cell off the page: no text starts inside the 15 mm right margin
        assert not _text_in_right_margin(page), (i + 1, _text_in_right_margin(page)[:3])
    outline = {o.title: reader.get_destination_page_number(o) + 1 for o in reader.outline[0:1] + _flat(reader.outline)}
    toc = {m.group(1).strip(" ."): int(m.group(2)) for m in re.finditer(r"^(.+?)[ .]*(\d+)$", pages[1], flags=re.M)}
    sections = (
        "Executive summary",
        "Scope, method and assumptions",
        "Findings",
        "Detailed findings",
        "Per-link capacity: baseline plus modelled AI demand",
        "AI demand forecast: 6 / 12 / 24 months",
        "Recommendations and generated configs",
        "Limitations",
        "Appendix: model parameters and their sources",
        "Appendix: collection log and attached data",
    )
    for title in sections:
        assert toc[title] == outline[title], title
    assert [outline[t] for t in sections] == sorted(outline[t] for t in sections)  # DOMAIN.md 7's order
    params = [i for i, p in enumerate(pages) if "Model parameters and their sources" in p][0]
    spill = [i for i in range(params + 1, n) if pages[i].startswith("Profile Parameter Value Source")]
    assert spill, "the assumptions table header is repeated on its continuation pages"
    for la in results["links"]:
        for d in ("down", "up"):
            pct = la[d]["p95_300s_pct"]
            assert f"{pct:.0f} %" in text
    # recommendations point at the generated config that acts on them; the appendix shows it
    flat = " ".join(text.split())
    assert re.search(r"Generated: configs/br1-rtr1\.ios- ?xe\.cfg", flat)  # the cell may wrap at the hyphen
    assert "Appendix: generated configs (excerpts)" in flat and "shape average 50000000" in flat
    # every finding in the attached findings.csv; the forecast's figures are results.json's
    found = reader.attachments["findings.csv"][0].decode()
    assert found.startswith("id,severity,kind,") and all(f["id"] in found for f in results["findings"])
    fc_page = [p for p in pages if "AI demand forecast: 6 / 12 / 24 months" in p and "Scenario" in p][0]
    assert "Cisco VNI" in text and "Gartner" in text  # the growth rates' sources (appendix)
    fc_text = " ".join(pages[pages.index(fc_page) : pages.index(fc_page) + 2])
    for la in results["links"]:
        exp = next(s for s in la["forecast"]["scenarios"] if s["scenario"] == "expected")
        worst = max(x for x in (exp["points"][-1]["down_p95_300s_pct"], exp["points"][-1]["up_p95_300s_pct"]) if x)
        assert f"{worst:.0f} %" in fc_text, la["link"]
    detail = [p for p in pages if "Detailed findings" in p and "Business impact" in p]
    assert detail and "forecast p95 of 300 s means" in " ".join(pages)  # the evidence charts' text
    counts: dict[str, int] = {}
    for f in results["findings"]:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    for sev, c in counts.items():  # the executive summary's severity badges
        assert f"{sev.upper()} {c}" in pages[2], (sev, c)

    # Measured utilisation went through real counters: sub-rate circuit % of 50 Mb/s, not 1 G.
    br1 = by_link["br1-mpls"]
    assert br1["collected"] and br1["port_speed_mbps"] == 1000.0
    assert 70 < 100 * br1["down"]["baseline_bps"] / br1["down"]["circuit_bps"] < 95

    # QoS queue drops read over netmiko + TextFSM from the router's show policy-map interface
    # (lab: BUSINESS-DATA 0.4/s, class-default 2.5/s), beside the model's predicted drops.
    drops = {c["class_name"]: c for c in br1["measured_queue_drops"]}
    assert set(drops) == {"VOICE", "BUSINESS-DATA", "class-default"}  # leaf classes, not the parent
    assert drops["VOICE"]["drops"] == 0
    assert 1.8 < drops["class-default"]["drops_per_s"] < 3.2 and 0.1 < drops["BUSINESS-DATA"]["drops_per_s"] < 0.8
    assert by_link["hq-mpls"]["measured_queue_drops"] is None  # no policy on that router
    assert br1["up"]["queue"]["buffer_bytes"] == pytest.approx(0.1 * 50e6 / 8)
    assert any(f["title"] == "br1-mpls: queues already drop today" for f in results["findings"])
    assert "Queueing and drops: predicted beside measured" in text

    # Task latency per agentic workflow and site, now and under the what-ifs.
    lat = {(sl["site"], sl["profile"]): sl for sl in results["latency"]}
    assert set(lat) == {
        ("hq-london", "support-agent"),
        ("hq-london", "coding-agent"),
        ("hq-london", "nightly-batch"),
        ("br-manchester", "support-agent"),
        ("br-lyon", "coding-agent"),
        ("br-lyon", "research-multi-agent"),
    }
    research = {sc["scenario"]: sc for sc in lat[("br-lyon", "research-multi-agent")]["scenarios"]}
    assert list(research) == ["now", "RTT 120 ms", "1 % loss", "TLS 1.2, no keep-alive", "main link down"]
    assert research["RTT 120 ms"]["stats"]["p50_s"] > research["now"]["stats"]["p50_s"]
    assert research["now"]["stats"]["calls_per_task"] > 150  # 150 fan-out calls plus the steps
    manchester_down = lat[("br-manchester", "support-agent")]["scenarios"][-1]
    assert manchester_down["overload_factor"] > 1.2  # 50 Mb/s of MPLS load onto 20 Mb/s broadband up
    assert any(f["title"] == "br-manchester: no resilient path for the AI load" for f in results["findings"])
    # On failover the backup drops, drops feed retries back as load: a storm without a budget.
    assert manchester_down["retry_amplification"] > 1.2
    assert manchester_down["retry_amplification_budget"] == pytest.approx(1.1)
    assert any(f["title"] == "br-manchester: retries would turn drops into a retry storm" for f in results["findings"])
    assert "Task latency of agentic workflows" in text

    # The dependency map checked against regions and links: br-lyon (eu-central) sends in-region
    # code search to eu-west; hq-london plans AI load on its DIA, so CRM calls that may not break
    # out must be pinned to MPLS; br-manchester has one private link and no compliant backup.
    flows = {(f["site"], f["profile"], f["call"]): f for f in results["flows"]}
    assert flows[("br-lyon", "coding-agent", "code-search")]["status"] == "out of region"
    assert flows[("hq-london", "support-agent", "crm-lookup")]["status"] == "pin to private"
    assert flows[("hq-london", "support-agent", "crm-lookup")]["compliant_links"] == ["hq-mpls"]
    assert flows[("br-manchester", "support-agent", "ticket-update")]["status"] == "no private backup"
    assert flows[("hq-london", "nightly-batch", "index-upsert")]["transport_class"] == "BULK-SYNC"
    titles = {f["title"] for f in results["findings"]}
    assert "br-lyon: in-region data would leave eu-central" in titles
    assert "hq-london: keep private-only calls off hq-dia" in titles
    assert "br-manchester: no compliant backup for private-only calls" in titles
    # in-region data stays on private links too: br-lyon's code search may not use its broadband
    assert flows[("br-lyon", "coding-agent", "code-search")]["compliant_links"] == ["br2-mpls"]
    assert "Dependency map and data boundaries" in text
    # The nightly batch does not run at 10:00: not in the figures, and the report says so.
    assert "hq-london: 30 x nightly-batch (01:00-05:00)" in " ".join(text.split())

    # Configs: every child policy sums to 100 and every shaper equals the circuit's upstream rate.
    inv = load_inventory(LAB).inventory
    configs = {p.name: p.read_text() for p in (out / "configs").glob("*.cfg")}
    assert len(configs) == len(inv.devices)
    for link in inv.links:
        cfg = configs[f"{link.device}.ios-xe.cfg"]
        tag = link.name.upper()
        child = re.search(rf"^policy-map AI-QOS-{tag}\n((?: .*\n)+)", cfg, flags=re.M)
        parent = re.search(rf"^policy-map WAN-SHAPE-{tag}\n((?: .*\n)+)", cfg, flags=re.M)
        assert child and parent, link.name
        pcts = [int(x) for x in re.findall(r"(?:bandwidth percent|police cir percent) (\d+)", child.group(1))]
        assert sum(pcts) == 100
        assert int(re.search(r"shape average (\d+)", parent.group(1)).group(1)) == link.circuit_up_bps  # type: ignore[union-attr]

    for name in ("links.csv", "samples.csv", "demand_1s.csv", "collection.log"):
        assert (out / name).stat().st_size > 0
    # The password appears in no output.
    assert SECRET not in _all_output_text(out)
    assert SECRET not in result.output


def test_unreachable_device_is_reported_not_fatal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSESS_LAB_PASSWORD", SECRET)
    loaded = load_inventory(LAB)
    traffic = load_lab_traffic(ROOT / "inventories" / "lab-traffic.yaml")
    out = tmp_path / "partial"
    monkeypatch.chdir(tmp_path)  # a relative --out, as a user types it
    with Lab(loaded, traffic) as lab:
        lab.stop_device("br2-rtr1")
        result = CliRunner().invoke(app, ["run", str(LAB), "--out", "partial", "--polls", "3", "--interval", "2"])
    assert result.exit_code == 3, result.output
    results = json.loads((out / "results.json").read_text())
    assert results["not_collected"] == ["br2-mpls"]
    status = {d["device"]: d["status"] for d in results["devices"]}
    assert status["br2-rtr1"] == "failed"
    assert all(s == "ok" for d, s in status.items() if d != "br2-rtr1")
    assessed = {la["link"]: la for la in results["links"]}
    assert assessed["br2-broadband"]["collected"]  # same site, other router: still assessed
    assert assessed["br2-mpls"]["verdict"] == "not assessed"
    text = _pdf_text(out / "report.pdf")
    gaps = re.sub(r"-\s+", "-", text.split("Data gaps", 1)[1].split("Findings", 1)[0])  # method: data gaps
    assert "br2-mpls" in gaps and "br2-rtr1" in gaps and "None: every WAN link" not in gaps
    assert "br2-rtr1" in text and "unreachable" in text
    assert SECRET not in _all_output_text(out)


def test_wrong_password_is_an_auth_failure_without_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    from assess.collect import collect_inventory

    monkeypatch.setenv("ASSESS_LAB_PASSWORD", SECRET)
    loaded = load_inventory(LAB)
    traffic = load_lab_traffic(ROOT / "inventories" / "lab-traffic.yaml")
    wrong = "Wrong-pw-000111"
    with Lab(loaded, traffic):
        monkeypatch.setenv("ASSESS_LAB_PASSWORD", wrong)
        cols = collect_inventory(load_inventory(LAB), polls=3, interval_s=0.5)
    assert {c.status for c in cols} == {"failed"}
    for c in cols:
        assert c.error and "authentication failed" in c.error
        assert wrong not in c.error and SECRET not in c.error
        assert all(wrong not in line for line in c.log)


def test_history_baseline_assesses_a_link_whose_router_is_down(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Four weeks of 5-minute history for br2-mpls (down ~85 %, up busy hours growing 1 Mb/s a
    day) while its router is unreachable: baseline from history, and a runout."""
    monkeypatch.setenv("ASSESS_LAB_PASSWORD", SECRET)
    lines = ["timestamp,device,interface,in_bps,out_bps"]
    t0 = 1_762_000_000
    for k in range(28 * 288):
        busy = (k % 288) in range(100, 200)
        up = 30e6 + 1e6 * (k // 288) if busy else 5e6
        lines.append(f"{t0 + 300 * k},br2-rtr1,Gi0/0/0,{85e6 if busy else 20e6:.0f},{up:.0f}")
    csv = tmp_path / "br2.csv"
    csv.write_text("\n".join(lines) + "\n")
    hist = tmp_path / "hist"
    assert CliRunner().invoke(app, ["import", "csv", str(csv), "--out", str(hist)]).exit_code == 0
    loaded = load_inventory(LAB)
    traffic = load_lab_traffic(ROOT / "inventories" / "lab-traffic.yaml")
    out = tmp_path / "withhist"
    with Lab(loaded, traffic) as lab:
        lab.stop_device("br2-rtr1")
        result = CliRunner().invoke(
            app, ["run", str(LAB), "--out", str(out), "--interval", "2", "--history", str(hist)]
        )
    assert result.exit_code == 3, result.output  # live collection was still partial
    links = {la["link"]: la for la in json.loads((out / "results.json").read_text())["links"]}
    br2 = links["br2-mpls"]
    assert br2["baseline_source"].startswith("history p95 of 8064 five-minute means")
    assert br2["down"]["baseline_bps"] == pytest.approx(85e6)  # 100 of 288 windows busy: p95 is busy
    assert br2["verdict"] == "not ready"
    assert links["hq-mpls"]["baseline_source"].startswith("measured mean")
    # Runout of the growing upstream: Theil-Sen slope 1 Mb/s a day; down is already over 80 %.
    up = br2["runout"]["up"]
    assert up["days_of_history"] == 28 and up["slope_bps_per_day"] == pytest.approx(1e6, rel=0.01)
    assert up["linear_days"] == pytest.approx((80e6 - up["y_now_bps"]) / 1e6, rel=0.01)
    assert up["linear_days_with_ai"] < up["linear_days"]
    assert br2["runout"]["down"]["linear_days"] == 0.0
    results = json.loads((out / "results.json").read_text())
    assert any(f["title"].startswith("br2-mpls: upstream reaches 80 % in") for f in results["findings"])
    text = _pdf_text(out / "report.pdf")
    assert "history p95" in text and "Runout from history" in text


def test_multivendor_ios_eos_nxos_iosxr_over_ssh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """NAPALM ios, eos (`| json` over SSH), nxos_ssh (text + `| json`) and iosxr (XML agent) side
    by side against the lab, with a port-channel and a bundle counted once each."""
    monkeypatch.setenv("ASSESS_LAB_PASSWORD", SECRET)
    inv_path = ROOT / "inventories" / "lab-multivendor.yaml"
    loaded = load_inventory(inv_path)
    traffic = load_lab_traffic(ROOT / "inventories" / "lab-multivendor-traffic.yaml")
    out = tmp_path / "mv"
    with Lab(loaded, traffic):
        result = CliRunner().invoke(app, ["run", str(inv_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    res = json.loads((out / "results.json").read_text())
    links = {la["link"]: la for la in res["links"]}
    dia = links["dc-dia"]
    assert dia["interface"] == "Ethernet1"  # Et1 in the inventory, canonical from the EOS getters
    assert dia["port_speed_mbps"] == 10000.0  # EOS bandwidth in bit/s, NAPALM speed in Mb/s
    # 420 Mb/s busy-hour mean on a 1 G circuit, within the lab's noise.
    assert 35 < 100 * dia["down"]["baseline_bps"] / dia["down"]["circuit_bps"] < 50
    assert links["dc-mpls"]["collected"]
    # NX-OS Po10 and IOS-XR Bundle-Ether20: the bundle's own counters (the sum of its members,
    # 1.1 + 1.0 G and 2.4 + 2.2 G busy-hour means), not the members added on top.
    metro, ix = links["dc-metro"], links["dc-ix"]
    assert (metro["interface"], metro["port_speed_mbps"]) == ("Port-channel10", 20000.0)
    assert 1.9e9 < metro["down"]["baseline_bps"] < 2.3e9
    assert (ix["interface"], ix["port_speed_mbps"]) == ("Bundle-Ether20", 20000.0)
    assert 4.2e9 < ix["down"]["baseline_bps"] < 5.0e9
    samples = (out / "samples.csv").read_text()
    for key in (
        "dc-edge1,Ethernet1",
        "dc-rtr1,GigabitEthernet0/0/0",
        "dc-core1,Port-channel10",
        "dc-pe1,Bundle-Ether20",
    ):
        assert key in samples
    # IOS-XE and EOS get their QoS config; every link is in the vendor-neutral intent.
    assert sorted(p.name for p in (out / "configs").iterdir()) == [
        "dc-edge1.eos.cfg",
        "dc-rtr1.ios-xe.cfg",
        "intent.json",
        "intent.yaml",
    ]
    assert "service-profile AI-QOS-" in (out / "configs" / "dc-edge1.eos.cfg").read_text()
    pdf = " ".join(_pdf_text(out / "report.pdf").split())
    assert "No config renderer yet for dc-pe1 (iosxr), dc-core1 (nxos_ssh)" in pdf
    log = (out / "collection.log").read_text()
    assert "session open (iosxr" in log and "session open (nxos_ssh" in log
    # Uptime per poll from one `show version | include uptime` on IOS and NX-OS (get_facts elsewhere).
    for device in ("dc-rtr1", "dc-core1"):
        assert f"{device}: uptime ok" in log


def test_report_pdf_is_byte_identical_for_the_same_inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same inputs give the same PDF bytes (SOURCE_DATE_EPOCH), so pipelines can diff reports:
    the demo's report context is captured and rendered again, a second later, twice."""
    import shutil
    import time

    import assess.report.pdf as pdf_module
    from assess.report.pdf import render_pdf

    monkeypatch.setenv("ASSESS_LAB_PASSWORD", SECRET)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    captured: dict[str, object] = {}

    def spy(context, pdf_path, asset_dir, attachments, created=None, override_dir=None):  # type: ignore[no-untyped-def]
        keep = tmp_path / "inputs"
        shutil.copytree(asset_dir, keep / "assets")
        for a in attachments:
            shutil.copy(a, keep / a.name)
        captured.update(context=context, attachments=[keep / a.name for a in attachments], created=created)
        return render_pdf(context, pdf_path, asset_dir, attachments, created, override_dir)

    monkeypatch.setattr(pdf_module, "render_pdf", spy)  # the pipeline imports it when it renders
    out = tmp_path / "demo"
    assert CliRunner().invoke(app, ["demo", "--out", str(out)]).exit_code == 0
    first = (out / "report.pdf").read_bytes()
    assert b"D:20251124" in first  # stamped with SOURCE_DATE_EPOCH (2025-11-24T16:00:00Z), not today
    again = []
    for i in range(2):
        time.sleep(1.1)
        p = tmp_path / f"again{i}.pdf"
        render_pdf(
            captured["context"],  # type: ignore[arg-type]
            p,
            tmp_path / "inputs" / "assets",
            captured["attachments"],  # type: ignore[arg-type]
            captured["created"],  # type: ignore[arg-type]
        )
        again.append(p.read_bytes())
    assert again[0] == again[1] == first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    r = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "bad")])
    assert r.exit_code == 2 and "SOURCE_DATE_EPOCH" in r.output and not (tmp_path / "bad").exists()


def test_branded_report_from_a_settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A consultant's settings: client, author, classification on every page, logo, colour, and
    their own stylesheet overriding ours."""
    monkeypatch.setenv("ASSESS_LAB_PASSWORD", SECRET)
    (tmp_path / "tpl" / "report").mkdir(parents=True)
    css = (ROOT / "templates" / "report" / "report.css").read_text() + "\n.lead { font-style: italic; } /* theirs */\n"
    (tmp_path / "tpl" / "report" / "report.css").write_text(css)
    (tmp_path / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"><text x="5" y="30">CONTOSO</text></svg>'
    )
    settings = tmp_path / "brand.yaml"
    settings.write_text(
        "client: Contoso Ltd\nauthor: A. Consultant\nclassification: Client confidential\n"
        'report_version: "2.1 (final)"\nlogo: logo.svg\nprimary_colour: "#5b2a86"\ntemplates_dir: tpl\n'
    )
    out = tmp_path / "demo"
    r = CliRunner().invoke(app, ["demo", "--out", str(out), "--report-settings", str(settings)])
    assert r.exit_code == 0, r.output
    reader = PdfReader(out / "report.pdf")
    pages = [p.extract_text() or "" for p in reader.pages]
    assert all("Client confidential" in p for p in pages)  # the footer of every page
    assert "Contoso Ltd" in pages[0] and "A. Consultant" in pages[0] and "CONTOSO" in pages[0]
    assert "Report version 2.1 (final)" in pages[0]
    html = (out / "report.html").read_text()
    assert (
        "color: #5b2a86" in html and "/* theirs */" in html and html.count("<svg") >= 5
    )  # logo + links, contrast, forecast and evidence charts
    # a bad settings file names the field and line, and nothing is written
    settings.write_text('client: X\nprimary_colour: "purple"\nlogo: missing.png\n')
    r = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "bad"), "--report-settings", str(settings)])
    assert r.exit_code == 2 and "primary_colour (line 2)" in r.output and not (tmp_path / "bad").exists()
    settings.write_text("client: X\nlogo: missing.png\n")
    r = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "bad"), "--report-settings", str(settings)])
    assert r.exit_code == 2 and "logo (line 2): file not found" in r.output
