"""The Markdown summary for pull-request comments: escaping, size caps, worst first."""

from __future__ import annotations

from assess.assessment import Assessment, Finding
from assess.report.markdown import MAX_CHARS, MAX_FINDINGS, markdown_summary, md_escape


def test_device_text_cannot_break_the_table_or_inject_html() -> None:
    assert md_escape("Gi0/0|evil <script>x</script> *b*") == r"Gi0/0\|evil &lt;script&gt;x&lt;/script&gt; \*b\*"
    assert md_escape("two\nlines") == "two lines"


def _finding(i: int, title: str = "t") -> Finding:
    return Finding(
        id=f"F{i:03d}",
        severity="high",
        kind="capacity",
        site="s|1",
        link=None,
        title=title,
        evidence="",
        recommendation="",
    )


def test_caps_findings_and_size() -> None:
    a = Assessment(
        verdict="at risk", links=[], findings=[_finding(i) for i in range(40)], contrasts=[], not_collected=[]
    )
    text = markdown_summary(a, "inv", ["a.cfg"])
    rows = [ln for ln in text.splitlines() if ln.startswith("| F")]
    assert len(rows) == MAX_FINDINGS and "…and 25 more" in text and r"s\|1" in rows[0]
    huge = Assessment(verdict="at risk", links=[], findings=[_finding(1, "x" * 90_000)], contrasts=[], not_collected=[])
    assert len(markdown_summary(huge, "inv", [])) <= MAX_CHARS
