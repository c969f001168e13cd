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


def test_device_strings_cannot_inject_markup_into_the_report(tmp_path: Path) -> None:
    """Text from a device (an error message, a log line) reaches the report as text: escaped in
    the HTML, printed literally in the PDF, never fetched or run."""
    from datetime import UTC, datetime

    import yaml
    from pypdf import PdfReader

    from assess.assessment import assess
    from assess.collect.models import DeviceCollection, LinkUtilisation
    from assess.inventory import load_inventory
    from assess.model.profiles import load_profiles
    from assess.pipeline import _write_outputs, model_sites
    from assess.report.settings import ReportSettings

    evil = '<img src="http://evil.example/x.png"><script>alert(1)</script>'
    root = Path(__file__).resolve().parents[1]
    inv_path = tmp_path / "inv.yaml"
    inv_path.write_text(
        yaml.safe_dump(
            {
                "name": "escape test",
                "profiles": str(root / "inventories" / "profiles.yaml"),
                "sites": [{"name": "s1", "workloads": [{"profile": "support-agent", "count": 5}]}],
                "devices": [{"name": "r1", "site": "s1", "driver": "ios", "host": "192.0.2.1", "username": "u",
                             "password": "env:ESC_PW"}],
                "links": [{"name": "l1", "device": "r1", "interface": "Gi0/0/0", "transport": "mpls",
                           "circuit_down_bps": 50_000_000, "circuit_up_bps": 50_000_000}],
            }
        )
    )  # fmt: skip
    loaded = load_inventory(inv_path, resolve_credentials=False)
    ps = load_profiles(loaded.profiles_path)
    demand = model_sites(loaded, ps)
    util = [LinkUtilisation(link="l1", site="s1", device="r1", interface="Gi0/0/0", collected=False, reason=evil)]
    collections = [DeviceCollection(device="r1", site="s1", driver="ios", status="failed", error=evil, log=[evil])]
    a = assess(loaded.inventory, util, demand, None, ps)
    stage = tmp_path / "out"
    stage.mkdir()
    _write_outputs(stage, loaded, ps, collections, util, demand, a, datetime.now(UTC), 3, 4.0, ReportSettings())
    html = (stage / "report.html").read_text()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'src="http://evil' not in html
    text = "".join(p.extract_text() or "" for p in PdfReader(stage / "report.pdf").pages)
    assert "<script>alert(1)</script>" in " ".join(text.split()).replace("> <", "><")
