"""Structure-aware fuzzing of the readers checked by :mod:`steward.shapes` (issue 18, kind
6) and of the pom.xml property resolver (kind 5), by hypothesis with a fixed budget.

Mutations of real files (``test_fuzz_parsers.py``) rarely keep a document valid enough to
reach its fields; here a valid skeleton has one field replaced by an arbitrary JSON value,
so every field's type check is exercised. Properties: the reader returns a document whose
fields have the declared types and words, or raises :class:`InputError` naming the file.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.errors import InputError
from steward.sbom.ecosystems.pom_xml import MAX_VALUE_CHARS, PomParser
from steward.sbom.read import read_sbom
from steward.vuln.vex_formats import load_vex
from steward.vuln.vex_model import STATUS_WORDS
from tests.hostile.test_document_shapes import CDX, CDX_VEX, CSAF, OPENVEX, SPDX

BUDGET = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["not_affected", "fixed", "required", "P1", "pkg:npm/a@1", "CVE-1"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path inside a document (where a field can be replaced)."""
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, (*prefix, index))
    return out


def _replace(doc: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    copy = json.loads(json.dumps(doc))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copy


def _write(doc: dict[str, Any]) -> Path:
    path = Path(tempfile.mkdtemp(prefix="steward-fuzz-")) / "doc.json"
    path.write_text(json.dumps(doc))
    return path


SBOM_SKELETONS = [(doc, p) for doc in (CDX, SPDX) for p in _paths(doc)]
VEX_SKELETONS = [(doc, p) for doc in (OPENVEX, CDX_VEX, CSAF) for p in _paths(doc)]


@BUDGET
@given(st.sampled_from(SBOM_SKELETONS), JSON)
def test_sbom_reader_fields(skeleton: tuple[dict[str, Any], tuple[Any, ...]], value: Any) -> None:
    doc, where = skeleton
    path = _write(_replace(doc, where, value))
    try:
        read = read_sbom(path)
    except InputError as exc:
        assert str(path) in str(exc)
        return
    for component in [*read.components, *([read.root] if read.root else [])]:
        assert isinstance(component.name, str)
        assert component.version is None or isinstance(component.version, str)
        assert component.scope in (None, "required", "optional", "excluded")


@BUDGET
@given(st.sampled_from(VEX_SKELETONS), JSON)
def test_vex_reader_fields(skeleton: tuple[dict[str, Any], tuple[Any, ...]], value: Any) -> None:
    doc, where = skeleton
    path = _write(_replace(doc, where, value))
    try:
        read = load_vex(path)
    except InputError as exc:
        assert str(path) in str(exc)
        return
    for statement in read.statements:
        assert statement.raw_status in STATUS_WORDS, statement.raw_status
        assert all(isinstance(i, str) for i in statement.ids)


NAMES = st.sampled_from(["a", "b", "c", "d", "project.version", "missing"])
VALUE = st.lists(
    st.one_of(NAMES.map(lambda n: f"${{{n}}}"), st.sampled_from(["x", "1.0", "${", "}", "$"])),
    max_size=6,
).map("".join)


@BUDGET
@given(st.dictionaries(NAMES, VALUE, max_size=5), VALUE)
def test_pom_property_graphs(properties: dict[str, str], version: str) -> None:
    """Any graph of references (cycles, self-references, fan-out) resolves quickly to a value
    without references, or to "" (undefined)."""
    props = "".join(f"<{k}>{v}</{k}>" for k, v in properties.items() if k != "project.version")
    path = Path(tempfile.mkdtemp(prefix="steward-fuzz-")) / "pom.xml"
    path.write_text(
        '<project xmlns="http://maven.apache.org/POM/4.0.0"><groupId>g</groupId>'
        f"<artifactId>a</artifactId><version>1</version><properties>{props}</properties>"
        "<dependencies><dependency><groupId>g</groupId><artifactId>d</artifactId>"
        f"<version>{version}</version></dependency></dependencies></project>"
    )
    start = time.process_time()
    (component,) = PomParser().parse(path).components
    assert time.process_time() - start < 2
    resolved = component.version
    assert len(resolved) <= MAX_VALUE_CHARS
    for name in ("a", "b", "c", "d", "project.version"):
        assert f"${{{name}}}" not in resolved
