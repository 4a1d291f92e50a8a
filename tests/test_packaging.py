"""The installable package: a wheel holds every module, template and data file the tool reads."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

from conftest import REPO


def test_the_wheel_holds_every_module_and_data_file(tmp_path):
    # a copy of the tracked files: setuptools would otherwise reuse a stale build/lib
    tree = tmp_path / "src"
    files = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True,
                           check=True).stdout.split()
    for name in files:
        target = tree / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w",
                    str(tmp_path / "dist"), str(tree)], check=True, capture_output=True,
                   timeout=300)
    [wheel] = (tmp_path / "dist").glob("leaflet-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = [name for name in files if name.startswith(("leaflet/", "formats/"))]
    missing = [name for name in wanted if name not in names]
    assert not missing
    assert "cli.py" in names
