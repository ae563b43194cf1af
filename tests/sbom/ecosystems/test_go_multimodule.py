"""A Go repository of many modules (opentelemetry-go-contrib's shape, self-written): a module
replaced by a sibling directory (``replace x => ../x``) stays in the SBOM as that module
without a version, naming the directory, instead of being dropped with a warning each
("a package without a usable name ('../aws/ecs')": 53 on that repository); the SBOM is named
after the go.mod at the root, not after the first module in path order."""

from __future__ import annotations

from pathlib import Path

from steward.sbom.assemble import sbom_for_tree

ROOT_MOD = "module example.org/contrib\n\ngo 1.24\n"
BRIDGE_MOD = """\
module example.org/contrib/bridges/logr

go 1.24

require (
\texample.org/contrib/detectors/aws v0.3.0
\tgithub.com/go-logr/logr v1.4.2
)

replace example.org/contrib/detectors/aws => ../../detectors/aws
"""
DETECTOR_MOD = (
    "module example.org/contrib/detectors/aws\n\ngo 1.24\n\nrequire golang.org/x/sys v0.30.0\n"
)


def test_local_replacements_kept_and_root_module_names_the_sbom(tmp_path: Path) -> None:
    for where, text in (("go.mod", ROOT_MOD), ("bridges/logr/go.mod", BRIDGE_MOD),
                        ("detectors/aws/go.mod", DETECTOR_MOD)):  # fmt: skip
        (tmp_path / where).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / where).write_text(text)
    ((_, sbom),) = sbom_for_tree(tmp_path)
    assert sbom.root.name == "example.org/contrib"
    assert [d.message for d in sbom.diagnostics if "usable name" in d.message] == []
    local = [c for c in sbom.components if c.name == "example.org/contrib/detectors/aws"]
    assert len(local) == 1 and local[0].version == ""
    assert local[0].properties["replaced_by_path"] == "../../detectors/aws"
    assert local[0].purl == "pkg:golang/example.org/contrib/detectors/aws"
    assert {c.name for c in sbom.components} >= {"github.com/go-logr/logr", "golang.org/x/sys"}
