"""The `leaflet` command: parse options, call the library, print results."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
from pathlib import Path

import click

from leaflet.errors import LeafletError

ROOT_HELP = "The leaflet library: a folder holding leaflet_src/ (default: this folder)."


def fails_cleanly(command):
    """Print a user's mistake as `path:line: message` lines and exit 1; never a traceback
    unless --debug."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        debug = click.get_current_context().find_root().params.get("debug")
        try:
            return command(*args, **kwargs)
        except LeafletError as exc:
            if debug:
                raise
            for line in str(exc).splitlines():
                click.echo(f"error: {line}" if line.startswith(("unknown", "no ")) else line,
                           err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted; files already built are kept", err=True)
            sys.exit(130)
        except (click.ClickException, click.exceptions.Exit, SystemExit):
            raise
        except Exception as exc:
            if debug:
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc} (run with --debug for "
                       "details, and report it)", err=True)
            sys.exit(1)

    return wrapper


def library_of(ctx: click.Context):
    from leaflet.library import Library
    return Library(Path(ctx.find_root().params["root"] or ".").resolve())


def slugs_of(library, names) -> list[str]:
    return [library.resolve_leaflet(n) for n in names] if names else library.slugs()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False), default=None, help=ROOT_HELP)
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
@click.version_option(package_name="leaflet", prog_name="leaflet")
def main(root, debug):
    """Build patient leaflets into print, large print, Word, EPUB, text, web and easy read,
    in every language a translator has supplied."""


@main.command()
@click.argument("leaflets", nargs=-1)
@click.option("-f", "--format", "formats_", multiple=True, metavar="FORMAT",
              help="pdf, docx, epub, text or html (repeatable; default all).")
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
@click.option("--shard", metavar="I/N", callback=lambda ctx, param, value: parse_shard(value),
              help="Build only slice I of N of the matrix (for spreading a build over "
              "machines; join them with 'leaflet merge-manifests').")
@click.option("-q", "--quiet", is_flag=True, help="Print only failures.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary for scripts.")
@click.option("--ui-lang", default="en-GB", show_default=True, metavar="LANG",
              help="The language of the library index page (build/index.html).")
@click.pass_context
@fails_cleanly
def build(ctx, leaflets, formats_, editions, langs, out, jobs, force, strict, large_print_size,
          easy_read_size, shard, quiet, as_json, ui_lang):
    """Build leaflets (all, or the LEAFLETS named) into build/: every language with a
    catalog, every format and edition, skipping what is up to date."""
    from leaflet import build as builder

    library = library_of(ctx)
    slugs = tuple(slugs_of(library, leaflets)) if leaflets else ()
    selection = builder.Selection(leaflets=slugs, formats=formats_, editions=editions,
                                  langs=langs, large_print_size=large_print_size,
                                  easy_read_size=easy_read_size, ui_lang=checked_ui_lang(ui_lang))
    out_dir = Path(out).resolve() if out else library.root / "build"
    bar = ProgressBar() if not (quiet or as_json) and sys.stderr.isatty() else None
    try:
        report = builder.build(library, out_dir, selection, force=force, strict=strict,
                               progress=bar, jobs=jobs, shard=shard)
    finally:
        if bar:
            bar.clear()
    nothing_planned = not report.outcomes and bool(report.problems)
    # nothing was planned: the errors alone, not an empty summary table
    print_report(report, out_dir, library, quiet or nothing_planned, as_json)
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


class ProgressBar:
    """A one-line bar on the terminal, redrawn at most ten times a second."""

    def __init__(self):
        self.last = 0.0
        self.counts = {"built": 0, "skipped": 0, "failed": 0}

    def __call__(self, outcome, done: int, total: int) -> None:
        import time

        self.counts[outcome.status] += 1
        now = time.monotonic()
        if now - self.last < 0.1 and done < total:
            return
        self.last = now
        width = 24
        filled = width * done // max(total, 1)
        line = (f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}  "
                f"built {self.counts['built']}, up to date {self.counts['skipped']}, "
                f"failed {self.counts['failed']}")
        sys.stderr.write("\r\033[K" + line)
        sys.stderr.flush()  # also so that a forked worker never inherits a half-written line

    def clear(self) -> None:
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()


def checked_ui_lang(tag: str) -> str:
    from leaflet import langs
    try:
        return langs.normalise(tag)
    except ValueError:
        raise LeafletError("--ui-lang", None, f"unknown language '{tag}'; use a tag such as "
                           "en-GB or pl") from None


def print_report(report, out_dir: Path, library, quiet: bool, as_json: bool) -> None:
    """Failures (one line each), then warnings and a table of what was built, per format."""
    failures = [str(p) if p.path else f"error: {p.message}" for p in report.problems]
    for outcome in report.outcomes:
        if outcome.status == "failed":
            failures.extend(line for line in outcome.error.splitlines() if line not in failures)
    if as_json:
        click.echo(json.dumps({
            "built": report.count("built"), "skipped": report.count("skipped"),
            "failed": report.count("failed"), "seconds": report.seconds,
            "render_seconds": round(report.render_seconds, 3), "workers": report.workers,
            "peak_worker_mb": report.peak_worker_mb, "out": str(out_dir),
            "failures": failures,
            "failed_artifacts": [o.job.path() for o in report.outcomes if o.status == "failed"],
            "warnings": [str(w) for w in report.warnings],
        }, indent=2, ensure_ascii=False))
        return
    for line in failures:
        click.echo(line, err=True)
    if quiet:
        return
    for warning in report.warnings:
        click.echo(str(warning), err=True)
    rows = {}
    for outcome in report.outcomes:
        row = rows.setdefault(outcome.job.format, {"built": 0, "skipped": 0, "failed": 0,
                                                   "seconds": 0.0})
        row[outcome.status] += 1
        row["seconds"] += outcome.seconds
    if rows:
        table = [("format", "built", "up to date", "failed", "seconds")]
        for name, row in sorted(rows.items()):
            table.append((name, str(row["built"]), str(row["skipped"]), str(row["failed"]),
                          f"{row['seconds']:.1f}"))
        table.append(("all", str(report.count("built")), str(report.count("skipped")),
                      str(report.count("failed")), f"{report.render_seconds:.1f}"))
        widths = [max(len(r[i]) for r in table) for i in range(5)]
        for row in table:
            click.echo("  ".join([row[0].ljust(widths[0])]
                                 + [v.rjust(w) for v, w in zip(row[1:], widths[1:])]))
    built, skipped, failed = (report.count(s) for s in ("built", "skipped", "failed"))
    workers = f" with {report.workers} workers" if report.workers > 1 else ""
    click.echo(f"{built} built, {skipped} up to date, {failed} failed in {report.seconds:.1f} s"
               f"{workers} (rendering took {report.render_seconds:.1f} s), "
               f"into {library.rel(out_dir)}/")


@main.command(name="merge-manifests")
@click.argument("shards", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--out", type=click.Path(file_okay=False), default=None,
              help="The folder to join them in (default: build/ in the library).")
@click.option("--ui-lang", default="en-GB", show_default=True, metavar="LANG",
              help="The language of the library index page.")
@click.pass_context
@fails_cleanly
def merge_manifests(ctx, shards, out, ui_lang):
    """Join the build folders of 'leaflet build --shard I/N' runs (SHARDS: their folders or
    manifest.json files) into one folder, one manifest and one library index."""
    from leaflet import build as builder

    library = library_of(ctx)
    out_dir = Path(out).resolve() if out else library.root / "build"
    report = builder.merge_manifests(library, out_dir, [Path(s) for s in shards],
                                     checked_ui_lang(ui_lang))
    for problem in report.problems:
        click.echo(str(problem), err=True)
    click.echo(f"{report.artifacts} artifacts in {library.rel(out_dir)}/manifest.json "
               f"({report.copied} files copied from {len(shards)} shards)")
    if report.problems:
        sys.exit(1)


@main.command()
@click.argument("leaflets", nargs=-1)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.pass_context
@fails_cleanly
def check(ctx, leaflets, strict):
    """Check leaflets without building them; exit 1 on any error."""
    from leaflet.checks import check_leaflet, check_library

    library = library_of(ctx)
    errors = warnings = 0
    problems = check_library(library)
    for slug in slugs_of(library, leaflets):
        problems.extend(check_leaflet(library, slug))
    for problem in problems:
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
@fails_cleanly
def list_(ctx):
    """List the leaflets, their codes, languages and review dates."""
    from leaflet import build as builder
    from leaflet import locale
    from leaflet.library import read_leaflet

    library = library_of(ctx)
    today = dt.date.today()
    rows = []
    for slug in library.slugs():
        try:
            leaflet = read_leaflet(library, slug)
        except LeafletError as exc:
            rows.append((slug, "?", "?", f"cannot be read: {exc.problems[0]}"))
            continue
        meta = leaflet.meta
        langs = []
        for lang in builder.languages(library, slug, meta.language):
            draft = lang != meta.language and locale.is_draft(library, slug, lang) \
                if hasattr(locale, "is_draft") else False
            langs.append(f"{lang} (draft)" if draft else lang)
        review = meta.review.isoformat() + (" OVERDUE" if meta.review < today else "")
        rows.append((slug, meta.code or "-", ", ".join(langs), review))
    if not rows:
        click.echo("no leaflets yet: start one with 'leaflet new SLUG'")
        return
    headers = ("leaflet", "code", "languages", "review")
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(3)]
    for row in [headers, *rows]:
        click.echo("  ".join(str(v).ljust(w) for v, w in zip(row, widths)) + "  " + str(row[3]))


NEW_LEAFLET = """\
---
# Fill in the details below. Lines starting with # in this block are comments.
title: {title}
subtitle: Information for patients
organisation: Your NHS Trust
language: en-GB
# The leaflet's code and version, as your trust's patient information policy sets them.
code: ""
version: "1"
published: {today}
# When the leaflet must next be reviewed (YYYY-MM-DD), after 'published'.
review: {review}
# How a patient asks for another language or format (printed at the end).
requests: Ask a member of staff.
---

# What is this leaflet about?

Write a short introduction here. Each line starting with # is a section heading;
a line starting ## is a heading inside a section.

# Who can I contact?

::: contacts
- name: The department's reception
  about: Questions about your appointment.
  phone: 0191 000 0000
  hours: Monday to Friday, 9am to 5pm
:::
"""


@main.command()
@click.argument("slug")
@click.pass_context
@fails_cleanly
def new(ctx, slug):
    """Start a new leaflet: leaflet_src/SLUG/leaflet.md, to fill in."""
    from leaflet.library import SLUG_RE
    from leaflet.files import write_atomic

    library = library_of(ctx)
    if not SLUG_RE.match(slug):
        raise LeafletError(slug, None, "a leaflet name uses lower-case letters, digits and "
                           "hyphens, such as ct-scan")
    target = library.source_file(slug)
    if target.exists():
        raise LeafletError(library.rel(target), None, "already exists; it was not changed")
    today = dt.date.today()
    text = NEW_LEAFLET.format(title=slug.replace("-", " ").capitalize(), today=today.isoformat(),
                              review=today.replace(year=today.year + 3).isoformat())
    (library.folder(slug) / "images").mkdir(parents=True, exist_ok=True)
    write_atomic(target, text.encode("utf-8"))
    click.echo(f"wrote {library.rel(target)}: fill it in, then run 'leaflet check {slug}'")


# Translations -------------------------------------------------------------------------

@main.command()
@click.argument("leaflets", nargs=-1)
@click.option("--ui", is_flag=True, help="Also extract the tool's own words into "
              "formats/locales/ui.pot and merge them into its ui.po files (for developers).")
@click.pass_context
@fails_cleanly
def extract(ctx, leaflets, ui):
    """Write the translation templates locales/templates/LEAFLET[.easy-read].pot."""
    from leaflet import locale

    library = library_of(ctx)
    results = locale.extract(library, slugs_of(library, leaflets))
    if ui:
        results += locale.extract_ui()
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
@fails_cleanly
def update(ctx, leaflets, langs, editions):
    """Create or merge locales/LANG/LEAFLET.po from the current source, as msgmerge does:
    changed messages become fuzzy, removed ones obsolete."""
    from leaflet import locale

    library = library_of(ctx)
    for lang in langs:
        for row in locale.update(library, lang, slugs_of(library, leaflets), tuple(editions)):
            click.echo(f"{row.catalog}: {row.translated} translated, {row.fuzzy} fuzzy, "
                       f"{row.untranslated} untranslated, {row.obsolete} obsolete")


@main.command()
@click.argument("leaflets", nargs=-1)
@click.option("-l", "--lang", "langs", multiple=True, metavar="LANG",
              help="Only this language (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
@fails_cleanly
def stats(ctx, leaflets, langs, as_json):
    """Show how much of each translation is done and whether it is signed off."""
    from leaflet import locale

    library = library_of(ctx)
    rows = locale.stats(library, slugs_of(library, leaflets), tuple(langs))
    if as_json:
        click.echo(json.dumps([dict(vars(r), total=r.total, percent=r.percent) for r in rows],
                              indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("no translations yet: start one with 'leaflet update -l LANG'")
        return
    headers = ("leaflet", "edition", "lang", "translated", "fuzzy", "untranslated", "done",
               "numbers", "errors", "state")
    table = [headers]
    for r in rows:
        state = f"signed off by {r.signed_by}" if not r.draft else "DRAFT"
        table.append((r.slug, r.edition, r.lang, str(r.translated), str(r.fuzzy),
                      str(r.untranslated), f"{r.percent}%", str(r.warnings), str(r.errors),
                      state))
    widths = [max(len(row[i]) for row in table) for i in range(len(headers) - 1)]
    for row in table:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths)) + "  " + row[-1])


@main.command()
@click.argument("leaflet")
@click.option("-l", "--lang", required=True, metavar="LANG", help="The translation's language.")
@click.option("--by", required=True, metavar='"NAME, ROLE"',
              help="Who checked the translation, and their role.")
@click.option("-e", "--edition", type=click.Choice(["standard", "easy-read"]),
              default="standard", show_default=True)
@click.pass_context
@fails_cleanly
def review(ctx, leaflet, lang, by, edition):
    """Sign a translation off as checked, so that it is no longer built as DRAFT."""
    from leaflet import locale

    library = library_of(ctx)
    slug = library.resolve_leaflet(leaflet)
    record, warnings = locale.review(library, slug, lang, by, edition)
    for warning in warnings:
        click.echo(str(warning), err=True)
    catalog = library.rel(library.catalog(locale.check_language(lang), slug, edition))
    click.echo(f"{catalog}: signed off by {record['by']} on {record['date'][:10]}; any change "
               "to its messages makes it DRAFT again")


# Easy read ----------------------------------------------------------------------------------

@main.group(name="easy-read")
def easy_read():
    """Easy read editions: picture-and-sentence rows for readers with learning disabilities."""


@easy_read.command()
@click.argument("slug")
@click.pass_context
@fails_cleanly
def scaffold(ctx, slug):
    """Write a first draft leaflet_src/SLUG/easy-read.md from leaflet.md, to rewrite."""
    from leaflet import easyread

    library = library_of(ctx)
    slug = library.resolve_leaflet(slug)
    target = easyread.scaffold(library, slug)
    click.echo(f"wrote {library.rel(target)}: rewrite each row marked TODO, then run "
               f"'leaflet check {slug}'")


@main.command()
@fails_cleanly
def pictograms():
    """List the pictograms an easy read row can use, as ![](pictogram:NAME), with their alt text."""
    from leaflet import easyread

    names = easyread.pictograms()
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
@click.pass_context
@fails_cleanly
def serve(ctx, out, port, host):
    """Serve the built leaflets and their index page, to open in a web browser."""
    from formats import index

    library = library_of(ctx)
    out_dir = Path(out).resolve() if out else library.root / "build"
    server = index.server(out_dir, host, port)
    bound_host, bound_port = server.server_address[:2]
    click.echo(f"serving {library.rel(out_dir)}/ at http://{bound_host}:{bound_port}/ "
               "(press Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
