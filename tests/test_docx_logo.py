"""The DOCX title block carries the theme's logo with its alt text, as the PDF, EPUB and web page do."""

from __future__ import annotations

import io
import shutil

import docx
import pytest
from docx.image.image import Image

from conftest import REPO, SAMPLE_SLUG
from formats import docx as docx_writer
from formats.options import Assets, WriterOptions
from leaflet import source, theme
from leaflet.errors import LeafletError

SOURCE = REPO / "leaflet_src" / SAMPLE_SLUG / "leaflet.md"


def options_for(theme_folder, root) -> WriterOptions:
    return WriterOptions(
        assets=Assets(folder=str(SOURCE.parent), pictograms=str(source.PICTOGRAMS),
                      extra=(str(theme_folder),)),
        theme=theme.load(theme_folder, root))


def pictures(data: bytes) -> list[tuple[str, str, bytes]]:
    """(paragraph style, alt text, image bytes) of every inline picture, in order."""
    document = docx.Document(io.BytesIO(data))
    found = []
    for paragraph in document.paragraphs:
        for inline in paragraph._p.xpath(".//wp:inline"):
            [blip] = inline.xpath(".//a:blip/@r:embed")
            found.append((paragraph.style.name, inline.docPr.get("descr") or "",
                          document.part.related_parts[blip].blob))
    return found


def test_title_block_has_the_logo_with_its_alt_text():
    leaflet = source.parse_file(SOURCE, REPO)
    data = docx_writer.write(leaflet, options_for(REPO / "theme", REPO)).data
    document = docx.Document(io.BytesIO(data))
    styles = [p.style.name for p in document.paragraphs[:8]]
    organisation = styles.index("Organisation")
    logo = document.paragraphs[organisation + 1]
    assert logo.style.name == "Picture"
    [(style, alt, blob)] = [p for p in pictures(data) if p[1] == "Sample hospital logo"]
    image = Image.from_blob(blob)
    assert image.content_type == "image/png" and image.px_width > 100  # drawn at print size
    [inline] = logo._p.xpath(".//wp:inline")
    assert int(inline.extent.cx) <= 2 * 914400  # a letterhead's size, not a page's width


def test_no_logo_without_one_in_the_theme(tmp_path):
    folder = tmp_path / "theme"
    folder.mkdir()
    (folder / "theme.yaml").write_text("colours:\n  text: \"#1a1a1a\"\n")
    leaflet = source.parse_file(SOURCE, REPO)
    data = docx_writer.write(leaflet, options_for(folder, tmp_path)).data
    assert not [p for p in pictures(data) if p[1] == "Sample hospital logo"]


def test_a_missing_logo_file_is_the_themes_problem(tmp_path):
    folder = tmp_path / "theme"
    shutil.copytree(REPO / "theme", folder)
    options = options_for(folder, tmp_path)
    (folder / "logo.svg").unlink()
    with pytest.raises(LeafletError) as caught:
        docx_writer.write(source.parse_file(SOURCE, REPO), options)
    assert caught.value.problems[0].path == "theme/theme.yaml"
    assert "does not exist" in caught.value.problems[0].message
