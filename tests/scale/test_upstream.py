"""SBOM components → upstream repositories, from what the SBOM records and a mapping file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from steward.errors import InputError
from steward.scale.upstream import Mapping, repository_url, targets_from_sbom


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("git+https://github.com/expressjs/body-parser.git", "https://github.com/expressjs/body-parser"),
        ("https://github.com/expressjs/body-parser#readme", "https://github.com/expressjs/body-parser"),
        ("https://github.com/asm89/stack-cors/tree/1.3.0", "https://github.com/asm89/stack-cors"),
        ("git+ssh://git@github.com/dfcreative/color-name.git", "https://github.com/dfcreative/color-name"),
        ("scm:git:git@github.com:FasterXML/jackson-core.git", "https://github.com/FasterXML/jackson-core"),
        ("http://github.com/FasterXML/jackson-annotations", "https://github.com/FasterXML/jackson-annotations"),
        ("git://github.com/o/r.git", "https://github.com/o/r"),
        ("https://www.github.com/o/r", "https://github.com/o/r"),
        ("git@gitlab.com:grp/sub/proj.git", "https://gitlab.com/grp/sub/proj"),
        ("https://gitlab.com/grp/sub/proj/-/tree/main", "https://gitlab.com/grp/sub/proj"),
        ("https://gitbox.apache.org/repos/asf/commons-lang.git", "https://gitbox.apache.org/repos/asf/commons-lang.git"),
        ("git://git.kernel.org/pub/scm/git/git.git", "git://git.kernel.org/pub/scm/git/git.git"),
        ("git+https://example.org/x.git@v1.2", "https://example.org/x.git"),
        # not a repository, or not one Steward may read
        ("http://java.net/projects/jersey/sources/code/show", None),
        ("https://code.google.com/p/jsr-305/", None),
        ("http://svn.sonatype.org/spice/tags/oss-parent-7", None),
        ("https://git-wip-us.apache.org/repos/asf?p=commons-lang.git", None),
        ("https://github.com/apache/httpcomponents-client/tree/${project.scm.tag}", None),
        ("https://github.com/onlyowner", None),
        ("https://github.com/../etc", None),
        ("file:///etc/passwd", None),
        ("/srv/git/repo.git", None),
        ("ext::sh -c touch% /tmp/pwned", None),
        ("https://-oProxyCommand=x/o/r.git", None),
    ],
)  # fmt: skip
def test_repository_url(url: str, expected: str | None) -> None:
    assert repository_url(url) == expected


def _cdx(tmp_path: Path, components: list[dict[str, object]]) -> Path:
    path = tmp_path / "bom.cdx.json"
    path.write_text(json.dumps({
        "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
        "metadata": {"component": {"type": "application", "name": "product",
                                   "purl": "pkg:generic/product@1.0",
                                   "externalReferences": [
                                       {"type": "vcs", "url": "https://github.com/acme/product"}]}},
        "components": components,
    }))  # fmt: skip
    return path


def test_precedence_and_merging(tmp_path: Path) -> None:
    bom = _cdx(tmp_path, [
        {"type": "library", "name": "a", "purl": "pkg:npm/a@1.0.0", "externalReferences": [
            {"type": "website", "url": "https://github.com/site/a"},
            {"type": "vcs", "url": "git+https://github.com/vcs/a.git"}]},
        {"type": "library", "name": "a-cli", "purl": "pkg:npm/a-cli@1.0.0",
         "externalReferences": [{"type": "vcs", "url": "https://github.com/vcs/a/tree/main/cli"}]},
        {"type": "library", "name": "q", "purl":
         "pkg:pypi/q@2.0?vcs_url=git%2Bhttps://gitlab.com/q/q.git%40v2.0",
         "externalReferences": [{"type": "vcs", "url": "https://github.com/mirror/q"}]},
        {"type": "library", "name": "mux", "purl": "pkg:golang/github.com/gorilla/mux@v1.8.0"},
        {"type": "library", "name": "v2", "purl": "pkg:golang/github.com/o/r/v2@v2.1.0"},
        {"type": "library", "name": "gh", "purl": "pkg:github/acme/tool@v3"},
        {"type": "library", "name": "site", "purl": "pkg:npm/site@1",
         "externalReferences": [{"type": "website", "url": "https://site.example.org"},
                                {"type": "website", "url": "https://github.com/s/site#readme"}]},
        {"type": "library", "name": "zip", "purl": "pkg:composer/z/zip@1", "externalReferences": [
            {"type": "distribution",
             "url": "https://api.github.com/repos/z/zip/zipball/0123456789abcdef"}]},
        {"type": "library", "name": "svn", "purl": "pkg:maven/o/svn@1", "externalReferences": [
            {"type": "vcs", "url": "http://svn.example.org/svn/trunk"}]},
        {"type": "library", "name": "nopurl"},
        {"type": "library", "name": "idx", "purl": "pkg:cargo/idx@1", "externalReferences": [
            {"type": "distribution", "url": "https://github.com/rust-lang/crates.io-index"}]},
    ])  # fmt: skip
    found = targets_from_sbom(bom)
    got = {t.location: (t.components, t.via) for t in found.targets}
    assert got == {
        "https://github.com/vcs/a": (("pkg:npm/a-cli@1.0.0", "pkg:npm/a@1.0.0"), "vcs"),
        "https://gitlab.com/q/q": (
            ("pkg:pypi/q@2.0?vcs_url=git%2Bhttps://gitlab.com/q/q.git%40v2.0",),
            "purl vcs_url",
        ),
        "https://github.com/gorilla/mux": (("pkg:golang/github.com/gorilla/mux@v1.8.0",), "purl"),
        "https://github.com/o/r": (("pkg:golang/github.com/o/r/v2@v2.1.0",), "purl"),
        "https://github.com/acme/tool": (("pkg:github/acme/tool@v3",), "purl"),
        "https://github.com/s/site": (("pkg:npm/site@1",), "website"),
        "https://github.com/z/zip": (("pkg:composer/z/zip@1",), "distribution"),
    }
    assert "https://github.com/acme/product" not in got  # the SBOM's subject is not assessed
    unresolved = dict(found.unresolved)
    assert set(unresolved) == {"pkg:maven/o/svn@1", "nopurl", "pkg:cargo/idx@1"}
    assert unresolved["nopurl"].startswith("no purl, no repository recorded")


def test_mapping_file_wins(tmp_path: Path) -> None:
    bom = _cdx(tmp_path, [
        {"type": "library", "name": "a", "purl": "pkg:npm/a@1.0.0", "externalReferences": [
            {"type": "vcs", "url": "https://github.com/recorded/a"}]},
        {"type": "library", "name": "b", "purl": "pkg:npm/%40scope/b@2.0.0"},
        {"type": "library", "name": "c", "purl": "pkg:npm/c@3.0.0"},
        {"type": "library", "name": "internal", "purl": "pkg:pypi/internal@1"},
    ])  # fmt: skip
    mapping = tmp_path / "map.yml"
    mapping.write_text(
        "pkg:npm/a: https://github.com/real/a\n"
        "pkg:npm/%40scope/b: git@gitlab.com:scope/b.git\n"
        "pkg:npm/c@3.0.0: https://codeberg.org/c/c.git\n"
        "pkg:pypi/internal: null\n"
    )
    found = targets_from_sbom(bom, Mapping.load(mapping))
    assert {t.location: t.via for t in found.targets} == {
        "https://github.com/real/a": "mapping",
        "https://gitlab.com/scope/b": "mapping",
        "https://codeberg.org/c/c": "mapping",
    }
    assert found.unresolved == [("pkg:pypi/internal@1", f"no upstream ({mapping})")]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- just\n- a list\n", "expected a mapping of purl: repository URL"),
        ("npm/a: https://github.com/o/a\n", "not a purl: 'npm/a'"),
        ("pkg:npm/a: [1]\n", "pkg:npm/a: expected a repository URL or null"),
        ("pkg:npm/a: http://svn.example.org/trunk\n", "not a git repository URL"),
        ("pkg:npm/a: {\n", "invalid YAML"),
    ],
)
def test_bad_mapping_files(tmp_path: Path, text: str, problem: str) -> None:
    mapping = tmp_path / "map.yml"
    mapping.write_text(text)
    with pytest.raises(InputError) as caught:
        Mapping.load(mapping)
    assert str(caught.value).startswith(str(mapping))
    assert problem in str(caught.value)


def test_spdx_download_location_and_homepage(tmp_path: Path) -> None:
    doc = {
        "spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "d",
        "documentNamespace": "https://example.org/d", "dataLicense": "CC0-1.0",
        "creationInfo": {"created": "2026-11-01T00:00:00Z", "creators": ["Tool: t"]},
        "documentDescribes": ["SPDXRef-app"],
        "packages": [
            {"SPDXID": "SPDXRef-app", "name": "app", "downloadLocation":
             "git+https://github.com/acme/app.git"},
            {"SPDXID": "SPDXRef-lib", "name": "lib", "versionInfo": "1.2",
             "downloadLocation": "git+https://github.com/lib/lib.git@v1.2#sub/dir",
             "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER",
                               "referenceType": "purl", "referenceLocator": "pkg:pypi/lib@1.2"}]},
            {"SPDXID": "SPDXRef-home", "name": "home", "downloadLocation": "NOASSERTION",
             "homepage": "https://github.com/home/home"},
            {"SPDXID": "SPDXRef-none", "name": "none", "downloadLocation": "NONE",
             "homepage": "https://none.example.org"},
        ],
    }  # fmt: skip
    path = tmp_path / "bom.spdx.json"
    path.write_text(json.dumps(doc))
    found = targets_from_sbom(path)
    assert {t.location: t.via for t in found.targets} == {
        "https://github.com/lib/lib": "vcs",
        "https://github.com/home/home": "website",
    }
    assert [u[0] for u in found.unresolved] == ["none"]


# Hand-labelled from the CycloneDX example SBOMs in ../shared/data (components and the
# repository each records): what due diligence on these products would assess.
LABELS = {
    "laravel-7.12.0/bom.1.4.json": {
        "pkg:composer/asm89/stack-cors@1.3.0": "https://github.com/asm89/stack-cors",
        "pkg:composer/doctrine/inflector@2.0.6": "https://github.com/doctrine/inflector",
        "pkg:composer/brick/math@0.9.3": "https://github.com/brick/math",
    },
    "laravel-7.12.0/bom.1.4.xml": {
        "pkg:composer/asm89/stack-cors@1.3.0": "https://github.com/asm89/stack-cors",
    },
    "dropwizard-1.3.15/bom.json": {
        "pkg:maven/com.google.guava/guava@24.1.1-jre?type=jar": "https://github.com/google/guava",
        "pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.9.10?type=jar":
            "https://github.com/FasterXML/jackson-annotations",
        "pkg:maven/org.checkerframework/checker-compat-qual@2.0.0?type=jar":
            "https://github.com/typetools/checker-framework",
        "pkg:maven/com.google.code.findbugs/jsr305@3.0.2?type=jar": None,  # code.google.com
        "pkg:maven/com.google.j2objc/j2objc-annotations@1.1?type=jar": None,  # Subversion
    },
    "juice-shop/v11.1.2/bom.json": {
        "pkg:npm/body-parser@1.19.0": "https://github.com/expressjs/body-parser",
        "pkg:npm/bytes@3.1.0": "https://github.com/visionmedia/bytes.js",
    },
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(LABELS))
def test_real_sboms(shared_data: Path, name: str) -> None:
    bom = shared_data / "sboms" / "cyclonedx-bom-examples" / "SBOM" / name
    found = targets_from_sbom(bom)
    by_component = {c: t.location for t in found.targets for c in t.components}
    unresolved = dict(found.unresolved)
    for purl, repository in LABELS[name].items():
        if repository is None:
            assert purl in unresolved, purl
        else:
            assert by_component.get(purl) == repository, purl
    every = len(by_component) + len(unresolved)
    assert every >= len(LABELS[name])
    assert all(t.location.startswith(("https://", "git://")) for t in found.targets)
