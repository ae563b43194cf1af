"""Kinds found by the integrator between the blind rounds, on small self-written fixtures.

- A CI step whose program is a variable the workflow leaves unset (``exec "$RUNNER"``,
  ``${TEST_CMD} --all``, ``${{ matrix.command }}``) could run the tests or anything else:
  "no test command found" was a guessed fail; it is "cannot tell" (issue 9, item 5). A
  variable named for a tool (``$PYTHON``, ``$SUDO``, ``$MAKE``) is judged as that tool.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect import commands as cmds
from steward.collect.headings import headings
from steward.collect.run import collect_facts
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write

TESTS = {"tests/test_widget.py": "def test_widget():\n    assert True\n",
         "pyproject.toml": "[project]\nname = 'widget'\n"}  # fmt: skip


def _workflow(*runs: str, env: str = "") -> str:
    steps = "".join(f"      - run: {r}\n" for r in runs)
    return (
        "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
        f"{env}    steps:\n      - uses: actions/checkout@v4\n{steps}"
    )


def _outcome(root: Path, probe: str) -> tuple[str, list[str]]:
    out = run_probe(probe, collect_facts(root))
    return out.status.value, [f"{e.source}:{e.line}" if e.line else e.source for e in out.evidence]


@pytest.mark.parametrize("run", ['exec "$RUNNER"', "${TEST_CMD} --all",
                                 "${{ matrix.command }}"])  # fmt: skip
def test_a_command_from_an_unset_variable_is_cannot_tell(tmp_path: Path, run: str) -> None:
    write(tmp_path, {**TESTS, ".github/workflows/ci.yml": _workflow("pip install .", run)})
    status, where = _outcome(tmp_path, "tests_run_in_ci")
    assert status == "unknown"
    assert where == [".github/workflows/ci.yml:9"]


def test_a_variable_the_workflow_sets_is_followed(tmp_path: Path) -> None:
    env = "    env:\n      RUNNER: pytest\n"
    write(tmp_path, {**TESTS, ".github/workflows/ci.yml": _workflow('exec "$RUNNER"', env=env)})
    assert _outcome(tmp_path, "tests_run_in_ci")[0] == "pass"


def test_variables_named_for_a_tool_are_judged_as_the_tool() -> None:
    as_python = cmds.TestRun("script", target="setup.py", detail="$PYTHON setup.py build")
    assert cmds.test_run(["$PYTHON", "setup.py", "build"]) == as_python
    assert cmds.test_run(["$SUDO", "apt-get", "install", "-y", "gcc"]).kind == "no"
    assert cmds.test_run(["${MAKE}", "check"]).kind == "test"
    assert cmds.test_run(["$SUDO", "make", "test"]).kind == "test"
    assert cmds.test_run(["$RUNNER"]).kind == "variable"


def test_build_steps_alone_still_fail(tmp_path: Path) -> None:
    run = "$SUDO apt-get install -y gcc"
    write(tmp_path, {**TESTS, ".github/workflows/ci.yml": _workflow(run)})
    assert _outcome(tmp_path, "tests_run_in_ci")[0] == "fail"


SPLIT_README = """Acme Polyfill / Strings
=======================

This component provides a partial, native implementation of the strings extension.

More information can be found in the
[main Polyfill README](https://example.org/acme/polyfill/blob/main/README.md).

License
=======

Released under the [MIT license](LICENSE).
"""


def test_more_information_in_the_main_readme_is_user_documentation(tmp_path: Path) -> None:
    write(tmp_path, {"README.md": SPLIT_README})
    assert _outcome(tmp_path, "user_documentation_present") == ("pass", ["README.md:6"])


@pytest.mark.parametrize("sentence", [
    "More information about the security policy can be found at\n"
    "[our policy](https://example.org/security).",
    "More information can be found in the [repository](https://github.com/acme/strings).",
])  # fmt: skip
def test_more_information_on_something_else_is_not(tmp_path: Path, sentence: str) -> None:
    said = "More information can be found in the\n[main Polyfill README]"
    readme = SPLIT_README.replace(said, sentence.split("(")[0]).replace(
        "(https://example.org/acme/polyfill/blob/main/README.md).",
        "(" + sentence.split("(", 1)[1],
    )
    assert sentence in readme
    write(tmp_path, {"README.md": readme})
    assert _outcome(tmp_path, "user_documentation_present")[0] == "fail"


EMPHASIS_README = """# Widget

*Project Description*

Widget is an MQTT client library for small devices.

*Building the source code*

Open Widget.sln in Visual Studio and build the solution.

*Example*

```csharp
var client = new WidgetClient("broker.example.org");
client.Connect("me");
```
"""


def test_emphasised_lines_title_the_parts_of_a_readme_without_sections(tmp_path: Path) -> None:
    write(tmp_path, {"README.md": EMPHASIS_README})
    assert _outcome(tmp_path, "user_documentation_present") == ("pass", ["README.md:11"])
    status, where = _outcome(tmp_path, "build_instructions_documented")
    assert (status, where[:1]) == ("pass", ["README.md:7"])


def test_bold_lines_inside_real_sections_are_no_headings() -> None:
    text = "# Widget\n\n## Install\n\n**Usage**\n\nRun it.\n\n## Licence\n\nMIT\n"
    assert headings(text, "README.md") == [(1, "Widget"), (3, "Install"), (9, "Licence")]
    fenced = "# Widget\n\n```\n\n**Usage**\n\n```\n"
    assert headings(fenced, "README.md") == [(1, "Widget")]
