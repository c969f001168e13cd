"""Templates and the lab inventories are found from an installed wheel, not only from the tree."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_carries_templates_and_finds_them(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("assess-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "assess/_data/templates/ios-xe/qos.j2" in names
    assert "assess/_data/templates/report/report.html.j2" in names
    assert "assess/_data/inventories/lab.yaml" in names
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    probe = (
        "import assess.resources as r; print(r.templates_dir()); print(r.inventories_dir()); "
        "from assess.render import environment; environment().get_template('ios-xe/qos.j2')"
    )
    res = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target)},
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    tdir, idir = res.stdout.split()
    assert tdir == str(target / "assess" / "_data" / "templates")
    assert idir == str(target / "assess" / "_data" / "inventories")
