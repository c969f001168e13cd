"""Genuine Cisco IOS-XE output for the commands NAPALM's ``ios`` driver sends.

Formats follow IOS-XE 17.x ``show version``, ``show interfaces``, ``show interface summary``,
``show ip interface brief`` and ``show hosts`` (ISR 4000 series), including the quirks the
collector must survive (an ``Output ... broadcasts`` line that NAPALM parses as -1).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IfState:
    """One interface at one instant: counters in octets, rates in bits/s."""

    name: str
    description: str
    ip: str
    bw_kbit: int
    hardware: str
    mac: str
    rx_octets: int
    tx_octets: int
    rx_bps: float
    tx_bps: float
    is_loopback: bool = False


def format_uptime(seconds: float) -> str:
    """IOS style ``3 weeks, 2 days, 4 hours, 12 minutes`` (parsed by NAPALM ``parse_uptime``)."""
    minutes = int(seconds // 60)
    weeks, minutes = divmod(minutes, 7 * 24 * 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts: list[str] = []
    for n, unit in ((weeks, "week"), (days, "day"), (hours, "hour"), (minutes, "minute")):
        if n or parts:
            parts.append(f"{n} {unit}{'s' if n != 1 else ''}")
    return ", ".join(parts) or "0 minutes"


def show_version(hostname: str, model: str, serial: str, uptime_s: float) -> str:
    return f"""Cisco IOS XE Software, Version 17.09.04a
Cisco IOS Software [Cupertino], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.9.4a, RELEASE SOFTWARE (fc3)
Technical Support: http://www.cisco.com/techsupport
Copyright (c) 1986-2023 by Cisco Systems, Inc.
Compiled Fri 20-Oct-23 10:44 by mcpre

ROM: 16.12(2r)

{hostname} uptime is {format_uptime(uptime_s)}
Uptime for this control processor is {format_uptime(uptime_s + 60)}
System returned to ROM by PowerOn
System image file is "bootflash:isr4400-universalk9.17.09.04a.SPA.bin"
Last reload reason: PowerOn

cisco {model} (2RU) processor with 1795979K/6147K bytes of memory.
Processor board ID {serial}
Router operating mode: Autonomous
3 Gigabit Ethernet interfaces
32768K bytes of non-volatile configuration memory.
4194304K bytes of physical memory.
3223551K bytes of flash memory at bootflash:.

Configuration register is 0x2102
"""


def show_hosts(domain: str) -> str:
    return f"""Default domain is {domain}
Name/address lookup uses domain service
Name servers are 255.255.255.255

Codes: UN - unknown, EX - expired, OK - OK, ?? - revalidate
       temp - temporary, perm - permanent
       NA - Not Applicable None - Not defined

Host                      Port  Flags      Age Type   Address(es)
"""


def show_ip_interface_brief(ifs: list[IfState]) -> str:
    lines = ["Interface              IP-Address      OK? Method Status                Protocol"]
    for i in ifs:
        lines.append(f"{i.name:<22} {i.ip:<15} YES NVRAM  {'up':<21} up      ")
    return "\n".join(lines) + "\n"


def _pps(bps: float) -> int:
    return int(bps / (8 * 700)) if bps > 0 else 0  # 700-byte mean packet, a typical WAN mix


def show_interfaces(ifs: list[IfState]) -> str:
    blocks = []
    for i in ifs:
        rx_pkts = i.rx_octets // 700
        tx_pkts = i.tx_octets // 700
        if i.is_loopback:
            blocks.append(f"""{i.name} is up, line protocol is up 
  Hardware is Loopback
  Description: {i.description}
  Internet address is {i.ip}/32
  MTU 1514 bytes, BW 8000000 Kbit/sec, DLY 5000 usec, 
     reliability 255/255, txload 1/255, rxload 1/255
  Encapsulation LOOPBACK, loopback not set
  Keepalive set (10 sec)
  Last input never, output never, output hang never
  Last clearing of "show interface" counters never
  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 0
  Queueing strategy: fifo
  Output queue: 0/0 (size/max)
  5 minute input rate 0 bits/sec, 0 packets/sec
  5 minute output rate 0 bits/sec, 0 packets/sec
     0 packets input, 0 bytes, 0 no buffer
     Received 0 broadcasts (0 IP multicasts)
     0 runts, 0 giants, 0 throttles 
     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored, 0 abort
     0 packets output, 0 bytes, 0 underruns
     Output 0 broadcasts (0 IP multicasts)
     0 output errors, 0 collisions, 0 interface resets
     0 unknown protocol drops
     0 output buffer failures, 0 output buffers swapped out""")
            continue
        load_rx = max(1, min(255, round(255 * i.rx_bps / (i.bw_kbit * 1000))))
        load_tx = max(1, min(255, round(255 * i.tx_bps / (i.bw_kbit * 1000))))
        blocks.append(f"""{i.name} is up, line protocol is up 
  Hardware is {i.hardware}, address is {i.mac} (bia {i.mac})
  Description: {i.description}
  Internet address is {i.ip}/30
  MTU 1500 bytes, BW {i.bw_kbit} Kbit/sec, DLY 10 usec, 
     reliability 255/255, txload {load_tx}/255, rxload {load_rx}/255
  Encapsulation ARPA, loopback not set
  Keepalive not supported 
  Full Duplex, 1000Mbps, link type is auto, media type is RJ45
  output flow-control is off, input flow-control is off
  ARP type: ARPA, ARP Timeout 04:00:00
  Last input 00:00:00, output 00:00:00, output hang never
  Last clearing of "show interface" counters never
  Input queue: 0/375/0/0 (size/max/drops/flushes); Total output drops: 0
  Queueing strategy: fifo
  Output queue: 0/40 (size/max)
  5 minute input rate {int(i.rx_bps)} bits/sec, {_pps(i.rx_bps)} packets/sec
  5 minute output rate {int(i.tx_bps)} bits/sec, {_pps(i.tx_bps)} packets/sec
     {rx_pkts} packets input, {i.rx_octets} bytes, 0 no buffer
     Received 1842 broadcasts (0 IP multicasts)
     0 runts, 0 giants, 0 throttles 
     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored
     0 watchdog, 0 multicast, 0 pause input
     {tx_pkts} packets output, {i.tx_octets} bytes, 0 underruns
     Output 0 broadcasts (0 IP multicasts)
     0 output errors, 0 collisions, 1 interface resets
     0 unknown protocol drops
     0 babbles, 0 late collision, 0 deferred
     0 lost carrier, 0 no carrier, 0 pause output
     0 output buffer failures, 0 output buffers swapped out""")
    return "\n".join(blocks) + "\n"


def show_interface_summary(ifs: list[IfState]) -> str:
    head = """
 *: interface is up
 IHQ: pkts in input hold queue     IQD: pkts dropped from input queue
 OHQ: pkts in output hold queue    OQD: pkts dropped from output queue
 RXBS: rx rate (bits/sec)          RXPS: rx rate (pkts/sec)
 TXBS: tx rate (bits/sec)          TXPS: tx rate (pkts/sec)
 TRTL: throttle count

  Interface                   IHQ       IQD       OHQ       OQD      RXBS      RXPS      TXBS      TXPS      TRTL
-----------------------------------------------------------------------------------------------------------------"""
    rows = [
        f"* {i.name:<26}{0:>5}{0:>10}{0:>10}{0:>10}{int(i.rx_bps):>10}{_pps(i.rx_bps):>10}"
        f"{int(i.tx_bps):>10}{_pps(i.tx_bps):>10}{0:>10}"
        for i in ifs
    ]
    return head + "\n" + "\n".join(rows) + "\n"


@dataclass(frozen=True)
class QueueClassState:
    """One class of a lab router's child QoS policy at one instant (counters since boot)."""

    name: str
    match: str
    action: str  # "priority" or "bandwidth remaining"
    percent: int
    offered_bps: float
    packets: int
    octets: int
    drops: int


def _class_block(c: QueueClassState, shaper_bps: int) -> str:
    drop_rate = 0 if c.drops == 0 else int(c.offered_bps * 0.002)
    head = (
        f"        Class-map: {c.name} (match-any)  \n"
        f"          {c.packets} packets, {c.octets} bytes\n"
        f"          30 second offered rate {int(c.offered_bps)} bps, drop rate {drop_rate:04d} bps\n"
        f"          Match:  {c.match}\n"
    )
    if c.action == "priority":
        kbps = shaper_bps * c.percent // 100 // 1000
        return head + (
            f"          Priority: {c.percent}% ({kbps} kbps), burst bytes {kbps * 25}, b/w exceed drops: {c.drops}\n\n"
        )
    return head + (
        "          Queueing\n"
        "          queue limit 64 packets\n"
        f"          (queue depth/total drops/no-buffer drops) 0/{c.drops}/0\n"
        f"          (pkts output/bytes output) {c.packets - c.drops}/{c.octets - 700 * c.drops}\n"
        f"          bandwidth remaining {c.percent}%\n\n"
    )


def show_policy_map_interface(shaped: list[tuple[str, int, list[QueueClassState]]]) -> str:
    """``show policy-map interface`` for interfaces with a hierarchical shaper (IOS-XE 17):
    ``(interface, shaper_bps, child classes)`` each; the parent's class-default queue sums them."""
    out = []
    for ifname, shaper_bps, classes in shaped:
        packets = sum(c.packets for c in classes)
        octets = sum(c.octets for c in classes)
        drops = sum(c.drops for c in classes if c.action != "priority")
        offered = sum(c.offered_bps for c in classes)
        prio = [c for c in classes if c.action == "priority"]
        out.append(
            f" {ifname} \n\n"
            "  Service-policy output: WAN-SHAPE\n\n"
            "    Class-map: class-default (match-any)  \n"
            f"      {packets} packets, {octets} bytes\n"
            f"      30 second offered rate {int(offered)} bps, drop rate {0 if drops == 0 else int(offered * 0.002):04d} bps\n"
            "      Match: any \n"
            "      Queueing\n"
            "      queue limit 208 packets\n"
            f"      (queue depth/total drops/no-buffer drops) 0/{drops}/0\n"
            f"      (pkts output/bytes output) {packets - drops}/{octets - 700 * drops}\n"
            f"      shape (average) cir {shaper_bps}, bc {shaper_bps // 250}, be {shaper_bps // 250}\n"
            f"      target shape rate {shaper_bps}\n\n"
            "      Service-policy : WAN-QOS\n\n"
            "        queue stats for all priority classes:\n"
            "          Queueing\n"
            "          queue limit 512 packets\n"
            "          (queue depth/total drops/no-buffer drops) 0/0/0\n"
            f"          (pkts output/bytes output) {sum(c.packets for c in prio)}/{sum(c.octets for c in prio)}\n\n"
            + "".join(_class_block(c, shaper_bps) for c in classes)
        )
    return "\n".join(out)
