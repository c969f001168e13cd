"""Where the bundled templates and inventories are, installed or run from the tree.

A wheel carries ``templates/`` and ``inventories/`` inside the package as ``assess/_data/``
(``pyproject.toml`` force-include); a source checkout or editable install has them at the top of
the tree, beside ``assess/``.
"""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PKG / "_data" / name, _PKG.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled folder {name!r} not found beside the assess package ({_PKG})")


def templates_dir() -> Path:
    """The folder with the Jinja2 templates (config and report)."""
    return _find("templates")


def inventories_dir() -> Path:
    """The folder with the bundled inventories (the lab and the default profiles)."""
    return _find("inventories")
