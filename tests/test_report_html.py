"""The self-contained HTML report: styles and charts inlined, external URLs refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.errors import ReportError
from assess.report.pdf import self_contained_html


def test_inlines_css_and_svg_and_refuses_external_urls(tmp_path: Path) -> None:
    (tmp_path / "c.svg").write_text(
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><text>p95</text></svg>'
    )
    html = '<html><head><title>t</title></head><body><img src="c.svg" alt="x"><p>ok</p></body></html>'
    out = self_contained_html(html, "body { color: black; }", tmp_path)
    assert "<img" not in out and "<svg" in out and "<text>p95</text>" in out and "<?xml" not in out
    assert "<style>\nbody { color: black; }\n</style></head>" in out
    for bad in (
        '<img src="https://cdn.example/logo.png">',
        '<link href="//fonts.example/css">',
        "<div style=\"background: url('http://x.example/a.png')\"></div>",
    ):
        with pytest.raises(ReportError, match="external URL"):
            self_contained_html(html.replace("<p>ok</p>", bad), "", tmp_path)


def test_raster_logo_becomes_a_data_uri(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    out = self_contained_html('<head></head><img class="logo" src="logo.png" alt="x">', "", tmp_path)
    assert '<img class="logo" src="data:image/png;base64,iVBORw0KGgpmYWtl" alt="x">' in out
