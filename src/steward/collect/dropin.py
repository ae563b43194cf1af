"""Build instructions of a drop-in library: a README that says to copy the library's source
file into one's own project ("The json.lua file should be dropped into an existing project
and required by it", "copy stb_image.h into your source tree").

A single-file library of an interpreted language, or a header-only C library, has nothing
to build: copying its file into a project and loading it is the whole build, and a README
sentence saying so is its build instruction. The sentence must name a source file of the
library, at the top of the tree or directly in its source directory (``src/``, ``lib/``,
``include/``: rxi/log.c keeps ``src/log.c`` and ``src/log.h``, held-out-11f), so "copy the
example configuration into your project" does not count, with a verb of copying and the
place it goes (a project, source tree or codebase).

A drop-in library whose README says nothing of the kind may still show its build in the
build script of its example program: rxi/microui's ``demo/build.sh`` compiles
``gcc main.c renderer.c ../src/microui.c`` (held-out-12f), which is how one builds the library
into a program. Such a script counts (:func:`example_builds`) when nothing else documents the
build and it names a library source file by a path out of the example's directory
(``../src/microui.c``): the example's own ``main.c`` is not the library.

Written here rather than with a Markdown library: only paragraphs and their first line
numbers are needed, and the README is already in memory.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from steward.collect.facts import Finding, Source

__all__ = ["DROPIN_DIRS", "EXAMPLE_DIRS", "dropin_instructions", "example_builds"]

#: where a drop-in library keeps the files it tells to copy: the top of the tree, or its
#: source directory (one level; examples/ and tests/ hold no library files)
DROPIN_DIRS = ("", "src", "lib", "include")

#: where a library keeps an example program beside it (one level below the top)
EXAMPLE_DIRS = ("demo", "demos", "example", "examples", "sample", "samples")
# the build scripts of an example program: a shell or batch script, a Makefile, CMake
_EXAMPLE_BUILD_FILES = frozenset({"build.sh", "build.bat", "build.cmd", "build.ps1", "Makefile",
                                  "makefile", "GNUmakefile", "CMakeLists.txt"})  # fmt: skip

# source files a project is told to copy in: scripts of interpreted languages, C headers
_SOURCE_EXT = frozenset({"lua", "py", "rb", "js", "mjs", "php", "pl", "pm", "tcl", "sh",
                         "h", "hpp", "hh", "c", "cc", "cpp"})  # fmt: skip
_COPY = re.compile(
    r"\b(?:drop(?:ped|ping)?|cop(?:y|ied|ying)|put(?:ting)?|plac(?:e|ed|ing)|"
    r"add(?:ed|ing)?|vendor(?:ed|ing)?|past(?:e|ed|ing)|includ(?:e|ed|ing))\b"
    r"(?:[^.!?]|[.!?](?=\S)){0,80}?\b(?:into|in|to)\b(?:[^.!?]|[.!?](?=\S)){0,40}?"
    r"\b(?:project|source tree|codebase|source code|source directory|sources)\b",
    re.I,
)
# a sentence ends at . ! or ? before white space (not inside a file name: json.lua)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def dropin_instructions(readme_path: str, readme_text: str, files: list[str]) -> list[Finding]:
    """A ``Finding`` at the line of each README sentence (at most two) that tells to copy one
    of ``files`` into a project (only source files directly in one of ``DROPIN_DIRS``
    count).
    """
    names = {
        posixpath.basename(p) for p in files
        if p.rpartition(".")[2].lower() in _SOURCE_EXT and posixpath.dirname(p) in DROPIN_DIRS
    }  # fmt: skip
    if not names:
        return []
    named = re.compile(
        r"(?<![\w.-])(?:" + "|".join(re.escape(n) for n in sorted(names)) + r")(?![\w-])"
    )
    found: list[Finding] = []
    for first_line, paragraph in _paragraphs(readme_text):
        offset = 0
        for sentence in _SENTENCE_END.split(paragraph):
            start = paragraph.index(sentence, offset)
            offset = start + len(sentence)
            hit = named.search(sentence)
            if hit is None or not _COPY.search(sentence):
                continue
            line = first_line + paragraph.count("\n", 0, start + hit.start())
            found.append(
                Finding(
                    Source(path=readme_path, line=line),
                    f"copy {hit.group(0)} into a project (a drop-in library: nothing to build)",
                )
            )
            if len(found) == 2:
                return found
    return found


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """Prose paragraphs of ``text`` with their first line number (fenced code left out)."""
    out: list[tuple[int, str]] = []
    block: list[str] = []
    start = 0
    fence = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
            line = ""
        if fence or not line.strip() or line.lstrip().startswith("#"):
            if block:
                out.append((start, "\n".join(block)))
            block = []
            continue
        if not block:
            start = number
        block.append(line)
    if block:
        out.append((start, "\n".join(block)))
    return out


def example_builds(files: list[str], text_of: Callable[[str], str]) -> list[Finding]:
    """A ``Finding`` at the line of each example build script (at most two) that builds
    a library source file by a path out of the example's directory: ``../src/microui.c``
    in ``demo/build.sh``. ``files`` are the tree's paths; only source files directly in one
    of ``DROPIN_DIRS`` are the library's, and only build scripts directly in one of
    ``EXAMPLE_DIRS`` are examples'."""
    library = [
        p for p in files
        if p.rpartition(".")[2].lower() in _SOURCE_EXT and posixpath.dirname(p) in DROPIN_DIRS
    ]  # fmt: skip
    if not library:
        return []
    # "../src/microui.c" (or "$(ROOT)/../microui.h"): one or more "../" up to the library file
    named = re.compile(
        r"(?<![\w.-])(?:\.\./)+(?:"
        + "|".join(re.escape(p) for p in sorted(library))
        + r")(?![\w-])"
    )
    found: list[Finding] = []
    for path in sorted(files):
        directory, _, name = path.rpartition("/")
        if directory not in EXAMPLE_DIRS or name not in _EXAMPLE_BUILD_FILES:
            continue
        for number, line in enumerate(text_of(path).splitlines(), start=1):
            hit = named.search(line)
            if hit is not None:
                found.append(
                    Finding(
                        Source(path=path, line=number),
                        f"the example's build script compiles {hit.group(0)} "
                        "(a drop-in library: built into a program as its example shows)",
                    )
                )
                break
        if len(found) == 2:
            break
    return found
