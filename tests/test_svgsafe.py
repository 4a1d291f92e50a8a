"""Pictures and the theme logo cannot reach outside themselves: attacks refused, outputs rebuilt."""

from __future__ import annotations

import base64
import dataclasses
import io
import re
import shutil
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image

from conftest import SAMPLE_SLUG, run_leaflet
from leaflet import source, svgsafe, theme
from leaflet.errors import Collector, LeafletError

NS = 'xmlns="http://www.w3.org/2000/svg"'
XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"'
EVIL = "evil.example"

# Each attack from issue 18, item 3, with a word its refusal must contain.
ATTACKS = {
    "presentation url": (f'<svg {NS}><rect fill="url(http://{EVIL}/a)" width="9" height="9"/>'
                         "</svg>", "another file"),
    "stroke URL in capitals": (f'<svg {NS}><rect stroke="URL(//{EVIL}/a)"/></svg>',
                               "another file"),
    "escaped url in style": (f'<svg {NS}><rect style="fill:u\\72l(http://{EVIL}/a)"/></svg>',
                             "escape"),
    "escaped @import": (f'<svg {NS}><style>@\\69mport "http://{EVIL}/a.css";</style></svg>',
                        "escape"),
    "plain @import": (f'<svg {NS}><style>@import "http://{EVIL}/a.css";</style></svg>',
                      "@import"),
    "css after a child element": (f"<svg {NS}><style>rect{{fill:red}}<g/>rect{{fill:url("
                                  f"http://{EVIL}/a)}}</style></svg>", "another file"),
    "image-set": (f'<svg {NS}><rect style="fill:red;background:image-set(\'http://{EVIL}/a\' '
                  '1x)"/></svg>', "another file"),
    "entity-spelled url": (f'<svg {NS}><rect fill="&#117;rl(http://{EVIL}/a)"/></svg>',
                           "another file"),
    "xml-stylesheet": (f'<?xml version="1.0"?>\n<?xml-stylesheet href="http://{EVIL}/a.css"?>\n'
                       f"<svg {NS}/>", "processing instruction"),
    "xml-stylesheet first": (f'<?xml-stylesheet type="text/css" href="http://{EVIL}/a.css"?>'
                             f"<svg {NS}/>", "processing instruction"),
    "script element": (f"<svg {NS}><script>fetch('http://{EVIL}')</script></svg>", "<script>"),
    "onload": (f'<svg {NS} onload="fetch(\'http://{EVIL}\')"/>', "onload"),
    "external entity": (f'<!DOCTYPE svg [<!ENTITY x SYSTEM "http://{EVIL}/a">]>'
                        f"<svg {NS}><text>&x;</text></svg>", "DOCTYPE"),
    "remote image": (f'<svg {NS} {XLINK}><image xlink:href="http://{EVIL}/a.png"/></svg>',
                     "another file"),
    "use of another file": (f'<svg {NS}><use href="other.svg#a"/></svg>', "another file"),
    "foreignObject": (f"<svg {NS}><foreignObject><p>hi</p></foreignObject></svg>",
                      "<foreignObject>"),
    "set rewrites href": (f'<svg {NS}><a href="#x"><set attributeName="href" '
                          f'to="http://{EVIL}"/></a></svg>', "<set>"),
    "30000 px": (f'<svg {NS} width="30000" height="30000"><rect width="1" height="1"/></svg>',
                 "30,000 x 30,000"),
    "30000 px by viewBox": (f'<svg {NS} viewBox="0 0 30000 30000"/>', "30,000 x 30,000"),
}


@pytest.mark.parametrize("svg, word", ATTACKS.values(), ids=ATTACKS.keys())
def test_each_attack_is_refused_with_the_pictures_line(svg, word):
    found = svgsafe.problems(svg.encode("utf-8"), "images/a.svg")
    assert found, "the attack passed"
    assert any(word in p.message for p in found), [str(p) for p in found]
    assert all(p.path == "images/a.svg" for p in found)
    with pytest.raises(LeafletError) as caught:
        svgsafe.sanitise(svg.encode("utf-8"), "images/a.svg")
    assert all("\n" not in str(p) for p in caught.value.problems)


def test_a_utf16_svg_with_a_doctype_is_refused_and_one_without_is_rebuilt_as_utf8():
    hidden = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE svg [<!ENTITY x SYSTEM '
              f'"file:///etc/passwd">]><svg {NS}><text>&x;</text></svg>')
    for codec in ("utf-16", "utf-16-le", "utf-16-be"):
        # The byte search for "<!DOCTYPE" the old check did never matched these.
        data = hidden.encode(codec)
        assert b"<!DOCTYPE" not in data
        assert any("DOCTYPE" in p.message for p in svgsafe.problems(data, "a.svg")), codec
    plain = f'<?xml version="1.0" encoding="UTF-16"?><svg {NS}><title>Caf\u00e9</title></svg>'
    rebuilt = svgsafe.sanitise(plain.encode("utf-16"), "a.svg")
    assert rebuilt == f"<svg {NS}><title>Caf\u00e9</title></svg>".encode("utf-8")


def test_a_declared_latin1_svg_is_decoded_as_it_says():
    data = f'<?xml version="1.0" encoding="ISO-8859-1"?><svg {NS}><title>Caf\u00e9</title></svg>'
    assert "Caf\u00e9".encode("utf-8") in svgsafe.sanitise(data.encode("latin-1"), "a.svg")
    wrong = f'<?xml version="1.0" encoding="EBCDIC-X"?><svg {NS}/>'.encode("ascii")
    assert "not supported" in svgsafe.problems(wrong, "a.svg")[0].message


def test_what_is_merely_unknown_is_dropped_and_the_drawing_kept():
    data = (f'<svg {NS} {XLINK} xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
            f'xmlns:dc="http://{EVIL}/dc" xml:base="http://{EVIL}/" width="10mm" height="5mm" '
            'viewBox="0 0 20 10"><!-- made by hand --><metadata><dc:title>x</dc:title></metadata>'
            '<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient>'
            '</defs><style>.a { fill: url(#g); behaviour: x } /* note */ rect { stroke: red }'
            '</style><g inkscape:label="Layer" class="a" style="fill:url(\'#g\');cursor:move">'
            '<rect width="2" height="2" data-x="1"/><use xlink:href="#g"/>'
            '<text x="1">A &amp; &lt;B&gt;</text></g></svg>')
    rebuilt = svgsafe.sanitise(data.encode("utf-8"), "a.svg").decode("utf-8")
    assert EVIL not in rebuilt and "inkscape" not in rebuilt and "metadata" not in rebuilt
    assert "made by hand" not in rebuilt and "cursor" not in rebuilt and "data-x" not in rebuilt
    assert "behaviour" not in rebuilt
    assert '<style>.a{fill:url(#g)}\nrect{stroke:red}</style>' in rebuilt
    assert 'style="fill:url(\'#g\')"' in rebuilt
    assert '<use xlink:href="#g"/>' in rebuilt and XLINK in rebuilt
    assert "<text x=\"1\">A &amp; &lt;B&gt;</text>" in rebuilt
    assert svgsafe.sanitise(rebuilt.encode("utf-8"), "a.svg").decode("utf-8") == rebuilt


def test_every_pictogram_and_the_sample_logo_pass_unchanged_in_substance():
    root = Path(__file__).resolve().parent.parent
    files = sorted((root / "formats" / "pictograms").glob("*.svg")) + [root / "theme" / "logo.svg"]
    assert len(files) > 10
    for path in files:
        data = path.read_bytes()
        assert svgsafe.problems(data, path.name) == []
        assert svgsafe.sanitise(data, path.name).split() == data.split(), path.name


def test_a_200_byte_svg_declaring_30000_px_is_refused_fast_at_check(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    data = ATTACKS["30000 px"][0].encode("utf-8")
    assert len(data) < 200
    (folder / "big.svg").write_bytes(data)
    problems = Collector()
    started = time.process_time()
    source.check_image("big.svg", "A big drawing", folder, "leaflet_src/t/leaflet.md", 7, problems)
    assert time.process_time() - started < 1
    assert [str(p) for p in problems.errors] == [
        "leaflet_src/t/leaflet.md:7: picture 'big.svg' cannot be used: it declares a size of "
        "30,000 x 30,000 pixels; a picture may be at most 20,000 pixels on a side and 50 "
        "million pixels in all (line 1 of the picture)"]


def png(width: int, height: int, data: bytes = b"") -> bytes:
    """A PNG with the given header; its one IDAT chunk holds ``data`` compressed."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + checksum
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(data))
            + chunk(b"IEND", b""))


def real_picture(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#336699").save(buffer, kind)
    return buffer.getvalue()


RASTERS = {
    "truncated png": ("scan.png", real_picture("PNG")[:60], "damaged or cut short"),
    "text saved as jpg": ("scan.jpg", b"This is not a picture.\n", "not a JPEG"),
    "empty png": ("scan.png", b"", "empty"),
    "png header only": ("scan.png", real_picture("PNG")[:33], "damaged or cut short"),
    "30000 x 30000 png bomb": ("scan.png", png(30000, 30000, b"\0" * 40000), "too many pixels"),
    "21000 x 10 png": ("scan.png", png(21000, 10, b"\0" * 30000), "21,000 x 10 pixels"),
    "truncated jpeg": ("scan.jpg", real_picture("JPEG")[:-40], "cut short"),
    "png named jpg": ("scan.jpg", real_picture("PNG"), "PNG picture saved with a .jpg name"),
}


@pytest.mark.parametrize("name, data, word", RASTERS.values(), ids=RASTERS.keys())
def test_a_broken_or_enormous_raster_is_refused_at_check_with_the_sources_line(
        tmp_path, name, data, word):
    (tmp_path / name).write_bytes(data)
    problems = Collector()
    source.check_image(name, "A scan", tmp_path, "leaflet_src/t/leaflet.md", 12, problems)
    messages = [str(p) for p in problems.errors]
    assert len(messages) == 1 and messages[0].startswith(
        f"leaflet_src/t/leaflet.md:12: picture '{name}' cannot be used: "), messages
    assert word in messages[0]


@pytest.mark.parametrize("kind, name", [("PNG", "a.png"), ("JPEG", "a.jpg"), ("GIF", "a.gif")])
def test_a_whole_raster_of_a_sane_size_passes(tmp_path, kind, name):
    (tmp_path / name).write_bytes(real_picture(kind))
    problems = Collector()
    source.check_image(name, "A scan", tmp_path, "leaflet.md", 3, problems)
    assert problems.problems == []


LOGOS = {
    "script": (f"<svg {NS}><script>alert(1)</script></svg>", "<script>"),
    "onload": (f'<svg {NS} onload="alert(1)"><rect width="1" height="1"/></svg>', "onload"),
    "external entity": (f'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg {NS}>'
                        "<text>&x;</text></svg>", "DOCTYPE"),
    "remote image": (f'<svg {NS}><image href="https://{EVIL}/track.png" width="1" height="1"/>'
                     "</svg>", "another file"),
    "30000 px": (ATTACKS["30000 px"][0], "30,000 x 30,000"),
}


def themed(sample_library: Path, target: Path, logo: bytes, name: str = "logo.svg") -> Path:
    shutil.copytree(sample_library, target)
    (target / "theme" / name).write_bytes(logo)
    settings = target / "theme" / "theme.yaml"
    text = settings.read_text(encoding="utf-8").replace("file: logo.svg", f"file: {name}")
    settings.write_text(text, encoding="utf-8")
    return target


def logo_line(root: Path) -> int:
    lines = (root / "theme" / "theme.yaml").read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, start=1) if line.strip().startswith("file:"))


@pytest.mark.parametrize("svg, word", LOGOS.values(), ids=LOGOS.keys())
def test_a_dangerous_logo_is_refused_with_the_theme_files_line(sample_library, tmp_path, svg,
                                                               word):
    root = themed(sample_library, tmp_path / "lib", svg.encode("utf-8"))
    with pytest.raises(LeafletError) as caught:
        theme.load(root / "theme", root)
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith(f"theme/theme.yaml:{logo_line(root)}: the logo 'logo.svg' cannot "
                            "be used: ") and word in m for m in messages), messages


def test_check_refuses_a_dangerous_logo_without_a_traceback(sample_library, tmp_path):
    root = themed(sample_library, tmp_path / "lib", LOGOS["remote image"][0].encode("utf-8"))
    result = run_leaflet("check", cwd=root)
    assert result.returncode == 1
    assert f"theme/theme.yaml:{logo_line(root)}: the logo 'logo.svg' cannot be used" in \
        result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_50_mb_logo_is_refused_in_well_under_a_second(sample_library, tmp_path):
    root = themed(sample_library, tmp_path / "lib", b"", name="huge.png")
    with (root / "theme" / "huge.png").open("wb") as handle:
        handle.truncate(50_000_000)
    started = time.process_time()
    with pytest.raises(LeafletError) as caught:
        theme.load(root / "theme", root)
    assert time.process_time() - started < 1
    assert f"theme/theme.yaml:{logo_line(root)}: the logo 'huge.png' cannot be used: it is " \
        "50.0 MB; it must be under 5 MB" in str(caught.value)


def test_writers_refuse_an_svg_changed_after_it_was_checked(tmp_path):
    """Assets.read rebuilds or refuses at build time too, whatever check saw."""
    from formats import epub
    from formats.options import Assets, WriterOptions

    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.svg").write_text(f'<svg {NS}><rect width="1" height="1"/></svg>', "utf-8")
    (folder / "leaflet.md").write_text(
        "---\ntitle: T\norganisation: O\nlanguage: en-GB\npublished: 2025-01-01\n"
        "review: 2030-01-01\n---\n\n# Part\n\nWords.\n\n![A box](a.svg)\n", "utf-8")
    leaflet = source.parse_file(folder / "leaflet.md", tmp_path)
    assets = Assets(folder=str(folder))
    assert b"<rect" in assets.read("a.svg")
    (folder / "a.svg").write_text(ATTACKS["presentation url"][0], "utf-8")
    with pytest.raises(LeafletError) as caught:
        assets.read("a.svg")
    assert "picture 'a.svg' cannot be used: its styles refer to another file or web address " \
        "(url(http://evil.example/a)); only url(#name) references inside the picture are " \
        "allowed, in <rect fill=...> (line 1 of the picture)" == str(caught.value)
    with pytest.raises(LeafletError):
        epub.write(leaflet, dataclasses.replace(WriterOptions(), assets=assets))


# Arrives in every output rebuilt: nothing of the outside world survives.
SNEAKY = (f'<?xml version="1.0" encoding="UTF-8"?>\n<svg {NS} {XLINK} '
          f'xmlns:sodipodi="http://{EVIL}/sodipodi" xml:base="http://{EVIL}/" '
          'viewBox="0 0 100 50" width="100" height="50">\n'
          f'<metadata><rdf xmlns="http://{EVIL}/rdf" about="http://{EVIL}/x"/></metadata>\n'
          f'<sodipodi:namedview sodipodi:docname="http://{EVIL}/doc"/>\n'
          '<defs><linearGradient id="g"><stop offset="0" stop-color="#1d3f6e"/></linearGradient>'
          '</defs>\n<style>rect { fill: url(#g) }</style>\n'
          f'<rect width="100" height="50" sodipodi:href="http://{EVIL}/r"/>\n</svg>\n')


def urls_outside(text: str) -> list[str]:
    """Every url() in ``text`` that names something other than a #fragment."""
    found = re.findall(r"url\(\s*['\"]?([^'\")]*)", text, flags=re.I)
    return [u for u in found if not u.strip().startswith("#")]


@pytest.mark.slow  # an EPUBCheck run of its own
def test_a_built_epub_and_web_page_carry_only_the_rebuilt_picture(sample_library, tmp_path):
    root = tmp_path / "lib"
    shutil.copytree(sample_library, root)
    folder = root / "leaflet_src" / SAMPLE_SLUG
    (folder / "drawing.svg").write_text(SNEAKY, encoding="utf-8")
    leaflet_md = folder / "leaflet.md"
    text = leaflet_md.read_text(encoding="utf-8")
    marker = "# What investigations will I need?"
    leaflet_md.write_text(text.replace(marker, "![A blue box](drawing.svg)\n\n" + marker, 1),
                          encoding="utf-8")
    out = tmp_path / "out"
    run_leaflet("build", "-f", "epub", "-f", "html", "-e", "standard", "-l", "en-GB",
                "-o", str(out), cwd=root, check=True)
    rebuilt = svgsafe.sanitise(SNEAKY.encode("utf-8"), "drawing.svg")
    texts = []
    epub_file = out / SAMPLE_SLUG / "en-GB" / f"{SAMPLE_SLUG}.en-GB.epub"
    with zipfile.ZipFile(epub_file) as package:
        svgs = {n: package.read(n) for n in package.namelist() if n.endswith(".svg")}
        texts += [package.read(n).decode("utf-8", "replace") for n in package.namelist()]
    assert rebuilt in svgs.values(), "the drawing is not in the EPUB as rebuilt"
    checked = subprocess.run([str(Path(sys.executable).parent / "epubcheck"), str(epub_file)],
                             capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    page = (out / SAMPLE_SLUG / "en-GB" / f"{SAMPLE_SLUG}.en-GB.html").read_text("utf-8")
    texts.append(page)
    embedded = [base64.b64decode(d) for d in re.findall(r"data:image/svg\+xml;base64,([^\"']+)",
                                                        page)]
    assert rebuilt in embedded, "the drawing is not in the web page as rebuilt"
    texts += [d.decode("utf-8") for d in embedded]
    for content in texts:
        assert EVIL not in content
        assert urls_outside(content) == []
