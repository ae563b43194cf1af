"""`steward db`: import, update and inspect the offline vulnerability database."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer

from steward.cli.console import emit, info, progress
from steward.errors import UsageError

if TYPE_CHECKING:
    from steward.store.vulndb import VulnDB

db_app = typer.Typer(
    help="The offline vulnerability database (OSV, CISA KEV, ENISA EUVD, EPSS).",
    no_args_is_help=True,
)

OSV_EXPORT = "https://osv-vulnerabilities.storage.googleapis.com/{ecosystem}/all.zip"
KEV_URL = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"
EUVD_URL = "https://euvdservices.enisa.europa.eu/api/exploitedvulnerabilities"
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
    Path | None,
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


def _import_feeds(db: VulnDB, kev: Path | None, euvd: Path | None, epss: Path | None) -> None:
    from steward.vuln.osv_import import import_epss, import_euvd, import_kev

    if kev is not None:
        info(f"KEV: {import_kev(db, kev)} known-exploited CVEs")
    if euvd is not None:
        info(f"EUVD: {import_euvd(db, euvd)} exploited vulnerabilities")
    if epss is not None:
        info(f"EPSS: {import_epss(db, epss)} scores")


@db_app.command("import")
def import_command(
    sources: Annotated[
        list[Path] | None,
        typer.Argument(help="OSV data: all.zip exports, directories of OSV JSON/YAML, files."),
    ] = None,
    kev: Annotated[
        Path | None, typer.Option(help="CISA known_exploited_vulnerabilities.json")
    ] = None,
    euvd: Annotated[Path | None, typer.Option(help="ENISA EUVD exploited list (JSON)")] = None,
    epss: Annotated[Path | None, typer.Option(help="FIRST EPSS scores (CSV, may be .gz)")] = None,
    db: DbOption = None,
) -> None:
    """Import vulnerability data from local files (incremental, all-or-nothing)."""
    from steward.store.vulndb import VulnDB

    if not sources and kev is None and euvd is None and epss is None:
        raise UsageError("nothing to import: give OSV sources and/or --kev/--euvd/--epss")
    with VulnDB(db) as database:
        if sources:
            _import_osv(database, sources)
        _import_feeds(database, kev, euvd, epss)


@db_app.command("update")
def update_command(
    ecosystem: Annotated[
        list[str] | None,
        typer.Option("--ecosystem", "-e", help="OSV ecosystem to fetch (repeatable)."),
    ] = None,
    kev: Annotated[bool, typer.Option(help="Fetch the CISA KEV catalog.")] = True,
    euvd: Annotated[bool, typer.Option(help="Fetch the ENISA EUVD exploited list.")] = True,
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
        feeds: dict[str, Path | None] = {"kev": None, "euvd": None, "epss": None}
        for key, wanted, url, filename in (
            ("kev", kev, KEV_URL, "kev.json"),
            ("euvd", euvd, EUVD_URL, "euvd.json"),
            ("epss", epss, EPSS_URL, "epss.csv.gz"),
        ):
            if wanted:
                info(f"downloading {key.upper()} ...")
                feeds[key] = download(url, folder / filename)
        _import_feeds(database, feeds["kev"], feeds["euvd"], feeds["epss"])


@db_app.command("status")
def status_command(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show what the database holds and when it was last updated."""
    from steward.store.vulndb import VulnDB

    with VulnDB(db) as database:
        status = {
            "path": str(database.path),
            "advisories": database.count(),
            "osv_imported_at": database.meta("osv_imported_at"),
            "kev_catalog_version": database.meta("kev_catalog_version"),
            "epss_score_date": database.meta("epss_score_date"),
        }
    if as_json:
        emit(orjson.dumps(status, option=orjson.OPT_INDENT_2), None)
        return
    emit(
        "\n".join(f"{key}: {value if value is not None else '-'}" for key, value in status.items()),
        None,
    )


def register(app: typer.Typer) -> None:
    """Add the `db` command group to the root app."""
    app.add_typer(db_app, name="db")
