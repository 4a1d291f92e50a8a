"""Attacks on the library's inputs: each must be refused with file:line, never obeyed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE_SLUG, run_leaflet


def themed_library(sample_library: Path, target: Path, templates: dict[str, str]) -> Path:
    """The sample with a theme whose template folder holds ``templates``."""
    shutil.copytree(sample_library, target)
    folder = target / "theme" / "tpl"
    folder.mkdir()
    for name, text in templates.items():
        (folder / name).write_text(text, encoding="utf-8")
    with (target / "theme" / "theme.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\ntemplates: tpl\n")
    return target


CODE_RUNNING = {
    "globals": "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "class walk": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "attr filter": "{{ lipsum|attr('__globals__') }}",
    "mutation": "{% set x = [] %}{{ x.append(1) }}",
}


@pytest.mark.parametrize("payload", CODE_RUNNING.values(), ids=CODE_RUNNING.keys())
def test_a_theme_template_cannot_run_code(sample_library, tmp_path, payload):
    body = (Path(__file__).resolve().parent.parent / "formats" / "templates" / "body.html")
    original = body.read_text(encoding="utf-8")
    root = themed_library(sample_library, tmp_path / "lib",
                          {"body.html": "{# hospital #}\n" + payload + "\n" + original})
    out = tmp_path / "out"
    result = run_leaflet("build", "-f", "html", "-l", "en-GB", "-o", str(out), cwd=root)
    assert result.returncode == 1
    assert "uid=" not in result.stdout + result.stderr
    assert "theme/tpl/body.html:2:" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    page = out / SAMPLE_SLUG / "en-GB" / f"{SAMPLE_SLUG}.en-GB.html"
    assert not page.exists() or "uid=" not in page.read_text(encoding="utf-8")


def test_check_refuses_a_theme_template_that_reaches_for_hidden_attributes(sample_library,
                                                                             tmp_path):
    root = themed_library(sample_library, tmp_path / "lib",
                          {"body.html": "<p>\n{{ lipsum.__globals__ }}</p>\n"})
    result = run_leaflet("check", cwd=root)
    assert result.returncode == 1
    assert "theme/tpl/body.html:2: the template reads '__globals__'" in result.stderr


def test_check_reports_a_broken_theme_template_with_its_line(sample_library, tmp_path):
    root = themed_library(sample_library, tmp_path / "lib", {"body.html": "<p>\n{% if %}\n"})
    result = run_leaflet("check", cwd=root)
    assert result.returncode == 1
    assert "theme/tpl/body.html:2: the template cannot be read" in result.stderr


def test_a_theme_template_linked_outside_the_theme_is_never_read(sample_library, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:SECRET-LINE\n", encoding="utf-8")
    root = themed_library(sample_library, tmp_path / "lib",
                          {"body.html": "{% include 'x.html' %}\n"})
    (root / "theme" / "tpl" / "x.html").symlink_to(secret)
    checked = run_leaflet("check", cwd=root)
    assert checked.returncode == 1
    assert "theme/tpl/x.html: the template is a link to a file outside theme/" in checked.stderr
    out = tmp_path / "out"
    result = run_leaflet("build", "-f", "html", "-f", "epub", "-l", "en-GB", "-o", str(out),
                         cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "theme/tpl/x.html: the template is a link" in result.stderr
    assert "SECRET-LINE" not in result.stdout + result.stderr
    assert not any("SECRET-LINE".encode() in p.read_bytes() for p in out.rglob("*") if p.is_file())


def test_a_harmless_theme_template_override_still_works(sample_library, tmp_path):
    body = (Path(__file__).resolve().parent.parent / "formats" / "templates" / "body.html")
    root = themed_library(sample_library, tmp_path / "lib",
                          {"body.html": "<p>HOSPITAL-OVERRIDE {{ meta.title }}</p>\n"
                           + body.read_text(encoding="utf-8")})
    assert run_leaflet("check", cwd=root).returncode == 0
    out = tmp_path / "out"
    run_leaflet("build", "-f", "html", "-l", "en-GB", "-o", str(out), cwd=root, check=True)
    page = (out / SAMPLE_SLUG / "en-GB" / f"{SAMPLE_SLUG}.en-GB.html").read_text(encoding="utf-8")
    assert "HOSPITAL-OVERRIDE Secondary breast cancer" in page
