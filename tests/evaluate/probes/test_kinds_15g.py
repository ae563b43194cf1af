"""Kinds the fifteenth blind round (held-out-15g: Apache and Eclipse projects not written in
Java) showed, judged through the probes. Self-written fixtures; each test failed before its
fix."""

from __future__ import annotations

from pathlib import Path

from tests.evaluate.probes.onrepo import judge, where


def workflow(*runs: str) -> str:
    steps = "".join(f"      - run: {r}\n" for r in runs)
    return (
        "name: ci\non: [push]\npermissions:\n  contents: read\njobs:\n  build:\n"
        "    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@0123456789abcdef0123456789abcdef01234567\n" + steps
    )


# -- installing the test runner is not running the tests


def test_installing_the_test_runner_package_is_no_test_run(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        ".github/workflows/ci.yml": workflow(
            "pip3 install pytest pytest-xdist fixtures",  # 10: installs
            "pipx install pytest",  # 11
            "conda install pytest",  # 12
            "python -m pytest -x",  # 13: runs
            "uv run pytest",  # 14: runs
        ),
        "tests/test_a.py": "def test_a():\n    assert True\n",
    }
    ran = judge(tmp_path, files, "tests_run_in_ci")["tests_run_in_ci"]
    assert ran.status.value == "pass"
    assert where(ran) == [".github/workflows/ci.yml:13", ".github/workflows/ci.yml:14"]

