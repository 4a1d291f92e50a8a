"""Every walk over the model handles every node type: one visitor, no default.

A walker is a ``BlockVisitor`` or ``InlineVisitor`` subclass with a method per node type;
one that leaves a type out cannot be made, and a node of a type no visitor knows is an
error.  These tests list every walker in the tool and every node type of the model.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import formats
import leaflet
from leaflet import model

# The walks the tool makes over a leaflet's blocks, by module: each must be a visitor.
BLOCK_WALKERS = {
    "leaflet.i18n.messages": "_Units",            # messages: extraction and translation
    "leaflet.source.emit": "_Blocks",          # the emitter: importers, round trips
    "leaflet.easyread": "_Scaffold",           # the easy read scaffold
    "leaflet.changes": "_Units",               # the changes report for the approval group
    "formats.audio.script": "_Script",         # what the audio says
    "formats.braille.document": "_Writer",     # braille (BRF and PEF)
    "formats.text": "_TextWriter",             # plain text
    "formats.docx.blocks": "_Blocks",          # Word
    "leaflet.checks.plain": "_Texts",          # the plain-English checks
}
TEMPLATES = Path(formats.__file__).parent / "templates"


def every_module():
    for package in (leaflet, formats):
        yield package.__name__
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            yield info.name


def subclasses(base: type) -> set[type]:
    found, pending = set(), [base]
    while pending:
        for child in pending.pop().__subclasses__():
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


@pytest.fixture(scope="module")
def walkers():
    for name in every_module():
        importlib.import_module(name)
    return subclasses(model.BlockVisitor), subclasses(model.InlineVisitor)


def test_the_visitors_name_every_node_type_of_the_model():
    assert set(model.BLOCK_TYPES) == set(model._BLOCK_METHODS)
    assert set(model.INLINE_TYPES) == set(model._INLINE_METHODS)
    assert set(model._BLOCK_METHODS.values()) == model.BlockVisitor.__abstractmethods__
    assert set(model._INLINE_METHODS.values()) == model.InlineVisitor.__abstractmethods__


def test_every_walker_handles_every_node_type(walkers):
    block_walkers, inline_walkers = walkers
    assert len(block_walkers) >= len(BLOCK_WALKERS) and len(inline_walkers) >= 5
    for walker in block_walkers | inline_walkers:
        if walker.__module__.startswith(("leaflet", "formats")):
            assert not inspect.isabstract(walker), \
                f"{walker.__module__}.{walker.__name__} leaves out " \
                f"{sorted(walker.__abstractmethods__)}"


def test_every_walk_over_blocks_is_a_visitor(walkers):
    block_walkers, _ = walkers
    names = {(w.__module__, w.__name__) for w in block_walkers}
    missing = [f"{module}.{name}" for module, name in BLOCK_WALKERS.items()
               if (module, name) not in names]
    assert not missing, f"not a BlockVisitor: {missing}"


def test_a_node_no_visitor_knows_is_an_error_not_a_silent_drop():
    from leaflet.i18n.messages import walk

    class Unknown(model.Node):
        pass

    page = model.Leaflet(slug="x", edition="standard", blocks=(Unknown(),),
                         meta=model.Meta(title="T", organisation="O", language="en-GB",
                                         published=None, review=None))
    with pytest.raises(TypeError, match="no method for a Unknown node"):
        walk(page, lambda unit: None)
    with pytest.raises(TypeError, match="no method for a Unknown node"):
        model.plain_text((Unknown(),))


def test_the_page_template_renders_every_block_type():
    """The HTML, EPUB and PDF writers walk blocks in a template: it dispatches on the
    visitor's method names, and must name every one (and fail on any other)."""
    template = (TEMPLATES / "body.html").read_text(encoding="utf-8")
    named = set(re.findall(r'k == "(\w+)"', template))
    assert named == set(model._BLOCK_METHODS.values())
    assert "unknown_block(b)" in template
