"""The device inventory: sites, devices, WAN links and the AI workloads per site.

An inventory is a YAML file (see ``inventories/lab.yaml``). Unknown keys are rejected, every
cross-reference is checked, and credentials are references (``env:VAR``) resolved to
``SecretStr`` at load time, never stored in files, logs or reports (pattern of SuzieQ's
inventory models).

``load_inventory(path)`` is the one entry point; it raises ``InventoryError`` naming the file,
the field and its YAML line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from assess.errors import InventoryError
from assess.yamlio import describe_location, load_yaml_with_lines

ENV_REF = re.compile(r"^env:([A-Za-z_][A-Za-z0-9_]*)$")

Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CollectionSettings(_Strict):
    """How devices are polled.

    ``polls`` successive counter reads (at least 3), ``interval_s`` seconds apart (the actual
    time of each read is measured, never assumed: DOMAIN.md 3b), per-device ``timeout_s``, and
    at most ``workers`` devices in flight at once. ``queue_drops``: also read the QoS queue
    drops per class (``show policy-map interface``) at the first and last poll, where the
    platform has a parser (IOS/IOS-XE); optional evidence, one extra command per reading.
    ``uptime_via``: how each poll after the first reads the uptime that detects reboots: one
    ``show version | include uptime`` command where assess knows the platform (IOS, NX-OS;
    other drivers use get_facts anyway), or NAPALM ``get_facts`` (three commands on IOS).
    """

    polls: int = Field(3, ge=3, le=10_000)
    interval_s: float = Field(5.0, gt=0, le=3600)
    timeout_s: float = Field(20.0, gt=0, le=600)
    workers: int = Field(16, ge=1, le=512)
    queue_drops: bool = True
    uptime_via: Literal["command", "get_facts"] = "command"


class Workload(_Strict):
    """``count`` users (generative profiles) or agents (agentic profiles) of ``profile``."""

    profile: Name
    count: int = Field(gt=0, le=1_000_000)


class Site(_Strict):
    """A site: its name, region (free text, e.g. ``eu-west``) and AI workloads.
    ``sdwan_site_id``: its SD-WAN site ID (Cisco Catalyst SD-WAN site lists), when it has one."""

    name: Name
    region: str = ""
    workloads: list[Workload] = Field(default_factory=list)
    sdwan_site_id: int | None = Field(None, ge=1, le=4_294_967_295)


class Device(_Strict):
    """A router reached with a NAPALM driver.

    ``driver``: ``ios`` (IOS-XE), ``eos`` (Arista, over SSH), ``nxos_ssh`` (NX-OS), ``iosxr``
    (IOS-XR XML agent over SSH) or ``junos`` (NETCONF over SSH, port 830 by default on the
    device). ``password`` must be a reference ``env:VAR``; ``username`` may be literal or a
    reference.
    """

    name: Name
    site: Name
    driver: Literal["ios", "eos", "nxos_ssh", "iosxr", "junos"]
    host: str = Field(min_length=1)
    port: int = Field(22, ge=1, le=65535)
    username: str = Field(min_length=1)
    password: str

    @field_validator("password")
    @classmethod
    def _password_is_reference(cls, value: str) -> str:
        if not ENV_REF.match(value):
            raise ValueError(
                "must be a reference of the form env:VARIABLE (passwords are never stored in the inventory)"
            )
        return value


class WanLink(_Strict):
    """A WAN circuit terminated on ``device``/``interface``.

    Rates are the circuit's contracted rates in bits/s, per direction (``down`` = into the
    site, ``up`` = out of it): a 50 Mb/s MPLS circuit on a 1 G port has ``circuit_*_bps`` =
    50_000_000; capacity always comes from here, never from the port speed (DOMAIN.md 3, 3b).
    ``ai_share_percent`` is the share of the site's AI demand this link carries (default: split
    between the site's links in proportion to ``circuit_down_bps``). ``counter_bits`` is the
    width of the octet counters (64 on any interface above 20 Mb/s, RFC 2863 3.1.6).
    ``rtt_ms``: measured round trip to the AI endpoints over this link (IP SLA, ping); the task
    latency model uses it instead of the profile file's assumed ``rtt_ms``.
    """

    name: Name
    device: Name
    interface: str = Field(min_length=1)
    transport: Literal["mpls", "internet", "broadband", "lte", "dia", "p2p"]
    provider: str = ""
    circuit_down_bps: int = Field(gt=0)
    circuit_up_bps: int = Field(gt=0)
    ai_share_percent: float | None = Field(None, ge=0, le=100)
    rtt_ms: float | None = Field(None, ge=0, le=5000)
    counter_bits: Literal[32, 64] = 64
    #: the SD-WAN transport colour (Cisco Catalyst SD-WAN TLOC colour); default from ``transport``
    sdwan_color: str | None = Field(None, pattern=r"^[a-z0-9-]{1,32}$")


class SdwanSettings(_Strict):
    """What SD-WAN policies need that the rest of the inventory does not say: the service VPN
    the AI traffic is in (Catalyst SD-WAN ``vpn-list``), and the address health checks probe
    (FortiOS ``health-check`` server)."""

    service_vpn: int = Field(ge=1, le=65530)
    probe_server: str | None = None


class Inventory(_Strict):
    """A whole estate: ``sites``, ``devices``, ``links`` plus collection settings.

    ``profiles`` is the traffic-profile file, relative to the inventory file. ``seed`` seeds
    every random draw of the traffic model, so a run is reproducible.
    """

    name: str = Field(min_length=1)
    client: str = ""
    seed: int = 1
    profiles: str = "profiles.yaml"
    collection: CollectionSettings = CollectionSettings()
    sdwan: SdwanSettings | None = None
    sites: list[Site] = Field(min_length=1)
    devices: list[Device] = Field(min_length=1)
    links: list[WanLink] = Field(min_length=1)

    @model_validator(mode="after")
    def _cross_references(self) -> Inventory:
        problems: list[str] = []
        named: tuple[tuple[str, list[str]], ...] = (
            ("sites", [s.name for s in self.sites]),
            ("devices", [d.name for d in self.devices]),
            ("links", [lk.name for lk in self.links]),
        )
        for kind, names in named:
            seen: set[str] = set()
            for i, name in enumerate(names):
                if name in seen:
                    problems.append(f"{kind}[{i}].name: duplicate name {name!r}")
                seen.add(name)
        site_names = {s.name for s in self.sites}
        device_names = {d.name for d in self.devices}
        for i, d in enumerate(self.devices):
            if d.site not in site_names:
                problems.append(f"devices[{i}].site: unknown site {d.site!r}")
        for i, link in enumerate(self.links):
            if link.device not in device_names:
                problems.append(f"links[{i}].device: unknown device {link.device!r}")
        for site in self.sites:
            shares = [lk.ai_share_percent for lk in self.links_of_site(site.name)]
            given = [s for s in shares if s is not None]
            if given and (len(given) != len(shares) or abs(sum(given) - 100) > 0.01):
                problems.append(
                    f"links: ai_share_percent of site {site.name!r} must be set on all of its "
                    f"links and sum to 100 (got {shares})"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def site_of_device(self, device: str) -> str:
        """Site name of a device (KeyError when unknown)."""
        return {d.name: d.site for d in self.devices}[device]

    def links_of_site(self, site: str) -> list[WanLink]:
        """The WAN links terminated on the site's devices, in inventory order."""
        devices = {d.name for d in self.devices if d.site == site}
        return [lk for lk in self.links if lk.device in devices]

    def ai_share(self, link: WanLink) -> float:
        """Fraction (0..1) of its site's AI demand that ``link`` carries."""
        if link.ai_share_percent is not None:
            return link.ai_share_percent / 100.0
        site = self.site_of_device(link.device)
        peers = self.links_of_site(site)
        return link.circuit_down_bps / sum(p.circuit_down_bps for p in peers)


class Credentials(BaseModel):
    """Resolved credentials of one device. ``password`` is a ``SecretStr``: it prints as ``**********``."""

    model_config = ConfigDict(frozen=True)
    username: str
    password: SecretStr


class LoadedInventory(BaseModel):
    """An inventory plus where it came from and its resolved credentials."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    path: Path
    inventory: Inventory
    credentials: dict[str, Credentials]

    @property
    def profiles_path(self) -> Path:
        """The profile file named by the inventory, relative to the inventory file."""
        return (self.path.parent / self.inventory.profiles).resolve()


def _format_pydantic(exc: ValidationError, lines: dict[Any, int]) -> list[str]:
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key (not part of the inventory schema; check its spelling)"
        elif err["type"] == "missing":
            msg = "required field is missing"
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        if not loc and "; " in msg:
            for part in msg.split("; "):
                field, _, rest = part.partition(": ")
                problems.append(f"{_locate_dotted(field, lines)}: {rest}")
            continue
        problems.append(f"{describe_location(loc, lines)}: {msg}")
    return problems


def _locate_dotted(field: str, lines: dict[Any, int]) -> str:
    """Turn ``links[2].device`` into the same text with its YAML line appended."""
    loc: list[str | int] = []
    for part in re.findall(r"[A-Za-z_]+|\[\d+\]", field):
        loc.append(int(part[1:-1]) if part.startswith("[") else part)
    return describe_location(tuple(loc), lines)


def _resolve(ref: str, field: str, lines: dict[Any, int], loc: tuple[Any, ...]) -> tuple[str | None, str | None]:
    m = ENV_REF.match(ref)
    if not m:
        return ref, None
    var = m.group(1)
    value = os.environ.get(var)
    if value is None or value == "":
        return None, (
            f"{describe_location(loc, lines)}: environment variable {var} is not set (the {field} is read from it)"
        )
    return value, None


def load_inventory(path: str | os.PathLike[str], *, resolve_credentials: bool = True) -> LoadedInventory:
    """Read, validate and resolve an inventory file.

    Returns a ``LoadedInventory`` whose ``credentials`` map device name -> ``Credentials``
    (empty with ``resolve_credentials=False``, for work that contacts no device).

    Raises:
        InventoryError: unreadable file, invalid YAML, unknown keys, wrong types, broken
            cross-references, or an ``env:VAR`` that is not set; every problem is listed with its
            field and YAML line. Nothing is written.
    """
    p = Path(path)
    data, lines = load_yaml_with_lines(p)
    if not isinstance(data, dict):
        raise InventoryError(str(p), ["(top level): expected a mapping with name, sites, devices, links"])
    try:
        inv = Inventory.model_validate(data)
    except ValidationError as exc:
        raise InventoryError(str(p), _format_pydantic(exc, lines)) from None
    creds: dict[str, Credentials] = {}
    problems: list[str] = []
    for i, dev in enumerate(inv.devices if resolve_credentials else []):
        user, e1 = _resolve(dev.username, "username", lines, ("devices", i, "username"))
        pwd, e2 = _resolve(dev.password, "password", lines, ("devices", i, "password"))
        problems += [e for e in (e1, e2) if e]
        if user is not None and pwd is not None:
            creds[dev.name] = Credentials(username=user, password=SecretStr(pwd))
    if problems:
        raise InventoryError(str(p), problems)
    loaded = LoadedInventory(path=p, inventory=inv, credentials=creds)
    if not loaded.profiles_path.is_file():
        raise InventoryError(
            str(p),
            [f"{describe_location(('profiles',), lines)}: profile file {loaded.profiles_path} not found"],
        )
    return loaded
