"""The rows of the hostile-input matrix (issue 18): entry point x input kind.

Each :class:`Row` is one input slot of one command. ``argv`` is the command line after
``steward``, with placeholders:

- ``{input}``: the hostile input (a path of kind K, named ``name``), for rows with ``tree=False``;
- ``{root}``: the scanned project tree (``tree=True`` rows put the hostile input at
  ``{root}/<name>``, ``name`` being a path relative to the root);
- ``{out}``: the output file (``out/result``); ``{db}``: ``state/steward.db`` (a prepared
  vulnerability database when ``setup="vulndb"``, else nothing there).

For every (row, kind) the matrix asserts: the exit code is in ``expect[kind]`` (else
``default``), no traceback or internal error, an exit-2 message names the input, no path
outside ``writes`` was created or changed, and the canary's content never appears in output.

To add a command, add a row here (the matrix fails for a command with neither a row nor an
entry in :data:`NO_INPUT`). To add a kind, add it to :data:`KINDS` and to
``conftest.make_input``. ``xfail`` holds known failures (strict: a fixed case must lose its
mark); ``owner`` says who fixes a row's failures.
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
    xfail: Mapping[str, str] = field(default_factory=dict)
    warn: frozenset[str] = WARN_KINDS
    owner: str = "hostileio"

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
    Row(
        "db import",
        ("db", "import", "--kev", "{input}", "--db", "{db}"),
        name="kev.json",
        label="--kev",
        writes=DB_WRITES,
    ),
    Row(
        "db import",
        ("db", "import", "--euvd", "{input}", "--db", "{db}"),
        name="euvd.json",
        label="--euvd",
        writes=DB_WRITES,
    ),
    Row(
        "db import",
        ("db", "import", "--epss", "{input}", "--db", "{db}"),
        name="epss.csv",
        label="--epss",
        writes=DB_WRITES,
    ),
    # ------------------------------------------------------------------ documents, evidence
    Row(
        "docs",
        ("docs", "annex-vii", "{root}", "-o", "{out}", "--sbom", "{input}"),
        name="bom.json",
        label="--sbom",
    ),
    Row(
        "docs",
        ("docs", "annex-vii", "{root}", "-o", "{out}", "--assessment", "{input}"),
        name="assessment.json",
        label="--assessment",
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


def _db_row(command: str, argv: tuple[str, ...], *, creates: bool = False) -> Row:
    """A row whose hostile input is the database path (kind 4 of issue 18: hostileparse).

    ``creates``: the command may create a missing database (it writes); a read-only command
    must not, and says the database does not exist (exit 2).
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
        owner="hostileparse",
    )


C = "STW-2026-0001"
IN = "{input}"

#: commands whose only file input is their database (``{input}`` is the --db path)
DB_ROWS: list[Row] = [
    _db_row(
        "admin create-user",
        ("admin", "create-user", "alice", "--no-password", "--db", IN),
        creates=True,
    ),
    _db_row(
        "admin set-password", ("admin", "set-password", "alice", "--password-stdin", "--db", IN)
    ),
    _db_row("admin create-org", ("admin", "create-org", "acme", "--db", IN), creates=True),
    _db_row("admin grant", ("admin", "grant", "alice", "viewer", "--org", "acme", "--db", IN)),
    _db_row("admin create-project", ("admin", "create-project", "acme", "web", "--db", IN)),
    _db_row("admin token", ("admin", "token", "alice", "--db", IN)),
    _db_row("case new", ("case", "new", "A title", "--db", IN), creates=True),
    _db_row("case add-product", ("case", "add-product", C, "--product", "p", "--db", IN)),
    _db_row("case set", ("case", "set", C, "--title", "t", "--db", IN)),
    _db_row("case release", ("case", "release", C, "--version", "1.0", "--db", IN)),
    _db_row("case request-report", ("case", "request-report", C, "--db", IN)),
    _db_row("case submitted", ("case", "submitted", C, "--report", "early-warning", "--db", IN)),
    _db_row("case embargo", ("case", "embargo", C, "--lift", "--db", IN)),
    _db_row("case event", ("case", "event", C, "note", "--db", IN)),
    _db_row("case close", ("case", "close", C, "--db", IN)),
    _db_row("case list", ("case", "list", "--db", IN)),
    _db_row("case show", ("case", "show", C, "--db", IN)),
    _db_row("case due", ("case", "due", "--db", IN)),
    _db_row("case report", ("case", "report", C, "--db", IN)),
    _db_row("case advisory", ("case", "advisory", C, "--db", IN)),
    _db_row(
        "case profile set", ("case", "profile", "set", "--name", "Acme", "--db", IN), creates=True
    ),
    _db_row("case profile show", ("case", "profile", "show", "--db", IN)),
    _db_row("db status", ("db", "status", "--db", IN)),
    _db_row("serve", ("serve", "--migrate-only", "--db", IN), creates=True),
]

ALL_ROWS: list[Row] = ROWS + DB_ROWS

#: test ids (``row.id-kind``) that fail today, with who fixes them; strict xfail, so a fixed
#: case fails until its line is removed here
KNOWN_FAILURES: dict[str, str] = {
    "admin-create-org[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "admin-create-org[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "admin-create-org[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "admin-create-org[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "admin-create-org[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "admin-create-project[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "admin-create-project[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "admin-create-project[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "admin-create-project[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "admin-create-project[--db]-missing": "issue 18 kind 4 (databases): hostileparse",
    "admin-create-project[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "admin-create-user[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "admin-create-user[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "admin-create-user[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "admin-create-user[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "admin-create-user[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "admin-grant[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "admin-grant[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "admin-grant[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "admin-grant[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "admin-grant[--db]-missing": "issue 18 kind 4 (databases): hostileparse",
    "admin-grant[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "admin-set-password[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "admin-set-password[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "admin-set-password[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "admin-set-password[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "admin-set-password[--db]-missing": "issue 18 kind 4 (databases): hostileparse",
    "admin-set-password[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "admin-token[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "admin-token[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "admin-token[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "admin-token[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "admin-token[--db]-missing": "issue 18 kind 4 (databases): hostileparse",
    "admin-token[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "assess-many[repos.txt]-empty": "issue 18: hostileio",
    "case-add-product[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "case-add-product[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "case-add-product[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "case-add-product[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "case-add-product[--db]-missing": "issue 18 kind 4 (databases): hostileparse",
    "case-add-product[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "case-advisory[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "case-advisory[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "case-advisory[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "case-advisory[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "case-advisory[--db]-missing": "issue 18 kind 4 (databases): hostileparse",
    "case-advisory[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "case-close[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "case-close[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "case-close[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "case-close[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "case-close[--db]-missing": "issue 18 kind 4 (databases): hostileparse",
    "case-close[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "case-due[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "case-due[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "case-due[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "case-due[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "case-due[--db]-missing": "issue 18 kind 4 (databases): hostileparse",
    "case-due[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "case-embargo[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "case-embargo[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "case-embargo[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "case-embargo[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "case-embargo[--db]-missing": "issue 18 kind 4 (databases): hostileparse",
    "case-embargo[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "case-event[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "case-event[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "case-event[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "case-event[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "case-event[--db]-missing": "issue 18 kind 4 (databases): hostileparse",
    "case-event[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "case-list[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "case-list[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "case-list[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "case-list[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "case-list[--db]-missing": "issue 18 kind 4 (databases): hostileparse",
    "case-list[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "case-new[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "case-new[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "case-new[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "case-new[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "case-new[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "case-profile-set[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "case-profile-set[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "case-profile-set[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "case-profile-set[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "case-profile-set[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "case-profile-show[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "case-profile-show[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "case-profile-show[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "case-profile-show[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "case-profile-show[--db]-missing": "issue 18 kind 4 (databases): hostileparse",
    "case-profile-show[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "case-release[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "case-release[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "case-release[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "case-release[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "case-release[--db]-missing": "issue 18 kind 4 (databases): hostileparse",
    "case-release[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "case-report[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "case-report[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "case-report[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "case-report[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "case-report[--db]-missing": "issue 18 kind 4 (databases): hostileparse",
    "case-report[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "case-request-report[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "case-request-report[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "case-request-report[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "case-request-report[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "case-request-report[--db]-missing": "issue 18 kind 4 (databases): hostileparse",
    "case-request-report[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "case-set[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "case-set[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "case-set[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "case-set[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "case-set[--db]-missing": "issue 18 kind 4 (databases): hostileparse",
    "case-set[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "case-show[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "case-show[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "case-show[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "case-show[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "case-show[--db]-missing": "issue 18 kind 4 (databases): hostileparse",
    "case-show[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "case-submitted[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "case-submitted[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "case-submitted[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "case-submitted[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "case-submitted[--db]-missing": "issue 18 kind 4 (databases): hostileparse",
    "case-submitted[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "db-status[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "db-status[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "db-status[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "db-status[--db]-missing": "issue 18 kind 4 (databases): hostileparse",
    "db-status[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "sbom-generate[requirements.txt]-symlink_out": "issue 18: hostileio",
    "serve[--db]-binary": "issue 18 kind 4 (databases): hostileparse",
    "serve[--db]-directory": "issue 18 kind 4 (databases): hostileparse",
    "serve[--db]-empty": "issue 18 kind 4 (databases): hostileparse",
    "serve[--db]-fifo": "issue 18 kind 4 (databases): hostileparse",
    "serve[--db]-symlink_loop": "issue 18 kind 4 (databases): hostileparse",
    "vulns[requirements.txt]-symlink_out": "issue 18: hostileio",
}

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
