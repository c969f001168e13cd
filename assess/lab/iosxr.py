"""Cisco IOS-XR XML agent replies for the requests NAPALM's ``iosxr`` driver sends over SSH.

NAPALM's ``iosxr`` driver (pyIOSXR) logs in over SSH, types ``xml`` to start the XML agent
(prompt ``XML>``, no echo) and then sends one ``<Request>`` document per getter:
``get_facts`` asks for ``SystemTime`` and ``PlatformInventory``, ``get_interfaces`` and
``get_interfaces_counters`` for the operational ``Interfaces`` tree. The replies below follow the
``<Response>`` documents of IOS-XR 6.x/7.x (element names as in NAPALM's own IOS-XR test
captures): ``Uptime`` in seconds, ``Bandwidth`` in kbit/s, ``FullInterfaceStats`` with 64-bit
``BytesReceived``/``BytesSent``.

``XmlAgent`` turns the lines the shell receives into whole documents: a request may span
several lines, and nothing is answered until its ``</Request>`` arrives.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from assess.lab.ios import IfState

#: The XML agent's prompt, as pyIOSXR waits for it.
PROMPT = "XML> "

#: The request documents of NAPALM 5.x's iosxr driver (inside ``<Request ...>``), whitespace as
#: it sends them; each line of each is a command the lab's shell must accept.
REQUESTS = {
    "facts": """
<Get>
  <Operational>
    <SystemTime/>
    <PlatformInventory>
      <RackTable>
        <Rack>
          <Naming>
            <Name>0</Name>
          </Naming>
          <Attributes>
            <BasicInfo/>
          </Attributes>
        </Rack>
      </RackTable>
    </PlatformInventory>
  </Operational>
</Get>
        """,
    "interfaces": "<Get><Operational><Interfaces/></Operational></Get>",
    "counters": "<Get><Operational><Interfaces><InterfaceTable></InterfaceTable>        </Interfaces></Operational></Get>",
}
HEAD = '<?xml version="1.0" encoding="UTF-8"?><Request MajorVersion="1" MinorVersion="0">'


def request_lines() -> set[str]:
    """Every stripped line the agent can receive for the requests above."""
    lines: set[str] = set()
    for body in REQUESTS.values():
        lines.update(line.strip() for line in (HEAD + body + "</Request>").splitlines())
    lines.discard("")
    return lines


def _response(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Response MajorVersion="1" MinorVersion="0">\n'
        f'{body}\n<ResultSummary ErrorCount="0"/>\n</Response>'
    )


def facts_reply(hostname: str, model: str, serial: str, uptime_s: float) -> str:
    return _response(
        f"""<Get><Operational>
<SystemTime MajorVersion="2" MinorVersion="0">
  <Uptime><Hostname>{escape(hostname)}</Hostname><Uptime>{int(uptime_s)}</Uptime></Uptime>
</SystemTime>
<PlatformInventory MajorVersion="1" MinorVersion="1">
  <RackTable><Rack><Naming><Name>0</Name></Naming>
    <Attributes><BasicInfo>
      <Description>Cisco {escape(model)} Router</Description>
      <Name>0</Name>
      <HardwareRevision>V02</HardwareRevision>
      <SoftwareRevision>7.9.2</SoftwareRevision>
      <SerialNumber>{escape(serial)}</SerialNumber>
      <ModelName>{escape(model)}</ModelName>
    </BasicInfo></Attributes>
  </Rack></RackTable>
</PlatformInventory>
</Operational></Get>"""
    )


def _interface(i: IfState) -> str:
    kind = "IFT_LOOPBACK" if i.is_loopback else ("IFT_ETHERBUNDLE" if i.name.startswith("Bundle") else "IFT_GETHERNET")
    stats = (
        ""
        if i.is_loopback
        else f"""
    <InterfaceStatistics><StatsType>Full</StatsType><FullInterfaceStats>
      <PacketsReceived>{i.rx_octets // 700}</PacketsReceived><BytesReceived>{i.rx_octets}</BytesReceived>
      <PacketsSent>{i.tx_octets // 700}</PacketsSent><BytesSent>{i.tx_octets}</BytesSent>
      <MulticastPacketsReceived>0</MulticastPacketsReceived><BroadcastPacketsReceived>0</BroadcastPacketsReceived>
      <MulticastPacketsSent>0</MulticastPacketsSent><BroadcastPacketsSent>0</BroadcastPacketsSent>
      <OutputDrops>0</OutputDrops><InputDrops>0</InputDrops>
      <InputErrors>0</InputErrors><OutputErrors>0</OutputErrors>
    </FullInterfaceStats></InterfaceStatistics>"""
    )
    mac = "" if i.is_loopback else f"<MACAddress><Address>{i.mac}</Address></MACAddress>"
    return f"""  <Interface>
    <Naming><InterfaceName>{escape(i.name)}</InterfaceName></Naming>
    <InterfaceHandle>{escape(i.name)}</InterfaceHandle>
    <InterfaceType>{kind}</InterfaceType>
    <State>IM_STATE_UP</State><LineState>IM_STATE_UP</LineState>
    <MTU>{1500 if i.is_loopback else 1514}</MTU>
    <LastStateTransitionTime>1700000</LastStateTransitionTime>
    {mac}
    <Bandwidth>{0 if i.is_loopback else i.bw_kbit}</Bandwidth>
    <Description>{escape(i.description)}</Description>
    <DataRates><InputDataRate>{int(i.rx_bps / 1000)}</InputDataRate><OutputDataRate>{int(i.tx_bps / 1000)}</OutputDataRate></DataRates>{stats}
  </Interface>"""


def interfaces_reply(ifs: list[IfState]) -> str:
    body = "\n".join(_interface(i) for i in ifs)
    return _response(
        f'<Get><Operational><Interfaces MajorVersion="1" MinorVersion="6"><InterfaceTable>\n{body}\n'
        "</InterfaceTable></Interfaces></Operational></Get>"
    )


class XmlAgent:
    """The XML agent of one lab router: gathers request lines per SSH session and answers.

    ``answer(document)`` returns the reply for a whole ``<Request>`` document. ``line`` is the
    FakeNOS command callable for every request line: it keeps each session's partial document
    (sessions run in their own threads), prints nothing and sets an empty prompt until the
    document is complete, then prints the reply and the ``XML>`` prompt.
    """

    def __init__(self, answer: Callable[[str], str]) -> None:
        self._answer = answer
        self._partial: dict[int, list[str]] = {}
        self._lock = threading.Lock()

    def line(self, *_a: Any, command: str = "", **_k: Any) -> dict[str, Any]:
        key = threading.get_ident()
        with self._lock:
            parts = self._partial.setdefault(key, [])
            parts.append(command)
            if "</Request>" not in command:
                return {"output": None, "new_prompt": ""}
            document = "\n".join(self._partial.pop(key))
        return {"output": self._answer(document), "new_prompt": PROMPT}

    @staticmethod
    def unsupported(document: str) -> str:
        """The agent's reply to a request the lab does not serve (an XML error, not a hang)."""
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Response MajorVersion="1" MinorVersion="0" '
            'ErrorCode="0x4368a800" ErrorMsg="lab: request not supported">\n'
            '<ResultSummary ErrorCount="1"/>\n</Response>'
        )
