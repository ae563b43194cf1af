"""`steward db`: import, update and inspect the offline vulnerability database."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer

from steward.cli.console import emit, info, progress, warn
from steward.errors import UsageError

if TYPE_CHECKING:
    from steward.store.vulndb import VulnDB

db_app = typer.Typer(
    help="The offline vulnerability database (OSV, CISA KEV, ENISA EUVD, EPSS).",
    no_args_is_help=True,
)

OSV_EXPORT = "https://osv-vulnerabilities.storage.googleapis.com/{ecosystem}/all.zip"
KEV_URL = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"
#: ENISA's whole exploited catalogue (CISA KEV + EU KEV); ``/api/exploitedvulnerabilities``
#: returns only the newest few entries and must not replace it
EUVD_KEV_DUMP_URL = "https://euvdservices.enisa.europa.eu/api/kev/dump"
EUVD_MAPPING_URL = "https://euvdservices.enisa.europa.eu/api/dump/cve-euvd-mapping"
EPSS_URL = "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz"
DEFAULT_ECOSYSTEMS = (
    "PyPI",
    "npm",
    "crates.io",
    "Go",
    "Maven",
    "Packagist",
    "RubyGems",
    "NuGet",
    "Pub",
    "Hex",
    "GitHub Actions",
)

DbOption = Annotated[
    str | None,  # text, not Path: Path would turn a mistyped URL into a plausible file name
    typer.Option("--db", help="Database file (default: in the user cache directory)."),
]


def _import_osv(database: VulnDB, sources: list[Path]) -> None:
    """Import OSV sources with a progress bar, then say what changed."""
    from steward.vuln.osv_import import import_osv

    with progress("Importing OSV records") as bar:
        task = bar.tasks[0].id
        stats = import_osv(
            database,
            sources,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    info(
        f"OSV: {stats.added} added, {stats.updated} updated, {stats.unchanged} unchanged"
        f" ({stats.withdrawn} withdrawn); {database.count()} advisories in {database.path}"
    )


def _import_feeds(
    db: VulnDB,
    kev: Path | None,
    euvd: list[Path],
    epss: Path | None,
    *,
    labels: dict[str, str] | None = None,
) -> None:
    from steward.vuln.feeds import import_epss, import_euvd, import_kev

    labels = labels or {}
    if kev is not None:
        info(f"KEV: {import_kev(db, kev, source=labels.get('kev'))} known-exploited CVEs")
    if euvd:
        done = import_euvd(db, euvd, source=labels.get("euvd"))
        if done.mapped is not None:
            info(f"EUVD: {done.mapped} CVE-EUVD id pairs")
        if done.given or done.complete:
            lists = ", ".join(f"{k} {v}" for k, v in done.by_list.items())
            how = "replaced the catalogue" if done.complete else "added to the stored ones"
            info(
                f"EUVD: {done.given} exploited entries ({lists or 'no list'}), {how}; "
                f"{done.exploited} stored"
            )
            if not done.complete:
                warn(
                    "EUVD: this list is not the whole exploited catalogue "
                    "(import ENISA's /api/kev/dump or every page of /api/search?exploited=true)"
                )
    if epss is not None:
        info(f"EPSS: {import_epss(db, epss, source=labels.get('epss'))} scores")


@db_app.command("import")
def import_command(
    sources: Annotated[
        list[Path] | None,
        typer.Argument(help="OSV data: all.zip exports, directories of OSV JSON/YAML, files."),
    ] = None,
    kev: Annotated[
        Path | None, typer.Option(help="CISA known_exploited_vulnerabilities.json")
    ] = None,
    euvd: Annotated[
        list[Path] | None,
        typer.Option(
            help="ENISA EUVD file (repeatable): the exploited catalogue /api/kev/dump, pages "
            "of /api/search?exploited=true, or the CVE-EUVD mapping CSV."
        ),
    ] = None,
    epss: Annotated[Path | None, typer.Option(help="FIRST EPSS scores (CSV, may be .gz)")] = None,
    db: DbOption = None,
) -> None:
    """Import vulnerability data from local files (incremental, all-or-nothing)."""
    from steward.interrupts import last_commit_ahead
    from steward.store.vulndb import VulnDB

    if not sources and kev is None and not euvd and epss is None:
        raise UsageError("nothing to import: give OSV sources and/or --kev/--euvd/--epss")
    with VulnDB(db) as database:
        if sources:
            if kev is None and not euvd and epss is None:
                last_commit_ahead()  # a signal after the commit no longer says "not imported"
            _import_osv(database, sources)
        _import_feeds(database, kev, euvd or [], epss)


@db_app.command("update")
def update_command(
    ecosystem: Annotated[
        list[str] | None,
        typer.Option("--ecosystem", "-e", help="OSV ecosystem to fetch (repeatable)."),
    ] = None,
    kev: Annotated[bool, typer.Option(help="Fetch the CISA KEV catalog.")] = True,
    euvd: Annotated[
        bool,
        typer.Option(help="Fetch ENISA EUVD's whole exploited catalogue and CVE-EUVD mapping."),
    ] = True,
    epss: Annotated[bool, typer.Option(help="Fetch FIRST EPSS scores.")] = True,
    db: DbOption = None,
) -> None:
    """Download the osv.dev exports and the exploitation feeds, then import them."""
    from steward.store.vulndb import VulnDB
    from steward.vuln.osv_import import download

    ecosystems = ecosystem or list(DEFAULT_ECOSYSTEMS)
    with tempfile.TemporaryDirectory(prefix="steward-update-") as tmp, VulnDB(db) as database:
        folder = Path(tmp)
        zips = []
        for name in ecosystems:
            info(f"downloading OSV {name} ...")
            target = folder / f"{name.replace(' ', '_').replace('/', '_')}.zip"
            zips.append(download(OSV_EXPORT.format(ecosystem=name.replace(" ", "%20")), target))
        _import_osv(database, zips)
        kev_file = epss_file = None
        euvd_files: list[Path] = []
        if kev:
            info("downloading CISA KEV ...")
            kev_file = download(KEV_URL, folder / "kev.json")
        if euvd:
            info("downloading ENISA EUVD exploited catalogue and CVE-EUVD mapping ...")
            euvd_files = [
                download(EUVD_KEV_DUMP_URL, folder / "euvd-kev-dump.json"),
                download(EUVD_MAPPING_URL, folder / "cve-euvd-mapping.csv"),
            ]
        if epss:
            info("downloading FIRST EPSS ...")
            epss_file = download(EPSS_URL, folder / "epss.csv.gz")
        labels = {
            "kev": KEV_URL,
            "euvd": f"{EUVD_KEV_DUMP_URL}, {EUVD_MAPPING_URL}",
            "epss": EPSS_URL,
        }
        _import_feeds(database, kev_file, euvd_files, epss_file, labels=labels)


@db_app.command("status")
def status_command(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show what the database holds: every feed's size, source, import time and date."""
    from steward.sbom.assemble import build_timestamp
    from steward.store.vulndb import VulnDB
    from steward.vuln.summary import FEED_NAMES, STALE_DAYS

    now = build_timestamp()
    with VulnDB(db, must_exist=db is not None) as database:
        feeds = database.feeds()
        status: dict[str, object] = {
            "path": str(database.path),
            "advisories": database.count(),
            "feeds": feeds,
        }
    if as_json:
        emit(orjson.dumps(status, option=orjson.OPT_INDENT_2), None)
        return
    lines = [f"path: {status['path']}", f"advisories: {status['advisories']}"]
    for name, feed in feeds.items():
        if feed is None:
            lines.append(f"{FEED_NAMES[name]}: not imported")
            continue
        date = (
            feed.get("catalog_date") or feed.get("score_date") or feed.get("newest_entry") or None
        )
        parts = [f"{feed.get('count')} entries"]
        if date:
            day = str(date)[:10]
            parts.append(f"dated {day}")
            try:
                age = (now.date() - datetime.date.fromisoformat(day)).days
            except ValueError:
                age = None
            if age is not None:
                parts.append(f"{age} days old" + (" (stale)" if age > STALE_DAYS else ""))
        if feed.get("catalog_version"):
            parts.append(f"catalogue {feed['catalog_version']}")
        if feed.get("lists"):
            lists = feed["lists"]
            parts.append("lists " + ", ".join(f"{k} {v}" for k, v in dict(lists).items()))
        parts.append(f"imported {feed.get('imported_at') or 'at an unknown time'}")
        parts.append(f"from {feed.get('source') or 'an unknown source'}")
        lines.append(f"{FEED_NAMES[name]}: " + "; ".join(parts))
    emit("\n".join(lines), None)


def register(app: typer.Typer) -> None:
    """Add the `db` command group to the root app."""
    app.add_typer(db_app, name="db")
