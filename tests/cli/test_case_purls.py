"""A package URL nobody can parse is refused when it is recorded, not at the first advisory.

`case new --purl notapurl` was accepted; the append-only log then held a purl that made
every later `case advisory` fail ("invalid purl"), with only a correction to get rid of it.
Product and component purls are checked on every way in (new, add-product, products_set and
product_added events, a correction's replacement data), exit 2, one line naming the field,
nothing written; purls already stored are read as they are.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

BAD = ["notapurl", "pkg:", "pkg:/left-pad", "pkg:npm/"]


def _events(db: Path) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return int(conn.execute("SELECT count(*) FROM case_events").fetchone()[0])


@pytest.mark.parametrize("purl", BAD)
def test_bad_purls_are_refused_on_every_way_in(
    purl: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    db = tmp_path / "cases.sqlite"
    monkeypatch.setenv("STEWARD_DB", str(db))
    made = cli("case", "new", "Widget flaw", "--product", "Widget", "--purl", "pkg:npm/widget")
    assert made.exit_code == 0, made.stderr
    case_id = made.stdout.strip()
    before = _events(db)
    product = {"name": "Gadget", "purl": purl}
    gp = {"name": "Gadget", "components": [{"name": "lib", "purl": purl}]}
    refused = [
        (("case", "new", "T", "--product", "Gadget", "--purl", purl), "product.purl"),
        (
            ("case", "new", "T", "--product", "G", "--component", "lib", "--component-purl", purl),
            "product.components[0].purl",
        ),
        (("case", "add-product", case_id, "--product", "Gadget", "--purl", purl), "product.purl"),
        (
            ("case", "event", case_id, "product_added", "--json", json.dumps({"product": product})),
            "product.purl",
        ),
        (
            ("case", "event", case_id, "products_set", "--json", json.dumps({"products": [gp]})),
            "products[0].components[0].purl",
        ),
        (
            (
                "case", "event", case_id, "correction", "--json",
                json.dumps({"corrects": 2, "data": {"product": product}}),
            ),
            "product.purl",
        ),
    ]  # fmt: skip
    for args, field in refused:
        result = cli(*args)
        assert result.exit_code == 2, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        assert f"{field}: invalid purl {purl!r}" in result.stderr, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert _events(db) == before
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 1


def test_good_purls_still_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    monkeypatch.setenv("STEWARD_DB", str(tmp_path / "cases.sqlite"))
    made = cli(
        "case", "new", "T", "--product", "Widget", "--purl", "pkg:maven/org.acme/widget",
        "--component", "urllib3", "--component-purl", "pkg:pypi/urllib3",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    added = cli(
        "case", "add-product", made.stdout.strip(), "--product", "Left", "--purl",
        "pkg:npm/%40acme/left-pad?repository_url=https://npm.acme.example",
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
