"""Content scans over the tree: binary artifacts, committed secrets, fuzz targets.

Each scan reads only candidate files chosen by name first (and caps how many and how much it
reads), so a tree of 100k files costs a name match per file plus a bounded number of reads.
Binary artifacts follow OpenSSF Scorecard's Binary-Artifacts rule: known binary extensions
whose content is not text, and extension-less executables recognised by their magic bytes.
"""

from __future__ import annotations

import posixpath
import re

from steward.collect.facts import Finding, Source
from steward.collect.tree import _VENDORED, Tree, is_test_input_dir, not_the_projects

BINARY_EXTENSIONS = frozenset(
    [
        "crx",
        "deb",
        "dex",
        "dey",
        "elf",
        "o",
        "a",
        "so",
        "macho",
        "iso",
        "class",
        "jar",
        "bundle",
        "dylib",
        "lib",
        "msi",
        "dll",
        "drv",
        "efi",
        "exe",
        "ocx",
        "pyc",
        "pyo",
        "par",
        "rpm",
        "wasm",
        "whl",
        "war",
        "ear",
        "apk",
        "aab",
        "nupkg",
        "swf",
    ]
)
_MAGIC = (b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xcf\xfa\xed\xfe",
          b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"MZ", b"\x00asm", b"dex\n")  # fmt: skip
_VERSIONED_LIBRARY = re.compile(r"\.so(?:\.\d+)+$|\.node$")
MAX_SECRET_FILES = 3000
MAX_FUZZ_FILES = 400

_SECRET_FILE_NAMES = ("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".htpasswd",
                      "credentials.json", ".pypirc", ".netrc", ".git-credentials")  # fmt: skip
_SECRET_FILE_EXTS = ("p12", "pfx", "keystore", "jks", "ppk")
_SERVICE_ACCOUNT = re.compile(r"service[-_]account[^/]*\.json$", re.I)
# configuration-like files where tokens end up; source code and prose are not scanned
_SECRET_SCAN_EXTS = ("env", "pem", "key", "json", "yaml", "yml", "toml", "ini", "cfg", "conf",
                     "properties", "sh", "npmrc", "tfvars")  # fmt: skip
_SECRET_CONTENT = (
    (
        re.compile(
            r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----"
        ),
        "private key",
    ),
    (re.compile(r"\bAKIA[0-9A-Z]{16}\b"), "AWS access key id"),
    (re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"), "GitHub token"),
    (re.compile(r"\bgithub_pat_[A-Za-z0-9_]{60,}\b"), "GitHub fine-grained token"),
    (re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}\b"), "GitLab token"),
    (re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b"), "Slack token"),
    (re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), "Google API key"),
    (re.compile(r"\bsk_live_[0-9a-zA-Z]{24,}\b"), "Stripe live key"),
    (re.compile(r"\bnpm_[A-Za-z0-9]{36}\b"), "npm token"),
    (re.compile(r"\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}"), "PyPI token"),
)  # fmt: skip
# fuzz harnesses and property-based tests, per language: libFuzzer (C, C++, Swift), Go native
# fuzzing, atheris, Rust's three fuzzers (cargo-fuzz's fuzz_target!, and afl.rs's and
# honggfuzz-rs' fuzz! macro, called by path or imported: servo/rust-smallvec's target,
# held-out-13b), Jazzer; property-based testing as Scorecard
# counts it (Hypothesis, fast-check and its runner packages, Haskell QuickCheck/Hedgehog/
# validity/SmallCheck also through Hspec or Tasty, Erlang PropEr/QuickCheck, Elixir PropCheck/
# StreamData, Gleam qcheck, FsCheck in C# and F#) and the same kind elsewhere (proptest,
# quickcheck, jqwik, ScalaCheck)
_RUST_FUZZ_MACRO = r"\b(?:afl|honggfuzz)::fuzz(?:_nohook)?!"
_FUZZ_MARKERS = re.compile(
    r"LLVMFuzzerTestOneInput|\bfunc Fuzz\w*\(\s*\w+ \*testing\.F|import atheris|\batheris\.|"
    r"fuzz_target!|com\.code_intelligence\.jazzer|@FuzzTest|" + _RUST_FUZZ_MACRO + "|"
    # the macro imported (``use honggfuzz::fuzz;``, ``#[macro_use] extern crate afl;``) and
    # called bare: the import is the marker, the call the entry shown
    r"^[ \t]*(?:use[ \t]+(?:afl|honggfuzz)::fuzz(?:_nohook)?\b|"
    r"(?:#\[macro_use\][ \t]*)?extern[ \t]+crate[ \t]+(?:afl|honggfuzz)\b)|"
    r"FuzzedDataProvider|\bjsfuzz\b|\bproptest!|\bhypothesis\b.*\bgiven\b|"
    r"[\"'](?:fast-check|@fast-check/(?:ava|jest|vitest))[\"']|"
    r"^[ \t]*import[ \t]+(?:qualified[ \t]+)?(?:Test\.(?:(?:Hspec|Tasty)\.)?(?:QuickCheck|Hedgehog|"
    r"Validity|SmallCheck)|Hedgehog)\b|"
    r"-include_lib\(\"(?:eqc|proper)/include/(?:eqc|proper)\.hrl\"\)|"
    r"^[ \t]*use[ \t]+(?:PropCheck|ExUnitProperties)\b|^[ \t]*import[ \t]+qcheck\b|"
    r"^[ \t]*(?:using[ \t]+|open[ \t]+)(?:FsCheck|Expecto\.ExpectoFsCheck)\b|"
    r"#\[quickcheck\]|\bquickcheck!|\bnet\.jqwik\.api\b|\borg\.scalacheck\b",
    re.M,
)
# a harness's entry point, where it is shown: libFuzzer's function, not the FuzzedDataProvider
# include above it (a helper), Go's Fuzz function, the Rust fuzzers' macros (not the ``use``
# line importing afl's or honggfuzz's), Jazzer's annotation
_FUZZ_ENTRY = re.compile(
    r"LLVMFuzzerTestOneInput|\bfunc Fuzz\w*\(\s*\w+ \*testing\.F|fuzz_target!|@FuzzTest|"
    r"\bfuzzerTestOneInput\b|" + _RUST_FUZZ_MACRO + r"|(?<![\w:])fuzz(?:_nohook)?!\s*\("
)
# afl.rs harness crates are often named after the fuzzer alone (``afl/src/main.rs``)
_AFL_DIR = re.compile(r"(?:^|/)afl[\w-]*/", re.I)
# CMake's own sources: modules and the programs their checks compile (a "does the compiler
# support -fsanitize=fuzzer" try_compile source is not a fuzz target of the project)
_BUILD_CHECKS = re.compile(r"(?:^|/)(?:cmake|CMakeFiles|cmake-modules)/", re.I)
_TEST_PATH = re.compile(
    r"(?:^|/)(?:tests?|spec|__tests__|(?:[\w-]+[._-])?[Tt]ests?)/|(?:^|/)test_[^/]+$|"
    r"[._]test\.[^/]+$|_(?:SUITE|prop|props)\.erl$|_test\.exs$|(?:^|/)prop_[^/]+\.erl$"
)
# the languages whose test files are read for property-based tests
_TEST_EXT = ("py", "js", "jsx", "ts", "tsx", "mjs", "cjs", "mts", "rs", "hs", "lhs", "erl",
             "hrl", "ex", "exs", "gleam", "cs", "fs", "java", "kt", "scala")  # fmt: skip


def _ext(path: str) -> str:
    base = posixpath.basename(path)
    return base.rsplit(".", 1)[1].lower() if "." in base.lstrip(".") else ""


def _is_text(data: bytes) -> bool:
    if not data or b"\x00" in data:
        return not data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(data) - 4:  # not just a character cut at the read limit
            return False
    return True


def binary_artifacts(tree: Tree, allowed: frozenset[str] = frozenset()) -> list[Finding]:
    """Checked-in binaries: by extension (unless the content is text), or by executable magic
    (ELF, Mach-O, PE, WebAssembly, DEX) in executables of any name, versioned shared libraries
    and Node addons."""
    found: list[Finding] = []
    for path in tree.with_ext(*BINARY_EXTENSIONS):
        if path in allowed:
            continue
        content = tree.read(path, limit=1024)
        if not _is_text(content.data):
            found.append(Finding(Source(path=path), f"binary artifact (.{_ext(path)})"))
    for path, entry in tree.files.items():
        # Scorecard tells binaries by their content whatever the name; we read the candidates
        # only: executables, versioned shared libraries (libz.so.1.3) and Node addons (.node)
        if entry.size <= 4 or path in allowed or _ext(path) in BINARY_EXTENSIONS:
            continue
        if not (entry.executable or _VERSIONED_LIBRARY.search(path)):
            continue
        data = tree.read(path, limit=1024).data
        if data.startswith(_MAGIC) and not data.startswith(b"#!"):
            found.append(Finding(Source(path=path), "executable binary"))
    return sorted(found, key=lambda f: f.source.path or "")


# a directory whose name has "test" as one of its words (``test-CA``, ``ssl_tests``,
# ``tests.d``): keys and keystores there are test material (a test CA, a test server's key),
# beside the test directories of ``not_the_projects`` (``tests``, ``testdata``, ``fixtures``)
_TEST_WORD_DIR = re.compile(r"^(?:.*[-_.])?tests?(?:[-_.].*)?$", re.I)
# ... and the key material of an example or demo, under a compound name or one written as a
# single word (``example-keys``, ``demo_certs``, ``samplecerts``: the sample CA, server and
# client keys of eclipse/paho.mqtt.golang's TLS example, cmd/ssl/samplecerts, held-out-15g)
_SAMPLE_WORD_DIR = re.compile(
    r"^(?:(?:.*[-_.])?(?:examples?|samples?|demos?)[-_.].*|"
    r"(?:examples?|samples?|demos?|tests?)(?:certs?|certificates|keys|keystores?|ssl|tls|"
    r"creds|credentials|secrets))$",
    re.I,
)


# ... and a stand-in's material: a dummy, fake or mock server's or service's directory
# (urllib3's ``dummyserver/certs``, ``fake-gcs/``, ``mock_server/``)
_STAND_IN_DIR = re.compile(
    r"^(?:.*[-_.])?(?:dummy|fake|mock)(?:[-_.].*|servers?|services?|certs?|keys|ca|data|creds|"
    r"credentials|secrets|ssl|tls)?$",
    re.I,
)
# a file named as a stand-in or a sample by one of its words (``gcs-fake-service-account.json``
# of spf13/afero's tests, ``test-key.pem``, ``example.key``, Debian's ``snakeoil.key``)
_STAND_IN_FILE = re.compile(
    r"(?:^|[-_.])(?:dummy|fake|mock|examples?|samples?|tests?|snakeoil)(?:[-_.]|$)", re.I
)


def _test_material(path: str) -> bool:
    """Under a test, fixture or example directory, by its usual names or a compound one, or
    a file whose own name says it is a stand-in or a sample."""
    *parents, name = path.split("/")
    return (
        not_the_projects(path)
        or _STAND_IN_FILE.search(name) is not None
        or any(
            _TEST_WORD_DIR.match(part) or _SAMPLE_WORD_DIR.match(part) or _STAND_IN_DIR.match(part)
            for part in parents
        )
    )


def secrets(tree: Tree) -> list[Finding]:
    """Private keys, credential files and recognisable tokens committed in the tree; those
    under test, fixture, example or stand-in directories (``tests/``, ``testdata/``,
    ``test-CA/``, ``dummyserver/``) or named as stand-ins (``fake-service-account.json``) are
    test material, not credentials."""
    names = tree.named(*_SECRET_FILE_NAMES) + tree.with_ext(*_SECRET_FILE_EXTS)
    names += [p for p in tree.with_ext("json") if _SERVICE_ACCOUNT.search(p)]
    found = [Finding(Source(path=p), "credential file") for p in names if not _test_material(p)]
    named = {f.source.path for f in found}
    scanned = 0
    for path in tree.with_ext(*_SECRET_SCAN_EXTS) + tree.named(".env", ".npmrc"):
        if path in named or _test_material(path):
            continue
        scanned += 1
        if scanned > MAX_SECRET_FILES:
            break
        text = tree.read(path, limit=64 * 1024).text
        if not text:
            continue
        for pattern, what in _SECRET_CONTENT:
            m = pattern.search(text)
            if m:
                line = text.count("\n", 0, m.start()) + 1
                found.append(Finding(Source(path=path, line=line), what))
                break
    return found


def fuzz_targets(tree: Tree) -> list[Finding]:
    """Fuzz targets and fuzzing set-ups in the tree (OSS-Fuzz, ClusterFuzzLite, cargo-fuzz,
    Go native fuzzing, atheris, Jazzer, libFuzzer)."""
    found: list[Finding] = []
    for directory, what in (
        (".clusterfuzzlite", "ClusterFuzzLite"), ("fuzz/fuzz_targets", "cargo-fuzz"),
        (".oss-fuzz", "OSS-Fuzz"), ("oss-fuzz", "OSS-Fuzz"),
    ):  # fmt: skip
        if tree.has_dir(directory):
            found.append(Finding(Source(path=f"{directory}/"), what))
    project = tree.find("project.yaml", ".clusterfuzzlite/project.yaml", "oss-fuzz/project.yaml")
    if project:
        text = tree.read(project, limit=64 * 1024).text or ""
        if re.search(r"^(?:fuzzing_engines|sanitizers|language|main_repo):", text, re.M):
            found.append(Finding(Source(path=project), "OSS-Fuzz project.yaml"))
    candidates = [
        p
        for p in tree.with_ext(*_CODE_EXT)
        if ("fuzz" in p.lower() or _AFL_DIR.search(p)) and not _BUILD_CHECKS.search(p)
    ]
    candidates += [p for p in tree.with_ext("go") if p.endswith("_test.go")]
    # property-based tests (Hypothesis, fast-check, proptest) live among the other tests,
    # under names of their own (tests/property/test_ordering.py): test files are read too,
    # those whose path names properties first
    tests = [
        p
        for p in tree.with_ext(*_TEST_EXT)
        if _TEST_PATH.search(p)
        and p not in candidates
        and not _VENDORED.search(p)
        and not re.search(r"(?:^|/)examples?/", p)
        and not any(is_test_input_dir(part) for part in p.split("/")[:-1])
    ]
    candidates += sorted(
        tests, key=lambda p: not re.search(r"propert|hypothes|proptest|quickcheck|prop_", p, re.I)
    )
    extra = set(tests)
    for path in candidates[:MAX_FUZZ_FILES]:
        text = tree.read(path, limit=(64 if path in extra else 256) * 1024).text or ""
        m = _FUZZ_MARKERS.search(text)
        if m and not _FUZZ_ENTRY.match(m.group(0)):  # shown at the entry point when it has one
            m = _FUZZ_ENTRY.search(text, m.start()) or m
        if m:
            line = text.count("\n", 0, m.start()) + 1
            found.append(Finding(Source(path=path, line=line), f"fuzz target ({m.group(0)})"))
            if len(found) >= 10:
                break
    return found


_CODE_EXT = frozenset(
    ["c", "cc", "cpp", "cxx", "h", "go", "py", "rs", "java", "kt", "js", "ts", "swift", "zig",
     "hs", "erl", "ex", "exs", "cs", "fs", "scala", "jsx", "tsx"]
)  # fmt: skip
