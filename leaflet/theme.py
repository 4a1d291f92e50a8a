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

from . import config, svgsafe
from .config import Field, Invalid, Table
from .errors import LeafletError, Problem
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
    if not path.is_file():
        return Theme(folder=str(folder))
    # anchors and aliases are refused, so a "billion laughs" theme cannot hang the build
    rel = relative(path, root)
    text = config.file_text(path, rel, "the theme file")
    values = config.read_text(text, rel, TABLE, "the theme file", folder)
    colours, fonts, logo = values["colours"], values["fonts"], values["logo"]
    return Theme(colours=tuple(colours.items()), body_font=fonts["body"],
                 heading_font=fonts["headings"], logo=logo["file"], logo_alt=logo["alt"],
                 css=values["css"], templates=values["templates"],
                 folder=str(folder.resolve()))


def problems(folder: Path, root: Path) -> list[Problem]:
    """Everything ``load`` would refuse, and what is wrong with the templates, for
    ``leaflet check``."""
    try:
        return template_problems(load(folder, root), root)
    except LeafletError as exc:
        return list(exc.problems)


# The field table ----------------------------------------------------------------------

def _colour(value: str, _reading: config.Reading, at: tuple) -> str:
    if not HEX_RE.match(value.strip()):
        raise Invalid(COLOUR_MESSAGE.format(name=at[-1]))
    return _expand(value.strip())


def _contrasts(colours: dict, reading: config.Reading, at: tuple) -> None:
    for front, back, minimum in CONTRAST_PAIRS:
        ratio = contrast(colours[front], colours[back])
        if ratio < minimum:
            where = at + (front,) if at + (front,) in reading.lines else at + (back,)
            reading.error(where, f"colour '{front}' {colours[front]} is too faint on "
                          f"'{back}' {colours[back]}: contrast {ratio:.1f}:1, at least "
                          f"{minimum:g}:1 is needed")


def _font(value: str, _reading: config.Reading, at: tuple) -> str:
    if not FONT_RE.match(value.strip()):
        raise Invalid(FONT_MESSAGE.format(name=at[-1]))
    return value.strip()


def _logo(logo: dict, reading: config.Reading, at: tuple) -> None:
    if not logo["file"]:
        return
    folder = reading.folder
    name = logo["file"] = logo["file"].strip()
    logo["alt"] = logo["alt"].strip()
    _check_file(folder, name, LOGO_TYPES, "logo", reading, at + ("file",))
    for why in svgsafe.file_problems(folder / name, folder):
        reading.error(at + ("file",), f"the logo '{name}' cannot be used: {why}")
    if not logo["alt"]:
        reading.error(at, "the logo has no alt text: add 'alt:' with what the logo says, "
                      "usually the organisation's name")


def _css(value: str | list, reading: config.Reading, at: tuple) -> tuple[str, ...]:
    names = [value] if isinstance(value, str) else value
    if not all(isinstance(name, str) for name in names):
        raise Invalid(CSS_MESSAGE)
    folder = reading.folder
    for name in names:
        _check_file(folder, name, (".css",), "CSS file", reading, at)
        target = (folder / name).resolve()
        if target.is_relative_to(folder.resolve()) and target.is_file() \
                and target.stat().st_size > MAX_CSS_BYTES:
            reading.error(at, f"the CSS file '{name}' is {target.stat().st_size // 1000:,} KB; "
                          f"a theme's CSS must be under {MAX_CSS_BYTES // 1000} KB")
    return tuple(name.strip() for name in names)


def _templates(value: str, reading: config.Reading, _at: tuple) -> str:
    target = (reading.folder / value).resolve()
    if value and (not target.is_relative_to(reading.folder.resolve()) or not target.is_dir()):
        raise Invalid(TEMPLATES_MESSAGE.format(value=value))
    return value


COLOUR_MESSAGE = "colour '{name}' must be written as \"#rrggbb\" in quotes"
FONT_MESSAGE = "font '{name}' must be a font family name: letters, digits, spaces and hyphens"
LOGO_MESSAGE = ("'logo' needs 'file:' (an SVG or PNG in theme/) and 'alt:' (what the logo "
                "says)")
CSS_MESSAGE = "'css' must name a CSS file in theme/, or a list of them"
TEMPLATES_MESSAGE = "'templates' must name a folder inside theme/ ('{value}' is not one)"

COLOURS = Table(
    fields={name: Field(f"the {name} colour, \"#rrggbb\"", kind=str, default=default,
                        check=_colour, message=COLOUR_MESSAGE)
            for name, default in DEFAULT_COLOURS.items()},
    unknown="unknown colour '{key}' (colours: {known})",
    shape="'colours' must be a list of 'name: \"#rrggbb\"'",
    check=_contrasts,
)
FONTS = Table(
    fields={name: Field(f"the {name} font family", kind=str, default=DEFAULT_FONT,
                        check=_font, message=FONT_MESSAGE)
            for name in ("body", "headings")},
    unknown="unknown font setting '{key}' (fonts: {known})",
    shape="'fonts' must give 'body:' and 'headings:' font names",
)
LOGO = Table(
    fields={"file": Field("an SVG or PNG file in theme/", kind=str, default="", required=True,
                          message=LOGO_MESSAGE),
            "alt": Field("what the logo says, usually the organisation's name",
                         kind=(str, int, float), default="", check=lambda v, _r, _a: str(v))},
    unknown="unknown logo setting '{key}' (logo: {known})",
    shape=LOGO_MESSAGE,
    check=_logo,
)
TABLE = Table(
    fields={
        "colours": Field("the colours of text, headings, links, borders and boxes",
                         table=COLOURS, default=dict(DEFAULT_COLOURS)),
        "fonts": Field("the font families of body text and headings", table=FONTS,
                       default=FONTS.defaults()),
        "logo": Field("the logo printed at the top: 'file:' and 'alt:'", table=LOGO,
                      default={"file": "", "alt": ""}),
        "css": Field("a CSS file in theme/, or a list of them", kind=(str, list), default=(),
                     check=_css, message=CSS_MESSAGE),
        "templates": Field("a folder in theme/ of template overrides", kind=str, default="",
                           check=_templates, message=TEMPLATES_MESSAGE),
    },
    unknown="unknown theme setting '{key}' (settings: {known})",
    shape="the theme file must be settings written as 'name: value' lines ({known}), "
          "not {what}",
)
KNOWN_KEYS = tuple(TABLE.fields)


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


def _check_file(folder: Path, name: str, suffixes: tuple[str, ...], what: str,
                reading: config.Reading, at: tuple) -> None:
    target = (folder / name).resolve()
    if not target.is_relative_to(folder.resolve()):
        reading.error(at, f"the {what} '{name}' is outside theme/; only files inside "
                      "theme/ can be used")
    elif target.suffix.lower() not in suffixes:
        reading.error(at, f"the {what} '{name}' must be a {' or '.join(suffixes)} file")
    elif not target.is_file():
        reading.error(at, f"the {what} '{name}' does not exist in theme/")
