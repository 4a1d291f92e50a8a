"""Pictures for Word: read through the asset resolver, SVG drawn to PNG at print resolution.

python-docx refuses SVG, and Word's own SVG support needs a PNG fallback
anyway, so SVG pictures (the easy read pictograms) are rasterised with
cairosvg at 300 dpi of the size they are printed at.  cairosvg's default
(``unsafe=False``) fetches nothing an SVG refers to outside itself.
"""

from __future__ import annotations

import functools
import io

import cairosvg
from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image
from docx.shared import Emu, Twips

from leaflet.errors import LeafletError
from leaflet.model import Figure

from ..options import Assets

PRINT_DPI = 300
CSS_DPI = 96  # an SVG's own width and height are CSS pixels


def load(assets: Assets | None, figure: Figure, max_width_twips: int,
         fill: bool) -> tuple[io.BytesIO, Emu]:
    """The picture's bytes for Word and its printed width: as wide as
    ``max_width_twips`` when ``fill``, else its natural size up to that."""
    if assets is None:
        raise LeafletError(figure.path, figure.line, f"picture '{figure.src}': no pictures "
                           "can be read here")
    try:
        data = assets.read(figure.src)
        media_type = assets.media_type(figure.src)
    except LeafletError as exc:
        raise LeafletError(figure.path, figure.line, exc.problems[0].message) from None
    max_width = Twips(max_width_twips)
    if media_type == "image/svg+xml":
        return _svg(data, figure, max_width, fill)
    try:
        natural = Image.from_blob(data).width
    except (UnrecognizedImageError, ValueError, OSError, IndexError) as exc:
        raise LeafletError(figure.path, figure.line, f"picture '{figure.src}' could not be "
                           f"read ({type(exc).__name__})") from None
    width = max_width if fill else min(natural, max_width)
    return io.BytesIO(data), Emu(int(width))


def _svg(data: bytes, figure: Figure, max_width: int, fill: bool) -> tuple[io.BytesIO, Emu]:
    try:
        if fill:
            width = max_width
        else:
            natural_px = Image.from_blob(_rasterise(data, 0)).px_width
            width = min(Emu(int(natural_px / CSS_DPI * 914400)), max_width)
        png = _rasterise(data, round(width / 914400 * PRINT_DPI))
    except Exception as exc:  # cairosvg raises many kinds for a bad file
        raise LeafletError(figure.path, figure.line, f"picture '{figure.src}' could not be "
                           f"drawn ({type(exc).__name__}: {exc})") from None
    return io.BytesIO(png), Emu(int(width))


@functools.lru_cache(maxsize=64)
def _rasterise(data: bytes, width_px: int) -> bytes:
    """An SVG as PNG, ``width_px`` wide (0: its own size); the height keeps
    its proportions.  Cached: an easy read leaflet repeats its pictograms."""
    return cairosvg.svg2png(bytestring=data, output_width=width_px or None)


LOGO_MAX_WIDTH_TWIPS = 2880  # 2 inches: a letterhead's logo, not a picture to read
THEME_FILE = "theme/theme.yaml"  # as messages name it, relative to the library


def logo(assets: Assets | None, theme) -> tuple[io.BytesIO, Emu, str] | None:
    """The theme's logo for the title block, its printed width and its alt text; None when
    the theme has no logo.  A logo that cannot be read is the theme's problem, said so."""
    if not theme.logo or not theme.folder or assets is None:
        return None
    figure = Figure(src=theme.file(theme.logo), alt=theme.logo_alt, path=THEME_FILE)
    try:
        image, width = load(assets, figure, LOGO_MAX_WIDTH_TWIPS, fill=False)
    except LeafletError as exc:
        raise LeafletError(THEME_FILE, None, exc.problems[0].message) from None
    return image, width, theme.logo_alt
