"""A library's look: its theme.yaml (colours, fonts, logo, CSS and template overrides), checked.

The theme is read once by the builder and handed to writers in their options;
writers read the logo and CSS files through ``options.assets``, never here.
Colours that carry text are refused when they are too faint against the
background they sit on (WCAG 1.4.3: 4.5:1), borders when below 3:1 (1.4.11).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import jinja2.nodes
import jinja2.sandbox

from . import svgsafe, yamlsafe
from .errors import Collector, LeafletError, Problem
from .files import relative, stamp

THEME_FILE = "theme.yaml"
LOGO_TYPES = (".svg", ".png", ".jpg", ".jpeg")
# A theme's CSS is a few kilobytes; WeasyPrint takes minutes over tens of megabytes.
MAX_CSS_BYTES = 500_000
TEXT_CONTRAST = 4.5
BORDER_CONTRAST = 3.0

DEFAULT_COLOURS = {
    "text": "#1a1a1a",
    "background": "#ffffff",
    "heading": "#1a1a1a",
    "link": "#1a1a1a",
    "accent": "#4d4d4d",
    "callout-background": "#f2f2f2",
    "urgent": "#a00000",
}
# Which colours sit on which: (foreground, background, minimum ratio).
CONTRAST_PAIRS = (
    ("text", "background", TEXT_CONTRAST),
    ("heading", "background", TEXT_CONTRAST),
    ("link", "background", TEXT_CONTRAST),
    ("urgent", "background", TEXT_CONTRAST),
    ("text", "callout-background", TEXT_CONTRAST),
    ("link", "callout-background", TEXT_CONTRAST),
    ("urgent", "callout-background", TEXT_CONTRAST),
    ("accent", "background", BORDER_CONTRAST),
)
DEFAULT_FONT = "Noto Sans"
KNOWN_KEYS = ("colours", "fonts", "logo", "css", "templates")
HEX_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
FONT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]{0,60}$")


@dataclass(frozen=True)
class Theme:
    """The checked theme.  File names are relative to ``folder``, which is left
    out of ``repr`` so that a build's cache key does not depend on where the
    library lives."""

    colours: tuple[tuple[str, str], ...] = tuple(DEFAULT_COLOURS.items())
    body_font: str = DEFAULT_FONT
    heading_font: str = DEFAULT_FONT
    logo: str = ""
    logo_alt: str = ""
    css: tuple[str, ...] = ()
    templates: str = ""
    folder: str = field(default="", repr=False, compare=False)

    def colour(self, name: str) -> str:
        return dict(self.colours)[name]

    def file(self, name: str) -> str:
        """A theme file's absolute path, for ``options.assets``."""
        return str(Path(self.folder) / name)


_LOADED: dict[tuple[str, str], tuple[tuple, Theme]] = {}


def load(folder: Path, root: Path) -> Theme:
    """The library's theme, or the neutral default when it has none; read once per process
    while theme.yaml and the files it names stay as they are."""
    key = (str(folder), str(root))
    cached = _LOADED.get(key)
    if cached is not None and cached[0] == _stamp(folder, cached[1]):
        return cached[1]
    theme = _load(folder, root)
    _LOADED[key] = (_stamp(folder, theme), theme)
    return theme


def _stamp(folder: Path, theme: Theme) -> tuple:
    named = [theme.logo, *theme.css, theme.templates]
    return stamp(folder, folder / THEME_FILE, *(folder / name for name in named if name))


def _load(folder: Path, root: Path) -> Theme:
    if not folder.is_dir():
        return Theme()
    path = folder / THEME_FILE
    rel = relative(path, root)
    if not path.is_file():
        return Theme(folder=str(folder))
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        raise LeafletError(rel, None, "the theme file is not UTF-8 text")
    # anchors and aliases are refused, so a "billion laughs" theme cannot hang the build
    document, data = yamlsafe.load(text.lstrip("\ufeff"), rel, subject="the theme file")
    if data is None:
        return Theme(folder=str(folder))
    if not isinstance(data, dict):
        what = "a list" if isinstance(data, list) else "plain text"
        raise LeafletError(rel, document.start_mark.line + 1,
                           f"the theme file must be settings written as 'name: value' lines "
                           f"({', '.join(KNOWN_KEYS)}), not {what}")
    lines = yamlsafe.key_lines(document)
    problems = Collector()

    def where(*keys: str) -> int | None:
        for depth in range(len(keys), 0, -1):
            if keys[:depth] in lines:
                return lines[keys[:depth]]
        return 1

    for key in data:
        if key not in KNOWN_KEYS:
            problems.error(rel, where(str(key)), f"unknown theme setting '{key}' "
                           f"(settings: {', '.join(KNOWN_KEYS)})")

    colours = dict(DEFAULT_COLOURS)
    given = data.get("colours") or {}
    if not isinstance(given, dict):
        problems.error(rel, where("colours"), "'colours' must be a list of 'name: \"#rrggbb\"'")
        given = {}
    for name, value in given.items():
        if name not in DEFAULT_COLOURS:
            problems.error(rel, where("colours", str(name)), f"unknown colour '{name}' "
                           f"(colours: {', '.join(DEFAULT_COLOURS)})")
        elif not isinstance(value, str) or not HEX_RE.match(value.strip()):
            problems.error(rel, where("colours", str(name)), f"colour '{name}' must be written "
                           "as \"#rrggbb\" in quotes")
        else:
            colours[name] = _expand(value.strip())
    for front, back, minimum in CONTRAST_PAIRS:
        ratio = contrast(colours[front], colours[back])
        if ratio < minimum:
            line = where("colours", front) if front in given else where("colours", back)
            problems.error(rel, line, f"colour '{front}' {colours[front]} is too faint on "
                           f"'{back}' {colours[back]}: contrast {ratio:.1f}:1, at least "
                           f"{minimum:g}:1 is needed")

    fonts = data.get("fonts") or {}
    if not isinstance(fonts, dict):
        problems.error(rel, where("fonts"), "'fonts' must give 'body:' and 'headings:' font names")
        fonts = {}
    chosen = {}
    for name in ("body", "headings"):
        value = fonts.get(name, DEFAULT_FONT)
        if not isinstance(value, str) or not FONT_RE.match(value.strip()):
            problems.error(rel, where("fonts", name), f"font '{name}' must be a font family "
                           "name: letters, digits, spaces and hyphens")
            value = DEFAULT_FONT
        chosen[name] = value.strip()
    for name in fonts:
        if name not in ("body", "headings"):
            problems.error(rel, where("fonts", str(name)), f"unknown font setting '{name}' "
                           "(fonts: body, headings)")

    logo, logo_alt = "", ""
    given_logo = data.get("logo")
    if given_logo is not None:
        if not isinstance(given_logo, dict) or not isinstance(given_logo.get("file"), str):
            problems.error(rel, where("logo"), "'logo' needs 'file:' (an SVG or PNG in theme/) "
                           "and 'alt:' (what the logo says)")
        else:
            logo = given_logo["file"].strip()
            logo_alt = str(given_logo.get("alt") or "").strip()
            _check_file(folder, logo, LOGO_TYPES, "logo", rel, where("logo", "file"), problems)
            for why in svgsafe.file_problems(folder / logo, folder):
                problems.error(rel, where("logo", "file"),
                               f"the logo '{logo}' cannot be used: {why}")
            if not logo_alt:
                problems.error(rel, where("logo"), "the logo has no alt text: add 'alt:' with "
                               "what the logo says, usually the organisation's name")

    css = data.get("css") or []
    if isinstance(css, str):
        css = [css]
    if not isinstance(css, list) or not all(isinstance(c, str) for c in css):
        problems.error(rel, where("css"), "'css' must name a CSS file in theme/, or a list of them")
        css = []
    for name in css:
        _check_file(folder, name, (".css",), "CSS file", rel, where("css"), problems)
        target = (folder / name).resolve()
        if target.is_relative_to(folder.resolve()) and target.is_file() \
                and target.stat().st_size > MAX_CSS_BYTES:
            problems.error(rel, where("css"), f"the CSS file '{name}' is "
                           f"{target.stat().st_size // 1000:,} KB; a theme's CSS must be "
                           f"under {MAX_CSS_BYTES // 1000} KB")

    templates = data.get("templates") or ""
    if templates:
        target = (folder / str(templates)).resolve()
        if not isinstance(templates, str) or not target.is_relative_to(folder.resolve()) \
                or not target.is_dir():
            problems.error(rel, where("templates"), f"'templates' must name a folder inside "
                           f"theme/ ('{templates}' is not one)")
            templates = ""

    problems.raise_errors()
    return Theme(colours=tuple(colours.items()), body_font=chosen["body"],
                 heading_font=chosen["headings"], logo=logo, logo_alt=logo_alt,
                 css=tuple(c.strip() for c in css), templates=str(templates),
                 folder=str(folder.resolve()))


def template_problems(theme: Theme, root: Path) -> list[Problem]:
    """What is wrong with a theme's template overrides, found without rendering:
    a file that is a link out of theme/, text that is not UTF-8, a template Jinja
    cannot read, or one that reaches for a value's hidden attributes ("_..."),
    the way out of the sandbox the templates render in."""
    if not theme.templates or not theme.folder:
        return []
    folder = Path(theme.folder) / theme.templates
    inside = Path(theme.folder).resolve()
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(extensions=["jinja2.ext.i18n"])
    problems = []
    for path in sorted(folder.rglob("*")):
        rel = relative(path, root)
        if not path.resolve().is_relative_to(inside):
            problems.append(Problem(rel, None, "the template is a link to a file outside "
                                    "theme/; only files inside theme/ are used"))
            continue
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            problems.append(Problem(rel, None, "the template is not UTF-8 text"))
            continue
        try:
            tree = env.parse(text)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(Problem(rel, exc.lineno, f"the template cannot be read "
                                    f"({exc.message})"))
            continue
        for node in tree.find_all((jinja2.nodes.Getattr, jinja2.nodes.Getitem)):
            name = node.attr if isinstance(node, jinja2.nodes.Getattr) else \
                getattr(node.arg, "value", None)
            if isinstance(name, str) and name.startswith("_"):
                problems.append(Problem(rel, node.lineno, f"the template reads '{name}', a "
                                        "hidden attribute templates may not use; a theme "
                                        "template can only show the values it is given"))
    return problems


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two "#rrggbb" colours, 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _expand(colour: str) -> str:
    colour = colour.lower()
    if len(colour) == 4:
        colour = "#" + "".join(c * 2 for c in colour[1:])
    return colour


def _check_file(folder: Path, name: str, suffixes: tuple[str, ...], what: str, rel: str,
                line: int | None, problems: Collector) -> None:
    target = (folder / name).resolve()
    if not target.is_relative_to(folder.resolve()):
        problems.error(rel, line, f"the {what} '{name}' is outside theme/; only files inside "
                       "theme/ can be used")
    elif target.suffix.lower() not in suffixes:
        problems.error(rel, line, f"the {what} '{name}' must be a {' or '.join(suffixes)} file")
    elif not target.is_file():
        problems.error(rel, line, f"the {what} '{name}' does not exist in theme/")
