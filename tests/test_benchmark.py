"""The benchmark runs from a clean checkout, in its smoke mode, so that `make bench` cannot rot."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.slow  # builds several libraries; make test runs it, make test-fast does not
def test_the_benchmark_runs_every_step_in_its_smoke_mode():
    result = subprocess.run([sys.executable, str(REPO / "benchmarks" / "bench.py"), "--smoke"],
                            capture_output=True, text=True, timeout=600, cwd=REPO)
    assert result.returncode == 0, result.stderr[-3000:]
    table = result.stdout
    # Every kind of build, the library it generates, pandoc and the index are measured,
    # and every target is reported with a number.
    for name in ("start-up and imports", "sample, everything: cold",
                 "sample, everything: warm (up to date)", "leaflet build -j 1",
                 "pandoc, one run after another", "at a time",
                 "one leaflet, -f text, one language", "2 leaflets x 2 languages, -j 1",
                 "2 leaflets x 2 languages, no-op rebuild", "floor:", "index of 2 leaflets",
                 "filter 'cardiology'"):
        assert name in table, name
    assert "5 runs (1 languages x 5)" in table  # pandoc once per output, not 20 runs
    # one line per target the benchmark sets (benchmarks/bench.py `targets`)
    assert table.count(" met") + table.count("MISSED") == 10
