"""A demo portfolio for the page tests, the browser tests and ``bench/screenshots.py``.

Everything goes in through the REST API with the people's tokens (the same code a project's
CI uses): real ``steward assess`` documents of small generated checkouts, CycloneDX SBOMs
written by ``steward sbom generate`` and matched against OSV advisories from the shared
corpus, an OpenVEX statement, and cases with Art. 14 clocks (one overdue, one embargoed).
Hostile text sits where users can put it: a project name, a finding message, an SBOM
component name and case titles carry markup that must reach the browser as text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from tests.service.conftest import REQUIREMENTS, World, make_vulndb

PASSWORD = "correct horse battery staple"
#: markup that would run if any page rendered stored text unescaped
XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
EMBARGOED_TITLE = "Embargoed: remote code execution in widget uploads"


@dataclass
class Demo:
    world: World
    public_case: str = ""
    embargoed_case: str = ""
    overdue_case: str = ""
    assessments: dict[str, list[int]] = field(default_factory=dict)
    sboms: dict[str, int] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _password_hash() -> str:
    from steward.service.passwords import hash_password

    return hash_password(PASSWORD)


def set_passwords(world: World, names: list[str]) -> None:
    from steward.store import accounts

    hashed = _password_hash()
    now = datetime.now(UTC)

    def work(session: Any) -> None:
        for name in names:
            accounts.set_password(session, name, hashed, actor="test", now=now)

    world.store.write(work)


def _checkout(root: Path, kind: int) -> Path:
    """A small project checkout; higher kinds have more of what the catalog asks for."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "requirements.txt").write_text(REQUIREMENTS)
    (root / "app.py").write_text("print('hello')\n")
    if kind >= 1:
        (root / "SECURITY.md").write_text(
            "# Security policy\n\nReport vulnerabilities to security@example.org "
            "(we answer within 3 working days). Supported versions: the latest release.\n"
        )
        (root / "LICENSE").write_text("Apache License\nVersion 2.0, January 2004\n")
    if kind >= 2:
        workflows = root / ".github" / "workflows"
        workflows.mkdir(parents=True, exist_ok=True)
        (workflows / "ci.yml").write_text(
            "name: ci\non: [push]\npermissions:\n  contents: read\njobs:\n  test:\n"
            "    runs-on: ubuntu-latest\n    steps:\n"
            "      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11\n"
            "      - run: python -m pytest\n"
        )
        (root / ".github" / "dependabot.yml").write_text(
            "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n"
            "    schedule:\n      interval: weekly\n"
        )
        (root / "README.md").write_text("# Demo\n\nRun `python app.py`.\n")
    return root


@lru_cache(maxsize=8)
def assessment_document(kind: int, workdir: str) -> bytes:
    """``steward assess --format json`` of a generated checkout of this kind."""
    from steward.evaluate import assess

    root = _checkout(Path(workdir) / f"checkout-{kind}", kind)
    return assess(root).to_json().encode()


def with_hostile_message(document: bytes) -> bytes:
    data = json.loads(document)
    for finding in data["findings"]:
        if finding["status"] == "fail":
            finding["message"] = f"{XSS} {finding['message']}"
            break
    return json.dumps(data).encode()


@lru_cache(maxsize=2)
def sbom_document(workdir: str) -> bytes:
    """A CycloneDX JSON SBOM of the checkout's requirements.txt (``steward sbom generate``),
    plus one component whose name is markup."""
    from typer.testing import CliRunner

    from steward.cli.app import app

    root = _checkout(Path(workdir) / "checkout-sbom", 0)
    target = Path(workdir) / "bom.json"
    result = CliRunner().invoke(
        app,
        [
            "sbom",
            "generate",
            str(root),
            "-f",
            "cyclonedx-json",
            "-o",
            str(target),
            "--name",
            "shop",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text())
    data.setdefault("components", []).append(
        {"type": "library", "bom-ref": "hostile", "name": XSS, "version": "1.0"}
    )
    return json.dumps(data).encode()


def _ok(response: Any, what: str) -> Any:
    assert response.status_code in (200, 201, 202), (
        f"{what}: {response.status_code} {response.text}"
    )
    return response.json()


def seed(world: World, workdir: Path, shared_data: Path, *, extra_projects: int = 0) -> Demo:
    """Fill ``world`` (tests/service/conftest.py's people and projects) with a portfolio."""
    from steward.store import portfolio
    from steward.store.access import Principal

    w = world
    demo = Demo(world)
    set_passwords(w, ["root", "ada", "sam", "mona", "vera", "otto", "eve", "nobody"])
    make_vulndb(Path(w.settings.vulndb or workdir / "vulndb.sqlite"), shared_data)
    root = Principal(name="root", admin=True)
    now = datetime.now(UTC)

    def names(session: Any) -> None:
        portfolio.update_project(session, root, w.projects["widget"], now=now, name=f"Widget {XSS}")
        portfolio.update_project(session, root, w.projects["gadget"], now=now, name="Gadget")
        for i in range(extra_projects):
            slug = f"service-{i:03d}"
            w.projects[slug] = portfolio.create_project(
                session, root, "acme", slug, now=now, name=f"Service {i:03d}"
            )

    w.store.write(names)
    work = str(workdir)
    plain = assessment_document(0, work)
    better = assessment_document(1, work)
    best = assessment_document(2, work)
    uploads = {
        "widget": [plain, with_hostile_message(better)],
        "gadget": [better, best],
        "rival-app": [plain],
    }
    for i in range(extra_projects):
        uploads[f"service-{i:03d}"] = [[plain, better, best][i % 3]]
    for slug, documents in uploads.items():
        token = "eve" if slug == "rival-app" else "ada"
        for document in documents:
            body = _ok(
                w.client.post(
                    f"/api/v1/projects/{w.projects[slug]}/assessments",
                    content=document,
                    headers=w.h(token),
                ),
                f"assessment of {slug}",
            )
            demo.assessments.setdefault(slug, []).append(body["id"])
    sbom = sbom_document(work)
    for slug in ("widget", "gadget"):
        body = _ok(
            w.client.post(
                f"/api/v1/projects/{w.projects[slug]}/sboms?name=shop.cdx.json",
                content=sbom,
                headers=w.h("ada"),
            ),
            f"SBOM of {slug}",
        )
        demo.sboms[slug] = body["id"]
    vex = {
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": "https://example.org/vex/widget-1",
        "author": "Acme security team",
        "timestamp": now.isoformat(),
        "version": 1,
        "statements": [
            {
                "vulnerability": {"name": "CVE-2023-23934"},
                "products": [{"@id": "pkg:pypi/werkzeug@2.2.2"}],
                "status": "not_affected",
                "justification": "vulnerable_code_not_in_execute_path",
            }
        ],
    }
    _ok(
        w.client.post(
            f"/api/v1/projects/{w.projects['widget']}/vex?name=widget.openvex.json",
            content=json.dumps(vex).encode(),
            headers=w.h("ada"),
        ),
        "VEX of widget",
    )
    _cases(demo)
    return demo


def _cases(demo: Demo) -> None:
    w = demo.world
    widget = w.projects["widget"]
    now = datetime.now(UTC)
    product = {
        "product": {
            "name": "widget",
            "ecosystem": "PyPI",
            "purl": "pkg:pypi/widget",
            "affected": ["<2.3.1"],
            "fixed": ["2.3.1"],
        }
    }
    public = _ok(
        w.client.post(
            f"/api/v1/projects/{widget}/cases",
            json={
                "title": f"Path traversal in archive extraction {XSS}",
                "received_at": (now - timedelta(days=20)).isoformat(),
                "events": [
                    {"kind": "product_added", "data": product},
                    {
                        "kind": "severity_set",
                        "data": {"cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:H"},
                    },
                    {"kind": "alias_added", "data": {"alias": "CVE-2026-31415"}},
                    {"kind": "confirmed"},
                    {"kind": "fixed", "data": {"versions": ["2.3.1"]}},
                    {"kind": "published", "data": {"url": "https://example.org/advisories/1"}},
                ],
            },
            headers=w.h("sam"),
        ),
        "public case",
    )
    demo.public_case = public["id"]
    overdue = _ok(
        w.client.post(
            f"/api/v1/projects/{widget}/cases",
            json={
                "title": "Actively exploited deserialisation in widget",
                "received_at": (now - timedelta(days=3)).isoformat(),
                "events": [
                    {"kind": "product_added", "data": product},
                    {"kind": "confirmed"},
                    {
                        "kind": "exploitation_aware",
                        "occurred_at": (now - timedelta(hours=30)).isoformat(),
                        "data": {"evidence": "CISA KEV", "source": "CISA KEV"},
                    },
                ],
            },
            headers=w.h("sam"),
        ),
        "overdue case",
    )
    demo.overdue_case = overdue["id"]
    embargoed = _ok(
        w.client.post(
            f"/api/v1/projects/{widget}/cases",
            json={
                "title": EMBARGOED_TITLE,
                "received_at": (now - timedelta(days=1)).isoformat(),
                "events": [
                    {"kind": "product_added", "data": product},
                    {"kind": "confirmed"},
                    {
                        "kind": "embargo_set",
                        "data": {"until": (now + timedelta(days=30)).isoformat()},
                    },
                    {
                        "kind": "exploitation_aware",
                        "occurred_at": (now - timedelta(hours=2)).isoformat(),
                        "data": {"evidence": "reporter"},
                    },
                    {"kind": "fix_started"},
                ],
            },
            headers=w.h("sam"),
        ),
        "embargoed case",
    )
    demo.embargoed_case = embargoed["id"]
    _ok(
        w.client.put(
            "/api/v1/organisations/acme/profile",
            json={
                "name": "Acme Software GmbH",
                "country": "DE",
                "address": "Musterstraße 1, 10115 Berlin",
                "contact_email": "security@acme.example",
                "website": "https://acme.example",
            },
            headers=w.h("ada"),
        ),
        "profile",
    )
