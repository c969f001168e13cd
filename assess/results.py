"""``results.json``: the machine-readable result of a run, with a versioned schema.

``ResultsDocument`` is the schema (a pydantic model; ``assess schema results`` prints it as JSON
Schema). ``schema_version`` changes whenever a field is removed or changes meaning (adding one
bumps it too, so consumers can tell what to expect):

* "1": findings, links, contrasts, latency, devices.
* "2": ``flows`` (the dependency map checked against data rules) and ``failed``,
  ``attempts_per_call``, ``network_share`` in each latency scenario's stats.
* "3": ``kind`` of each finding (capacity, burst, classes, drops, runout, forecast, latency,
  retries, resilience, data-boundary, collection) and ``forecast`` of each link (the 6/12/24
  month AI demand forecast per scenario, the circuit the expected scenario needs).

Units are in the field names (``_bps``, ``_pct``, ``_s``, ``_ms``); percentages are of the
circuit rate from the inventory.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from assess.assessment import DataFlow, Finding, LinkAssessment, SiteContrast, SiteLatency, Verdict

RESULTS_SCHEMA_VERSION = "3"


class DeviceStatus(BaseModel):
    """How collection from one device went: ``ok``, ``partial`` (some polls failed), ``failed``."""

    model_config = ConfigDict(frozen=True)
    device: str
    status: Literal["ok", "partial", "failed"]
    error: str | None


class ResultsDocument(BaseModel):
    """The whole ``results.json``. ``generated``: ISO 8601 UTC (``SOURCE_DATE_EPOCH`` when set);
    ``findings`` worst first; ``links`` per WAN link with both directions, the class plan and the
    measured queue drops; ``contrasts`` the timescale ladder per site and kind; ``latency`` task
    latency per workflow, site and scenario; ``flows`` each workflow call against its data rules."""

    model_config = ConfigDict(frozen=True)
    schema_version: Literal["3"]
    tool_version: str
    inventory: str
    generated: str
    verdict: Verdict
    not_collected: list[str]
    devices: list[DeviceStatus]
    findings: list[Finding]
    links: list[LinkAssessment]
    contrasts: list[SiteContrast]
    latency: list[SiteLatency]
    flows: list[DataFlow]
