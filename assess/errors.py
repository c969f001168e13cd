"""The exception tree of `assess` (one root, shallow, like ``napalm.base.exceptions``).

Every error carries the data a user needs to fix it (file, field, device) and a message that
names it. Errors become exit codes once, at the CLI boundary (see ``assess.cli``):

    AssessError
     +-- InventoryError        bad inventory or profile file (exit 2)
     +-- CollectionError       a device could not be collected
     |    +-- DeviceAuthError
     |    +-- DeviceTimeoutError
     +-- ModelError            a traffic profile cannot be modelled
     +-- RenderError           a config template failed or a class plan is invalid
     +-- ReportError           the PDF or data files could not be written
     +-- ApplyError            reserved for the change pipeline
"""

from __future__ import annotations


class AssessError(Exception):
    """Root of every error raised by `assess` on purpose."""


class InventoryError(AssessError):
    """A file the user wrote (inventory, profiles) is invalid.

    Attributes:
        path: the file, as given.
        problems: one line per problem, each naming the field (and YAML line when known).
    """

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{path}: invalid input\n{lines}")


class CollectionError(AssessError):
    """A device could not be collected. ``device`` names it; the message says why."""

    def __init__(self, device: str, reason: str) -> None:
        self.device = device
        self.reason = reason
        super().__init__(f"device {device}: {reason}")


class DeviceAuthError(CollectionError):
    """The device refused the credentials."""


class DeviceTimeoutError(CollectionError):
    """The device did not answer in time (or refused the TCP connection)."""


class ModelError(AssessError):
    """A traffic profile or workload cannot be modelled."""


class RenderError(AssessError):
    """A config could not be rendered (missing template variable, invalid class plan)."""


class ReportError(AssessError):
    """The report or its data files could not be produced."""


class ApplyError(AssessError):
    """Reserved for the change pipeline (apply)."""
