"""Kind 7 of issue 18: rich console markup in untrusted text is printed as text, never parsed.

Lockfile content (package names, versions), answers given on the command line (``--name``)
and output file names reach the terminal through rich; ``[/]`` or ``[bold]`` in them raised
a MarkupError (an internal error, exit 3) or silently restyled the output.
"""

from __future__ import annotations

import json
from pathlib import Path

MARKUP = "[/][bold]x[/bold][link=file:///etc/passwd]y[/link]"


def _lock(root: Path, name: str) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "package-lock.json").write_text(
        json.dumps(
            {
                "name": name,
                "lockfileVersion": 3,
                "packages": {
                    "": {"name": name, "dependencies": {name: "1"}},
                    f"node_modules/{name}": {"version": "1.0.0"},
                    "node_modules/broken": {"version": 5},
                },
            }
        )
    )


def test_markup_in_name_answer_and_output_path_is_printed_literally(cli, tmp_path: Path) -> None:
    project = tmp_path / "p"
    _lock(project, MARKUP)
    target = tmp_path / "[/]out[bold].json"
    result = cli("sbom", str(project), "--name", MARKUP, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr and "MarkupError" not in result.stderr
    assert f"{MARKUP} : " in result.stderr  # the --name answer, verbatim
    assert f"wrote {target}" in result.stderr
    assert json.loads(target.read_text())["metadata"]["component"]["name"] == MARKUP


def test_markup_in_lockfile_content_and_warnings_is_printed_literally(cli, tmp_path: Path) -> None:
    project = tmp_path / "[/]dir"
    _lock(project, MARKUP)
    result = cli("sbom", str(project))
    assert result.exit_code == 0, result.stderr
    assert "MarkupError" not in result.stderr
    # the warning quoting the broken entry names the file, with the markup-looking path intact
    assert "[/]dir" in result.stderr


def test_markup_in_check_table_cells(cli, tmp_path: Path) -> None:
    sbom = tmp_path / "s.cdx.json"
    sbom.write_text(
        json.dumps(
            {
                "bomFormat": "CycloneDX",
                "specVersion": "1.6",
                "version": 1,
                "metadata": {"component": {"type": "application", "name": MARKUP}},
                "components": [{"type": "library", "name": "[/]", "bom-ref": "a"}],
            }
        )
    )
    result = cli("sbom", "check", str(sbom))
    assert result.exit_code == 0, result.stderr
    assert "[/]" in result.stdout
