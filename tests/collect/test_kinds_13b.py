"""Kinds the thirteenth blind round (held-out-13b: rust-lang/rustc-demangle,
Amanieu/parking_lot, servo/rust-smallvec) showed, on small self-written fixtures.

Rust has three fuzzers: cargo-fuzz (``fuzz_target!``), afl.rs and honggfuzz-rs (a ``fuzz!``
macro, called by path or imported). Only cargo-fuzz's macro and directory were known, so
smallvec's afl/honggfuzz target was found only because it sits in ``fuzz/fuzz_targets`` (no
line shown), and a harness elsewhere (``hfuzz/src/main.rs``, ``afl/src/main.rs``) or a CI step
``cargo hfuzz run`` / ``cargo afl fuzz`` was not fuzzing at all (``fuzzing_configured``
unknown instead of pass).
"""

from __future__ import annotations

from pathlib import Path

from steward.collect.run import collect_facts
from steward.evaluate.model import ProbeStatus
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write

CRATE = '[package]\nname = "ringbuf"\nversion = "0.1.0"\nedition = "2021"\n'
LIB = "//! A ring buffer.\npub fn push(_: &[u8]) {}\n"


def _locations(root: Path) -> tuple[ProbeStatus, list[str]]:
    out = run_probe("fuzzing_configured", collect_facts(root))
    return out.status, [f"{e.source}:{e.line}" for e in out.evidence]


def test_honggfuzz_target_imported_is_shown_at_its_call(tmp_path: Path) -> None:
    write(tmp_path, {
        "Cargo.toml": CRATE,
        "src/lib.rs": LIB,
        "hfuzz/Cargo.toml": '[package]\nname = "hfuzz"\n\n[dependencies]\nhonggfuzz = "0.5"\n',
        "hfuzz/src/main.rs": (
            "use honggfuzz::fuzz;\n\nfn main() {\n    loop {\n"
            "        fuzz!(|data: &[u8]| { ringbuf::push(data); });\n    }\n}\n"
        ),
    })  # fmt: skip
    status, locations = _locations(tmp_path)
    assert status is ProbeStatus.PASS
    assert locations == ["hfuzz/src/main.rs:5"]


def test_afl_target_called_by_path_outside_a_fuzz_directory(tmp_path: Path) -> None:
    write(tmp_path, {
        "Cargo.toml": CRATE,
        "src/lib.rs": LIB,
        "afl/Cargo.toml": '[package]\nname = "afl-target"\n\n[dependencies]\nafl = "0.15"\n',
        "afl/src/main.rs": (
            "fn main() {\n    afl::fuzz!(|data: &[u8]| {\n        ringbuf::push(data);\n"
            "    });\n}\n"
        ),
    })  # fmt: skip
    status, locations = _locations(tmp_path)
    assert status is ProbeStatus.PASS
    assert locations == ["afl/src/main.rs:2"]


def test_afl_and_honggfuzz_in_one_target_under_fuzz_targets(tmp_path: Path) -> None:
    """smallvec's layout: one target with a main for each fuzzer, shown at the first."""
    write(tmp_path, {
        "Cargo.toml": CRATE,
        "src/lib.rs": LIB,
        "fuzz/fuzz_targets/ops.rs": (
            "//! Fuzzes every operation\n\n#[cfg(feature = \"afl\")]\nfn main() {\n"
            "    afl::fuzz!(|data| { ringbuf::push(data); });\n}\n\n"
            "#[cfg(feature = \"honggfuzz\")]\nfn main() {\n    loop {\n"
            "        honggfuzz::fuzz!(|data| { ringbuf::push(data); });\n    }\n}\n"
        ),
    })  # fmt: skip
    status, locations = _locations(tmp_path)
    assert status is ProbeStatus.PASS
    assert "fuzz/fuzz_targets/ops.rs:5" in locations


def test_cargo_hfuzz_and_cargo_afl_in_ci_are_fuzzing(tmp_path: Path) -> None:
    write(tmp_path, {
        "Cargo.toml": CRATE,
        "src/lib.rs": LIB,
        ".github/workflows/fuzz.yml": (
            "name: fuzz\non: [push]\npermissions: {}\njobs:\n  hfuzz:\n    runs-on: ubuntu-latest\n"
            "    steps:\n      - run: cargo install honggfuzz\n"
            "      - run: cargo hfuzz run parse\n"
            "  afl:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: cargo afl fuzz -i in -o out target/debug/parse\n"
        ),
    })  # fmt: skip
    status, locations = _locations(tmp_path)
    assert status is ProbeStatus.PASS
    assert locations == [".github/workflows/fuzz.yml:9", ".github/workflows/fuzz.yml:13"]


def test_a_bare_fuzz_macro_without_the_fuzzers_import_is_not_fuzzing(tmp_path: Path) -> None:
    """A project's own ``fuzz!`` helper macro in a file under a fuzz-named path is not a
    fuzzer's harness unless afl or honggfuzz is imported; nothing else is fuzzing here."""
    write(tmp_path, {
        "Cargo.toml": CRATE,
        "src/lib.rs": LIB,
        "src/fuzzy.rs": (
            "macro_rules! fuzz {\n    ($e:expr) => { $e };\n}\n\n"
            "pub fn near() -> u8 {\n    fuzz!(1)\n}\n"
        ),
        ".github/workflows/ci.yml": (
            "name: ci\non: [push]\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
            "    steps:\n      - run: cargo afl-not-a-fuzzer\n      - run: cargo test\n"
        ),
    })  # fmt: skip
    status, locations = _locations(tmp_path)
    assert status is ProbeStatus.UNKNOWN
    assert locations == []
