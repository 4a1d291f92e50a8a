"""Translations: gettext catalogs per leaflet (extract, merge, apply), coverage, sign-off,
and the tool's own words.

The parts, each a step a translation goes through: ``units`` (the one walk over what
is translatable), ``tokens`` (what a translation must keep), ``structure`` (the blocks,
sentences and bold negations it must keep), ``catalogs`` (PO files read, checked and
written, as GNU gettext writes them through ``pofile``), ``extract``, ``merge``,
``translate``, ``signoff`` (sign-offs and the reviewer's acceptances), ``coverage``,
``agencies`` (XLIFF and PO in and out, TMX of signed-off catalogs), ``review_page`` (the
page a checker reads before signing off), ``ui_words`` and ``update`` (a language's catalogs
brought up to date).
"""

from __future__ import annotations

from ..files import TOOL_LOCALES
from ..langs import PSEUDO_LANGUAGE
from ..langs import check as check_language
from ..langs import is_tag as is_language_folder
from . import tokens
from .catalogs import Catalog, CatalogCheck, check_catalog, plural_forms, read_catalog
from .coverage import Coverage, coverage, stats
from .extract import TEMPLATES, extract, template, template_path
from .merge import merge
from .signoff import (
    REVIEWS_FILE, is_draft, language_states, messages_hash, read_reviews, review, reviews_path,
)
from .translate import Translation, check_translations, translate
from .ui_words import UI_DOMAIN, extract_ui, placeholders, ui_template, ui_words
from .update import update
from .messages import KIND_NOTES, Message, Unit, messages, msgids, walk

__all__ = [
    "Catalog", "CatalogCheck", "Coverage", "KIND_NOTES", "Message", "PSEUDO_LANGUAGE",
    "REVIEWS_FILE", "TEMPLATES", "TOOL_LOCALES", "Translation", "UI_DOMAIN", "Unit",
    "check_catalog", "check_language", "check_translations", "coverage", "extract", "extract_ui",
    "is_draft", "is_language_folder", "language_states", "merge", "messages", "messages_hash", "msgids", "placeholders",
    "plural_forms", "read_catalog", "read_reviews", "review", "reviews_path", "stats",
    "template", "template_path", "tokens", "translate", "ui_template", "ui_words", "update",
    "walk",
]
