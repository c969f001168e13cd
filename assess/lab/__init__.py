"""The bundled lab: simulated IOS-XE routers on localhost, reached over real SSH.

FakeNOS (https://github.com/fakenos/fakenos) runs one paramiko SSH server per router; the lab
replaces the commands NAPALM's ``ios`` driver sends with Python callables that answer in genuine
IOS-XE format, with octet counters that advance at the rates ``lab-traffic.yaml`` prescribes.
Credentials are those of the inventory (the password comes from its ``env:`` variable; see
``inventories/README.md``).
"""

from assess.lab.server import Lab, load_lab_traffic

__all__ = ["Lab", "load_lab_traffic"]
