"""The rows of the hostile-input matrix (issue 18): entry point x input kind.

Each :class:`Row` is one input slot of one command. ``argv`` is the command line after
``steward``, with placeholders:

- ``{input}``: the hostile input (a path of kind K, named ``name``), for rows with ``tree=False``;
- ``{root}``: the scanned project tree (``tree=True`` rows put the hostile input at
  ``{root}/<name>``, ``name`` being a path relative to the root);
- ``{out}``: the output file (``out/result``); ``{db}``: ``state/steward.db`` (a prepared
  vulnerability database when ``setup="vulndb"``, else nothing there);
- ``{osv}``: a well-formed OSV record; ``{list}``: a repository list naming ``{root}``.

For every (row, kind) the matrix asserts: the exit code is in ``expect[kind]`` (else
``default``), no traceback or internal error, an exit-2 message names the input, no path
outside ``writes`` was created or changed, and the canary's content never appears in output.

To add a command, add a row here (the matrix fails for a command with neither a row nor an
entry in :data:`NO_INPUT`). To add a kind, add it to :data:`KINDS` and to
``conftest.make_input``. :data:`KNOWN_FAILURES` holds known failures (strict: a fixed case
must lose its line); ``stdin`` is what the command reads on standard input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: every input kind, created by ``conftest.make_input``
KINDS: tuple[str, ...] = (
    "missing",  # no such path (in a tree: the file is absent)
    "directory",  # a directory where a file is expected
    "fifo",  # a named pipe: must be refused up front, never opened for reading
    "device",  # a symlink to /dev/zero: a character device
    "empty",  # an empty regular file
    "binary",  # binary garbage
    "non_utf8",  # text with invalid UTF-8 bytes
    "huge_line",  # one 2 MiB line
    "symlink_out",  # a symlink to the canary file outside the tree
    "symlink_loop",  # a symlink to itself
    "unreadable",  # mode 000 (skipped as root: root reads it anyway)
)

#: kinds after which a run that still succeeds must have said which file it skipped
WARN_KINDS = frozenset({"fifo", "device", "binary", "non_utf8", "symlink_out", "symlink_loop"})

ALL = frozenset(KINDS)


@dataclass(frozen=True)
class Row:
    """One input slot of one command (see the module docstring)."""

    command: str
    argv: tuple[str, ...]
    name: str = "input.json"
    tree: bool = False
    label: str = ""
    default: frozenset[int] = frozenset({2})
    expect: Mapping[str, frozenset[int]] = field(default_factory=dict)
    kinds: frozenset[str] = ALL
    writes: tuple[str, ...] = ("{out}",)
    setup: str | None = None
    warn: frozenset[str] = WARN_KINDS
    stdin: str = ""

    @property
    def id(self) -> str:
        slot = self.label or ("tree:" + self.name if self.tree else self.name)
        return f"{self.command.replace(' ', '-')}[{slot}]"

    def codes(self, kind: str) -> frozenset[int]:
        return self.expect.get(kind, self.default)


OK = frozenset({0})
OK_OR_FINDINGS = frozenset({0, 1})
OK_OR_BAD = frozenset({0, 2})
BAD = frozenset({2})
DB_WRITES = ("{out}", "{db}", "{db}-wal", "{db}-shm", "{db}-journal")

#: commands that read no file and no database; their output paths are covered by
#: test_output_paths.py
NO_INPUT: dict[str, str] = {
    "catalog list": "reads only the bundled catalog",
    "catalog show": "reads only the bundled catalog",
    "catalog crosswalk": "reads only the bundled catalog",
    "catalog export": "reads only the bundled catalog",
    "cra categories": "prints a fixed table",
    "db update": "downloads; its --db is the one of db status/import rows",
}

ROWS: list[Row] = [
    # ------------------------------------------------------------------ sbom
    Row(
        "sbom generate",
        ("sbom", "{input}", "-o", "{out}"),
        name="requirements.txt",
        expect={"empty": OK},  # genuinely empty: an empty SBOM
    ),
    Row(
        "sbom generate",
        ("sbom", "{root}", "-o", "{out}"),
        name="sub/requirements.txt",
        tree=True,
        default=OK_OR_BAD,
        expect={"missing": OK, "empty": OK},
    ),
    Row(
        "sbom generate",
        ("sbom", "{root}", "-o", "{out}", "--security-txt", "{input}"),
        name="security.txt",
        label="--security-txt",
    ),
    Row("sbom check", ("sbom", "check", "{input}"), name="bom.cdx.json"),
    # ------------------------------------------------------------------ vulns
    Row(
        "vulns",
        ("vulns", "{input}", "--db", "{db}", "-o", "{out}"),
        name="requirements.txt",
        setup="vulndb",
        expect={"empty": OK},
    ),
    Row(
        "vulns",
        ("vulns", "{root}", "--db", "{db}", "-o", "{out}"),
        name="sub/requirements.txt",
        tree=True,
        setup="vulndb",
        default=OK_OR_BAD,
        expect={"missing": OK, "empty": OK},
    ),
    Row(
        "vulns",
        ("vulns", "{root}", "--db", "{db}", "-o", "{out}", "--vex", "{input}"),
        name="vex.json",
        label="--vex",
        setup="vulndb",
    ),
    # ------------------------------------------------------------------ assess
    Row(
        "assess",
        ("assess", "{input}", "-o", "{out}"),
        name="project",
        label="PATH",
        expect={"directory": OK_OR_FINDINGS},
    ),
    Row(
        "assess",
        ("assess", "{root}", "-f", "json", "-o", "{out}"),
        name="SECURITY.md",
        tree=True,
        default=OK_OR_FINDINGS,
        warn=frozenset(),
    ),
    Row(
        "assess",
        ("assess", "{root}", "-f", "json", "-o", "{out}"),
        name=".github/workflows/ci.yml",
        tree=True,
        default=OK_OR_FINDINGS,
        warn=frozenset(),
    ),
    Row("assess-many", ("assess-many", "{input}", "-o", "{out}", "--no-cache"), name="repos.txt"),
    Row(
        "assess-many",
        ("assess-many", "--from-sbom", "{input}", "-o", "{out}", "--no-cache"),
        name="bom.json",
        label="--from-sbom",
    ),
    # ------------------------------------------------------------------ cra, csaf, catalog
    Row(
        "cra scope",
        ("cra", "scope", "{root}", "--no-input", "-o", "{out}"),
        name="steward.yml",
        tree=True,
        expect={"missing": OK, "empty": OK},
        warn=frozenset(),
    ),
    Row("csaf validate", ("csaf", "validate", "{input}"), name="advisory.json"),
    Row("catalog diff", ("catalog", "diff", "{input}"), name="old-catalog.json"),
    # ------------------------------------------------------------------ db
    Row(
        "db import",
        ("db", "import", "{input}", "--db", "{db}"),
        name="osv.json",
        writes=DB_WRITES,
        expect={"directory": OK_OR_BAD},
    ),
    *(
        Row(
            "db import",
            ("db", "import", flag, "{input}", "--db", "{db}"),
            name=name,
            label=flag,
            writes=DB_WRITES,
        )
        for flag, name in (("--kev", "kev.json"), ("--euvd", "euvd.json"), ("--epss", "epss.csv"))
    ),
    # ------------------------------------------------------------------ documents, evidence
    *(
        Row(
            "docs",
            ("docs", "annex-vii", "{root}", "-o", "{out}", flag, "{input}"),
            name=name,
            label=flag,
        )
        for flag, name in (("--sbom", "bom.json"), ("--assessment", "assessment.json"))
    ),
    Row(
        "evidence pack",
        ("evidence", "pack", "{root}", "-o", "{out}", "--vex", "{input}"),
        name="vex.json",
        label="--vex",
    ),
    Row("evidence verify", ("evidence", "verify", "{input}"), name="pack.zip"),
    # ------------------------------------------------------------------ init, case
    Row(
        "init security",
        ("init", "security", "{root}", "--answers", "{input}", "--dry-run"),
        name="answers.yml",
        label="--answers",
    ),
    Row(
        "case new",
        ("case", "new", "--from-finding", "{input}", "--finding", "VUL-01", "--db", "{db}"),
        name="finding.json",
        label="--from-finding",
        writes=DB_WRITES,
    ),
]


#: the kinds that differ for a database path (the rest are "not a database" like binary)
DB_KINDS = frozenset({"missing", "directory", "fifo", "empty", "binary", "symlink_loop"})

#: a password ``check_strength`` accepts, for ``--password-stdin``
PASSWORD = "correct horse battery staple\n"


def _db_row(command: str, argv: tuple[str, ...], *, creates: bool = False, stdin: str = "") -> Row:
    """A row whose hostile input is the database path (issue 18 kind 4).

    ``creates``: the command may create a missing database (it writes); a read-only command,
    and one that changes records that must already exist, must not: it says the database
    does not exist (exit 2) and creates nothing.
    """
    return Row(
        command,
        argv,
        name="steward.db",
        label="--db",
        kinds=DB_KINDS,
        expect={"missing": OK_OR_BAD} if creates else {},
        writes=("{out}", "{input}", "{input}-wal", "{input}-shm", "{input}-journal")
        if creates
        else ("{out}",),
        stdin=stdin,
    )


C = "STW-2026-0001"

#: commands whose only file input is their database: (command, its arguments before
#: ``--db {input}``, whether it may create a missing database)
DB_COMMANDS: list[tuple[str, tuple[str, ...], bool]] = [
    ("admin create-user", ("alice", "--no-password"), True),
    ("admin set-password", ("alice", "--password-stdin"), False),
    ("admin create-org", ("acme",), True),
    ("admin grant", ("alice", "viewer", "--org", "acme"), False),
    ("admin create-project", ("acme", "web"), False),
    ("admin token", ("alice",), False),
    ("case new", ("A title",), True),
    ("case add-product", (C, "--product", "p"), False),
    ("case set", (C, "--title", "t"), False),
    ("case release", (C, "--version", "1.0"), False),
    ("case request-report", (C, "--due", "2026-12-01T12:00:00Z"), False),
    ("case submitted", (C, "--report", "early-warning"), False),
    ("case embargo", (C, "--lift"), False),
    ("case event", (C, "note"), False),
    ("case close", (C,), False),
    ("case list", (), False),
    ("case show", (C,), False),
    ("case due", (), False),
    ("case report", (C, "--type", "early-warning"), False),
    ("case advisory", (C,), False),
    ("case profile set", ("--name", "Acme"), True),
    ("case profile show", (), False),
    ("db status", (), False),
    ("serve", ("--migrate-only",), True),
]

DB_ROWS: list[Row] = [
    _db_row(
        command,
        (*command.split(), *args, "--db", "{input}"),
        creates=creates,
        stdin=PASSWORD if "--password-stdin" in args else "",
    )
    for command, args, creates in DB_COMMANDS
] + [
    # the other commands with a --db next to their file inputs
    _db_row("vulns", ("vulns", "{root}", "--db", "{input}", "-o", "{out}")),
    _db_row("db import", ("db", "import", "{osv}", "--db", "{input}"), creates=True),
    _db_row(
        "assess-many",
        ("assess-many", "{list}", "--db", "{input}", "--org", "acme", "-o", "{out}", "--no-cache"),
    ),
    # documents that read a case store: reading never creates one
    _db_row("docs", ("docs", "annex-vii", "{root}", "-o", "{out}", "--db", "{input}")),
    _db_row("evidence pack", ("evidence", "pack", "{root}", "-o", "{out}", "--db", "{input}")),
]

ALL_ROWS: list[Row] = ROWS + DB_ROWS

#: test ids (``row.id-kind``) that fail today, each with the reason; the mark is strict, so a
#: case that starts passing fails until its line is removed. Empty: every case holds. A line
#: added here is a deliberate contract decision, its reason written next to it.
KNOWN_FAILURES: dict[str, str] = {}

#: one working command line per command with ``-o/--output`` (``{out}`` is the output path,
#: ``{root}`` a project with a requirements.txt, ``{db}`` a case store holding case ``{case}``
#: and a manufacturer profile, ``{bom}`` an SBOM of ``{root}``, ``{list}`` a repository list
#: naming ``{root}``). test_output_paths.py runs each against every output kind; a command
#: with ``--output`` and no line here fails there.
OUTPUT_ROWS: dict[str, tuple[str, ...]] = {
    "assess": ("assess", "{root}", "-o", "{out}"),
    "assess-many": ("assess-many", "{list}", "-o", "{out}", "--no-cache", "-j", "1"),
    "case list": ("case", "list", "--db", "{db}", "-o", "{out}"),
    "case show": ("case", "show", "{case}", "--db", "{db}", "-o", "{out}"),
    "case due": ("case", "due", "--db", "{db}", "-o", "{out}"),
    "case report": (
        "case",
        "report",
        "{case}",
        "--type",
        "early-warning",
        "--db",
        "{db}",
        "-o",
        "{out}",
    ),
    "case advisory": (
        "case",
        "advisory",
        "{case}",
        "--format",
        "csaf",
        "--db",
        "{db}",
        "-o",
        "{out}",
    ),
    "catalog list": ("catalog", "list", "-o", "{out}"),
    "catalog show": ("catalog", "show", "STW-AC-01", "-o", "{out}"),
    "catalog crosswalk": ("catalog", "crosswalk", "--framework", "csf", "-o", "{out}"),
    "catalog diff": ("catalog", "diff", "1.0.0", "-o", "{out}"),
    "catalog export": ("catalog", "export", "-o", "{out}"),
    "cra scope": ("cra", "scope", "{root}", "--no-input", "-o", "{out}"),
    "csaf validate": ("csaf", "validate", "{advisory}", "-o", "{out}"),
    "docs": ("docs", "annex-vii", "{root}", "--sbom", "{bom}", "-o", "{out}"),
    "evidence pack": ("evidence", "pack", "{root}", "--sbom", "{bom}", "-o", "{out}"),
    "sbom generate": ("sbom", "{root}", "-o", "{out}"),
    "sbom check": ("sbom", "check", "{bom}", "-o", "{out}"),
    "vulns": ("vulns", "{root}", "--db", "{vulndb}", "-o", "{out}"),
}

#: commands that refuse a device, FIFO or symlink as output (exit 2) instead of writing to it
#: (assess-many: its journal FILE.partial is renamed over FILE at the end; the documents
#: commands: steward.documents.outputs refuses anything but a regular file or a new name)
REFUSES_STREAMS = frozenset({"assess-many", "cra scope", "docs", "evidence pack"})
