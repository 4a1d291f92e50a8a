"""The installable package: a wheel holds every module, template and data file the tool reads."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import REPO


def test_the_wheel_holds_every_module_and_data_file(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path),
                    str(REPO)], check=True, capture_output=True, timeout=300)
    [wheel] = tmp_path.glob("leaflet-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = [p for package in ("leaflet", "formats") for p in (REPO / package).rglob("*")
              if p.is_file() and "__pycache__" not in p.parts]
    missing = [str(p.relative_to(REPO)) for p in wanted
               if p.relative_to(REPO).as_posix() not in names]
    assert not missing
    assert "cli.py" in names
