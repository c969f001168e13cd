"""Wall time of `assess demo` end to end (lab start, SSH collection, model, configs, PDF).

Goal (issue 2): under 2 minutes on the 2-core machine. Runs the real CLI N times in fresh
processes and prints each time and the median.

    .venv/bin/python benchmarks/demo.py [N]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    exe = Path(sys.executable).with_name("assess")
    times = []
    for i in range(n):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            subprocess.run([str(exe), "demo", "--out", tmp], check=True, capture_output=True)
            times.append(time.perf_counter() - t0)
        print(f"run {i + 1}: {times[-1]:.1f} s")
    print(f"median of {n}: {statistics.median(times):.1f} s (goal: < 120 s)")


if __name__ == "__main__":
    main()
