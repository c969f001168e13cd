"""A Markdown summary of an assessment, sized for a pull-request comment.

GitHub caps a comment at 65,536 characters; the summary keeps to ``MAX_CHARS`` by listing at
most ``MAX_FINDINGS`` findings and ``MAX_LINKS`` links (worst first) and saying how many more the
report and ``results.json`` hold. Text that came from devices or the inventory is escaped, so a
``|`` in an interface description cannot break a table and ``<script>`` stays text.
"""

from __future__ import annotations

import re

from assess.assessment import SEVERITY_ORDER, Assessment

MAX_CHARS = 60_000
MAX_FINDINGS = 15
MAX_LINKS = 30
_ORDER = {"not ready": 0, "at risk": 1, "ready": 2, "not assessed": 3}


def md_escape(text: str) -> str:
    """Escape ``text`` for a Markdown table cell: pipes, HTML and emphasis characters; newlines
    become spaces."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\|*_`\[\]#])", r"\\\1", text)


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.0f} %"


def markdown_summary(a: Assessment, inventory: str, config_files: list[str], report_name: str = "report.pdf") -> str:
    """The summary: verdict, counts, the worst findings, links worst first (with the expected
    forecast p95 at the last horizon, worse direction), configs written.

    Output stays under ``MAX_CHARS`` characters."""
    counts = {s: sum(1 for f in a.findings if f.severity == s) for s in SEVERITY_ORDER}
    lines = [
        f"## AI readiness: **{md_escape(a.verdict.upper())}** ({md_escape(inventory)})",
        "",
        " · ".join(f"{n} {s}" for s, n in counts.items() if n) or "no findings",
        "",
    ]
    if a.not_collected:
        lines += [f"Not collected: {md_escape(', '.join(a.not_collected))}", ""]
    shown = a.findings[:MAX_FINDINGS]
    if shown:
        lines += ["| ID | Severity | Site / link | Finding |", "|---|---|---|---|"]
        for f in shown:
            where = md_escape(f.site + (f" / {f.link}" if f.link else ""))
            lines.append(f"| {f.id} | {f.severity} | {where} | {md_escape(f.title)} |")
        if len(a.findings) > len(shown):
            lines.append(f"\n…and {len(a.findings) - len(shown)} more in {report_name} and results.json.")
        lines.append("")
    links = sorted(a.links, key=lambda la: (_ORDER.get(la.verdict, 9), la.site, la.link))
    horizon = next((la.forecast.get("expected").points[-1].months for la in a.links if la.forecast), None)
    lines += [
        "| Site | Link | p95 (300 s) down / up | p99 (1 s) down / up | "
        + (f"p95 in {horizon} months (expected) | " if horizon else "")
        + "Verdict |",
        "|---|---|---|---|" + ("---|" if horizon else "") + "---|",
    ]
    for la in links[:MAX_LINKS]:
        later = ""
        if horizon:
            later = _pct(la.forecast.get("expected").points[-1].worst_pct() if la.forecast else None) + " | "
        lines.append(
            f"| {md_escape(la.site)} | {md_escape(la.link)} | {_pct(la.down.p95_300s_pct)} / {_pct(la.up.p95_300s_pct)}"
            f" | {_pct(la.down.p99_1s_pct)} / {_pct(la.up.p99_1s_pct)} | {later}{la.verdict} |"
        )
    if len(links) > MAX_LINKS:
        lines.append(f"\n…and {len(links) - MAX_LINKS} more links in {report_name}.")
    lines += ["", f"Configs: {md_escape(', '.join(config_files)) or 'none'}. Full report: {report_name}."]
    text = "\n".join(lines) + "\n"
    if len(text) > MAX_CHARS:  # pathological names: cut, and say so
        text = text[: MAX_CHARS - 80].rsplit("\n", 1)[0] + f"\n\n…cut at {MAX_CHARS} characters; see {report_name}.\n"
    return text
