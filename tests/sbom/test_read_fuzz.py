"""Malformed SBOMs of every shape: the reader either reads them or says why, never crashes."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.errors import InputError
from steward.sbom.quality import Standard, check
from steward.sbom.read import read_sbom, to_components

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=12)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
CDX_KEYS = ["bom-ref", "name", "version", "group", "purl", "cpe", "supplier", "manufacturer",
            "authors", "author", "publisher", "hashes", "licenses", "externalReferences",
            "properties", "components", "scope"]  # fmt: skip
SPDX_KEYS = ["SPDXID", "name", "versionInfo", "supplier", "originator", "checksums",
             "licenseDeclared", "licenseConcluded", "downloadLocation", "externalRefs",
             "packageFileName", "homepage"]  # fmt: skip


def _objects(keys: list[str]) -> st.SearchStrategy[dict[str, object]]:
    return st.dictionaries(st.sampled_from(keys), values, max_size=len(keys))


cyclonedx = st.fixed_dictionaries(
    {"bomFormat": st.just("CycloneDX"), "specVersion": st.sampled_from(["1.4", "1.6", "x"])},
    optional={
        "metadata": st.dictionaries(
            st.sampled_from(["timestamp", "authors", "manufacturer", "tools", "component"]),
            values | _objects(CDX_KEYS),
        ),
        "components": st.lists(_objects(CDX_KEYS) | values, max_size=4),
        "dependencies": values,
        "compositions": values,
        "serialNumber": values,
    },
)
spdx = st.fixed_dictionaries(
    {"spdxVersion": st.sampled_from(["SPDX-2.3", "SPDX-2.2"])},
    optional={
        "creationInfo": st.dictionaries(st.sampled_from(["created", "creators"]), values),
        "packages": st.lists(_objects(SPDX_KEYS) | values, max_size=4),
        "relationships": st.lists(
            st.dictionaries(
                st.sampled_from(["spdxElementId", "relationshipType", "relatedSpdxElement"]),
                st.sampled_from(["SPDXRef-DOCUMENT", "DESCRIBES", "DEPENDS_ON", "NONE", "a"])
                | values,
            ),
            max_size=4,
        ),
        "documentDescribes": values,
    },
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(document=cyclonedx | spdx)
def test_any_shape_reads_or_fails_cleanly(tmp_path: Path, document: dict[str, object]) -> None:
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(document))
    try:
        doc = read_sbom(path)
    except InputError as exc:
        assert str(path) in str(exc)
        return
    check(doc, list(Standard))
    to_components(doc)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=200))
def test_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "bom.xml"
    path.write_bytes(data)
    with contextlib.suppress(InputError):
        read_sbom(path)


TAGS = ["metadata", "component", "components", "name", "version", "purl", "hashes", "hash",
        "licenses", "license", "expression", "id", "externalReferences", "reference", "url",
        "properties", "property", "dependencies", "dependency", "compositions", "composition",
        "aggregate", "assemblies", "assembly", "manufacturer", "supplier", "authors", "author",
        "contact", "email", "tools", "tool", "timestamp"]  # fmt: skip
ATTRS = st.dictionaries(st.sampled_from(["bom-ref", "ref", "alg", "type", "name"]),
                        st.text(alphabet="abc-1", max_size=5), max_size=2)  # fmt: skip


def _xml(depth: int) -> st.SearchStrategy[str]:
    leaf = st.text(alphabet="ab1.-@:/", max_size=6)
    if depth == 0:
        return leaf

    def element(parts: tuple[str, dict[str, str], list[str]]) -> str:
        tag, attrs, children = parts
        rendered = "".join(f' {k}="{v}"' for k, v in attrs.items())
        return f"<{tag}{rendered}>{''.join(children)}</{tag}>"

    return (
        st.tuples(st.sampled_from(TAGS), ATTRS, st.lists(_xml(depth - 1), max_size=3)).map(element)
        | leaf
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.lists(_xml(4), max_size=4))
def test_any_cyclonedx_xml_shape(tmp_path: Path, body: list[str]) -> None:
    path = tmp_path / "bom.xml"
    path.write_text(
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">' + "".join(body) + "</bom>"
    )
    try:
        doc = read_sbom(path)
    except InputError:
        return
    check(doc, list(Standard))
