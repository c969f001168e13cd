"""Collection: the only package that imports napalm or netmiko (STYLE.md 1)."""

from assess.collect.collector import collect_inventory, link_utilisation
from assess.collect.models import DeviceCollection, LinkUtilisation

__all__ = ["DeviceCollection", "LinkUtilisation", "collect_inventory", "link_utilisation"]
