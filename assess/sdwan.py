"""SD-WAN policies from the intent's flow policies and SLA classes (DOMAIN.md section 5).

* Cisco Catalyst SD-WAN centralized policy, CLI form (``render_catalyst_cli``): ``sla-class``
  per SLA class, per site an ``app-route-policy`` whose sequences ``match dscp`` the class and
  ``action sla-class NAME preferred-color C`` with ``backup-sla-preferred-color`` (valid only
  in app-route policies), and for classes that may not break out to the internet a
  ``data-policy`` holding them on private colours (``local-tloc-list color ... restrict``) or
  dropping them where the site has no private link; ``apply-policy site-list``.
* The same for vManage as JSON (``render_catalyst_json``): SLA class lists and app-route
  definitions in the classic policy API's shape; references between them are by name
  (``"ref": "SLA-AI-AGENT"``), to be resolved to list IDs by whoever posts them.
* Fortinet FortiOS ``config system sdwan`` per site (``render_fortios``): members, a
  ``health-check`` per SLA class with its latency/jitter/loss thresholds, and ``service`` rules
  in ``mode sla`` matching ``tos``/``tos-mask 0xfc`` (ToS byte = DSCP << 2) with
  ``priority-members``.

Every renderer checks what it needs first and raises ``RenderError`` naming the platform and the
missing setting (service VPN, site IDs, probe server).
"""

from __future__ import annotations

import json
from typing import Any

from assess import __version__
from assess.errors import RenderError
from assess.intent import FlowPolicy, Intent, LinkIntent
from assess.render import environment, tag


def _by_site(intent: Intent) -> dict[str, list[FlowPolicy]]:
    out: dict[str, list[FlowPolicy]] = {}
    for f in intent.flows:
        out.setdefault(f.site, []).append(f)
    return out


def _links(intent: Intent) -> dict[str, LinkIntent]:
    return {lk.link: lk for lk in intent.links}


def _catalyst_view(intent: Intent) -> dict[str, Any]:
    if intent.sdwan is None:
        raise RenderError("platform catalyst-sdwan: needs the service VPN (sdwan.service_vpn in the inventory)")
    missing = sorted({f.site for f in intent.flows if f.site_id is None})
    if missing:
        raise RenderError(
            f"platform catalyst-sdwan: sites without sdwan_site_id: {', '.join(missing)} "
            "(set sites[].sdwan_site_id in the inventory)"
        )
    links = _links(intent)
    sites: list[dict[str, Any]] = []
    used: set[str] = set()
    for site, flows in _by_site(intent).items():
        app: list[dict[str, Any]] = []
        data: list[dict[str, Any]] = []
        for f in flows:
            colors = list(dict.fromkeys(links[lk].color for lk in f.allowed_links if lk in links))
            if f.sla_class is not None and colors:
                used.add(f.sla_class)
                app.append(
                    {
                        "seq": 10 * (len(app) + 1),
                        "dscp": f.match_dscp,
                        "sla": f.sla_class,
                        "preferred": colors[0],
                        "backup": colors[1] if len(colors) > 1 else None,
                    }
                )
            if not f.internet_breakout:
                data.append({"seq": 10 * (len(data) + 1), "dscp": f.match_dscp, "drop": not colors, "colors": colors})
        sites.append(
            {
                "site": site,
                "site_id": flows[0].site_id,
                "site_list": f"SITE-{tag(site)}",
                "app_route": f"AI-APP-ROUTE-{tag(site)}",
                "data_policy": f"AI-DATA-{tag(site)}",
                "app_sequences": app,
                "data_sequences": data,
            }
        )
    return {
        "sla_classes": [s for s in intent.sla_classes if s.name in used],
        "sites": sites,
        "vpn_list": "VPN-AI",
        "vpn": intent.sdwan.service_vpn,
    }


def render_catalyst_cli(intent: Intent) -> str:
    """The centralized policy in vSmart CLI form (one text for the estate).

    Raises ``RenderError`` without ``sdwan.service_vpn`` or with a site lacking its site ID."""
    view = _catalyst_view(intent)
    return (
        environment()
        .get_template("catalyst-sdwan/policy.j2")
        .render(version=__version__, inventory=intent.inventory, **view)
    )


def render_catalyst_json(intent: Intent) -> str:
    """SLA class lists and app-route definitions for vManage's classic policy API, as JSON.

    Raises as ``render_catalyst_cli``."""
    view = _catalyst_view(intent)
    sla_lists = [
        {
            "name": s.name,
            "type": "sla",
            "entries": [{"latency": str(s.latency_ms), "loss": str(s.loss_percent), "jitter": str(s.jitter_ms)}],
        }
        for s in view["sla_classes"]
    ]
    app_routes = []
    for site in view["sites"]:
        sequences = []
        for i, q in enumerate(site["app_sequences"], start=1):
            params: list[dict[str, str]] = [
                {"field": "name", "ref": q["sla"]},
                {"field": "preferredColor", "value": q["preferred"]},
            ]
            actions: list[dict[str, Any]] = [{"type": "slaClass", "parameter": params}]
            if q["backup"]:
                actions.append({"type": "backupSlaPreferredColor", "parameter": q["backup"]})
            sequences.append(
                {
                    "sequenceId": i,
                    "sequenceName": "App Route",
                    "sequenceType": "appRoute",
                    "sequenceIpType": "ipv4",
                    "match": {"entries": [{"field": "dscp", "value": " ".join(str(d) for d in q["dscp"])}]},
                    "actions": actions,
                }
            )
        app_routes.append(
            {
                "name": site["app_route"],
                "type": "appRoute",
                "description": f"AI traffic at {site['site']} (site-id {site['site_id']}), generated by assess",
                "sequences": sequences,
            }
        )
    doc = {
        "generated_by": f"assess {__version__}",
        "refs_are_names": True,
        "slaClassLists": sla_lists,
        "appRouteDefinitions": app_routes,
        "vpnList": {"name": view["vpn_list"], "type": "vpn", "entries": [{"vpn": str(view["vpn"])}]},
    }
    return json.dumps(doc, indent=2) + "\n"


def render_fortios(intent: Intent, site: str) -> str:
    """``config system sdwan`` for the FortiGate at ``site`` (its links as members).

    Raises ``RenderError`` without ``sdwan.probe_server`` or for a site with no links."""
    if intent.sdwan is None or not intent.sdwan.probe_server:
        raise RenderError("platform fortios: health checks need a probe address (sdwan.probe_server in the inventory)")
    site_links = [lk for lk in intent.links if lk.site == site]
    if not site_links:
        raise RenderError(f"platform fortios: site {site} has no WAN links in the intent")
    seen: dict[str, str] = {}
    for lk in site_links:
        if lk.interface in seen:
            raise RenderError(
                f"platform fortios: site {site}: links {seen[lk.interface]} and {lk.link} are both on interface "
                f"{lk.interface}; one FortiGate per site needs a distinct member interface per link"
            )
        seen[lk.interface] = lk.link
    seq = {lk.link: i for i, lk in enumerate(site_links, start=1)}
    sla = {s.name: s for s in intent.sla_classes}
    flows = _by_site(intent).get(site, [])
    checks: dict[str, dict[str, Any]] = {}
    rules: list[dict[str, Any]] = []
    for f in flows:
        if f.sla_class is None or not f.allowed_links:
            continue
        s = sla[f.sla_class]
        hc = checks.setdefault(
            s.name,
            {
                "name": f"HC-{s.name}",
                "members": [seq[lk.link] for lk in site_links],
                "latency_ms": s.latency_ms,
                "jitter_ms": s.jitter_ms,
                "loss_percent": s.loss_percent,
            },
        )
        for d in f.match_dscp:
            rules.append(
                {
                    "id": len(rules) + 1,
                    "name": f"{f.traffic_class}-{d}",
                    "tos": f"0x{d << 2:02x}",
                    "health_check": hc["name"],
                    "members": [seq[lk] for lk in f.allowed_links if lk in seq],
                }
            )
    members = [
        {"seq": seq[lk.link], "interface": lk.interface, "comment": f"{lk.link} ({lk.transport})"} for lk in site_links
    ]
    return (
        environment()
        .get_template("fortios/sdwan.j2")
        .render(
            version=__version__,
            inventory=intent.inventory,
            site=site,
            probe_server=intent.sdwan.probe_server,
            members=members,
            health_checks=list(checks.values()),
            rules=rules,
            dropped=[f.traffic_class for f in flows if not f.allowed_links],
        )
    )
