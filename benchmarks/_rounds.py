"""Shared by the benchmark scripts: run each case in a fresh child process, rounds interleaved
(so machine noise hits every case alike), and take medians."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from collections.abc import Callable


def run_rounds(
    script: str, cases: tuple[str, ...], repeat: int, args: list[str], line: Callable[[dict[str, float]], str]
) -> dict[str, list[dict[str, float]]]:
    """``python script --case CASE *args`` for every case, ``repeat`` rounds; each child prints
    its measurements as JSON on its last line. Prints one progress line per run."""
    results: dict[str, list[dict[str, float]]] = {c: [] for c in cases}
    for r in range(repeat):
        for case in cases:
            out = subprocess.run(
                [sys.executable, script, "--case", case, *args], capture_output=True, text=True, check=True
            )
            m = json.loads(out.stdout.strip().splitlines()[-1])
            results[case].append(m)
            print(f"round {r + 1} {case:<14} {line(m)}", flush=True)
    return results


def medians(results: dict[str, list[dict[str, float]]], key: str) -> dict[str, float]:
    """Per case, the median of one measurement over the rounds."""
    return {c: statistics.median(x[key] for x in v) for c, v in results.items()}
