"""VEX documents of any shape: statements or a clear error, never a crash."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.errors import InputError
from steward.vuln.vex import load_vex

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8))
KEYS = ["vulnerability", "name", "aliases", "products", "@id", "identifiers", "purl",
        "subcomponents", "status", "justification", "impact_statement", "id", "analysis",
        "state", "affects", "ref", "components", "bom-ref", "references", "product_tree",
        "branches", "product", "product_id", "product_identification_helper",
        "full_product_names", "relationships", "full_product_name", "product_reference",
        "vulnerabilities", "cve", "ids", "text", "product_status", "known_not_affected",
        "fixed", "flags", "label", "product_ids", "threats", "category", "details"]  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)
    ),
    max_leaves=16,
)
documents = st.one_of(
    st.fixed_dictionaries(
        {"@context": st.just("https://openvex.dev/ns/v0.2.0")}, optional={"statements": values}
    ),
    st.fixed_dictionaries(
        {"bomFormat": st.just("CycloneDX")},
        optional={"components": values, "vulnerabilities": values, "metadata": values},
    ),
    st.fixed_dictionaries(
        {"document": st.fixed_dictionaries({"category": st.just("csaf_vex")})},
        optional={"product_tree": values, "vulnerabilities": values},
    ),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(document=documents)
def test_any_shape(tmp_path: Path, document: dict[str, object]) -> None:
    path = tmp_path / "vex.json"
    path.write_text(json.dumps(document))
    with contextlib.suppress(InputError):
        load_vex(path)
