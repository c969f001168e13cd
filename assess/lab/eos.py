"""Genuine Arista EOS JSON output for the commands NAPALM's ``eos`` driver sends over SSH.

With ``optional_args={"transport": "ssh"}`` the driver runs ``<command> | json`` through netmiko
and parses the JSON EOS prints: ``show version``, ``show hostname`` and ``show interfaces``
(field names as EOS 4.30 emits them).
"""

from __future__ import annotations

import json
from typing import Any

from assess.lab.ios import IfState


def show_version(model: str, serial: str, bootup_timestamp: float, uptime_s: float) -> str:
    return json.dumps(
        {
            "mfgName": "Arista",
            "modelName": model,
            "hardwareRevision": "11.00",
            "serialNumber": serial,
            "systemMacAddress": "28:99:3a:10:20:30",
            "hwMacAddress": "28:99:3a:10:20:30",
            "configMacAddress": "00:00:00:00:00:00",
            "version": "4.30.5M",
            "architecture": "x86_64",
            "internalVersion": "4.30.5M-34466483.4305M",
            "internalBuildId": "c5f6b7a8-0a2b-4c6d-9e1f-a2b3c4d5e6f7",
            "imageFormatVersion": "3.0",
            "imageOptimization": "Default",
            "bootupTimestamp": bootup_timestamp,
            "uptime": uptime_s,
            "memTotal": 32_692_344,
            "memFree": 24_311_132,
            "isIntlVersion": False,
        },
        indent=2,
    )


def show_hostname(hostname: str, domain: str) -> str:
    return json.dumps({"hostname": hostname, "fqdn": f"{hostname}.{domain}"}, indent=2)


def show_interfaces(ifs: list[IfState], bootup_timestamp: float) -> str:
    out = {}
    for i in ifs:
        base: dict[str, Any] = {
            "name": i.name,
            "forwardingModel": "routed",
            "lineProtocolStatus": "up",
            "interfaceStatus": "connected",
            "description": i.description,
            "mtu": 1500 if not i.is_loopback else 65535,
            "l3MtuConfigured": False,
            "l2Mru": 0,
            "lastStatusChangeTimestamp": bootup_timestamp + 120.0,
            "interfaceAddress": [
                {"primaryIp": {"address": i.ip, "maskLen": 32 if i.is_loopback else 30}, "secondaryIpsOrderedList": []}
            ],
        }
        if i.is_loopback:
            out[i.name] = {**base, "hardware": "loopback", "bandwidth": 0}
            continue
        out[i.name] = {
            **base,
            "hardware": "ethernet",
            "physicalAddress": i.mac,
            "burnedInAddress": i.mac,
            "bandwidth": i.bw_kbit * 1000,
            "duplex": "duplexFull",
            "autoNegotiate": "unknown",
            "loopbackMode": "loopbackNone",
            "lanes": 0,
            "interfaceCounters": {
                "inOctets": i.rx_octets,
                "inUcastPkts": i.rx_octets // 700,
                "inMulticastPkts": 1201,
                "inBroadcastPkts": 88,
                "inDiscards": 0,
                "inTotalPkts": i.rx_octets // 700 + 1289,
                "outOctets": i.tx_octets,
                "outUcastPkts": i.tx_octets // 700,
                "outMulticastPkts": 3410,
                "outBroadcastPkts": 12,
                "outDiscards": 0,
                "totalInErrors": 0,
                "totalOutErrors": 0,
                "linkStatusChanges": 3,
                "lastClear": bootup_timestamp + 60.0,
                "counterRefreshTime": bootup_timestamp + 60.0,
            },
            "interfaceStatistics": {
                "updateInterval": 300.0,
                "inBitsRate": i.rx_bps,
                "inPktsRate": i.rx_bps / 5600,
                "outBitsRate": i.tx_bps,
                "outPktsRate": i.tx_bps / 5600,
            },
        }
    return json.dumps({"interfaces": out}, indent=2)
