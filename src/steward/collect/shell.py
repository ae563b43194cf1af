"""Splitting shell scripts (CI ``run:`` steps, Dockerfile ``RUN``, repository scripts) into
commands, each with the offset of its first word, so evidence names the command's own line.

``shlex`` removes quotes but gives no positions and does not know ``$(...)``, ``${{ }}``
expressions, here-documents or line continuations, so this module has its own small lexer.
It never executes or expands anything and never raises: a script it cannot follow (an
unterminated quote) ends in one last word. What it recognises:

- words with single/double quotes removed, backslash escapes, ``$(...)``, backquotes,
  ``${...}``, GitHub ``${{ ... }}`` expressions and ``<(...)`` kept whole inside the word;
- ``#`` comments, ``\\``-newline continuations, here-documents (their body is data and
  skipped, except where a shell reads it as its script: ``bash -e <<'EOF'``, ``docker run
  image sh <<EOF``, ``cat <<EOF | sh``; its commands are then commands of the script, each at
  its own place in the body, as ``bash -c "..."`` is followed by the callers);
- the operators ``&& || ; & | |& ( )`` and newlines between commands, redirections
  (``> >> < 2> &>`` and their targets, kept per command);
- leading reserved words (``if then do else elif while until ! { time``) are dropped, and
  ``for``/``case``/``function`` headers are not commands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_OPERATORS = ("&&", "||", ";;", "|&", "|", ";", "&", "(", ")")
_REDIRECTS = ("<<<", "<<-", "<<", ">>", ">|", "&>>", "&>", ">&", "<&", "<>", ">", "<")
_KEYWORDS = frozenset({"if", "then", "else", "elif", "while", "until", "do", "!", "{", "time"})
_NOT_COMMANDS = frozenset({"for", "case", "esac", "function", "select", "fi", "done", "}"})
_CLOSE = {"(": ")", "{": "}"}
# the shells whose standard input is their script when no script file is named
SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh"})


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "word", "op", "redirect"
    text: str  # the word with quotes removed, or the operator
    start: int  # offset of the token's first character in the script
    raw: str = ""  # the word as written (quotes kept)


@dataclass(slots=True)
class Command:
    """One simple command: its words, assignments before it, redirections, position."""

    argv: list[str]
    start: int  # offset of the first word of ``argv`` in the script
    raw: list[str] = field(default_factory=list)  # the words as written
    assignments: dict[str, str] = field(default_factory=dict)
    redirects: list[tuple[str, str]] = field(default_factory=list)  # (operator, target)
    piped_from: Command | None = None  # the command whose output this one reads
    heredocs: list[tuple[str, int]] = field(default_factory=list)  # (body, offset of body)


def _balanced(script: str, i: int, opening: str, closing: str) -> int:
    """Index just after the ``closing`` that balances the ``opening`` at ``i``. Quoted text
    inside does not count (``$(php -r "echo ini_get('x');")``), and neither does a bare
    ``(`` or ``{`` that its own ``)`` or ``}`` closes (``$( (cd a; pwd) )``)."""
    depth = 0
    n = len(script)
    bare = opening[-1] if opening in ("$(", "${") else ""
    while i < n:
        if script.startswith(opening, i):
            depth += 1
            i += len(opening)
            continue
        if bare and script[i] == bare:
            depth += 1
            i += 1
            continue
        if script[i] == '"' and opening != "${{":
            i = _quoted_end(script, i)
            continue
        if script.startswith(closing, i):
            depth -= 1
            i += len(closing)
            if depth == 0:
                return i
            continue
        if script[i] == "\\":
            i += 2
            continue
        if script[i] == "'" and opening != "${{":
            end = script.find("'", i + 1)
            i = n if end < 0 else end + 1
            continue
        i += 1
    return n


def _quoted_end(script: str, i: int) -> int:
    """Index just after the double-quoted string opening at ``i`` (escapes and ``$(...)``
    inside it kept whole), or the end of the script when it is not closed."""
    n = len(script)
    j = i + 1
    while j < n and script[j] != '"':
        if script[j] == "\\":
            j += 2
        elif script.startswith("$(", j):
            j = _balanced(script, j, "$(", ")")
        else:
            j += 1
    return min(j + 1, n)


def lex(script: str) -> list[Token]:
    """The tokens of a shell script (never raises)."""
    tokens: list[Token] = []
    heredocs: list[tuple[str, bool]] = []  # (delimiter, strip tabs)
    i, n = 0, len(script)
    word: list[str] = []
    word_start = -1

    def flush(end: int) -> None:
        nonlocal word, word_start
        if word_start >= 0:
            tokens.append(Token("word", "".join(word), word_start, script[word_start:end]))
        word, word_start = [], -1

    def begin() -> None:
        nonlocal word_start
        if word_start < 0:
            word_start = i

    while i < n:
        c = script[i]
        if c == "\\" and i + 1 < n and script[i + 1] == "\n":  # line continuation
            i += 2
            continue
        if c == "\n":
            flush(i)
            tokens.append(Token("op", "\n", i))
            i += 1
            while heredocs:  # here-document bodies follow the line that opened them
                delimiter, strip = heredocs.pop(0)
                body_start = body_end = i
                while i < n:
                    end = script.find("\n", i)
                    end = n if end < 0 else end
                    line = script[i:end]
                    if (line.lstrip("\t") if strip else line).strip() == delimiter:
                        i = end + 1
                        break
                    i = end + 1
                    body_end = min(i, n)
                tokens.append(Token("heredoc", script[body_start:body_end], body_start))
            continue
        if c in " \t\r":
            flush(i)
            i += 1
            continue
        if c == "#" and word_start < 0:
            end = script.find("\n", i)
            i = n if end < 0 else end
            continue
        if c == "\\":
            begin()
            if i + 1 < n:
                word.append(script[i + 1])
            i += 2
            continue
        if c == "'":
            begin()
            end = script.find("'", i + 1)
            end = n if end < 0 else end
            word.append(script[i + 1 : end])
            i = end + 1
            continue
        if c == '"':
            begin()
            j = i + 1
            while j < n and script[j] != '"':
                if script[j] == "\\" and j + 1 < n:
                    word.append(script[j + 1] if script[j + 1] in '"\\$`\n' else script[j : j + 2])
                    j += 2
                    continue
                if script.startswith("$(", j) or script.startswith("${", j):
                    opening = "${{" if script.startswith("${{", j) else script[j : j + 2]
                    closing = "}}" if opening == "${{" else _CLOSE[opening[1]]
                    end = _balanced(script, j, opening, closing)
                    word.append(script[j:end])
                    j = end
                    continue
                word.append(script[j])
                j += 1
            i = j + 1
            continue
        if c == "`":
            begin()
            end = script.find("`", i + 1)
            end = n if end < 0 else end + 1
            word.append(script[i:end])
            i = end
            continue
        if c == "$" and i + 1 < n and script[i + 1] in "({":
            begin()
            opening = "${{" if script.startswith("${{", i) else script[i : i + 2]
            closing = "}}" if opening == "${{" else _CLOSE[opening[1]]
            end = _balanced(script, i, opening, closing)
            word.append(script[i:end])
            i = end
            continue
        if c in "<>" and script.startswith("(", i + 1):  # process substitution <(...)
            begin()
            end = _balanced(script, i + 1, "(", ")")
            word.append(script[i:end])
            i = end
            continue
        redirect = (
            next((r for r in _REDIRECTS if script.startswith(r, i)), None) if c in "<>&" else None
        )
        if redirect is not None:
            if word_start >= 0 and "".join(word).isdigit():  # a file descriptor: 2>
                word, word_start = [], -1
            flush(i)
            tokens.append(Token("redirect", redirect, i))
            i += len(redirect)
            if redirect in ("<<", "<<-"):
                j = i
                while j < n and script[j] in " \t":
                    j += 1
                k = j
                while k < n and script[k] not in " \t\n;&|<>()":
                    k += 1
                delimiter = script[j:k].strip("'\"\\")
                if delimiter:
                    heredocs.append((delimiter, redirect == "<<-"))
            continue
        op = (
            next((o for o in _OPERATORS if script.startswith(o, i)), None) if c in "&|;()" else None
        )
        if op is not None:
            flush(i)
            tokens.append(Token("op", op, i))
            i += len(op)
            continue
        begin()
        word.append(c)
        i += 1
    flush(n)
    return tokens


def _is_assignment(word: str) -> bool:
    name, eq, _ = word.partition("=")
    return bool(eq) and name.isidentifier()


def commands(script: str, assignments: bool = False) -> list[Command]:
    """The simple commands of a script, in order (pipelines linked by ``piped_from``). With
    ``assignments``, a line that only sets variables (``cmd="cargo test"``) is kept too, as a
    command with an empty ``argv``: a reader that follows variables needs it."""
    out: list[Command] = []
    current: Command | None = None
    pending_redirect: str | None = None
    previous_in_pipe: Command | None = None
    skip_header = False

    def finish(piped: bool) -> None:
        nonlocal current, previous_in_pipe, skip_header
        if current is not None and current.argv and not skip_header:
            out.append(current)
            previous_in_pipe = current if piped else None
        elif assignments and current is not None and current.assignments and not skip_header:
            out.append(current)
            previous_in_pipe = None
        elif not piped:
            previous_in_pipe = None
        current = None
        skip_header = False

    awaiting: list[Command] = []  # commands whose here-document bodies are still to come
    for token in lex(script):
        if token.kind == "heredoc":
            if awaiting:
                awaiting.pop(0).heredocs.append((token.text, token.start))
            continue
        if token.kind == "op":
            finish(token.text in ("|", "|&"))
            continue
        if token.kind == "redirect":
            pending_redirect = token.text
            continue
        if pending_redirect is not None:
            if current is None:
                current = Command([], token.start, piped_from=previous_in_pipe)
            current.redirects.append((pending_redirect, token.text))
            if pending_redirect in ("<<", "<<-") and token.text:
                awaiting.append(current)
            pending_redirect = None
            continue
        if current is None:
            current = Command([], token.start, piped_from=previous_in_pipe)
        if not current.argv:
            if token.text in _KEYWORDS and token.raw == token.text:
                continue
            if token.text in _NOT_COMMANDS and token.raw == token.text:
                skip_header = True
            if _is_assignment(token.text) and not skip_header:
                name, _, value = token.text.partition("=")
                current.assignments[name] = value
                continue
            current.start = token.start
        current.argv.append(token.text)
        current.raw.append(token.raw)
    finish(False)
    return _with_shell_heredocs(out, assignments)


def reads_script_from_stdin(argv: list[str]) -> bool:
    """``argv`` runs a shell that takes its script from standard input: the last shell word
    (``bash``, ``/bin/sh``) followed by options only (``bash -e``, ``sh -s -- a b``), behind
    whatever runs it (``docker run --rm image bash``, ``ssh host sh``, ``sudo bash``)."""
    names = [w.rsplit("/", 1)[-1].lower() for w in argv]
    at = max((i for i, name in enumerate(names) if name in SHELLS), default=-1)
    if at < 0:
        return False
    rest = argv[at + 1 :]
    if "-s" in rest:  # sh -s -- arg...: the arguments after -s are the script's
        rest = rest[: rest.index("-s")]
    i = 0
    while i < len(rest):
        word = rest[i]
        if word in ("-o", "+o", "-O", "+O"):  # bash -o pipefail: an option and its value
            i += 2
            continue
        # a word that is no option names the script file; -c gives the script inline
        if not word.startswith(("-", "+")) or _INLINE_FLAG.fullmatch(word):
            return False
        i += 1
    return True


_INLINE_FLAG = re.compile(r"-[a-zA-Z]*c[a-zA-Z]*")


def _with_shell_heredocs(out: list[Command], assignments: bool) -> list[Command]:
    """``out`` with the commands of every here-document a shell reads as its script inserted
    after the command that feeds it (``bash <<EOF``, ``cat <<EOF | sh``), at their own offsets
    in the script. Other here-documents (``cat > file <<EOF``, ``python - <<EOF``) stay data."""
    if not any(c.heredocs for c in out):
        return out
    result: list[Command] = []
    for cmd in out:
        result.append(cmd)
        if not cmd.heredocs:
            continue
        run_by_shell = reads_script_from_stdin(cmd.argv) or (
            cmd.argv[:1] == ["cat"]
            and any(o.piped_from is cmd and reads_script_from_stdin(o.argv) for o in out)
        )
        if not run_by_shell:
            continue
        for body, offset in cmd.heredocs:
            for inner in commands(body, assignments):  # fresh objects: moved in place
                inner.start += offset
                result.append(inner)
    return result


def line_of_offset(text: str, offset: int) -> int:
    """The 1-based line of ``offset`` in ``text``."""
    return text.count("\n", 0, max(0, offset)) + 1
