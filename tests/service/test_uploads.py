"""Uploads through HTTP: SBOMs in every format the reader knows, assessments, VEX; matching
against the server's OSV database (real PyPA advisories); bad uploads change nothing."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from steward.sbom.read import read_sbom
from tests.service.conftest import World, build_world, make_vulndb
from tests.vuln.test_matching import EXPLOITED_CVE


def counts(w: World) -> dict[str, int]:
    with w.store.engine.connect() as conn:
        return {
            t: int(conn.scalar(text(f"SELECT count(*) FROM {t}")) or 0)
            for t in ("sboms", "sbom_components", "vuln_findings", "assessments", "vex_documents")
        }


def test_sbom_formats_are_stored_and_matched(
    world: World, sboms: dict[str, bytes], shared_data: Path
) -> None:
    make_vulndb(Path(world.settings.vulndb or ""), shared_data, ("werkzeug", "jinja2", "urllib3"))
    widget = world.projects["widget"]
    seen: dict[str, set[str]] = {}
    for fmt, data in sboms.items():
        r = world.client.post(
            f"/api/v1/projects/{widget}/sboms?name={fmt}", content=data, headers=world.h("mona")
        )
        assert r.status_code == 201, r.text
        assert r.json()["components"] == 4
        found = world.client.get(
            f"/api/v1/projects/{widget}/vulnerabilities?limit=500", headers=world.h("vera")
        ).json()
        seen[fmt] = {f"{v['package']['name']} {v['id']}" for v in found["items"]}
    # every format yields the same findings; werkzeug 2.2.2 has the KEV-listed one
    assert len({frozenset(s) for s in seen.values()}) == 1
    items = world.client.get(
        f"/api/v1/projects/{widget}/vulnerabilities?limit=500", headers=world.h("vera")
    ).json()["items"]
    werkzeug = [i for i in items if i["package"]["name"] == "werkzeug"]
    assert any(EXPLOITED_CVE in [i["id"], *i["aliases"]] and i["reportable"] for i in werkzeug)
    assert {i["package"]["name"] for i in items} >= {"werkzeug", "jinja2", "urllib3"}
    assert all(i["first_seen_at"] for i in items)
    summary = world.client.get("/api/v1/portfolio/summary", headers=world.h("ada")).json()
    row = next(p for p in summary["items"] if p["id"] == widget)
    assert row["exploited"] >= 1 and row["components"] == 4 * len(sboms)


def test_real_sboms_from_other_tools(sqlite_world: World, shared_data: Path) -> None:
    """CycloneDX 1.2-1.4 JSON/XML and SPDX 2.2 / 3.0 examples published by those projects."""
    w = sqlite_world
    base = shared_data / "sboms"
    files = [
        base / "cyclonedx-bom-examples/SBOM/juice-shop/v11.1.2/bom.json",
        base / "cyclonedx-bom-examples/SBOM/juice-shop/v11.1.2/bom.xml",
        base / "cyclonedx-bom-examples/SBOM/juice-shop/via_npm/flat/bom.1.2.xml",
        base / "spdx-examples/software/example7/spdx2.2/example7-golang.spdx.json",
        base / "spdx-examples/software/example7/spdx3.0/example7-golang.spdx3.json",
    ]
    for path in files:
        r = w.client.post(
            f"/api/v1/projects/{w.projects['gadget']}/sboms?name={path.name}",
            content=gzip.compress(path.read_bytes()),
            headers={**w.h("ada"), "Content-Encoding": "gzip"},
        )
        assert r.status_code == 201, (path, r.text)
        assert r.json()["components"] == len(read_sbom(path).components), path
        stored = w.client.get(f"/api/v1/sboms/{r.json()['id']}?limit=5", headers=w.h("otto"))
        assert stored.status_code == 200 and stored.json()["name"] == path.name


def test_assessment_upload(world: World, tmp_path: Path, cli: Callable[..., Any]) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "SECURITY.md").write_text("# Security\n\nReport to security@example.org\n")
    result = cli("assess", str(project), "--format", "json", "-o", str(tmp_path / "a.json"))
    assert result.exit_code in (0, 1), result.stderr
    data = (tmp_path / "a.json").read_bytes()
    widget = world.projects["widget"]
    r = world.client.post(
        f"/api/v1/projects/{widget}/assessments", content=data, headers=world.h("mona")
    )
    assert r.status_code == 201, r.text
    doc = json.loads(data)
    listed = world.client.get(f"/api/v1/projects/{widget}/assessments", headers=world.h("vera"))
    assert listed.json()["items"][0]["level_achieved"] == doc["level_achieved"]
    one = world.client.get(f"/api/v1/assessments/{r.json()['id']}", headers=world.h("vera"))
    assert one.json()["document"]["summary"] == doc["summary"]
    summary = world.client.get("/api/v1/portfolio/summary", headers=world.h("vera")).json()
    assert summary["totals"]["failing"] == doc["summary"]["fail"]
    # a viewer cannot upload; another organisation does not see the project at all
    assert (
        world.client.post(
            f"/api/v1/projects/{widget}/assessments", content=data, headers=world.h("vera")
        ).status_code
        == 403
    )
    assert (
        world.client.post(
            f"/api/v1/projects/{widget}/assessments", content=data, headers=world.h("eve")
        ).status_code
        == 404
    )


def test_vex_suppresses_and_first_seen_survives(
    sqlite_world: World, sboms: dict[str, bytes], shared_data: Path
) -> None:
    w = sqlite_world
    make_vulndb(Path(w.settings.vulndb or ""), shared_data)
    widget = w.projects["widget"]
    assert (
        w.client.post(
            f"/api/v1/projects/{widget}/sboms", content=sboms["cyclonedx-json"], headers=w.h("mona")
        ).status_code
        == 201
    )
    before = w.client.get(f"/api/v1/projects/{widget}/vulnerabilities", headers=w.h("vera")).json()
    target = next(i for i in before["items"] if EXPLOITED_CVE in [i["id"], *i["aliases"]])
    vex = {
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": "https://example.org/vex/1",
        "author": "ACME PSIRT",
        "timestamp": "2026-11-20T10:00:00Z",
        "version": 1,
        "statements": [
            {
                "vulnerability": {"name": EXPLOITED_CVE},
                "products": [{"@id": "pkg:pypi/werkzeug@2.2.2"}],
                "status": "not_affected",
                "justification": "vulnerable_code_not_in_execute_path",
            }
        ],
    }
    r = w.client.post(
        f"/api/v1/projects/{widget}/vex?name=acme.openvex.json",
        content=json.dumps(vex),
        headers=w.h("mona"),
    )
    assert r.status_code == 201, r.text
    after = w.client.get(f"/api/v1/projects/{widget}/vulnerabilities", headers=w.h("vera")).json()
    again = next(i for i in after["items"] if i["id"] == target["id"])
    assert again["suppressed"]["status"] == "not_affected"
    assert again["first_seen_at"] == target["first_seen_at"]  # re-matching keeps first-seen
    assert not again["reportable"]
    stats = w.client.get("/api/v1/portfolio/summary", headers=w.h("vera")).json()["totals"]
    assert stats["exploited"] == 0  # suppressed findings do not count


BAD_UPLOADS: list[tuple[str, bytes, str]] = [
    ("malformed JSON", b'{"bomFormat": "CycloneDX", "components": [', "invalid JSON"),
    ("wrong format", b'{"hello": "world"}', "not an SBOM"),
    ("malformed XML", b"<bom xmlns='http://cyclonedx.org/schema/bom/1.5'><components>", "XML"),
    ("not CycloneDX XML", b"<html><body>hi</body></html>", "CycloneDX"),
    (
        "XML entity bomb",
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b"<bom xmlns='http://cyclonedx.org/schema/bom/1.5'>&lol2;</bom>",
        "",
    ),
    ("empty", b"   ", "empty"),
    ("deep JSON", b"[" * 100_000 + b"]" * 100_000, ""),
]


@pytest.mark.parametrize(("label", "body", "message"), BAD_UPLOADS, ids=[b[0] for b in BAD_UPLOADS])
def test_bad_sbom_uploads_change_nothing(
    sqlite_world: World, label: str, body: bytes, message: str
) -> None:
    w = sqlite_world
    before = counts(w)
    r = w.client.post(
        f"/api/v1/projects/{w.projects['widget']}/sboms?name=bad.json",
        content=body,
        headers=w.h("mona"),
    )
    assert 400 <= r.status_code < 500, (label, r.status_code, r.text)
    detail = r.json()["detail"]
    assert message in detail and "/tmp" not in detail and "upload." not in detail, detail
    assert counts(w) == before


def test_bad_assessment_and_vex_uploads(sqlite_world: World) -> None:
    w = sqlite_world
    widget = w.projects["widget"]
    before = counts(w)
    for path, body in (
        ("assessments", b'{"project": "x"}'),
        ("assessments", b"not json"),
        ("vex", b'{"document": {"category": "nonsense"}}'),
        ("vex", b"[1, 2"),
    ):
        r = w.client.post(f"/api/v1/projects/{widget}/{path}", content=body, headers=w.h("mona"))
        assert r.status_code == 400, (path, body, r.text)
        assert r.json()["detail"]
    assert counts(w) == before


def test_body_limits_and_gzip_bombs(sqlite_db: str, tmp_path: Path) -> None:
    w = build_world(sqlite_db, tmp_path, max_body_bytes=64 * 1024, max_inflated_bytes=256 * 1024)
    widget = w.projects["widget"]
    before = counts(w)
    big = b'{"bomFormat": "CycloneDX", "x": "' + b"a" * 70_000 + b'"}'
    r = w.client.post(f"/api/v1/projects/{widget}/sboms", content=big, headers=w.h("mona"))
    assert r.status_code == 413 and "too large" in r.json()["detail"]

    def chunks() -> Any:  # no Content-Length: the limit counts streamed bytes
        for _ in range(20):
            yield b"a" * 8192

    r = w.client.post(f"/api/v1/projects/{widget}/sboms", content=chunks(), headers=w.h("mona"))
    assert r.status_code == 413
    bomb = gzip.compress(b"{" + b" " * (10 * 1024 * 1024) + b"}")
    assert len(bomb) < 64 * 1024
    r = w.client.post(
        f"/api/v1/projects/{widget}/sboms",
        content=bomb,
        headers={**w.h("mona"), "Content-Encoding": "gzip"},
    )
    assert r.status_code == 413 and "bomb" in r.json()["detail"]
    r = w.client.post(
        f"/api/v1/projects/{widget}/sboms",
        content=b"not gzip",
        headers={**w.h("mona"), "Content-Encoding": "gzip"},
    )
    assert r.status_code == 400
    assert counts(w) == before
    w.client.close()
    w.store.close()


def test_declared_100_mb_body_is_refused_before_reading(sqlite_world: World) -> None:
    """The default limit is 100 MiB: a larger declared body gets 413 at once."""
    w = sqlite_world
    assert w.settings.max_body_bytes == 100 * 1024 * 1024
    big = b"a" * (100 * 1024 * 1024 + 1)
    r = w.client.post(
        f"/api/v1/projects/{w.projects['widget']}/sboms", content=big, headers=w.h("mona")
    )
    assert r.status_code == 413


def test_cyclonedx_1_7_json_and_xml(sqlite_world: World) -> None:
    """CycloneDX 1.7 (the newest) is read like the earlier versions."""
    w = sqlite_world
    as_json = json.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.7",
            "version": 1,
            "metadata": {"component": {"type": "application", "name": "shop", "version": "2.0"}},
            "components": [
                {"type": "library", "bom-ref": "a", "name": "idna", "version": "3.7",
                 "purl": "pkg:pypi/idna@3.7"},
                {"type": "library", "bom-ref": "b", "name": "left-pad", "version": "1.3.0",
                 "purl": "pkg:npm/left-pad@1.3.0"},
            ],
        }
    ).encode()  # fmt: skip
    as_xml = (
        b'<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.7" version="1">'
        b"<components><component type='library' bom-ref='a'><name>idna</name>"
        b"<version>3.7</version><purl>pkg:pypi/idna@3.7</purl></component></components></bom>"
    )
    for name, body, count in (("j", as_json, 2), ("x", as_xml, 1)):
        r = w.client.post(
            f"/api/v1/projects/{w.projects['widget']}/sboms?name={name}",
            content=body,
            headers=w.h("mona"),
        )
        assert r.status_code == 201, r.text
        assert r.json()["components"] == count
        listed = w.client.get(f"/api/v1/sboms/{r.json()['id']}", headers=w.h("vera")).json()
        assert listed["spec_version"] == "1.7"
