"""Render the capacity report: Jinja2 HTML (autoescaped: device strings cannot inject markup)
-> weasyprint PDF, offline (any URL but a local file fails the render; DOMAIN.md 7)."""

from __future__ import annotations

import base64
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from assess.errors import ReportError
from assess.render import environment


def _offline_fetcher() -> Any:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class OfflineFetcher(URLFetcher):  # type: ignore[misc]
        """Local files and data: URLs only; anything else stops the render with its URL."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith(("file:", "data:")):
                raise FatalURLFetchingError(f"report template refers to an external URL: {url} (renders are offline)")
            return super().fetch(url, headers)

    return OfflineFetcher(fail_on_errors=True)


_EXTERNAL = re.compile(r"""(?:\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//)[^"')\s>]*""")
_IMG_SVG = re.compile(r"""<img\b[^>]*?\bsrc="([\w.-]+\.svg)"[^>]*>""")
_IMG_RASTER = re.compile(r'(<img\b[^>]*?\b)src="([\w.-]+\.(png|jpe?g))"')


def self_contained_html(html: str, css: str, asset_dir: Path) -> str:
    """The report as one HTML file: the stylesheet inlined, each chart's SVG inlined in place of
    its ``<img>`` (text stays searchable), no external reference.

    Raises ``ReportError`` naming an external URL (``http(s)://`` or ``//`` in ``src``, ``href``
    or ``url()``): reports render offline (DOMAIN.md 7)."""

    def inline(m: re.Match[str]) -> str:
        svg = (asset_dir / m.group(1)).read_text(encoding="utf-8")
        return re.sub(r"^<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?", "", svg)

    def raster(m: re.Match[str]) -> str:
        kind = "jpeg" if m.group(3).startswith("j") else "png"
        data = base64.b64encode((asset_dir / m.group(2)).read_bytes()).decode("ascii")
        return f'{m.group(1)}src="data:image/{kind};base64,{data}"'

    out = _IMG_RASTER.sub(raster, _IMG_SVG.sub(inline, html)).replace("</head>", f"<style>\n{css}\n</style></head>", 1)
    bad = _EXTERNAL.search(out)
    if bad:
        raise ReportError(f"report refers to an external URL: {bad.group(0)} (reports are self-contained and offline)")
    return out


def render_pdf(
    context: dict[str, Any],
    pdf_path: Path,
    asset_dir: Path,
    attachments: list[Path],
    created: datetime | None = None,
    override_dir: Path | None = None,
) -> Path:
    """Render ``templates/report/report.html.j2`` with ``context`` to ``pdf_path``.

    ``asset_dir`` holds the chart SVGs the HTML refers to by file name; ``attachments`` are
    embedded in the PDF (the full data as CSV). A self-contained ``report.html`` (styles and
    charts inlined) is written beside the PDF. ``created`` stamps the attachments (the PDF's
    own dates come from the template's ``dcterms`` meta); with it the render reads no clock, so
    the same inputs give the same bytes. ``override_dir``: a consultant's templates folder
    searched first (``report/report.html.j2``, ``report/report.css``).

    Raises:
        ReportError: the template fails, or weasyprint cannot render (names the cause).
    """
    import jinja2
    from weasyprint import CSS, HTML, Attachment

    env = environment(autoescape=True, override_dir=override_dir)
    try:
        html = env.get_template("report/report.html.j2").render(**context)
        css_path = next(
            Path(d) / "report" / "report.css"
            for d in env.loader.searchpath  # type: ignore[union-attr]
            if (Path(d) / "report" / "report.css").is_file()
        )
        standalone = self_contained_html(html, css_path.read_text(encoding="utf-8"), asset_dir)
        pdf_path.with_name("report.html").write_text(standalone, encoding="utf-8")
        doc = HTML(string=html, base_url=asset_dir.as_uri() + "/", url_fetcher=_offline_fetcher())
        doc.write_pdf(
            pdf_path,
            stylesheets=[CSS(filename=str(css_path), url_fetcher=_offline_fetcher())],
            attachments=[
                Attachment(filename=str(a), name=a.name, created=created, modified=created) for a in attachments
            ],
        )
    except jinja2.TemplateError as exc:
        raise ReportError(f"report template: {exc}") from exc
    except Exception as exc:  # weasyprint raises many kinds; name the cause once
        raise ReportError(f"PDF render failed: {type(exc).__name__}: {exc}") from exc
    return pdf_path
