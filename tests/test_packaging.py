"""The installable package: a wheel holds every module, template and data file the tool reads,
setuptools finds the packages itself and has nothing to warn about."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile

import pytest

from conftest import REPO


@pytest.mark.slow  # a whole build or process: the full tier
def test_the_wheel_holds_every_module_and_data_file(tmp_path):
    # a copy of the project's files: setuptools would otherwise reuse a stale build/lib
    tree = tmp_path / "src"
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    files = [name for name in listed if (REPO / name).is_file()]  # not those just deleted
    for name in files:
        target = tree / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w",
                            str(tmp_path / "dist"), str(tree)], capture_output=True, text=True,
                           timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = (tmp_path / "dist").glob("leaflet-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = [name for name in files if name.startswith(("leaflet/", "formats/"))
              and "__pycache__" not in name]
    missing = [name for name in wanted if name not in names]
    assert not missing
    assert "cli.py" in names
    assert not [name for name in names if name.startswith(("tests/", "benchmarks/", "build/"))]
    warnings = [line for line in (built.stdout + built.stderr).splitlines()
                if re.search(r"Warning|warning:|deprecated", line)
                and "byte-compiling is disabled" not in line and "WARNING: Location" not in line]
    assert not warnings, warnings


def test_packages_are_found_not_listed_and_unused_dependencies_are_gone():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = project["tool"]["setuptools"]
    assert list(setuptools["packages"]) == ["find"]  # found, never a list to keep
    names = {re.split(r"[<>=!~\[; ]", requirement)[0]
             for requirement in project["project"]["dependencies"]}
    assert "mdit-py-plugins" not in names and "pebble" in names
