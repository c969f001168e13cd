"""Collection throughput: assess vs Nornir + nornir_napalm on the same lab, same getters, same workers.

A lab of N simulated IOS-XE routers (FakeNOS, real SSH) runs in its own process. Each case runs in
a fresh child process and reports wall time and peak RSS; every case is repeated and the median
is quoted, the cases interleaved so machine noise hits all of them alike.

Cases (getters per device: get_facts + get_interfaces once, then per poll get_facts +
get_interfaces_counters; WORKERS threads):
  assess-1      assess.collect, one poll
  nornir-1      Nornir threaded runner, napalm_get of the same getters, one poll
  assess-3      assess.collect, 3 polls on kept sessions, uptime per poll by one `show version |
                include uptime is` (assess's default, collection.uptime_via = command)
  assess-3-facts  the same with get_facts per poll, exactly Nornir's getters
  nornir-3      Nornir, 3 polls, connections closed after each poll (a poll per scheduled run)
  nornir-3-keep Nornir, 3 polls reusing its cached connections

    .venv/bin/pip install -e '.[bench]'   # Nornir + nornir_napalm
    .venv/bin/python benchmarks/collect.py [--devices 200] [--repeat 3] [--workers 20] [--lab-pacing-ms 10]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _rounds import medians, run_rounds  # benchmarks/_rounds.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
PORT0 = 7000
CASES = ("assess-1", "nornir-1", "assess-3", "assess-3-facts", "nornir-3", "nornir-3-keep")


def write_lab(tmp: Path, n: int, workers: int, pacing_ms: float = 10.0) -> Path:
    """An inventory of n routers (one WAN link each) and its lab traffic file."""
    import yaml

    devices = [
        {
            "name": f"r{i:03d}",
            "site": "s1",
            "driver": "ios",
            "host": "127.0.0.1",
            "port": PORT0 + i,
            "username": "assess",
            "password": "env:ASSESS_LAB_PASSWORD",
        }
        for i in range(n)
    ]
    inv = {
        "name": "bench",
        "profiles": str(ROOT / "inventories" / "profiles.yaml"),
        "collection": {"polls": 3, "interval_s": 1, "timeout_s": 60, "workers": workers, "queue_drops": False},
        "sites": [{"name": "s1"}],
        "devices": devices,
        "links": [
            {
                "name": f"l{i:03d}",
                "device": f"r{i:03d}",
                "interface": "Gi0/0/0",
                "transport": "mpls",
                "circuit_down_bps": 100_000_000,
                "circuit_up_bps": 100_000_000,
            }
            for i in range(n)
        ],
    }
    curve = [1.0] * 24
    traffic = {
        "seed": 1,
        "diurnal": curve,
        "input_pacing_s": pacing_ms / 1000,
        "devices": {
            d["name"]: {
                "serial": f"FGL{i:08d}",
                "interfaces": {
                    "GigabitEthernet0/0/0": {"description": "WAN", "ip": "10.0.0.1", "down_bps": 40e6, "up_bps": 20e6},
                    "GigabitEthernet0/0/1": {"description": "LAN", "ip": "10.1.0.1", "down_bps": 20e6, "up_bps": 40e6},
                },
            }
            for i, d in enumerate(devices)
        },
    }
    (tmp / "bench.yaml").write_text(yaml.safe_dump(inv))
    (tmp / "bench-traffic.yaml").write_text(yaml.safe_dump(traffic))
    return tmp / "bench.yaml"


def run_case(case: str, inv_path: Path, workers: int) -> dict[str, float]:
    """Run one case in this process; return wall seconds and peak RSS (MiB)."""
    polls = 1 if case.endswith("-1") else 3
    t0 = time.perf_counter()
    if case.startswith("assess"):
        from assess.collect import collect_inventory
        from assess.inventory import load_inventory

        loaded = load_inventory(inv_path)
        if case == "assess-3-facts":  # exactly Nornir's getters: get_facts for the uptime per poll
            inv = loaded.inventory
            coll = inv.collection.model_copy(update={"uptime_via": "get_facts"})
            loaded = loaded.model_copy(update={"inventory": inv.model_copy(update={"collection": coll})})
        cols = collect_inventory(loaded, polls=polls, interval_s=0.0)
        ok = sum(1 for c in cols if c.status == "ok")
    else:
        from nornir import InitNornir
        from nornir_napalm.plugins.tasks import napalm_get

        hosts = {}
        import yaml

        inv = yaml.safe_load(inv_path.read_text())
        for d in inv["devices"]:
            hosts[d["name"]] = {"hostname": d["host"], "port": d["port"], "username": d["username"], "platform": "ios"}
        tmp = Path(tempfile.mkdtemp())
        (tmp / "hosts.yaml").write_text(yaml.safe_dump(hosts))

        nr = InitNornir(
            runner={"plugin": "threaded", "options": {"num_workers": workers}},
            inventory={"plugin": "SimpleInventory", "options": {"host_file": str(tmp / "hosts.yaml")}},
            logging={"enabled": False},
        )
        for host in nr.inventory.hosts.values():  # the password never goes into the hosts file
            host.password = os.environ["ASSESS_LAB_PASSWORD"]
        res = nr.run(task=napalm_get, getters=["facts", "interfaces", "interfaces_counters"])
        failed = set(res.failed_hosts)
        for _ in range(polls - 1):
            if case == "nornir-3":
                nr.close_connections()
            nr.data.reset_failed_hosts()
            res = nr.run(task=napalm_get, getters=["facts", "interfaces_counters"])
            failed |= set(res.failed_hosts)
        nr.close_connections()
        ok = len(hosts) - len(failed)
    wall = time.perf_counter() - t0
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": wall, "peak_rss_mib": rss_mib, "ok": ok}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--devices", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=20)
    ap.add_argument(
        "--lab-pacing-ms",
        type=float,
        default=10.0,
        help="delay per byte a lab router receives: 10 = FakeNOS as shipped, 0 = as fast as the CPU allows",
    )
    ap.add_argument("--case")  # internal: run one case in this (child) process
    ap.add_argument("--inventory")
    a = ap.parse_args()
    if a.case:
        print(json.dumps(run_case(a.case, Path(a.inventory), a.workers)))
        return
    os.environ.setdefault("ASSESS_LAB_PASSWORD", secrets.token_urlsafe(12))
    with tempfile.TemporaryDirectory() as td:
        inv_path = write_lab(Path(td), a.devices, a.workers, a.lab_pacing_ms)
        lab = subprocess.Popen(
            [str(Path(sys.executable).with_name("assess")), "lab", str(inv_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert lab.stdout is not None
        for line in lab.stdout:
            if line.startswith("lab up"):
                break
        try:
            results = run_rounds(
                __file__,
                CASES,
                a.repeat,
                ["--inventory", str(inv_path), "--workers", str(a.workers)],
                lambda m: f"{m['seconds']:6.1f} s  {m['peak_rss_mib']:6.0f} MiB  ok {m['ok']:.0f}",
            )
        finally:
            lab.terminate()
    med = medians(results, "seconds")
    mem = medians(results, "peak_rss_mib")
    polls = {c: (1 if c.endswith("-1") else 3) for c in CASES}
    print(f"\n{a.devices} devices, {a.workers} workers, median of {a.repeat}:")
    for c in CASES:
        print(
            f"  {c:<14} {med[c]:6.1f} s  {a.devices * polls[c] / med[c]:6.1f} device-polls/s  "
            f"{mem[c]:6.0f} MiB peak RSS"
        )
    print(f"  single poll:   nornir / assess time = {med['nornir-1'] / med['assess-1']:.2f}x")
    print(f"  3 polls:       nornir (reconnect) / assess = {med['nornir-3'] / med['assess-3']:.2f}x")
    print(f"  3 polls:       nornir (kept connections) / assess = {med['nornir-3-keep'] / med['assess-3']:.2f}x")
    print(f"  3 polls, same getters: nornir (reconnect) / assess = {med['nornir-3'] / med['assess-3-facts']:.2f}x")


if __name__ == "__main__":
    main()
