"""The evidence a document is built from, read once: answers, assessments, SBOM, findings,
VEX, cases.

Every input is given by option (``--assessment FILE`` ...) or, where that is cheap, computed
from the project checkout: the answers come from its ``steward.yml``, the assessment from
collecting its facts (no network: forge facts only come from a saved assessment), the SBOM
from its lockfiles. Vulnerability findings need the vulnerability database and cases need the
case store, so those are only read when given. Each input keeps a label saying where it came
from; documents cite it as the source of every fact they take from it.

Bad input is an :class:`~steward.errors.InputError` naming the file: a JSON syntax error, an
assessment or findings file of the wrong shape, an unreadable SBOM or VEX document.
"""

from __future__ import annotations

import datetime as dt
import getpass
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from steward.errors import InputError
from steward.projectconfig import ProjectConfig
from steward.safeio import as_dict, as_list, load_json

if TYPE_CHECKING:
    from steward.collect.facts import Facts
    from steward.disclosure.clocks import Clock
    from steward.disclosure.model import CaseSnapshot, Manufacturer
    from steward.evaluate.model import Assessment, Finding
    from steward.sbom.model import Sbom
    from steward.sbom.read import SbomDocument
    from steward.vuln.vex import VexDocument

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_URL = re.compile(r"https?://[^\s<>\"')]+")


@dataclass(frozen=True, slots=True)
class Sourced:
    """An input and the label documents cite for it."""

    label: str


@dataclass
class Inputs:
    """Everything one document (or one evidence pack) is built from."""

    generated_at: dt.datetime
    config: ProjectConfig = field(default_factory=ProjectConfig)
    config_found: bool = False
    root: Path | None = None
    assessments: list[tuple[Assessment, Sourced]] = field(default_factory=list)
    sbom: SbomDocument | None = None
    sbom_source: Sourced | None = None
    sbom_model: Sbom | None = None  # the SBOM as built, when computed from the lockfiles
    findings: dict[str, Any] | None = None
    findings_source: Sourced | None = None
    vex: list[VexDocument] = field(default_factory=list)
    vex_sources: list[Sourced] = field(default_factory=list)
    cases: list[CaseSnapshot] | None = None
    case_clocks: dict[str, list[Clock]] = field(default_factory=dict)
    cases_source: Sourced | None = None
    profile: Manufacturer | None = None
    facts: Facts | None = None  # when the assessment is computed: re-evaluated per role
    computed: dict[str, Assessment] = field(default_factory=dict)

    def for_role(self, role: str) -> Inputs:
        """These inputs with the computed assessment evaluated for ``role`` (the same facts,
        collected once). Assessments given as files are kept as they are."""
        if self.facts is None:
            return self
        if role not in self.computed:
            from steward.evaluate import evaluate_facts

            self.computed[role] = evaluate_facts(self.facts, role=role, now=self.generated_at)
        label = f"steward assess --role {role} (computed from {self.root}, offline)"
        return replace(self, assessments=[(self.computed[role], Sourced(label))])

    @property
    def assessment(self) -> Assessment | None:
        return self.assessments[0][0] if self.assessments else None

    @property
    def assessment_source(self) -> str:
        return self.assessments[0][1].label if self.assessments else "no assessment"

    def finding(self, requirement_id: str) -> Finding | None:
        assessment = self.assessment
        return assessment.finding(requirement_id) if assessment is not None else None

    def answer(self, *path: str) -> tuple[Any, str]:
        """The answer at ``cra.<path>`` in steward.yml and where it is written."""
        value: Any = self.config.sections.cra
        for part in path:
            value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
            if value is None:
                break
        return value, self.config.where("cra", *path)


# ------------------------------------------------------------------------------- reading


def read_assessment(path: Path) -> Assessment:
    """An ``steward assess --format json`` file."""
    from steward.evaluate.model import Assessment

    data = load_json(path)
    try:
        return Assessment.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"]) or "(top level)"
        raise InputError(
            f"not a Steward assessment (steward assess --format json): {where}: {error['msg']}",
            source=path,
        ) from None


def read_findings(path: Path) -> dict[str, Any]:
    """A ``steward vulns --format json`` file (src/steward/vuln/data/findings.schema.json):
    checked for the fields documents read, not more."""
    data = load_json(path)
    hint = "not a findings file (steward vulns --format json)"
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise InputError(f"{hint}: no 'findings' list", source=path)
    if not isinstance(data.get("summary"), dict):
        raise InputError(f"{hint}: no 'summary' object", source=path)
    for index, item in enumerate(data["findings"]):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise InputError(f"{hint}: findings[{index}] has no 'id'", source=path)
    return data


def gather(
    root: Path | None,
    *,
    role: str,
    assessment_files: list[Path] | None = None,
    sbom_file: Path | None = None,
    vulns_file: Path | None = None,
    vex_files: list[Path] | None = None,
    db: str | None = None,
    compute_sbom: bool = True,
    now: dt.datetime | None = None,
) -> Inputs:
    """Read the given inputs, and compute the cheap missing ones from ``root``.

    ``role`` is the role an assessment is computed for when none is given (the role the
    document is written for: ``manufacturer`` for Annex II/V/VI/VII, ``steward`` for the
    Art. 24 policy, ``project`` for the attestation).
    """
    from steward.sbom.assemble import build_timestamp  # SOURCE_DATE_EPOCH, else now

    inputs = Inputs(generated_at=now or build_timestamp(), root=root)
    if root is not None:
        if not root.is_dir():
            raise InputError("not a directory (give the project checkout)", source=root)
        from steward.documents.configfile import load

        config = load(root)
        if config is not None:
            from steward.documents.scope import decide_config

            decide_config(config)  # an unknown category stops every document, naming its line
            inputs.config, inputs.config_found = config, True
    for path in assessment_files or ():
        inputs.assessments.append((read_assessment(path), Sourced(str(path))))
    if not inputs.assessments and root is not None:
        from steward.collect import collect_facts

        inputs.facts = collect_facts(root)
        inputs.assessments = inputs.for_role(role).assessments
    if sbom_file is not None:
        from steward.sbom.read import read_sbom

        inputs.sbom = read_sbom(sbom_file)
        inputs.sbom_source = Sourced(str(sbom_file))
    elif root is not None and compute_sbom:
        _computed_sbom(inputs, root)
    if vulns_file is not None:
        inputs.findings = read_findings(vulns_file)
        inputs.findings_source = Sourced(str(vulns_file))
    for index, path in enumerate(vex_files or ()):
        from steward.vuln.vex import load_vex

        inputs.vex.append(load_vex(path, index=index))
        inputs.vex_sources.append(Sourced(str(path)))
    if db is not None:
        if "://" not in db and not Path(db).is_file():
            raise InputError("no such case store (create it with `steward case new`)", source=db)
        _read_cases(inputs, db)
    return inputs


def _computed_sbom(inputs: Inputs, root: Path) -> None:
    """The SBOM of the checkout's lockfiles (nothing when it has none), kept as built and as
    its CycloneDX 1.6 form reads back (what documents read from any SBOM)."""
    import tempfile

    from steward import __version__
    from steward.sbom import write_cyclonedx
    from steward.sbom.assemble import sbom_for_tree
    from steward.sbom.model import SbomMetadata
    from steward.sbom.read import read_sbom

    metadata = SbomMetadata(timestamp=inputs.generated_at, tool_version=__version__)
    try:
        built = sbom_for_tree(root, metadata=metadata)
    except InputError:
        return
    _, sbom = built[0]
    if not sbom.metadata.sources:
        return
    with tempfile.TemporaryDirectory(prefix="steward-docs-") as tmp:
        target = Path(tmp) / "sbom.cdx.json"
        target.write_bytes(write_cyclonedx.to_json(sbom))
        doc = read_sbom(target)
    doc.path = f"computed from {root} ({', '.join(sbom.metadata.sources)})"
    inputs.sbom, inputs.sbom_model = doc, sbom
    inputs.sbom_source = Sourced(f"steward sbom {root} (CycloneDX 1.6, computed)")


def _read_cases(inputs: Inputs, db: str) -> None:
    """Every case visible in the store (as its local administrator), with its Art. 14
    clocks as of the generation time, and the manufacturer profile.

    The reader is the operating-system account, never ``STEWARD_USER`` or another
    self-declared name (issue 15, item 1), as for the case commands
    (:func:`steward.cli.case_common.user`). The name grants nothing (a shared store is refused
    by :meth:`Cases.open` whatever the name; a local one is read as its owner) and is not
    shown in the document; it is the principal's name, which the store records as the actor
    of whatever it audits, so it must not be a declared one."""
    from steward.disclosure.cases import Cases, snapshot_of
    from steward.disclosure.clocks import clocks

    cases = Cases.open(db, getpass.getuser())  # a local store: its owner, never a declared name
    now = inputs.generated_at
    stored = cases.list_visible(now=max(now, dt.datetime.now(dt.UTC)))
    inputs.cases = [snapshot_of(s) for s in stored]
    inputs.case_clocks = {s.public_id: clocks(s.kind, list(s.events), now) for s in stored}
    inputs.cases_source = Sourced(f"case store {db}")
    inputs.profile = cases.profile()


# ---------------------------------------------------------------------------- evidence


def emails(texts: list[str]) -> list[str]:
    """Every e-mail address in ``texts``, in order, without repeats."""
    return list(dict.fromkeys(m.group(0) for t in texts for m in _EMAIL.finditer(t)))


def urls(texts: list[str]) -> list[str]:
    """Every http(s) URL in ``texts``, in order, without repeats (trailing dots dropped)."""
    return list(dict.fromkeys(m.group(0).rstrip(".,;:") for t in texts for m in _URL.finditer(t)))


def _forge(repository: str | None) -> str | None:
    """``github``, ``gitlab`` or ``codeberg`` for a repository address on one, else None."""
    host = repository.split("/")[2] if repository and repository.count("/") >= 2 else ""
    if host == "github.com":
        return "github"
    if host == "gitlab.com" or host.startswith("gitlab."):
        return "gitlab"
    return "codeberg" if host == "codeberg.org" else None


def file_url(repository: str | None, revision: str | None, path: str | None) -> str | None:
    """The web address of ``path`` at ``revision`` in a repository on GitHub, GitLab or
    Codeberg (``https://github.com/o/r/blob/<sha>/SECURITY.md``); None elsewhere."""
    forge = _forge(repository)
    if forge is None or not path:
        return None
    ref = revision or "HEAD"
    kind = "tree" if path.endswith("/") else "blob"
    path = path.rstrip("/")
    if forge == "github":
        return f"{repository}/{kind}/{ref}/{path}"
    if forge == "gitlab":
        return f"{repository}/-/{kind}/{ref}/{path}"
    return f"{repository}/src/commit/{ref}/{path}"


def page_url(repository: str | None, page: str) -> str | None:
    """A page of the repository on its forge (``tags``): ``https://github.com/o/r/tags``."""
    forge = _forge(repository)
    if forge is None:
        return None
    return f"{repository}/-/{page}" if forge == "gitlab" else f"{repository}/{page}"


def summary_counts(data: dict[str, Any]) -> dict[str, Any]:
    """The summary of a findings file, with safe defaults for absent counters."""
    summary = as_dict(data.get("summary"))
    return {
        "findings": len(as_list(data.get("findings"))),
        "suppressed": summary.get("suppressed", 0),
        "exploited": summary.get("exploited", 0),
        "reportable": summary.get("reportable", 0),
        "by_severity": as_dict(summary.get("by_severity")),
        "components": summary.get("components"),
    }
