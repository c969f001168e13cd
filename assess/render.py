"""Render QoS configs from the intent with Jinja2 templates (StrictUndefined; arithmetic in Python).

``RENDERERS`` is the one table of platform (a device's NAPALM driver) -> template, view builder,
queue map and limits (Aerleon-style registry). Every render first holds the links against the
platform's limits (``assess.intent.check_platform``). DOMAIN.md section 5:

* IOS-XE MQC: a child policy with ``priority level 1`` + ``police cir percent`` for REALTIME and
  ``bandwidth percent`` for every other class (one denominator, the shaper: ``bandwidth
  percent`` and ``bandwidth remaining percent`` are never mixed), WRED only on AF classes,
  ``fair-queue`` on class-default; a parent policy shapes to the circuit rate; LE is ``match
  dscp 1``.
* Junos class-of-service: a DSCP classifier with loss priority per AF level (LE as code point
  ``000001``), forwarding classes on queues, schedulers (``transmit-rate percent``, buffers in
  proportion, ``priority strict-high`` with ``rate-limit`` for REALTIME, drop profiles on AF
  classes), a scheduler map and ``shaping-rate`` on the interface, and ``host-outbound-traffic``
  so the router's own control traffic keeps its class.
* Arista EOS: ``qos map dscp ... to traffic-class N``, a ``qos profile`` with ``tx-queue N``
  (``priority strict`` on the highest queue only, since strict priority follows queue number;
  ``no priority`` + ``bandwidth percent`` for the rest), ``shape rate`` on the interface and
  ``service-profile`` to apply it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from assess import __version__
from assess.errors import RenderError
from assess.intent import PLATFORM_LIMITS, Intent, LinkIntent, PlatformLimits, check_platform, write_intent
from assess.resources import templates_dir

#: Class order in policies: priority first, then the rest, class-default last.
ORDER = (
    "REALTIME",
    "NET-CONTROL",
    "AI-INTERACTIVE",
    "AI-AGENT",
    "OAM-TELEMETRY",
    "BULK-SYNC",
    "SCAVENGER",
    "BEST-EFFORT",
)


def tag(name: str) -> str:
    """A link or site name as part of a config object name: upper case, ``.`` and ``/`` as ``-``."""
    return name.upper().replace(".", "-").replace("/", "-")


def _ordered(lk: LinkIntent) -> list[Any]:
    return [lk.get(n) for n in ORDER]


def _ios_xe_view(device: str, links: list[LinkIntent], queues: dict[str, int]) -> dict[str, Any]:
    first = links[0]
    class_maps = [{"name": c.name, "dscp": c.dscp} for c in _ordered(first) if c.name != "BEST-EFFORT"]
    policies = []
    for lk in links:
        policies.append(
            {
                "link": lk.link,
                "interface": lk.interface,
                "child": f"AI-QOS-{tag(lk.link)}",
                "parent": f"WAN-SHAPE-{tag(lk.link)}",
                "shaper_bps": lk.shaper_bps,
                "shaper_mbps": f"{lk.shaper_bps / 1e6:g}",
                "classes": [
                    {
                        "match": "class-default" if c.name == "BEST-EFFORT" else c.name,
                        "queue": c.treatment,
                        "percent": c.percent,
                        "wred": c.aqm == "wred",
                    }
                    for c in _ordered(lk)
                ],
            }
        )
    return {"device": device, "class_maps": class_maps, "policies": policies}


#: Junos DSCP aliases: "default" is "be"; LE (RFC 8622) has no alias: its six bits.
_JUNOS_DSCP = {"default": "be", "1": "000001"}
#: Junos scheduler priorities (strict-high only for the voice class).
_JUNOS_PRIORITY = {"priority": "strict-high", "rate": "low", "fair": "low", "minimal": "low"}


def _junos_view(device: str, links: list[LinkIntent], queues: dict[str, int]) -> dict[str, Any]:
    first = links[0]
    classes = []
    for c in _ordered(first):
        loss: dict[str, list[str]] = {}
        for d in c.dscp:
            loss.setdefault(c.drop_precedence[d], []).append(_JUNOS_DSCP.get(d, d))
        classes.append({"name": c.name, "queue": queues[c.name], "loss": sorted(loss.items())})
    policies = []
    for lk in links:
        name = tag(lk.link)
        policies.append(
            {
                "link": lk.link,
                "interface": lk.interface,
                "map": f"AI-SM-{name}",
                "shaper_bps": lk.shaper_bps,
                "classes": [
                    {
                        "name": c.name,
                        "scheduler": f"S-{c.name}-{name}",
                        "percent": c.percent,
                        "priority": _JUNOS_PRIORITY[c.treatment] if c.name != "NET-CONTROL" else "high",
                        "rate_limit": c.treatment == "priority",
                        "buffer": "remainder" if c.name == "BEST-EFFORT" else f"percent {max(c.percent, 1)}",
                        "wred": c.aqm == "wred",
                    }
                    for c in _ordered(lk)
                ],
            }
        )
    return {"device": device, "classes": classes, "policies": policies}


def _eos_view(device: str, links: list[LinkIntent], queues: dict[str, int]) -> dict[str, Any]:
    first = links[0]
    maps = [{"dscp": " ".join(str(v) for v in c.dscp_values), "tc": queues[c.name]} for c in _ordered(first)]
    policies = []
    for lk in links:
        by_queue = sorted(lk.classes, key=lambda c: -queues[c.name])  # highest queue first
        qs = [
            {"queue": queues[c.name], "name": c.name, "strict": c.treatment == "priority", "percent": c.percent}
            for c in by_queue
        ]
        policies.append(
            {
                "link": lk.link,
                "interface": lk.interface,
                "profile": f"AI-QOS-{tag(lk.link)}",
                "shaper_kbps": lk.shaper_bps // 1000,
                "queues": qs,
            }
        )
    return {"device": device, "maps": maps, "policies": policies}


@dataclass(frozen=True)
class Renderer:
    """A platform: template (relative to ``templates/``), view builder, queue map (class ->
    queue or traffic class), limits and file suffix."""

    template: str
    view: Callable[[str, list[LinkIntent], dict[str, int]], dict[str, Any]]
    queues: dict[str, int]
    limits: PlatformLimits
    suffix: str


RENDERERS: dict[str, Renderer] = {
    "ios": Renderer("ios-xe/qos.j2", _ios_xe_view, {}, PLATFORM_LIMITS["ios"], ".ios-xe.cfg"),
    "junos": Renderer(
        "junos/cos.j2",
        _junos_view,
        # queue 0 best effort and 3 network control as Junos' defaults; the rest free
        {
            "BEST-EFFORT": 0,
            "BULK-SYNC": 1,
            "AI-AGENT": 2,
            "NET-CONTROL": 3,
            "AI-INTERACTIVE": 4,
            "REALTIME": 5,
            "OAM-TELEMETRY": 6,
            "SCAVENGER": 7,
        },
        PLATFORM_LIMITS["junos"],
        ".junos.conf",
    ),
    "eos": Renderer(
        "eos/qos.j2",
        _eos_view,
        # strict priority follows the queue number on EOS: voice on the highest user queue
        {
            "REALTIME": 7,
            "NET-CONTROL": 6,
            "AI-INTERACTIVE": 5,
            "AI-AGENT": 4,
            "OAM-TELEMETRY": 3,
            "BULK-SYNC": 2,
            "BEST-EFFORT": 1,
            "SCAVENGER": 0,
        },
        PLATFORM_LIMITS["eos"],
        ".eos.cfg",
    ),
}


def environment(*, autoescape: bool = False, override_dir: Path | None = None) -> jinja2.Environment:
    """A Jinja2 environment over the bundled templates with ``StrictUndefined``; a template in
    ``override_dir`` (same layout) is used instead of the bundled one of the same name."""
    dirs = ([str(override_dir)] if override_dir is not None else []) + [str(templates_dir())]
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=autoescape,
    )


def render_device(platform: str, device: str, links: list[LinkIntent], inventory_name: str) -> str:
    """The QoS config text of one device (all its WAN links) for ``platform``.

    Raises:
        RenderError: unknown platform, a link beyond the platform's limits (named), or the
            template references a value the view lacks.
    """
    r = RENDERERS.get(platform)
    if r is None:
        raise RenderError(f"device {device}: no QoS renderer for platform {platform!r} (have: {', '.join(RENDERERS)})")
    if not links:
        raise RenderError(f"device {device}: no WAN links to render")
    try:
        check_platform(r.limits, links)
    except RenderError as exc:
        raise RenderError(f"device {device}: {exc}") from None
    try:
        tmpl = environment().get_template(r.template)
        return tmpl.render(version=__version__, inventory=inventory_name, **r.view(device, links, r.queues))
    except jinja2.TemplateError as exc:
        raise RenderError(f"device {device}: template {r.template}: {exc}") from exc


#: ``assess render --format`` choices: the intent itself, per-device QoS, SD-WAN policies.
FORMATS = ("intent", "qos", "catalyst-sdwan", "fortios")


def check_request(formats: Sequence[str], platform: str | None = None) -> None:
    """Raise ``RenderError`` for a format or platform ``render_files`` does not know."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise RenderError(f"unknown format {', '.join(unknown)} (have: {', '.join(FORMATS)})")
    if platform is not None and platform not in RENDERERS:
        raise RenderError(f"unknown platform {platform!r} (have: {', '.join(RENDERERS)})")


def render_files(intent: Intent, folder: Path, formats: Sequence[str], platform: str | None = None) -> list[str]:
    """Write the chosen ``formats`` of ``intent`` into ``folder``; return the file names.

    ``catalyst-sdwan``: the centralized policy as vSmart CLI and vManage JSON; ``fortios``: one
    ``config system sdwan`` per site (``assess.sdwan``); sites it cannot express are named in
    ``skipped-fortios.txt`` (all of them: ``RenderError``). ``qos``: one file per device in its own
    platform. ``platform`` renders the intent as if
    every device ran that platform (``Intent.for_platform``), e.g. to preview Junos. Devices
    whose platform has no renderer are skipped and named in ``skipped.txt``.

    Raises:
        RenderError: an unknown format or platform, or a link beyond its platform's limits.
    """
    check_request(formats, platform)
    if platform is not None:
        intent = intent.for_platform(platform)
    files: list[str] = []
    if "intent" in formats:
        files += [p.name for p in write_intent(intent, folder)]
    if "qos" in formats:
        skipped = []
        for device in dict.fromkeys(lk.device for lk in intent.links):
            links = intent.links_of(device)
            plat = platform or links[0].platform
            if plat not in RENDERERS:
                skipped.append(f"{device}: no QoS renderer for platform {plat}")
                continue
            name = device + RENDERERS[plat].suffix
            (folder / name).write_text(render_device(plat, device, links, intent.inventory), encoding="utf-8")
            files.append(name)
        if skipped:
            (folder / "skipped.txt").write_text("\n".join(skipped) + "\n", encoding="utf-8")
            files.append("skipped.txt")
    if "catalyst-sdwan" in formats:
        from assess.sdwan import render_catalyst_cli, render_catalyst_json

        (folder / "catalyst-sdwan-policy.cfg").write_text(render_catalyst_cli(intent), encoding="utf-8")
        (folder / "catalyst-sdwan-policy.json").write_text(render_catalyst_json(intent), encoding="utf-8")
        files += ["catalyst-sdwan-policy.cfg", "catalyst-sdwan-policy.json"]
    if "fortios" in formats:
        from assess.sdwan import render_fortios

        refused = []
        for site in dict.fromkeys(lk.site for lk in intent.links):
            name = f"{site}.fortios-sdwan.conf"
            try:
                text = render_fortios(intent, site)
            except RenderError as exc:
                refused.append(f"{site}: {exc}")
                continue
            (folder / name).write_text(text, encoding="utf-8")
            files.append(name)
        if refused and len(refused) == len({lk.site for lk in intent.links}):
            raise RenderError("; ".join(refused))
        if refused:
            (folder / "skipped-fortios.txt").write_text("\n".join(refused) + "\n", encoding="utf-8")
            files.append("skipped-fortios.txt")
    return files
