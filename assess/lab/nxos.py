"""Genuine Cisco NX-OS output for the commands NAPALM's ``nxos_ssh`` driver sends.

``get_facts`` reads text (``show version``, ``show hosts``, ``show interface status``,
``show hostname``, ``show inventory | json``), ``get_interfaces`` parses the text of
``show interface`` section by section, and ``get_interfaces_counters`` reads the JSON of
``show interface | json`` and ``show interface counters detailed | json`` (``TABLE_interface`` /
``ROW_interface``, every value a string, as NX-OS 9.3 prints them). Formats follow the NX-OS
captures in NAPALM's own test data (Nexus 3048/93180).
"""

from __future__ import annotations

import json
from typing import Any

from assess.lab.ios import IfState


def _short(name: str) -> str:
    for long, short in (("Ethernet", "Eth"), ("port-channel", "Po"), ("loopback", "Lo")):
        if name.startswith(long):
            return short + name[len(long) :]
    return name


def _hardware(i: IfState) -> str:
    if i.is_loopback:
        return "Loopback"
    if i.name.startswith("port-channel"):
        return "Port-Channel"
    if i.name.startswith("mgmt"):
        return "GigabitEthernet"
    return "100/1000/10000/25000 Ethernet"


def _speed_text(bw_kbit: int) -> str:
    return f"{bw_kbit // 1_000_000} Gb/s" if bw_kbit >= 10_000_000 else f"{bw_kbit // 1000} Mb/s"


def format_uptime(seconds: float) -> str:
    """NX-OS ``50 day(s), 5 hour(s), 9 minute(s), 7 second(s)``."""
    s = int(seconds)
    days, s = divmod(s, 86_400)
    hours, s = divmod(s, 3600)
    minutes, s = divmod(s, 60)
    return f"{days} day(s), {hours} hour(s), {minutes} minute(s), {s} second(s)"


def show_version(hostname: str, model: str, serial: str, uptime_s: float) -> str:
    return f"""Cisco Nexus Operating System (NX-OS) Software
TAC support: http://www.cisco.com/tac
Copyright (C) 2002-2023, Cisco and/or its affiliates.
All rights reserved.

Software
  BIOS: version 05.47
  NXOS: version 9.3(12)
  BIOS compile time:  04/28/2022
  NXOS image file is: bootflash:///nxos.9.3.12.bin
  NXOS compile time:  6/20/2023 12:00:00 [06/21/2023 02:08:44]


Hardware
  cisco Nexus9000 {model} Chassis
  Intel(R) Xeon(R) CPU D-1526 @ 1.80GHz with 24570012 kB of memory.
  Processor Board ID {serial}

  Device name: {hostname}
  bootflash:   53298520 kB

Kernel uptime is {format_uptime(uptime_s)}

Last reset at 121004 usecs after Mon Jun 10 04:12:31 2024

  Reason: Reset Requested by CLI command reload
  System version: 9.3(12)
  Service:

plugin
  Core Plugin, Ethernet Plugin

Active Package(s):
"""


def show_hosts(domain: str) -> str:
    return f"""DNS lookup enabled
Vrf Name: management Default domain is {domain}
Name servers are   10.0.0.53

Host            Address
"""


def show_hostname(hostname: str) -> str:
    return f"{hostname}\n"


def show_inventory_json(model: str, serial: str) -> str:
    row = {"name": "Chassis", "desc": f"Nexus9000 {model} Chassis", "productid": model, "vendorid": "V02"}
    row["serialnum"] = serial
    return json.dumps({"TABLE_inv": {"ROW_inv": [row]}}, indent=4)


def show_interface_status(ifs: list[IfState]) -> str:
    lines = [
        "",
        "-" * 80,
        "Port          Name               Status    Vlan      Duplex  Speed   Type",
        "-" * 80,
    ]
    for i in ifs:
        speed = "auto" if i.is_loopback else ("10G" if i.bw_kbit >= 10_000_000 else "1000")
        vlan = "routed"
        kind = "--" if i.is_loopback or i.name.startswith(("port-channel", "mgmt")) else "10Gbase-SR"
        lines.append(
            f"{_short(i.name):<13} {i.description[:18] or '--':<18} connected {vlan:<9} full    {speed:<7} {kind}"
        )
    return "\n".join(lines) + "\n"


def _interface_section(i: IfState) -> str:
    head = f"{i.name} is up\nadmin state is up,{'' if i.name.startswith(('mgmt', 'loopback', 'port-channel')) else ' Dedicated Interface'}\n"
    if i.is_loopback:
        return (
            head + f"  Hardware: Loopback\n  Description: {i.description}\n  Internet Address is {i.ip}/32\n"
            "  MTU 1500 bytes, BW 8000000 Kbit, DLY 5000 usec\n"
            "  reliability 255/255, txload 1/255, rxload 1/255\n  Encapsulation LOOPBACK, medium is broadcast\n"
            "  Auto-mdix is turned off\n  0 packets input 0 bytes\n  0 packets output 0 bytes\n"
        )
    rx_pkts, tx_pkts = i.rx_octets // 700, i.tx_octets // 700
    return head + (
        f"  Hardware: {_hardware(i)}, address: {i.mac} (bia {i.mac})\n"
        f"  Description: {i.description}\n"
        f"  Internet Address is {i.ip}/30\n"
        f"  MTU 1500 bytes, BW {i.bw_kbit} Kbit, DLY 10 usec\n"
        "  reliability 255/255, txload 1/255, rxload 1/255\n"
        "  Encapsulation ARPA, medium is broadcast\n"
        f"  full-duplex, {_speed_text(i.bw_kbit)}\n"
        "  Auto-Negotiation is turned on  FEC mode is Auto\n"
        "  Input flow-control is off, output flow-control is off\n"
        "  Auto-mdix is turned off\n"
        "  EtherType is 0x8100 \n"
        "  Last link flapped 16week(s) 2day(s)\n"
        '  Last clearing of "show interface" counters never\n'
        "  1 interface resets\n"
        f"  30 seconds input rate {int(i.rx_bps)} bits/sec, {int(i.rx_bps / 5600)} packets/sec\n"
        f"  30 seconds output rate {int(i.tx_bps)} bits/sec, {int(i.tx_bps / 5600)} packets/sec\n"
        "  RX\n"
        f"    {rx_pkts} unicast packets  0 multicast packets  0 broadcast packets\n"
        f"    {rx_pkts} input packets  {i.rx_octets} bytes\n"
        "    0 jumbo packets  0 storm suppression bytes\n"
        "    0 runts  0 giants  0 CRC  0 no buffer\n"
        "    0 input error  0 short frame  0 overrun   0 underrun  0 ignored\n"
        "    0 input with dribble  0 input discard\n"
        "  TX\n"
        f"    {tx_pkts} unicast packets  0 multicast packets  0 broadcast packets\n"
        f"    {tx_pkts} output packets  {i.tx_octets} bytes\n"
        "    0 jumbo packets\n"
        "    0 output error  0 collision  0 deferred  0 late collision\n"
        "    0 lost carrier  0 no carrier  0 babble  0 output discard\n"
    )


def show_interface(ifs: list[IfState]) -> str:
    return "\n".join(_interface_section(i) for i in ifs)


def _row(i: IfState) -> dict[str, Any]:
    if i.name.startswith("mgmt"):
        return {
            "interface": i.name,
            "state": "up",
            "admin_state": "up",
            "eth_hw_desc": "GigabitEthernet",
            "eth_bw": str(i.bw_kbit),
            "vdc_lvl_in_bytes": str(i.rx_octets),
            "vdc_lvl_out_bytes": str(i.tx_octets),
        }
    rx_pkts, tx_pkts = i.rx_octets // 700, i.tx_octets // 700
    return {
        "interface": i.name,
        "state": "up",
        "admin_state": "up",
        "share_state": "Dedicated",
        "eth_hw_desc": _hardware(i),
        "eth_hw_addr": i.mac,
        "eth_bia_addr": i.mac,
        "desc": i.description,
        "eth_ip_addr": i.ip,
        "eth_ip_mask": "30",
        "eth_mtu": "1500",
        "eth_bw": str(i.bw_kbit),
        "eth_duplex": "full",
        "eth_speed": _speed_text(i.bw_kbit),
        "eth_inrate1_bits": str(int(i.rx_bps)),
        "eth_outrate1_bits": str(int(i.tx_bps)),
        "eth_inucast": str(rx_pkts),
        "eth_inmcast": "0",
        "eth_inbcast": "0",
        "eth_inpkts": str(rx_pkts),
        "eth_inbytes": str(i.rx_octets),
        "eth_inerr": "0",
        "eth_indiscard": "0",
        "eth_outucast": str(tx_pkts),
        "eth_outmcast": "0",
        "eth_outbcast": "0",
        "eth_outpkts": str(tx_pkts),
        "eth_outbytes": str(i.tx_octets),
        "eth_outerr": "0",
        "eth_outdiscard": "0",
    }


def show_interface_json(ifs: list[IfState]) -> str:
    rows = [_row(i) for i in ifs if not i.is_loopback]
    return json.dumps({"TABLE_interface": {"ROW_interface": rows}}, indent=4)


def show_interface_counters_detailed_json(ifs: list[IfState]) -> str:
    rows: list[dict[str, str]] = []
    for i in ifs:
        if i.is_loopback:
            continue
        if i.name.startswith("mgmt"):
            rows.append({"interface": i.name, "mgmt_in_bytes": str(i.rx_octets), "mgmt_out_bytes": str(i.tx_octets)})
            continue
        rx_pkts, tx_pkts = i.rx_octets // 700, i.tx_octets // 700
        rows.append(
            {
                "interface": i.name,
                "eth_inpkts": str(rx_pkts),
                "eth_inucast": str(rx_pkts),
                "eth_inbytes": str(i.rx_octets),
                "eth_outpkts": str(tx_pkts),
                "eth_outucast": str(tx_pkts),
                "eth_outbytes": str(i.tx_octets),
            }
        )
    return json.dumps({"TABLE_interface": {"ROW_interface": rows}}, indent=4)
