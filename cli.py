"""The `leaflet` command: parse options, call the library, print results."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path

import click

import formats
from leaflet.errors import LeafletError

ROOT_HELP = "The leaflet library: a folder holding leaflet_src/ (default: this folder)."


class LeafletGroup(click.Group):
    """The command group, and its one error handler: a user's mistake is printed as
    `path:line: message` lines with exit status 1, an interrupted command says what it
    kept (exit 128 + the signal), and a traceback is shown only with --debug."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt as exc:  # Ctrl-C, or TERM or HUP during a build
            click.echo("interrupted; files already built are kept", err=True)
            sys.exit(128 + getattr(exc, "signum", signal.SIGINT))
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            if not isinstance(exc, LeafletError):
                exc = f"internal error: {type(exc).__name__}: {exc} (run with --debug for " \
                      "details, and report it)"
            for line in str(exc).splitlines():
                click.echo(f"error: {line}" if line.startswith(("unknown", "no ")) else line,
                           err=True)
            sys.exit(1)


class FormatName(click.ParamType):
    """A format the registry knows, looked up when the command runs (so a format
    registered by a library's own code counts); an unknown name is the registry's error,
    naming the valid ones."""

    name = "format"

    def convert(self, value, param, ctx):
        return formats.get(value).name

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem
        return [CompletionItem(name) for name in formats.FORMATS if name.startswith(incomplete)]


def library_of(ctx: click.Context):
    from leaflet.library import Library
    named = ctx.find_root().params["root"]
    root = Path(named or ".").resolve()
    if named and not root.is_dir():
        raise LeafletError(named, None, "--root must name an existing folder (the library, "
                           "holding leaflet_src/)" + ("; it does not exist" if not root.exists()
                                                      else "; this is not a folder"))
    return Library(root)


def slugs_of(library, names) -> list[str]:
    return [library.resolve_leaflet(n) for n in names] if names else library.slugs()


@click.group(cls=LeafletGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False), default=None, help=ROOT_HELP)
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
@click.version_option(package_name="leaflet", prog_name="leaflet")
def main(root, debug):
    """Build patient leaflets into print, large print, Word, EPUB, text, web and easy read,
    in every language a translator has supplied."""


@main.command()
@click.argument("leaflets", nargs=-1)
@click.option("-f", "--format", "formats_", multiple=True, metavar="FORMAT", type=FormatName(),
              help=f"{', '.join(formats.FORMATS)} (repeatable; default all).")
@click.option("-e", "--edition", "editions", multiple=True, metavar="EDITION",
              help="standard, large-print or easy-read (repeatable; default all).")
@click.option("-l", "--lang", "langs", multiple=True, metavar="LANG",
              help="A language such as en-GB or pl (repeatable; default all with a catalog).")
@click.option("-o", "--out", type=click.Path(file_okay=False), default=None,
              help="Output folder (default: build/ in the library).")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None,
              help="Artifacts built at once (default: the number of cores).")
@click.option("--force", is_flag=True, help="Rebuild even what is up to date.")
@click.option("--strict", is_flag=True, help="Treat warnings (untranslated text...) as errors.")
@click.option("--large-print-size", type=click.FloatRange(16, 48), default=18.0,
              show_default=True, metavar="PT", help="Text size of large print, 16 to 48 pt.")
@click.option("--easy-read-size", type=click.FloatRange(14, 48), default=16.0,
              show_default=True, metavar="PT", help="Text size of easy read.")
@click.option("--braille-grade", type=click.IntRange(1, 2), default=2, show_default=True,
              help="Braille grade: 2 contracted, 1 uncontracted.")
@click.option("--braille-cells", type=click.IntRange(12, 100), default=40, show_default=True,
              metavar="N", help="Braille cells per line, 12 to 100.")
@click.option("--braille-lines", type=click.IntRange(4, 100), default=25, show_default=True,
              metavar="N", help="Braille lines per page, 4 to 100.")
@click.option("--shard", metavar="I/N", callback=lambda ctx, param, value: parse_shard(value),
              help="Build only slice I of N of the matrix (for spreading a build over "
              "machines; join them with 'leaflet merge-manifests').")
@click.option("--timeout", type=click.FloatRange(min=1), default=300.0, show_default=True,
              metavar="SECONDS", help="How long one artifact may take to render in a worker "
              "before it is stopped and fails.")
@click.option("-q", "--quiet", is_flag=True, help="Print only failures.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary for scripts.")
@click.option("--ui-lang", default="en-GB", show_default=True, metavar="LANG",
              help="The language of the library index page (build/index.html).")
@click.pass_context
def build(ctx, leaflets, formats_, editions, langs, out, jobs, force, strict, large_print_size,
          easy_read_size, braille_grade, braille_cells, braille_lines, shard, timeout, quiet,
          as_json, ui_lang):
    """Build leaflets (all, or the LEAFLETS named) into build/: every language with a
    catalog, every format and edition, skipping what is up to date."""
    from leaflet import build as builder
    from leaflet import langs as tags
    from leaflet.build import summary

    library = library_of(ctx)
    slugs = tuple(slugs_of(library, leaflets)) if leaflets else ()
    selection = builder.Selection(leaflets=slugs, formats=formats_, editions=editions,
                                  langs=langs, large_print_size=large_print_size,
                                  easy_read_size=easy_read_size,
                                  writer_settings=(("braille_grade", braille_grade),
                                                   ("braille_cells", braille_cells),
                                                   ("braille_lines", braille_lines)),
                                  ui_lang=tags.check(ui_lang, "--ui-lang"))
    out_dir = Path(out).resolve() if out else library.root / "build"
    bar = summary.ProgressBar(sys.stderr) if not (quiet or as_json) and sys.stderr.isatty() \
        else None
    try:
        report = builder.build(library, out_dir, selection, force=force, strict=strict,
                               progress=bar, jobs=jobs, shard=shard, timeout=timeout)
    finally:
        if bar:
            bar.clear()
    nothing_planned = not report.outcomes and bool(report.problems)
    # nothing was planned: the errors alone, not an empty summary table
    print_report(report, out_dir, library, quiet or nothing_planned, as_json,
                 debug=ctx.find_root().params.get("debug"))
    if report.failed:
        sys.exit(1)


def parse_shard(value: str | None) -> tuple[int, int] | None:
    """--shard I/N as (I, N), 1 <= I <= N."""
    if value is None:
        return None
    index, _, count = value.partition("/")
    if not (index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise click.BadParameter(f"'{value}' is not I/N with 1 <= I <= N, such as 1/4")
    return int(index), int(count)


def print_report(report, out_dir: Path, library, quiet: bool, as_json: bool,
                 debug: bool = False) -> None:
    """Failures (one line each; with ``debug``, a writer's traceback after its line), then
    warnings and a table of what was built, per format."""
    from leaflet.build import summary

    if as_json:
        click.echo(json.dumps(report.summary(out_dir, debug), indent=2, ensure_ascii=False))
        return
    for line in report.failure_lines(debug):
        click.echo(line, err=True)
    if quiet:
        return
    for warning in report.warnings:
        click.echo(str(warning), err=True)
    for line in summary.table_lines(report):
        click.echo(line)
    click.echo(summary.closing_line(report, library.rel(out_dir)))


@main.command(name="merge-manifests")
@click.argument("shards", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--out", type=click.Path(file_okay=False), default=None,
              help="The folder to join them in (default: build/ in the library).")
@click.option("--ui-lang", default="en-GB", show_default=True, metavar="LANG",
              help="The language of the library index page.")
@click.pass_context
def merge_manifests(ctx, shards, out, ui_lang):
    """Join the build folders of 'leaflet build --shard I/N' runs (SHARDS: their folders or
    manifest.json files) into one folder, one manifest and one library index."""
    from leaflet import build as builder
    from leaflet import langs as tags

    library = library_of(ctx)
    out_dir = Path(out).resolve() if out else library.root / "build"
    report = builder.merge_manifests(library, out_dir, [Path(s) for s in shards],
                                     tags.check(ui_lang, "--ui-lang"))
    for problem in report.problems:
        click.echo(str(problem), err=True)
    click.echo(f"{report.artifacts} artifacts in {library.rel(out_dir)}/manifest.json "
               f"({report.copied} files copied from {len(shards)} shards)")
    if report.problems:
        sys.exit(1)


@main.command()
@click.argument("leaflets", nargs=-1)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("-l", "--lang", "langs", multiple=True, metavar="LANG",
              help="Check only this language's catalogs (repeatable; default all).")
@click.option("--report", is_flag=True, help="Also write a plain-English report page per "
              "leaflet (build/reports/SLUG.plain-english.html): reading age by section, and "
              "the text with long sentences, plainer words and unexplained terms marked.")
@click.pass_context
def check(ctx, leaflets, strict, langs, report):
    """Check leaflets and their translations without building them; exit 1 on any error.
    Plain English is measured too: reading age against leaflet.yaml's reading_age
    (default 11), long sentences and paragraphs, plainer words, unexplained terms."""
    from leaflet.checks import check_leaflet, check_library, plain_report
    from leaflet.i18n import check_translations

    library = library_of(ctx)
    errors = warnings = 0
    problems = check_library(library)
    for slug in slugs_of(library, leaflets):
        problems.extend(check_leaflet(library, slug))
        if report:
            summary, page = plain_report(library, slug, library.root / "build" / "reports")
            if page is not None:
                click.echo(f"{summary}\nwrote {library.rel(page)}")
    problems.extend(check_translations(library, slugs_of(library, leaflets), tuple(langs)))
    for problem in dict.fromkeys(problems):  # a file both checks read is reported once
        click.echo(str(problem), err=True)
        warnings += problem.warning
        errors += not problem.warning
    if errors or (warnings and strict):
        counted = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        click.echo(f"{counted}{' (warnings count as errors with --strict)' if strict else ''}",
                   err=True)
        sys.exit(1)
    if warnings:
        click.echo(f"no errors, {warnings} warning{'s' * (warnings != 1)}")
    else:
        click.echo("no problems found")


@main.command(name="list")
@click.pass_context
def list_(ctx):
    """List the leaflets, their codes, languages and review dates."""
    from leaflet import approvals, i18n
    from leaflet.checks import is_overdue
    from leaflet.library import read_leaflet

    library = library_of(ctx)
    rows = []
    for warning in library.outside_links():
        click.echo(str(warning), err=True)
    for slug in library.slugs():
        try:
            leaflet = read_leaflet(library, slug)
        except LeafletError as exc:
            rows.append((slug, "?", "?", f"cannot be read: {exc.problems[0]}"))
            continue
        langs = [f"{lang} (draft)" if draft else lang
                 for lang, draft in i18n.language_states(library, leaflet)]
        review = leaflet.meta.review.isoformat() + (" OVERDUE" if is_overdue(leaflet) else "")
        if approvals.awaiting(library, slug):
            review += f"; version {leaflet.meta.version or '?'} awaiting approval"
        rows.append((slug, leaflet.meta.code or "-", ", ".join(langs), review))
    if not rows:
        click.echo("no leaflets yet: start one with 'leaflet new SLUG'")
        return
    headers = ("leaflet", "code", "languages", "review")
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(3)]
    for row in [headers, *rows]:
        padded = (str(v).ljust(w) for v, w in zip(row, widths, strict=False))  # all but the last
        click.echo("  ".join(padded) + "  " + str(row[3]))


@main.command()
@click.argument("leaflet")
@click.option("--by", required=True, metavar="NAME", help="Who approved the leaflet's text.")
@click.option("--role", required=True, metavar="ROLE",
              help='Their role, such as "clinical lead" or "patient information manager".')
@click.pass_context
def approve(ctx, leaflet, by, role):
    """Record that the leaflet's current text (its version) is approved, in
    leaflet_src/LEAFLET/approvals.yaml, and keep the approved text beside it."""
    from leaflet import approvals

    library = library_of(ctx)
    slug = library.resolve_leaflet(leaflet)
    record, kept = approvals.approve(library, slug, by, role)
    click.echo(f"{library.rel(approvals.path(library, slug))}: version {record.version} "
               f"approved by {record.by} ({record.role}) on {record.date[:10]}; the text is "
               f"kept in {library.rel(kept)}")


@main.command()
@click.argument("leaflet")
@click.option("--since", metavar="VERSION|GIT-REF", default=None,
              help="Compare with this approved version, or this git revision when the "
              "library is a git repository (default: the last approved version).")
@click.option("-o", "--out", type=click.Path(dir_okay=False), default=None,
              help="The page to write (default: build/reports/LEAFLET.changes.html).")
@click.pass_context
def changes(ctx, leaflet, since, out):
    """Write an HTML page for the approval group showing what changed in the leaflet's
    text, block by block: changed numbers, doses and phone numbers first, and the
    translations the change makes stale."""
    from leaflet import changes as compared

    library = library_of(ctx)
    slug = library.resolve_leaflet(leaflet)
    report, page = compared.write(library, slug, since, Path(out).resolve() if out else None)
    click.echo(report.summary())
    click.echo(f"wrote {library.rel(page)}")


@main.command()
@click.argument("slug")
@click.pass_context
def new(ctx, slug):
    """Start a new leaflet: leaflet_src/SLUG/leaflet.md, to fill in."""
    from leaflet.library import new_leaflet

    library = library_of(ctx)
    target = new_leaflet(library, slug)
    click.echo(f"wrote {library.rel(target)}: fill it in, then run 'leaflet check {slug}'")


# Translations -------------------------------------------------------------------------

@main.command()
@click.argument("leaflets", nargs=-1)
@click.option("--ui", is_flag=True, help="Also extract the tool's own words into "
              "formats/locales/ui.pot and merge them into its ui.po files (for developers).")
@click.pass_context
def extract(ctx, leaflets, ui):
    """Write the translation templates locales/templates/LEAFLET[.easy-read].pot."""
    from leaflet import i18n

    library = library_of(ctx)
    results = i18n.extract(library, slugs_of(library, leaflets))
    if ui:
        results += i18n.extract_ui()
    for path, written, count in results:
        click.echo(f"{'wrote' if written else 'up to date:'} {path} ({count} messages)")


@main.command()
@click.argument("leaflets", nargs=-1)
@click.option("-l", "--lang", "langs", multiple=True, required=True, metavar="LANG",
              help="The language to create or update a catalog for, such as pl (repeatable).")
@click.option("-e", "--edition", "editions", multiple=True,
              type=click.Choice(["standard", "easy-read"]),
              help="Which catalogs (default: the standard one, and the easy read one if it "
              "exists already).")
@click.pass_context
def update(ctx, leaflets, langs, editions):
    """Create or merge locales/LANG/LEAFLET.po from the current source, as msgmerge does:
    changed messages become fuzzy, removed ones obsolete."""
    from leaflet import i18n

    library = library_of(ctx)
    for lang in langs:
        for row in i18n.update(library, lang, slugs_of(library, leaflets), tuple(editions)):
            click.echo(f"{row.catalog}: {row.translated} translated, {row.fuzzy} fuzzy, "
                       f"{row.untranslated} untranslated, {row.obsolete} obsolete")


@main.command()
@click.argument("leaflets", nargs=-1)
@click.option("-l", "--lang", "langs", multiple=True, metavar="LANG",
              help="Only this language (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--words", is_flag=True, help="Also count the source's words, as pocount does "
              "(total, new, fuzzy and untranslated), for an agency's quote.")
@click.pass_context
def stats(ctx, leaflets, langs, as_json, words):
    """Show how much of each translation is done and whether it is signed off."""
    from leaflet import i18n

    library = library_of(ctx)
    rows = i18n.stats(library, slugs_of(library, leaflets), tuple(langs))
    if as_json:
        click.echo(json.dumps([dict(vars(r), total=r.total, percent=r.percent) for r in rows],
                              indent=2, ensure_ascii=False))
        sys.exit(1 if any(r.errors for r in rows) else 0)
    if not rows:
        click.echo("no translations yet: start one with 'leaflet update -l LANG'")
        return
    word_headers = ("words", "new words", "fuzzy words", "untranslated words") if words else ()
    headers = ("leaflet", "edition", "lang", "translated", "fuzzy", "untranslated", "done",
               "numbers", "errors", *word_headers, "state")
    table = [headers]
    for r in rows:
        state = f"signed off by {r.signed_by} on {r.signed_on}" if not r.draft else "DRAFT"
        counts = (str(r.words), str(r.words_new), str(r.words_fuzzy),
                  str(r.words_untranslated)) if words else ()
        table.append((r.slug, r.edition, r.lang, str(r.translated), str(r.fuzzy),
                      str(r.untranslated), f"{r.percent}%", str(r.warnings), str(r.errors),
                      *counts, state))
    widths = [max(len(row[i]) for row in table) for i in range(len(headers) - 1)]
    for row in table:
        padded = (v.ljust(w) for v, w in zip(row, widths, strict=False))  # all but the last
        click.echo("  ".join(padded) + "  " + row[-1])
    _echo_tool_words(library, [r.lang for r in rows])
    if any(r.errors for r in rows):
        click.echo("errors in a catalog: 'leaflet check -l LANG' says where", err=True)
        sys.exit(1)


def _echo_tool_words(library, languages) -> None:
    """The tool's own words (headings, labels, the DRAFT banner) in each language shown."""
    from leaflet.i18n.ui_words import tool_words

    table = [("tool words", "translated", "from the library", "state")]
    for lang in dict.fromkeys(languages):
        words = tool_words(library, lang)
        table.append((lang, f"{words.translated} of {words.total}",
                      str(words.from_library), words.state))
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    click.echo("")
    for row in table:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=False))
                   + "  " + row[-1])


@main.command()
@click.argument("leaflet", required=False)
@click.option("-l", "--lang", required=True, metavar="LANG", help="The translation's language.")
@click.option("--ui", is_flag=True, help="Sign off the tool's own words in LANG (headings, "
              "labels, the DRAFT banner) as this library prints them, instead of a leaflet.")
@click.option("--by", default="", metavar="NAME",
              help='Who checked the translation ("NAME, ROLE" also gives the role; required '
              'to sign off).')
@click.option("--role", default="", metavar="ROLE",
              help="The reviewer's role, such as \"clinical translator\" (required).")
@click.option("--accept", multiple=True, type=click.IntRange(min=1), metavar="LINE",
              help="Accept the amounts or order flagged at this catalog line as right "
              "(repeatable; recorded in the sign-off).")
@click.option("-e", "--edition", type=click.Choice(["standard", "easy-read"]),
              default="standard", show_default=True)
@click.option("--page", is_flag=True,
              help="Sign nothing off: write the review page for the checker (source, "
              "translation and back-translation side by side, with every finding) to "
              "build/reviews/SLUG.LANG.review.html.")
@click.option("--back", type=click.Path(dir_okay=False, exists=True), default=None,
              metavar="FILE", help="With --page: the back-translation, a PO file (default "
              "locales/LANG/SLUG.back.po, when there is one).")
@click.option("-o", "--out", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="With --page: where to write the page.")
@click.pass_context
def review(ctx, leaflet, lang, ui, by, role, accept, edition, page, back, out):
    """Sign a translation off as checked, so that it is no longer built as DRAFT; with
    --page, write the page the checker reads first."""
    from leaflet import i18n

    library = library_of(ctx)
    if ui:
        _review_tool_words(library, lang, by, role)
        return
    if not leaflet:
        raise click.UsageError("name the leaflet to sign off (or --ui for the tool's words)")
    slug = library.resolve_leaflet(leaflet)
    if page:
        from leaflet.i18n import review_page

        path, counts = review_page.write_page(library, slug, lang, edition,
                                              Path(back).resolve() if back else None,
                                              Path(out).resolve() if out else None)
        back_note = ", with the back-translation" if counts["back"] else ""
        click.echo(f"wrote {path} ({counts['messages']} messages, {counts['errors']} errors, "
                   f"{counts['warnings']} warnings{back_note})")
        return
    if not by:
        raise click.UsageError("say who signed the translation off: --by NAME --role ROLE "
                               "(or write the review page first with --page)")
    record, warnings = i18n.review(library, slug, lang, by, edition, role=role,
                                   accept=tuple(accept))
    for warning in warnings:
        click.echo(str(warning), err=True)
    catalog = library.rel(library.catalog(i18n.check_language(lang), slug, edition))
    click.echo(f"{catalog}: signed off by {record['reviewer']} ({record['role']}) on "
               f"{record['date'][:10]}; any change to its messages makes it DRAFT again")


def _review_tool_words(library, lang, by, role) -> None:
    from leaflet.i18n.ui_words import review_ui, tool_words

    if not by:
        raise click.UsageError("say who checked the tool's words: --by NAME --role ROLE")
    record = review_ui(library, lang, by, role)
    words = tool_words(library, lang)
    click.echo(f"the tool's words in {lang} ({words.translated} of {words.total}): signed off "
               f"by {record['reviewer']} ({record['role']}) on {record['date'][:10]}; any "
               "change to a word voids it")


@main.command(name="export-translations")
@click.argument("leaflets", nargs=-1)
@click.option("-l", "--lang", required=True, metavar="LANG", help="The language to export.")
@click.option("--format", "fmt", type=click.Choice(["xliff", "xliff2", "po", "tmx"]),
              default="xliff", show_default=True,
              help="XLIFF 1.2, XLIFF 2.0 or PO; or tmx, a translation memory of the "
              "signed-off catalogs only, in one file.")
@click.option("--changed-since", metavar="REF", default=None,
              help="Only messages new since this git revision, and those not translated now.")
@click.option("-o", "--out", type=click.Path(file_okay=False), default=".", show_default=True,
              help="The folder to write the files in.")
@click.pass_context
def export_translations(ctx, leaflets, lang, fmt, changed_since, out):
    """Write a language's catalogs for a translation agency, one file per catalog (a
    translation memory, --format tmx, is one file of the signed-off catalogs)."""
    from leaflet.i18n import agencies

    library = library_of(ctx)
    for path, count in agencies.export(library, lang, slugs_of(library, leaflets), fmt,
                                       Path(out).resolve(), changed_since):
        click.echo(f"wrote {path} ({count} messages)")


@main.command(name="import-translations")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True))
@click.pass_context
def import_translations(ctx, files):
    """Merge an agency's XLIFF or PO files into their catalogs, after the checks a build
    makes; a file with any error is refused whole."""
    from leaflet.i18n import agencies

    library = library_of(ctx)
    for file in files:
        catalog, warnings, changed = agencies.import_file(library, Path(file))
        for warning in warnings:
            click.echo(str(warning), err=True)
        click.echo(f"{catalog}: {changed} message{'s' * (changed != 1)} changed from {file}")


# Easy read ----------------------------------------------------------------------------------

@main.group(name="easy-read")
def easy_read():
    """Easy read editions: picture-and-sentence rows for readers with learning disabilities."""


@easy_read.command()
@click.argument("slug")
@click.pass_context
def scaffold(ctx, slug):
    """Write a first draft leaflet_src/SLUG/easy-read.md from leaflet.md, to rewrite."""
    from leaflet import easyread

    library = library_of(ctx)
    slug = library.resolve_leaflet(slug)
    target = easyread.scaffold(library, slug)
    click.echo(f"wrote {library.rel(target)}: rewrite each row marked TODO, then run "
               f"'leaflet check {slug}'")


@main.command()
def pictograms():
    """List the pictograms an easy read row can use, as ![](pictogram:NAME), with their alt text."""
    from leaflet import pictograms as pictogram_data

    names = pictogram_data.catalogue()
    width = max(len(name) for name in names)
    for name, entry in names.items():
        click.echo(f"{name.ljust(width)}  {entry['alt']}")


# Opening the leaflets ---------------------------------------------------------------

@main.command()
@click.option("-o", "--out", type=click.Path(file_okay=False), default=None,
              help="The folder a build wrote (default: build/ in the library).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on; 127.0.0.1 is this computer only.")
@click.option("--watch", is_flag=True,
              help="Rebuild when a source, catalog, picture or the theme is saved, and "
                   "reload the open page.")
@click.option("--fast", is_flag=True,
              help="With --watch: rebuild only the web pages.")
@click.pass_context
def serve(ctx, out, port, host, watch, fast):
    """Serve the built leaflets and their index page, to open in a web browser."""
    from leaflet import serve as serving

    library = library_of(ctx)
    out_dir = Path(out).resolve() if out else library.root / "build"
    watcher = None
    if watch:
        from leaflet.watch import Watcher

        watcher = Watcher(library, out_dir, fast=fast)
        click.echo("building the web pages...")
        watcher.rebuild_html()
        for line in watcher.errors:
            click.echo(line, err=True)
    elif fast:
        raise click.UsageError("--fast goes with --watch")
    server = serving.server(out_dir, host, port, watcher)
    if not serving.is_local(host):
        click.echo(f"warning: serving on {host} lets other computers on the network open "
                   "these leaflets, drafts included; --host 127.0.0.1 keeps them on this "
                   "computer", err=True)
    bound_host, bound_port = server.server_address[:2]
    if ":" in bound_host:  # an IPv6 address goes in brackets in a URL
        bound_host = f"[{bound_host}]"
    click.echo(f"serving {library.rel(out_dir)}/ at http://{bound_host}:{bound_port}/ "
               "(press Ctrl+C to stop)")
    if watcher is not None:
        watcher.start(rest_first=not fast)
        click.echo("watching leaflet_src/, locales/ and theme/ for changes")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        if watcher is not None:
            watcher.stop()
        server.server_close()


# Importing leaflets -------------------------------------------------------------------

@main.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--slug", default=None, metavar="SLUG",
              help="The new leaflet's folder name (default: made from its title).")
@click.option("--language", default=None, metavar="TAG",
              help="The leaflet's language, such as en-GB (default: as the file says, "
              "else en-GB).")
@click.option("--timeout", type=click.FloatRange(min=1), default=180.0, show_default=True,
              metavar="SECONDS", help="How long reading one file may take before it is "
              "stopped and refused.")
@click.pass_context
def import_(ctx, files, slug, language, timeout):
    """Import leaflets from Word (.docx, .odt, .doc), saved web pages (.html) or text
    (.txt) into leaflet_src/, never overwriting, and say what a person must check and
    where every word of each file went (import-report.md beside each leaflet).  Name a
    folder, or several files, to import every Word file and web page in them: a file
    imported before is skipped.  Exits 1 when it reports an error, even about a file it
    wrote."""
    from leaflet.importers import import_files

    library = library_of(ctx)
    paths = [Path(f) for f in files]
    if len(paths) > 1 or paths[0].is_dir():
        if slug is not None:
            raise LeafletError("", None, "--slug names one leaflet: import one file at a "
                               "time when you choose its name")
        import_batch(ctx, library, paths, language, timeout)
        return
    report = import_files(library, paths, slug=slug, language=language, seconds=timeout)
    for problem in report.problems:
        click.echo(str(problem), err=True)
    for target, counted, written in zip(report.written, report.accounts, report.reports,
                                        strict=False):
        click.echo(f"wrote {library.rel(target)}: fill in what it asks for, then run "
                   f"'leaflet check {target.parent.name}'")
        click.echo(f"{counted.original} words in {Path(counted.file).name}: "
                   f"{counted.leaflet} into the leaflet, {counted.front_matter} into its "
                   f"front matter, {counted.listed} left out and listed in "
                   f"{library.rel(written)}")
    if any(not problem.warning for problem in report.problems):
        ctx.exit(1)


def import_batch(ctx, library, paths, language, timeout) -> None:
    """Every Word file and web page named or in the folders named, each on its own, then
    one table of what became of each."""
    from leaflet.importers import files_to_import, import_library

    total = len(files_to_import(paths))
    bar = None
    if sys.stderr.isatty() and total > 1:
        bar = click.progressbar(length=total, label="importing", file=sys.stderr,
                                item_show_func=lambda p: p.name if p else "")
        bar.__enter__()
    started = []

    def each(path):
        if bar is not None:
            if started:
                bar.update(1)
            bar.current_item = path
            bar.render_progress()
        started.append(path)

    try:
        rows = import_library(library, paths, language=language, seconds=timeout, each=each)
    finally:
        if bar is not None:
            bar.update(1)
            bar.__exit__(None, None, None)
    for row in rows:
        for problem in row.errors:
            click.echo(str(problem), err=True)
        if row.report is not None:
            for problem in row.report.problems:
                click.echo(str(problem), err=True)
    header = ("file", "slug", "words kept", "words listed", "problems")
    table = [header] + [(row.file, row.slug or "-",
                         str(row.kept) if row.outcome == "imported" else "-",
                         str(row.listed) if row.outcome == "imported" else "-",
                         {"imported": str(row.problems), "skipped": "imported before",
                          "refused": f"refused ({len(row.errors)})"}[row.outcome])
                        for row in rows]
    widths = [max(len(line[n]) for line in table) for n in range(len(header))]
    for number, line in enumerate(table):
        cells = [line[n].ljust(widths[n]) if n < 2 else line[n].rjust(widths[n])
                 for n in range(len(header))]
        click.echo("  ".join(cells).rstrip())
        if number == 0:
            click.echo("  ".join("-" * width for width in widths))
    imported = [row for row in rows if row.outcome == "imported"]
    skipped = sum(1 for row in rows if row.outcome == "skipped")
    refused = sum(1 for row in rows if row.outcome == "refused")
    click.echo(f"{len(rows)} files: {len(imported)} imported, {skipped} imported before "
               f"(skipped), {refused} refused; {sum(r.kept for r in imported)} words kept, "
               f"{sum(r.listed for r in imported)} left out and listed in each leaflet's "
               "import-report.md")
    if refused or any(not p.warning for row in imported for p in row.report.problems):
        ctx.exit(1)


if __name__ == "__main__":
    main()
