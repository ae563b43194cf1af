"""Kinds found by the fifteenth blind round, part h (held-out-15h: pytest-dev/pytest-xdist,
expressjs/cors, spf13/pflag; bench/README.md). Self-written fixtures; each test failed before
its fix (the ones asserting what is not found guard the fix's bounds)."""

from __future__ import annotations

from steward.collect.ci import parse_github_workflow
from steward.collect.cisteps import matrix_argvs

# ------------------------------------------ an install whose packages the job's matrix gives

# as expressjs/cors's ci.yml: each matrix entry names the test tools an old Node.js needs,
# and one step installs them; here one entry's tool has no version
MATRIX_INSTALL = """\
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        name: [old, older, current]
        include:
          - name: old
            npm-i: mocha@3.5.3 nyc@10.3.2
          - name: older
            npm-i: {tools}
          - name: current
    steps:
      - name: Install test tools
        run: npm install --save-dev ${{{{ matrix.npm-i }}}}
        if: matrix.npm-i != ''
      - run: npm test
"""


def _install_lines(text: str) -> list[int | None]:
    wf = parse_github_workflow(".github/workflows/ci.yml", text)
    return [f.source.line for f in wf.unpinned_installs]


def test_install_of_matrix_values_checks_each_value() -> None:
    assert _install_lines(MATRIX_INSTALL.format(tools="mocha supertest@2.0.0")) == [16]


def test_install_of_matrix_values_all_pinned_stays_pinned() -> None:
    assert _install_lines(MATRIX_INSTALL.format(tools="mocha@5.2.0 supertest@3.4.2")) == []


def test_matrix_argvs_split_a_whole_word_and_keep_an_embedded_one() -> None:
    matrix = {"pkgs": ("a@1.0.0 b",), "django": ("4.2", "5.0")}
    whole = ["npm", "i", "${{ matrix.pkgs }}"]
    assert matrix_argvs(whole, matrix) == [["npm", "i", "a@1.0.0", "b"]]
    assert matrix_argvs(["pip", "install", "django==${{matrix.django}}"], matrix) == [
        ["pip", "install", "django==4.2"],
        ["pip", "install", "django==5.0"],
    ]


def test_matrix_argvs_leave_a_variable_the_matrix_does_not_list() -> None:
    # a computed matrix (fromJSON) lists nothing: the word stays as written, as before
    assert matrix_argvs(["pip", "install", "${{ matrix.extra }}"], {"python": ("3.12",)}) == []
    assert matrix_argvs(["pip", "install", "tox"], {"python": ("3.12",)}) == []
