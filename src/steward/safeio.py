"""Safe reading and atomic writing of untrusted files: the one place every part of Steward uses.

Everything here turns a problem into an :class:`~steward.errors.InputError` whose message names
the file (and line, where the parser gives one), so no caller ever shows a traceback for bad
input. Writers go through a temporary file in the target directory and an atomic rename, so a
failure never leaves a half-written output behind.

Hostile-input defences:
- size limits on every read (``max_bytes``), checked before and during reading;
- YAML through the C safe loader, with anchors/aliases counted so an alias bomb
  ("billion laughs") is refused before the document is built;
- JSON through orjson (no object hooks, no recursion beyond orjson's own limit);
- XML through defusedxml, which refuses DTDs, entity declarations and external references;
- ZIP archives read member by member with limits on member count, total size and
  compression ratio counted on the bytes actually inflated (headers can lie), refusing
  absolute names, ``..`` components and symlink entries;
- paths inside a tree resolved with :func:`resolve_within`, which refuses symlinks that
  point outside the tree.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Any

import orjson

from steward.errors import InputError, UnsafeInputError
from steward.interrupts import commit_point, defer_signals, deliver_signals

if TYPE_CHECKING:  # PyYAML, defusedxml and zipfile load where they are used (start-up time)
    import zipfile

    import yaml

MiB = 1024 * 1024
DEFAULT_MAX_BYTES = 256 * MiB
DEFAULT_MAX_ALIASES = 10_000
#: nodes that aliases may add to a YAML document when expanded (each alias counts the whole
#: node it repeats, nested aliases multiplied): counting aliases alone let 497 bytes of
#: nested aliases expand to gigabytes
DEFAULT_MAX_ALIAS_NODES = 100_000
#: brackets nested deeper than this in JSON/TOML text are refused before parsing
DEFAULT_MAX_DEPTH = 200


def _yaml_loader() -> type[Any]:
    """PyYAML's C safe loader (much faster), or the pure-Python one where libyaml is missing,
    with lenient timestamps (:func:`_lenient`)."""
    import yaml

    return _lenient(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


def _lenient_timestamp(loader: Any, node: Any) -> Any:
    """A date, or the text when a plain scalar only looks like one (``2027-02-30``)."""
    import yaml

    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.yaml_constructors[_STR_TAG](loader, node)


_LENIENT: dict[type[Any], type[Any]] = {}


def _lenient(loader: type[Any]) -> type[Any]:
    """``loader`` whose timestamps that are no date stay strings.

    PyYAML resolves any plain ``dddd-d?d-d?d`` to a timestamp and then raises a bare
    ValueError for ``2027-13-01``: a workflow or dependabot.yml that GitHub reads (its YAML
    has no timestamps) cost a whole collector ("internal error"), and a mistyped ``expires:``
    in steward.yml crashed ``assess``. As a string, readers take the text as written and
    steward.yml's validation names the field and its line.
    """
    lenient = _LENIENT.get(loader)
    if lenient is None:
        lenient = type(f"Lenient{loader.__name__}", (loader,), {})
        lenient.add_constructor(_TIMESTAMP_TAG, _lenient_timestamp)
        _LENIENT[loader] = lenient
    return lenient


_ANCHOR_RE = re.compile(rb"(?:^|[\s\[{,:\-?])&[^\s]")


# --------------------------------------------------------------------------------- reading


def _regular_file(p: Path) -> os.stat_result:
    """``stat`` of a regular file; anything else (missing, directory, FIFO, device) refused
    with an InputError naming it, without opening it (a FIFO would block)."""
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError("no such file", source=p) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=p) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError("is a directory, expected a file", source=p)
    if not stat.S_ISREG(st.st_mode):
        raise InputError("not a regular file (a FIFO, device or socket)", source=p)
    return st


def read_bytes(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a regular file whole, refusing directories, devices and files over ``max_bytes``."""
    p = Path(path)
    st = _regular_file(p)
    if st.st_size > max_bytes:
        raise UnsafeInputError(
            f"file is {st.st_size} bytes, over the limit of {max_bytes}", source=p
        )
    try:
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=p) from None
    if len(data) > max_bytes:
        raise UnsafeInputError(f"file grew over the limit of {max_bytes} bytes", source=p)
    return data


def decode_text(data: bytes, *, source: str | Path) -> str:
    """Decode UTF-8 (with or without BOM); binary junk is an input error, not a crash."""
    if b"\x00" in data[:8192]:
        raise InputError("binary content where text was expected", source=source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("not valid UTF-8 text", source=source, line=line) from None


def read_text(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a UTF-8 text file safely (size limit, binary refused)."""
    return decode_text(read_bytes(path, max_bytes=max_bytes), source=path)


def loads_json(data: bytes | str, *, source: str | Path) -> Any:
    """Parse JSON; a syntax error names the line and column."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON: {exc.msg} (column {exc.colno})", source=source, line=exc.lineno
        ) from None


def load_json(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """Read and parse a JSON file safely."""
    return loads_json(read_bytes(path, max_bytes=max_bytes), source=path)


def _check_aliases(
    text: str, source: str | Path, max_aliases: int, max_nodes: int = DEFAULT_MAX_ALIAS_NODES
) -> None:
    """Refuse a YAML stream whose aliases are too many or expand to too many nodes.

    Walks the parser's events (no document is built): each node's size is counted with
    the aliases inside it expanded, and each alias adds the size of the node it repeats.
    """
    import yaml

    aliases = 0
    added = 0  # nodes the aliases add when the document is built
    sizes: dict[str, int] = {}  # anchor -> expanded size of its node
    stack: list[list[Any]] = []  # [anchor, expanded size so far] per open collection

    def done(anchor: str | None, size: int) -> None:
        if anchor:
            sizes[anchor] = size
        if stack:
            stack[-1][1] += size

    try:
        for event in yaml.parse(text, Loader=_yaml_loader()):
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                size = sizes.get(event.anchor or "", 1)
                added += size
                if aliases > max_aliases:
                    raise UnsafeInputError(
                        f"YAML uses more than {max_aliases} aliases (possible alias bomb)",
                        source=source,
                    )
                if added > max_nodes:
                    raise UnsafeInputError(
                        f"YAML aliases expand to more than {max_nodes} nodes "
                        "(limit on expanded aliases; possible alias bomb)",
                        source=source,
                    )
                done(None, size)
            elif isinstance(event, yaml.ScalarEvent):
                done(event.anchor, 1)
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                stack.append([event.anchor, 1])
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent) and stack:
                anchor, size = stack.pop()
                done(anchor, size)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, source) from None


def _yaml_error(exc: yaml.YAMLError, source: str | Path) -> InputError:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    line = mark.line + 1 if mark is not None else None
    return InputError(f"invalid YAML: {problem}", source=source, line=line)


#: :func:`_load_from_events` cannot build this document the way the safe loader does
_FALLBACK = object()
_NO_KEY = object()


class _MappingFrame:
    """An open mapping while :func:`_load_from_events` builds it, with its pending key."""

    __slots__ = ("data", "key")

    def __init__(self) -> None:
        self.data: dict[Any, Any] = {}
        self.key: Any = _NO_KEY


#: nesting past this is left to the safe loader (which reports "nested too deeply" its way)
_EVENT_MAX_DEPTH = 500
_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_SCALAR_TAGS = frozenset(
    {
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:timestamp",
    }
)


def _load_from_events(text: str, loader_class: type[Any]) -> Any:
    """The document PyYAML's safe loader builds, built straight from the parser's events.

    With libyaml only the parser is C: the safe loader then makes a node per value and
    constructs the document from the nodes in Python, half of the time of loading a
    lockfile. For the documents lockfiles are — one document of mappings, sequences and
    scalars, no anchors, aliases, merge keys or explicit tags, keys that are scalars — this
    builds the same values from the events: each scalar's tag resolved by the loader's own
    resolver and the non-string ones made by its own constructors. Anything else (and any
    error, so that the message is the loader's) returns :data:`_FALLBACK` and the caller
    loads the text with the safe loader as before.
    """
    import yaml
    from yaml.events import (
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
    )
    from yaml.nodes import ScalarNode

    if loader_class.yaml_path_resolvers:
        return _FALLBACK
    parser = loader_class(text)
    resolve = parser.resolve
    constructors = parser.yaml_constructors
    map_tag, seq_tag = (
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
        yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    )
    resolved: dict[str, str] = {}  # plain scalar → its tag (lockfiles repeat values)
    stack: list[Any] = []  # open collections: a list, or a _MappingFrame
    root: Any = None
    documents = 0
    try:
        get = parser.get_event
        while True:
            event = get()
            kind = type(event)
            if kind is ScalarEvent:
                if event.anchor is not None:
                    return _FALLBACK
                tag = event.tag
                value: Any = event.value
                if tag is None or tag == "!":
                    if event.implicit[0]:
                        tag = resolved.get(value)
                        if tag is None:
                            tag = resolved[value] = resolve(ScalarNode, value, (True, False))
                    else:
                        tag = _STR_TAG
                if tag != _STR_TAG:
                    if tag not in _PLAIN_SCALAR_TAGS:
                        return _FALLBACK
                    node = ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
                    value = constructors[tag](parser, node)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                tag = event.tag
                default = map_tag if kind is MappingStartEvent else seq_tag
                if event.anchor is not None or tag not in (None, "!", default):
                    return _FALLBACK
                if len(stack) >= _EVENT_MAX_DEPTH:
                    return _FALLBACK
                value = _MappingFrame() if kind is MappingStartEvent else []
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                top = stack.pop()
                value = top.data if kind is MappingEndEvent else top
                if not stack:
                    root = value
                    continue
                top = stack[-1]
                if type(top) is list:
                    top.append(value)
                else:
                    top.data[top.key] = value
                    top.key = _NO_KEY
                continue
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    return _FALLBACK  # the safe loader refuses a second document
                continue
            elif kind is StreamEndEvent:
                return root
            elif kind.__name__ in ("StreamStartEvent", "DocumentEndEvent"):
                continue
            else:  # an alias, or an event this reader does not know
                return _FALLBACK
            # a scalar or a new collection: goes into the open collection
            if kind is not ScalarEvent:
                if stack and type(stack[-1]) is not list and stack[-1].key is _NO_KEY:
                    return _FALLBACK  # a collection as a mapping key
                stack.append(value)
                continue
            if not stack:
                root = value
                continue
            top = stack[-1]
            if type(top) is list:
                top.append(value)
            elif top.key is _NO_KEY:
                top.key = value
            else:
                top.data[top.key] = value
                top.key = _NO_KEY
    except (yaml.YAMLError, RecursionError, ValueError, TypeError):
        return _FALLBACK
    finally:
        parser.dispose()


def loads_yaml(
    text: str | bytes,
    *,
    source: str | Path,
    max_aliases: int = DEFAULT_MAX_ALIASES,
    loader: type[Any] | None = None,
    max_alias_nodes: int | None = DEFAULT_MAX_ALIAS_NODES,
) -> Any:
    """Parse one YAML document with the safe loader; alias bombs and syntax errors refused.

    ``max_alias_nodes``: refuse aliases expanding to more nodes than this. PyYAML shares
    aliased objects, but nearly every reader walks the value expanded (workflows, lockfiles,
    OSV records stored as JSON): a workflow of 9 nested aliases under the alias-count limit
    expanded to 9**9 strings and hung ``assess``, so the limit holds by default; None lifts
    it for a reader that only looks up keys (``steward.yml``: its lines are found unexpanded).
    ``loader``: a subclass of the safe loader with extra constructors (e.g. one that records
    where each value was in the text); anything that is not a ``SafeConstructor`` is refused.
    """
    import yaml

    if loader is not None and not issubclass(loader, yaml.constructor.SafeConstructor):
        raise TypeError("loads_yaml needs a safe loader")
    if isinstance(text, bytes):
        text = decode_text(text, source=source)
    if _ANCHOR_RE.search(text.encode("utf-8", "surrogatepass")):
        _check_aliases(text, source, max_aliases, max_alias_nodes or 10**18)
    try:
        if loader is None:
            built = _load_from_events(text, _yaml_loader())
            if built is not _FALLBACK:
                return built
        chosen: Any = _lenient(loader) if loader is not None else _yaml_loader()
        return yaml.load(text, Loader=chosen)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, source) from None
    except RecursionError:
        raise UnsafeInputError("YAML nested too deeply", source=source) from None


def load_yaml(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """Read and parse a YAML file safely."""
    return loads_yaml(read_bytes(path, max_bytes=max_bytes), source=path)


def parse_xml(data: bytes | str, *, source: str | Path) -> Any:
    """Parse XML with defusedxml: DTDs, entity declarations and external references refused.

    Returns the root ``xml.etree.ElementTree.Element``.
    """
    from defusedxml import DefusedXmlException
    from defusedxml import ElementTree as DefusedET

    try:
        root = DefusedET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:  # a ValueError too: caught first
        raise UnsafeInputError(f"refused unsafe XML: {type(exc).__name__}", source=source) from None
    except (LookupError, ValueError) as exc:  # an encoding Python does not know or support
        raise InputError(
            f"XML declares an encoding that cannot be read: {exc}", source=source
        ) from None
    except DefusedET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise InputError(f"invalid XML: {exc}", source=source, line=line) from None
    _check_xml_depth(root, source)
    return root


def _check_xml_depth(root: Any, source: str | Path, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
    """Refuse elements nested deeper than ``max_depth`` (recursive readers would crash)."""
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > max_depth:
            raise UnsafeInputError(
                f"XML nested more than {max_depth} levels deep (limit on nesting)", source=source
            )
        stack.extend((child, depth + 1) for child in element)


def load_xml(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """Read and parse an XML file safely."""
    return parse_xml(read_bytes(path, max_bytes=max_bytes), source=path)


_QUOTED_OR_COMMENT = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_INNERMOST = re.compile(r"[\[{][\]}]")


def check_depth(text: str, *, source: str | Path, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
    """Refuse JSON or TOML text whose ``[``/``{`` nesting exceeds ``max_depth``.

    Quoted strings and ``#`` comments are removed, then the innermost bracket pairs are
    removed pass by pass (all in the regular-expression engine, so a 20 MB lockfile costs
    well under a second): the number of passes is the nesting depth. Python's recursive
    parsers (tomllib) would otherwise hit the interpreter's recursion limit.
    """
    brackets = _NOT_BRACKET.sub("", _QUOTED_OR_COMMENT.sub("", text))
    for _ in range(max_depth):
        reduced = _INNERMOST.sub("", brackets)
        if reduced == brackets:
            return
        brackets = reduced
    if _INNERMOST.search(brackets):
        raise UnsafeInputError(
            f"nested more than {max_depth} levels deep (limit on nesting)", source=source
        )


def check_nesting(value: Any, *, source: str | Path, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
    """Refuse parsed JSON/YAML data nested deeper than ``max_depth`` (iteratively, so the
    check itself cannot overflow): schema validators and recursive walkers would."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > max_depth:
            raise UnsafeInputError(
                f"nested more than {max_depth} levels deep (limit on nesting)", source=source
            )
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)


# ----------------------------------------------------------------------------- data shapes


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` if it is a mapping, else an empty one (parsed input can hold anything)."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


# ------------------------------------------------------------------------------- archives


@dataclass(frozen=True)
class ZipLimits:
    """Limits for reading an untrusted ZIP archive."""

    max_members: int = 500_000
    max_member_bytes: int = 64 * MiB
    max_total_bytes: int = 4096 * MiB
    max_ratio: float = 200.0  # inflated / compressed, checked per member on real bytes


def _safe_member_name(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or "\x00" in name:
        return False
    if re.match(r"^[A-Za-z]:", name):
        return False
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return ".." not in parts


def iter_zip(path: str | Path, *, limits: ZipLimits | None = None) -> Iterator[tuple[str, bytes]]:
    """Yield ``(member name, content)`` for each regular file in a ZIP archive, safely.

    Raises :class:`UnsafeInputError` on traversal names, symlink members, too many members,
    or members whose real inflated size breaks a limit (a zip bomb), before reading on.
    """
    import zipfile

    lim = limits or ZipLimits()
    src = Path(path)
    _regular_file(src)  # a FIFO or device is refused before it is opened (it would block)
    try:
        zf = zipfile.ZipFile(src)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"not a readable ZIP archive: {exc}", source=src) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > lim.max_members:
            raise UnsafeInputError(
                f"archive has {len(infos)} members, over the limit of {lim.max_members}",
                source=src,
            )
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            if not _safe_member_name(info.filename):
                raise UnsafeInputError(
                    f"archive member {info.filename!r} has an unsafe path", source=src
                )
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise UnsafeInputError(
                    f"archive member {info.filename!r} is a symbolic link", source=src
                )
            content = _read_member(zf, info, lim, src)
            total += len(content)
            if total > lim.max_total_bytes:
                raise UnsafeInputError(
                    f"archive inflates to more than {lim.max_total_bytes} bytes", source=src
                )
            yield info.filename, content


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, lim: ZipLimits, src: Path) -> bytes:
    import zipfile

    chunks: list[bytes] = []
    size = 0
    compressed = max(info.compress_size, 1)
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(1024 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if size > lim.max_member_bytes:
                    raise UnsafeInputError(
                        f"archive member {info.filename!r} inflates over "
                        f"{lim.max_member_bytes} bytes",
                        source=src,
                    )
                if size > 1024 * 1024 and size / compressed > lim.max_ratio:
                    raise UnsafeInputError(
                        f"archive member {info.filename!r} has a compression ratio over "
                        f"{lim.max_ratio:g} (possible zip bomb)",
                        source=src,
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise InputError(
            f"archive member {info.filename!r} is corrupt: {exc}", source=src
        ) from None
    except (NotImplementedError, RuntimeError) as exc:  # e.g. an encrypted member
        raise InputError(f"archive member {info.filename!r}: {exc}", source=src) from None
    return b"".join(chunks)


# ---------------------------------------------------------------------------------- trees


def resolve_within(root: str | Path, relative: str | Path) -> Path | None:
    """Resolve ``relative`` under ``root``; None if it (or a symlink on the way) leaves the tree.

    Use this before opening any file found by walking an untrusted tree.
    """
    try:
        base = Path(root).resolve()
        candidate = (base / relative).resolve(strict=False)
        candidate.relative_to(base)
    except (ValueError, OSError, RuntimeError):  # outside, or a symlink loop on the way
        return None
    return candidate


def is_clean_name(name: str) -> bool:
    """False for a file name holding bytes that are not UTF-8 (surrogate escapes from the
    file system): such a name cannot be written to JSON or shown as evidence."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable_name(name: str) -> str:
    """``name`` with every byte that is not UTF-8 shown as U+FFFD (for messages)."""
    return name.encode("utf-8", "surrogateescape" if is_clean_name(name) else "replace").decode(
        "utf-8", "replace"
    )


def tree_output(root: str | Path, relative: str | Path) -> Path:
    """Where to write ``relative`` inside the project tree ``root`` (``init security``,
    ``cra scope --save``): refused with an :class:`InputError` when the path is absolute,
    climbs out with ``..``, or when it or any directory on the way is a symbolic link (a link
    could lead out of the tree; files Steward writes into a project are never written through
    one)."""
    rel = PurePosixPath(Path(relative).as_posix())
    if rel.is_absolute() or ".." in rel.parts:
        raise UnsafeInputError("output path leaves the project tree", source=relative)
    current = Path(root)
    for part in rel.parts:
        current = current / part
        if current.is_symlink():
            raise UnsafeInputError(
                "is a symbolic link; refusing to write a project file through it", source=current
            )
    return current


# -------------------------------------------------------------------------------- writing
#
# One set of rules for every file Steward writes (``-o``, ``--split``, evidence packs, the
# vulnerability database download, files written into a project):
#
# - ``-`` (through :func:`output_writer`) is standard output;
# - a new name or an existing regular file: a temporary file in the same directory, fsync,
#   rename over the target (the old content stays until the new one is complete);
# - a character device or FIFO (``/dev/null``, ``/dev/stdout``, a named pipe): written straight
#   to, never replaced or removed;
# - a symbolic link is followed deliberately: the final target is written by these same rules
#   (a regular file is replaced beside the target, so the link stays a link); a link whose
#   target is missing, a directory, a socket or a block device is refused;
# - a directory, socket or block device: refused (exit 2, one line naming the path);
# - a disk-full or other write error: one line naming the path, the old file untouched and
#   no temporary file left behind (also on Ctrl-C and SIGTERM, which the CLI turns into
#   KeyboardInterrupt).

#: errno values that mean "the output cannot be written", not a bug
_WRITE_ERRNOS = frozenset(
    {
        errno.ENOSPC,
        errno.EDQUOT,
        errno.EFBIG,
        errno.EIO,
        errno.EROFS,
        errno.EACCES,
        errno.EPERM,
        errno.EPIPE,
        errno.ENXIO,
        errno.EINVAL,
    }
)


def _write_error(exc: OSError, target: Path) -> InputError:
    return InputError(f"cannot write: {exc.strerror or exc}", source=target)


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def output_target(path: str | Path) -> tuple[str, Path]:
    """Classify an output path: ``("replace", final)`` for a new name or a regular file (written
    through a temporary file and a rename), ``("stream", final)`` for a character device or
    FIFO (written straight to). ``final`` is the path after following symbolic links.

    Raises :class:`InputError` for a directory, a socket, a block device, a dangling link or
    a symlink loop.
    """
    target = Path(path)
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return "replace", target
    except OSError as exc:
        raise _write_error(exc, target) from None
    final = target
    if stat.S_ISLNK(st.st_mode):
        try:
            final = Path(os.path.realpath(target, strict=True))
            st = final.stat()
        except FileNotFoundError:
            raise InputError(
                "is a symbolic link to a missing file; refusing to write through it", source=target
            ) from None
        except OSError as exc:  # a loop (ELOOP) or an unreadable directory on the way
            raise InputError(
                f"cannot follow the symbolic link: {exc.strerror or exc}", source=target
            ) from None
    if stat.S_ISREG(st.st_mode):
        return "replace", final
    if stat.S_ISDIR(st.st_mode):
        raise InputError("is a directory, expected an output file", source=target)
    if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
        return "stream", final
    raise InputError("not a regular file, device or FIFO; refusing to write it", source=target)


@contextlib.contextmanager
def atomic_writer(path: str | Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """Open ``path`` for writing by the rules above; on success the output is complete.

    For a regular file or a new name: a temporary file beside the (final) target, fsync'd and
    renamed over it; on any exception the temporary file is removed and the target is left as
    it was. For a device or FIFO: the target itself, opened without truncating or creating.
    Write errors (disk full, read-only file system, ...) become an :class:`InputError` naming
    ``path``.
    """
    if mode not in ("wb", "w"):
        raise ValueError("atomic_writer supports 'w' and 'wb'")
    shown = Path(path)
    how, target = output_target(shown)
    if how == "stream":
        with _stream_writer(target, shown, mode) as stream:
            yield stream
        return
    directory = target.parent if str(target.parent) else Path()
    try:
        existing_mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        existing_mode = _umask_mode()
    held = defer_signals()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except FileExistsError:
        deliver_signals(held)
        raise InputError("a parent of the output is not a directory", source=shown) from None
    except OSError as exc:
        deliver_signals(held)
        raise _write_error(exc, shown) from None
    tmp = Path(tmp_name)
    try:
        deliver_signals(held)  # a signal held since mkstemp is raised here, and cleaned up
        if mode == "w":
            fh: IO[Any] = os.fdopen(fd, "w", encoding="utf-8", newline="")
        else:
            fh = os.fdopen(fd, "wb")
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            tmp.chmod(existing_mode)  # mkstemp makes 0600: the file's own mode, or umask's
        with commit_point():
            tmp.replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if exc.errno in _WRITE_ERRNOS or exc.errno == errno.EISDIR:
            raise _write_error(exc, shown) from None
        raise
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _rename_all(temps: list[tuple[Path, Path, Path]], done: list[tuple[Path, Path | None]]) -> None:
    """Rename each written temporary file over its output, keeping a hard-link backup of a
    replaced file in ``done`` so that a failure can put the old files back."""
    for tmp, final, shown in temps:
        backup: Path | None = None
        if final.exists():
            backup = final.with_name(f".{final.name}.{os.getpid()}.bak")
            try:
                os.link(final, backup)
            except OSError:
                backup = None
        try:
            tmp.replace(final)
        except OSError as exc:
            if backup is not None:
                with contextlib.suppress(OSError):
                    backup.unlink()
            raise _write_error(exc, shown) from None
        done.append((final, backup))


@contextlib.contextmanager
def _stream_writer(target: Path, shown: Path, mode: str) -> Iterator[IO[Any]]:
    """Write straight to a device or FIFO: no O_CREAT, no O_TRUNC, never replaced."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _write_error(exc, shown) from None
    try:
        if mode == "w":
            fh: IO[Any] = os.fdopen(fd, "w", encoding="utf-8", newline="")
        else:
            fh = os.fdopen(fd, "wb")
        with fh:
            yield fh
            fh.flush()
    except OSError as exc:
        if exc.errno in _WRITE_ERRNOS:
            raise _write_error(exc, shown) from None
        raise


@contextlib.contextmanager
def output_writer(path: str | Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """Like :func:`atomic_writer`, but ``-`` is standard output (a user's ``-o`` value)."""
    if str(path) == "-":
        stream: IO[Any] = sys.stdout.buffer if mode == "wb" else sys.stdout
        try:
            yield stream
            stream.flush()
        except OSError as exc:
            if exc.errno in _WRITE_ERRNOS:
                raise InputError(
                    f"cannot write: {exc.strerror or exc}", source="standard output"
                ) from None
            raise
        return
    with atomic_writer(path, mode) as fh:
        yield fh


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` by the rules above (never half a file)."""
    with atomic_writer(path, "wb") as fh:
        fh.write(data)


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` atomically (newlines written as given)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def write_outputs(files: list[tuple[Path, bytes]]) -> None:
    """Write several outputs all-or-nothing (``sbom --split``, document sets).

    Every target is checked first, then every temporary file is written and fsync'd; only
    when all are complete are they renamed into place. A failure before the renames leaves
    every target as it was; a rename that fails (rare: same directory) puts back the targets
    already replaced, from hard-linked backups. Devices and FIFOs among the targets are
    written after the regular files are in place.
    """
    plans: list[tuple[str, Path, Path, bytes]] = []
    seen: set[Path] = set()
    for shown, data in files:
        how, final = output_target(shown)
        key = final.absolute()
        if key in seen:
            raise InputError("written twice in one run (two outputs map to it)", source=shown)
        seen.add(key)
        plans.append((how, Path(shown), final, data))
    temps: list[tuple[Path, Path, Path]] = []  # (tmp, final, shown)
    done: list[tuple[Path, Path | None]] = []  # (final, backup)
    try:
        for how, shown, final, data in plans:
            if how != "replace":
                continue
            directory = final.parent if str(final.parent) else Path()
            held = defer_signals()
            try:
                directory.mkdir(parents=True, exist_ok=True)
                fd, tmp_name = tempfile.mkstemp(
                    prefix=f".{final.name}.", suffix=".tmp", dir=directory
                )
                temps.append((Path(tmp_name), final, shown))
            except OSError as exc:
                raise _write_error(exc, shown) from None
            finally:
                deliver_signals(held)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                Path(tmp_name).chmod(_umask_mode())
            except OSError as exc:
                raise _write_error(exc, shown) from None
        with commit_point():  # (the renames are one commit: a signal waits for all)
            _rename_all(temps, done)
    except BaseException:
        for tmp, _final, _shown in temps:
            with contextlib.suppress(OSError):
                tmp.unlink()
        for final, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    backup.replace(final)
                else:
                    final.unlink()
        raise
    for _final, backup in done:
        if backup is not None:
            with contextlib.suppress(OSError):
                backup.unlink()
    for how, shown, _final, data in plans:
        if how == "stream":
            with atomic_writer(shown, "wb") as fh:
                fh.write(data)
