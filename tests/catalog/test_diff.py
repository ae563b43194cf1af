"""`steward catalog diff`: changes between catalog versions, and an old assessment re-read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from steward.catalog.diff import diff, load_catalog_ref, release_versions, reread
from steward.catalog.export import to_dict
from steward.catalog.loader import load_catalog
from steward.errors import InputError, NotFoundError


def _exported(tmp_path: Path, name: str, edit: Any = None) -> Path:
    data = to_dict(load_catalog())
    if edit is not None:
        edit(data)
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def _requirement(data: dict[str, Any], rid: str) -> dict[str, Any]:
    return next(r for r in data["requirements"] if r["id"] == rid)


def test_release_1_0_0_against_current() -> None:
    assert "1.0.0" in release_versions() and load_catalog().version in release_versions()
    changes = diff(load_catalog_ref("1.0.0"), load_catalog_ref("current"))
    added = {r.id for r in changes.added}
    assert {"STW-VUL-16", "STW-VUL-19", "STW-QA-11", "STW-LEG-05"} <= added
    assert changes.removed == []
    vul01 = next(c for c in changes.changed if c.id == "STW-VUL-01")
    assert not vul01.normative and "orc_vhs" in vul01.mappings
    assert changes.frameworks["osps"] == (None, "v2026.02.19")


def test_normative_and_guidance_changes(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        _requirement(data, "STW-VUL-03")["text"] += " Reports MUST be acknowledged."
        _requirement(data, "STW-VUL-02")["fix"] = "Name a security team."
        _requirement(data, "STW-VUL-04")["mappings"]["cra"].remove("Annex I Part II (5)")
        data["requirements"] = [r for r in data["requirements"] if r["id"] != "STW-VUL-13"]
        data["version"] = "9.0.0"

    old = load_catalog_ref(str(_exported(tmp_path, "old.json")))
    new = load_catalog_ref(str(_exported(tmp_path, "new.json", edit)))
    changes = diff(old, new)
    by_id = {c.id: c for c in changes.changed}
    assert by_id["STW-VUL-03"].normative and set(by_id["STW-VUL-03"].fields) == {"text"}
    assert not by_id["STW-VUL-02"].normative and set(by_id["STW-VUL-02"].fields) == {"fix"}
    assert by_id["STW-VUL-04"].mappings == {
        "cra": {"added": [], "removed": ["Annex I Part II (5)"]}
    }
    assert [r.id for r in changes.removed] == ["STW-VUL-13"]
    assessment = {
        "catalog_version": old.version,
        "findings": [
            {"requirement_id": "STW-VUL-01", "status": "pass"},
            {"requirement_id": "STW-VUL-02", "status": "fail"},
            {"requirement_id": "STW-VUL-03", "status": "pass"},
            {"requirement_id": "STW-VUL-13", "status": "needs-attestation"},
        ],
    }
    states = {r.id: (r.state, r.status) for r in reread(assessment, changes, "a.json")}
    assert states["STW-VUL-01"] == ("carried", "pass")
    assert states["STW-VUL-02"] == ("carried", "fail")  # only the fix text changed
    assert states["STW-VUL-03"] == ("re-check", "pass")
    assert states["STW-VUL-13"] == ("removed", "needs-attestation")
    assert states["STW-GOV-01"] == ("not-assessed", None)


def test_assessment_against_another_catalog_is_refused() -> None:
    changes = diff(load_catalog_ref("1.0.0"), load_catalog_ref("current"))
    with pytest.raises(InputError, match=r"made against catalog 1\.1\.0, not 1\.0\.0"):
        reread({"catalog_version": "1.1.0", "findings": []}, changes, "a.json")
    with pytest.raises(InputError, match="not a Steward assessment"):
        reread({"findings": "x"}, changes, "a.json")


def test_bad_catalog_references(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match=r"no catalog version or file '0\.9\.0'"):
        load_catalog_ref("0.9.0")
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(InputError, match="not JSON") as info:
        load_catalog_ref(str(tmp_path / "broken.json"))
    assert "broken.json" in str(info.value)
    (tmp_path / "other.json").write_text('{"bomFormat": "CycloneDX"}')
    with pytest.raises(InputError, match="not a Steward catalog"):
        load_catalog_ref(str(tmp_path / "other.json"))
    bad = _exported(tmp_path, "bad.json", lambda d: d["requirements"][0].update(level=7))
    with pytest.raises(InputError, match=r"invalid catalog: requirements\.0\.level"):
        load_catalog_ref(str(bad))
    with pytest.raises(InputError, match="is a directory"):
        load_catalog_ref(str(tmp_path))


def test_the_current_version_is_kept_as_a_release() -> None:
    """Every catalog version stays readable for `steward catalog diff`: the packaged catalog's
    content is kept under its version. After changing the catalog data, bump the version in
    catalog.yaml (once released) and write the snapshot again:
    steward catalog export -f json -o src/steward/catalog/data/releases/<version>.json"""
    from importlib.resources import files

    catalog = load_catalog()
    kept = files("steward.catalog") / "data" / "releases" / f"{catalog.version}.json"
    assert kept.is_file(), f"no release snapshot for catalog {catalog.version}"
    assert json.loads(kept.read_text()) == to_dict(catalog), (
        f"the catalog data changed but releases/{catalog.version}.json did not"
    )
    older = [v for v in release_versions() if v != catalog.version]
    assert older and all(
        json.loads((kept.parent / f"{v}.json").read_text()) != to_dict(catalog) for v in older
    )
