"""What a shell command does, as far as CI facts go: runs tests, installs something unpinned,
downloads and runs a script, calls a repository script or a make/just/npm target.

Commands come from ``steward.collect.shell`` (argv with quotes removed). The unpinned-install
rules follow the patterns OpenSSF Scorecard's Pinned-Dependencies check recognises
(``checks/raw/shell_download_validate.go``): download-then-run (``curl | sh``, ``bash <(curl)``,
a downloaded file executed), ``pip install``, ``npm install``, ``go install/get``,
``choco install``, ``nuget install`` and ``dotnet add package``. Where Scorecard asks for a
hash for every install, we accept an exact version as pinned (``pip install x==1.2.3``,
``npm install -g x@1.2.3``, ``go install x@v1.2.3``): the version cannot move, the registry
content behind it cannot change for PyPI/npm/Go's checksum database.

Test runs: test runners and build-tool test targets (pytest, tox, nox, cargo/cross test,
go test, npm/yarn/pnpm test, mvn/gradle test-running goals, make/just test targets, ...).
``mvn -DskipTests`` and installing a runner (``pip install nox``) are not test runs.
"""

from __future__ import annotations

import itertools
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from steward.collect.shell import SHELLS, Command

EXPRESSION = re.compile(r"\$\{\{((?:(?!\$\{\{|\}\}).)*)\}\}", re.S)
_SHELL_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
SHA40 = re.compile(r"^[0-9a-f]{40}$")
SEMVER = re.compile(r"^v\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
INTERPRETERS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "fish", "python", "python2",
                          "python3", "perl", "ruby", "node", "pwsh", "powershell",
                          "php"})  # fmt: skip
DOWNLOADERS = frozenset({"curl", "wget", "fetch", "aria2c", "iwr", "irm", "invoke-webrequest",
                         "invoke-restmethod"})  # fmt: skip
# (``valgrind`` and ``libtool --mode=execute`` run the program after their options, as C
# projects run their test drivers under a memory checker)
_WRAPPERS = frozenset({"sudo", "env", "time", "nice", "nohup", "exec", "command", "xvfb-run",
                       "stdbuf", "unbuffer", "eval", "call", "valgrind"})  # fmt: skip
_RUNNERS = {  # "<tool> run <cmd>" style wrappers
    "uv": ("run",), "poetry": ("run",), "pipenv": ("run",), "pdm": ("run",), "rye": ("run",),
    "hatch": ("run",), "bundle": ("exec",), "conda": ("run",), "micromamba": ("run",),
    "pixi": ("run",), "npx": (), "pnpx": (), "bunx": (), "yarn": ("exec", "dlx"),
    "pnpm": ("exec", "dlx"), "dotenv": (), "opam": ("exec",), "nix": ("develop",),
    # tool runners that fetch and run a package's command (``uvx --with tox-uv tox -e py``,
    # ``pipx run nox``, ``npm exec -- vitest``); ``uv tool run`` is handled in ``normalise``
    "uvx": (), "pipx": ("run",), "npm": ("exec", "x"),
    # Composer's own command that runs a vendor binary (``composer exec phpunit -- --group
    # X``): the binary is the command, not a script named "exec" (held-out-8d, monolog)
    "composer": ("exec",), "composer.phar": ("exec",),
}  # fmt: skip


# options of the runners above that take a value (``uv run --group dev pytest``)
_RUNNER_VALUE_FLAGS = frozenset({
    "--group", "--with", "--with-editable", "--with-requirements", "--extra", "--python", "-p",
    "--package", "--project", "--directory", "--env-file", "--index", "--only-group",
    "--no-group", "--config-file", "--index-url", "--extra-index-url", "-w", "-C", "-P",
    "-e", "--environment", "--manifest-path", "-n", "--name", "--prefix", "-c", "--command",
    "--workspace", "--filter", "-F", "--from", "--spec", "--python-preference",
})  # fmt: skip


def program(word: str) -> str:
    """The program name of a command word (``/usr/bin/pip3`` -> ``pip3``), lower case."""
    name = posixpath.basename(word).lower()
    return name[:-4] if name.endswith((".exe", ".bat", ".cmd")) else name


def resolve(word: str, env: Mapping[str, str], inputs: Mapping[str, str] | None = None) -> str:
    """``word`` with ``${{ env.X }}``, ``${{ inputs.X }}``, ``$X`` and ``${X}`` replaced where
    ``env`` (or an action's ``inputs``) knows X."""

    def expr(m: re.Match[str]) -> str:
        inner = m.group(1).strip()
        if inner.startswith("env.") and inner[4:] in env:
            return env[inner[4:]]
        if inner.startswith("inputs.") and inputs and inner[7:] in inputs:
            return inputs[inner[7:]]
        return m.group(0)

    def var(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2)
        return env.get(name, m.group(0))

    if "$" not in word:
        return word
    return _SHELL_VAR.sub(var, EXPRESSION.sub(expr, word))


def normalise(
    cmd: Command, env: Mapping[str, str] | None = None, inputs: Mapping[str, str] | None = None
) -> list[str]:
    """argv with variables resolved and wrappers (``sudo``, ``env``, ``uv run``...) dropped."""
    scope = {**(env or {}), **cmd.assignments}
    argv = [resolve(w, scope, inputs) for w in cmd.argv]
    for _ in range(4):  # wrappers can nest: sudo -E env X=1 uv run pytest
        if not argv:
            break
        head = program(argv[0])
        if head in _WRAPPERS:
            argv = argv[1:]
            while argv and (argv[0].startswith("-") or "=" in argv[0]):
                argv = argv[1:]
            continue
        if head == "libtool" and "--mode=execute" in argv[1:]:
            rest = argv[1:]
            while rest and rest[0].startswith("-"):
                rest = rest[1:]
            argv = rest
            continue
        if head == "timeout" and len(argv) > 2:
            rest = argv[1:]
            while rest and rest[0].startswith("-"):
                rest = rest[1:]
            argv = rest[1:]  # drop the duration
            continue
        runner = _RUNNERS.get(head)
        if head == "uv" and argv[1:3] == ["tool", "run"]:
            argv = ["uvx", *argv[3:]]
            continue
        if runner is not None:
            rest = argv[1:]
            if runner and rest and rest[0] in runner:
                rest = rest[1:]
            elif runner:
                break
            while rest and rest[0].startswith("-"):
                flag = rest[0]
                rest = rest[1:]
                if flag == "--":
                    break
                if flag in _RUNNER_VALUE_FLAGS and "=" not in flag and rest:
                    rest = rest[1:]
            if head == "hatch":
                # ``hatch run +py=3.12 test:cov``: the matrix selectors (``+py=...``) choose
                # interpreters; ``env:name`` is a script of that environment or a command run
                # in it, which only the hatch configuration tells (followed by the caller)
                while rest and re.match(r"[+-][\w-]+=", rest[0]):
                    rest = rest[1:]
                if rest and ":" in rest[0] and not rest[0].startswith(("-", "/")):
                    argv = ["hatch", "run", *rest]
                    break
            argv = rest
            continue
        break
    if argv and program(argv[0]) in ("cargo", "cross"):
        argv = [argv[0], *_without_cargo_globals(argv[1:])]
    if len(argv) >= 3 and program(argv[0]) == "py" and re.fullmatch(r"-\d+(?:\.\d+)?", argv[1]):
        argv = [argv[0], *argv[2:]]  # the Windows launcher's version: py -3.12 -m pip
    if len(argv) >= 3 and _PYTHON.fullmatch(program(argv[0])):
        argv = _python_module(argv)
    return _under_coverage(argv)


# the interpreter (python, python3.12, python3.14t, pypy3, the Windows launcher py), not a
# program whose name starts with "py": ``pytest -m "not slow"`` selects markers
_PYTHON = re.compile(r"(?:python|pypy)[\d.]*[tdm]?|py")
# interpreter options without a value (docs.python.org, "Command line and environment"),
# alone or run together: ``python -I -u -m pip``, ``python -Im pip`` (aio-libs/multidict,
# held-out-12a); ``-X utf8`` and ``-W error`` take one
_PYTHON_FLAGS = re.compile(r"-[bBdEiIOPqsSuvx]+")
_PYTHON_VALUE_FLAGS = frozenset({"-X", "-W"})


def _python_module(argv: list[str]) -> list[str]:
    """``python [options] -m module args`` -> ``module args``; any other command as it is."""
    i = 1
    while i < len(argv):
        word = argv[i]
        if word == "-m" and i + 1 < len(argv):
            return argv[i + 1 :]
        if re.fullmatch(r"-[bBdEIOPqsSuvx]+m", word) and i + 1 < len(argv):
            return argv[i + 1 :]  # options run together with -m: ``-Im pip``
        if word in _PYTHON_VALUE_FLAGS:
            i += 2
        elif word.startswith(("-X", "-W")) or _PYTHON_FLAGS.fullmatch(word):
            i += 1
        else:
            break
    return argv


# options of ``coverage run`` that take a value (coverage.readthedocs.io, "coverage run")
_COVERAGE_VALUE_FLAGS = frozenset({"--source", "--rcfile", "--include", "--omit",
                                   "--concurrency", "--context", "--data-file"})  # fmt: skip


def _under_coverage(argv: list[str]) -> list[str]:
    """The command coverage.py runs: ``coverage run [options] -m pytest -x`` -> ``pytest -x``,
    ``coverage run [options] tests/run.py`` -> ``python tests/run.py`` (a script it runs with
    Python); any other command as it is. Coverage measures the run, it does not replace it, as
    ``c8``/``nyc`` wrap a JavaScript test command and ``cargo tarpaulin`` runs the tests."""
    if len(argv) < 3 or program(argv[0]) not in ("coverage", "coverage3") or argv[1] != "run":
        return argv
    rest = argv[2:]
    while rest and rest[0].startswith("-") and rest[0] != "-m":
        flag = rest[0]
        rest = rest[1:]
        if flag in _COVERAGE_VALUE_FLAGS and rest:
            rest = rest[1:]
    if rest[:1] == ["-m"]:
        return rest[1:]
    return ["python", *rest] if rest else argv


_CARGO_GLOBALS = frozenset({"--config", "-Z", "--color", "-C"})  # cargo options with a value


def inline_script(argv: list[str]) -> str | None:
    """The script a shell is given with ``-c`` (``bash -c "pip install x"``, ``sh -ec``,
    ``bash -lc`` behind an entry point: ``["/entrypoint.sh", "bash", "-lc", "..."]``), or
    None. Only the first three words are looked at for the shell (a wrapper, an entry
    point), so an argument that happens to be ``sh`` later on is not taken for one."""
    for i, word in enumerate(argv[:3]):
        if program(word) in SHELLS and i + 2 < len(argv):
            flag = argv[i + 1]
            if re.fullmatch(r"-[a-z]*c[a-z]*", flag) and not flag.startswith("--"):
                return argv[i + 2]
            return None
    return None


def _without_cargo_globals(args: list[str]) -> list[str]:
    """cargo's options before the subcommand dropped (``cargo --config x.toml test`` ->
    ``test``); what follows the subcommand is kept as it is."""
    rest = list(args)
    while rest and (rest[0].startswith(("-", "+"))):
        flag = rest.pop(0)
        if flag in _CARGO_GLOBALS and rest:
            rest.pop(0)
    return rest


# ----------------------------------------------------------------------- unpinned installs

_PIP_VALUE_FLAGS = frozenset({"-i", "--index-url", "--extra-index-url", "-f", "--find-links",
    "-t", "--target", "--prefix", "--root", "--python-version", "--platform", "--only-binary",
    "--no-binary", "--trusted-host", "--cache-dir", "--progress-bar", "--config-settings",
    "-C", "--src", "--upgrade-strategy", "--python", "--implementation", "--abi", "--log",
    "-p", "--report", "--index", "--default-index", "--extra-index", "--group",
    "--only-group", "--extra", "--python-preference", "--with", "--from", "--exclude-newer",
    "--resolution", "--prerelease", "--index-strategy", "--keyring-provider",
    "--link-mode", "-w", "--wheel-dir", "-d", "--dest"})  # fmt: skip
# a local path (the project itself, with extras: ``.[test]``, ``./pkg[dev]``) or an archive
_LOCAL = re.compile(
    r"^(?:\.{1,2}(?:/|$|\[)|/|~|file:)|\.(?:whl|tar\.gz|tgz|zip|tar\.bz2)(?:\[[^\]]*\])?$"
)
_VCS = re.compile(r"^(?:git|hg|svn|bzr)\+|^git://")


def _pip_unpinned(args: list[str]) -> list[str]:
    """Package arguments of ``pip install`` that are not pinned to a version or hash."""
    if "--require-hashes" in args:
        return []
    if "--no-index" in args or "--dry-run" in args:
        # nothing comes from a package index (``--find-links ./dist`` only), or nothing is
        # installed: ``pip install --no-index --find-links=./dist pkg --dry-run --report=-``
        # finds the wheel just built (aio-libs/multidict, held-out-12a)
        return []
    loose: list[str] = []
    skip_next = False
    editable = False
    for raw in args:
        arg = raw.strip("'\"")
        if skip_next:
            skip_next = False
            continue
        if arg in ("-r", "--requirement", "-c", "--constraint"):
            skip_next = True  # the file's pins are checked where the file is
            continue
        if arg in _PIP_VALUE_FLAGS:
            skip_next = True
            continue
        if arg in ("-e", "--editable"):
            editable = True
            continue
        if not arg or arg.startswith(("-", "$")):
            continue
        if _VCS.search(arg) or "://" in arg or _DIRECT_REFERENCE.match(arg):
            editable = False  # an editable VCS checkout is pinned by its reference only
            if requirement_unpinned(arg):
                loose.append(arg)
            continue
        if editable or _LOCAL.search(arg) or "/" in arg:
            editable = False
            continue
        if requirement_unpinned(arg):
            loose.append(arg)
    return loose


# PEP 508 direct reference: ``name[extras] @ <url or path>``
_DIRECT_REFERENCE = re.compile(r"^[A-Za-z0-9][\w.-]*(?:\[[^\]]*\])?\s*@\s*(\S+)")
_LOCAL_PATH = re.compile(r"^(?:file:|\.{1,2}(?:/|\\|$|\[)|/|~|[A-Za-z]:[\\/])")
# a VCS reference at a full commit, or an archive URL with a hash fragment
_PINNED_URL = re.compile(r"@[0-9a-f]{40}(?:[#&]|$)|#(?:sha256|sha384|sha512)=[0-9a-f]{64,128}\b")


def requirement_unpinned(spec: str) -> bool:
    """Whether one requirement (a ``pip install`` argument or a requirements-file line,
    without its options) is not pinned.

    Pinned: ``name==1.2.3`` / ``name===1.2.3`` (no wildcard, markers after ``;`` aside); a
    direct reference to a local path (``name @ file:.``, ``./pkg``, ``/abs/pkg.whl``: the
    code is in the tree or on the machine, nothing is fetched); a VCS reference at a full
    commit SHA (``git+https://host/r.git@<40 hex>``) or an archive URL with a hash fragment
    (``#sha256=...``). Everything else (ranges, bare names, ``@main``, an unhashed archive
    URL) is unpinned, as in OpenSSF Scorecard's Pinned-Dependencies.
    """
    spec = spec.strip().strip("'\"").rstrip("\\").strip()
    direct = _DIRECT_REFERENCE.match(spec)
    target = direct.group(1) if direct else None
    if target is None and ("://" in spec or _VCS.search(spec) or _LOCAL_PATH.match(spec)):
        target = spec.split(";", 1)[0].strip()
    if target is not None:
        if _LOCAL_PATH.match(target):
            return False
        if "://" in target or _VCS.search(target):
            return not _PINNED_URL.search(target)
        return not _LOCAL.search(target)  # ``name @ pkg-1.0.whl``: a local archive
    requirement = spec.split(";", 1)[0].strip()
    return not (re.search(r"===?\s*[\w.!+-]+$", requirement) and "*" not in requirement)


def _npm_unpinned(args: list[str]) -> list[str]:
    loose = []
    skip_next = False
    for arg in args:
        if skip_next:
            skip_next = False
            continue
        if arg in ("--prefix", "--registry", "--tag", "-w", "--workspace", "--cache"):
            skip_next = True
            continue
        if not arg or arg.startswith(("-", "$")):
            continue
        if _LOCAL.search(arg) or arg.startswith(("./", "../")):
            continue
        if arg.startswith(("github:", "git+", "git://", "http://", "https://")):
            if not re.search(r"#[0-9a-f]{40}$", arg):
                loose.append(arg)
            continue
        _, at, version = arg[1:].partition("@") if arg.startswith("@") else arg.partition("@")
        if at and re.fullmatch(r"v?\d+\.\d+\.\d+(?:[-+][\w.-]+)?", version):
            continue
        loose.append(arg)
    return loose


def unpinned_install(argv: list[str]) -> str | None:
    """Why this command installs something unpinned, or None."""
    if not argv:
        return None
    prog = program(argv[0])
    args = argv[1:]
    if prog in ("pip", "pip3") or re.fullmatch(r"pip3\.\d+", prog):
        # `pip wheel` and `pip download` fetch from the index as `pip install` does (the
        # wheels built go into the image or the release)
        if args[:1] in (["install"], ["wheel"], ["download"]):
            loose = _pip_unpinned(args[1:])
            if loose:
                return f"pip {args[0]} {' '.join(loose)} without a pinned version or hash"
        return None
    if prog == "uv" and args[:2] == ["pip", "install"]:
        loose = _pip_unpinned(args[2:])
        return f"uv pip install {' '.join(loose)} without a pinned version" if loose else None
    if (prog == "uv" and args[:2] == ["tool", "install"]) or (
        prog == "pipx" and args[:1] == ["install"]
    ):
        rest = args[2:] if prog == "uv" else args[1:]
        loose = _pip_unpinned(rest)
        return f"{prog} installs {' '.join(loose)} without a pinned version" if loose else None
    if prog in ("npm", "pnpm", "bun") and args[:1] and args[0] in ("install", "i", "add"):
        loose = _npm_unpinned(args[1:])
        return f"{prog} {args[0]} {' '.join(loose)} without a pinned version" if loose else None
    if prog == "yarn" and args[:2] == ["global", "add"]:
        loose = _npm_unpinned(args[2:])
        return f"yarn global add {' '.join(loose)} without a pinned version" if loose else None
    if prog == "go" and args[:1] and args[0] in ("install", "get"):
        return _go_unpinned(args[0], args[1:])
    if prog == "choco" and args[:1] == ["install"]:
        flags = {a.split("=", 1)[0].lower() for a in args}
        if not flags & {"--requirechecksum", "--requirechecksums", "--require-checksums"}:
            return "choco install without --require-checksums"
        return None
    if prog == "nuget" and args[:1] == ["install"] and len(args) > 1:
        if "-version" not in {a.lower() for a in args} and not args[1].endswith(".config"):
            return f"nuget install {args[1]} without -Version"
        return None
    if (
        prog == "dotnet"
        and "add" in args[:2]
        and "package" in args[:4]
        and not {"-v", "--version"} & set(args)
    ):
        return "dotnet add package without --version"
    return None


def _go_unpinned(verb: str, args: list[str]) -> str | None:
    for arg in args:
        if arg.startswith(("-", "$")):
            continue
        if not re.match(r"[\w-]+\.[\w.-]+/", arg):
            continue  # a local package (./..., a module-relative path)
        _, at, version = arg.partition("@")
        if not at:
            if verb == "get":  # go get without a version takes the newest
                return f"go get {arg} without a version"
            continue  # go install pkg: built at the version go.mod/go.sum pins
        if version == "none" or SHA40.match(version) or SEMVER.match(version):
            continue
        return f"go {verb} {arg}: @{version} is not a fixed version"
    return None


# -------------------------------------------------------------------- download and run


def _downloads(word: str) -> bool:
    return bool(re.search(r"(?:\$\(|<\(|`)\s*(?:curl|wget|iwr|irm|Invoke-WebRequest)\b", word))


def _pinned_url(words: list[str]) -> bool:
    """Every URL among ``words`` names a fixed commit (``.../<40 hex>/...``)."""
    urls = [w for w in words if "://" in w]
    return bool(urls) and all(re.search(r"[/=@]([0-9a-f]{40})(?:[/?#]|$)", u) for u in urls)


def download_then_run(cmd: Command, argv: list[str]) -> tuple[str, int] | None:
    """``curl ... | sh``, ``bash <(curl ...)``, ``sh -c "$(curl ...)"``, ``iwr ... | iex``:
    (why, offset of the downloading command), or None. A URL that names a fixed commit
    (``raw.githubusercontent.com/o/r/<sha>/install.sh``) is pinned."""
    if not argv:
        return None
    prog = program(argv[0])
    runs_code = prog in INTERPRETERS or prog in ("iex", "invoke-expression")
    if not runs_code:
        return None
    source = cmd.piped_from
    while source is not None:
        words = normalise(source)
        if words and program(words[0]) in DOWNLOADERS:
            if _pinned_url(words):
                return None
            return f"{program(words[0])} output piped into {prog}", source.start
        source = source.piped_from
    for word in cmd.raw[1:]:
        if _downloads(word) and not _pinned_url(re.findall(r"\S+://\S+", word)):
            return f"{prog} runs a script downloaded on the fly", cmd.start
    return None


def downloaded_file(argv: list[str], cmd: Command) -> str | None:
    """The file a download command writes (``curl -o F``, ``wget -O F``, ``curl URL > F``)."""
    if not argv or program(argv[0]) not in ("curl", "wget", "gsutil", "aws"):
        return None
    prog = program(argv[0])
    for op, target in cmd.redirects:
        if op in (">", ">>", ">|"):
            return target
    urls = [a for a in argv[1:] if "://" in a]
    for i, arg in enumerate(argv[1:], start=1):
        nxt = argv[i + 1] if i + 1 < len(argv) else None
        if prog == "curl" and (
            arg in ("-o", "--output") or (re.fullmatch(r"-[a-zA-Z]*o", arg) is not None)
        ):
            return nxt
        if prog == "curl" and arg.startswith("--output="):
            return arg.split("=", 1)[1]
        if prog == "curl" and re.fullmatch(r"-[a-zA-Z]*O[a-zA-Z]*", arg) and urls:
            return posixpath.basename(urls[0].split("?")[0])
        if prog == "wget" and (arg == "-O" or re.fullmatch(r"-[a-zA-Z]*O", arg)):
            return nxt if nxt != "-" else None
        if prog == "wget" and arg.startswith("--output-document="):
            return arg.split("=", 1)[1]
    if prog == "wget" and urls:
        return posixpath.basename(urls[0].split("?")[0])
    if prog in ("gsutil", "aws") and "cp" in argv and len(argv) >= 4:
        return argv[-1]
    return None


def executes_file(argv: list[str], path: str) -> bool:
    """Whether this command runs ``path`` (as a program or through an interpreter)."""
    if not argv or not path:
        return False
    base = posixpath.basename(path)

    def same(word: str) -> bool:
        return word in (path, f"./{path}", f"./{base}", base) or word.endswith(f"/{base}")

    if same(argv[0]) and argv[0] != "-":
        return True
    return program(argv[0]) in INTERPRETERS and any(same(a) for a in argv[1:3])


def verifies_file(argv: list[str], path: str) -> bool:
    """A checksum or signature check that names ``path`` (or a checksum list with -c)."""
    if not argv:
        return False
    prog = program(argv[0])
    checkers = ("sha256sum", "sha512sum", "sha1sum", "shasum", "md5sum", "b2sum", "gpg",
                "gpgv", "cosign", "minisign", "openssl", "certutil", "get-filehash")  # fmt: skip
    if prog not in checkers:
        return False
    base = posixpath.basename(path)
    return any(base in a for a in argv[1:]) or "-c" in argv or "--check" in argv


# ---------------------------------------------------------------------------- test runs


@dataclass(frozen=True, slots=True)
class TestRun:
    """What a command tells about tests: ``kind`` is "test", "no", or a target to follow:
    "script" (``target`` = repository path), "make"/"just" (``target`` = recipe name,
    ``directory`` = where the makefile is), "npm"/"composer" (``target`` = script name),
    "mvn" (the POM's default goal), "rake" (the Rakefile's default task), "sbt" (``target`` =
    a possible command alias of the build), "cmake" (``target`` = a target of the project's
    own, named like a test target, whose ``add_custom_target`` says what it runs), "gradle"
    (the build's ``defaultTasks``), "ant" (``target`` = a build.xml target, "" for its
    default), "task" (``target`` = a Taskfile task, "" for ``default``), "hatch" (``target`` =
    ``env:name``, a script of a hatch environment or a command run in it), "variable" (the
    program is a variable the workflow leaves unset: it could run anything)."""

    kind: str
    target: str = ""
    directory: str = ""
    detail: str = ""


NO = TestRun("no")
_LINT_ENVS = re.compile(
    r"^(?:lint|linters?|style|format|fmt|docs?|typing|types?|mypy|pyright|pre-commit|check-?"
    r"manifest|build|release|publish|pkg|package|packaging|coverage-report|report|clean|"
    r"spelling|docs-\w+|flake8|pylint|ruff|bandit|safety|audit|readme|changelog|dev|venv)$",
    re.I,
)
# recipe/target names that run tests: anything with "test" in it (test, unittest, richtest,
# test-all; not "latest" or "attest"), check targets, coverage, unit/integration/e2e
_TEST_TARGET = re.compile(
    r"^(?:(?!.*latest).*(?<!at)tests?.*|check|checks|check[-_:.].*|.*[-_:.]check|coverage|"
    r"cover|cov|unit|integration|e2e)$",
    re.I,
)
# "check-protos", "fmt-check", "check-licenses": a check of one thing, often not the tests;
# such a recipe is followed (one level) instead of being taken for a test run by its name
_NAMED_CHECK = re.compile(r"^(?:check[-_:.].+|.+[-_:.]check)$", re.I)
_TEST_WORD = re.compile(r"tests?|unit|integration|e2e|cover|spec", re.I)


def _test_session(name: str) -> bool:
    """A tox environment or nox session that may run tests: not a lint/docs/build one, nor a
    compound of such a word without a test word (``release_build``, ``docs-serve``; not
    ``build-tests``)."""
    if _LINT_ENVS.match(name):
        return False
    first = re.split(r"[-_:.(]", name, maxsplit=1)[0]
    return not (_LINT_ENVS.match(first) and not _TEST_WORD.search(name))


def is_test_target(name: str) -> bool:
    """A make/just/composer target that runs tests by its name alone (``test``,
    ``unittest``, ``check``, ``coverage``...); ``check-<thing>`` only with a test word, and
    never a benchmark (``test-benchmark-compare``)."""
    if not _TEST_TARGET.match(name) or _BENCHMARK.search(name):
        return False
    return not _NAMED_CHECK.match(name) or bool(_TEST_WORD.search(name))


# "test-benchmark-compare", "bench-test": benchmarks measure, they do not test; followed into
# their recipe instead of being taken for a test run by the name
_BENCHMARK = re.compile(r"bench|perf(?:ormance)?(?:[-_:.]|$)", re.I)


# test runners and their wrappers: Symfony's PHPUnit bridge (``simple-phpunit``), Kahlan and
# atoum (PHP), the .NET test platform's console runners, Swift's and Xcode's under their own
# names below
_RUNNER_PROGRAMS = frozenset({
    "pytest", "py.test", "unittest", "nose2", "nosetests", "trial", "ctest", "phpunit", "pest",
    "paratest", "codecept", "rspec", "prove", "gotestsum", "ginkgo", "busted", "bats", "behave",
    "stestr", "testr", "jasmine", "richgo", "go-acc", "tparse", "gotest", "simple-phpunit",
    "kahlan", "atoum", "vstest.console", "xunit.console", "nunit3-console",
})  # fmt: skip
_JS_RUNNERS = frozenset({"jest", "vitest", "mocha", "ava", "tap", "karma", "playwright",
                         "cypress", "c8", "nyc", "jasmine", "uvu", "tsd"})  # fmt: skip
# where package managers install other packages' programs (Composer's vendor/bin, npm's
# node_modules/.bin, Bundler's binstubs under vendor/bundle): what runs from there is a tool
# (its name says whether it runs tests), never one of the repository's scripts to follow
_INSTALLED = re.compile(r"(?:^|/)(?:vendor|node_modules)/")


def installed_tool(argv: list[str]) -> list[str]:
    """``argv`` with an interpreter running a package's installed binary dropped: ``php
    vendor/bin/phpstan analyse`` -> ``[phpstan, analyse]``, ``node node_modules/.bin/eslint .``
    -> ``[eslint, .]``; other commands as they are (the program named by its base name)."""
    if len(argv) > 1 and program(argv[0]) in _SCRIPT_RUNNERS and _INSTALLED.search(argv[1]):
        tool = re.sub(r"\.(?:[cm]?js|rb|py|php|phar)$", "", program(argv[1]))
        return [tool, *argv[2:]]
    if argv and _INSTALLED.search(argv[0]):
        return [program(argv[0]), *argv[1:]]
    return argv


# interpreters running a script: ``lua tests/test.lua`` runs the test script (followed, or
# judged by its name), as ``python tests/run.py`` does
_SCRIPT_RUNNERS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "python", "python3",
                             "pwsh", "powershell", "node", "ruby", "perl", "php", "lua",
                             "luajit", "resty", "rscript", "tclsh", "elixir", "escript",
                             "runghc", "runhaskell", "raku"})  # fmt: skip


_RAKE_VALUE_FLAGS = frozenset({"-f", "--rakefile", "-I", "--libdir", "-r", "--require",
                               "-R", "--rakelibdir", "-C", "--directory", "-e", "--execute",
                               "-E", "--execute-continue", "-p", "--execute-print", "-j",
                               "--jobs"})  # fmt: skip
# options whose value is the next word: Ant's, Gradle's (not task names), go-task's
_ANT_VALUE_FLAGS = frozenset({"-f", "-file", "-buildfile", "-lib", "-logfile", "-l",
                              "-logger", "-listener", "-propertyfile", "-inputhandler",
                              "-find", "-s", "-main", "-nice"})  # fmt: skip
_GRADLE_VALUE_FLAGS = frozenset({"-p", "--project-dir", "-b", "--build-file", "-c",
                                 "--settings-file", "-I", "--init-script", "--console",
                                 "--warning-mode", "--max-workers", "-g", "--gradle-user-home",
                                 "--priority", "--include-build", "-x", "--exclude-task",
                                 "--project-cache-dir", "-M", "--write-verification-metadata",
                                 "-F", "--dependency-verification"})  # fmt: skip
_TASK_VALUE_FLAGS = frozenset({"-d", "--dir", "-t", "--taskfile", "-o", "--output",
                               "-c", "--color", "-C", "--concurrency", "--interval",
                               "-I", "--sort"})  # fmt: skip
# options after which the tool only informs (version, help, listing, dry run): no target runs
_INFO_FLAGS = {
    "make": frozenset({"-v", "--version", "-h", "--help", "-n", "--dry-run", "--just-print",
                       "--recon", "-q", "--question"}),
    "gmake": frozenset({"-v", "--version", "-h", "--help", "-n", "--dry-run", "--just-print",
                        "--recon", "-q", "--question"}),
    "just": frozenset({"-l", "--list", "--summary", "--dump", "--evaluate", "--show", "-s",
                       "--version", "-V", "-h", "--help", "--choose", "--init", "-n",
                       "--dry-run", "--variables", "--groups"}),
    "task": frozenset({"-l", "--list", "-a", "--list-all", "--summary", "--version", "-h",
                       "--help", "-i", "--init", "-n", "--dry", "--status"}),
    "gradle": frozenset({"-v", "--version", "-h", "-?", "--help", "--stop", "--status",
                         "-m", "--dry-run"}),
    "ant": frozenset({"-version", "-help", "-h", "-projecthelp", "-p", "-diagnostics"}),
}  # fmt: skip
_NPM_VALUE_FLAGS = frozenset({"--cwd", "--prefix", "-C", "--dir", "--filter", "-F",
                              "--workspace", "-w", "--registry", "--cache"})  # fmt: skip


def _without_options(args: list[str], value_flags: frozenset[str]) -> list[str]:
    """The non-option words of ``args`` (options and the values they take dropped)."""
    out: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in value_flags:
            skip = True
        elif not arg.startswith("-"):
            out.append(arg)
    return out


def _sessions(args: list[str], flag_names: tuple[str, ...]) -> list[str] | None:
    """The env/session names after ``-e``/``-s`` style flags (None: none named)."""
    names: list[str] = []
    for i, arg in enumerate(args):
        for flag in flag_names:
            if arg == flag and i + 1 < len(args):
                names += [n for n in re.split(r"[,\s]+", args[i + 1]) if n]
            elif arg.startswith(f"{flag}="):
                names += [n for n in re.split(r"[,\s]+", arg.split("=", 1)[1]) if n]
    return names or None


def tox_envs(args: list[str]) -> list[str] | None:
    """The environments ``tox`` is asked to run (``-e a,b``, ``run -e a``), None for all
    (or for a selection by factor or label, :func:`tox_selectors`)."""
    return _sessions(args, ("-e", "--env"))


def tox_selectors(args: list[str]) -> list[str] | None:
    """The factors (``-f lint``) and labels (``-m typing``) tox 4 selects environments by
    (tox documentation, "CLI interface": ``run -f/--factors``, ``-m/--labels``), None when
    none is given. Each takes several words (``-f py312 lint``) up to the next option."""
    out: list[str] = []
    for i, arg in enumerate(args):
        if arg in ("-f", "--factor", "--factors", "-m", "--labels"):
            out += itertools.takewhile(lambda w: not w.startswith("-"), args[i + 1 :])
        elif arg.startswith(("--factors=", "--labels=")):
            out += [w for w in re.split(r"[,\s]+", arg.split("=", 1)[1]) if w]
    return out or None


# options that make a test command compile or list the tests without running them: Cargo's
# ``test --no-run`` (also ``nextest run --no-run``), pytest's ``--collect-only``/``--co``,
# CTest's ``-N``/``--show-only``, ``dotnet test``/PHPUnit ``--list-tests``, Jest's
# ``--listTests``, ``go test -list``
_COMPILE_OR_LIST_ONLY = frozenset({"--no-run", "--collect-only", "--co", "--list-tests",
                                   "--listTests"})  # fmt: skip
_COMPILE_OR_LIST_ONLY_OF = {  # options with that meaning only for one program
    "ctest": frozenset({"-N", "--show-only"}),
    "go": frozenset({"-list"}),
}


def _targets(args: list[str], value_flags: tuple[str, ...] = ()) -> tuple[list[str], str]:
    """Make-style targets (non-flag words) and the ``-C dir`` directory."""
    targets: list[str] = []
    directory = ""
    skip = False
    for i, arg in enumerate(args):
        if skip:
            skip = False
            continue
        if arg in ("-C", "--directory", "-f", "--file", "--justfile", *value_flags):
            if arg in ("-C", "--directory") and i + 1 < len(args):
                directory = args[i + 1]
            skip = True
            continue
        if arg.startswith("-") or "=" in arg:
            continue
        targets.append(arg)
    return targets, directory


# pnpm's own commands (pnpm.io CLI reference), and build/lint, which never run the tests
_PNPM_COMMANDS = frozenset({
    "install", "i", "add", "update", "up", "upgrade", "remove", "rm", "uninstall", "un",
    "link", "ln", "unlink", "import", "rebuild", "rb", "prune", "fetch", "patch",
    "patch-commit", "patch-remove", "audit", "list", "ls", "outdated", "why", "licenses",
    "publish", "pack", "run", "run-script", "exec", "dlx", "create", "init", "store", "config",
    "c", "get", "set", "setup", "env", "server", "deploy", "doctor", "root", "bin", "start",
    "restart", "self-update", "help", "version", "install-test", "it", "cat-file", "cat-index",
    "find-hash", "ignored-builds", "approve-builds", "catalog", "recursive", "build", "lint",
    "dedupe", "sbom",
})  # fmt: skip
# sbt tasks that are not tests (built in, or the common plugins'): anything else may be a
# command alias of the build (``addCommandAlias("ci", ...)``), followed by the caller
_SBT_NOT_TESTS = re.compile(
    r"^(?:compile|clean|cleanFiles|update|package\w*|publish\w*|doc|console\w*|run\w*|"
    r"reload|set|project|projects|session|show|inspect|about|version|exit|help|tasks|settings|"
    r"scalafmt\w*|scalafix\w*|headerCheck\w*|headerCreate\w*|mima\w*|versionPolicy\w*|"
    r"versionCheck|ci-release|release|coverage|coverageOff|coverageReport|coverageAggregate|"
    r"assembly|dependency\w*|githubWorkflow\w*|doc\w*|makeSite|ghpages\w*|unidoc|osgiBundle|"
    r"fastLinkJS|fullLinkJS|fastOptJS|fullOptJS|nativeLink|Test/compile|evicted|"
    r"checkHeaders|sonatype\w*|stage|dist|universal:\w+|docker:\w+|dependencyUpdates)$",
    re.I,
)


def sbt_tasks(args: list[str]) -> list[str]:
    """The tasks an sbt command line runs, without options, cross-build prefixes (``+test``,
    ``++ 2.13.12``) and scopes (``core/Test/testOnly`` -> ``testOnly``): each argument is a
    command ("project core", "testOnly a.B"), old-style ``;clean;test`` lists split."""
    tasks: list[str] = []
    for arg in args:
        for command in arg.split(";"):
            words = command.split()
            if not words or words[0].startswith("-") or words[0].startswith("++"):
                continue
            if words[0] in ("project", "set", "session", "show", "inspect") and len(words) > 1:
                tasks.append(words[0])
                continue
            tasks.append(words[0].lstrip("+").rsplit("/", 1)[-1])
    return [t for t in tasks if t]


def _sbt_run(args: list[str], joined: str) -> TestRun:
    tasks = sbt_tasks(args)
    if any(re.match(r"(?:test|testOnly|testQuick|testFull|it:test)$", t) for t in tasks):
        return TestRun("test", detail=joined)
    others = [t for t in tasks if not _SBT_NOT_TESTS.match(t)]
    if others:  # perhaps a command alias of the build
        return TestRun("sbt", target=others[0], detail=joined)
    return NO


# a test runner's own housekeeping, which runs no test: installing browsers and their system
# libraries (``python -m playwright install-deps``, ``npx playwright install --with-deps``,
# ``cypress install``/``verify``), scaffolding, reports of earlier runs, and informational
# flags (``jest --version``, ``pytest --collect-only``, ``jest --listTests``)
_RUNNER_HOUSEKEEPING = {
    "playwright": frozenset({"install", "install-deps", "uninstall", "codegen", "show-report",
                             "show-trace", "open", "cr", "ff", "wk", "screenshot", "pdf",
                             "merge-reports", "clear-cache", "init"}),
    "cypress": frozenset({"install", "verify", "cache", "info", "version", "open", "help"}),
    "vitest": frozenset({"init", "list"}),
    "jest": frozenset({"init"}),
    "mocha": frozenset({"init"}),
    "karma": frozenset({"init", "completion"}),
}  # fmt: skip
_RUNNER_INFO_FLAGS = frozenset({
    "--version", "-V", "--help", "-h", "--collect-only", "--co", "--listTests", "--showConfig",
    "--fixtures", "--markers",
})  # fmt: skip


def _runner_housekeeping(prog: str, args: list[str]) -> bool:
    """True when the runner ``prog`` is asked for housekeeping, not to run tests."""
    if args and args[0] in _RUNNER_HOUSEKEEPING.get(prog, frozenset()):
        return True
    return any(a in _RUNNER_INFO_FLAGS for a in args)


# options with which a test command builds or lists the tests but runs none: ``cargo test
# --no-run`` (cross-compiling jobs), ``dotnet test --list-tests``, ``ctest -N``/``--show-only``,
# ``go test -list``; help and version in any spelling
_RUNS_NONE_FLAGS = frozenset({"--no-run", "--list-tests", "--show-only", "-list", "--help",
                              "--version"})  # fmt: skip
# go test -run '^$' selects no test (the idiom for running only benchmarks or fuzz seeds)
_GO_RUN_NOTHING = frozenset({"^$", "'^$'", '"^$"', "^$$"})


def _runs_no_test(argv: list[str]) -> bool:
    """True when a command that names a test run asks it to build or list, not to run."""
    prog, args = program(argv[0]), argv[1:]
    if any(a in _RUNS_NONE_FLAGS or a.startswith("--show-only=") for a in args):
        return True
    if prog == "ctest" and "-N" in args:
        return True
    if prog in ("cargo", "cross"):
        words = [a for a in args if not a.startswith(("-", "+"))]
        if words[:1] == ["nextest"] and words[1:2] in (["list"], ["archive"], ["show-config"]):
            return True
    if prog == "go":
        for i, a in enumerate(args):
            value = a.split("=", 1)[1] if a.startswith(("-run=", "--run=")) else None
            if a in ("-run", "--run") and i + 1 < len(args):
                value = args[i + 1]
            if value is not None and value in _GO_RUN_NOTHING:
                return True
    return False


def test_run(argv: list[str]) -> TestRun:
    """Classify one (normalised) command: a test run, a target to follow, or none (also
    when the test command only builds or lists the tests, ``cargo test --no-run``)."""
    verdict = _test_run(argv)
    if verdict.kind == "test" and _runs_no_test(argv):
        return NO
    return verdict


# Maven options that take their value as the next word (``mvn --file pom.xml``, ``-pl core``,
# ``-P docker``, ``-T 1C``): the value is no goal (Maven CLI reference, ``mvn --help``)
_MAVEN_VALUE_OPTIONS = frozenset({
    "-f", "--file", "-s", "--settings", "-gs", "--global-settings", "-t", "--toolchains",
    "-gt", "--global-toolchains", "-pl", "--projects", "-rf", "--resume-from", "-T",
    "--threads", "-l", "--log-file", "-b", "--builder", "-P", "--activate-profiles", "-D",
    "--define", "--color", "-ep", "--encrypt-password", "-emp", "--encrypt-master-password",
})  # fmt: skip


def _maven_goals(args: list[str]) -> list[str]:
    """The goals and phases among ``mvn`` arguments: words that are neither options nor the
    value of an option that takes one."""
    goals: list[str] = []
    skip = False
    for a in args:
        if skip:
            skip = False
        elif a.startswith("-"):
            skip = a in _MAVEN_VALUE_OPTIONS
        else:
            goals.append(a)
    return goals


def tox_exec_command(args: list[str]) -> list[str] | None:
    """The command ``tox exec`` (``tox e``) runs in an environment: what follows ``--``
    (``tox exec -e 3.14 -- python scripts/update_package_cache.py``, pypa/pipx, held-out-12a),
    not the environment's own commands; empty without one. None for other tox commands."""
    if args[:1] not in (["exec"], ["e"]):
        return None
    return args[args.index("--") + 1 :] if "--" in args else []


# the package managers' verbs that install or remove packages: ``pip3 install pytest
# pytest-xdist``, ``pipx install pytest``, ``conda install pytest``, ``poetry add pytest``
# install the runner, they run nothing (``python -m pytest``, ``uv run pytest`` run it;
# eclipse-zenoh/zenoh-python's "Install pytest" step, held-out-15g)
_INSTALL_VERBS = frozenset({"install", "add", "i", "download", "wheel", "uninstall", "remove",
                            "inject", "upgrade"})  # fmt: skip


def _test_run(argv: list[str]) -> TestRun:
    if not argv:
        return NO
    if argv[0] in (".", "source") and argv[1:]:  # sourcing a script runs it in this shell
        found = _test_run(["sh", *argv[1:]])
        return replace(found, detail=" ".join(argv)) if found.kind != "no" else found
    word0 = argv[0]
    prog = program(word0)
    args = argv[1:]
    joined = " ".join(argv)
    if prog in ("c8", "nyc") and args[:1] in (["report"], ["check-coverage"], ["merge"],
                                              ["instrument"]):  # fmt: skip
        return NO  # the coverage tool's report of an earlier run, not a run
    only = _COMPILE_OR_LIST_ONLY | _COMPILE_OR_LIST_ONLY_OF.get(prog, frozenset())
    if only.intersection(args) and prog not in ("tox", "nox"):
        return NO  # ``cargo test --no-run``, ``pytest --collect-only``: nothing is run
    if (prog in _RUNNER_PROGRAMS or prog in _JS_RUNNERS) and _runner_housekeeping(prog, args):
        return NO
    if (
        prog in _RUNNER_PROGRAMS
        or prog in _JS_RUNNERS
        or ("pytest" in argv[1:3] and not _INSTALL_VERBS.intersection(argv[1:3]))
    ):
        return TestRun("test", detail=joined)
    if prog == "playwright" and args[:1] == ["test"]:
        return TestRun("test", detail=joined)
    if prog == "xcodebuild" and ({"test", "test-without-building"} & set(args)):
        return TestRun("test", detail=joined)  # an action word among the options
    if prog == "phpspec":  # ``phpspec run``; describe/desc write specs
        return TestRun("test", detail=joined) if args[:1] == ["run"] else NO
    if prog == "tox" and (inner := tox_exec_command(args)) is not None:
        return _test_run(inner)  # ``tox exec -e py -- cmd`` runs cmd, not the env's commands
    if prog in ("tox", "nox"):
        if args[:1] and args[0] in ("--version", "--help", "-h", "--list", "-l"):
            return NO
        flags = ("-e", "--env") if prog == "tox" else ("-s", "--session", "--sessions", "-e")
        if "--install-only" in args or "--notest" in args:  # environments made, nothing run
            return NO
        names = _sessions(args, flags)
        if names is None:
            # ``tox run -f lint`` / ``-m typing``, ``nox -t lint``: the environments or
            # sessions that have the factors, labels or tags, judged by those words as by
            # environment names
            names = tox_selectors(args) if prog == "tox" else _sessions(args, ("-t", "--tags"))
        if names is None or any(_test_session(n) for n in names):
            return TestRun("test", detail=joined)
        return NO
    if prog in ("cargo", "cross") or (word0.startswith("$") and args[:1] in (["test"],)):
        rest = [a for a in args if not a.startswith("+")]
        while rest and rest[0].startswith("-"):
            rest = rest[1:]
        sub = rest[:2]
        if sub[:1] in (["test"], ["t"], ["nextest"], ["tarpaulin"], ["llvm-cov"], ["miri"]):
            if sub[:1] == ["miri"] and sub[1:] != ["test"]:
                return NO
            return TestRun("test", detail=joined)
        if sub[:1] == ["hack"] and "test" in rest:
            return TestRun("test", detail=joined)
        return NO
    if prog == "go" and args[:1] == ["test"]:
        return TestRun("test", detail=joined)
    if prog in ("npm", "yarn", "pnpm", "bun"):
        rest = _without_options(args, _NPM_VALUE_FLAGS)
        if prog == "pnpm" and rest[:1] in (["recursive"], ["-r"]):
            rest = rest[1:]
        if prog != "npm" and rest and program(rest[0]) in _RUNNER_PROGRAMS | _JS_RUNNERS:
            # ``pnpm vitest --coverage``, ``yarn jest``: the package manager runs the
            # binary of that name from node_modules (unless a script has the name, which
            # then is a test script all the same); judged as the runner itself
            return test_run(rest)
        if rest[:1] in (["test"], ["t"], ["tst"]):
            return TestRun("test", detail=joined)
        if rest[:1] in (["run"], ["run-script"]) and len(rest) > 1:
            name = rest[1]
            if re.match(r"(?:test|tests|unit|e2e|coverage|cover)(?:\b|[:_-])", name):
                return TestRun("test", detail=joined)
            return TestRun("npm", target=name, detail=joined)
        if prog in ("yarn", "bun") and rest and rest[0] not in (
            "install", "add", "build", "global", "dlx", "exec", "workspace", "workspaces",
            "config", "cache", "set", "why", "audit", "publish", "pack", "version", "lint",
        ):  # fmt: skip
            if prog == "bun" and rest[0] == "x":
                return NO
            if re.match(r"(?:test|tests|unit|e2e|coverage)(?:\b|[:_-])", rest[0]):
                return TestRun("test", detail=joined)
            return TestRun("npm", target=rest[0], detail=joined)
        if prog == "pnpm" and rest and rest[0] not in _PNPM_COMMANDS:
            # pnpm runs a package script by its name alone (``pnpm test:unit``)
            if re.match(r"(?:test|tests|unit|e2e|coverage)(?:\b|[:_-])", rest[0]):
                return TestRun("test", detail=joined)
            return TestRun("npm", target=rest[0], detail=joined)
        return NO
    if prog == "cmake":  # cmake --build DIR --target test (CMake's test target runs ctest)
        targets = [
            t
            for i, a in enumerate(args)
            if a in ("--target", "-t")
            for t in itertools.takewhile(lambda w: not w.startswith("-"), args[i + 1 :])
        ]
        targets += [a.split("=", 1)[1] for a in args if a.startswith("--target=")]
        if any(t == "test" or t.upper() == "RUN_TESTS" for t in targets):
            return TestRun("test", detail=joined)
        # another name is the project's own target: its add_custom_target says whether it
        # runs the tests or only builds them (``cmaketargets``, followed by the caller)
        named = next((t for t in targets if is_test_target(t)), None)
        return TestRun("cmake", target=named, detail=joined) if named else NO
    if prog == "rebar3":  # Erlang: eunit, common test, property tests
        ok = any(a in ("eunit", "ct", "proper") for a in args if not a.startswith("-"))
        return TestRun("test", detail=joined) if ok else NO
    if prog == "sbt":
        return _sbt_run(args, joined)
    if prog in ("mill", "millw"):  # mill __.test, ./mill -i 'core[2.13].test', core.test.testOnly
        tasks = [a for a in args if not a.startswith("-")]
        if any(re.search(r"(?:^|[.\]])test(?:Only|Local|Forked|Cached)?(?:$|\.)", t)
               for t in tasks):  # fmt: skip
            return TestRun("test", detail=joined)
        return NO
    if prog in ("clojure", "clj"):  # clojure -X:test, -M:test:runner, -T:build test
        aliases = [a for a in args if re.match(r"-[XMAT]:", a)]
        if any(re.search(r":test\b", a) for a in aliases) or (
            any(a.startswith("-T:") for a in aliases) and "test" in args
        ):
            return TestRun("test", detail=joined)
        return NO
    if prog == "scala-cli" and args[:1] == ["test"]:
        return TestRun("test", detail=joined)
    if prog == "ant":  # ant [targets]: a test target by name, else the build file decides
        if _INFO_FLAGS["ant"].intersection(args):
            return NO
        words = _without_options(args, _ANT_VALUE_FLAGS)
        targets = [w for w in words if not w.startswith("-D")]
        if any(is_test_target(t) for t in targets):
            return TestRun("test", detail=joined)
        return TestRun("ant", target=targets[0] if targets else "", detail=joined)
    if prog == "hatch" and args[:1] == ["run"] and len(args) > 1:
        # ``hatch run env:name`` (kept so by ``normalise``): a script of the environment, or
        # a command run in it; the hatch configuration says which
        return TestRun("hatch", target=args[1], detail=joined)
    if prog in ("deno", "swift", "dotnet", "mix", "stack", "cabal", "dune", "zig", "lein",
                "bazel", "bazelisk", "meson", "ninja", "julia", "hatch",
                "flutter", "dart", "elm-test", "raco", "crystal", "nim", "v", "gleam", "dub",
                "nimble", "xmake"):  # fmt: skip
        if prog == "mix":  # mix TASK, or mix do TASK1, TASK2 (--only test is an option value)
            words = [a for a in args if not a.startswith("-")]
            if words[:1] == ["do"]:
                tasks = " ".join(words[1:]).replace(",", " ").split()
            else:
                tasks = words[:1]
            ok = any(t.startswith(("test", "coveralls")) for t in tasks)
            return TestRun("test", detail=joined) if ok else NO
        if "test" in args or "check" in args[:1] or any(a.startswith("test") for a in args[:2]):
            return TestRun("test", detail=joined)
        if prog == "julia" and "Pkg.test" in joined:
            return TestRun("test", detail=joined)
        return NO
    if prog in ("mvn", "mvnw", "mvnd") or word0.endswith("mvnw"):
        if re.search(r"-D(?:skipTests|maven\.test\.skip)(?:=true)?\b", joined):
            return NO
        goals = _maven_goals(args)
        if not goals:  # the POM's <defaultGoal> runs
            return TestRun("mvn", detail=joined)
        if any(g.split(":")[-1] in ("test", "verify", "install", "package", "deploy",
                                    "integration-test") for g in goals):  # fmt: skip
            return TestRun("test", detail=joined)
        return NO
    if prog in ("gradle", "gradlew") or word0.endswith("gradlew"):
        skipped = any(args[i] in ("-x", "--exclude-task") and args[i + 1] in ("test", "check")
                      for i in range(len(args) - 1))  # fmt: skip
        # the tasks, not the ones -x/--exclude-task leaves out (``build -x jvmTest``)
        excluded = {i + 1 for i, a in enumerate(args) if a in ("-x", "--exclude-task")}
        tasks = [a.rsplit(":", 1)[-1] for i, a in enumerate(args)
                 if not a.startswith("-") and i not in excluded]  # fmt: skip
        # check/build run the tests, and so do *Test tasks (Kotlin Multiplatform's allTests,
        # jvmTest) and Android's connected/device checks; spotlessCheck, ktlintCheck,
        # apiCheck... check one thing (not the tests)
        testing = re.compile(r"(?:test|check|build|.*Tests?|connectedCheck|deviceCheck|"
                             r".*TestCheck)$")  # fmt: skip
        if not skipped and any(testing.match(t) for t in tasks):
            return TestRun("test", detail=joined)
        if (
            not skipped
            and not _without_options(args, _GRADLE_VALUE_FLAGS)
            and not (_INFO_FLAGS["gradle"].intersection(args))
        ):
            return TestRun("gradle", detail=joined)  # the build's defaultTasks run
        return NO
    if prog == "composer.phar":
        prog = "composer"
    if prog in ("make", "gmake", "just", "task", "mage", "invoke", "rake", "composer"):
        if prog == "rake":
            # task names, not option values (-f FILE, -I DIR...) nor VAR=value settings;
            # "test[arg]" is the task test
            words = _without_options(args, _RAKE_VALUE_FLAGS)
            targets = [w.split("[", 1)[0] for w in words if "=" not in w]
            if not targets:  # the Rakefile's default task runs: follow it
                return TestRun("rake", target="default", detail=joined)
            ok = any(is_test_target(t) or t == "spec" for t in targets)
            return TestRun("test", detail=joined) if ok else NO
        if prog == "composer":
            if "exec" in args[:1]:  # reached without ``normalise`` (``php composer.phar exec``)
                binary = args[1:]
                while binary and binary[0].startswith("-"):
                    if binary.pop(0) == "--":
                        break
                return test_run(binary) if binary else NO
            rest = [a for a in args if not a.startswith("-")]
            if rest[:1] in (["run"], ["run-script"]):
                rest = rest[1:]
            if not rest or rest[0] in ("install", "update", "require", "validate", "audit",
                                       "dump-autoload", "config", "global", "self-update",
                                       "show", "outdated", "remove", "create-project"):  # fmt: skip
                return NO
            if is_test_target(rest[0]):
                return TestRun("test", detail=joined)
            return TestRun("composer", target=rest[0], detail=joined)
        if _INFO_FLAGS.get(prog, frozenset()).intersection(args):
            return NO  # make --version, just --list, task --list: nothing is built
        targets, directory = _targets(args, ("-j", "--jobs") if prog == "make" else ())
        if any(is_test_target(t) for t in targets):
            return TestRun("test", detail=joined)
        if prog == "task":  # go-task: a Taskfile task (the default task without a name)
            names = [t for t in _without_options(args, _TASK_VALUE_FLAGS) if "=" not in t]
            where = next((args[i + 1] for i, a in enumerate(args[:-1]) if a in ("-d", "--dir")),
                         "")  # fmt: skip
            return TestRun("task", target=names[0] if names else "", directory=where,
                           detail=joined)  # fmt: skip
        kind = "just" if prog == "just" else "make" if prog in ("make", "gmake") else ""
        if not kind:
            return TestRun("test", detail=joined) if any(map(is_test_target, targets)) else NO
        # a "check-<thing>" target is followed into its recipe first
        named = next((t for t in targets if _TEST_TARGET.match(t)), targets[0] if targets else "")
        return TestRun(kind, target=named, directory=directory, detail=joined)
    if prog in _SCRIPT_RUNNERS:
        script = next((a for a in args if not a.startswith("-")), "")
        if prog.startswith("python") and args[:1] == ["-m"]:
            return NO
        if script:
            # an interpreter running a known tool's own script (``ruby -Ilib exe/rake``,
            # ``php vendor/bin/phpunit``, ``node node_modules/.bin/jest``, ``sh gradlew test``)
            # is that tool with the words after the script
            tool = re.sub(r"\.(?:[cm]?js|rb|py|php)$", "", script)
            rest = args[args.index(script) + 1 :]
            # (a shell runs shell scripts: only the build tools' wrapper scripts are tools)
            # and a script with an extension is the project's own unless a package manager
            # installed it (node_modules/, vendor/)
            shell_script = prog in SHELLS | {"pwsh", "powershell"} and program(tool) not in (
                "gradlew", "mvnw")  # fmt: skip
            own = tool != script and not re.search(r"(?:^|/)(?:node_modules|vendor)/", script)
            if not shell_script and not own and program(tool) not in _SCRIPT_RUNNERS:
                as_tool = test_run([tool, *rest])
                if as_tool.kind not in ("no", "script"):
                    return TestRun(as_tool.kind, as_tool.target, as_tool.directory, joined)
                if as_tool.kind == "no" and "/" in tool:  # the tool, not running tests
                    return NO
                if _INSTALLED.search(script):  # a package's binary: a tool, not our script
                    return NO
        if script and (script.endswith((".sh", ".bash", ".py", ".ps1", ".js", ".rb", ".pl",
                                        ".lua", ".R", ".tcl", ".exs", ".cmd", ".bat"))
                       or "/" in script):  # fmt: skip
            return TestRun("script", target=script, detail=joined)
        return NO
    if _INSTALLED.search(word0):  # vendor/bin/phpstan: an installed tool, not a test runner
        return NO
    if "/" in word0 and not word0.startswith(("/", "$", "~")):
        return TestRun("script", target=word0, detail=joined)
    if re.fullmatch(r"[\w.-]+\.(?:ps1|cmd|bat)", word0, re.I):
        return TestRun("script", target=word0, detail=joined)  # Windows runs it from here
    return _variable_command(word0, args, joined)


# a command word that is only a variable the workflow does not set: ``"$RUNNER"``,
# ``${TEST_CMD}``, ``${{ matrix.command }}``
_VARIABLE_WORD = re.compile(r"\$\{?(\w+)\}?|\$\{\{\s*[\w.-]+\s*\}\}")
# variables that conventionally name a known tool (``$PYTHON setup.py build``, ``$SUDO apt-get
# install``): judged as that tool, whose words after it say what runs
_TOOL_VARIABLES = frozenset({
    "python", "python3", "py", "pip", "pip3", "node", "npm", "yarn", "php", "ruby", "perl",
    "cc", "cxx", "cmake", "make", "go", "java", "mvn", "gradle", "cargo", "rustc", "sudo",
    "shell", "sh", "bash", "docker", "git", "curl", "wget", "composer", "dotnet", "swift",
})  # fmt: skip


def _variable_command(word0: str, args: list[str], joined: str) -> TestRun:
    """A command whose program is a variable the workflow leaves unset: a variable named for
    a tool is judged as that tool (``$PYTHON -m pytest`` is handled before); any other
    (``exec "$RUNNER"``) could run anything, so it is "variable", which the CI scan reports
    as "cannot tell" rather than as no test (issue 9, item 5)."""
    m = _VARIABLE_WORD.fullmatch(word0)
    if m is None:
        return NO
    name = (m.group(1) or "").lower()
    if name in ("sudo", "doas"):
        inner = _test_run(args)
        return replace(inner, detail=joined) if inner.kind != "no" else NO
    if name in _TOOL_VARIABLES:
        inner = _test_run([name, *args])
        return replace(inner, detail=joined) if inner.kind != "no" else NO
    return TestRun("variable", detail=joined)
