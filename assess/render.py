"""Render QoS configs from Jinja2 templates (StrictUndefined; arithmetic stays in Python).

``RENDERERS`` is the one table of platform -> template and view builder (Aerleon-style
registry). IOS-XE MQC (DOMAIN.md section 5): a child policy with ``priority level 1`` + ``police
cir percent`` for REALTIME and ``bandwidth percent`` for every other class (one denominator, the
shaper: ``bandwidth percent`` and ``bandwidth remaining percent`` are never mixed), WRED only on
AF classes, ``fair-queue`` on class-default; a parent policy shapes to the circuit rate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jinja2

from assess import __version__
from assess.classes import CLASSES
from assess.errors import RenderError
from assess.qos import ClassPlan
from assess.resources import templates_dir


def _tag(link: str) -> str:
    return link.upper().replace(".", "-")


def _ios_xe_view(device: str, plans: list[ClassPlan]) -> dict[str, Any]:
    class_maps = [{"name": c.name, "dscp": list(c.dscp)} for c in CLASSES if c.name != "BEST-EFFORT"]
    order = ["REALTIME"] + [c.name for c in CLASSES if c.name not in ("REALTIME", "BEST-EFFORT")] + ["BEST-EFFORT"]
    policies = []
    for p in plans:
        by = {c.name: c for c in p.classes}
        policies.append(
            {
                "link": p.link,
                "interface": p.interface,
                "child": f"AI-QOS-{_tag(p.link)}",
                "parent": f"WAN-SHAPE-{_tag(p.link)}",
                "shaper_bps": p.shaper_bps,
                "shaper_mbps": f"{p.shaper_bps / 1e6:g}",
                "classes": [
                    {
                        "match": "class-default" if n == "BEST-EFFORT" else n,
                        "queue": by[n].queue,
                        "percent": by[n].percent,
                        "wred": by[n].wred,
                    }
                    for n in order
                ],
            }
        )
    return {"device": device, "class_maps": class_maps, "policies": policies}


@dataclass(frozen=True)
class Renderer:
    """A platform: its template (relative to ``templates/``), view builder and file suffix."""

    template: str
    view: Callable[[str, list[ClassPlan]], dict[str, Any]]
    suffix: str


RENDERERS: dict[str, Renderer] = {
    "ios": Renderer("ios-xe/qos.j2", _ios_xe_view, ".ios-xe.cfg"),
}


def environment(*, autoescape: bool = False) -> jinja2.Environment:
    """A Jinja2 environment over the bundled templates with ``StrictUndefined``."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=autoescape,
    )


def render_device(platform: str, device: str, plans: list[ClassPlan], inventory_name: str) -> str:
    """The QoS config text of one device (all its WAN links).

    Raises:
        RenderError: unknown platform, or the template references a value the view lacks.
    """
    r = RENDERERS.get(platform)
    if r is None:
        raise RenderError(f"device {device}: no QoS renderer for platform {platform!r} (have: {', '.join(RENDERERS)})")
    try:
        tmpl = environment().get_template(r.template)
        return tmpl.render(version=__version__, inventory=inventory_name, **r.view(device, plans))
    except jinja2.TemplateError as exc:
        raise RenderError(f"device {device}: template {r.template}: {exc}") from exc
