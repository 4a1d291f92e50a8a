"""Attacks on the library's inputs: each must be refused with file:line, never obeyed."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from conftest import SAMPLE_SLUG, cpu_seconds, run_leaflet


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


# --- hangs: each input is refused in seconds (of processor time), at its file's line -----

def timed(*args: str, cwd: Path) -> tuple[float, object]:
    start = cpu_seconds()
    result = run_leaflet(*args, cwd=cwd)
    return cpu_seconds() - start, result


def test_a_300000_letter_msgstr_is_refused_at_its_line_in_seconds(sample_library, tmp_path):
    root = tmp_path / "lib"
    shutil.copytree(sample_library, root)
    catalog = root / "locales" / "pl" / f"{SAMPLE_SLUG}.po"
    lines = catalog.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith('msgstr "') and
                  line != 'msgstr ""')
    lines[number] = 'msgstr "' + "a" * 300_000 + '"'
    catalog.write_text("\n".join(lines), encoding="utf-8")
    where = f"locales/pl/{SAMPLE_SLUG}.po:{number + 1}: this translation is 300,000 characters"
    for args in (("check",), ("build", "-l", "pl", "-f", "brf", "-f", "text", "-e", "standard",
                              "-o", str(tmp_path / "out"))):
        seconds, result = timed(*args, cwd=root)
        assert result.returncode == 1, result.stdout + result.stderr
        assert where in result.stderr, result.stderr
        assert seconds < 20, f"leaflet {args[0]} took {seconds:.0f} s"
    assert not list((tmp_path / "out").rglob("*.pl.brf"))


def test_a_long_word_in_a_source_does_not_make_the_address_recognisers_quadratic():
    # braille, audio and the importers take addresses from the source's one recogniser
    from leaflet.source import emails, recognise
    from leaflet.source.inlines import WEB_RE
    word = "a" * 200_000 + " write to ward.7@nhs.net"
    start = time.process_time()
    found = emails.addresses(word)
    assert not list(WEB_RE.finditer("a." * 100_000 + "a"))
    assert [node.address for node in recognise(word) if hasattr(node, "address")] == found
    assert time.process_time() - start < 1
    assert found == ["ward.7@nhs.net"]


def test_an_alias_bomb_in_reviews_yaml_is_refused_fast(sample_library, tmp_path):
    root = tmp_path / "lib"
    shutil.copytree(sample_library, root)
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 8)]
    (root / "locales" / "pl" / "reviews.yaml").write_text("\n".join(levels) + "\n",
                                                          encoding="utf-8")
    seconds, result = timed("build", "-l", "pl", "-f", "text", "-e", "standard",
                            "-o", str(tmp_path / "out"), cwd=root)
    assert result.returncode == 1
    assert "locales/pl/reviews.yaml:1: not valid YAML" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert seconds < 20


def test_a_huge_theme_css_file_is_refused_at_theme_yamls_line(sample_library, tmp_path):
    root = tmp_path / "lib"
    shutil.copytree(sample_library, root)
    (root / "theme" / "big.css").write_text("p { color: #111; }\n" * 300_000, encoding="utf-8")
    theme_yaml = root / "theme" / "theme.yaml"
    text = theme_yaml.read_text(encoding="utf-8").rstrip("\n") + "\ncss: big.css\n"
    theme_yaml.write_text(text, encoding="utf-8")
    line = text.count("\n")
    for args in (("check",), ("build", "-l", "en-GB", "-f", "pdf", "-e", "standard",
                              "-o", str(tmp_path / "out"))):
        seconds, result = timed(*args, cwd=root)
        assert result.returncode == 1
        assert f"theme/theme.yaml:{line}: the CSS file 'big.css' is 5,700 KB" in result.stderr, \
            result.stderr
        assert seconds < 20


def test_a_huge_front_matter_field_is_refused_at_its_line(sample_library, tmp_path):
    root = tmp_path / "lib"
    shutil.copytree(sample_library, root)
    source = root / "leaflet_src" / SAMPLE_SLUG / "leaflet.md"
    lines = source.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("subtitle:"))
    lines[number] = "subtitle: " + "word " * 60_000
    source.write_text("\n".join(lines), encoding="utf-8")
    seconds, result = timed("check", cwd=root)
    assert result.returncode == 1
    assert f"leaflet_src/{SAMPLE_SLUG}/leaflet.md:{number + 1}: 'subtitle' is" in result.stderr
    assert seconds < 20


# --- symlinks: nothing outside the library is read, nothing outside the output written ---

def linked_library(sample_library: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The sample with each kind of link out of it: a leaflet folder, a leaflet.md, a
    catalog and a language folder, all leading to copies in ``outside/``."""
    root, outside = tmp_path / "lib", tmp_path / "outside"
    shutil.copytree(sample_library, root)
    outside.mkdir()
    shutil.copytree(root / "leaflet_src" / SAMPLE_SLUG, outside / "evil")
    (root / "leaflet_src" / "evil").symlink_to(outside / "evil")
    (root / "leaflet_src" / "t2").mkdir()
    shutil.copy(outside / "evil" / "leaflet.md", outside / "t2.md")
    (root / "leaflet_src" / "t2" / "leaflet.md").symlink_to(outside / "t2.md")
    catalog = root / "locales" / "pl" / f"{SAMPLE_SLUG}.po"
    shutil.move(catalog, outside / "t.po")
    catalog.symlink_to(outside / "t.po")
    shutil.move(root / "locales" / "bn", outside / "bn")
    (root / "locales" / "bn").symlink_to(outside / "bn")
    return root, outside


LINK_WARNINGS = (
    "leaflet_src/evil: warning: is a link to a folder outside leaflet_src/; it is ignored",
    "leaflet_src/t2: warning: leaflet.md is a link to a file outside its folder; it is ignored",
    "locales/bn: warning: is a link to a folder outside locales/; it is ignored",
    f"locales/pl/{SAMPLE_SLUG}.po: warning: is a link to a file outside its folder; it is "
    "ignored",
)


def test_links_out_of_the_library_are_ignored_with_a_warning_everywhere(sample_library,
                                                                       tmp_path):
    root, outside = linked_library(sample_library, tmp_path)
    listed = run_leaflet("list", cwd=root)
    assert listed.returncode == 0
    assert "evil" not in listed.stdout and "t2" not in listed.stdout
    assert "bn" not in listed.stdout and "pl (draft)" not in listed.stdout.split("\n")[1]
    checked = run_leaflet("check", cwd=root)
    out = tmp_path / "out"
    built = run_leaflet("build", "-f", "text", "-e", "standard", "-o", str(out), cwd=root)
    for result in (listed, checked, built):
        for warning in LINK_WARNINGS:
            assert warning in result.stderr, result.stderr
        assert str(outside) not in result.stderr
    assert built.returncode == 0
    langs = {p.name for p in (out / SAMPLE_SLUG).iterdir()}
    assert langs == {"en-GB", "ar"}
    assert {p.name for p in out.iterdir() if p.is_dir() and p.name != ".cache"} == {SAMPLE_SLUG}


@pytest.mark.parametrize("args, message", [
    (("check", "evil"), "leaflet_src/evil: is a link to a folder outside leaflet_src/; it "
     "cannot be used"),
    (("check", "leaflet_src/evil"), "leaflet_src/evil: is a link to a folder outside"),
    (("build", "t2", "-f", "text"), "leaflet_src/t2: leaflet.md is a link to a file outside "
     "its folder; it cannot be used"),
    (("update", "-l", "pl"), f"locales/pl/{SAMPLE_SLUG}.po: is a link to a file outside its "
     "folder; it cannot be used"),
    (("update", "-l", "bn"), "locales/bn: is a link to a folder outside locales/; it cannot "
     "be used"),
])
def test_naming_a_link_out_on_the_command_line_is_refused(sample_library, tmp_path, args,
                                                          message):
    root, outside = linked_library(sample_library, tmp_path)
    before = (outside / "t.po").read_bytes()
    result = run_leaflet(*args, cwd=root)
    assert result.returncode == 1
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert (outside / "t.po").read_bytes() == before


def test_checking_a_file_in_another_library_does_not_check_this_ones(sample_library, tmp_path):
    root = tmp_path / "lib"
    shutil.copytree(sample_library, root)
    other = tmp_path / "outside" / "lib"
    shutil.copytree(sample_library, other)
    named = other / "leaflet_src" / SAMPLE_SLUG / "leaflet.md"
    result = run_leaflet("check", str(named), cwd=root)
    assert result.returncode == 1
    assert f"{named}: the leaflet folder must be inside leaflet_src/" in result.stderr
    assert "no problems found" not in result.stdout


def test_a_link_in_the_output_folder_is_never_written_through(sample_library, tmp_path):
    root = tmp_path / "lib"
    shutil.copytree(sample_library, root)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / SAMPLE_SLUG).symlink_to(elsewhere)
    result = run_leaflet("build", "-f", "text", "-e", "standard", "-l", "en-GB", "-o", str(out),
                         cwd=root)
    assert result.returncode == 1
    assert f"{SAMPLE_SLUG}/en-GB/{SAMPLE_SLUG}.en-GB.txt: a folder on the way is a link out " \
        "of the output folder" in result.stderr, result.stderr
    assert list(elsewhere.rglob("*")) == []


# --- roots and output folders that cannot be used: one line, naming what failed ---------

@pytest.mark.parametrize("root", ["/dev/null", "missing"])
def test_a_root_that_is_no_folder_is_a_one_line_error_and_nothing_is_made(tmp_path, root):
    named = root if root.startswith("/") else str(tmp_path / root)
    for args in (("check",), ("build", "-f", "text"), ("new", "abc")):
        result = run_leaflet("--root", named, *args, cwd=tmp_path)
        assert result.returncode == 1
        assert result.stderr.startswith(f"{named}: --root must name an existing folder"), \
            result.stderr
        assert "internal error" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "missing").exists()


def test_building_in_proc_self_is_a_one_line_error():
    result = run_leaflet("--root", "/proc/self", "build", "-f", "text")
    assert result.returncode == 1
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert "the output folder cannot be made" in result.stderr, result.stderr


def test_an_output_folder_that_cannot_be_written_is_named(sample_library, tmp_path):
    import os
    root = tmp_path / "lib"
    shutil.copytree(sample_library, root)
    args = ("build", "-f", "text", "-e", "standard", "-l", "en-GB", "-o")
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    read_only.chmod(0o555)
    if not os.access(read_only, os.W_OK):  # root may write anywhere: chmod proves nothing
        result = run_leaflet(*args, str(read_only / "out"), cwd=root)
        assert result.returncode == 1
        assert "read-only" in result.stderr and "internal error" not in result.stderr
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder\n", encoding="utf-8")
    result = run_leaflet(*args, str(a_file / "out"), cwd=root)
    assert result.returncode == 1
    assert f"{a_file / 'out'}: the output folder cannot be made (Not a directory)" \
        in result.stderr, result.stderr
    out = tmp_path / "out"
    out.mkdir()
    (out / SAMPLE_SLUG).write_text("a file where a folder goes\n", encoding="utf-8")
    result = run_leaflet(*args, str(out), cwd=root)
    assert result.returncode == 1
    assert f"{SAMPLE_SLUG}/en-GB/{SAMPLE_SLUG}.en-GB.txt: cannot be written into the output " \
        "folder" in result.stderr, result.stderr
    assert "internal error" not in result.stderr


def test_an_unrelated_index_page_in_the_output_folder_is_not_overwritten(sample_library,
                                                                         tmp_path):
    root = tmp_path / "lib"
    shutil.copytree(sample_library, root)
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("<p>the hospital's own page</p>\n", encoding="utf-8")
    result = run_leaflet("build", "-f", "text", "-l", "en-GB", "-o", str(out), cwd=root)
    assert result.returncode == 1
    assert "index.html: is not a leaflet build's index page" in result.stderr, result.stderr
    assert (out / "index.html").read_text(encoding="utf-8") == "<p>the hospital's own page</p>\n"
    again = tmp_path / "ours"
    run_leaflet("build", "-f", "text", "-l", "en-GB", "-o", str(again), cwd=root, check=True)
    run_leaflet("build", "-f", "text", "-l", "en-GB", "-o", str(again), cwd=root, check=True)


def test_write_atomic_syncs_the_file_and_its_folder(tmp_path, monkeypatch):
    import os
    import stat
    from leaflet import files
    synced = []
    real = os.fsync

    def spy(descriptor):
        synced.append(stat.S_ISDIR(os.fstat(descriptor).st_mode))
        real(descriptor)

    monkeypatch.setattr(files.os, "fsync", spy)
    files.write_atomic(tmp_path / "a.txt", b"data")
    assert (tmp_path / "a.txt").read_bytes() == b"data"
    assert synced == [False, True]


# --- smaller: raw HTML, dangerous links, YAML slips, the tests' pseudo-language ----------

SMALLER = {
    "html in alt text": ("![A <b>bold</b> picture](pictogram:body)",
                         "HTML is not allowed in a picture's alt text"),
    "html in a picture title": ('![A picture](pictogram:body "see <i>this</i>")',
                                "HTML is not allowed in a picture's title"),
    "javascript link": ("See [x](javascript:alert(1)) now.", "link 'javascript:alert(1)' must"),
    "file link": ("See [x](file:///etc/passwd) now.", "link 'file:///etc/passwd' must"),
    "data link": ("See [x](data:text/html,hi) now.", "link 'data:text/html,hi' must"),
    "vbscript link": ("See [x](vbscript:msgbox) now.", "link 'vbscript:msgbox' must"),
    "mailto javascript": ("See [x](mailto:javascript:alert(1)) now.",
                          "link 'mailto:javascript:alert(1)' is not an e-mail address"),
}


@pytest.mark.parametrize("line, message", SMALLER.values(), ids=SMALLER.keys())
def test_raw_html_and_dangerous_links_are_refused_at_their_line(sample_library, tmp_path, line,
                                                                message):
    root = tmp_path / "lib"
    shutil.copytree(sample_library, root)
    source = root / "leaflet_src" / SAMPLE_SLUG / "leaflet.md"
    text = source.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + line + "\n"
    source.write_text(text, encoding="utf-8")
    result = run_leaflet("check", cwd=root)
    assert result.returncode == 1
    number = text.count("\n")
    assert f"leaflet_src/{SAMPLE_SLUG}/leaflet.md:{number}: {message}" in result.stderr, \
        result.stderr


FRONT = {
    "html in a field": ("title: Secondary <b>breast</b> cancer",
                        "HTML is not allowed in 'title'"),
    "title null": ("title: null", "'title: null' is empty to YAML"),
    "a key twice": ("title: Secondary breast cancer\ntitle: Something else",
                    "'title' is given twice"),
}


@pytest.mark.parametrize("field, message", FRONT.values(), ids=FRONT.keys())
def test_front_matter_slips_are_refused_at_their_line(sample_library, tmp_path, field, message):
    root = tmp_path / "lib"
    shutil.copytree(sample_library, root)
    source = root / "leaflet_src" / SAMPLE_SLUG / "leaflet.md"
    lines = source.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[number] = field
    source.write_text("\n".join(lines), encoding="utf-8")
    result = run_leaflet("check", cwd=root)
    assert result.returncode == 1
    line = number + 1 + field.count("\n")
    assert f"leaflet_src/{SAMPLE_SLUG}/leaflet.md:{line}: {message}" in result.stderr, \
        result.stderr


def test_a_pseudo_language_folder_is_no_language_outside_the_tests(sample_library, tmp_path):
    root = tmp_path / "lib"
    shutil.copytree(sample_library, root)
    shutil.copytree(root / "locales" / "pl", root / "locales" / "xx")
    out = tmp_path / "out"
    plain = {"LEAFLET_PSEUDO_LANGUAGE": ""}
    result = run_leaflet("build", "-f", "text", "-e", "standard", "-o", str(out), cwd=root,
                         env=plain)
    assert result.returncode == 0, result.stderr
    assert not (out / SAMPLE_SLUG / "xx").exists() and (out / SAMPLE_SLUG / "pl").is_dir()
    assert "xx" not in run_leaflet("list", cwd=root, env=plain).stdout
    switched = run_leaflet("build", "-f", "text", "-e", "standard", "-l", "xx",
                           "-o", str(tmp_path / "tests"), cwd=root)
    assert switched.returncode == 0, switched.stderr
