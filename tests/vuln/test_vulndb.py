"""The vulnerability database: OSV import (zip, tree, file), incremental and atomic updates,
hostile archives, lookups, and the KEV / EUVD / EPSS feeds."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path
from typing import Any

import orjson
import pytest

from steward.errors import InputError, UnsafeInputError
from steward.safeio import ZipLimits
from steward.store.vulndb import VulnDB
from steward.vuln.feeds import import_epss, import_euvd, import_kev
from steward.vuln.osv_import import (
    import_osv,
    iter_records,
)
from steward.vuln.ranges import Verdict


def record(adv_id: str, modified: str, name: str = "demo", **extra: Any) -> dict[str, Any]:
    return {
        "id": adv_id,
        "modified": modified,
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": name},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}
                ],
            }
        ],
        **extra,
    }


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.fixture(scope="module")
def real_db(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> VulnDB:
    go = shared_data / "osv" / "Go" / "all.zip"
    pypa = shared_data / "osv" / "pypa-advisory-database" / "vulns"
    if not go.is_file() or not pypa.is_dir():
        pytest.skip("shared OSV corpora missing")
    db = VulnDB(tmp_path_factory.mktemp("vdb") / "vuln.sqlite")
    calls: list[tuple[int, int | None]] = []
    stats = import_osv(
        db, [go, pypa / "django", pypa / "jinja2"], progress=lambda d, t: calls.append((d, t))
    )
    assert stats.added == db.count() > 4000
    assert calls and calls[-1][0] == calls[-1][1] == stats.seen
    return db


def test_real_corpus_lookups(real_db: VulnDB) -> None:
    gin = real_db.advisories_for("Go", "github.com/gin-gonic/gin")
    assert "GO-2020-0001" in {a.id for a in gin}
    first = next(a for a in gin if a.id == "GO-2020-0001")
    assert first.evaluate("v1.5.0") is Verdict.AFFECTED  # fixed in 1.6.0
    assert first.evaluate("v1.6.0") is Verdict.NOT_AFFECTED
    # PEP 503: any spelling of the name finds the PyPI package
    assert {a.id for a in real_db.advisories_for("PyPI", "Django")} == {
        a.id for a in real_db.advisories_for("PyPI", "django")
    }
    assert len(real_db.advisories_for("PyPI", "django")) > 50
    assert real_db.advisories_for("PyPI", "no-such-package-here") == []
    # alias lookup (CVE → advisory)
    assert "GO-2020-0001" in real_db.ids_for_alias("CVE-2020-36567")
    assert real_db.record("CVE-2020-36567") is not None


def test_reimport_is_incremental(real_db: VulnDB, shared_data: Path) -> None:
    stats = import_osv(real_db, [shared_data / "osv" / "Go" / "all.zip"])
    assert stats.added == stats.updated == 0
    assert stats.unchanged > 4000


def test_update_withdrawn_and_yaml(tmp_path: Path) -> None:
    db = VulnDB(tmp_path / "v.sqlite")
    tree = tmp_path / "tree" / "demo"
    tree.mkdir(parents=True)
    (tree / "A-1.json").write_bytes(orjson.dumps(record("A-1", "2024-01-01T00:00:00Z")))
    (tree / "A-2.yaml").write_text(
        "id: A-2\nmodified: 2024-01-01T00:00:00Z\nwithdrawn: 2024-02-01T00:00:00Z\n"
        "affected:\n- package: {ecosystem: PyPI, name: Demo_Pkg}\n  versions: ['1.0']\n"
    )
    assert import_osv(db, [tmp_path / "tree"]).added == 2
    assert [a.id for a in db.advisories_for("PyPI", "demo")] == ["A-1"]
    withdrawn = db.advisories_for("PyPI", "demo.pkg", include_withdrawn=True)
    assert [a.id for a in withdrawn] == ["A-2"] and withdrawn[0].is_withdrawn
    assert db.advisories_for("PyPI", "demo.pkg") == []
    # an older or equal "modified" is skipped, a newer one replaces the record and its index
    newer = record("A-1", "2024-03-01T00:00:00.5Z", name="renamed")
    (tree / "A-1.json").write_bytes(orjson.dumps(newer))
    stats = import_osv(db, [tree / "A-1.json"])
    assert (stats.added, stats.updated) == (0, 1)
    assert db.advisories_for("PyPI", "demo") == []
    assert [a.id for a in db.advisories_for("PyPI", "renamed")] == ["A-1"]
    stats = import_osv(db, [tree / "A-1.json"])
    assert stats.unchanged == 1


def test_failed_import_leaves_previous_database(tmp_path: Path) -> None:
    db = VulnDB(tmp_path / "v.sqlite")
    good = write_zip(
        tmp_path / "good.zip", {"A-1.json": orjson.dumps(record("A-1", "2024-01-01T00:00:00Z"))}
    )
    import_osv(db, [good])
    bad = write_zip(
        tmp_path / "bad.zip",
        {
            "B-1.json": orjson.dumps(record("B-1", "2024-01-01T00:00:00Z")),
            "A-1.json": orjson.dumps(record("A-1", "2025-01-01T00:00:00Z", name="other")),
            "../evil.json": b"{}",
        },
    )
    with pytest.raises(UnsafeInputError, match="unsafe path"):
        import_osv(db, [bad])
    assert db.count() == 1
    assert [a.id for a in db.advisories_for("PyPI", "demo")] == ["A-1"]
    assert db.advisories_for("PyPI", "other") == []
    broken = write_zip(tmp_path / "broken.zip", {"C-1.json": b'{"id": "C-1"}'})
    with pytest.raises(InputError, match="modified"):
        import_osv(db, [broken])
    assert db.count() == 1


def test_hostile_archives_are_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.json", b" " * (20 * 1024 * 1024))
    with pytest.raises(UnsafeInputError, match=r"ratio|inflates"):
        list(iter_records(bomb))
    many = write_zip(tmp_path / "many.zip", {f"{i}.json": b"{}" for i in range(20)})
    with pytest.raises(UnsafeInputError, match="members"):
        list(iter_records(many, limits=ZipLimits(max_members=10)))
    link = tmp_path / "link.zip"
    with zipfile.ZipFile(link, "w") as zf:
        info = zipfile.ZipInfo("x.json")
        info.external_attr = 0o120777 << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(UnsafeInputError, match="symbolic link"):
        list(iter_records(link))
    garbage = tmp_path / "garbage.zip"
    garbage.write_bytes(b"not a zip")
    with pytest.raises(InputError):
        list(iter_records(garbage))


def test_symlink_out_of_tree_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_bytes(orjson.dumps(record("X-1", "2024-01-01T00:00:00Z")))
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "x.json").symlink_to(outside)
    with pytest.raises(UnsafeInputError):
        list(iter_records(tree))


def test_kev_euvd_epss_feeds(tmp_path: Path) -> None:
    db = VulnDB(tmp_path / "v.sqlite")
    kev = tmp_path / "kev.json"
    kev.write_bytes(
        orjson.dumps(
            {
                "title": "CISA Catalog of Known Exploited Vulnerabilities",
                "catalogVersion": "2025.01.01",
                "count": 1,
                "vulnerabilities": [
                    {
                        "cveID": "CVE-2021-44228",
                        "vendorProject": "Apache",
                        "product": "Log4j2",
                        "dateAdded": "2021-12-10",
                        "dueDate": "2021-12-24",
                        "knownRansomwareCampaignUse": "Known",
                    }
                ],
            }
        )
    )
    assert import_kev(db, kev) == 1
    entry = db.kev("CVE-2021-44228")
    assert entry is not None and entry["knownRansomwareCampaignUse"] == "Known"
    assert db.kev("CVE-2000-0001") is None
    assert (db.feeds()["kev"] or {})["catalog_version"] == "2025.01.01"

    euvd = tmp_path / "euvd.json"
    euvd.write_bytes(
        orjson.dumps(
            [
                {
                    "id": "EUVD-2024-1234",
                    "aliases": "CVE-2024-3094\nGHSA-xxxx-yyyy-zzzz\n",
                    "exploitedSince": "2024-03-29T00:00:00Z",
                }
            ]
        )
    )
    assert import_euvd(db, euvd).exploited == 1
    by_cve = db.euvd("CVE-2024-3094")
    assert by_cve is not None and by_cve["id"] == "EUVD-2024-1234"
    assert db.euvd("EUVD-2024-1234") == by_cve

    epss = tmp_path / "epss.csv"
    epss.write_text(
        "#model_version:v2023.03.01,score_date:2025-01-01T00:00:00+0000\n"
        "cve,epss,percentile\nCVE-2021-44228,0.97565,0.99996\nCVE-1999-0001,0.01,0.5\n"
    )
    assert import_epss(db, epss) == 2
    assert db.epss("CVE-2021-44228") == (0.97565, 0.99996)
    assert (db.feeds()["epss"] or {})["model_version"] == "v2023.03.01"
    epss.write_text("cve,epss,percentile\nCVE-1,notanumber,0.1\n")
    with pytest.raises(InputError) as err:
        import_epss(db, epss)
    assert err.value.line == 2
    assert db.epss("CVE-2021-44228") is not None  # the failed import changed nothing
    kev.write_text('{"vulnerabilities": [{"nocve": 1}]}')
    with pytest.raises(InputError):
        import_kev(db, kev)
    assert db.kev("CVE-2021-44228") is not None


def test_lookups_are_fast(real_db: VulnDB) -> None:
    names = [f"github.com/example/missing{i}" for i in range(9000)]
    names += ["github.com/gin-gonic/gin", "golang.org/x/net", "golang.org/x/crypto"] * 334
    start = time.process_time()
    affected = 0
    for name in names:
        for adv in real_db.advisories_for("Go", name):
            affected += adv.evaluate("v0.0.1") is Verdict.AFFECTED
    elapsed = time.process_time() - start
    assert affected > 0
    assert elapsed < 2.0, f"10,000 lookups took {elapsed:.2f} s"


def test_single_file_and_bad_inputs(tmp_path: Path) -> None:
    db = VulnDB(tmp_path / "v.sqlite")
    one = tmp_path / "one.json"
    one.write_bytes(orjson.dumps(record("S-1", "2024-01-01T00:00:00Z")))
    assert import_osv(db, [one]).added == 1
    not_object = tmp_path / "list.json"
    not_object.write_text("[1, 2]")
    with pytest.raises(InputError, match="object"):
        import_osv(db, [not_object])
    with pytest.raises(InputError):
        import_osv(db, [tmp_path / "missing.json"])
    bad_time = tmp_path / "time.json"
    bad_time.write_bytes(orjson.dumps(record("S-2", "yesterday")))
    with pytest.raises(InputError, match="RFC 3339"):
        import_osv(db, [bad_time])
    assert db.count() == 1


def _broken(kind: str) -> dict[str, Any]:
    good = record("BAD-1", "2024-01-01T00:00:00Z")
    entry = good["affected"][0]
    if kind == "versions":
        entry["versions"] = 5
    elif kind == "event":
        entry["ranges"][0]["events"] = [{"introduced": 0}]
    elif kind == "events":
        entry["ranges"][0]["events"] = "introduced 0"
    elif kind == "range":
        entry["ranges"] = ["ECOSYSTEM"]
    elif kind == "package":
        entry["package"] = {"ecosystem": "PyPI", "name": ["demo"]}
    elif kind == "aliases":
        good["aliases"] = "CVE-2024-1"
    elif kind == "affected":
        good["affected"] = {"package": "demo"}
    elif kind == "null version":
        entry["versions"] = ["1.0", None]
    elif kind == "no events":
        del entry["ranges"][0]["events"]
    elif kind == "severity":
        good["severity"] = [{"type": "CVSS_V3", "score": 9.8}]
    elif kind == "modified":
        good["modified"] = ["2024-01-01"]
    return good


@pytest.mark.parametrize(
    ("kind", "where"),
    [
        ("versions", "affected[0].versions is a number, expected a list"),
        ("event", "affected[0].ranges[0].events[0].introduced is a number, expected text"),
        ("events", "affected[0].ranges[0].events is text, expected a list"),
        ("range", "affected[0].ranges[0] is text, expected a mapping"),
        ("package", "affected[0].package.name is a list, expected text"),
        ("aliases", "aliases is text, expected a list"),
        ("affected", "affected is a mapping, expected a list"),
        # checked by steward.shapes since it replaced the importer's own checks
        ("null version", "affected[0].versions[1] is null, expected text"),
        ("no events", "affected[0].ranges[0].events is missing"),
        ("severity", "severity[0].score is a number, expected text"),
        ("modified", "modified is a list, expected text or a time"),
    ],
)
def test_malformed_osv_records_are_refused_whole(tmp_path: Path, kind: str, where: str) -> None:
    db = VulnDB(tmp_path / "v.sqlite")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "GOOD-1.json").write_bytes(orjson.dumps(record("GOOD-1", "2024-01-01T00:00:00Z")))
    (tree / "zz-bad.json").write_bytes(orjson.dumps(_broken(kind)))
    with pytest.raises(InputError) as err:
        import_osv(db, [tree])
    assert str(err.value) == f"{tree / 'zz-bad.json'}: OSV record BAD-1: {where}"
    assert db.count() == 0  # the good record before it was rolled back too


def test_bad_feed_files_on_the_command_line(cli: Any, tmp_path: Path) -> None:
    db = str(tmp_path / "v.sqlite")
    bad = tmp_path / "bad.json"
    bad.write_text('{"items": [{"id": "EUVD-1"}], "total": 7}')
    done = cli("db", "import", "--euvd", str(bad), "--db", db)
    assert done.exit_code == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith(f"steward: error: {bad}: EUVD")
    osv = tmp_path / "osv.json"
    osv.write_bytes(orjson.dumps(_broken("versions")))
    done = cli("db", "import", str(osv), "--db", db)
    assert done.exit_code == 2
    assert f"{osv}: OSV record BAD-1: affected[0].versions is a number, expected a list" in (
        done.stderr
    )
    assert json.loads(cli("db", "status", "--db", db, "--json").stdout)["advisories"] == 0


def test_a_database_from_an_older_steward_still_reads(tmp_path: Path) -> None:
    """No euvd_ids table, feeds described only by the old meta keys: read, never crash."""
    import sqlite3

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:
        conn.executescript(
            "CREATE TABLE advisories (id TEXT PRIMARY KEY, modified TEXT, published TEXT,"
            " withdrawn TEXT, source TEXT, data BLOB);"
            "CREATE TABLE affected_index (ecosystem TEXT, name TEXT, advisory_id TEXT,"
            " full_ecosystem TEXT);"
            "CREATE TABLE kev (cve_id TEXT PRIMARY KEY, date_added TEXT, due_date TEXT,"
            " ransomware TEXT, data BLOB);"
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
            "INSERT INTO meta VALUES ('kev_catalog_version', '2025.01.01');"
            "INSERT INTO kev VALUES ('CVE-2021-44228', '2021-12-10', NULL, NULL, '{}');"
        )
        conn.execute(
            "INSERT INTO advisories VALUES ('X-1', '2024', NULL, NULL, 'x', ?)",
            (orjson.dumps(record("X-1", "2024-01-01T00:00:00Z")),),
        )
        conn.execute("INSERT INTO affected_index VALUES ('PyPI', 'demo', 'X-1', 'PyPI')")
    db = VulnDB(path)
    feeds = db.feeds()
    assert feeds["kev"] == {
        "count": 1, "imported_at": None, "source": None, "catalog_version": "2025.01.01"
    }  # fmt: skip
    assert feeds["euvd_mapping"] is None and db.euvd_ids("CVE-2021-44228") == []
    assert [a.id for a in db.advisories_for("PyPI", "demo")] == ["X-1"]
    assert db.exploitation(["CVE-2021-44228"]).kev["CVE-2021-44228"] == {}
    not_db = tmp_path / "not.sqlite"
    not_db.write_text("hello, I am not a database" * 100)
    with pytest.raises(InputError, match="not a vulnerability database"):
        VulnDB(not_db).count()
