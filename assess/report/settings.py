"""Report settings for consultants: client, author, classification, logo, colours, and a
templates folder whose files override the bundled ones (``--report-settings FILE``).

Example (paths relative to the settings file)::

    client: Contoso Ltd
    author: A. Consultant, Example Advisory
    classification: Client confidential
    report_version: "1.1 (final)"
    logo: contoso-logo.svg
    primary_colour: "#5b2a86"
    templates_dir: my-templates     # e.g. my-templates/report/report.css replaces ours
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assess.errors import InventoryError
from assess.yamlio import describe_location, load_yaml_with_lines

Colour = str


class ReportSettings(BaseModel):
    """Branding of the report. Colours are ``#RRGGBB`` (validated: nothing else reaches the
    stylesheet). ``report_version``: the document's own version on the cover (default "1.0",
    the first issue to a client; raise it when a revised report is sent). ``logo``: a local PNG,
    JPEG or SVG; ``templates_dir``: a folder searched before the bundled templates (same layout:
    ``report/report.html.j2``, ``report/report.css``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    client: str | None = Field(None, min_length=1, max_length=200)
    author: str | None = Field(None, min_length=1, max_length=200)
    title: str | None = Field(None, min_length=1, max_length=200)
    classification: str = Field("Confidential", min_length=1, max_length=100)
    report_version: str = Field("1.0", min_length=1, max_length=40)
    logo: Path | None = None
    primary_colour: Colour = Field("#0b3a5b", pattern=r"^#[0-9A-Fa-f]{6}$")
    accent_colour: Colour = Field("#1f5f8b", pattern=r"^#[0-9A-Fa-f]{6}$")
    templates_dir: Path | None = None


def load_report_settings(path: Path) -> ReportSettings:
    """Read and check a report settings file; relative paths are resolved against its folder.

    Raises:
        InventoryError: unreadable, unknown keys, a colour that is not ``#RRGGBB``, a logo that
            is missing or not PNG/JPEG/SVG, a templates folder that does not exist; each named
            by field and line.
    """
    data, lines = load_yaml_with_lines(path)
    try:
        s = ReportSettings.model_validate(data or {})
    except ValidationError as exc:
        raise InventoryError(
            str(path), [f"{describe_location(tuple(e['loc']), lines)}: {e['msg']}" for e in exc.errors()]
        ) from None
    problems = []
    updates: dict[str, Path] = {}
    if s.logo is not None:
        logo = (path.parent / s.logo).resolve()
        if logo.suffix.lower() not in (".png", ".jpg", ".jpeg", ".svg"):
            problems.append(
                f"{describe_location(('logo',), lines)}: expected a .png, .jpg or .svg file, got {logo.name}"
            )
        elif not logo.is_file():
            problems.append(f"{describe_location(('logo',), lines)}: file not found: {logo}")
        updates["logo"] = logo
    if s.templates_dir is not None:
        tdir = (path.parent / s.templates_dir).resolve()
        if not tdir.is_dir():
            problems.append(f"{describe_location(('templates_dir',), lines)}: folder not found: {tdir}")
        updates["templates_dir"] = tdir
    if problems:
        raise InventoryError(str(path), problems)
    return s.model_copy(update=updates)
