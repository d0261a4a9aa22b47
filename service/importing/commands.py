"""``parley import``, ``parley export`` and ``parley erase``: registered by ``worker.cli``."""

from __future__ import annotations

import json
import sys
import time
from contextlib import closing
from pathlib import Path

import click
import sqlalchemy as sa

from service.cli import load_runtime
from service.importing.engine import ImportOptions, ImportReport, run_import
from service.importing.files import open_input
from service.importing.keys import parse_map
from service.importing.records import ImportFileError
from service.importing.sources import FORMATS, reader_for


class _LazyProgress:
    """A progress bar on stderr, shown only once the work has taken more than a second."""

    def __init__(self, quiet: bool):
        self._started = time.monotonic()
        self._quiet = quiet
        self._progress = None
        self._tasks: dict[str, int] = {}

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if self._quiet or time.monotonic() - self._started < 1.0:
            return
        if self._progress is None:
            from rich.console import Console
            from rich.progress import Progress

            self._progress = Progress(console=Console(stderr=True), transient=True)
            self._progress.start()
        if stage not in self._tasks:
            self._tasks[stage] = self._progress.add_task(stage, total=total)
        self._progress.update(self._tasks[stage], completed=done, total=total)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


def _site(session, slug: str):
    from service.models import Site

    site = session.scalar(sa.select(Site).where(Site.slug == slug))
    if site is None:
        raise click.ClickException(f"no site {slug!r} (parley sites create {slug} --origin ...)")
    return site


def _human(report: ImportReport) -> str:
    data = report.as_dict()
    lines = []
    if report.dry_run:
        lines.append("dry run: nothing was written. Thread keys the import would use:")
        for key, entry in report.thread_keys.items():
            state = "exists" if entry["exists"] else "new"
            lines.append(f"  {key}\t{entry['comments']} comments\t({state})")
    for failure in report.failures:
        lines.append(f"failed {failure['id']}: {failure['reason']}")
    if report.failed > len(report.failures):
        lines.append(f"... and {report.failed - len(report.failures)} more failures")
    reasons = ", ".join(f"{n} {why}" for why, n in sorted(report.skipped_reasons.items()))
    verb = "would import" if report.dry_run else "imported"
    lines.append(
        f"{verb} {data['imported']} comments on {data['threads']} threads "
        f"({data['published']} published, {data['held']} held, {data['spam']} spam, "
        f"{data['deleted']} deleted placeholders); skipped {data['skipped']}"
        + (f" ({reasons})" if reasons else "")
        + f"; failed {data['failed']}"
    )
    return "\n".join(lines)


@click.command("import", help="Import comments exported by another system (or by Parley).")
@click.argument("format_name", metavar="{" + "|".join(FORMATS) + "}", type=click.Choice(FORMATS))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--site", "slug", required=True, help="The site to import into.")
@click.option(
    "--map-url",
    "map_urls",
    multiple=True,
    metavar="OLD=NEW",
    help="Rewrite a URL prefix before making thread keys; repeatable.",
)
@click.option("--dry-run", is_flag=True, help="Write nothing; list the thread keys.")
@click.option("--json", "as_json", is_flag=True, help="End with the report as one JSON line.")
@click.option("--keep-spam", is_flag=True, help="Import spam, as spam (default: skip it).")
@click.option("--with-pingbacks", is_flag=True, help="Import pingbacks and trackbacks too.")
def import_command(
    format_name: str,
    file: Path,
    slug: str,
    map_urls: tuple[str, ...],
    dry_run: bool,
    as_json: bool,
    keep_spam: bool,
    with_pingbacks: bool,
) -> None:
    try:
        pairs = tuple(parse_map(list(map_urls)))
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--map-url") from None
    options = ImportOptions(
        source=format_name,
        map_url=pairs,
        dry_run=dry_run,
        keep_spam=keep_spam,
        with_pingbacks=with_pingbacks,
        actor="cli",
        filename=file.name,
    )
    progress = _LazyProgress(quiet=not sys.stderr.isatty() and as_json)
    with closing(load_runtime()) as rt, rt.session() as session:
        site = _site(session, slug)
        try:
            with open_input(file) as stream:
                report = run_import(
                    session,
                    site,
                    reader_for(format_name)(stream),
                    options,
                    rt.settings.secret_key,
                    progress,
                )
        except ImportFileError as error:
            raise click.ClickException(f"{file.name}: {error}") from None
        finally:
            progress.close()
    click.echo(_human(report))
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, sort_keys=True))


@click.command("export", help="Export a site's threads and comments.")
@click.option("--site", "slug", required=True)
@click.option("--format", "format_name", type=click.Choice(["parley", "wxr"]), required=True)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write here instead of standard output.",
)
def export_command(slug: str, format_name: str, output: Path | None) -> None:
    from service.exporting import export_parley, export_wxr

    write = export_parley if format_name == "parley" else export_wxr
    with closing(load_runtime()) as rt, rt.session() as session:
        site = _site(session, slug)
        if output is None:
            write(session, site, sys.stdout)
            return
        partial = output.with_name(output.name + ".partial")
        with partial.open("w", encoding="utf-8") as out:
            count = write(session, site, out)
        partial.replace(output)  # a reader never sees half a file
    click.echo(f"exported {count} comments of {slug} to {output}", err=True)


@click.command("erase", help="Erase an author's data on a site (their request, GDPR art. 17).")
@click.option("--site", "slug", required=True)
@click.option("--email", default=None, help="A guest's address (comments written with it).")
@click.option("--identity", "who", default=None, help="A signed-in reader, as provider:subject.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON line.")
def erase_command(slug: str, email: str | None, who: str | None, as_json: bool) -> None:
    from service.models import Identity
    from service.privacy.erase import Author, erase

    if bool(email) == bool(who):
        raise click.UsageError("give exactly one of --email or --identity")
    with closing(load_runtime()) as rt, rt.session() as session:
        site = _site(session, slug)
        if who:
            provider, _, subject = who.partition(":")
            identity = session.scalar(
                sa.select(Identity).where(
                    Identity.provider == provider, Identity.subject == subject
                )
            )
            if identity is None:
                raise click.ClickException(f"no signed-in reader {who}")
            author = Author(identity_id=identity.id)
        else:
            author = Author(email=email)
        result = erase(session, site, author, "cli")
        session.commit()
    data = result.as_dict()
    if as_json:
        click.echo(json.dumps(data))
    else:
        click.echo(
            f"erased {data['comments']} comments on {slug} ({data['mode']}: "
            f"{data['anonymized']} anonymized, {data['deleted']} deleted, "
            f"{data['tombstones']} kept as placeholders); "
            f"{data['subscriptions']} reply subscriptions removed"
        )
