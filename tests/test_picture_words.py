"""`leaflet check` warns, with the picture's line, about an SVG whose words run outside
its drawing area (its viewBox), where every format cuts them off."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet.checks.pictures import words_outside

from conftest import REPO
from test_source import WITH_REQUESTS, check, make_library

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="400" viewBox="0 0 400 200">'
       '<rect width="400" height="200" fill="#fff"/>{text}</svg>')


@pytest.mark.parametrize("text, outside", [
    ('<text x="10" y="50" font-size="24">Stomach</text>', None),
    # 26 characters at 24 units: at least 312 units wide, from x=300
    ('<text x="300" y="50" font-size="24">Take this with a full meal</text>',
     "Take this with a full meal"),
    # centred on x=30: half of it left of the picture
    ('<text x="30" y="50" font-size="24" text-anchor="middle">Liver and kidneys</text>',
     "Liver and kidneys"),
    ('<text x="390" y="50" font-size="24" style="text-anchor: end">Liver</text>', None),
    # a second line below the bottom edge
    ('<text x="10" y="150" font-size="24"><tspan>Bowel</tspan>'
     '<tspan x="10" y="230">Bladder</tspan></text>', "Bladder"),
    ('<g font-size="30"><text x="10" y="12">Heart</text></g>', "Heart"),  # above the top
    # moved by a transform: not estimated, so not reported
    ('<text x="300" y="50" font-size="24" transform="translate(-300 0)">Take this with a '
     'full meal</text>', None),
])
def test_check_warns_when_a_pictures_words_run_outside_its_viewbox(tmp_path, text, outside):
    root = make_library(tmp_path, WITH_REQUESTS
                        + "\n# A\n\n![Diagram of the stomach](images/label.svg)\n")
    (root / "leaflet_src" / "ct-scan" / "images" / "label.svg").write_text(
        SVG.format(text=text), encoding="utf-8")
    code, output = check(root)
    assert code == 0, output
    if outside:
        assert (f'leaflet_src/ct-scan/leaflet.md:12: warning: the words "{outside}" in picture '
                "'images/label.svg' run outside the picture's drawing area") in output, output
    else:
        assert "outside" not in output, output


def test_a_picture_without_a_viewbox_is_measured_by_its_width_and_height(tmp_path):
    path = tmp_path / "label.svg"
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50">'
                    '<text x="60" y="30" font-size="20">Stomach</text></svg>', encoding="utf-8")
    assert words_outside(path) == ["Stomach"]


def test_no_pictogram_or_sample_picture_is_reported():
    pictures = [*(REPO / "formats" / "pictograms").glob("*.svg"),
                *(REPO / "leaflet_src").glob("*/images/*.svg")]
    assert pictures
    assert {str(Path(p).name): words_outside(p) for p in pictures if words_outside(p)} == {}
