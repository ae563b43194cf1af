"""Dockerfiles and Containerfiles: base images (pinned by digest or not) and unpinned installs
in ``RUN`` instructions (the shell and exec forms, here-documents included), each at the line
of its own command. Nothing is built or run.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

from steward.collect import commands as cmds
from steward.collect.facts import ContainerImage, Finding, Problem, Source
from steward.collect.shell import Command, commands, line_of_offset
from steward.collect.tree import Tree, not_the_projects

# a digest, or a digest given as a build argument (``@sha256:${BASE_DIGEST}``): the build
# cannot take anything but that digest (Scorecard accepts both)
DIGEST = re.compile(r"@sha256:(?:[0-9a-f]{64}\b|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)")
_DOCKERFILE = re.compile(r"(?:^|/)(?:Dockerfile|Containerfile)(?:[.-][^/]*)?$|\.dockerfile$", re.I)
_FROM = re.compile(r"^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", re.I)
_ARG = re.compile(r"^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?", re.I)
_RUN = re.compile(r"^[ \t]*RUN[ \t]+(?:--\S+[ \t]+)*", re.I | re.M)
_HEREDOC = re.compile(r"^<<-?[ \t]*['\"]?(\w+)['\"]?[^\n]*\n", re.M)


def _logical_lines(text: str) -> list[tuple[int, str]]:
    joined: list[tuple[int, str]] = []
    buffer, start = "", 0
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not buffer:
            start = lineno
        if line.rstrip().endswith("\\"):
            buffer += line.rstrip()[:-1] + " "
            continue
        joined.append((start, buffer + line))
        buffer = ""
    if buffer:
        joined.append((start, buffer))
    return joined


def parse_dockerfile(path: str, text: str) -> list[ContainerImage]:
    """Base images of a Dockerfile; stages and ``scratch`` are not images to pin."""
    images: list[ContainerImage] = []
    stages: set[str] = set()
    args: dict[str, str] = {}
    for lineno, line in _logical_lines(text):
        if line.lstrip().startswith("#"):
            continue
        arg = _ARG.match(line)
        if arg and not stages and arg.group(2) is not None:
            args[arg.group(1)] = arg.group(2).strip("\"'")
            continue
        m = _FROM.match(line)
        if not m:
            continue
        image = m.group(1)
        resolved = re.sub(
            r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda a: args.get(a.group(1), a.group(0)), image
        )
        if m.group(2):
            stages.add(m.group(2).lower())
        if resolved.lower() == "scratch" or resolved.lower() in stages - {
            (m.group(2) or "").lower()
        }:
            continue
        images.append(
            ContainerImage(Source(path=path, line=lineno), resolved, bool(DIGEST.search(resolved)))
        )
    return images


def _run_scripts(text: str) -> list[tuple[int, str]]:
    """(offset in ``text``, script) of each RUN instruction's shell script."""
    out: list[tuple[int, str]] = []
    for m in _RUN.finditer(text):
        start = m.end()
        heredoc = _HEREDOC.match(text, start)
        if heredoc:  # RUN <<EOF ... EOF: the body is the script
            body_start = heredoc.end()
            closing = re.compile(rf"^[ \t]*{re.escape(heredoc.group(1))}[ \t]*$", re.M)
            stop = closing.search(text, body_start)
            out.append((body_start, text[body_start : stop.start() if stop else len(text)]))
            continue
        end = start
        while True:  # the instruction ends at a newline not escaped by a backslash
            newline = text.find("\n", end)
            if newline < 0:
                end = len(text)
                break
            if text[end:newline].rstrip().endswith("\\"):
                end = newline + 1
                continue
            end = newline
            break
        script = text[start:end]
        # Docker drops comment lines inside a continued instruction: blank them out (same
        # length, so offsets keep their lines) and let the line continue
        script = re.sub(
            r"(?m)^[ \t]*#[^\n]*$", lambda c: " " * (len(c.group(0)) - 1) + "\\", script
        )
        out.append((start, script))
    return out


def dockerfile_installs(path: str, text: str) -> list[Finding]:
    """Unpinned installs and download-then-run in ``RUN`` instructions."""
    found: list[Finding] = []
    for offset, script in _run_scripts(text):
        stripped = script.strip()
        if stripped.startswith("["):  # exec form: RUN ["pip", "install", "x"]
            try:
                argv = [str(a) for a in json.loads(stripped.replace("\\\n", ""))]
            except ValueError:
                continue
            commands_ = [Command(argv, script.index("["), raw=list(argv))]
        else:
            commands_ = commands(script)
        # a shell given a script with -c runs its commands (RUN bash -lc "pip install x",
        # RUN ["sh", "-c", "..."]); they are judged at the instruction's own line
        inline: set[int] = set()
        for cmd in list(commands_):
            inner = cmds.inline_script(cmd.argv)
            if inner is not None:
                moved = [replace(c, start=cmd.start) for c in commands(inner)]
                inline |= {id(c) for c in moved}
                commands_ += moved
        downloads: dict[str, bool] = {}
        for cmd in commands_:
            argv = cmds.normalise(cmd)
            why = cmds.unpinned_install(argv)
            start = cmd.start
            piped = cmds.download_then_run(cmd, argv)
            if piped is not None:
                why, start = piped[0], cmd.start if id(cmd) in inline else piped[1]
            for name, verified in list(downloads.items()):
                if cmds.verifies_file(argv, name):
                    downloads[name] = True
                elif not verified and cmds.executes_file(argv, name):
                    why = why or f"runs {name}, downloaded without a checksum check"
                    del downloads[name]
            target = cmds.downloaded_file(argv, cmd)
            if target:
                downloads[target] = False
            if why:
                line = line_of_offset(text, offset + start)
                found.append(Finding(Source(path=path, line=line), f"unpinned: {why}"))
    return found


# a Dockerfile named to a build command (docker/podman/buildah build -f F, --file F, --file=F)
# or to docker/build-push-action's ``file:`` input
_BUILD_FILE = re.compile(
    r"(?:\bbuild\b[^\n]*?\s(?:-f|--file)(?:\s+|=)|^\s*file:\s*)[\"']?([\w./${}-]+)", re.M
)
_CI_FILES = re.compile(r"^\.github/workflows/[^/]+\.ya?ml$|^(?:GNUmakefile|[Mm]akefile)$")


def _built_by_ci(tree: Tree) -> set[str]:
    """Dockerfiles that a workflow or the top-level Makefile builds by name."""
    built: set[str] = set()
    for path in tree.files:
        if not _CI_FILES.search(path):
            continue
        text = tree.read(path).text
        if text is None:
            continue
        for m in _BUILD_FILE.finditer(text):
            name = m.group(1).removeprefix("./")
            if _DOCKERFILE.search(name) and name in tree.files:
                built.add(name)
    return built


def collect_dockerfiles(
    tree: Tree,
) -> tuple[list[ContainerImage], list[Finding], list[Problem]]:
    """Base images and unpinned ``RUN`` installs of the project's Dockerfiles/Containerfiles
    (those of examples, tests and vendored code do not build the project, unless CI builds
    them: ``docker build -f tests/e2e/Dockerfile`` in a workflow or the top-level Makefile
    makes that image a dependency of the CI run)."""
    images: list[ContainerImage] = []
    installs: list[Finding] = []
    problems: list[Problem] = []
    built = _built_by_ci(tree)
    for path in sorted(
        p for p in tree.files if _DOCKERFILE.search(p) and (not not_the_projects(p) or p in built)
    ):
        content = tree.read(path)
        if content.text is None:
            why = content.problem or "binary content"
            problems.append(Problem(Source(path=path), why, "dockerfiles"))
            continue
        images.extend(parse_dockerfile(path, content.text))
        installs.extend(dockerfile_installs(path, content.text))
    return images, installs, problems
