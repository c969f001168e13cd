"""A lab IOS-XE router that keeps a running configuration (for ``assess apply`` against the lab).

FakeNOS answers fixed commands; a change pipeline needs a router whose configuration mode changes
what ``show running-config`` returns. ``IosConfig`` is that state for one router: configuration
mode with the sub-modes QoS uses (``class-map``, ``policy-map``, its ``class``, ``interface``),
IOS's fall-back of a line to the parent mode, ``no`` forms, and checks a real router makes
(unknown interface, a service policy naming a policy map that does not exist, a child
``bandwidth percent`` total above 100). Two failure modes for tests: ``reject`` (regular
expressions of lines the router refuses with ``% Invalid input``) and ``drop_after_lines`` (the
session is closed after that many configuration lines, once).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

INVALID = "% Invalid input detected at '^' marker."

#: top-level configuration blocks the lab understands, and the mode each enters
_BLOCKS = (("class-map", "config-cmap"), ("policy-map", "config-pmap"), ("interface", "config-if"))


@dataclass
class _Block:
    header: str
    lines: list[str] = field(default_factory=list)
    #: policy-map classes: "class X" -> its lines
    classes: dict[str, list[str]] = field(default_factory=dict)


class IosConfig:
    """Running configuration and configuration-mode state of one lab router.

    ``handle(line, prompt)`` returns ``None`` for lines it leaves to FakeNOS, else
    ``(output, new_prompt, close_session)``.
    """

    def __init__(
        self,
        hostname: str,
        interfaces: dict[str, list[str]],
        *,
        reject: list[str] | None = None,
        drop_after_lines: int | None = None,
    ) -> None:
        self.hostname = hostname
        self.blocks: dict[str, _Block] = {}
        for name, lines in interfaces.items():
            self.blocks[f"interface {name}"] = _Block(f"interface {name}", list(lines))
        self.reject = [re.compile(r) for r in reject or []]
        self.drop_after_lines = drop_after_lines
        self.lines_seen = 0
        self.lock = threading.Lock()
        # per session (FakeNOS shell thread): mode stack of (mode, block header, class)
        self._modes: dict[int, list[tuple[str, str, str]]] = {}

    def load(self, lines: list[str]) -> None:
        """Apply configuration ``lines`` as if typed in configuration mode (the router's start-up
        configuration). Raises ``ValueError`` on a line the router would refuse."""
        stack: list[tuple[str, str, str]] = [("config", "", "")]
        for line in lines:
            error = self._apply(stack, line.strip())
            if error:
                raise ValueError(f"{self.hostname}: start-up line {line!r}: {error}")

    # -- rendering -------------------------------------------------------------------------
    def running_config(self) -> str:
        """``show running-config`` as IOS prints it (class-maps, policy-maps, interfaces)."""
        out = [
            "Building configuration...",
            "",
            "Current configuration : 4096 bytes",
            "!",
            f"hostname {self.hostname}",
            "!",
        ]
        order = sorted(
            self.blocks.values(), key=lambda b: {"class-map": 0, "policy-map": 1}.get(b.header.split()[0], 2)
        )
        for b in order:
            out.append(b.header)
            out += [f" {ln}" for ln in b.lines]
            for cls, lines in b.classes.items():
                out.append(f" {cls}")
                out += [f"  {ln}" for ln in lines]
            out.append("!")
        out.append("end")
        return "\n".join(out)

    # -- the shell hook ----------------------------------------------------------------------
    def _prompt(self, mode: str) -> str:
        return f"{self.hostname}#" if mode == "exec" else f"{self.hostname}({mode})#"

    def handle(self, line: str, prompt: str) -> tuple[str, str | None, bool] | None:
        key = threading.get_ident()
        line = line.strip()
        with self.lock:
            stack = self._modes.setdefault(key, [])
            if not stack:
                if prompt.endswith(")#"):  # a new session never starts in config mode
                    stack.append(("config", "", ""))
                else:
                    if line in ("configure terminal", "conf t"):
                        stack.append(("config", "", ""))
                        return (
                            "Enter configuration commands, one per line.  End with CNTL/Z.",
                            self._prompt("config"),
                            False,
                        )
                    if line == "show running-config":
                        return (self.running_config(), None, False)
                    if line in ("write memory", "copy running-config startup-config"):
                        return ("Building configuration...\n[OK]", None, False)
                    return None
            if line in ("end", "\x1a"):
                stack.clear()
                self._modes.pop(key, None)
                return ("", self._prompt("exec"), False)
            if line == "exit":
                stack.pop()
                if not stack:
                    self._modes.pop(key, None)
                    return ("", self._prompt("exec"), False)
                return ("", self._prompt(stack[-1][0]), False)
            self.lines_seen += 1
            if self.drop_after_lines is not None and self.lines_seen > self.drop_after_lines:
                self.drop_after_lines = None
                stack.clear()
                self._modes.pop(key, None)
                return ("", None, True)
            if any(r.search(line) for r in self.reject):
                return (INVALID, None, False)
            error = self._apply(stack, line)
            return (error or "", self._prompt(stack[-1][0]), False)

    def _apply(self, stack: list[tuple[str, str, str]], line: str) -> str | None:
        """Apply one configuration line in the current mode (falling back to parent modes)."""
        words = line.split()
        negate = words[0] == "no"
        body = " ".join(words[1:]) if negate else line
        first = body.split()[0] if body else ""
        # top-level blocks, from any mode (IOS falls back to the global mode)
        for keyword, mode in _BLOCKS:
            if first == keyword:
                header = body
                if keyword == "class-map" and len(body.split()) == 2:
                    header = f"class-map match-all {body.split()[1]}"
                del stack[1:]
                stack[0] = ("config", "", "")
                if negate:
                    if keyword == "interface":
                        return INVALID
                    name = header.split()[-1]
                    found = [h for h in self.blocks if h.split()[0] == keyword and h.split()[-1] == name]
                    if not found:
                        return f"% {keyword} {name} not configured"
                    if keyword == "policy-map" and self._attached(name):
                        return f"% Policy map {name} is being used"
                    for h in found:
                        del self.blocks[h]
                    return None
                if keyword == "interface" and header not in self.blocks:
                    return INVALID
                self.blocks.setdefault(header, _Block(header))
                stack.append((mode, header, ""))
                return None
        mode, header, cls = stack[-1]
        if mode == "config":
            return INVALID
        block = self.blocks[header]
        if mode in ("config-pmap", "config-pmap-c") and first == "class":
            name = f"class {body.split()[1]}"
            if negate:
                block.classes.pop(name, None)
                del stack[2:]
                return None
            if body.split()[1] != "class-default" and not any(
                h.split()[-1] == body.split()[1] for h in self.blocks if h.startswith("class-map")
            ):
                return f"% class-map {body.split()[1]} not configured"
            block.classes.setdefault(name, [])
            del stack[2:]
            stack.append(("config-pmap-c", header, name))
            return None
        target = block.classes[cls] if mode == "config-pmap-c" else block.lines
        if mode == "config-if" and first == "service-policy" and not negate:
            policy = body.split()[-1]
            if f"policy-map {policy}" not in self.blocks:
                return f"% policy map {policy} not configured"
            target[:] = [ln for ln in target if not ln.startswith(f"service-policy {body.split()[1]}")]
        if mode == "config-pmap-c" and not negate:
            # a setting replaces the same setting (bandwidth percent 20 -> 25)
            stem = " ".join(body.split()[:-1]) if body.split()[-1].isdigit() else body
            trial = [ln for ln in target if not (ln == body or ln.startswith(stem + " ") and stem != body)]
            trial.append(body)
            if body.startswith("bandwidth percent") and self._bandwidth_total(block, cls, trial) > 100:
                return "% Sum total of class bandwidths exceeds 100 percent"
            target[:] = trial
            return None
        if negate:
            if body in target:
                target.remove(body)
                return None
            return None  # IOS accepts removing what is not there silently for most settings
        if body not in target:
            target.append(body)
        return None

    def _attached(self, policy: str) -> bool:
        return any(
            ln.endswith(f" {policy}") and ln.startswith("service-policy")
            for b in self.blocks.values()
            for ln in b.lines + [x for c in b.classes.values() for x in c]
        )

    @staticmethod
    def _bandwidth_total(block: _Block, cls: str, trial: list[str]) -> int:
        total = 0
        for name, lines in block.classes.items():
            for ln in trial if name == cls else lines:
                m = re.fullmatch(r"(?:bandwidth percent|police cir percent) (\d+)", ln)
                if m:
                    total += int(m.group(1))
        return total
