"""YAML loading that remembers where each value came from, so errors can name the line.

``load_yaml_with_lines(path)`` returns the parsed data and a map from a location tuple
(``("links", 2, "device")``) to the 1-based line number in the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from assess.errors import InventoryError

Location = tuple[str | int, ...]


def _walk(node: yaml.Node, loc: Location, lines: dict[Location, int]) -> None:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[(*loc, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*loc, key), lines)
            lines[(*loc, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*loc, i), lines)


def load_yaml_with_lines(path: Path) -> tuple[Any, dict[Location, int]]:
    """Parse a YAML file; return ``(data, lines)``.

    Raises:
        InventoryError: the file is missing, unreadable or not valid YAML (the message gives the
            line and column of the syntax error).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InventoryError(str(path), [f"cannot read file: {exc.strerror}"]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise InventoryError(str(path), [f"{where}not valid YAML ({exc})"]) from None
    lines: dict[Location, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return data, lines


def describe_location(loc: Location, lines: dict[Location, int]) -> str:
    """Render ``("links", 2, "device")`` as ``links[2].device (line 31)``.

    The line is that of the deepest part of the location the file has (a missing field is
    reported at the line of its parent).
    """
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    probe: Location = tuple(loc)
    while probe and probe not in lines:
        probe = probe[:-1]
    line = lines.get(probe)
    return f"{text or '(top level)'} (line {line})" if line else (text or "(top level)")
