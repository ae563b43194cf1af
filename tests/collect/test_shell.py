"""The shell lexer: commands with their own offsets, quotes, comments, here-documents."""

from __future__ import annotations

from steward.collect.shell import commands, line_of_offset

SCRIPT = """\
# pytest in a comment is not a command
set -e
if [ -n "$X" ]; then
  ${{ env.CARGO }} test --workspace   # trailing comment
fi
curl -fsSL https://example.org/install.sh | sudo bash -s -- -y
for f in a b; do pytest "$f"; done
cat <<DOC > notes.txt
pytest inside a here-document
DOC
pip install foo \\
   'bar==1.0' && npm i -g typescript
FOO=1 make test 2>&1 | tee log
"""


def _lines() -> list[tuple[int, list[str]]]:
    return [(line_of_offset(SCRIPT, c.start), c.argv) for c in commands(SCRIPT)]


def test_commands_carry_their_own_line() -> None:
    lines = _lines()
    assert (4, ["${{ env.CARGO }}", "test", "--workspace"]) in lines
    assert (7, ["pytest", "$f"]) in lines
    assert (11, ["pip", "install", "foo", "bar==1.0"]) in lines
    assert (12, ["npm", "i", "-g", "typescript"]) in lines
    assert not any("heredoc" in " ".join(argv) or argv[:1] == ["#"] for _, argv in lines)
    assert [argv for line, argv in lines if line == 1] == []  # the comment


def test_pipes_assignments_and_redirects() -> None:
    cmds = commands(SCRIPT)
    bash = next(c for c in cmds if c.argv[:2] == ["sudo", "bash"])
    assert bash.piped_from is not None and bash.piped_from.argv[0] == "curl"
    make = next(c for c in cmds if c.argv[:1] == ["make"])
    assert make.assignments == {"FOO": "1"} and make.argv == ["make", "test"]
    cat = next(c for c in cmds if c.argv[:1] == ["cat"])
    assert ("<<", "DOC") in cat.redirects and (">", "notes.txt") in cat.redirects


def test_substitutions_stay_inside_their_word() -> None:
    cmds = commands('bash <(curl -s https://x) ; sh -c "$(wget -qO- https://y)"\n')
    assert [c.argv[0] for c in cmds] == ["bash", "sh"]
    assert cmds[0].argv[1] == "<(curl -s https://x)"
    assert cmds[1].argv[2] == "$(wget -qO- https://y)"


def test_unterminated_quote_does_not_raise() -> None:
    assert commands("echo 'never closed\npytest\n")[0].argv[0] == "echo"
