"""The JSON twins of the disclosure tables agree with their YAML sources (issue 15, item 12).

Commands read ``data/csirts.json`` and ``data/srp_fields.json``; people edit the YAML files.
A YAML edit without ``python -m steward.disclosure.datafiles`` must fail here.
"""

from __future__ import annotations

from importlib.resources import files

import orjson
import pytest

from steward.disclosure import datafiles
from steward.disclosure.csirts import csirt_table, single_reporting_platform
from steward.safeio import loads_yaml


def _yaml(stem: str) -> object:
    data = (files("steward.disclosure") / "data" / f"{stem}.yaml").read_bytes()
    return loads_yaml(data, source=stem)


@pytest.mark.parametrize("stem", datafiles.TABLES)
def test_json_twin_holds_what_the_yaml_says(stem: str) -> None:
    shipped = (files("steward.disclosure") / "data" / f"{stem}.json").read_bytes()
    assert orjson.loads(shipped) == _yaml(stem)
    assert datafiles.table(stem) == _yaml(stem)
    assert shipped == datafiles.from_yaml(stem)  # byte for byte what the generator writes


def test_a_changed_yaml_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison is not vacuous: an edit of the YAML source makes the twins differ."""
    real = datafiles.from_yaml("csirts")
    edited = orjson.loads(real)
    edited["member_states"]["DE"]["designation"] = "confirmed"
    assert orjson.dumps(edited, option=orjson.OPT_INDENT_2) + b"\n" != real
    assert edited != datafiles.table("csirts")


def test_unknown_table_is_refused() -> None:
    with pytest.raises(KeyError):
        datafiles.table("nothing")


def test_csirt_entries_come_from_the_table() -> None:
    raw = _yaml("csirts")
    assert isinstance(raw, dict)
    table = csirt_table()
    for code, entry in raw["member_states"].items():
        found = table[code]
        assert (found.country, found.csirt, found.url, found.designation) == (
            entry["country"],
            entry["csirt"],
            entry.get("url"),
            entry["designation"],
        )
    assert single_reporting_platform() == raw["single_reporting_platform"]
